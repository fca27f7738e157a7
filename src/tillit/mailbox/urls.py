from django.urls import path

from tillit.mailbox import views

app_name = "mailbox"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:mailbox_id>/", views.queue, name="queue"),
    path("arende/<int:case_id>/sortera/", views.triage, name="triage"),
    path("meddelande/<int:message_id>/", views.message, name="message"),
    path("meddelande/<int:message_id>/las-igen/", views.reprocess, name="reprocess"),
    path("utgaende/<int:outbound_id>/skicka-igen/", views.retry, name="retry"),
    path("utgaende/<int:outbound_id>/stoppa/", views.stop, name="stop"),
    path("bilaga/<int:attachment_id>/", views.attachment, name="attachment"),
]
