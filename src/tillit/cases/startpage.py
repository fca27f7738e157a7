"""The cases app's start-page panel and menu entries."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tillit.cases.queries import counts_for, scope_of
from tillit.core.navigation import NavItem, register_nav_item
from tillit.core.startpage import Panel, register_panel
from tillit.organisation.models import Person


def _works_in_a_unit(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and scope_of(user).all_units)


def _counts(request: HttpRequest) -> dict[str, Any] | None:
    if not _works_in_a_unit(request):
        return None
    return {"counts": counts_for(cast(Person, request.user))}


def register() -> None:
    register_panel(Panel(key="cases", template="cases/panel_start.html", context=_counts, order=10))
    for key, label, url_name, order in [
        ("cases", _("Cases"), "cases:queues", 10),
        ("cases-register", _("Register"), "cases:register", 11),
        ("cases-incoming", _("Incoming"), "cases:incoming", 12),
        ("cases-search", _("Search"), "cases:search", 13),
    ]:
        register_nav_item(
            NavItem(key=key, label=label, url_name=url_name, order=order, visible=_works_in_a_unit)
        )
