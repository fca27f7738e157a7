"""Each leg's clock: working days while the unit owned the open case (Swedish holidays and the
municipality's closed days excluded), closed time left out, waiting time shown as well."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tillit.cases import actions
from tillit.cases.legs import legs_of
from tillit.cases.queries import events_of
from tillit.cases.tests.factories import offer, register
from tillit.organisation.models import ClosedDay

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: int, month: int = 3, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=STOCKHOLM)


def legs(case, now, closed=frozenset()):
    return legs_of(events_of(case), closed_days=closed, now=now)


def test_a_hand_over_ends_one_leg_and_begins_the_next(world, clock):
    clock.now = at(2)  # Monday
    case = register(world)
    handover = offer(world, case)
    clock.now = at(4)  # Wednesday
    actions.accept_handover(handover=handover, by=world.admin_staff)
    centre, administration = legs(case, now=at(9))
    assert (centre.unit, centre.working_days, centre.ended_at) == (world.centre, 2, at(4))
    assert (administration.unit, administration.working_days) == (world.administration, 3)
    assert administration.is_current and not centre.is_current


def test_public_holidays_and_the_municipalitys_closed_days_do_not_count(world, clock):
    clock.now = at(1, month=4)  # Wednesday before Easter 2026 (Good Friday 3 April)
    case = register(world)
    after_easter = at(8, month=4)  # Wednesday after Easter Monday
    [leg] = legs(case, now=after_easter)
    assert leg.working_days == 3  # Thursday 2, Tuesday 7, Wednesday 8
    ClosedDay.objects.create(municipality=world.centre.municipality, day=date(2026, 4, 7))
    [leg] = legs(case, now=after_easter, closed=frozenset({date(2026, 4, 7)}))
    assert leg.working_days == 2


def test_the_clock_stops_while_the_case_is_closed_and_waiting_is_shown(world, clock):
    clock.now = at(2)
    case = register(world)
    clock.now = at(3)
    actions.wait_for_citizen(case=case, by=world.centre_staff, body="Ritningar")
    clock.now = at(5)
    actions.start_work(case=case, by=world.centre_staff)
    clock.now = at(6)
    actions.close_case(case=case, by=world.centre_staff, resolution="Klart")
    clock.now = at(16)
    actions.reopen_case(case=case, by=world.centre_staff, reason="Ny fråga")
    [leg] = legs(case, now=at(17))
    assert leg.working_days == 4 + 1  # 2→6 March, then 16→17 March
    assert leg.waiting_days == 2  # 3→5 March
    assert leg.closed_at is None


def test_a_closed_case_shows_when_its_last_leg_was_closed(world, clock):
    clock.now = at(2)
    case = register(world)
    clock.now = at(2, hour=15)
    actions.close_case(case=case, by=world.centre_staff, resolution="Klart")
    [leg] = legs(case, now=at(20))
    assert (leg.working_days, leg.closed_at) == (0, at(2, hour=15))


def test_waiting_carries_over_into_the_receivers_leg(world, clock):
    clock.now = at(2)
    case = register(world)
    actions.wait_for_citizen(case=case, by=world.centre_staff, body="")
    handover = offer(world, case)
    clock.now = at(3)
    actions.accept_handover(handover=handover, by=world.admin_staff)
    centre, administration = legs(case, now=at(5))
    assert (centre.waiting_days, administration.waiting_days) == (1, 2)
    assert administration.started_at == at(3)
    assert centre.started_at + timedelta(days=1) == administration.started_at
