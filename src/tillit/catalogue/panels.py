"""The catalogue on other pages: a case's checklist and "ask the neighbour" on the case page,
notices and questions on the start page, and the catalogue in the main menu."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tillit.cases.models import Case, CaseEvent
from tillit.cases.panels import CasePanel, csrf_input, register_case_panel
from tillit.cases.queries import Access
from tillit.catalogue import queries
from tillit.catalogue.checklist import checklist_of, rows_html
from tillit.catalogue.forms import AskForm
from tillit.core.navigation import NavItem, register_nav_item
from tillit.core.startpage import Panel, register_panel
from tillit.organisation.models import Person


def _case_panel(
    request: HttpRequest, case: Case, access: Access, log: Sequence[CaseEvent]
) -> dict[str, Any] | None:
    """One panel for the checklist and "ask the neighbour": every rendered panel costs the page
    its context processors again, so the catalogue renders one."""
    reader = request.user if isinstance(request.user, Person) else None
    checklist = checklist_of(case, reader)  # two queries, whatever the size of the checklist
    works = access == Access.WORK and case.is_open
    if checklist is None and not works:
        return None
    context: dict[str, Any] = {
        "checklist": checklist,
        "may_tick": works,
        "ask_form": AskForm(case=case, prefix="ask") if works else None,
    }
    if works and checklist is not None:
        # Made once per page, not once per row (decision 0440).
        context["rows_html"] = rows_html(
            checklist,
            may_tick=True,
            tick_prefix=reverse("catalogue:tick", args=[case.pk, 0, "klar"]).removesuffix(
                "0/klar/"
            ),
            csrf_input=csrf_input(request),
        )
    elif checklist is not None:
        context["rows_html"] = rows_html(checklist, may_tick=False)
    return context


def _start_panel(request: HttpRequest) -> dict[str, Any] | None:
    person = request.user
    if not isinstance(person, Person):
        return None
    notices = queries.unread_notices(person) if queries.is_centre_staff(person) else []
    answers = queries.unseen_answers(person)
    questions = queries.open_questions_for(person)
    if not (notices or answers or questions):
        return None
    return {"notices": notices, "answers": answers, "questions": questions}


def register() -> None:
    register_case_panel(
        CasePanel(
            key="catalogue", template="catalogue/panel_case.html", context=_case_panel, order=10
        )
    )
    register_panel(
        Panel(
            key="catalogue", template="catalogue/panel_start.html", context=_start_panel, order=15
        )
    )
    register_nav_item(
        NavItem(key="catalogue", label=_("Catalogue"), url_name="catalogue:index", order=50)
    )
