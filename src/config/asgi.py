"""ASGI entry point: Django for HTTP, Channels for the websockets of live pages.

Each app that has live pages exposes `websocket_urlpatterns` in its `routing.py`; they are
collected here so this file never changes when a capability is added.
"""

import gc
import importlib
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.apps import apps  # noqa: E402

from tillit.core.workdays import warm_up  # noqa: E402

warm_up()


def _websocket_urlpatterns() -> list[object]:
    patterns: list[object] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tillit."):
            continue
        try:
            routing = importlib.import_module(f"{config.name}.routing")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.routing":
                raise
            continue
        patterns.extend(routing.websocket_urlpatterns)
    return patterns


application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(_websocket_urlpatterns()))
        ),
    }
)

# What start-up made (modules, URL patterns, the app registry, calendars) lives as long as the
# process: move it out of the cyclic collector's view, as Instagram does, so that a gen-2
# collection in the middle of a request walks only what requests made (decision 0470: one such
# collection was the case page's p99).
gc.freeze()
# A young collection every 10,000 new objects rather than 700 (decision 0473): with the
# start-up heap frozen, the long-lived generation is small, and Python's rule (a full
# collection once a quarter of it is new) then ran one every few case pages.
gc.set_threshold(10_000, 10, 10)
