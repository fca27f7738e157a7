"""Every checked read of the team capability, and the answers other apps ask for.

Contracts other apps call (keep the signatures):
- `stand_in_for(person, at)`: who receives work addressed to `person` at `at`. The cases actions
  ask it before an assignment or a hand-over offer addressed to a person; during a booked absence
  the covering colleague gets it, and after the booked time everything goes back by itself.
- `absence_auto_reply(person, at)`: the (subject, body) the mailbox sends to mail for `person`
  while away, naming who helps meanwhile; with `is_automatic_mail` and
  `actions.claim_auto_reply` it sends at most one per sender and day, never to automatic mail
  or lists (docs/decisions/0602-absence-auto-reply-contract.md).
- `hero_of(unit, on)`: the unit's hero that day (or the hero's stand-in while they are away);
  the hero owns the unit's untriaged queue.

Who sees what: a unit's page, rota, chores and figures are for its members and the managers
above it; an absence's private note only for its person; a cover sees the absent person's open
cases only where the cases app's unit-based access lets them (`access_to`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tillit.cases.models import Case
from tillit.cases.queries import Queue, access_to, queue, queue_cases, visible_to
from tillit.organisation.models import Person, Role, Unit
from tillit.organisation.queries import (
    closed_days,
    managed_unit_ids,
    members_of,
    unit_ids_of,
    units_of,
)
from tillit.team import autoreply
from tillit.team.booking import Period, check_period, eligible_covers
from tillit.team.models import (
    Absence,
    AutoReplyClaim,
    CalendarFeed,
    Chore,
    ChoreTick,
    HeroWeek,
    SwapRequest,
    UnitRules,
)
from tillit.team.periods import local, monday, quarter_weeks
from tillit.team.rota import spread
from tillit.team.states import AbsenceKind, DayPart, SwapStatus

MAX_CHAIN = 5  # a cover who is away passes the work on to their own cover, this far at most
HERO_ROLES = (Role.STAFF, Role.CONTACT_PERSON)


class NotFound(Http404):
    """Missing and forbidden look the same."""


# --- routing ------------------------------------------------------------------------------------


def _active_at(person_id: int, at: datetime) -> QuerySet[Absence]:
    # The partial index absence_person_active answers this; no ordering, at most one row
    # (a person's absences never overlap).
    return Absence.objects.filter(
        person_id=person_id, cancelled_at__isnull=True, starts_at__lte=at, ends_at__gt=at
    ).order_by()


def absence_at(person: Person, at: datetime) -> Absence | None:
    """The person's absence at that moment (the booked time is half-open: start ≤ at < end)."""
    found = list(_active_at(person.pk, at).select_related("cover", "person")[:1])
    return found[0] if found else None


def stand_in_for(person: Person, at: datetime) -> Person:
    """The person who should receive work addressed to `person` at `at`.

    A cover who is away themselves passes it to their own cover. When the chain ends at someone
    away with no cover (or loops), the work stays with the person it was addressed to. Asked on
    every assignment, so the usual answer (nobody is away) costs one indexed query.
    """
    seen = {person.pk}
    current = person
    for _hop in range(MAX_CHAIN):
        away = list(_active_at(current.pk, at).values_list("cover_id", flat=True)[:1])
        if not away:
            return current
        cover_id = away[0]
        if cover_id is None or cover_id in seen:
            return person
        cover = Person.objects.filter(pk=cover_id, is_active=True).first()
        if cover is None:
            return person
        seen.add(cover_id)
        current = cover
    return person


def hero_week_of(unit: Unit, on: date) -> HeroWeek | None:
    return HeroWeek.objects.select_related("person").filter(unit=unit, week=monday(on)).first()


def hero_of(unit: Unit, on: date, *, at: datetime | None = None) -> Person | None:
    """The unit's hero of the week containing `on`, or their stand-in while they are away.

    `at` defaults to now when `on` is today, and to nine in the morning on other days.
    """
    week = hero_week_of(unit, on)
    if week is None:
        return None
    if at is None:
        at = timezone.now() if on == timezone.localdate() else local(on, time(9, 0))
    return stand_in_for(week.person, at)


def _helper(person: Person, at: datetime) -> autoreply.Helper:
    stand_in = stand_in_for(person, at)
    if stand_in.pk != person.pk:
        return autoreply.Helper(str(stand_in), stand_in.email, stand_in.phone)
    units = list(units_of(person).order_by("pk"))
    for unit in units:
        hero = hero_of(unit, timezone.localtime(at).date(), at=at)
        if hero is not None and hero.pk != person.pk:
            return autoreply.Helper(str(hero), unit.email or hero.email, hero.phone)
    for unit in units:
        if unit.email:
            return autoreply.Helper(str(unit), unit.email)
    return autoreply.Helper(str(units[0]) if units else "", "")


def _closed_for(person: Person) -> frozenset[date]:
    municipality_ids = set(units_of(person).values_list("municipality_id", flat=True))
    return frozenset().union(*(closed_days(m) for m in municipality_ids))


def absence_auto_reply(person: Person, at: datetime) -> tuple[str, str] | None:
    """The (subject, body) of the auto-reply for mail to `person` at `at`, or None when present.

    The body is the person's Swedish text, then the English one, naming who helps meanwhile: the
    cover, or (with no cover) the unit's hero or the unit's functional address.
    """
    absence = absence_at(person, at)
    if absence is None:
        return None
    return auto_reply_for(absence, at=at)


def auto_reply_for(absence: Absence, *, at: datetime) -> tuple[str, str]:
    person = absence.person
    return autoreply.compose(
        name=str(person),
        helper=_helper(person, max(at, absence.starts_at)),
        reply_sv=absence.reply_sv,
        reply_en=absence.reply_en,
        kind=absence.kind,
        ends_at=absence.ends_at,
        closed=_closed_for(person),
    )


def is_automatic_mail(headers: Mapping[str, str], sender: str) -> bool:
    """True for mail that never gets an auto-reply: automatic, list, bounce or no-reply mail."""
    return autoreply.is_automatic_mail(headers, sender)


def auto_reply_sent(person: Person, sender: str, on: date) -> bool:
    return AutoReplyClaim.objects.filter(
        person=person, sender=sender.strip().lower(), day=on
    ).exists()


def default_replies(kind: str) -> tuple[str, str]:
    return autoreply.default_texts(kind)


# --- access -------------------------------------------------------------------------------------


def team_units(person: Person) -> list[Unit]:
    """The units whose team pages a person may see: their own and those they manage."""
    ids = unit_ids_of(person) | managed_unit_ids(person)
    return list(Unit.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def unit_for(person: Person, unit_id: int | str) -> Unit:
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise NotFound from None
    if not person.is_active or pk not in (unit_ids_of(person) | managed_unit_ids(person)):
        raise NotFound
    unit = Unit.objects.filter(pk=pk, is_active=True).first()
    if unit is None:
        raise NotFound
    return unit


def may_manage(person: Person, unit: Unit) -> bool:
    return unit.pk in managed_unit_ids(person)


def absence_for(person: Person, absence_id: int | str) -> Absence:
    """One of the person's own absences."""
    try:
        return Absence.objects.select_related("cover", "person").get(
            pk=int(absence_id), person=person
        )
    except (Absence.DoesNotExist, TypeError, ValueError):
        raise NotFound from None


def colleague(person_id: object) -> Person | None:
    """An active person by id, for a form's choice (the action decides whether they may cover)."""
    try:
        return Person.objects.filter(pk=int(str(person_id)), is_active=True).first()
    except ValueError:
        return None


def booked_with_key(person: Person, request_key: str) -> Absence | None:
    """The booking a form with this key already made (a double click, a retried request)."""
    if not request_key:
        return None
    return Absence.objects.filter(person=person, request_key=request_key).first()


def swap_for(person: Person, swap_id: int | str) -> SwapRequest:
    """A swap the person asked for or was asked."""
    try:
        return SwapRequest.objects.select_related("requester", "other", "unit").get(
            Q(requester=person) | Q(other=person), pk=int(swap_id)
        )
    except (SwapRequest.DoesNotExist, TypeError, ValueError):
        raise NotFound from None


def chore_for(person: Person, chore_id: int | str) -> Chore:
    try:
        chore = Chore.objects.select_related("unit").get(pk=int(chore_id), is_active=True)
    except (Chore.DoesNotExist, TypeError, ValueError):
        raise NotFound from None
    unit_for(person, chore.unit_id)
    return chore


def feed_of(person: Person, feed_id: int | str) -> CalendarFeed:
    try:
        return CalendarFeed.objects.get(pk=int(feed_id), person=person, revoked_at__isnull=True)
    except (CalendarFeed.DoesNotExist, TypeError, ValueError):
        raise NotFound from None


# --- booking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    period: Period
    suggested: list[Person]
    others: list[Person]
    hero_weeks: list[HeroWeek]


def _case_types(person: Person) -> set[int]:
    return {case.case_type_id for case in queue(person, Queue.MINE, size=100).cases}


def booking_preview(
    person: Person,
    *,
    kind: str,
    first_day: date,
    last_day: date | None,
    part: str,
    today: date | None = None,
) -> Preview:
    """Check the days (raises the refusal) and suggest covers: colleagues present all the time
    who handle the same case types come first; with no open cases to compare, all of them."""
    period, _board = check_period(
        person,
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        part=part,
        today=today or timezone.localdate(),
    )
    candidates = sorted(
        eligible_covers(person, period.first_day, period.last_day, period.part), key=str
    )
    mine = _case_types(person)
    overlap = {c.pk: len(mine & _case_types(c)) for c in candidates} if mine else {}
    suggested = [c for c in candidates if not mine or overlap[c.pk]]
    suggested.sort(key=lambda c: -overlap.get(c.pk, 0))
    others = [c for c in candidates if c not in suggested]
    return Preview(period, suggested, others, hero_weeks_during(person, period))


def hero_weeks_during(person: Person, period: Period) -> list[HeroWeek]:
    return list(
        HeroWeek.objects.filter(
            person=person, week__gte=monday(period.first_day), week__lte=period.last_day
        ).select_related("unit")
    )


# --- what people see ----------------------------------------------------------------------------


def own_absences(person: Person, *, now: datetime | None = None) -> list[Absence]:
    """Current and coming absences, then those of the last 90 days (for the notes)."""
    now = now or timezone.now()
    return list(
        Absence.objects.filter(
            person=person, cancelled_at__isnull=True, ends_at__gt=now - timedelta(days=90)
        )
        .select_related("cover")
        .order_by("-starts_at")
    )


def covering(person: Person, *, now: datetime | None = None) -> list[Absence]:
    """The absences this person covers, now and coming."""
    now = now or timezone.now()
    return list(
        Absence.objects.filter(cover=person, cancelled_at__isnull=True, ends_at__gt=now)
        .select_related("person")
        .order_by("starts_at")
    )


def is_current(absence: Absence, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return absence.cancelled_at is None and absence.starts_at <= now < absence.ends_at


def quick_tasks(cover: Person, absence: Absence, *, now: datetime | None = None) -> list[Case]:
    """The absent person's open cases that the cover may see (unit-based access), while covering.

    Read-only: the list comes from the cases app's own queue and access rule."""
    if absence.cover_id != cover.pk or not is_current(absence, now):
        return []
    cases = queue_cases(absence.person, Queue.MINE, size=50)
    return [case for case in cases if access_to(cover, case) is not None]


def offers_while_covering(cover: Person, absence: Absence) -> list[Case]:
    """Cases offered to the cover by name during the covered time (addressed to the absent)."""
    if absence.cover_id != cover.pk:
        return []
    return list(
        visible_to(cover)
        .filter(
            handovers__to_person=cover,
            handovers__status="open",
            handovers__offered_at__gte=absence.starts_at,
            handovers__offered_at__lt=absence.ends_at,
        )
        .select_related("owner_unit")
        .distinct()
        .order_by("-pk")[:50]
    )


def away_in(unit: Unit, day: date) -> list[Absence]:
    """Who in the unit is away some time that day."""
    start, end = local(day), local(day + timedelta(days=1))
    return list(
        Absence.objects.filter(
            person__in=members_of(unit),
            cancelled_at__isnull=True,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("person", "cover")
        .order_by("person__first_name", "person__last_name")
    )


def rules_of(unit: Unit) -> UnitRules:
    return UnitRules.objects.filter(unit=unit).first() or UnitRules(unit=unit)


def hero_pool(unit: Unit) -> list[Person]:
    """Who takes hero weeks: the unit's staff and contact persons."""
    people = members_of(unit, Role.STAFF) | members_of(unit, Role.CONTACT_PERSON)
    return list(people.filter(work_fraction__gt=0).distinct().order_by("pk"))


@dataclass(frozen=True)
class RotaRow:
    week: date
    hero: Person | None
    is_current: bool
    is_past: bool

    @property
    def number(self) -> int:
        return self.week.isocalendar()[1]

    @property
    def friday(self) -> date:
        return self.week + timedelta(days=4)


def rota(unit: Unit, year: int, quarter: int, *, today: date | None = None) -> list[RotaRow]:
    today = today or timezone.localdate()
    weeks = quarter_weeks(year, quarter)
    heroes = {
        row.week: row.person
        for row in HeroWeek.objects.filter(unit=unit, week__in=weeks).select_related("person")
    }
    this_week = monday(today)
    return [RotaRow(week, heroes.get(week), week == this_week, week < this_week) for week in weeks]


def future_hero_weeks(unit: Unit, *, today: date | None = None) -> list[HeroWeek]:
    this_week = monday(today or timezone.localdate())
    return list(
        HeroWeek.objects.filter(unit=unit, week__gte=this_week)
        .select_related("person")
        .order_by("week")
    )


def chores_for_week(unit: Unit, week: date) -> list[tuple[Chore, ChoreTick | None]]:
    chores = list(Chore.objects.filter(unit=unit, is_active=True))
    ticks = {
        tick.chore_id: tick
        for tick in ChoreTick.objects.filter(chore__in=chores, week=week).select_related("done_by")
    }
    return [(chore, ticks.get(chore.pk)) for chore in chores]


def open_swaps(person: Person) -> tuple[list[SwapRequest], list[SwapRequest]]:
    """(asked of me, asked by me), open ones."""
    base = SwapRequest.objects.filter(status=SwapStatus.OPEN).select_related(
        "requester", "other", "unit"
    )
    return list(base.filter(other=person)), list(base.filter(requester=person))


def recent_swaps(unit: Unit) -> list[SwapRequest]:
    return list(SwapRequest.objects.filter(unit=unit).select_related("requester", "other")[:10])


def insights(unit: Unit) -> list[Absence]:
    """Insights the unit's members chose to share after a reflection day."""
    return list(
        Absence.objects.filter(person__in=members_of(unit), insight_shared_at__isnull=False)
        .exclude(insight="")
        .select_related("person")
        .order_by("-insight_shared_at")[:10]
    )


def feeds_of(person: Person) -> list[CalendarFeed]:
    return list(
        CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).select_related("unit")
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_by_token(token: str) -> CalendarFeed | None:
    """A live feed: not revoked, its person still active and (for a unit) still on the team."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("person", "unit")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.person.is_active:
        return None
    if feed.unit is not None and feed.unit_id not in (
        unit_ids_of(feed.person) | managed_unit_ids(feed.person)
    ):
        return None
    return feed


# --- team figures (never a ranking of individuals) -----------------------------------------------


@dataclass(frozen=True)
class QuarterFigures:
    year: int
    quarter: int
    reflection_days: float
    members: int
    hero_weeks: int
    spread: float  # max − min hero weeks per full-time equivalent

    @property
    def per_member(self) -> float:
        return self.reflection_days / self.members if self.members else 0.0


def figures(unit: Unit, quarters: list[tuple[int, int]]) -> list[QuarterFigures]:
    """Per quarter: reflection days taken in the unit, and how evenly hero weeks were spread."""
    from tillit.team.periods import quarter_days

    members = list(members_of(unit))
    pool = {p.pk: p.work_fraction for p in hero_pool(unit)}
    result = []
    for year, quarter in quarters:
        first, last = quarter_days(year, quarter)
        parts = Absence.objects.filter(
            person__in=members,
            kind=AbsenceKind.REFLECTION,
            cancelled_at__isnull=True,
            first_day__gte=first,
            first_day__lte=last,
        ).values_list("part", flat=True)
        days = sum(1.0 if part == DayPart.WHOLE else 0.5 for part in parts)
        weeks = quarter_weeks(year, quarter)
        turns: dict[int, int] = {}
        rows = HeroWeek.objects.filter(unit=unit, week__in=weeks).values_list(
            "person_id", flat=True
        )
        for person_id in rows:
            turns[person_id] = turns.get(person_id, 0) + 1
        result.append(
            QuarterFigures(
                year=year,
                quarter=quarter,
                reflection_days=days,
                members=len(members),
                hero_weeks=sum(turns.values()),
                spread=spread(turns, pool) if turns else 0.0,
            )
        )
    return result


def units_with_rota() -> QuerySet[UnitRules]:
    return UnitRules.objects.filter(hero_rota=True, unit__is_active=True).select_related("unit")
