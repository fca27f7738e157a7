"""What feedback adds to other pages: a panel on the case page, panels on the start page and
entries in the main menu. Registered in FeedbackConfig.ready()."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tillit.cases.models import Case, CaseEvent
from tillit.cases.panels import CasePanel, register_case_panel
from tillit.cases.queries import Access
from tillit.cases.states import Status
from tillit.core.navigation import NavItem, register_nav_item
from tillit.core.startpage import Panel, register_panel
from tillit.feedback import queries
from tillit.feedback.forms import AppreciationForm, FollowUpDoneForm
from tillit.organisation.models import Person


def _case_panel(
    request: HttpRequest, case: Case, access: Access, log: Sequence[CaseEvent]
) -> dict[str, Any] | None:
    person = request.user
    if not isinstance(person, Person):
        return None
    colleagues = queries.colleagues_on(case, person, log)
    context: dict[str, Any] = {
        "colleagues": colleagues,
        "appreciation_form": AppreciationForm(colleagues=colleagues, auto_id="appreciation_%s")
        if colleagues
        else None,
        "next": request.get_full_path(),
    }
    if access == Access.WORK:
        may_reflect = case.status == Status.CLOSED
        survey = queries.survey_of(case)
        context.update(
            survey=survey,
            # A follow-up answers a survey of the case: none without one.
            follow_ups=queries.follow_ups_of(case) if survey is not None else [],
            follow_up_form=FollowUpDoneForm(auto_id="follow_up_%s"),
            may_reflect=may_reflect,
        )
        if may_reflect:  # the panel shows reflections only on a closed case
            reflections = queries.reflections_of(case)
            context.update(
                # One reflection per author (a unique constraint): the reader's is among them.
                reflection=next((r for r in reflections if r.author_id == person.pk), None),
                reflections=reflections,
            )
    return context


def _appreciation(request: HttpRequest) -> dict[str, Any] | None:
    if not isinstance(request.user, Person):
        return None
    items = queries.appreciation_received(request.user, limit=3)
    return {"items": items} if items else None


def _follow_ups(request: HttpRequest) -> dict[str, Any] | None:
    if not isinstance(request.user, Person):
        return None
    items = queries.open_follow_ups(request.user, limit=5)
    return {"items": items} if items else None


def _is_staff(request: HttpRequest) -> bool:
    return isinstance(request.user, Person) and queries.may_see_figures(request.user)


def register() -> None:
    register_case_panel(
        CasePanel(
            key="feedback", template="feedback/panel_case.html", context=_case_panel, order=80
        )
    )
    register_panel(
        Panel(
            key="feedback.follow_ups",
            template="feedback/panel_follow_ups.html",
            context=_follow_ups,
            order=40,
        )
    )
    register_panel(
        Panel(
            key="feedback.appreciation",
            template="feedback/panel_appreciation.html",
            context=_appreciation,
            order=45,
        )
    )
    register_nav_item(
        NavItem(
            key="feedback.dashboard",
            label=_("Statistics"),
            url_name="feedback:dashboard",
            order=60,
            visible=_is_staff,
        )
    )
    register_nav_item(
        NavItem(
            key="feedback.appreciation",
            label=_("Appreciation"),
            url_name="feedback:appreciation",
            order=65,
            visible=_is_staff,
        )
    )
