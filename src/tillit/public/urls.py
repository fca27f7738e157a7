from django.urls import path

from tillit.public import views

app_name = "public"

urlpatterns = [
    path("", views.start, name="start"),
    path("nytt-arende/", views.new_case, name="new_case"),
    path("kvitto/", views.receipt, name="receipt"),
    path("arende/<slug:token>/", views.status, name="status"),
    path("arende/<slug:token>/fil/<int:attachment_id>/", views.download, name="download"),
]
