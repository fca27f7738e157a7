"""iCalendar feeds (RFC 5545, written with `icalendar`): a person's own and a unit's.

A person's feed: their hero weeks, their absences and the days they cover for someone. A unit's
feed: its hero weeks and who is away; it says "reflection day" for reflection days (that is
what the team agreed to make visible) and only "away" for every other kind, so a unit calendar
never tells anyone about an illness. Whole days are all-day events; half days are timed within
office hours (08–12, 12–17). Each event keeps its UID, so a calendar that subscribes updates
the event in place when a rota week changes hands.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tillit.organisation.models import Person, Unit
from tillit.organisation.queries import members_of
from tillit.team.models import Absence, HeroWeek
from tillit.team.states import AbsenceKind, DayPart

PAST_DAYS = 90
AHEAD_DAYS = 200
OFFICE = {DayPart.MORNING: (time(8, 0), time(12, 0)), DayPart.AFTERNOON: (time(12, 0), time(17, 0))}
DOMAIN = "tillit"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Tillit//Team rhythm//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(uid: str, summary: str, stamp: datetime, *, busy: bool) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    return event


def _hero_event(row: HeroWeek, summary: str, stamp: datetime) -> Event:
    event = _event(f"hero-{row.unit_id}-{row.week:%Y%m%d}", summary, stamp, busy=False)
    event.add("dtstart", row.week)
    event.add("dtend", row.week + timedelta(days=5))  # Monday to Friday; the end is exclusive
    event.add("last-modified", row.planned_at)
    return event


def _when(event: Event, absence: Absence) -> None:
    zone = timezone.get_current_timezone()
    if absence.ended_early_at is not None:
        event.add("dtstart", timezone.localtime(absence.starts_at, zone))
        event.add("dtend", timezone.localtime(absence.ends_at, zone))
    elif absence.part == DayPart.WHOLE:
        event.add("dtstart", absence.first_day)
        event.add("dtend", absence.last_day + timedelta(days=1))
    else:
        start, end = OFFICE[DayPart(absence.part)]
        event.add("dtstart", datetime.combine(absence.first_day, start, tzinfo=zone))
        event.add("dtend", datetime.combine(absence.first_day, end, tzinfo=zone))


def _absence_event(
    absence: Absence, uid: str, summary: str, stamp: datetime, *, busy: bool, own: bool = True
) -> Event:
    event = _event(uid, summary, stamp, busy=busy)
    _when(event, absence)
    if own and absence.cover is not None:
        event.add("description", _("%(person)s covers meanwhile.") % {"person": absence.cover})
    return event


def _window() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)


def _absences(people: Q) -> list[Absence]:
    first, last = _window()
    return list(
        Absence.objects.filter(people, cancelled_at__isnull=True, last_day__gte=first)
        .filter(first_day__lte=last)
        .select_related("person", "cover")
        .order_by("starts_at")
    )


def _finish(calendar: Calendar) -> bytes:
    first, last = _window()
    calendar.add_missing_timezones(first - timedelta(days=1), last + timedelta(days=1))
    return bytes(calendar.to_ical())


def person_feed(person: Person) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        calendar = _calendar(_("Tillit – %(person)s") % {"person": person})
        stamp = timezone.now()
        first, last = _window()
        heroes = HeroWeek.objects.filter(
            person=person, week__gte=first, week__lte=last
        ).select_related("unit")
        for row in heroes:
            summary = _("Hero of the week – %(unit)s") % {"unit": row.unit}
            calendar.add_component(_hero_event(row, summary, stamp))
        for absence in _absences(Q(person=person) | Q(cover=person)):
            if absence.person_id == person.pk:
                summary = str(AbsenceKind(absence.kind).label).capitalize()
                calendar.add_component(
                    _absence_event(absence, f"absence-{absence.pk}", summary, stamp, busy=True)
                )
            else:
                summary = _("Covering for %(person)s") % {"person": absence.person}
                calendar.add_component(
                    _absence_event(
                        absence, f"cover-{absence.pk}", summary, stamp, busy=False, own=False
                    )
                )
        return _finish(calendar)


def unit_feed(unit: Unit) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        calendar = _calendar(_("Tillit – %(unit)s") % {"unit": unit})
        stamp = timezone.now()
        first, last = _window()
        heroes = HeroWeek.objects.filter(unit=unit, week__gte=first, week__lte=last).select_related(
            "person"
        )
        for row in heroes:
            summary = _("Hero of the week: %(person)s") % {"person": row.person}
            calendar.add_component(_hero_event(row, summary, stamp))
        for absence in _absences(Q(person__in=members_of(unit))):
            if absence.kind == AbsenceKind.REFLECTION:
                summary = _("Reflection day: %(person)s") % {"person": absence.person}
            else:
                summary = _("Away: %(person)s") % {"person": absence.person}
            calendar.add_component(
                _absence_event(absence, f"absence-{absence.pk}", summary, stamp, busy=False)
            )
        return _finish(calendar)
