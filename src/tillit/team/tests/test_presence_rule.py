"""Property test for the presence rule (issue 6): whatever colleagues try to book, every half
working day keeps at least the unit's number present; every refusal is true, and every
"nearest free day" it offers can really be booked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tillit.team.booking import PresenceRefused
from tillit.team.models import Absence
from tillit.team.periods import half_bounds, halves_of
from tillit.team.states import AbsenceKind, DayPart
from tillit.team.tests.factories import book, make_team, working_day

DAYS = 6


class Rollback(Exception):
    pass


def present(members: set[int], day, half) -> int:
    start, end = half_bounds(day, half)
    away = {
        a.person_id
        for a in Absence.objects.filter(cancelled_at__isnull=True)
        if a.starts_at < end and a.ends_at > start
    }
    return len(members - away)


def short_if_booked(members, person, day, part, required) -> bool:
    return any(present(members - {person.pk}, day, half) < required for half in halves_of(part))


def overlaps(person, day, part) -> bool:
    start, _ = half_bounds(day, halves_of(part)[0])
    _, end = half_bounds(day, halves_of(part)[-1])
    return Absence.objects.filter(
        person=person, cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start
    ).exists()


class PresenceRuleHolds(TestCase):
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(
        size=st.integers(2, 5),
        required=st.integers(1, 5),
        attempts=st.lists(
            st.tuples(
                st.integers(0, 4),
                st.integers(0, DAYS - 1),
                st.sampled_from(list(DayPart)),
                st.sampled_from([AbsenceKind.VACATION, AbsenceKind.OTHER]),
            ),
            max_size=10,
        ),
    )
    def test_bookings_never_leave_a_unit_short(self, size, required, attempts):
        assume(required <= size)  # the unit has size colleagues and a manager
        team = make_team(size, min_present=required, prefix=f"p{size}{required}")
        members = {p.pk for p in team.people} | {team.manager.pk}
        for index, offset, part, kind in attempts:
            person, day = team.people[index % size], working_day(offset)
            already = overlaps(person, day, part)
            short = short_if_booked(members, person, day, part, required)
            try:
                book(person, day, kind=kind, part=part)
            except PresenceRefused as refusal:
                assert short and not already
                for free in refusal.free_days:
                    assert free != day
                    try:
                        with transaction.atomic():
                            book(person, free, kind=kind, part=part)
                            raise Rollback
                    except Rollback:
                        pass
            except ValidationError as refusal:
                assert already, refusal
            else:
                assert not already and not short
        for offset in range(DAYS + 1):
            for half in (DayPart.MORNING, DayPart.AFTERNOON):
                assert present(members, working_day(offset), half) >= required
