"""Every checked read of cases: the access gateway and the queues.

Who sees what:
- staff see cases their units own or are offered, and, read-only, cases their units owned before;
- managers also see the cases of every unit they manage (and the teams below);
- registrars see every case that is not secret (the public register);
- a secret case (sekretessmarkering) is visible only to its owning unit and a unit it is being
  offered to, and every read of it is logged.
Forbidden and missing look the same: `CaseNotFound`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from tillit.cases.models import Attachment, Case, CaseEvent, Handover
from tillit.cases.search import matching_case_ids_sql
from tillit.cases.states import OPEN_STATUSES, EventKind, HandoverStatus, Status
from tillit.core.prepared import Prepared
from tillit.organisation.models import Person, Role, Unit
from tillit.organisation.queries import descendant_ids, memberships_of


class CaseNotFound(Http404):
    """The case does not exist, or this person may not see it: the answer is the same."""


class Access(StrEnum):
    WORK = "work"  # may change the case (member of the owning unit, or its manager)
    READ = "read"  # may read it (offered to, owned before, registrar)


@dataclass(frozen=True)
class Scope:
    """The units a person works in, computed once per request."""

    units: frozenset[int]
    managed: frozenset[int]
    registrar: bool
    # Every unit the person has a membership in, active or not (`organisation.is_member`).
    memberships: frozenset[int] = frozenset()

    @property
    def all_units(self) -> frozenset[int]:
        return self.units | self.managed


def current_scope(person: Person) -> Scope:
    """The person's units as the database has them now (one query, more for managers)."""
    memberships = memberships_of(person)
    managed = {unit for unit, role, _active in memberships if role == Role.MANAGER}
    return Scope(
        units=frozenset(unit for unit, _role, active in memberships if active),
        managed=frozenset(managed | descendant_ids(managed)) if managed else frozenset(),
        registrar=any(role == Role.REGISTRAR for _unit, role, _active in memberships),
        memberships=frozenset(unit for unit, _role, _active in memberships),
    )


def scope_of(person: Person) -> Scope:
    """The person's units, read once per person object (a request) for the reads it makes."""
    cached: Scope | None = getattr(person, "_case_scope", None)
    if cached is None:
        cached = current_scope(person)
        person._case_scope = cached  # type: ignore[attr-defined]
    return cached


def _offered_to(units: frozenset[int]) -> Exists:
    return Exists(
        Handover.objects.filter(
            case=OuterRef("pk"), to_unit_id__in=units, status=HandoverStatus.OPEN
        )
    )


def _owned_before(units: frozenset[int]) -> Exists:
    return Exists(
        Handover.objects.filter(
            case=OuterRef("pk"), from_unit_id__in=units, status=HandoverStatus.ACCEPTED
        )
    )


def visible_to(person: Person) -> QuerySet[Case]:
    """Every case this person may read."""
    scope = scope_of(person)
    units = scope.all_units
    if not person.is_active:
        return Case.objects.none()
    owned = Q(owner_unit_id__in=units)
    offered = _offered_to(units)
    rule = owned | offered | (Q(is_secret=False) & _owned_before(units))
    if scope.registrar:
        rule |= Q(is_secret=False)
    return Case.objects.filter(rule)


def access_to(person: Person, case: Case) -> Access | None:
    scope = scope_of(person)
    if case.owner_unit_id in scope.all_units:
        return Access.WORK
    if Handover.objects.filter(
        case=case, to_unit_id__in=scope.all_units, status=HandoverStatus.OPEN
    ).exists():
        return Access.READ
    if case.is_secret:
        return None
    if scope.registrar:
        return Access.READ
    if Handover.objects.filter(
        case=case, from_unit_id__in=scope.all_units, status=HandoverStatus.ACCEPTED
    ).exists():
        return Access.READ
    return None


_CASE: Prepared[Case] = Prepared(
    lambda pk: Case.objects.select_related(
        "owner_unit",
        "handler",
        "party",
        "case_type__administration",  # the case page names it ("ask the neighbour")
        "case_type_version",
    ).filter(pk=pk),
    pk=int,
)


def get_case_for(person: Person, case_id: int | str, *, where: str = "page") -> Case:
    """The access gateway: the case if this person may read it, else CaseNotFound.

    Reading a secret case appends a `secret_read` event naming who read it and where.
    """
    try:
        case = _CASE.first(pk=int(case_id))
    except (ValueError, TypeError):
        raise CaseNotFound from None
    if case is None or access_to(person, case) is None:
        raise CaseNotFound
    if case.is_secret:
        from tillit.cases.actions import record_secret_read

        record_secret_read(case=case, by=person, where=where)
    return case


def get_case_by_number_for(person: Person, number: str, *, where: str = "page") -> Case:
    case_id = Case.objects.filter(registration_number=number.strip()).values_list("pk", flat=True)
    found = case_id.first()
    if found is None:
        raise CaseNotFound
    return get_case_for(person, found, where=where)


def get_case_for_citizen(token: str) -> Case:
    """The case behind a citizen's private status link."""
    from tillit.cases.actions import token_hash

    if not token or len(token) > 100:
        raise CaseNotFound
    case = (
        Case.objects.select_related("owner_unit", "case_type", "party")
        .filter(citizen_token_hash=token_hash(token))
        .first()
    )
    if case is None:
        raise CaseNotFound
    return case


def handover_for(person: Person, handover_id: int | str) -> Handover:
    """An offer the person's units sent or received (forbidden and missing look the same)."""
    units = scope_of(person).all_units
    try:
        return Handover.objects.select_related("case", "from_unit", "to_unit").get(
            Q(to_unit_id__in=units) | Q(from_unit_id__in=units), pk=int(handover_id)
        )
    except (Handover.DoesNotExist, ValueError, TypeError):
        raise CaseNotFound from None


def open_offer(case: Case) -> Handover | None:
    """The case's open offer, if any. At most one (the constraint one_open_offer_per_case), so
    no ordering and limit: `first()` made Django order the four joined tables' query by id,
    which cost the case page as much again as the query itself."""
    return _OPEN_OFFER.first(case=case.pk)


_OPEN_OFFER: Prepared[Handover] = Prepared(
    lambda case: Handover.objects.select_related(
        "from_unit", "to_unit", "offered_by", "to_person"
    ).filter(case_id=case, status=HandoverStatus.OPEN),
    case=int,
)


def log_of(case: Case) -> list[CaseEvent]:
    """The whole case log in order, with who and which unit: what the case page shows."""
    return _LOG(case=case.pk)


LOG_FIELDS: tuple[str, ...] = (
    *(field.name for field in CaseEvent._meta.concrete_fields),
    "actor__username",
    "actor__first_name",
    "actor__last_name",
    "unit__name",
)
_LOG: Prepared[CaseEvent] = Prepared(
    lambda case: (
        CaseEvent.objects.filter(case_id=case)
        .select_related("actor", "unit")
        # Of who and which unit, what the log and the legs name: not a person's password hash,
        # login times and flags, 50 times over (a test holds the page to its query count).
        .only(*LOG_FIELDS)
        .order_by("id")
    ),
    case=int,
)


def events_of(case: Case, *, citizen_view: bool = False) -> QuerySet[CaseEvent]:
    """The case log in order. The citizen sees replies and their own messages, never notes."""
    events = CaseEvent.objects.filter(case=case).select_related("actor", "unit").order_by("id")
    if citizen_view:
        events = events.filter(
            kind__in=[EventKind.CREATED, EventKind.REPLY, EventKind.CITIZEN_MESSAGE]
        )
    return events


# --- queues -------------------------------------------------------------------------------------


class Queue(StrEnum):
    MINE = "mine"
    UNIT = "unit"
    INCOMING = "incoming"
    OVERDUE = "overdue"
    WAITING = "waiting"
    CLOSED = "closed"


@dataclass(frozen=True)
class QueueFilter:
    case_type: int | None = None
    status: str | None = None
    channel: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Named:
    """A case type or a unit as a list shows it."""

    pk: int
    code: str
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """A handler as a list shows it (named as `Person.__str__` names them)."""

    pk: int
    username: str
    first_name: str
    last_name: str

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username


@dataclass(frozen=True, slots=True)
class Listed:
    """A case as a queue row, a search hit and the API's case summary show it: read as plain
    values, not as four model instances per row (decision 0355)."""

    pk: int
    registration_number: str
    subject: str
    status: str
    channel: str
    due_date: date | None
    is_secret: bool
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    leg_started_at: datetime | None
    resolved_at_first_contact: bool
    case_type: Named
    owner_unit: Named
    handler: ListedPerson | None

    @property
    def case_type_id(self) -> int:
        return self.case_type.pk

    @property
    def owner_unit_id(self) -> int:
        return self.owner_unit.pk

    @property
    def handler_id(self) -> int | None:
        return None if self.handler is None else self.handler.pk

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN


_OPEN = frozenset(s.value for s in OPEN_STATUSES)


@dataclass(frozen=True)
class Page:
    cases: list[Listed]
    next_cursor: int | None


def queue(
    person: Person,
    name: Queue,
    *,
    filters: QueueFilter | None = None,
    before: int | None = None,
    size: int = 50,
    today: date | None = None,
) -> Page:
    """One page of a queue, newest first (the closed queue: most recently closed first), with
    keyset pagination on the case id."""
    prepared = _prepared_page(person, name, filters, before, size)
    if prepared is not None:
        return prepared
    cases = _queue_cases(person, name, filters=filters, before=before, today=today)
    return _page(_page_of(cases, name, size), size, order=_order(name))


def _order(name: Queue) -> tuple[str, ...]:
    return ("-closed_at", "-pk") if name == Queue.CLOSED else ("-pk",)


def _page_of(cases: QuerySet[Case], name: Queue, size: int) -> QuerySet[Case]:
    """The page's ids first, from the cases table alone, then its rows with their joins. In one
    statement PostgreSQL joined every matching case before sorting whenever its estimate of a
    queue was low (the unit queue: 91 estimated, 12,723 real after a day of registrations):
    16.8 ms. Choosing the ids alone, it walks the queue's index and stops at the page: 0.4 ms."""
    page_ids = cases.order_by(*_order(name)).values("pk")[: size + 1]
    return Case.objects.filter(pk__in=page_ids)


# The queues whose SQL depends on nothing but the reader, the filters and the cursor (not the
# date or the time), each filter combination compiled once per process (decision 0007).
_PREPARED_QUEUES = frozenset({Queue.MINE, Queue.UNIT, Queue.INCOMING, Queue.WAITING})
_PREPARED_PAGES: dict[tuple[Any, ...], Prepared[tuple[Any, ...]]] = {}


def _prepared_page(
    person: Person, name: Queue, filters: QueueFilter | None, before: int | None, size: int
) -> Page | None:
    if name not in _PREPARED_QUEUES or (filters is not None and filters.text):
        return None
    values: dict[str, Any] = {"units": sorted(scope_of(person).all_units)}
    if name == Queue.MINE:
        values["person"] = person.pk
    for field in ("case_type", "status", "channel"):
        value = getattr(filters, field, None)
        if value:
            values[field] = value if field == "case_type" else str(value)
    if before is not None:
        values["before"] = before
    if type(values.get("case_type", 0)) is not int:
        return None
    key = (name, size, tuple(values))
    prepared = _PREPARED_PAGES.get(key)
    if prepared is None:

        def build(**given: Any) -> QuerySet[Case, tuple[Any, ...]]:
            cases = _queue_base(name, given.get("person", 0), frozenset(given["units"]))
            cases = _filtered(
                cases,
                QueueFilter(
                    case_type=given.get("case_type"),
                    status=given.get("status"),
                    channel=given.get("channel"),
                ),
            )
            if "before" in given:
                cases = cases.filter(pk__lt=given["before"])
            return _rows_of(_page_of(cases, name, size), size, _order(name))

        kinds = {field: type(value) for field, value in values.items()}
        prepared = _PREPARED_PAGES.setdefault(key, Prepared(build, **kinds))
    try:
        return _page_from(prepared(**values), size)
    except ValueError:  # a cursor beyond any id
        return Page(cases=[], next_cursor=None)


def queue_cases(person: Person, name: Queue, *, size: int = 50) -> list[Case]:
    """The first page of a queue as cases, for the few callers that need the model."""
    cases = _queue_cases(person, name, filters=None, before=None, today=None)
    return list(cases.select_related("owner_unit", "case_type").order_by("-pk")[:size])


def _queue_cases(
    person: Person,
    name: Queue,
    *,
    filters: QueueFilter | None,
    before: int | None,
    today: date | None,
) -> QuerySet[Case]:
    scope = scope_of(person)
    units = scope.all_units
    today = today or timezone.localdate()
    open_statuses = [s.value for s in OPEN_STATUSES]
    cases: QuerySet[Case]
    if name == Queue.OVERDUE:
        # Fetched first as a short list: with a literal list PostgreSQL combines both index
        # scans (BitmapOr) instead of walking every case (measured at a million cases).
        late_offers = list(
            Handover.objects.filter(
                Q(to_unit_id__in=units) | Q(from_unit_id__in=units),
                status=HandoverStatus.OPEN,
                answer_by__lt=timezone.now(),
            ).values_list("case_id", flat=True)[:1000]
        )
        cases = Case.objects.filter(
            (Q(owner_unit_id__in=units) & Q(status__in=open_statuses) & Q(due_date__lt=today))
            | Q(pk__in=late_offers)
        )
    else:
        cases = _queue_base(name, person.pk, units)
    cases = _filtered(cases, filters)
    if before is not None and name == Queue.CLOSED:
        # The cursor is still a case id: the page goes on after that case's closing time.
        last = Case.objects.filter(pk=before).values_list("closed_at", flat=True).first()
        if last is None:
            return cases.none()
        cases = cases.filter(Q(closed_at__lt=last) | Q(closed_at=last, pk__lt=before))
    elif before is not None:
        cases = cases.filter(pk__lt=before)
    return cases


def _queue_base(name: Queue, person_id: int, units: frozenset[int]) -> QuerySet[Case]:
    """The cases of a queue that does not depend on the date (all but the overdue one)."""
    if name == Queue.MINE:
        # A handler who has left the owning unit keeps the field but not the access.
        return Case.objects.filter(
            handler_id=person_id,
            owner_unit_id__in=units,
            status__in=[s.value for s in OPEN_STATUSES],
        )
    if name == Queue.UNIT:
        return Case.objects.filter(
            owner_unit_id__in=units,
            handler__isnull=True,
            status__in=[Status.NEW, Status.IN_PROGRESS],
        )
    if name == Queue.INCOMING:
        # A semi-join from the (few) open offers, not a probe per case: fast at a million cases.
        offered = Handover.objects.filter(to_unit_id__in=units, status=HandoverStatus.OPEN)
        return Case.objects.filter(pk__in=offered.values("case_id"))
    if name == Queue.WAITING:
        return Case.objects.filter(owner_unit_id__in=units, status=Status.WAITING)
    if name == Queue.CLOSED:
        return Case.objects.filter(owner_unit_id__in=units, status=Status.CLOSED)
    raise ValueError(name)  # pragma: no cover - the overdue queue is built by _queue_cases


def _page(cases: QuerySet[Case], size: int, order: tuple[str, ...] = ("-pk",)) -> Page:
    return _page_from(_rows_of(cases, size, order), size)


def _rows_of(
    cases: QuerySet[Case], size: int, order: tuple[str, ...]
) -> QuerySet[Case, tuple[Any, ...]]:
    """A page's rows and one more (whether there is a next page), as `LISTED` values."""
    return cases.order_by(*order).values_list(*LISTED)[: size + 1]


def _page_from(rows: Iterable[tuple[Any, ...]], size: int) -> Page:
    listed = [_listed(row) for row in rows]
    return Page(
        cases=listed[:size], next_cursor=listed[size - 1].pk if len(listed) > size else None
    )


def _listed(row: tuple[Any, ...]) -> Listed:
    handler = None if row[18] is None else ListedPerson(*row[18:22])
    fields = (*row[:12], Named(*row[12:15]), Named(*row[15:18]), handler)
    return Listed(*fields)


# What a queue row and the API's case summary show (`Listed`), in its field order, and nothing
# else: not the description, the case type's search text and service description, nor the
# handler's password hash (at 50 rows the unused columns were a third of the query's transfer).
LISTED = (
    "pk",
    "registration_number",
    "subject",
    "status",
    "channel",
    "due_date",
    "is_secret",
    "created_at",
    "updated_at",
    "closed_at",
    "leg_started_at",
    "resolved_at_first_contact",
    "case_type_id",
    "case_type__code",
    "case_type__name",
    "owner_unit_id",
    "owner_unit__code",
    "owner_unit__name",
    "handler_id",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
)


def _filtered(cases: QuerySet[Case], filters: QueueFilter | None) -> QuerySet[Case]:
    if filters is None:
        return cases
    if filters.case_type:
        cases = cases.filter(case_type_id=filters.case_type)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.text:
        cases = cases.filter(pk__in=_search_ids(filters.text))
    return cases


def _search_ids(text: str, *, above: int | None = None, below: int | None = None) -> QuerySet[Case]:
    sql = matching_case_ids_sql(text, above=above, below=below)
    if sql is None:
        return Case.objects.none()
    query, params = sql
    return Case.objects.filter(pk__in=RawSQL(query, params))  # noqa: S611 - fixed SQL, bound params


SEARCH_WINDOWS: tuple[int | None, ...] = (20_000, 200_000, None)
WINDOW_MATCHES = 1_000  # at most this many matches of a window are passed on as a list


def _id_list(ids: list[int]) -> RawSQL:
    """The ids as one bound parameter (an array, or JSON on SQLite): Django would otherwise
    compile one placeholder per id into each branch of the union."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def _window_matches(text: str, *, above: int, below: int) -> list[int]:
    """Up to WINDOW_MATCHES + 1 ids of cases in the window that match (no access rule yet)."""
    sql = matching_case_ids_sql(text, above=above, below=below)
    if sql is None:
        return []
    query, params = sql
    with connection.cursor() as cursor:
        cursor.execute(f"{query} LIMIT %s", [*params, WINDOW_MATCHES + 1])  # type: ignore[list-item]
        return [row[0] for row in cursor.fetchall()]


REGISTRATION_NUMBER = re.compile(r"^([A-ZÅÄÖa-zåäö]{1,10})\s*(\d{4})/(\d{1,7})$")


def _visible_matches(
    person: Person, text: str, *, above: int | None, below: int, limit: int
) -> list[int]:
    """Ids of matching cases the person may read, newest first.

    The access rule is an OR of three relations (owned, offered, owned before); asked as one
    condition the planner checks every match against all three. Asked as a union of one query
    per relation, each branch has a selective side and an index to use.
    """
    scope = scope_of(person)
    units = scope.all_units
    matching: Any = _search_ids(text, above=above, below=below)  # a subquery or a list of ids
    if above is not None:
        # In a window the matches are few: read them once and give each branch the list, rather
        # than have every branch of the union scan the word index and the heap again.
        found = _window_matches(text, above=above, below=below)
        if not found:
            return []
        if len(found) <= WINDOW_MATCHES:
            matching = _id_list(found)
    parts = [
        Case.objects.filter(owner_unit_id__in=units, pk__in=matching),
        Case.objects.filter(
            pk__in=Handover.objects.filter(to_unit_id__in=units, status=HandoverStatus.OPEN).values(
                "case_id"
            )
        ).filter(pk__in=matching),
        Case.objects.filter(
            is_secret=False,
            pk__in=Handover.objects.filter(
                from_unit_id__in=units, status=HandoverStatus.ACCEPTED
            ).values("case_id"),
        ).filter(pk__in=matching),
    ]
    if scope.registrar:
        parts.append(Case.objects.filter(is_secret=False, pk__in=matching))
    first, *rest = (part.order_by().values_list("pk", flat=True) for part in parts)
    return list(first.union(*rest).order_by("-pk")[:limit])


def _newest_case_id() -> int:
    newest = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    return newest or 0


def search(person: Person, text: str, *, before: int | None = None, size: int = 50) -> Page:
    """Full-text search in Swedish over the cases this person may read."""
    # A common word can match tens of thousands of cases. Look in a window of the newest cases
    # first (the database intersects the word index with the primary key and reads only that
    # window), widening it only while the page is not full; then load just the page's rows.
    if not person.is_active:
        return Page(cases=[], next_cursor=None)
    number = REGISTRATION_NUMBER.match(text.strip())
    if number:
        prefix, year, serial = number.groups()
        wanted = f"{prefix.upper()} {year}/{int(serial):05d}"
        ids = list(
            visible_to(person).filter(registration_number=wanted).values_list("pk", flat=True)
        )
    else:
        top = before if before is not None else (_newest_case_id() + 1)
        ids = []
        below = top
        for window in SEARCH_WINDOWS:
            # Each wider window reads only the cases older than the last one read: what that
            # found is kept (it is all newer), so no part of the index is searched twice.
            above = top - window if window is not None else None
            ids += _visible_matches(
                person, text, above=above, below=below, limit=size + 1 - len(ids)
            )
            if len(ids) > size or above is None or above <= 0:
                break
            below = above + 1
    return _page(Case.objects.filter(pk__in=ids), size)


# --- what the staff pages show beside a case --------------------------------------------------


def attachments_of(case: Case) -> list[Attachment]:
    """The files of a case the reader has already been allowed to see, oldest first."""
    return _ATTACHMENTS(case=case.pk)


_ATTACHMENTS: Prepared[Attachment] = Prepared(
    lambda case: Attachment.objects.filter(case_id=case).order_by("id"), case=int
)


def attachment_for(person: Person, case_id: int | str, attachment_id: int | str) -> Attachment:
    """An attachment of a case this person may read (the read of a secret case is logged)."""
    case = get_case_for(person, case_id, where="attachment")
    try:
        return Attachment.objects.get(case=case, pk=int(attachment_id))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise CaseNotFound from None


@dataclass(frozen=True, slots=True)
class OpenOffer:
    """What a queue row says of a case's open offer."""

    to_unit: str
    answer_by: datetime


def open_offers_by_case(case_ids: list[int]) -> dict[int, OpenOffer]:
    """The open offer of each of these cases (for queue rows), in one query."""
    fields = _OPEN_OFFERS(cases=case_ids)
    return {case_id: OpenOffer(unit, answer_by) for case_id, unit, answer_by in fields}


# Once per queue page; a page's number of rows is one of a few (decision 0007).
_OPEN_OFFERS: Prepared[tuple[int, str, datetime]] = Prepared(
    lambda cases: (
        Handover.objects.filter(case_id__in=cases, status=HandoverStatus.OPEN)
        .order_by()
        .values_list("case_id", "to_unit__name", "answer_by")
    ),
    cases=list,
)


def incoming_offers(
    person: Person, *, before: int | None = None, size: int = 50
) -> tuple[list[Handover], int | None]:
    """One page of the open offers to the person's units, newest first (keyset on the offer id)."""
    units = scope_of(person).all_units
    if not person.is_active or not units:
        return [], None
    offers = Handover.objects.filter(to_unit_id__in=units, status=HandoverStatus.OPEN)
    if before is not None:
        offers = offers.filter(pk__lt=before)
    rows = list(
        offers.select_related(
            "case",
            "case__case_type",
            "case__owner_unit",
            "from_unit",
            "to_unit",
            "to_person",
            "offered_by",
        ).order_by("-pk")[: size + 1]
    )
    return rows[:size], rows[size - 1].pk if len(rows) > size else None


def handover_targets(case: Case) -> QuerySet[Unit]:
    """The units a case can be offered to: every other active unit of its municipality."""
    return handover_targets_of(case.owner_unit.municipality_id, case.owner_unit_id)


def handover_targets_of(municipality_id: int, owner_unit_id: int) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(municipality_id=municipality_id, is_active=True)
        .exclude(pk=owner_unit_id)
        .order_by("name")
    )


def active_unit(unit_id: int) -> Unit | None:
    return Unit.objects.filter(pk=unit_id, is_active=True).first()


@dataclass(frozen=True)
class Counts:
    """What waits for a person, for the start page and the menu."""

    mine: int
    unassigned: int
    incoming: int
    overdue_offers: int


def counts_for(person: Person) -> Counts:
    """Four counts in four index-backed queries: my open cases, my units' unassigned ones,
    offers to my units, and offers to or from my units past their answer time."""
    units = scope_of(person).all_units
    if not person.is_active:
        return Counts(0, 0, 0, 0)
    open_offers = Handover.objects.filter(status=HandoverStatus.OPEN)
    return Counts(
        mine=Case.objects.filter(
            handler=person, owner_unit_id__in=units, status__in=list(OPEN_STATUSES)
        ).count(),
        unassigned=Case.objects.filter(
            owner_unit_id__in=units,
            handler__isnull=True,
            status__in=[Status.NEW, Status.IN_PROGRESS],
        ).count(),
        incoming=open_offers.filter(to_unit_id__in=units).count(),
        overdue_offers=open_offers.filter(
            Q(to_unit_id__in=units) | Q(from_unit_id__in=units), answer_by__lt=timezone.now()
        ).count(),
    )
