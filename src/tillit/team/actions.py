"""Every change to a team's rhythm goes through this module.

The rules it owns: a booked absence names who covers and routes the person's new work to them for
exactly the booked time (`queries.stand_in_for` reads it; nothing needs undoing afterwards); a
planned absence never leaves a unit with fewer present than it requires; the hero rota stays fair
and never moves a week that has begun; a swap needs both colleagues; an auto-reply goes once per
sender and day. Each action runs in one transaction and locks what it changes (people in primary
key order, then the unit's rules row, which serialises bookings and rota planning per unit).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from email.utils import parseaddr

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.organisation.models import Person, Unit
from tillit.organisation.queries import managed_unit_ids, members_of, unit_ids_of, units_of
from tillit.team.booking import Period, check_cover, check_period, refuse
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
from tillit.team.periods import bounds, monday, weeks
from tillit.team.planning import unavailable_weeks
from tillit.team.queries import hero_pool, token_hash
from tillit.team.rota import Week, plan
from tillit.team.states import (
    AbsenceKind,
    DayPart,
    HeroSource,
    SwapStatus,
    ensure_swap_transition,
)

MAX_TEXT = 5_000
HORIZON_WEEKS = 13  # the rota is planned a quarter ahead
HISTORY_WEEKS = 52  # past weeks replayed so the balance carries over


# --- helpers ------------------------------------------------------------------------------------


def _text(field: str, value: str, *, limit: int = MAX_TEXT, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise refuse(field, _("This field cannot be empty."), "required")
    if len(value) > limit:
        raise refuse(
            field,
            _("The text is too long (at most %(max)d characters).") % {"max": limit},
            "too_long",
        )
    return value


def _ensure_team(person: Person, unit: Unit) -> None:
    if unit.pk not in (unit_ids_of(person) | managed_unit_ids(person)):
        raise refuse(
            "unit", _("Only %(unit)s and its managers can do this.") % {"unit": unit}, "not_team"
        )


def _ensure_manager(person: Person, unit: Unit) -> None:
    if unit.pk not in managed_unit_ids(person):
        raise refuse(
            "unit", _("Only a manager of %(unit)s can change this.") % {"unit": unit}, "not_manager"
        )


def _manages(manager: Person, person: Person) -> bool:
    return bool(unit_ids_of(person) & managed_unit_ids(manager))


def _lock_people(*people: Person | None) -> None:
    ids = sorted({p.pk for p in people if p is not None})
    list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _lock_rules(unit: Unit) -> UnitRules:
    if not UnitRules.objects.filter(unit=unit).exists():
        try:
            with transaction.atomic():
                UnitRules.objects.create(unit=unit)
        except IntegrityError:
            pass  # another transaction made it first
    return UnitRules.objects.select_for_update().get(unit=unit)


def _ensure_own(absence: Absence, by: Person) -> None:
    if absence.person_id != by.pk:
        raise refuse("absence", _("Only the person who is away can change this."), "not_own")


# --- absences and reflection days ---------------------------------------------------------------


@transaction.atomic
def book_absence(
    *,
    person: Person,
    by: Person,
    kind: AbsenceKind,
    first_day: date,
    last_day: date | None = None,
    part: DayPart = DayPart.WHOLE,
    cover: Person | None = None,
    reply_sv: str = "",
    reply_en: str = "",
    note: str = "",
    request_key: str | None = None,
    today: date | None = None,
) -> Absence:
    """Book a reflection day or record an absence, with the colleague who covers.

    In this one action, for the booked time: the calendars show it, mail gets the auto-reply
    naming the cover, and new work addressed to the person goes to the cover. A future hero week
    the person can no longer take is planned again. A repeated form (same request key) returns the
    first booking instead of booking twice."""
    if by.pk != person.pk and not _manages(by, person):
        raise refuse("person", _("You can only book absences for yourself."), "not_own")
    _lock_people(person, cover)
    if request_key:
        existing = Absence.objects.filter(request_key=request_key).first()
        if existing is not None:
            if existing.person_id != person.pk:
                raise refuse("request_key", _("This form was already used."), "reused_key")
            return existing
    # Lock every rules row this booking reads or plans under, in primary-key order, so two
    # bookings in overlapping units queue instead of deadlocking.
    rules = list(
        UnitRules.objects.filter(unit__in=units_of(person))
        .filter(Q(min_present__gt=0) | Q(hero_rota=True))
        .select_for_update()
        .select_related("unit")
        .order_by("pk")
    )
    today = today or timezone.localdate()
    period, _board = check_period(
        person, kind=kind, first_day=first_day, last_day=last_day, part=part, today=today
    )
    check_cover(person, cover, period)
    starts_at, ends_at = bounds(period.first_day, period.last_day, period.part)
    absence = Absence.objects.create(
        person=person,
        kind=period.kind,
        first_day=period.first_day,
        last_day=period.last_day,
        part=period.part,
        starts_at=starts_at,
        ends_at=ends_at,
        cover=cover,
        reply_sv=_text("reply_sv", reply_sv),
        reply_en=_text("reply_en", reply_en),
        note=_text("note", note),
        booked_by=by,
        booked_at=timezone.now(),
        request_key=request_key or None,
    )
    for rules_row in rules:
        if rules_row.hero_rota:
            refresh_hero_rota(unit=rules_row.unit, today=today)
    return absence


@transaction.atomic
def end_absence(*, absence: Absence, by: Person) -> Absence:
    """Cancel a booking that has not begun, or end one early: work routes back from now on."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if absence.person_id != by.pk and not _manages(by, absence.person):
        raise refuse("absence", _("Only the person who is away can change this."), "not_own")
    if absence.cancelled_at is not None:
        return absence
    now = timezone.now()
    if now < absence.starts_at:
        absence.cancelled_at = now
        absence.save(update_fields=["cancelled_at"])
    elif now < absence.ends_at:
        absence.ends_at = now
        absence.ended_early_at = now
        absence.save(update_fields=["ends_at", "ended_early_at"])
    else:
        raise refuse("absence", _("This absence is already over."), "over")
    return absence


@transaction.atomic
def change_cover(*, absence: Absence, by: Person, cover: Person | None) -> Absence:
    """Name another covering colleague (the first fell ill, say); from now on work goes there."""
    _lock_people(absence.person, cover)
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    _ensure_own(absence, by)
    if absence.cancelled_at is not None or absence.ends_at <= timezone.now():
        raise refuse("absence", _("This absence is already over."), "over")
    period = Period(
        AbsenceKind(absence.kind), absence.first_day, absence.last_day, DayPart(absence.part)
    )
    check_cover(absence.person, cover, period)
    absence.cover = cover
    absence.save(update_fields=["cover"])
    return absence


@transaction.atomic
def update_auto_reply(*, absence: Absence, by: Person, reply_sv: str, reply_en: str) -> Absence:
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    _ensure_own(absence, by)
    absence.reply_sv = _text("reply_sv", reply_sv)
    absence.reply_en = _text("reply_en", reply_en)
    absence.save(update_fields=["reply_sv", "reply_en"])
    return absence


@transaction.atomic
def save_reflection_note(*, absence: Absence, by: Person, note: str) -> Absence:
    """The private note: nobody but the person ever sees it."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    _ensure_own(absence, by)
    absence.note = _text("note", note)
    absence.save(update_fields=["note"])
    return absence


@transaction.atomic
def share_insight(*, absence: Absence, by: Person, insight: str) -> Absence:
    """Share an insight from the day with the team (an empty text takes it back)."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    _ensure_own(absence, by)
    absence.insight = _text("insight", insight, limit=2_000)
    absence.insight_shared_at = timezone.now() if absence.insight else None
    absence.save(update_fields=["insight", "insight_shared_at"])
    return absence


def claim_auto_reply(*, person: Person, sender: str, on: date) -> bool:
    """True only the first time for (person, sender, day): send the auto-reply then, not after.

    The unique constraint decides, so two deliveries at once cannot both win. The sender may be a
    bare address or `Name <address>`; it is compared in lower case."""
    address = parseaddr(sender)[1].strip().lower()
    if not address or "@" not in address or len(address) > 254:
        return False
    try:
        with transaction.atomic():
            AutoReplyClaim.objects.create(
                person=person, sender=address, day=on, claimed_at=timezone.now()
            )
    except IntegrityError:
        return False
    return True


# --- unit rules ---------------------------------------------------------------------------------


@transaction.atomic
def set_unit_rules(
    *, unit: Unit, by: Person, min_present: int, hero_rota: bool, today: date | None = None
) -> UnitRules:
    """A manager sets how many must be present and whether the unit has a hero rota."""
    _ensure_manager(by, unit)
    rules = _lock_rules(unit)
    members = members_of(unit).count()
    if min_present < 0 or min_present > members:
        raise refuse(
            "min_present",
            _("Choose a number from 0 to %(members)d (the unit's members).") % {"members": members},
            "range",
        )
    switched_off = rules.hero_rota and not hero_rota
    rules.min_present = min_present
    rules.hero_rota = hero_rota
    rules.save(update_fields=["min_present", "hero_rota", "updated_at"])
    today = today or timezone.localdate()
    if switched_off:
        HeroWeek.objects.filter(unit=unit, week__gt=monday(today)).delete()
    elif hero_rota:
        refresh_hero_rota(unit=unit, today=today)
    return rules


# --- the hero rota ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RotaChange:
    week: date
    before: int | None
    after: int | None


@transaction.atomic
def refresh_hero_rota(
    *, unit: Unit, today: date | None = None, replan_from: date | None = None
) -> list[RotaChange]:
    """Plan the unit's hero weeks a quarter ahead.

    Weeks already begun never move. Missing weeks are planned; a coming week whose hero has left
    the pool or can no longer take it (an absence was booked) is planned again, with the weeks
    after it; with `replan_from`, every planned week from then on is planned again. Weeks swapped
    by agreement stay while their hero can still take them. The past 52 weeks are replayed so
    that the balance of turns carries over."""
    rules = _lock_rules(unit)
    if not rules.hero_rota:
        return []
    today = today or timezone.localdate()
    this_week = monday(today)
    next_week = this_week + timedelta(weeks=1)
    first = this_week - timedelta(weeks=HISTORY_WEEKS)
    last = this_week + timedelta(weeks=HORIZON_WEEKS)
    pool = {person.pk: person.work_fraction for person in hero_pool(unit)}
    existing = {
        row.week: row for row in HeroWeek.objects.filter(unit=unit, week__gte=first, week__lte=last)
    }
    people = set(pool) | {row.person_id for row in existing.values()}
    busy = unavailable_weeks(unit, people, first, last)

    def can_take(week: date, person: int) -> bool:
        return person in pool and person not in busy[week]

    broken = [w for w, row in existing.items() if w >= next_week and not can_take(w, row.person_id)]
    starts = broken + ([monday(replan_from)] if replan_from else [])
    replan = max(next_week, min(starts)) if starts else None
    plan_weeks: list[Week] = []
    for week in weeks(first, last):
        row = existing.get(week)
        available = frozenset(p for p in pool if p not in busy[week])
        if week < this_week:
            plan_weeks.append(
                Week(
                    week,
                    available if row else frozenset(),
                    row.person_id if row else None,
                    keep=True,
                )
            )
        elif row is not None and (
            replan is None
            or week < replan
            or (row.source == HeroSource.SWAPPED and can_take(week, row.person_id))
        ):
            plan_weeks.append(Week(week, available, row.person_id))
        else:
            plan_weeks.append(Week(week, available))
    heroes = plan(plan_weeks, pool).heroes
    now = timezone.now()
    changes: list[RotaChange] = []
    for week_plan, hero in zip(plan_weeks, heroes, strict=True):
        if week_plan.fixed is not None or week_plan.keep:
            continue
        row = existing.get(week_plan.start)
        before = row.person_id if row else None
        if hero == before:
            continue
        changes.append(RotaChange(week_plan.start, before, hero))
        if hero is None:
            if row is not None:
                row.delete()
        elif row is None:
            HeroWeek.objects.create(unit=unit, week=week_plan.start, person_id=hero, planned_at=now)
        else:
            row.person_id = hero
            row.source = HeroSource.GENERATED
            row.planned_at = now
            row.save(update_fields=["person", "source", "planned_at"])
    if changes:
        _void_swaps(unit, [change.week for change in changes])
    return changes


@transaction.atomic
def replan_hero_rota(*, unit: Unit, by: Person, today: date | None = None) -> list[RotaChange]:
    """A manager plans every coming week again (from next week; this week and the past stay)."""
    _ensure_manager(by, unit)
    today = today or timezone.localdate()
    return refresh_hero_rota(unit=unit, today=today, replan_from=today + timedelta(weeks=1))


def _void_swaps(unit: Unit, changed: list[date], *, keep: int | None = None) -> None:
    stale = SwapRequest.objects.filter(unit=unit, status=SwapStatus.OPEN).filter(
        Q(requester_week__in=changed) | Q(other_week__in=changed)
    )
    if keep is not None:
        stale = stale.exclude(pk=keep)
    stale.update(status=SwapStatus.VOID, answered_at=timezone.now())


@transaction.atomic
def request_swap(
    *,
    by: Person,
    my_week: HeroWeek,
    their_week: HeroWeek,
    message: str = "",
    today: date | None = None,
) -> SwapRequest:
    """Ask a colleague to swap hero weeks. Asking is the asker's confirmation."""
    if my_week.unit_id != their_week.unit_id:
        raise refuse("their_week", _("Both weeks must be in the same unit's rota."), "other_unit")
    unit = my_week.unit
    _ensure_team(by, unit)
    if my_week.person_id != by.pk:
        raise refuse("my_week", _("Choose one of your own hero weeks."), "not_yours")
    if their_week.person_id == by.pk:
        raise refuse("their_week", _("Choose a colleague's week."), "yours")
    this_week = monday(today or timezone.localdate())
    if my_week.week < this_week or their_week.week < this_week:
        raise refuse("my_week", _("A week that is over cannot be swapped."), "past")
    other = their_week.person
    busy = unavailable_weeks(
        unit,
        {by.pk, other.pk},
        min(my_week.week, their_week.week),
        max(my_week.week, their_week.week),
    )
    if by.pk in busy[their_week.week]:
        raise refuse("their_week", _("You are away or hero elsewhere that week."), "requester_busy")
    if other.pk in busy[my_week.week]:
        raise refuse(
            "my_week",
            _("%(person)s is away or hero elsewhere in your week.") % {"person": other},
            "other_busy",
        )
    try:
        with transaction.atomic():
            return SwapRequest.objects.create(
                unit=unit,
                requester=by,
                requester_week=my_week.week,
                other=other,
                other_week=their_week.week,
                message=_text("message", message, limit=300),
                requested_at=timezone.now(),
            )
    except IntegrityError:
        raise refuse(
            "their_week", _("You have already asked for this swap."), "swap_exists"
        ) from None


def _lock_swap(swap: SwapRequest) -> SwapRequest:
    return SwapRequest.objects.select_for_update().select_related("unit").get(pk=swap.pk)


@transaction.atomic
def confirm_swap(*, swap: SwapRequest, by: Person, today: date | None = None) -> SwapRequest:
    """The colleague confirms: the two weeks change hands. If the rota has changed under the
    request, it is made void instead (and stays void: the status is returned, not raised)."""
    swap = _lock_swap(swap)
    if swap.other_id != by.pk:
        raise refuse("swap", _("Only the colleague who was asked can confirm."), "not_asked")
    ensure_swap_transition(swap.status, SwapStatus.CONFIRMED)
    rows = list(
        HeroWeek.objects.select_for_update()
        .filter(unit_id=swap.unit_id, week__in=[swap.requester_week, swap.other_week])
        .order_by("pk")
    )
    by_week = {row.week: row for row in rows}
    mine, theirs = by_week.get(swap.requester_week), by_week.get(swap.other_week)
    now = timezone.now()
    this_week = monday(today or timezone.localdate())
    if (
        mine is None
        or theirs is None
        or mine.person_id != swap.requester_id
        or theirs.person_id != swap.other_id
        or min(swap.requester_week, swap.other_week) < this_week
    ):
        swap.status = SwapStatus.VOID
        swap.answered_at = now
        swap.save(update_fields=["status", "answered_at"])
        return swap
    mine.person_id, theirs.person_id = swap.other_id, swap.requester_id
    for row in (mine, theirs):
        row.source = HeroSource.SWAPPED
        row.planned_at = now
        row.save(update_fields=["person", "source", "planned_at"])
    swap.status = SwapStatus.CONFIRMED
    swap.answered_at = now
    swap.save(update_fields=["status", "answered_at"])
    _void_swaps(swap.unit, [swap.requester_week, swap.other_week], keep=swap.pk)
    return swap


@transaction.atomic
def decline_swap(*, swap: SwapRequest, by: Person) -> SwapRequest:
    swap = _lock_swap(swap)
    if swap.other_id != by.pk:
        raise refuse("swap", _("Only the colleague who was asked can decline."), "not_asked")
    ensure_swap_transition(swap.status, SwapStatus.DECLINED)
    swap.status = SwapStatus.DECLINED
    swap.answered_at = timezone.now()
    swap.save(update_fields=["status", "answered_at"])
    return swap


@transaction.atomic
def withdraw_swap(*, swap: SwapRequest, by: Person) -> SwapRequest:
    swap = _lock_swap(swap)
    if swap.requester_id != by.pk:
        raise refuse("swap", _("Only the colleague who asked can withdraw."), "not_requester")
    ensure_swap_transition(swap.status, SwapStatus.WITHDRAWN)
    swap.status = SwapStatus.WITHDRAWN
    swap.answered_at = timezone.now()
    swap.save(update_fields=["status", "answered_at"])
    return swap


# --- chores -------------------------------------------------------------------------------------


@transaction.atomic
def add_chore(*, unit: Unit, by: Person, title: str) -> Chore:
    _ensure_team(by, unit)
    title = _text("title", title, limit=120, required=True)
    _lock_rules(unit)
    last = Chore.objects.filter(unit=unit).aggregate(last=Max("position"))["last"]
    return Chore.objects.create(unit=unit, title=title, position=(last or 0) + 1)


@transaction.atomic
def rename_chore(*, chore: Chore, by: Person, title: str) -> Chore:
    chore = Chore.objects.select_for_update().select_related("unit").get(pk=chore.pk)
    _ensure_team(by, chore.unit)
    chore.title = _text("title", title, limit=120, required=True)
    chore.save(update_fields=["title"])
    return chore


@transaction.atomic
def remove_chore(*, chore: Chore, by: Person) -> Chore:
    """Take a chore off the checklist; the weeks it was done stay recorded."""
    chore = Chore.objects.select_for_update().select_related("unit").get(pk=chore.pk)
    _ensure_team(by, chore.unit)
    chore.is_active = False
    chore.save(update_fields=["is_active"])
    return chore


def tick_chore(*, chore: Chore, by: Person, today: date | None = None) -> ChoreTick:
    """Mark the chore done this week (ticking twice keeps the first tick)."""
    _ensure_team(by, chore.unit)
    week = monday(today or timezone.localdate())
    try:
        with transaction.atomic():
            return ChoreTick.objects.create(
                chore=chore, week=week, done_by=by, done_at=timezone.now()
            )
    except IntegrityError:
        return ChoreTick.objects.get(chore=chore, week=week)


@transaction.atomic
def untick_chore(*, chore: Chore, by: Person, today: date | None = None) -> None:
    _ensure_team(by, chore.unit)
    ChoreTick.objects.filter(chore=chore, week=monday(today or timezone.localdate())).delete()


# --- calendar feeds -----------------------------------------------------------------------------


@transaction.atomic
def create_feed(*, person: Person, unit: Unit | None = None) -> tuple[CalendarFeed, str]:
    """A new private calendar address (the old one of the same kind stops working).

    Returns the feed and its token; only the token's hash is stored, so show it now."""
    if unit is not None:
        _ensure_team(person, unit)
    _lock_people(person)
    now = timezone.now()
    CalendarFeed.objects.filter(person=person, unit=unit, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        person=person, unit=unit, token_hash=token_hash(token), created_at=now
    )
    return feed, token


@transaction.atomic
def revoke_feed(*, feed: CalendarFeed, by: Person) -> CalendarFeed:
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    if feed.person_id != by.pk:
        raise refuse("feed", _("Only the person who made this address can revoke it."), "not_own")
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed
