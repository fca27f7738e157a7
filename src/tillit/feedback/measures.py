"""The service measures: facts about each case, rolled up by day, and the dashboard figures.

This is the analytics room (decision record 0700). It reads the cases tables directly and only
reads them: aggregates over a million cases cannot go through the access gateway one case at a
time, and every figure it produces is a count, never a case. Nothing leaves this module that
names a case or a person.

Definitions (also shown on the dashboard page):
- A *leg* is one unit's ownership of a case: from registration, or from the accepted hand-over
  that gave it the case, until the next accepted hand-over or the closing (an open offer does not
  end a leg: the sender owns the case until the receiver accepts). A leg is a contact-centre leg
  when its unit is the contact centre or a team in it, otherwise an administration leg.
- *Time to help* counts working days (Swedish public holidays, Midsummer Eve, Christmas Eve and
  New Year's Eve, and the municipality's own closed days are not working days) from the day a
  case or leg began to the day it ended; the same day is 0. Figures are for closed cases, dated
  by the closing day.
- *People the citizen dealt with*: the different staff who replied, gave oral information or sent
  e-mail on the case, and who registered it when the citizen called or visited.
- An e-mail is *answered* by the first reply or e-mail a member of staff sends on the case (an
  automatic acknowledgement is not an answer).
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from tillit.cases.models import Case, CaseEvent, Handover
from tillit.cases.states import Channel, EventKind, HandoverStatus, Status
from tillit.core.workdays import is_working_day
from tillit.feedback.models import (
    DurationDay,
    FlowDay,
    RollupRun,
    Survey,
    SurveyAnswer,
)
from tillit.feedback.states import Measure, index_value
from tillit.organisation.models import Unit, UnitKind
from tillit.organisation.queries import closed_days

CHUNK = 5000
IN_PERSON = frozenset({Channel.PHONE, Channel.VISIT})
CITIZEN_FACING = frozenset({EventKind.REPLY, EventKind.ORAL_INFORMATION, EventKind.EMAIL_OUT})
ANSWERS = frozenset({EventKind.REPLY, EventKind.EMAIL_OUT})
_EVENT_KINDS = [k.value for k in CITIZEN_FACING | {EventKind.CREATED}]


# --- working days, fast -------------------------------------------------------------------------


class WorkdayClock:
    """`tillit.core.workdays.working_days_between` in constant time per question.

    The roll-up asks it millions of times; a running count of working days from a first date
    answers each question with one subtraction.
    """

    def __init__(self, extra_closed: Iterable[date] = ()) -> None:
        self.closed = frozenset(extra_closed)
        self._first: date | None = None
        self._count: list[int] = []

    def _ensure(self, day: date) -> None:
        if self._first is None or day < self._first:
            last = self._first + timedelta(days=len(self._count) - 1) if self._first else day
            self._first = day - timedelta(days=366)
            self._count = []
            self._extend(max(last, day))
        elif day >= self._first + timedelta(days=len(self._count)):
            self._extend(day + timedelta(days=366))

    def _extend(self, until: date) -> None:
        assert self._first is not None
        current = self._first + timedelta(days=len(self._count))
        total = self._count[-1] if self._count else 0
        while current <= until:
            if self._count and is_working_day(current, self.closed):
                total += 1
            self._count.append(total)
            current += timedelta(days=1)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        first = self._first
        if first is None or not (
            0 <= (start - first).days < len(self._count)
            and 0 <= (end - first).days < len(self._count)
        ):
            self._ensure(min(start, end))
            self._ensure(max(start, end))
            first = self._first
            assert first is not None
        return self._count[(end - first).days] - self._count[(start - first).days]


@cache
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime) -> date:
    """The day in the municipality's time zone (one zone per installation: TIME_ZONE)."""
    return moment.astimezone(_zone()).date()


# --- facts about one case -----------------------------------------------------------------------


@dataclass
class Leg:
    unit_id: int
    start: datetime
    end: datetime | None


@dataclass
class CaseFacts:
    case_id: int
    channel: str
    case_type_id: int
    created_at: datetime
    closed_at: datetime | None  # only for cases that are closed now (not cancelled, not open)
    first_contact: bool
    legs: list[Leg]
    handovers: int
    people: int
    first_answer_at: datetime | None

    @property
    def registering_unit(self) -> int:
        return self.legs[0].unit_id

    @property
    def owner_unit(self) -> int:
        return self.legs[-1].unit_id


@dataclass
class _Handover:
    from_unit: int
    to_unit: int
    at: datetime


def _facts(
    row: tuple[int, str, int, int, str, datetime, datetime | None, bool],
    handovers: list[_Handover],
    events: list[tuple[str, datetime, int | None]],
) -> CaseFacts:
    case_id, channel, case_type_id, owner, status, created_at, closed_at, first_contact = row
    closed = closed_at if status == Status.CLOSED else None
    legs: list[Leg] = []
    unit = handovers[0].from_unit if handovers else owner
    start = created_at
    for handover in handovers:
        legs.append(Leg(unit, start, handover.at))
        unit, start = handover.to_unit, handover.at
    legs.append(Leg(unit, start, closed))
    people: set[int] = set()
    first_answer: datetime | None = None
    for kind, at, actor in events:
        if actor is None:
            continue  # the citizen or the system: not a member of staff
        if kind in CITIZEN_FACING or (kind == EventKind.CREATED and channel in IN_PERSON):
            people.add(actor)
        if kind in ANSWERS and (first_answer is None or at < first_answer):
            first_answer = at
    return CaseFacts(
        case_id=case_id,
        channel=channel,
        case_type_id=case_type_id,
        created_at=created_at,
        closed_at=closed,
        first_contact=first_contact,
        legs=legs,
        handovers=len(handovers),
        people=len(people),
        first_answer_at=first_answer,
    )


def case_facts(case_ids: Iterable[int]) -> Iterator[CaseFacts]:
    """Facts for the given cases, read a chunk at a time (three queries per chunk)."""
    ids = sorted(set(case_ids))
    for offset in range(0, len(ids), CHUNK):
        chunk = ids[offset : offset + CHUNK]
        wanted = set(chunk)
        # Dense runs of ids (the usual case: recent cases) are read by range, which is one index
        # range scan instead of a list of thousands of parameters.
        dense = chunk[-1] - chunk[0] < 2 * len(chunk)
        lookup = (
            {"case_id__gte": chunk[0], "case_id__lte": chunk[-1]}
            if dense
            else {"case_id__in": chunk}
        )
        handovers: dict[int, list[_Handover]] = defaultdict(list)
        for case_id, from_unit, to_unit, at in (
            Handover.objects.filter(status=HandoverStatus.ACCEPTED, **lookup)
            .order_by("case_id", "answered_at", "pk")
            .values_list("case_id", "from_unit_id", "to_unit_id", "answered_at")
        ):
            if at is not None:
                handovers[case_id].append(_Handover(from_unit, to_unit, at))
        events: dict[int, list[tuple[str, datetime, int | None]]] = defaultdict(list)
        for case_id, kind, at, actor in CaseEvent.objects.filter(
            kind__in=_EVENT_KINDS, **lookup
        ).values_list("case_id", "kind", "at", "actor_id"):
            events[case_id].append((kind, at, actor))
        cases = (
            Case.objects.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
            if dense
            else Case.objects.filter(pk__in=chunk)
        )
        rows = cases.values_list(
            "pk",
            "channel",
            "case_type_id",
            "owner_unit_id",
            "status",
            "created_at",
            "closed_at",
            "resolved_at_first_contact",
        )
        for row in rows:
            if row[0] in wanted:
                yield _facts(row, handovers.get(row[0], []), events.get(row[0], []))


# --- the roll-up --------------------------------------------------------------------------------


def leg_measures() -> dict[int, Measure]:
    """Each unit's kind of leg: the contact centre and its teams, or an administration."""
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    kinds = dict(Unit.objects.values_list("pk", "kind"))

    def root(unit_id: int) -> int:
        seen = set()
        while parents.get(unit_id) is not None and unit_id not in seen:
            seen.add(unit_id)
            unit_id = parents[unit_id]
        return unit_id

    return {
        unit_id: Measure.CENTRE
        if kinds[root(unit_id)] == UnitKind.CONTACT_CENTRE
        else Measure.ADMINISTRATION
        for unit_id in kinds
    }


@dataclass
class _Tally:
    first_day: date
    last_day: date
    flow: defaultdict[tuple[date, int, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    durations: Counter[tuple[date, int, int, str, int]] = field(default_factory=Counter)

    def count(self, day: date, unit: int, channel: str, **values: int) -> None:
        if self.first_day <= day <= self.last_day:
            self.flow[(day, unit, channel)].update(values)

    def duration(self, day: date, unit: int, case_type: int, measure: str, days: int) -> None:
        if self.first_day <= day <= self.last_day:
            self.durations[(day, unit, case_type, measure, days)] += 1


def _tally_case(
    tally: _Tally, facts: CaseFacts, clock: WorkdayClock, kinds: dict[int, Measure]
) -> None:
    kind, channel = facts.case_type_id, facts.channel
    created = local_day(facts.created_at)
    registered_at = facts.registering_unit
    email: dict[str, int] = {}
    if channel == Channel.EMAIL and facts.first_answer_at is not None:
        waited = clock.between(created, local_day(facts.first_answer_at))
        email = {"email_1wd": int(waited <= 1), "email_2wd": int(waited <= 2)}
    tally.count(
        created,
        registered_at,
        channel,
        registered=1,
        first_contact=int(facts.first_contact),
        **email,
    )
    for leg in facts.legs:
        tally.count(local_day(leg.start), leg.unit_id, channel, arrived=1)
    if facts.closed_at is None:
        return
    closed = local_day(facts.closed_at)
    owner = facts.owner_unit
    handover_bucket = "handovers_2plus" if facts.handovers >= 2 else f"handovers_{facts.handovers}"
    people_bucket = "people_3plus" if facts.people >= 3 else f"people_{facts.people}"
    tally.count(
        closed,
        owner,
        channel,
        closed=1,
        handovers=facts.handovers,
        people=facts.people,
        **{handover_bucket: 1, people_bucket: 1},
    )
    # A leg cannot end before it began; imported histories sometimes say so, and count it as 0.
    tally.duration(closed, owner, kind, Measure.CASE, max(0, clock.between(created, closed)))
    for leg in facts.legs:
        end = leg.end or facts.closed_at
        days = max(0, clock.between(local_day(leg.start), local_day(end)))
        tally.duration(closed, leg.unit_id, kind, kinds.get(leg.unit_id, Measure.CENTRE), days)


def _tally_surveys(tally: _Tally, start: datetime) -> None:
    answers = SurveyAnswer.objects.filter(answered_at__gte=start).values_list(
        "answered_at", "unit_id", "channel", "treatment", "got_help", "ease"
    )
    for at, unit, channel, treatment, got_help, ease in answers:
        tally.count(
            local_day(at),
            unit,
            channel,
            answers=1,
            treatment_sum=index_value(treatment),
            help_sum=index_value(got_help),
            ease_sum=index_value(ease),
        )
    for sent, unit, channel in Survey.objects.filter(sent_at__gte=start).values_list(
        "sent_at", "unit_id", "channel"
    ):
        if sent is not None:
            tally.count(local_day(sent), unit, channel, surveys_sent=1)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def cases_touching(since: datetime) -> set[int]:
    """Cases with anything to count since `since`: registered, closed or handed over."""
    ids = set(
        Case.objects.filter(Q(created_at__gte=since) | Q(closed_at__gte=since)).values_list(
            "pk", flat=True
        )
    )
    ids.update(
        Handover.objects.filter(status=HandoverStatus.ACCEPTED, answered_at__gte=since).values_list(
            "case_id", flat=True
        )
    )
    return ids


def roll_up(*, first_day: date | None = None, last_day: date | None = None) -> RollupRun:
    """Rebuild the daily figures from `first_day` to `last_day` (default: the window set by
    TILLIT_ROLLUP_DAYS, up to today). Days outside the range are left as they are.

    The days are replaced in one transaction, so a dashboard never reads half a day.
    """
    started = time.perf_counter()
    started_at = timezone.now()
    today = timezone.localdate()
    last_day = last_day or today
    first_day = first_day or today - timedelta(days=settings.TILLIT_ROLLUP_DAYS - 1)
    since = _midnight(first_day)
    municipality_ids = set(Unit.objects.values_list("municipality_id", flat=True))
    closed: frozenset[date] = frozenset().union(*(closed_days(m) for m in municipality_ids))
    clock = WorkdayClock(closed)
    kinds = leg_measures()
    tally = _Tally(first_day, last_day)
    touched = cases_touching(since)
    for facts in case_facts(touched):
        _tally_case(tally, facts, clock, kinds)
    _tally_surveys(tally, since)
    flows = [
        FlowDay(day=day, unit_id=unit, channel=channel, **values)
        for (day, unit, channel), values in tally.flow.items()
    ]
    durations = [
        DurationDay(
            day=day, unit_id=unit, case_type_id=kind, measure=measure, working_days=days, count=n
        )
        for (day, unit, kind, measure, days), n in tally.durations.items()
    ]
    with transaction.atomic():
        FlowDay.objects.filter(day__gte=first_day, day__lte=last_day).delete()
        DurationDay.objects.filter(day__gte=first_day, day__lte=last_day).delete()
        FlowDay.objects.bulk_create(flows, batch_size=2000)
        DurationDay.objects.bulk_create(durations, batch_size=2000)
        return RollupRun.objects.create(
            first_day=first_day,
            last_day=last_day,
            started_at=started_at,
            seconds=time.perf_counter() - started,
            cases_read=len(touched),
            rows_written=len(flows) + len(durations),
        )


def first_case_day() -> date | None:
    first = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return local_day(first) if first else None


# --- reading the roll-ups -------------------------------------------------------------------------


def percentile(histogram: dict[int, int], q: float) -> int | None:
    """The nearest-rank percentile of a histogram {value: count}: exact for whole days."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover - the loop always reaches the rank


_COUNTERS = [
    f.name for f in FlowDay._meta.get_fields() if f.get_internal_type() == "PositiveIntegerField"
]


@dataclass(frozen=True)
class Scope:
    """Which figures a dashboard shows: a set of units (None: the whole municipality) and days."""

    units: frozenset[int] | None
    first_day: date
    last_day: date

    def flows(self) -> QuerySet[FlowDay]:
        rows = FlowDay.objects.filter(day__gte=self.first_day, day__lte=self.last_day)
        return rows if self.units is None else rows.filter(unit_id__in=self.units)

    def durations(self) -> QuerySet[DurationDay]:
        rows = DurationDay.objects.filter(day__gte=self.first_day, day__lte=self.last_day)
        return rows if self.units is None else rows.filter(unit_id__in=self.units)

    @property
    def weekly(self) -> bool:
        return (self.last_day - self.first_day).days <= 16 * 7


def period_of(day: date, weekly: bool) -> date:
    """The first day of the day's ISO week or month: what the charts over time group by."""
    return day - timedelta(days=day.weekday()) if weekly else day.replace(day=1)


def sums_by_period_and_channel(scope: Scope) -> list[dict[str, Any]]:
    """Every counter summed over the scope per period (week or month) and channel.

    The database groups by day and channel (a hash of a few thousand groups, no sort), and the
    days are gathered into periods here: cheaper than truncating dates in SQL.
    """
    cells: dict[tuple[date, str], dict[str, Any]] = {}
    days = (
        scope.flows()
        .values("day", "channel")
        .annotate(**{name: Sum(name) for name in _COUNTERS})
        .order_by()
    )
    row: dict[str, Any]
    for row in days:  # type: ignore[assignment]
        key = (period_of(row["day"], scope.weekly), row["channel"])
        cell = cells.setdefault(key, {"period": key[0], "channel": key[1]})
        for name in _COUNTERS:
            cell[name] = cell.get(name, 0) + (row[name] or 0)
    return [cells[key] for key in sorted(cells)]


def duration_histograms(scope: Scope) -> dict[tuple[int, str], dict[int, int]]:
    """{(case type id, measure): {working days: cases}} over the scope."""
    found: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for kind, measure, days, n in (
        scope.durations()
        .values("case_type_id", "measure", "working_days")
        .annotate(n=Sum("count"))
        .values_list("case_type_id", "measure", "working_days", "n")
    ):
        found[(kind, measure)][days] = n
    return found


def last_run() -> RollupRun | None:
    return RollupRun.objects.order_by("-started_at").first()
