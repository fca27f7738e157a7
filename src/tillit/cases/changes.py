"""The changes a person who works a case can make from the case page: one entry per action.

Each entry names its form, the one action it calls, the message shown when it is done, and when
it is offered (the state machine's table decides which status changes are). The case page shows
the forms of the entries that apply; `views.case_page.change_case` runs one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillit.cases import actions, forms
from tillit.cases.models import Case, Handover
from tillit.cases.queries import scope_of
from tillit.cases.states import OPEN_STATUSES, TRANSITIONS, Status
from tillit.organisation.models import Person


@dataclass(frozen=True)
class Situation:
    case: Case
    person: Person
    offer: Handover | None

    @property
    def is_open(self) -> bool:
        return self.case.status in OPEN_STATUSES

    def may_become(self, status: Status) -> bool:
        return status in TRANSITIONS[Status(self.case.status)]


Run = Callable[[Case, Person, dict[str, Any]], object]


SAVE = _("Save")


@dataclass(frozen=True)
class Change:
    slug: str  # the URL segment and the form prefix
    group: str
    title: str | Promise  # the disclosure's summary, or the button of a form without fields
    form: type[forms.CaseForm]
    run: Run
    done: str | Promise
    available: Callable[[Situation], bool]
    button: str | Promise = SAVE
    danger: bool = False

    @property
    def is_button(self) -> bool:
        return not self.form.base_fields


def _text(action: Callable[..., object], name: str = "body") -> Run:
    return lambda case, by, data: action(case=case, by=by, **{name: data[name]})


def _take(case: Case, by: Person, data: dict[str, Any]) -> object:
    return actions.assign_case(case=case, handler=by, by=by)


def _takeable(s: Situation) -> bool:
    """Open, not mine yet, and I am a member of the owning unit (as `is_member` asks, from the
    memberships the access check has already read in this request)."""
    return (
        s.is_open
        and s.case.handler_id != s.person.pk
        and s.case.owner_unit_id in scope_of(s.person).memberships
    )


CHANGES: list[Change] = [
    Change(
        "anteckning",
        "write",
        _("Internal note"),
        forms.NoteForm,
        _text(actions.add_note),
        _("The note was saved."),
        lambda s: True,
    ),
    Change(
        "svar",
        "write",
        _("Reply to the citizen"),
        forms.ReplyForm,
        _text(actions.add_reply),
        _("The reply was saved and will be sent to the citizen."),
        lambda s: s.is_open,
        button=_("Send reply"),
    ),
    Change(
        "muntlig-information",
        "write",
        _("Oral information given"),
        forms.OralInformationForm,
        lambda case, by, data: actions.record_oral_information(
            case=case, by=by, body=data["body"], given_at=data["given_at"]
        ),
        _("The oral information was noted."),
        lambda s: s.case.status != Status.CANCELLED,
    ),
    Change(
        "ta-arendet",
        "handler",
        _("Take the case myself"),
        forms.EmptyForm,
        _take,
        _("You are now the handler."),
        _takeable,
    ),
    Change(
        "tilldela",
        "handler",
        _("Assign to a colleague"),
        forms.AssignForm,
        lambda case, by, data: actions.assign_case(case=case, handler=data["handler"], by=by),
        _("The handler was changed."),
        lambda s: s.is_open,
        button=_("Assign"),
    ),
    Change(
        "ta-bort-handlaggare",
        "handler",
        _("Remove the handler"),
        forms.EmptyForm,
        lambda case, by, data: actions.unassign_case(case=case, by=by),
        _("The case has no handler now; it is in the unit's queue."),
        lambda s: s.is_open and s.case.handler_id is not None,
    ),
    Change(
        "paborja",
        "status",
        _("Start work"),
        forms.EmptyForm,
        lambda case, by, data: actions.start_work(case=case, by=by),
        _("The case is in progress."),
        lambda s: s.is_open and s.may_become(Status.IN_PROGRESS),
    ),
    Change(
        "vanta",
        "status",
        _("Wait for the citizen"),
        forms.WaitForm,
        _text(actions.wait_for_citizen),
        _("The case is waiting for the citizen."),
        lambda s: s.may_become(Status.WAITING),
    ),
    Change(
        "avsluta",
        "status",
        _("Close the case"),
        forms.CloseForm,
        _text(actions.close_case, "resolution"),
        _("The case is closed."),
        lambda s: s.may_become(Status.CLOSED),
        button=_("Close the case"),
    ),
    Change(
        "ateroppna",
        "status",
        _("Reopen the case"),
        forms.ReasonForm,
        _text(actions.reopen_case, "reason"),
        _("The case is open again."),
        lambda s: s.case.status == Status.CLOSED,
        button=_("Reopen"),
    ),
    Change(
        "makulera",
        "status",
        _("Cancel the case"),
        forms.ReasonForm,
        _text(actions.cancel_case, "reason"),
        _("The case is cancelled. It keeps its number and its log."),
        lambda s: s.may_become(Status.CANCELLED),
        button=_("Cancel the case"),
        danger=True,
    ),
    Change(
        "forfallodag",
        "details",
        _("Change the due date"),
        forms.DueDateForm,
        lambda case, by, data: actions.change_due_date(
            case=case, by=by, due_date=data["due_date"], reason=data["reason"]
        ),
        _("The due date was changed."),
        lambda s: s.is_open,
    ),
    Change(
        "arendetyp",
        "details",
        _("Change the case type"),
        forms.CaseTypeForm,
        lambda case, by, data: actions.change_case_type(
            case=case, by=by, case_type=data["case_type"]
        ),
        _("The case type was changed."),
        lambda s: s.is_open,
    ),
    Change(
        "sekretess",
        "details",
        _("Mark as secret"),
        forms.SecretForm,
        _text(actions.mark_secret, "provision"),
        _("The case is marked as secret; only the owning unit can read it."),
        lambda s: not s.case.is_secret,
        button=_("Mark as secret"),
    ),
    Change(
        "ta-bort-sekretess",
        "details",
        _("Remove the secrecy marking"),
        forms.ReasonForm,
        _text(actions.remove_secrecy, "reason"),
        _("The secrecy marking was removed."),
        lambda s: s.case.is_secret,
        button=_("Remove the marking"),
    ),
    Change(
        "erbjud",
        "handover",
        _("Offer the case to another unit"),
        forms.OfferForm,
        lambda case, by, data: actions.offer_handover(
            case=case,
            to_unit=data["to_unit"],
            to_person=data["to_person"],
            by=by,
            done=data["done"],
            expected=data["expected"],
        ),
        _("The offer was sent. Your unit owns the case until the receiver accepts it."),
        lambda s: s.is_open and s.offer is None,
        button=_("Offer the case"),
    ),
]

BY_SLUG = {change.slug: change for change in CHANGES}

GROUPS: list[tuple[str, str | Promise]] = [
    ("write", _("Write")),
    ("handler", _("Handler")),
    ("status", _("Status")),
    ("details", _("Details and secrecy")),
    ("handover", _("Hand-over")),
]
