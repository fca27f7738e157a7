"""Websocket routes, beside the pages they serve (the participant's cookie has the page's path)."""

from django.urls import path, re_path

from tillit.dialog.consumers import ControlConsumer, ParticipantConsumer, ScreenConsumer

websocket_urlpatterns = [
    path("dialog/mote/<int:session_id>/ws/", ControlConsumer.as_asgi()),
    path("dialog/mote/<int:session_id>/skarm/ws/", ScreenConsumer.as_asgi()),
    re_path(r"^dialog/(?P<code>[A-Za-z0-9]{4,8})/ws/$", ParticipantConsumer.as_asgi()),
]
