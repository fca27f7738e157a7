"""Health check: what an operator or a load balancer asks before sending traffic; the page
shown when a request fails."""

from __future__ import annotations

import sys
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check(probe: object) -> dict[str, object]:
    started = time.perf_counter()
    try:
        probe()  # type: ignore[operator]
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def roundtrip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        if message.get("type") != "healthz.ping":
            raise RuntimeError("channel layer lost the message")

    async_to_sync(roundtrip)()


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _check(_database),
        "cache": _check(_cache),
        "channel_layer": _check(_channel_layer),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


# Seconds a browser or client is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: a lost database (restart, fail-over) is 503 with Retry-After, anything else
    500; in Swedish, without a trace, and rendered without the database or the session."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, OperationalError | InterfaceError)
    if unavailable:
        title = _("Temporarily unavailable")
        message = _("Tillit cannot reach its database just now. Try again in a moment.")
    else:
        title = _("Something went wrong")
        message = _("Something went wrong on our side. The error has been logged; try again later.")
    html = render_to_string(
        "core/server_error.html",
        {"title": title, "message": message},
    )
    response = HttpResponse(html, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
