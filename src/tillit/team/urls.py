from django.urls import path

from tillit.team import booking_views, views

app_name = "team"

urlpatterns = [
    path("", views.index, name="index"),
    path("enhet/<int:unit_id>/", views.unit, name="unit"),
    path("enhet/<int:unit_id>/regler/", views.rules, name="rules"),
    path("enhet/<int:unit_id>/planera-om/", views.replan, name="replan"),
    path("enhet/<int:unit_id>/sysslor/", views.chores, name="chores"),
    path("enhet/<int:unit_id>/byte/", views.swap_new, name="swap_new"),
    path("sysslor/<int:chore_id>/", views.chore_edit, name="chore_edit"),
    path("sysslor/<int:chore_id>/bock/", views.chore_tick, name="chore_tick"),
    path("byte/<int:swap_id>/", views.swap_answer, name="swap_answer"),
    path("franvaro/ny/", booking_views.book, name="book"),
    path("franvaro/<int:absence_id>/", booking_views.absence, name="absence"),
    path("tacker-for/", booking_views.covering, name="covering"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
    path("statistik/", views.figures, name="figures"),
]
