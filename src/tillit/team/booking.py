"""The rules a booking must pass, shared by the booking action and the form's first step.

Each rule refuses with the field it concerns and says what was wrong, in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.organisation.models import Person
from tillit.organisation.queries import members_of, unit_ids_of, units_of
from tillit.team.models import Absence
from tillit.team.periods import bounds, days
from tillit.team.presence import Board, Shortfall, board_for
from tillit.team.states import COVER_REQUIRED_KINDS, PLANNED_KINDS, AbsenceKind, DayPart

MAX_DAYS = 366


class PresenceRefused(ValidationError):
    """A planned absence that would leave a unit with too few present; carries the free days."""

    def __init__(self, message: str, free_days: list[date]) -> None:
        super().__init__({"first_day": ValidationError(message, code="presence")})
        self.free_days = free_days


@dataclass(frozen=True)
class Period:
    kind: AbsenceKind
    first_day: date
    last_day: date
    part: DayPart


def refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _day(day: date) -> str:
    return date_format(day, "l j F")


def check_period(
    person: Person,
    *,
    kind: str,
    first_day: date,
    last_day: date | None,
    part: str,
    today: date,
) -> tuple[Period, Board]:
    """The booking's period if every rule about the days passes; otherwise the first refusal."""
    if kind not in AbsenceKind.values:
        raise refuse("kind", _("Choose what kind of absence this is."), "invalid")
    if part not in DayPart.values:
        raise refuse("part", _("Choose the whole day, the morning or the afternoon."), "invalid")
    kind, part = AbsenceKind(kind), DayPart(part)
    last_day = last_day or first_day
    if first_day < today:
        raise refuse("first_day", _("The first day has already passed."), "past")
    if last_day < first_day:
        raise refuse("last_day", _("The last day is before the first day."), "order")
    if (last_day - first_day).days >= MAX_DAYS:
        raise refuse("last_day", _("Book at most a year at a time."), "too_long")
    if kind == AbsenceKind.REFLECTION and last_day != first_day:
        raise refuse(
            "last_day", _("A reflection day is one day or half a day; book each day."), "one_day"
        )
    if part != DayPart.WHOLE and last_day != first_day:
        raise refuse("part", _("Only a single day can be booked as half a day."), "half_day")
    if not units_of(person).exists():
        raise refuse(
            "first_day", _("You are not a member of any unit, so there is nobody to cover."), "unit"
        )
    board = board_for(person, first_day, last_day, today=today)
    if kind == AbsenceKind.REFLECTION and not board.is_working_day(first_day):
        raise refuse(
            "first_day",
            _("%(day)s is not a working day; no reflection day is needed then.")
            % {"day": _day(first_day)},
            "not_working_day",
        )
    if not any(board.is_working_day(day) for day in days(first_day, last_day)):
        raise refuse("first_day", _("There is no working day in this period."), "no_working_day")
    if board.own_overlap(first_day, last_day, part):
        raise refuse(
            "first_day", _("You already have an absence booked during this time."), "overlap"
        )
    if kind in PLANNED_KINDS:
        _ensure_not_covering(person, first_day, last_day, part)
        short = board.shortfalls(first_day, last_day, part)
        if short:
            free = board.free_days(first_day, last_day, part, today=today)
            first = short[0]
            whole = sum(1 for s in short if (s.unit, s.day) == (first.unit, first.day)) == 2
            raise PresenceRefused(_presence_message(first, free, whole_day=whole), free)
    return Period(kind, first_day, last_day, part), board


def _ensure_not_covering(person: Person, first_day: date, last_day: date, part: str) -> None:
    start, end = bounds(first_day, last_day, part)
    promised = (
        Absence.objects.filter(
            cover=person, cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("person")
        .first()
    )
    if promised is not None:
        raise refuse(
            "first_day",
            _(
                "You cover for %(person)s on %(day)s. Ask them to choose another colleague "
                "first, then book."
            )
            % {"person": promised.person, "day": _day(max(promised.first_day, first_day))},
            "covering",
        )


def _presence_message(short: Shortfall, free: list[date], *, whole_day: bool) -> str:
    values = {
        "unit": short.unit,
        "required": short.required,
        "day": _day(short.day),
        "present": short.present,
    }
    if whole_day:
        message = _(
            "%(unit)s needs at least %(required)d present; on %(day)s only %(present)d would be."
        )
    elif short.half == DayPart.MORNING:
        message = _(
            "%(unit)s needs at least %(required)d present; on %(day)s in the morning only "
            "%(present)d would be."
        )
    else:
        message = _(
            "%(unit)s needs at least %(required)d present; on %(day)s in the afternoon only "
            "%(present)d would be."
        )
    message = message % values
    if free:
        return "{} {}".format(
            message,
            _("Nearest free days: %(days)s.") % {"days": ", ".join(_day(day) for day in free)},
        )
    return "{} {}".format(message, _("No free day was found in the next two months."))


def eligible_covers(person: Person, first_day: date, last_day: date, part: str) -> list[Person]:
    """Colleagues who belong to every unit the person works in and are present all the time."""
    units = list(units_of(person))
    if not units:
        return []
    candidates = set(members_of(units[0]).values_list("pk", flat=True))
    for unit in units[1:]:
        candidates &= set(members_of(unit).values_list("pk", flat=True))
    candidates.discard(person.pk)
    start, end = bounds(first_day, last_day, part)
    away = set(
        Absence.objects.filter(
            person_id__in=candidates,
            cancelled_at__isnull=True,
            starts_at__lt=end,
            ends_at__gt=start,
        ).values_list("person_id", flat=True)
    )
    return list(Person.objects.filter(pk__in=candidates - away, is_active=True))


def check_cover(person: Person, cover: Person | None, period: Period) -> None:
    if cover is None:
        if period.kind in COVER_REQUIRED_KINDS:
            raise refuse(
                "cover", _("Choose the colleague who covers for you that day."), "required"
            )
        return
    if cover.pk == person.pk:
        raise refuse("cover", _("Choose a colleague other than yourself."), "self")
    if not cover.is_active:
        raise refuse("cover", _("%(person)s no longer works here.") % {"person": cover}, "inactive")
    missing = unit_ids_of(person) - unit_ids_of(cover)
    if missing:
        names = ", ".join(str(u) for u in units_of(person).filter(pk__in=missing))
        raise refuse(
            "cover",
            _("%(person)s is not a member of %(units)s, so work there could not reach them.")
            % {"person": cover, "units": names},
            "not_colleague",
        )
    start, end = bounds(period.first_day, period.last_day, period.part)
    if Absence.objects.filter(
        person=cover, cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start
    ).exists():
        raise refuse(
            "cover", _("%(person)s is away during this time.") % {"person": cover}, "cover_away"
        )
