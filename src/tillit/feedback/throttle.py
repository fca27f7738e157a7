"""A rate limit for the public survey pages: links are unguessable, and this keeps anyone from
trying. A fixed window per client address in the shared cache (Redis at scale)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0  # PROXY_COUNT, shared with the login lock-out
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))


def allow(request: HttpRequest, scope: str, *, limit: int, seconds: int) -> bool:
    """Count this request; False once the client has made `limit` in the current window."""
    window = int(time.time() // seconds)
    key = f"throttle:{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=seconds * 2):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=seconds * 2)
        return True
