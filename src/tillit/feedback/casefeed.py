"""The feedback app's direct reads of the case tables, outside the aggregates in `measures`.

The cases app offers no query for "cases closed since the last run", and its append-only log
already is that feed: status events have growing ids. Reading it here, read-only, keeps the
survey scheduler from touching the cases app's rules (decision record 0700).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from tillit.cases.models import Case, CaseEvent, Party
from tillit.cases.states import EventKind, Status

# A transaction that took its event id early may commit after later ids were read. Ids missing
# below the highest one read are kept as gaps and looked at again on the next runs, for this
# long; a gap still empty after that was a rolled-back insert and is forgotten.
GAP_SECONDS = 15 * 60


@dataclass(frozen=True)
class ClosedCase:
    case_id: int
    owner_unit_id: int
    case_type_id: int
    channel: str
    closed_at: datetime
    is_secret: bool


def latest_event_id() -> int:
    return CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@dataclass(frozen=True)
class Position:
    """Where a reader of the case log stands: the highest event id read and the ids below it
    that were not there yet ({id: unix time first missed})."""

    last: int
    gaps: dict[int, float]


def closed_after(
    position: Position, *, now: float, limit: int = 5000
) -> tuple[list[ClosedCase], Position]:
    """Cases closed by events after `position` (or in its gaps) that are still closed, and the
    position to continue from."""
    gaps = {pk: seen for pk, seen in position.gaps.items() if now - seen < GAP_SECONDS}
    events = list(
        CaseEvent.objects.filter(Q(pk__gt=position.last) | Q(pk__in=list(gaps)))
        .order_by("pk")
        .values_list("pk", "case_id", "kind", "data")[:limit]
    )
    last = position.last
    for pk, *_rest in events:
        gaps.pop(pk, None)
        if pk > last:
            gaps.update(dict.fromkeys(range(last + 1, pk), now))
            last = pk
    ids = {
        case_id
        for _pk, case_id, kind, data in events
        if kind == EventKind.STATUS and (data or {}).get("to") == Status.CLOSED
    }
    cases = Case.objects.filter(pk__in=ids, status=Status.CLOSED, closed_at__isnull=False)
    closed = [
        ClosedCase(case_id, unit, kind, channel, closed_at, secret)
        for case_id, unit, kind, channel, closed_at, secret in cases.values_list(
            "pk", "owner_unit_id", "case_type_id", "channel", "closed_at", "is_secret"
        )
        if closed_at is not None
    ]
    return closed, Position(last, gaps)


def case_summary(case_id: int) -> tuple[str, bool, str] | None:
    """(registration number, secret, citizen's e-mail) for the survey e-mail."""
    row = (
        Case.objects.filter(pk=case_id)
        .values_list("registration_number", "is_secret", "party_id")
        .first()
    )
    if row is None:
        return None
    number, secret, party_id = row
    email = ""
    if party_id is not None:
        email = Party.objects.filter(pk=party_id).values_list("email", flat=True).first() or ""
    return number, secret, email
