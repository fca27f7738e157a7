"""Rate limits for the public forms, per client address, counted in the shared cache.

Fixed windows in the cache (Redis in production, a file cache on the embedded default) so every
web process and host counts together. IPv6 clients are counted per /64 network: one household or
phone gets a whole /64, so counting single addresses would let it rotate past the limit.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Limit:
    name: str
    factor: int = 1  # times the configured limit (lookups of unknown links are cheaper)

    @property
    def count(self) -> int:
        return int(settings.TILLIT_PUBLIC_RATE_LIMIT) * self.factor

    @property
    def seconds(self) -> int:
        return int(settings.TILLIT_PUBLIC_RATE_WINDOW_SECONDS)


SUBMIT = Limit("submit")
MESSAGE = Limit("message")
LOOKUP = Limit("lookup", factor=5)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one the nearest trusted proxy saw."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)  # PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _key(limit: Limit, request: HttpRequest, window: int) -> str:
    return f"public:rate:{limit.name}:{client_address(request)}:{window}"


def over_limit(request: HttpRequest, limit: Limit) -> int | None:
    """Count one attempt; the seconds to wait if this one is over the limit, else None."""
    now = time.time()
    window = int(now // limit.seconds)
    key = _key(limit, request, window)
    cache.add(key, 0, timeout=limit.seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=limit.seconds * 2)
        count = 1
    if count <= limit.count:
        return None
    return max(1, int((window + 1) * limit.seconds - now))


def refusal(request: HttpRequest, limit: Limit) -> HttpResponse | None:
    """The 429 page (with Retry-After) when this client is over the limit, else None."""
    wait = over_limit(request, limit)
    if wait is None:
        return None
    response = render(
        request,
        "public/rate_limited.html",
        {"minutes": max(1, (wait + 59) // 60)},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response
