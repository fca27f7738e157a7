"""The team pages over HTTP: booking in two steps, refusals in Swedish field by field, access."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tillit.cases import actions as case_actions
from tillit.catalogue.tests.factories import CaseTypeFactory
from tillit.organisation.actions import revoke_role
from tillit.organisation.models import Role
from tillit.team import actions, queries
from tillit.team.models import Absence, ChoreTick, HeroWeek, SwapRequest
from tillit.team.periods import local, monday, quarter_of
from tillit.team.states import SwapStatus
from tillit.team.tests.factories import TODAY, book, make_team, working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def team(today):
    team = make_team(4)
    actions.set_unit_rules(
        unit=team.unit, by=team.manager, min_present=3, hero_rota=True, today=today
    )
    return team


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def step_two(client, day, **extra):
    params = {"kind": "reflection", "first_day": day.isoformat(), "part": "whole", **extra}
    return client.get(reverse("team:book"), params)


def test_booking_in_two_steps_suggests_colleagues_who_handle_the_same_case_types(team, today):
    anna, bo, cia, dan = team.people
    case_type = CaseTypeFactory(administration=team.other_unit)
    for person in (anna, cia):
        case_actions.register_case(
            channel="phone",
            subject="Fråga om sophämtning",
            case_type=case_type,
            by=person,
            owner=team.unit,
            handler=person,
        )
    day = working_day(3, today)
    page = step_two(logged_in(anna), day)
    assert page.status_code == 200
    html = page.content.decode()
    suggested, others = html.split("Andra kollegor som är på plats")
    assert str(cia) in suggested and str(bo) not in suggested
    assert str(bo) in others and str(dan) in others
    key = page.context["form"]["request_key"].value()
    data = {
        "kind": "reflection",
        "first_day": day.isoformat(),
        "part": "whole",
        "cover": cia.pk,
        "reply_sv": page.context["form"]["reply_sv"].value(),
        "reply_en": "",
        "note": "Läsa",
        "request_key": key,
    }
    client = logged_in(anna)
    response = client.post(reverse("team:book"), data)
    assert response.status_code == 302, response.context["form"].errors
    absence = Absence.objects.get(person=anna)
    assert response.status_code == 302
    assert response["Location"] == reverse("team:absence", args=[absence.pk])
    assert client.post(reverse("team:book"), data).status_code == 302  # a double click
    assert Absence.objects.filter(person=anna).count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert f"Till dess hjälper {cia} dig" in detail
    assert "Läsa" in detail


def test_a_refused_day_says_why_and_links_the_nearest_free_days(team, today):
    anna, bo, cia, dan = team.people
    day = working_day(3, today)
    book(bo, day, cover=dan, today=today)
    book(cia, day, cover=dan, today=today)  # four colleagues and a manager, three must stay
    page = step_two(logged_in(anna), day)
    html = page.content.decode()
    assert "Kundcenter behöver minst 3 på plats" in html
    assert 'role="alert"' in html
    free = page.context["free_days"]
    assert free and day not in free
    assert f"first_day={free[0].isoformat()}" in html


def test_a_cover_is_required_and_must_be_among_the_present(team, today):
    anna, _bo, _cia, _dan = team.people
    day = working_day(2, today)
    data = {
        "kind": "reflection",
        "first_day": day.isoformat(),
        "part": "whole",
        "cover": "",
        "reply_sv": "",
        "reply_en": "",
        "note": "",
        "request_key": "k1",
    }
    response = logged_in(anna).post(reverse("team:book"), data)
    assert response.status_code == 400
    assert "Välj kollegan som täcker för dig den dagen." in response.content.decode()
    data["cover"] = team.outsider.pk
    response = logged_in(anna).post(reverse("team:book"), data)
    assert response.status_code == 400 and not Absence.objects.exists()
    assert f"{team.outsider} är inte medlem i Kundcenter" in response.content.decode()


def test_someone_elses_absence_is_not_found(team, today):
    anna, bo = team.people[:2]
    absence = book(anna, working_day(2, today), cover=bo, today=today)
    assert logged_in(bo).get(reverse("team:absence", args=[absence.pk])).status_code == 404


def test_the_private_note_stays_private_and_a_shared_insight_reaches_the_unit_page(team, today):
    anna, bo = team.people[:2]
    absence = book(anna, working_day(2, today), cover=bo, today=today)
    client = logged_in(anna)
    url = reverse("team:absence", args=[absence.pk])
    client.post(url, {"action": "note", "note": "Hemligt: jag vill byta tjänst"})
    client.post(url, {"action": "insight", "insight": "Kortare standardsvar sparar tid"})
    unit_page = logged_in(bo).get(reverse("team:unit", args=[team.unit.pk])).content.decode()
    assert "Kortare standardsvar sparar tid" in unit_page
    assert "Hemligt" not in unit_page


@pytest.fixture
def monday_morning():
    """Now is ten o'clock on TODAY (a Monday), for pages that show what is happening now."""
    moment = local(TODAY) + timedelta(hours=10)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def test_the_cover_sees_the_absent_persons_open_cases_only_while_covering_and_allowed(
    monday_morning,
):
    team = make_team(4)
    anna, bo = team.people[:2]
    case_type = CaseTypeFactory(administration=team.other_unit)
    open_case = case_actions.register_case(
        channel="phone",
        subject="Trasigt sopkärl",
        case_type=case_type,
        by=anna,
        owner=team.unit,
        handler=anna,
    )
    secret = case_actions.register_case(
        channel="phone",
        subject="Skyddad adress",
        case_type=case_type,
        by=anna,
        owner=team.unit,
        handler=anna,
        is_secret=True,
        secrecy_provision="OSL 21:3",
    )
    later = book(anna, working_day(2), cover=bo)
    client = logged_in(bo)
    assert "Trasigt sopkärl" not in client.get(reverse("team:covering")).content.decode()
    actions.end_absence(absence=later, by=anna)
    book(anna, TODAY, cover=bo)
    html = client.get(reverse("team:covering")).content.decode()
    assert open_case.registration_number in html and "Trasigt sopkärl" in html
    assert secret.registration_number in html and "Skyddad adress" not in html
    start_page = client.get(reverse("accounts:start")).content.decode()
    assert f"Du täcker för {anna} i dag" in start_page
    revoke_role(person=bo, unit=team.unit, role=Role.STAFF)
    assert "Trasigt sopkärl" not in client.get(reverse("team:covering")).content.decode()


def test_unit_pages_are_for_members_and_managers_only(team):
    assert (
        logged_in(team.outsider).get(reverse("team:unit", args=[team.unit.pk])).status_code == 404
    )
    assert (
        logged_in(team.people[0]).get(reverse("team:unit", args=[team.unit.pk])).status_code == 200
    )
    assert (
        logged_in(team.people[0]).get(reverse("team:rules", args=[team.unit.pk])).status_code == 404
    )
    page = logged_in(team.manager).post(
        reverse("team:rules", args=[team.unit.pk]), {"min_present": 99, "hero_rota": "on"}
    )
    assert page.status_code == 400
    assert "Välj ett tal från 0 till 5" in page.content.decode()


def test_the_unit_page_shows_the_quarters_rota_and_this_weeks_hero(team, today):
    page = logged_in(team.people[0]).get(reverse("team:unit", args=[team.unit.pk]))
    hero = HeroWeek.objects.get(unit=team.unit, week=monday(today)).person
    html = page.content.decode()
    assert str(hero) in html
    assert len(page.context["rota"]) in {13, 14}
    assert sum(1 for row in page.context["rota"] if row.is_current) == 1
    following = logged_in(team.people[0]).get(
        reverse("team:unit", args=[team.unit.pk]), {"kvartal": page.context["following"]}
    )
    assert following.status_code == 200


def test_chores_are_added_and_ticked_for_this_week_with_htmx(team, today):
    client = logged_in(team.people[0])
    client.post(reverse("team:chores", args=[team.unit.pk]), {"title": "Vattna blommorna"})
    chore = team.unit.chores.get()
    response = client.post(
        reverse("team:chore_tick", args=[chore.pk]), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "chore--done" in response.content.decode()
    assert ChoreTick.objects.get(chore=chore).week == monday(today)
    client.post(reverse("team:chore_tick", args=[chore.pk]), {"done": "0"})
    assert not ChoreTick.objects.exists()
    outsider = logged_in(team.outsider)
    assert (
        outsider.post(reverse("team:chore_tick", args=[chore.pk]), {"done": "1"}).status_code == 404
    )


def test_a_swap_is_asked_by_one_and_confirmed_by_the_other(team, today):
    rows = list(HeroWeek.objects.filter(unit=team.unit, week__gt=monday(today)).order_by("week"))
    mine, theirs = rows[0], rows[1]
    asker = logged_in(mine.person)
    response = asker.post(
        reverse("team:swap_new", args=[team.unit.pk]),
        {"my_week": mine.week.isoformat(), "their_week": theirs.week.isoformat(), "message": ""},
    )
    assert response.status_code == 302
    swap = SwapRequest.objects.get()
    other = logged_in(theirs.person)
    assert str(mine.person) in other.get(reverse("team:index")).content.decode()
    asker.post(reverse("team:swap_answer", args=[swap.pk]), {"answer": "confirm"})
    assert SwapRequest.objects.get().status == SwapStatus.OPEN  # the asker cannot confirm
    other.post(reverse("team:swap_answer", args=[swap.pk]), {"answer": "confirm"})
    assert SwapRequest.objects.get().status == SwapStatus.CONFIRMED
    assert HeroWeek.objects.get(pk=mine.pk).person == theirs.person


def test_forms_need_the_csrf_token(team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.people[0])
    assert (
        client.post(reverse("team:chores", args=[team.unit.pk]), {"title": "x"}).status_code == 403
    )


def test_the_start_page_panel_shows_the_hero_of_the_week(team, today):
    html = logged_in(team.people[1]).get(reverse("accounts:start")).content.decode()
    hero = HeroWeek.objects.get(unit=team.unit, week=monday(today)).person
    assert f"Veckans hjälte i {team.unit}: <strong>{hero}</strong>" in html


def test_team_figures_count_reflection_days_and_name_nobody(team, today):
    anna, bo, cia, _dan = team.people
    first, second = working_day(1, today), working_day(2, today)
    book(anna, first, cover=bo, today=today)
    book(bo, second, cover=cia, today=today, part="morning")
    quarters = sorted({quarter_of(first), quarter_of(second)})
    assert sum(q.reflection_days for q in queries.figures(team.unit, quarters)) == 1.5
    page = logged_in(cia).get(reverse("team:figures"))
    html = page.content.decode()
    assert "Reflektionsdagar" in html
    for person in team.people:
        assert str(person) not in html
