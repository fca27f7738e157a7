"""The hero rota in the database: a quarter ahead, skips absences, never moves begun weeks."""

import contextlib
import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tillit.team import actions, queries
from tillit.team.models import HeroWeek, SwapRequest
from tillit.team.periods import monday
from tillit.team.states import AbsenceKind, HeroSource, SwapStatus
from tillit.team.tests.factories import TODAY, book, make_team, working_day


def rota_rows(unit):
    return list(
        HeroWeek.objects.filter(unit=unit).order_by("week").values_list("week", "person_id")
    )


@pytest.mark.django_db
def test_switching_the_rota_on_plans_this_week_and_a_quarter_ahead():
    team = make_team(5, hero_rota=True)
    rows = rota_rows(team.unit)
    assert [week for week, _ in rows] == [TODAY + timedelta(weeks=i) for i in range(14)]
    pool = {p.pk for p in team.people}
    assert {person for _, person in rows} == pool  # the manager is not in the pool
    assert all(a[1] != b[1] for a, b in itertools.pairwise(rows))
    assert queries.hero_of(team.unit, TODAY + timedelta(days=2), at=None) is not None


@pytest.mark.django_db
def test_a_booked_absence_moves_only_the_hero_week_it_hits_and_after():
    team = make_team(5, hero_rota=True)
    before = dict(rota_rows(team.unit))
    week = TODAY + timedelta(weeks=3)
    hero = before[week]
    person = next(p for p in team.people if p.pk == hero)
    cover = next(p for p in team.people if p.pk != hero)
    book(person, week + timedelta(days=1), cover=cover)
    after = dict(rota_rows(team.unit))
    assert after[week] != hero
    assert all(after[w] == before[w] for w in before if w < week)


@pytest.mark.django_db
def test_this_weeks_hero_stays_even_when_booking_a_day_this_week():
    team = make_team(4, hero_rota=True)
    hero = queries.hero_week_of(team.unit, TODAY).person
    cover = next(p for p in team.people if p != hero)
    absence = book(hero, working_day(1), cover=cover)
    assert queries.hero_week_of(team.unit, TODAY).person == hero
    from tillit.team.periods import local

    during = local(absence.first_day) + timedelta(hours=10)
    assert queries.hero_of(team.unit, absence.first_day, at=during) == cover


@pytest.mark.django_db
def test_a_swap_needs_both_and_survives_replanning():
    team = make_team(4, hero_rota=True)
    rows = HeroWeek.objects.filter(unit=team.unit, week__gt=TODAY).order_by("week")
    mine, theirs = rows[1], rows[2]
    swap = actions.request_swap(by=mine.person, my_week=mine, their_week=theirs, today=TODAY)
    assert HeroWeek.objects.get(pk=mine.pk).person == mine.person  # nothing moved yet
    with pytest.raises(ValidationError):
        actions.confirm_swap(swap=swap, by=mine.person, today=TODAY)
    swap = actions.confirm_swap(swap=swap, by=theirs.person, today=TODAY)
    assert swap.status == SwapStatus.CONFIRMED
    assert HeroWeek.objects.get(pk=mine.pk).person == theirs.person
    assert HeroWeek.objects.get(pk=theirs.pk).person == mine.person
    actions.refresh_hero_rota(unit=team.unit, today=TODAY, replan_from=TODAY)
    kept = HeroWeek.objects.get(unit=team.unit, week=mine.week)
    assert (kept.person, kept.source) == (theirs.person, HeroSource.SWAPPED)
    with pytest.raises(ValidationError):
        actions.confirm_swap(swap=swap, by=theirs.person, today=TODAY)


@pytest.mark.django_db
def test_a_swap_whose_weeks_changed_becomes_void():
    team = make_team(4, hero_rota=True)
    rows = HeroWeek.objects.filter(unit=team.unit, week__gt=TODAY).order_by("week")
    mine, theirs = rows[2], rows[3]
    swap = actions.request_swap(by=mine.person, my_week=mine, their_week=theirs, today=TODAY)
    cover = next(p for p in team.people if p not in (mine.person, theirs.person))
    book(theirs.person, theirs.week + timedelta(days=1), cover=cover)
    assert SwapRequest.objects.get(pk=swap.pk).status == SwapStatus.VOID


@pytest.mark.django_db
def test_a_swap_into_a_week_you_are_away_is_refused():
    team = make_team(4, hero_rota=True)
    away = team.people[0]
    target = TODAY + timedelta(weeks=5)
    book(away, target + timedelta(days=2), kind=AbsenceKind.VACATION)
    theirs = HeroWeek.objects.get(unit=team.unit, week=target)
    mine = HeroWeek.objects.filter(unit=team.unit, person=away, week__gt=TODAY).first()
    assert theirs.person != away and mine is not None
    with pytest.raises(ValidationError) as refused:
        actions.request_swap(by=away, my_week=mine, their_week=theirs, today=TODAY)
    assert "their_week" in refused.value.message_dict


class RegenerationNeverMovesBegunWeeks(TestCase):
    """Hypothesis over the real actions: book absences, move time on, plan again."""

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        size=st.integers(2, 6),
        bookings=st.lists(st.tuples(st.integers(0, 5), st.integers(1, 70)), min_size=0, max_size=6),
        advance=st.integers(0, 6),
        replan=st.booleans(),
    )
    # Everyone away one week: that week has no hero, and the weeks either side are not a row.
    @example(size=2, bookings=[(0, 1), (0, 56), (1, 56)], advance=0, replan=False)
    def test_begun_weeks_stay_and_planned_heroes_are_present(self, size, bookings, advance, replan):
        team = make_team(size, hero_rota=True, prefix=f"h{size}x")
        for index, offset in bookings:
            person = team.people[index % size]
            day = working_day(offset)
            with contextlib.suppress(ValidationError):  # an overlap is refused: fine
                book(person, day, kind=AbsenceKind.VACATION)
        later = TODAY + timedelta(weeks=advance)
        begun = {w: p for w, p in rota_rows(team.unit) if w <= monday(later)}
        actions.refresh_hero_rota(
            unit=team.unit, today=later, replan_from=later if replan else None
        )
        after = dict(rota_rows(team.unit))
        assert all(after.get(w) == p for w, p in begun.items())
        from tillit.team.planning import unavailable_weeks

        ids = {p.pk for p in team.people}
        busy = unavailable_weeks(team.unit, ids, monday(later), max(after))
        future = sorted(w for w in after if w > monday(later))
        for week in future:
            assert after[week] not in busy[week]
        for a, b in itertools.pairwise(future):
            if b - a == timedelta(weeks=1) and after[a] == after[b]:
                others = ids - busy[b] - {after[a]}
                assert not others, f"{b}: same hero twice although {others} could"
