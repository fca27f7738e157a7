"""Calendar feeds (issue 6): RFC 5545 written with icalendar, read back here with an independent
parser (vobject); private token addresses that can be revoked, stored only as hashes."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from tillit.organisation.actions import revoke_role
from tillit.organisation.models import Role
from tillit.team import actions
from tillit.team.models import CalendarFeed, HeroWeek
from tillit.team.states import AbsenceKind, DayPart
from tillit.team.tests.factories import book, make_team, working_day

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def team(today):
    team = make_team(4)
    actions.set_unit_rules(
        unit=team.unit, by=team.manager, min_present=0, hero_rota=True, today=today
    )
    return team


def fetch(client, token):
    response = client.get(reverse("team:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n")), "RFC 5545 folds at 75"
    assert raw.endswith("\r\n")
    return vobject.readOne(raw)


def events(calendar):
    return {event.summary.value: event for event in calendar.vevent_list}


def test_a_persons_feed_has_their_hero_weeks_absences_and_the_days_they_cover(client, team, today):
    anna, bo = team.people[:2]
    full = book(anna, working_day(3, today), cover=bo, today=today)
    book(bo, working_day(4, today), cover=anna, part=DayPart.AFTERNOON, today=today)
    _feed, token = actions.create_feed(person=anna)
    calendar = fetch(client, token)
    assert calendar.prodid.value == "-//Tillit//Team rhythm//SV"
    found = events(calendar)
    reflection = found["Reflektionsdag"]
    assert reflection.dtstart.value == full.first_day  # an all-day event
    assert reflection.dtend.value == full.first_day + dt.timedelta(days=1)
    assert f"{bo} täcker upp" in reflection.description.value
    covering = found[f"Täcker för {bo}"]
    start = covering.dtstart.value
    assert (start.hour, start.tzinfo.utcoffset(start)) == (
        12,
        dt.datetime(start.year, start.month, start.day, 12, tzinfo=STOCKHOLM).utcoffset(),
    )
    assert covering.transp.value == "TRANSPARENT"
    heroes = [e for e in calendar.vevent_list if e.summary.value.startswith("Veckans hjälte")]
    assert len(heroes) == HeroWeek.objects.filter(person=anna).count() > 0
    week = heroes[0]
    assert week.dtstart.value.weekday() == 0
    assert week.dtend.value - week.dtstart.value == dt.timedelta(days=5)
    assert len({e.uid.value for e in calendar.vevent_list}) == len(calendar.vevent_list)


def test_a_units_feed_says_reflection_day_but_only_away_for_other_kinds(client, team, today):
    anna, bo, cia = team.people[:3]
    book(anna, working_day(2, today), cover=bo, today=today)
    book(cia, working_day(2, today), kind=AbsenceKind.ILLNESS, today=today)
    _feed, token = actions.create_feed(person=bo, unit=team.unit)
    calendar = fetch(client, token)
    summaries = set(events(calendar))
    assert f"Reflektionsdag: {anna}" in summaries
    assert f"Borta: {cia}" in summaries
    assert not any("sjuk" in s.lower() for s in summaries)
    assert calendar.x_wr_calname.value == f"Tillit – {team.unit}"


def test_only_the_hash_is_stored_and_a_revoked_or_replaced_address_stops(client, team):
    anna = team.people[0]
    feed, token = actions.create_feed(person=anna)
    assert token not in str(list(CalendarFeed.objects.values()))
    assert re.fullmatch(r"[0-9a-f]{64}", feed.token_hash)
    _new, new_token = actions.create_feed(person=anna)  # a new address replaces the old
    assert client.get(reverse("team:feed", args=[token])).status_code == 404
    assert client.get(reverse("team:feed", args=[new_token])).status_code == 200
    actions.revoke_feed(feed=CalendarFeed.objects.get(pk=_new.pk), by=anna)
    assert client.get(reverse("team:feed", args=[new_token])).status_code == 404
    assert client.get(reverse("team:feed", args=["not-a-token"])).status_code == 404


def test_a_unit_address_stops_when_its_owner_leaves_the_unit(client, team):
    anna = team.people[0]
    _feed, token = actions.create_feed(person=anna, unit=team.unit)
    revoke_role(person=anna, unit=team.unit, role=Role.STAFF)
    assert client.get(reverse("team:feed", args=[token])).status_code == 404


def test_the_calendar_page_shows_a_new_address_once_and_revokes(client, team):
    anna = team.people[0]
    client.force_login(anna)
    page = client.post(reverse("team:calendar"), {"unit": team.unit.pk})
    url = re.search(r'value="(http[^"]+\.ics)"', page.content.decode()).group(1)
    assert client.get(url).status_code == 200
    assert url not in client.get(reverse("team:calendar")).content.decode()
    feed = CalendarFeed.objects.get(person=anna, revoked_at__isnull=True)
    client.post(reverse("team:calendar"), {"revoke": feed.pk})
    assert client.get(url).status_code == 404
    outsider_unit = team.other_unit.pk
    assert client.post(reverse("team:calendar"), {"unit": outsider_unit}).status_code == 404
