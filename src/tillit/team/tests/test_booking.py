"""Booking a reflection day or an absence: one action, refused field by field with the reason."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tillit.organisation.actions import grant_role
from tillit.team import actions, queries
from tillit.team.booking import PresenceRefused
from tillit.team.models import Absence
from tillit.team.states import AbsenceKind, DayPart
from tillit.team.tests.factories import TODAY, book, make_team, working_day

pytestmark = pytest.mark.django_db


def refusal(call, *args, **kwargs):
    with pytest.raises(ValidationError) as raised, translation.override("sv"):
        call(*args, **kwargs)
    return raised.value


def test_a_reflection_day_needs_a_cover_and_a_working_day():
    team = make_team()
    anna = team.people[0]
    error = refusal(book, anna, working_day(1))
    assert error.message_dict["cover"] == ["Välj kollegan som täcker för dig den dagen."]
    saturday = TODAY + timedelta(days=5)
    error = refusal(book, anna, saturday, cover=team.people[1])
    assert "inte en arbetsdag" in error.message_dict["first_day"][0]
    epiphany = date(2031, 1, 6)  # trettondedag jul, a Monday
    error = refusal(book, anna, epiphany, cover=team.people[1], today=date(2031, 1, 2))
    assert "inte en arbetsdag" in error.message_dict["first_day"][0]


def test_the_past_a_long_reflection_and_half_of_several_days_are_refused():
    team = make_team()
    anna, bo = team.people[:2]
    assert "first_day" in refusal(book, anna, TODAY - timedelta(days=1), cover=bo).message_dict
    error = refusal(book, anna, working_day(1), last_day=working_day(2), cover=bo)
    assert "last_day" in error.message_dict
    error = refusal(
        book,
        anna,
        working_day(1),
        last_day=working_day(3),
        kind=AbsenceKind.VACATION,
        part=DayPart.MORNING,
    )
    assert "part" in error.message_dict


def test_the_cover_must_be_a_present_colleague_in_every_unit_of_the_person():
    team = make_team()
    anna, bo, cia = team.people[:3]
    day = working_day(2)
    error = refusal(book, anna, day, cover=team.outsider)
    assert "är inte medlem i Kundcenter" in error.message_dict["cover"][0]
    book(bo, day, kind=AbsenceKind.VACATION)
    error = refusal(book, anna, day, cover=bo)
    assert error.message_dict["cover"][0].endswith("är borta under den tiden.")
    grant_role(person=anna, unit=team.other_unit, role="staff")
    error = refusal(book, anna, day, cover=cia)
    assert "Bygglov" in error.message_dict["cover"][0]


def test_a_second_booking_over_the_same_time_is_refused():
    team = make_team()
    anna, bo, cia = team.people[:3]
    book(anna, working_day(2), cover=bo, part=DayPart.MORNING)
    error = refusal(book, anna, working_day(2), cover=cia)
    assert "redan" in error.message_dict["first_day"][0]


def test_the_afternoon_after_a_booked_morning_is_free():
    team = make_team()
    anna, bo, cia = team.people[:3]
    book(anna, working_day(2), cover=bo, part=DayPart.MORNING)
    afternoon = book(anna, working_day(2), cover=cia, part=DayPart.AFTERNOON)
    assert afternoon.cover == cia


def test_someone_who_promised_to_cover_cannot_plan_to_be_away_then():
    team = make_team()
    anna, bo = team.people[:2]
    day = working_day(4)
    book(anna, day, cover=bo)
    error = refusal(book, bo, day, cover=team.people[2])
    assert "Du täcker för" in error.message_dict["first_day"][0]
    ill = book(bo, day, kind=AbsenceKind.ILLNESS)  # illness is never refused for that
    assert ill.pk


def test_a_repeated_form_books_once():
    team = make_team()
    anna, bo = team.people[:2]
    first = book(anna, working_day(2), cover=bo, request_key="form-1")
    again = book(anna, working_day(2), cover=bo, request_key="form-1")
    assert again.pk == first.pk
    assert Absence.objects.filter(person=anna).count() == 1


def test_only_the_person_or_their_manager_books():
    team = make_team()
    anna, bo = team.people[:2]
    error = refusal(book, anna, working_day(2), by=bo, kind=AbsenceKind.ILLNESS)
    assert "person" in error.message_dict
    ill = book(anna, working_day(2), by=team.manager, kind=AbsenceKind.ILLNESS)
    assert ill.booked_by == team.manager


def test_the_presence_rule_refuses_with_the_reason_and_the_nearest_free_days():
    team = make_team(4, min_present=4)  # four colleagues and the manager: one may be away
    anna, bo, cia, dan = team.people
    day = working_day(3)
    book(anna, day, cover=bo)
    with pytest.raises(PresenceRefused) as raised, translation.override("sv"):
        book(cia, day, cover=dan)
    message = raised.value.message_dict["first_day"][0]
    assert "Kundcenter behöver minst 4 på plats" in message
    assert "bara 3" in message
    assert "Närmaste lediga dagar" in message
    free = raised.value.free_days
    assert free == [working_day(1), working_day(2), working_day(4)]
    assert day not in free
    for free_day in free:
        assert book(cia, free_day, cover=dan).pk
        actions.end_absence(absence=Absence.objects.get(person=cia, first_day=free_day), by=cia)


def test_half_days_count_half_by_half():
    team = make_team(4, min_present=4)
    anna, bo, cia, dan = team.people
    day = working_day(2)
    book(anna, day, cover=bo, part=DayPart.MORNING)
    assert book(cia, day, cover=team.manager, part=DayPart.AFTERNOON).pk
    with pytest.raises(PresenceRefused) as raised, translation.override("sv"):
        book(dan, day, cover=bo, part=DayPart.AFTERNOON)
    assert "på eftermiddagen" in raised.value.message_dict["first_day"][0]


def test_illness_is_recorded_even_when_the_unit_is_short():
    team = make_team(3, min_present=3)
    anna, bo, cia = team.people
    book(anna, working_day(1), cover=bo)
    assert book(cia, working_day(1), kind=AbsenceKind.ILLNESS).pk


def test_vacation_over_a_weekend_only_counts_working_days():
    team = make_team(3, min_present=3)
    anna, bo, _cia = team.people
    friday, sunday, monday = (TODAY + timedelta(days=d) for d in (4, 6, 7))
    book(anna, friday, last_day=sunday, kind=AbsenceKind.VACATION)
    vacation = book(bo, friday + timedelta(days=1), last_day=monday, kind=AbsenceKind.VACATION)
    assert vacation.pk  # both away on the weekend, but nobody needs to be present then
    error = refusal(
        book,
        bo,
        friday + timedelta(days=1),
        last_day=TODAY + timedelta(days=6),
        kind=AbsenceKind.VACATION,
    )
    assert "Det finns ingen arbetsdag" in error.message_dict["first_day"][0]


def test_the_preview_suggests_present_colleagues_and_sorts_by_shared_case_types():
    team = make_team(4)
    anna, bo, cia, dan = team.people
    book(dan, working_day(2), kind=AbsenceKind.VACATION)
    preview = queries.booking_preview(
        anna, kind="reflection", first_day=working_day(2), last_day=None, part="whole", today=TODAY
    )
    names = {str(p) for p in preview.suggested + preview.others}
    assert str(dan) not in names
    assert {bo, cia, team.manager} <= set(preview.suggested)  # no cases yet: everyone fits
