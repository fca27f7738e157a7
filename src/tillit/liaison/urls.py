from django.urls import path

from tillit.liaison import views

app_name = "liaison"

urlpatterns = [
    path("", views.index, name="index"),
    path("mina-atgarder/", views.mine, name="mine"),
    path("atgarder/<int:action_id>/klar/", views.mark_done, name="mark_done"),
    path("moten/nytt/", views.create_meeting, name="create_meeting"),
    path("serier/<int:series_id>/", views.series, name="series"),
    path("moten/<int:meeting_id>/", views.meeting, name="meeting"),
    path("moten/<int:meeting_id>/protokoll/", views.minutes, name="minutes"),
    path("moten/<int:meeting_id>/punkter/", views.propose, name="propose"),
    path(
        "moten/<int:meeting_id>/punkter/<int:item_id>/protokoll/",
        views.write_minutes,
        name="write_minutes",
    ),
    path(
        "moten/<int:meeting_id>/punkter/<int:item_id>/<slug:direction>/",
        views.move,
        name="move",
    ),
    path("moten/<int:meeting_id>/atgarder/", views.add_action, name="add_action"),
    path("moten/<int:meeting_id>/godkann/", views.approve, name="approve"),
    path("moten/<int:meeting_id>/rattelser/", views.correct, name="correct"),
]
