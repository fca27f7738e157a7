"""The start page's first panel: who I am and the units I belong to."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tillit.core.navigation import NavItem, register_nav_item
from tillit.core.startpage import Panel, register_panel
from tillit.organisation.models import Membership


def _me(request: HttpRequest) -> dict[str, Any]:
    memberships = (
        Membership.objects.filter(person_id=int(request.user.pk or 0))
        .select_related("unit", "unit__parent")
        .order_by("unit__name", "role")
    )
    units: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        entry = units.setdefault(membership.unit_id, {"unit": membership.unit, "roles": []})
        entry["roles"].append(membership.get_role_display())
    return {"person": request.user, "units": list(units.values())}


def register() -> None:
    register_panel(Panel(key="me", template="accounts/panel_me.html", context=_me, order=0))
    register_nav_item(NavItem(key="start", label=_("Start"), url_name="accounts:start", order=0))
