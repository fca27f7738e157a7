"""Work addressed to an absent person reaches the cover for exactly the booked time (issue 6)."""

from datetime import timedelta
from unittest import mock

import pytest

from tillit.cases import actions as case_actions
from tillit.cases.tests.factories import make_world, offer, register
from tillit.team import actions
from tillit.team.periods import local
from tillit.team.queries import stand_in_for
from tillit.team.states import AbsenceKind, DayPart
from tillit.team.tests.factories import TODAY, book, make_team, working_day

pytestmark = pytest.mark.django_db

MICRO = timedelta(microseconds=1)


def test_a_whole_day_routes_to_the_cover_from_midnight_to_midnight():
    team = make_team()
    anna, bo = team.people[:2]
    day = working_day(2)
    book(anna, day, cover=bo)
    start, end = local(day), local(day + timedelta(days=1))
    assert stand_in_for(anna, start - MICRO) == anna
    assert stand_in_for(anna, start) == bo
    assert stand_in_for(anna, end - MICRO) == bo
    assert stand_in_for(anna, end) == anna


def test_a_morning_ends_at_noon_and_an_afternoon_starts_there():
    team = make_team()
    anna, bo, cia = team.people[:3]
    morning, afternoon = working_day(1), working_day(2)
    book(anna, morning, cover=bo, part=DayPart.MORNING)
    book(anna, afternoon, cover=cia, part=DayPart.AFTERNOON)
    noon = local(morning) + timedelta(hours=12)
    assert stand_in_for(anna, noon - MICRO) == bo
    assert stand_in_for(anna, noon) == anna
    later_noon = local(afternoon) + timedelta(hours=12)
    assert stand_in_for(anna, later_noon - MICRO) == anna
    assert stand_in_for(anna, later_noon) == cia
    assert stand_in_for(anna, local(afternoon + timedelta(days=1))) == anna


def test_a_cancelled_booking_routes_nothing():
    team = make_team()
    anna, bo = team.people[:2]
    day = working_day(3)
    absence = book(anna, day, cover=bo)
    actions.end_absence(absence=absence, by=anna)
    assert stand_in_for(anna, local(day) + timedelta(hours=10)) == anna


def test_a_cover_who_is_away_passes_the_work_to_their_own_cover():
    team = make_team()
    anna, bo, cia = team.people[:3]
    day = working_day(2)
    book(anna, day, cover=bo)
    book(bo, day, cover=cia, kind=AbsenceKind.ILLNESS)
    assert stand_in_for(anna, local(day) + timedelta(hours=9)) == cia


def test_with_nobody_present_in_the_chain_the_work_stays_with_the_addressee():
    team = make_team()
    anna, bo = team.people[:2]
    day = working_day(2)
    book(anna, day, cover=bo)
    book(bo, day, kind=AbsenceKind.ILLNESS)  # ill, no cover named
    assert stand_in_for(anna, local(day) + timedelta(hours=9)) == anna


@pytest.fixture
def world(db):
    return make_world()


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_assignments_and_named_offers_follow_the_cover_during_the_booked_time_only(world):
    """Through the cases actions: before, during and after a reflection day."""
    day = working_day(2)
    book(world.admin_staff, day, cover=world.admin_colleague)
    book(world.centre_staff, day, cover=world.centre_colleague)
    start, end = local(day), local(day + timedelta(days=1))
    case = register(world)

    with _at(start - MICRO):
        assert (
            case_actions.assign_case(
                case=case, handler=world.centre_staff, by=world.centre_colleague
            ).handler
            == world.centre_staff
        )
    with _at(start):
        case_actions.unassign_case(case=case, by=world.centre_colleague)
        assigned = case_actions.assign_case(
            case=case, handler=world.centre_staff, by=world.centre_colleague
        )
        assert assigned.handler == world.centre_colleague
        handover = offer(world, case, to_person=world.admin_staff)
        assert handover.to_person == world.admin_colleague
        case_actions.withdraw_handover(handover=handover, by=world.centre_staff)
    with _at(end - MICRO):
        assert offer(world, case, to_person=world.admin_staff).to_person == world.admin_colleague
        case_actions.withdraw_handover(
            handover=case.handovers.get(status="open"), by=world.centre_colleague
        )
    with _at(end):
        handover = offer(world, case, to_person=world.admin_staff)
        assert handover.to_person == world.admin_staff


def test_ending_a_day_early_routes_back_at_once(world):
    day = TODAY
    absence = book(world.centre_staff, day, cover=world.centre_colleague, today=TODAY)
    case = register(world)
    with _at(local(day) + timedelta(hours=9)):
        assert stand_in_for(world.centre_staff, local(day) + timedelta(hours=9)) == (
            world.centre_colleague
        )
        actions.end_absence(absence=absence, by=world.centre_staff)
    with _at(local(day) + timedelta(hours=9, minutes=1)):
        assigned = case_actions.assign_case(
            case=case, handler=world.centre_staff, by=world.centre_colleague
        )
    assert assigned.handler == world.centre_staff
