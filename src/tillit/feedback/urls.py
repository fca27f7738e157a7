from django.urls import path

from tillit.feedback import views

app_name = "feedback"

urlpatterns = [
    path("e/<str:token>/", views.survey, name="survey"),
    path("tack/", views.survey_thanks, name="survey_thanks"),
    path("statistik/", views.dashboard_page, name="dashboard"),
    path("statistik/export/<slug:key>.csv", views.export, name="export"),
    path("enkat/installningar/<int:unit_id>/", views.survey_settings, name="survey_settings"),
    path("uppfoljningar/", views.follow_ups, name="follow_ups"),
    path(
        "uppfoljningar/<int:follow_up_id>/klar/",
        views.complete_follow_up,
        name="complete_follow_up",
    ),
    path("reflektioner/", views.reflections, name="reflections"),
    path("reflektion/<int:case_id>/", views.reflect, name="reflect"),
    path("uppskattning/", views.appreciation_feed, name="appreciation"),
    path("uppskattning/ny/<int:case_id>/", views.appreciate, name="appreciate"),
    path("kvitto/<int:case_id>/", views.receipt, name="receipt"),
]
