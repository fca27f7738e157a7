"""What the citizen pages read: public case types, the case behind a status link, its log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone

from tillit.cases.attachments import citizen_attachments
from tillit.cases.models import Attachment, Case, CaseEvent
from tillit.cases.queries import CaseNotFound, events_of, get_case_for_citizen
from tillit.cases.states import EventKind, Status
from tillit.catalogue.models import CaseType, Routing
from tillit.catalogue.queries import public_case_types
from tillit.core.workdays import add_working_days
from tillit.organisation.models import Unit, UnitKind
from tillit.organisation.queries import closed_days


@dataclass(frozen=True)
class Administration:
    unit: Unit
    case_types: list[CaseType]


def public_name(case_type: CaseType) -> str:
    return case_type.public_name or case_type.name


def case_types_by_administration() -> list[Administration]:
    """The public case types, grouped by their administration, both in alphabetical order."""
    types = public_case_types()
    prefetch_related_objects(types, "administration")
    ordered = sorted(types, key=lambda t: (t.administration.name, public_name(t)))
    return [
        Administration(unit=unit, case_types=list(group))
        for unit, group in groupby(ordered, key=lambda t: t.administration)
    ]


def public_case_type(value: int | str | None) -> CaseType | None:
    """A public, active case type by id or code; None for anything else."""
    for case_type in public_case_types():
        if str(value) in {str(case_type.pk), case_type.code}:
            return case_type
    return None


def case_for_link(token: str) -> Case:
    """The case behind a status link, or CaseNotFound when the link is unknown or has expired.

    A link stops working a while after the case was closed or cancelled (setting
    TILLIT_STATUS_LINK_DAYS); unknown and expired links get the same answer."""
    case = get_case_for_citizen(token)
    if case.status in {Status.CLOSED, Status.CANCELLED} and case.closed_at is not None:
        expires = case.closed_at + timedelta(days=int(settings.TILLIT_STATUS_LINK_DAYS))
        if timezone.now() > expires:
            raise CaseNotFound
    return case


def case_by_token_or_none(token: str) -> Case | None:
    try:
        return get_case_for_citizen(token)
    except CaseNotFound:
        return None


def expected_answer_date(case: Case) -> date | None:
    """When the citizen can expect an answer: the current leg's due date, and for a case the
    contact centre will hand over, the administration's service level after it as well."""
    if not case.is_open or case.due_date is None:
        return None
    case_type = case.case_type
    owner = case.owner_unit
    if case_type.routing == Routing.CENTRE_HANDS_OVER and owner.kind == UnitKind.CONTACT_CENTRE:
        return add_working_days(
            case.due_date,
            case_type.service_days_administration,
            closed_days(owner.municipality_id),
        )
    return case.due_date


@dataclass(frozen=True)
class Entry:
    """One line of the citizen's view of the case log: a message, a reply, or files sent."""

    event: CaseEvent
    from_citizen: bool
    attachments: tuple[Attachment, ...] = ()


def citizen_log(case: Case) -> list[Entry]:
    """Replies to the citizen and the citizen's own messages and files, never internal notes."""
    entries = [
        Entry(event=event, from_citizen=event.kind != EventKind.REPLY)
        for event in events_of(case, citizen_view=True)
    ]
    files: dict[int, list[Attachment]] = {}
    for attachment in citizen_attachments(case):
        files.setdefault(attachment.event_id or 0, []).append(attachment)
    for batch in files.values():
        event = batch[0].event
        if event is not None:
            entries.append(
                Entry(event=event, from_citizen=event.actor_id is None, attachments=tuple(batch))
            )
    return sorted(entries, key=lambda entry: entry.event.pk)


def case_for_receipt(case_id: int) -> Case | None:
    """The case a receipt e-mail is about (for the task worker, which has no citizen token)."""
    return (
        Case.objects.select_related("party", "case_type", "owner_unit").filter(pk=case_id).first()
    )
