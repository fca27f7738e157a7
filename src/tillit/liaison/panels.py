"""The liaison meetings on other pages: the person's open action items on the start page, and
the meetings in the main menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.core.navigation import NavItem, register_nav_item
from tillit.core.startpage import Panel, register_panel
from tillit.liaison import queries
from tillit.organisation.models import Person

SHOWN = 5


def _start_panel(request: HttpRequest) -> dict[str, Any] | None:
    person = request.user
    if not isinstance(person, Person):
        return None
    open_items, _done = queries.actions_owned_by(person)
    if not open_items:
        return None
    return {
        "actions": open_items[:SHOWN],
        "more": len(open_items) - SHOWN,
        "today": timezone.localdate(),
    }


def register() -> None:
    register_panel(
        Panel(key="liaison", template="liaison/panel_start.html", context=_start_panel, order=35)
    )
    register_nav_item(
        NavItem(key="liaison", label=_("Liaison"), url_name="liaison:index", order=55)
    )
