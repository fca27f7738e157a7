"""The endpoints: parse, call one gateway and one action, render. No business rules here.

Every case is reached through `get_case_for` and every offer through `handover_for`, so a case
the caller may not see and a case that does not exist give the same 404.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.params.functions import Header, Path, Query

from tillit.api import queries as api_queries
from tillit.api.problems import ProblemOut, field_problem
from tillit.api.schemas import (
    AcceptIn,
    CaseIn,
    CaseOut,
    CasePageOut,
    CaseTypeOut,
    ChannelName,
    EventOut,
    EventPageOut,
    HandoverIn,
    HandoverOut,
    HandoverPageOut,
    QueueName,
    ReturnIn,
    StatusIn,
    StatusName,
    TextIn,
    WithdrawIn,
    case_detail,
    case_summary,
    case_type_out,
    event_out,
    handover_out,
)
from tillit.cases import actions, queries
from tillit.cases.models import Case
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.organisation.models import Person

router = Router()

MAX_ID = 2**63 - 1


def _case_id() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="The case's id.")


def _handover_id() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="The hand-over's id.")


def _limit() -> Any:
    return Query(50, ge=1, le=100, description="Page size (1–100).")


def _cursor_param() -> Any:
    return Query(None, max_length=20, description="`next_cursor` from the previous page.")


_READ: dict[int | frozenset[int], Any] = {
    401: ProblemOut,
    404: ProblemOut,
    422: ProblemOut,
    503: ProblemOut,  # the database cannot be reached just now: retry after Retry-After
}
_WRITE: dict[int | frozenset[int], Any] = {
    400: ProblemOut,  # the body is not JSON
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    409: ProblemOut,
    422: ProblemOut,
    503: ProblemOut,
}


def _person(request: HttpRequest) -> Person:
    person: Person = request.auth  # type: ignore[attr-defined]
    return person


def _cursor(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or int(value) > MAX_ID:
        raise field_problem(
            "cursor", _("The cursor is not valid; start from the first page."), "invalid_cursor"
        )
    return int(value)


def _next(value: int | None) -> str | None:
    return None if value is None else str(value)


# --- cases --------------------------------------------------------------------------------------


@router.get("/cases", response={200: CasePageOut, **_READ}, tags=["cases"])
def list_cases(
    request: HttpRequest,
    queue: QueueName | None = Query(  # noqa: B008 - ninja's parameter declaration
        None, description="Which queue; default `unit` without `q`."
    ),
    case_type: str | None = Query(None, max_length=60, description="A case type's id or code."),
    status: StatusName | None = None,
    channel: ChannelName | None = None,
    q: str = Query("", max_length=200, description="Full-text search in Swedish."),
    cursor: str | None = _cursor_param(),
    limit: int = _limit(),
) -> Any:
    """Cases in a queue, newest first, or (with `q` and no `queue`) every case you may read
    that matches the search. Keyset pagination: pass `next_cursor` back as `cursor`."""
    person = _person(request)
    before = _cursor(cursor)
    if queue is None and q.strip():
        if case_type or status or channel:
            raise field_problem(
                "queue",
                _("Choose a queue to filter a search by case type, status or channel."),
                "queue_required",
            )
        page = queries.search(person, q, before=before, size=limit)
    else:
        type_id = None
        if case_type:
            found = api_queries.case_type_by_id_or_code(case_type)
            if found is None:
                raise field_problem(
                    "case_type",
                    _("There is no case type %(value)s.") % {"value": case_type},
                    "unknown_case_type",
                )
            type_id = found.pk
        filters = queries.QueueFilter(
            case_type=type_id, status=status, channel=channel, text=q.strip() or None
        )
        page = queries.queue(
            person, queries.Queue(queue or "unit"), filters=filters, before=before, size=limit
        )
    return {"items": [case_summary(c) for c in page.cases], "next_cursor": _next(page.next_cursor)}


def _submission_key(person: Person, key: str) -> str:
    """Keys are per caller: two integrations choosing the same key never meet each other's case."""
    return hashlib.sha256(f"api:{person.pk}:{key}".encode()).hexdigest()


@router.post("/cases", response={200: CaseOut, 201: CaseOut, **_WRITE}, tags=["cases"])
def register_case(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="Retrying with the same key returns the first case (200) instead of a new one.",
    ),
) -> Any:
    """Register a case. Its owner follows the case type's routing."""
    person = _person(request)
    case_type = api_queries.case_type_by_id_or_code(payload.case_type)
    if case_type is None:
        raise field_problem(
            "case_type",
            _("There is no case type %(value)s.") % {"value": payload.case_type},
            "unknown_case_type",
        )
    party = None
    if payload.party is not None:
        party = PartyInput(**payload.party.dict())
    key = _submission_key(person, idempotency_key) if idempotency_key else None

    def register() -> Case:
        return actions.register_case(
            channel=Channel(payload.channel),
            subject=payload.subject,
            description=payload.description,
            case_type=case_type,
            by=person,
            party=party,
            submission_key=key,
        )

    if key is None:
        return Status(201, case_detail(register(), None))
    # One transaction, so "did it exist?" and the registration see the same database: on SQLite
    # the write lock is taken at its start; on PostgreSQL a concurrent twin fails the unique key.
    with transaction.atomic():
        replayed = api_queries.submission_exists(key)
        try:
            case = register()
        except IntegrityError:
            case = register()  # a concurrent twin made it first: answer with that case
            replayed = True
    if not replayed:
        return Status(201, case_detail(case, None))
    # Subject and description never change after registration (the case type may, at triage).
    if (case.subject, case.description) != (payload.subject.strip(), payload.description.strip()):
        raise field_problem(
            "Idempotency-Key",
            _("This key was already used for another case; use a new key for a new case."),
            "idempotency_key_reused",
        )
    return Status(200, case_detail(case, queries.open_offer(case)))


@router.get("/cases/{case_id}", response={200: CaseOut, **_READ}, tags=["cases"])
def get_case(request: HttpRequest, case_id: int = _case_id()) -> Any:
    """One case with its citizen (personnummer masked) and any open hand-over."""
    case = queries.get_case_for(_person(request), case_id, where="api")
    return case_detail(case, queries.open_offer(case))


@router.get("/cases/{case_id}/events", response={200: EventPageOut, **_READ}, tags=["cases"])
def list_events(
    request: HttpRequest,
    case_id: int = _case_id(),
    cursor: str | None = _cursor_param(),
    limit: int = Query(100, ge=1, le=500, description="Page size (1–500)."),
) -> Any:
    """The case log, oldest first: the log is the case's documentation."""
    case = queries.get_case_for(_person(request), case_id, where="api")
    events = queries.events_of(case)
    after = _cursor(cursor)
    if after is not None:
        events = events.filter(pk__gt=after)
    rows = list(events[: limit + 1])
    next_cursor = rows[limit - 1].pk if len(rows) > limit else None
    return {"items": [event_out(e) for e in rows[:limit]], "next_cursor": _next(next_cursor)}


@router.post("/cases/{case_id}/notes", response={201: EventOut, **_WRITE}, tags=["cases"])
def add_note(request: HttpRequest, payload: TextIn, case_id: int = _case_id()) -> Any:
    """An internal note for colleagues; never shown to the citizen."""
    person = _person(request)
    case = queries.get_case_for(person, case_id, where="api")
    return Status(201, event_out(actions.add_note(case=case, by=person, body=payload.body)))


@router.post("/cases/{case_id}/replies", response={201: EventOut, **_WRITE}, tags=["cases"])
def add_reply(request: HttpRequest, payload: TextIn, case_id: int = _case_id()) -> Any:
    """A reply to the citizen, sent by e-mail when the case has an address."""
    person = _person(request)
    case = queries.get_case_for(person, case_id, where="api")
    return Status(201, event_out(actions.add_reply(case=case, by=person, body=payload.body)))


_STATUS_ACTIONS: dict[str, Callable[[Case, Person, str], Case]] = {
    "start": lambda case, by, text: actions.start_work(case=case, by=by),
    "wait": lambda case, by, text: actions.wait_for_citizen(case=case, by=by, body=text),
    "close": lambda case, by, text: actions.close_case(case=case, by=by, resolution=text),
    "reopen": lambda case, by, text: actions.reopen_case(case=case, by=by, reason=text),
    "cancel": lambda case, by, text: actions.cancel_case(case=case, by=by, reason=text),
}


@router.post("/cases/{case_id}/status", response={200: CaseOut, **_WRITE}, tags=["cases"])
def change_status(request: HttpRequest, payload: StatusIn, case_id: int = _case_id()) -> Any:
    """Start, wait for the citizen, close, reopen or cancel: one named action each."""
    person = _person(request)
    case = queries.get_case_for(person, case_id, where="api")
    changed = _STATUS_ACTIONS[payload.action](case, person, payload.text)
    return case_detail(changed, queries.open_offer(changed))


@router.post(
    "/cases/{case_id}/handovers", response={201: HandoverOut, **_WRITE}, tags=["handovers"]
)
def offer_handover(request: HttpRequest, payload: HandoverIn, case_id: int = _case_id()) -> Any:
    """Offer the case to another unit. Your unit owns it until the offer is accepted."""
    person = _person(request)
    case = queries.get_case_for(person, case_id, where="api")
    to_unit = api_queries.unit_by_id(payload.to_unit)
    if to_unit is None:
        raise field_problem("to_unit", _("There is no such unit."), "unknown_unit")
    to_person = None
    if payload.to_person is not None:
        to_person = api_queries.person_by_id(payload.to_person)
        if to_person is None:
            raise field_problem("to_person", _("There is no such person."), "unknown_person")
    handover = actions.offer_handover(
        case=case,
        to_unit=to_unit,
        by=person,
        done=payload.done,
        expected=payload.expected,
        to_person=to_person,
    )
    return Status(201, handover_out(api_queries.handover_detail(handover.pk)))


# --- hand-overs ---------------------------------------------------------------------------------


@router.get("/handovers", response={200: HandoverPageOut, **_READ}, tags=["handovers"])
def list_handovers(
    request: HttpRequest,
    direction: api_queries.Direction = Query(  # noqa: B008 - ninja's parameter declaration
        "incoming", description="incoming or outgoing"
    ),
    status: str = Query(
        "open",
        pattern="^(open|accepted|returned|withdrawn|all)$",
        description="open (default), accepted, returned, withdrawn or all.",
    ),
    cursor: str | None = _cursor_param(),
    limit: int = _limit(),
) -> Any:
    """Offers to your units (incoming) or from them (outgoing), newest first."""
    rows, next_cursor = api_queries.handovers_of(
        _person(request),
        direction,
        status=None if status == "all" else status,
        before=_cursor(cursor),
        size=limit,
    )
    return {"items": [handover_out(h) for h in rows], "next_cursor": _next(next_cursor)}


@router.post(
    "/handovers/{handover_id}/accept", response={200: HandoverOut, **_WRITE}, tags=["handovers"]
)
def accept_handover(
    request: HttpRequest, payload: AcceptIn, handover_id: int = _handover_id()
) -> Any:
    """Accept an offer to your unit: from now on your unit owns the case."""
    person = _person(request)
    handover = queries.handover_for(person, handover_id)
    handler = None
    if payload.handler is not None:
        handler = api_queries.person_by_id(payload.handler)
        if handler is None:
            raise field_problem("handler", _("There is no such person."), "unknown_person")
    actions.accept_handover(handover=handover, by=person, handler=handler)
    return handover_out(api_queries.handover_detail(handover.pk))


@router.post(
    "/handovers/{handover_id}/return", response={200: HandoverOut, **_WRITE}, tags=["handovers"]
)
def return_handover(
    request: HttpRequest, payload: ReturnIn, handover_id: int = _handover_id()
) -> Any:
    """Decline an offer with a reason; the case stays with the sender."""
    person = _person(request)
    handover = queries.handover_for(person, handover_id)
    actions.return_handover(handover=handover, by=person, reason=payload.reason)
    return handover_out(api_queries.handover_detail(handover.pk))


@router.post(
    "/handovers/{handover_id}/withdraw", response={200: HandoverOut, **_WRITE}, tags=["handovers"]
)
def withdraw_handover(
    request: HttpRequest, payload: WithdrawIn, handover_id: int = _handover_id()
) -> Any:
    """Take back an offer your unit made."""
    person = _person(request)
    handover = queries.handover_for(person, handover_id)
    actions.withdraw_handover(handover=handover, by=person, reason=payload.reason)
    return handover_out(api_queries.handover_detail(handover.pk))


# --- catalogue ----------------------------------------------------------------------------------


@router.get("/case-types", response={200: list[CaseTypeOut], **_READ}, tags=["catalogue"])
def list_case_types(
    request: HttpRequest, q: str = Query("", max_length=200, description="Search words.")
) -> Any:
    """Active case types, to choose `case_type` when registering."""
    return [case_type_out(t) for t in api_queries.case_types(q)]
