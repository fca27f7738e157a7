"""The main menu. Each capability adds its entries in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise  # usually a lazy translation
    url_name: str
    order: int = 100
    visible: Callable[[HttpRequest], bool] = lambda request: request.user.is_authenticated


_items: dict[str, NavItem] = {}
_urls: dict[tuple[str, str, str], str] = {}


def register_nav_item(item: NavItem) -> None:
    _items[item.key] = item


def nav_for(request: HttpRequest) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if item.visible(request):
            url = _url(item.url_name)
            current = request.path == url or (url != "/" and request.path.startswith(url))
            # Translated here, once per request, rather than at each look-up in the template.
            entries.append({"label": str(item.label), "url": url, "current": current})
    return entries


def _url(name: str) -> str:
    """A menu entry's address, reversed once per URL configuration rather than on every page."""
    key = (name, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    found = _urls.get(key)
    if found is None:
        found = _urls[key] = reverse(name)
    return found
