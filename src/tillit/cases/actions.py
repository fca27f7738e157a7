"""Every change to a case goes through this module, so no code path can skip the case log.

The one rule: at every moment exactly one unit owns a case. Ownership moves only when a
hand-over offer is accepted by the receiving unit; until then the sender owns it. Each action runs
in one transaction, locks the rows it changes (case before hand-over), appends its event, and
announces mail and tasks only after commit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.cases.models import Case, CaseEvent, Handover, Party, RegistrationSeries
from tillit.cases.parties import PartyInput, find_or_create_parties, find_or_create_party
from tillit.cases.queries import current_scope
from tillit.cases.states import (
    CONTRIBUTED_KINDS,
    Channel,
    EventKind,
    HandoverStatus,
    Status,
    ensure_handover_transition,
    ensure_transition,
)
from tillit.catalogue.models import CaseType, CaseTypeVersion
from tillit.catalogue.queries import current_version, initial_owner
from tillit.core.workdays import add_working_days
from tillit.organisation.models import Person, Unit, UnitKind
from tillit.organisation.queries import closed_days, is_member

MAX_TEXT = 20_000

# --- helpers ------------------------------------------------------------------------------------


def _refuse(field: str, message: str, code: str) -> ValidationError:
    """A refusal naming the field it concerns, with a machine-readable code."""
    return ValidationError({field: ValidationError(message, code=code)})


def _event_row(
    case: Case,
    kind: EventKind,
    *,
    by: Person | None,
    at: datetime,
    body: str = "",
    data: dict[str, object] | None = None,
    actor_label: str = "",
) -> CaseEvent:
    """An event of the case's current owner, not yet saved (a batch inserts many at once)."""
    return CaseEvent(
        case=case,
        kind=kind,
        at=at,
        actor=by,
        actor_label=actor_label,
        unit_id=case.owner_unit_id,
        body=body,
        data=data or {},
    )


def _event(case: Case, kind: EventKind, **fields: Any) -> CaseEvent:
    event = _event_row(case, kind, **fields)
    event.save(force_insert=True)
    return event


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock; every change starts here."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _may_work(person: Person, unit_id: int) -> bool:
    """The access gateway's WORK rule: a member of the (active) unit, or a manager above it.
    Read fresh for every change, so a membership granted or revoked a moment ago counts."""
    return unit_id in current_scope(person).all_units


def _ensure_worker(person: Person, case: Case) -> None:
    if not _may_work(person, case.owner_unit_id):
        raise _refuse(
            "case",
            _("Only the owning unit (%(unit)s) can change this case.") % {"unit": case.owner_unit},
            "not_owner",
        )


def _ensure_open(case: Case) -> None:
    if case.status not in {Status.NEW, Status.IN_PROGRESS, Status.WAITING}:
        raise _refuse(
            "case",
            _("The case is %(status)s; reopen it before changing it.")
            % {"status": Status(case.status).label},
            "case_closed",
        )


def _ensure_text(field: str, value: str, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise _refuse(field, _("This field cannot be empty."), "required")
    if len(value) > MAX_TEXT:
        raise _refuse(
            field,
            _("The text is too long (at most %(max)d characters).") % {"max": MAX_TEXT},
            "too_long",
        )
    return value


def _stand_in(person: Person, at: datetime) -> Person:
    from tillit.team.queries import stand_in_for

    return stand_in_for(person, at)


def _ensure_member(person: Person, unit: Unit, field: str) -> None:
    if not is_member(person, unit):
        raise _refuse(
            field,
            _("%(person)s is not a member of %(unit)s.") % {"person": person, "unit": unit},
            "not_member",
        )


def _local_today(at: datetime) -> date:
    return timezone.localtime(at).date()


def _due_date(case_type: CaseType, owner: Unit, start: datetime) -> date:
    """The current leg's due date: the contact centre's or the administration's service level."""
    days = (
        case_type.service_days_centre
        if owner.kind == UnitKind.CONTACT_CENTRE
        else case_type.service_days_administration
    )
    return add_working_days(_local_today(start), days, closed_days(owner.municipality_id))


def _next_registration_number(at: datetime) -> str:
    """Take the next number in this year's series; the row lock makes numbers unique and gapless."""
    return _next_registration_numbers(at, 1)[0]


def _next_registration_numbers(at: datetime, count: int) -> list[str]:
    """Take the next `count` numbers of this year's series in one statement (a batch of intake)."""
    prefix = settings.TILLIT_CASE_SERIES_PREFIX
    year = timezone.localtime(at).year
    last = _take_numbers(prefix, year, count)
    if last is None:  # the first case of the year
        try:
            with transaction.atomic():
                RegistrationSeries.objects.create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # another transaction created this year's series first
        last = _take_numbers(prefix, year, count)
    assert last is not None
    return [f"{prefix} {year}/{number:05d}" for number in range(last - count + 1, last + 1)]


def _take_numbers(prefix: str, year: int, count: int) -> int | None:
    """Add `count` to the series and read its new last number in one statement (UPDATE …
    RETURNING: PostgreSQL, and SQLite from 3.35); the row stays locked until the case's (or
    batch's) transaction ends."""
    table = connection.ops.quote_name(RegistrationSeries._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + %s"  # noqa: S608 - table name only
            " WHERE prefix = %s AND year = %s RETURNING last_number",
            [count, prefix, year],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def status_token(submission_key: str) -> str:
    """The citizen's private status-link token, derived so a repeated submission gets the same."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"status:{submission_key}".encode(), hashlib.sha256
    ).hexdigest()[:40]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def append_event(
    *,
    case: Case,
    kind: EventKind,
    by: Person | None,
    body: str = "",
    data: dict[str, object] | None = None,
    actor_label: str = "",
    locked: bool = False,
) -> CaseEvent:
    """Append another capability's event (a checklist tick, a question, an e-mail) to the case
    log, under the case's row lock. The caller has checked its own rule; this one only refuses
    kinds that belong to a named action here, so no app can fake an ownership change.

    `locked`: the caller already holds the case's row lock in this transaction, and its
    `updated_at` is already this moment's (it registered the case, or an action here just
    changed it, e.g. `add_citizen_message`)."""
    if kind not in CONTRIBUTED_KINDS:
        raise ValueError(f"{kind} is written by its own action in tillit.cases.actions")
    now = timezone.now()
    if not locked:
        case = _lock(case)
        case.updated_at = now
        case.save(update_fields=["updated_at"])
    return _event(
        case,
        kind,
        by=by,
        at=now,
        body=_ensure_text("body", body, required=False),
        data=data,
        actor_label=actor_label,
    )


# --- registration -------------------------------------------------------------------------------


def _checked_subject(subject: str) -> str:
    subject = _ensure_text("subject", subject)
    if len(subject) > 200:
        raise _refuse("subject", _("The subject is too long (at most 200 characters)."), "too_long")
    return subject


def _ensure_registrable(case_type: CaseType, *, by: Person | None, system_intake: bool) -> None:
    if not case_type.is_active:
        raise _refuse(
            "case_type",
            _("The case type %(name)s is no longer used.") % {"name": case_type.name},
            "inactive_case_type",
        )
    if by is None and not case_type.is_public and not system_intake:
        raise _refuse(
            "case_type", _("This case type cannot be submitted by citizens."), "not_public"
        )


def _default_provision(secret: bool, provision: str) -> str:
    if secret and not provision.strip():
        return _("Marked by default for the case type")
    return provision


def _new_case(
    *,
    number: str,
    channel: Channel,
    subject: str,
    description: str,
    case_type: CaseType,
    version: CaseTypeVersion | None,
    owner: Unit,
    handler: Person | None,
    party: Party | None,
    due_date: date,
    secret: bool,
    provision: str,
    by: Person | None,
    submission_key: str | None,
    now: datetime,
) -> Case:
    return Case(
        registration_number=number,
        channel=channel,
        subject=subject,
        description=description,
        case_type=case_type,
        case_type_version=version,
        status=Status.NEW,
        owner_unit=owner,
        handler=handler,
        party=party,
        due_date=due_date,
        leg_started_at=now,
        is_secret=secret,
        secrecy_provision=provision.strip() if secret else "",
        secrecy_marked_at=now if secret else None,
        secrecy_marked_by=by if secret else None,
        submission_key=submission_key,
        citizen_token_hash=token_hash(status_token(submission_key)) if submission_key else None,
        created_at=now,
        updated_at=now,
    )


def _created_event(
    case: Case, *, by: Person | None, at: datetime, no_personal_number_reason: str = ""
) -> CaseEvent:
    data: dict[str, object] = {
        "channel": case.channel,
        "owner": case.owner_unit.name,
        "subject": case.subject,
    }
    if no_personal_number_reason:
        data["no_personal_number_reason"] = no_personal_number_reason
    label = "" if by else _("citizen")
    return _event_row(
        case, EventKind.CREATED, by=by, at=at, body=case.description, data=data, actor_label=label
    )


def _secrecy_event(case: Case, *, by: Person | None, at: datetime) -> CaseEvent:
    data: dict[str, object] = {"secret": True, "provision": case.secrecy_provision}
    return _event_row(case, EventKind.SECRECY, by=by, at=at, data=data)


@transaction.atomic
def register_case(
    *,
    channel: Channel,
    subject: str,
    case_type: CaseType,
    by: Person | None,
    description: str = "",
    party: PartyInput | None = None,
    owner: Unit | None = None,
    handler: Person | None = None,
    is_secret: bool | None = None,
    secrecy_provision: str = "",
    resolved_at_first_contact: bool = False,
    oral_information: str = "",
    submission_key: str | None = None,
    at: datetime | None = None,
    system_intake: bool = False,
    no_personal_number_reason: str = "",
) -> Case:
    """Register a case. Its owner comes from the case type's routing unless staff register it for
    their own unit (e.g. resolved at first contact). With a submission key, a repeated submission
    returns the case the first one made instead of making another. `system_intake` marks a
    trusted intake path registering for a citizen (the shared mailbox, into its unit's internal
    untriaged type); a citizen's own submission reaches only public case types. A reason why
    the citizen has no personnummer is kept in the created event (decision 0450)."""
    if submission_key:
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    now = at or timezone.now()
    subject = _checked_subject(subject)
    description = _ensure_text("description", description, required=False)
    _ensure_registrable(case_type, by=by, system_intake=system_intake)
    if owner is None:
        owner = initial_owner(case_type)
    elif by is None or not _may_work(by, owner.pk):
        raise _refuse(
            "owner", _("You can only register cases for a unit you belong to."), "not_member"
        )
    secret = case_type.default_secret if is_secret is None else is_secret
    secrecy_provision = _default_provision(secret, secrecy_provision)
    if handler is not None:
        handler = _stand_in(handler, now)
        _ensure_member(handler, owner, "handler")
    party_row = find_or_create_party(party) if party is not None and party.name.strip() else None
    reason = no_personal_number_reason.strip()
    version = current_version(case_type)
    due_date = _due_date(case_type, owner, now)

    # The series row stays locked until the transaction commits, and every registration in the
    # municipality waits for it: take the number last, right before the inserts (decision 0355).
    case = _new_case(
        number=_next_registration_number(now),
        channel=channel,
        subject=subject,
        description=description,
        case_type=case_type,
        version=version,
        owner=owner,
        handler=handler,
        party=party_row,
        due_date=due_date,
        secret=secret,
        provision=secrecy_provision,
        by=by,
        submission_key=submission_key,
        now=now,
    )
    case.save()
    _created_event(case, by=by, at=now, no_personal_number_reason=reason).save()
    if handler is not None:
        _event(case, EventKind.ASSIGNED, by=by, at=now, data={"handler": str(handler)})
    if oral_information.strip():
        _event(
            case,
            EventKind.ORAL_INFORMATION,
            by=by,
            at=now,
            body=_ensure_text("oral_information", oral_information),
            data={"given_at": now.isoformat()},
        )
    if secret:
        _secrecy_event(case, by=by, at=now).save()
    if resolved_at_first_contact:
        if by is None:
            raise _refuse(
                "resolved_at_first_contact",
                _("Only staff can resolve a case at first contact."),
                "not_staff",
            )
        case.resolved_at_first_contact = True
        _close(case, by=by, at=now, resolution=_("Resolved at first contact."))
    # The log's only searchable text so far is the oral information: no need to read it back.
    _index(case, bodies=[oral_information.strip()] if oral_information.strip() else [], new=True)
    return case


@dataclass(frozen=True)
class LogEntry:
    """An event another capability adds to a case's log (a kind in CONTRIBUTED_KINDS)."""

    kind: EventKind
    body: str = ""
    data: dict[str, object] = field(default_factory=dict)
    actor_label: str = ""


@dataclass(frozen=True)
class Intake:
    """One case for `register_intake_batch`: what a trusted intake path knows of a submission,
    and the first entry it adds to the new case's log."""

    subject: str
    description: str
    party: PartyInput | None
    submission_key: str
    first_entry: LogEntry | None = None


@transaction.atomic
def register_intake_batch(
    *, channel: Channel, case_type: CaseType, intakes: list[Intake], at: datetime | None = None
) -> list[tuple[Case, CaseEvent | None]]:
    """Register many cases at once from a trusted intake path (the shared mailbox's poll batch),
    each as `register_case(by=None, system_intake=True, submission_key=…)` registers one: the
    owner, published version, due date (closed days read once), registration numbers (one series
    update) and parties (one query) are worked out once for the batch, and the cases, their log
    entries and search documents are inserted in bulk. A submission key already used returns the
    case it made (and no new entry). Returns (case, its `first_entry` event) in the given order."""
    if not intakes:
        return []
    now = at or timezone.now()
    _ensure_registrable(case_type, by=None, system_intake=True)
    made: dict[str | None, tuple[Case, CaseEvent | None]] = {
        case.submission_key: (case, None)
        for case in Case.objects.filter(submission_key__in=[i.submission_key for i in intakes])
    }
    fresh = list({i.submission_key: i for i in intakes if i.submission_key not in made}.values())
    if fresh:
        owner = initial_owner(case_type)
        version = current_version(case_type)
        due = _due_date(case_type, owner, now)
        secret = case_type.default_secret
        provision = _default_provision(secret, "")
        parties = find_or_create_parties(
            [i.party if i.party is not None and i.party.name.strip() else None for i in fresh]
        )
        numbers = _next_registration_numbers(now, len(fresh))
        cases = [
            _new_case(
                number=number,
                channel=channel,
                subject=_checked_subject(intake.subject),
                description=_ensure_text("description", intake.description, required=False),
                case_type=case_type,
                version=version,
                owner=owner,
                handler=None,
                party=party,
                due_date=due,
                secret=secret,
                provision=provision,
                by=None,
                submission_key=intake.submission_key,
                now=now,
            )
            for intake, party, number in zip(fresh, parties, numbers, strict=True)
        ]
        Case.objects.bulk_create(cases)
        events = [_created_event(case, by=None, at=now) for case in cases]
        if secret:
            events += [_secrecy_event(case, by=None, at=now) for case in cases]
        entries: list[CaseEvent | None] = []
        for case, intake in zip(cases, fresh, strict=True):
            entry = intake.first_entry
            if entry is not None and entry.kind not in CONTRIBUTED_KINDS:
                raise ValueError(
                    f"{entry.kind} is written by its own action in tillit.cases.actions"
                )
            entries.append(
                None
                if entry is None
                else CaseEvent(
                    case=case,
                    kind=entry.kind,
                    at=now,
                    actor_label=entry.actor_label,
                    unit_id=case.owner_unit_id,
                    body=_ensure_text("body", entry.body, required=False),
                    data=entry.data,
                )
            )
        CaseEvent.objects.bulk_create([*events, *(e for e in entries if e is not None)])
        from tillit.cases import search

        search.index_new_cases(cases)
        made.update(
            (case.submission_key, (case, entry)) for case, entry in zip(cases, entries, strict=True)
        )
    return [made[i.submission_key] for i in intakes]


def _index(case: Case, *, bodies: list[str] | None = None, new: bool = False) -> None:
    from tillit.cases import search

    search.index_case(case, bodies=bodies, new=new)


# --- work on a case -----------------------------------------------------------------------------


@transaction.atomic
def assign_case(*, case: Case, handler: Person, by: Person) -> Case:
    """Give the case a handler in the owning unit (or that person's stand-in while away)."""
    case = _lock(case)
    _ensure_worker(by, case)
    _ensure_open(case)
    now = timezone.now()
    handler = _stand_in(handler, now)
    _ensure_member(handler, case.owner_unit, "handler")
    if case.handler_id == handler.pk:
        return case
    case.handler = handler
    case.updated_at = now
    case.save(update_fields=["handler", "updated_at"])
    _event(case, EventKind.ASSIGNED, by=by, at=now, data={"handler": str(handler)})
    return case


@transaction.atomic
def unassign_case(*, case: Case, by: Person) -> Case:
    case = _lock(case)
    _ensure_worker(by, case)
    if case.handler_id is None:
        return case
    now = timezone.now()
    previous = str(case.handler)
    case.handler = None
    case.updated_at = now
    case.save(update_fields=["handler", "updated_at"])
    _event(case, EventKind.UNASSIGNED, by=by, at=now, data={"handler": previous})
    return case


@transaction.atomic
def add_note(*, case: Case, by: Person, body: str) -> CaseEvent:
    """An internal note: for colleagues, never shown to the citizen."""
    case = _lock(case)
    _ensure_worker(by, case)
    body = _ensure_text("body", body)
    now = timezone.now()
    case.updated_at = now
    case.save(update_fields=["updated_at"])
    event = _event(case, EventKind.NOTE, by=by, at=now, body=body)
    _index(case)
    return event


@transaction.atomic
def add_reply(*, case: Case, by: Person, body: str) -> CaseEvent:
    """A reply to the citizen: shown on the status page and sent by e-mail when we have one."""
    case = _lock(case)
    _ensure_worker(by, case)
    _ensure_open(case)
    body = _ensure_text("body", body)
    now = timezone.now()
    case.updated_at = now
    case.save(update_fields=["updated_at"])
    event = _event(case, EventKind.REPLY, by=by, at=now, body=body)
    _index(case)
    if case.party_id and case.party and case.party.email:
        from tillit.cases.tasks import send_reply

        event_id = event.pk
        transaction.on_commit(lambda: send_reply.enqueue(event_id))
    return event


@transaction.atomic
def record_oral_information(
    *, case: Case, by: Person, body: str, given_at: datetime | None = None
) -> CaseEvent:
    """Oral information given by phone or at a visit is noted with who and when (FL 27 §)."""
    case = _lock(case)
    _ensure_worker(by, case)
    body = _ensure_text("body", body)
    now = timezone.now()
    given = given_at or now
    if given > now + timedelta(minutes=5):
        raise _refuse("given_at", _("Oral information cannot be given in the future."), "future")
    case.updated_at = now
    case.save(update_fields=["updated_at"])
    return _event(
        case,
        EventKind.ORAL_INFORMATION,
        by=by,
        at=now,
        body=body,
        data={"given_at": given.isoformat()},
    )


@transaction.atomic
def add_citizen_message(*, case: Case, body: str, via: str = "status_link") -> CaseEvent:
    """The citizen adds information; a closed case is reopened, a waiting one resumed."""
    case = _lock(case)
    if case.status == Status.CANCELLED:
        raise _refuse(
            "case", _("This case has been cancelled and takes no more messages."), "case_cancelled"
        )
    body = _ensure_text("body", body)
    now = timezone.now()
    event = _event(
        case,
        EventKind.CITIZEN_MESSAGE,
        by=None,
        at=now,
        body=body,
        data={"via": via},
        actor_label=case.party.name if case.party else _("citizen"),
    )
    if case.status in {Status.CLOSED, Status.WAITING}:
        _set_status(case, Status.IN_PROGRESS, by=None, at=now)
    else:
        case.updated_at = now
        case.save(update_fields=["updated_at"])
    _index(case)
    return event


def _set_status(
    case: Case, target: Status, *, by: Person | None, at: datetime, body: str = ""
) -> None:
    ensure_transition(case.status, target)
    previous = case.status
    case.status = target
    case.updated_at = at
    fields = ["status", "updated_at"]
    if target in {Status.CLOSED, Status.CANCELLED}:
        case.closed_at = at
        fields.append("closed_at")
    elif previous in {Status.CLOSED}:
        case.closed_at = None
        fields.append("closed_at")
    if case.resolved_at_first_contact:
        fields.append("resolved_at_first_contact")
    case.save(update_fields=fields)
    _event(
        case,
        EventKind.STATUS,
        by=by,
        at=at,
        body=body,
        data={"from": previous, "to": target},
        actor_label="" if by else _("citizen"),
    )


@transaction.atomic
def start_work(*, case: Case, by: Person) -> Case:
    case = _lock(case)
    _ensure_worker(by, case)
    _set_status(case, Status.IN_PROGRESS, by=by, at=timezone.now())
    return case


@transaction.atomic
def wait_for_citizen(*, case: Case, by: Person, body: str = "") -> Case:
    case = _lock(case)
    _ensure_worker(by, case)
    _set_status(case, Status.WAITING, by=by, at=timezone.now(), body=body.strip())
    return case


def _close(case: Case, *, by: Person, at: datetime, resolution: str) -> None:
    from tillit.catalogue.queries import open_required_items

    if _open_offer(case) is not None:
        raise _refuse(
            "case", _("Withdraw or wait for the open hand-over before closing."), "open_offer"
        )
    missing = open_required_items(case)
    if missing:
        raise _refuse(
            "checklist",
            _("Required checklist items are not done: %(items)s.") % {"items": "; ".join(missing)},
            "checklist_incomplete",
        )
    _set_status(case, Status.CLOSED, by=by, at=at, body=resolution)


@transaction.atomic
def close_case(*, case: Case, by: Person, resolution: str = "") -> Case:
    """Close the case. Refused while a required checklist item is open or an offer is pending."""
    case = _lock(case)
    _ensure_worker(by, case)
    _close(case, by=by, at=timezone.now(), resolution=resolution.strip())
    return case


@transaction.atomic
def reopen_case(*, case: Case, by: Person, reason: str) -> Case:
    case = _lock(case)
    _ensure_worker(by, case)
    _set_status(
        case, Status.IN_PROGRESS, by=by, at=timezone.now(), body=_ensure_text("reason", reason)
    )
    return case


@transaction.atomic
def cancel_case(*, case: Case, by: Person, reason: str) -> Case:
    """Cancelled cases keep their number and log: they are marked, never deleted."""
    case = _lock(case)
    _ensure_worker(by, case)
    if _open_offer(case) is not None:
        raise _refuse("case", _("Withdraw the open hand-over before cancelling."), "open_offer")
    _set_status(
        case, Status.CANCELLED, by=by, at=timezone.now(), body=_ensure_text("reason", reason)
    )
    return case


@transaction.atomic
def change_due_date(*, case: Case, by: Person, due_date: date, reason: str) -> Case:
    case = _lock(case)
    _ensure_worker(by, case)
    _ensure_open(case)
    now = timezone.now()
    if due_date < _local_today(now):
        raise _refuse("due_date", _("The due date cannot be in the past."), "past")
    previous = case.due_date
    case.due_date = due_date
    case.updated_at = now
    case.save(update_fields=["due_date", "updated_at"])
    _event(
        case,
        EventKind.DUE_DATE,
        by=by,
        at=now,
        body=_ensure_text("reason", reason),
        data={"from": previous.isoformat() if previous else None, "to": due_date.isoformat()},
    )
    return case


@transaction.atomic
def change_case_type(*, case: Case, by: Person, case_type: CaseType) -> Case:
    """Re-classify a case (e.g. at triage). The case is pinned to the new type's current version
    and keeps its owner: a change of owner is always an explicit hand-over."""
    case = _lock(case)
    _ensure_worker(by, case)
    _ensure_open(case)
    if not case_type.is_active:
        raise _refuse(
            "case_type",
            _("The case type %(name)s is no longer used.") % {"name": case_type.name},
            "inactive_case_type",
        )
    if case.case_type_id == case_type.pk:
        return case
    now = timezone.now()
    previous = case.case_type.name
    case.case_type = case_type
    case.case_type_version = current_version(case_type)
    case.due_date = _due_date(case_type, case.owner_unit, case.leg_started_at)
    case.updated_at = now
    case.save(update_fields=["case_type", "case_type_version", "due_date", "updated_at"])
    _event(
        case,
        EventKind.CASE_TYPE,
        by=by,
        at=now,
        data={"from": previous, "to": case_type.name},
    )
    return case


@transaction.atomic
def mark_secret(*, case: Case, by: Person, provision: str) -> Case:
    """A secrecy marking (sekretessmarkering) limits the case to its owning unit (OSL)."""
    case = _lock(case)
    _ensure_worker(by, case)
    provision = _ensure_text("provision", provision)
    now = timezone.now()
    case.is_secret = True
    case.secrecy_provision = provision[:120]
    case.secrecy_marked_at = now
    case.secrecy_marked_by = by
    case.updated_at = now
    case.save(
        update_fields=[
            "is_secret",
            "secrecy_provision",
            "secrecy_marked_at",
            "secrecy_marked_by",
            "updated_at",
        ]
    )
    _event(case, EventKind.SECRECY, by=by, at=now, data={"secret": True, "provision": provision})
    return case


@transaction.atomic
def remove_secrecy(*, case: Case, by: Person, reason: str) -> Case:
    case = _lock(case)
    _ensure_worker(by, case)
    now = timezone.now()
    case.is_secret = False
    case.secrecy_provision = ""
    case.updated_at = now
    case.save(update_fields=["is_secret", "secrecy_provision", "updated_at"])
    _event(
        case,
        EventKind.SECRECY,
        by=by,
        at=now,
        body=_ensure_text("reason", reason),
        data={"secret": False},
    )
    return case


def record_secret_read(*, case: Case, by: Person, where: str) -> None:
    """Every read of a secret case is logged, in its own transaction so it survives a rollback."""
    with transaction.atomic():
        _event(case, EventKind.SECRET_READ, by=by, at=timezone.now(), data={"where": where})


# --- hand-over ----------------------------------------------------------------------------------


def _open_offer(case: Case) -> Handover | None:
    return Handover.objects.filter(case=case, status=HandoverStatus.OPEN).first()


def answer_deadline(to_unit: Unit, offered_at: datetime) -> datetime:
    """The receiver answers within its answer time, in working days (default one)."""
    days = settings.TILLIT_HANDOVER_ANSWER_DAYS
    local = timezone.localtime(offered_at)
    day = add_working_days(local.date(), days, closed_days(to_unit.municipality_id))
    return timezone.make_aware(datetime.combine(day, local.time()), local.tzinfo)


@transaction.atomic
def offer_handover(
    *,
    case: Case,
    to_unit: Unit,
    by: Person,
    done: str,
    expected: str,
    to_person: Person | None = None,
) -> Handover:
    """Offer the case to another unit with a message. The sender owns it until it is accepted."""
    case = _lock(case)
    _ensure_worker(by, case)
    _ensure_open(case)
    if to_unit.pk == case.owner_unit_id:
        raise _refuse(
            "to_unit", _("The case is already owned by %(unit)s.") % {"unit": to_unit}, "same_unit"
        )
    if not to_unit.is_active:
        raise _refuse(
            "to_unit", _("%(unit)s no longer takes cases.") % {"unit": to_unit}, "inactive_unit"
        )
    existing = _open_offer(case)
    if existing is not None:
        raise _refuse(
            "case",
            _("The case is already offered to %(unit)s; withdraw that offer first.")
            % {"unit": existing.to_unit},
            "offer_exists",
        )
    done = _ensure_text("done", done)
    expected = _ensure_text("expected", expected)
    now = timezone.now()
    if to_person is not None:
        to_person = _stand_in(to_person, now)
        _ensure_member(to_person, to_unit, "to_person")
    handover = Handover.objects.create(
        case=case,
        from_unit_id=case.owner_unit_id,
        to_unit=to_unit,
        to_person=to_person,
        done=done,
        expected=expected,
        offered_by=by,
        offered_at=now,
        answer_by=answer_deadline(to_unit, now),
    )
    case.updated_at = now
    case.save(update_fields=["updated_at"])
    _event(
        case,
        EventKind.OFFERED,
        by=by,
        at=now,
        body=done,
        data={
            "handover": handover.pk,
            "to_unit": to_unit.name,
            "expected": expected,
            "to_person": str(to_person) if to_person else None,
            "answer_by": handover.answer_by.isoformat(),
        },
    )
    return handover


def _lock_handover(handover: Handover) -> tuple[Case, Handover]:
    case = Case.objects.select_for_update().get(pk=handover.case_id)
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    return case, locked


def _ensure_answerable(handover: Handover, target: HandoverStatus) -> None:
    if handover.status != HandoverStatus.OPEN:
        who = handover.answered_by
        raise _refuse(
            "handover",
            _("This offer was already %(status)s by %(person)s.")
            % {
                "status": HandoverStatus(handover.status).label,
                "person": who if who else _("someone else"),
            },
            "handover_answered",
        )
    ensure_handover_transition(handover.status, target)


def _ensure_receiver(person: Person, handover: Handover) -> None:
    if not _may_work(person, handover.to_unit_id):
        raise _refuse("handover", _("This offer is not addressed to your unit."), "not_receiver")


@transaction.atomic
def accept_handover(*, handover: Handover, by: Person, handler: Person | None = None) -> Case:
    """Move ownership to the receiving unit; the sender's responsibility ends here.

    Two people accepting at once: the row lock lets one win; the other is told who did."""
    case, handover = _lock_handover(handover)
    _ensure_answerable(handover, HandoverStatus.ACCEPTED)
    _ensure_receiver(by, handover)
    now = timezone.now()
    to_unit = handover.to_unit
    if handler is not None:
        handler = _stand_in(handler, now)
        _ensure_member(handler, to_unit, "handler")
    handover.status = HandoverStatus.ACCEPTED
    handover.answered_by = by
    handover.answered_at = now
    handover.save(update_fields=["status", "answered_by", "answered_at"])
    case.owner_unit = to_unit
    case.handler = handler
    case.leg_started_at = now
    case.due_date = _due_date(case.case_type, to_unit, now)
    case.updated_at = now
    if case.status == Status.NEW:
        case.status = Status.IN_PROGRESS
    case.save(
        update_fields=[
            "owner_unit",
            "handler",
            "leg_started_at",
            "due_date",
            "updated_at",
            "status",
        ]
    )
    _event(
        case,
        EventKind.ACCEPTED,
        by=by,
        at=now,
        data={
            "handover": handover.pk,
            "from_unit": str(handover.from_unit),
            "to_unit": str(to_unit),
            "handler": str(handler) if handler else None,
        },
    )
    return case


@transaction.atomic
def return_handover(*, handover: Handover, by: Person, reason: str) -> Handover:
    """The receiver declines with a reason; ownership never moved."""
    case, handover = _lock_handover(handover)
    _ensure_answerable(handover, HandoverStatus.RETURNED)
    _ensure_receiver(by, handover)
    reason = _ensure_text("reason", reason)
    now = timezone.now()
    handover.status = HandoverStatus.RETURNED
    handover.answered_by = by
    handover.answered_at = now
    handover.return_reason = reason
    handover.save(update_fields=["status", "answered_by", "answered_at", "return_reason"])
    case.updated_at = now
    case.save(update_fields=["updated_at"])
    _event(
        case,
        EventKind.RETURNED,
        by=by,
        at=now,
        body=reason,
        data={"handover": handover.pk, "to_unit": str(handover.to_unit)},
    )
    return handover


@transaction.atomic
def withdraw_handover(*, handover: Handover, by: Person, reason: str = "") -> Handover:
    """The sender takes the offer back."""
    case, handover = _lock_handover(handover)
    _ensure_answerable(handover, HandoverStatus.WITHDRAWN)
    _ensure_worker(by, case)
    now = timezone.now()
    handover.status = HandoverStatus.WITHDRAWN
    handover.answered_by = by
    handover.answered_at = now
    handover.save(update_fields=["status", "answered_by", "answered_at"])
    case.updated_at = now
    case.save(update_fields=["updated_at"])
    _event(
        case,
        EventKind.WITHDRAWN,
        by=by,
        at=now,
        body=reason.strip(),
        data={"handover": handover.pk, "to_unit": str(handover.to_unit)},
    )
    return handover


def escalate_overdue_handovers(*, now: datetime | None = None) -> int:
    """Escalate every unanswered offer past its answer time, once each. Nothing waits silently."""
    now = now or timezone.now()
    due = list(
        Handover.objects.filter(
            status=HandoverStatus.OPEN, answer_by__lt=now, escalated_at__isnull=True
        ).values_list("pk", flat=True)
    )
    escalated = 0
    for pk in due:
        with transaction.atomic():
            handover = Handover.objects.filter(pk=pk).first()
            if handover is None:
                continue
            case, handover = _lock_handover(handover)
            if handover.status != HandoverStatus.OPEN or handover.escalated_at is not None:
                continue
            handover.escalated_at = now
            handover.save(update_fields=["escalated_at"])
            _event(
                case,
                EventKind.ESCALATED,
                by=None,
                at=now,
                actor_label=_("system"),
                data={
                    "handover": handover.pk,
                    "to_unit": str(handover.to_unit),
                    "answer_by": handover.answer_by.isoformat(),
                },
            )
            from tillit.cases.tasks import notify_escalation

            transaction.on_commit(partial(notify_escalation.enqueue, handover.pk))
            escalated += 1
    return escalated


def issue_status_link(*, case: Case) -> str:
    """A private, unguessable link token for the citizen (only its hash is stored)."""
    token = secrets.token_urlsafe(30)
    with transaction.atomic():
        locked = _lock(case)
        locked.citizen_token_hash = token_hash(token)
        locked.save(update_fields=["citizen_token_hash"])
    case.citizen_token_hash = locked.citizen_token_hash
    return token
