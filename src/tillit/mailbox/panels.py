"""The shared mailbox on other pages: the case page (its e-mail, and outgoing mail not delivered
yet), the start page (the untriaged queues of my units) and the main menu."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.cases.models import Case, CaseEvent
from tillit.cases.panels import CasePanel, register_case_panel
from tillit.cases.queries import Access
from tillit.core.navigation import NavItem, register_nav_item
from tillit.core.startpage import Panel, register_panel
from tillit.mailbox import queries
from tillit.organisation.models import Person


def _case_panel(
    request: HttpRequest, case: Case, access: Access, log: Sequence[CaseEvent]
) -> dict[str, Any] | None:
    mail = queries.mail_on_page(case, ask_triage=access == Access.WORK)
    if not (mail.inbound or mail.unsettled or mail.untriaged):
        return None
    return {
        "inbound": mail.inbound,
        "unsettled": mail.unsettled,
        "untriaged": mail.untriaged,
        "may_act": access == Access.WORK,
        "next": request.get_full_path(),
    }


def _start_panel(request: HttpRequest) -> dict[str, Any] | None:
    person = request.user
    if not isinstance(person, Person):
        return None
    today = timezone.localdate()
    rows = [
        {
            "mailbox": mailbox,
            "untriaged": queries.untriaged(person, mailbox).count(),
            "hero": queries.queue_owner(mailbox, today),
        }
        for mailbox in queries.mailboxes_for(person)
    ]
    return {"rows": rows, "person": person} if rows else None


def _has_mailbox(request: HttpRequest) -> bool:
    person = request.user
    return isinstance(person, Person) and queries.has_mailbox(person)


def register() -> None:
    register_case_panel(
        CasePanel(key="mailbox", template="mailbox/panel_case.html", context=_case_panel, order=40)
    )
    register_panel(
        Panel(key="mailbox", template="mailbox/panel_start.html", context=_start_panel, order=20)
    )
    register_nav_item(
        NavItem(
            key="mailbox",
            label=_("Mailbox"),
            url_name="mailbox:index",
            order=30,
            visible=_has_mailbox,
        )
    )
