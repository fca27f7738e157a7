"""The start page's team panel (who is hero, whom I cover today) and the menu entry."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.core.navigation import NavItem, register_nav_item
from tillit.core.startpage import Panel, register_panel
from tillit.organisation.models import Person
from tillit.team import queries


def _team(request: HttpRequest) -> dict[str, Any] | None:
    person = cast(Person, request.user)
    units = queries.team_units(person)
    if not units:
        return None
    today = timezone.localdate()
    now = timezone.now()
    heroes = []
    for unit in units:
        week = queries.hero_week_of(unit, today)
        if week is not None:
            heroes.append({"unit": unit, "week": week, "stand_in": queries.hero_of(unit, today)})
    own = [a for a in queries.own_absences(person, now=now) if a.ends_at > now]
    return {
        "heroes": heroes,
        "covering_now": [a for a in queries.covering(person, now=now) if queries.is_current(a)],
        "next_absence": own[-1] if own else None,
    }


def register() -> None:
    register_panel(Panel(key="team", template="team/panel_team.html", context=_team, order=20))
    register_nav_item(NavItem(key="team", label=_("Team"), url_name="team:index", order=40))
