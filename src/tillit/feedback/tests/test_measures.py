"""The service measures against a fixture computed by hand.

Five cases in 2025 (and one cancelled), chosen to cross Midsummer (Midsummer Eve Fri 20 June and
Midsummer Day Sat 21 June are closed), Christmas (Christmas Eve Wed 24, Christmas Day Thu 25,
Boxing Day Fri 26 December) and New Year (New Year's Eve Wed 31 December, New Year's Day Thu 1
January), with a case handed over to the administration and back so it has both kinds of leg.

A  phone, hands-over type: registered Thu 19 June by kc1; offered; accepted by SBF Mon 23 June;
   reply by sbf2 Tue 24 June; closed Fri 27 June.
   Contact-centre leg 19→23 June = 1 working day (20, 21, 22 closed); administration leg
   23→27 June = 4; whole case 19→27 June = 5. One hand-over; people: kc1 (took the call), sbf2.
D  phone, resolved at first contact by kc2 Thu 19 June: 0 working days, one person.
B  e-mail, Tue 23 December; first reply by kc2 Mon 29 December = 1 working day (24-28 closed):
   answered within one working day. Closed Tue 30 December: whole case 2.
C  e-mail, Fri 19 December; reply and closing by kc1 Tue 23 December = 2 working days:
   answered within two working days, not one. Whole case 2.
E  visit, Mon 22 December, registered by kc1; accepted by SBF Tue 23 December (centre leg 1);
   offered back, accepted by the centre Mon 29 December (administration leg 23→29 = 1); oral
   information by kc2; closed Fri 2 January 2026 (centre leg 29→2 = 2: 31 Dec and 1 Jan closed).
   Whole case 22 Dec→2 Jan = 4. Two hand-overs; people: kc1 (the visit), kc2.
F  web form, cancelled: registered, never closed.

Expected, whole municipality, June 2025 to January 2026:
- registered: phone 2, e-mail 2, visit 1, web 1; resolved at first contact: phone 1 of 2.
- e-mail answered within one working day 1 of 2 (50 %), within two 2 of 2 (100 %).
- hand-overs per closed case: 0 → 3 (B, C, D), 1 → 1 (A), 2+ → 1 (E); mean 0.6.
- people per closed case: 1 → 3, 2 → 2; mean 1.4.
- time to help, hands-over type (A, E): whole [4, 5] → median 4, 90th percentile 5;
  centre legs [1, 1, 2] → 1 and 2; administration legs [1, 4] → 1 and 4.
  Centre-resolved type (B, C, D): whole and centre [0, 2, 2] → 2 and 2; no administration leg.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tillit.cases import actions as case_actions
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.cases.tests.factories import World, offer, register
from tillit.catalogue.tests.factories import CaseTypeFactory
from tillit.core.workdays import working_days_between
from tillit.feedback.measures import WorkdayClock
from tillit.feedback.tests.helpers import frozen, local

PERIOD = {"enhet": "kommun", "fran": "2025-06-01", "till": "2026-01-31"}


def build_fixture(world: World) -> None:
    resolves = CaseTypeFactory(
        administration=world.administration, name="Allmän fråga", centre_resolves=True
    )
    kc1, kc2 = world.centre_staff, world.centre_colleague
    sbf1, sbf2 = world.admin_staff, world.admin_colleague
    party = PartyInput(name="Karin Nyström", email="karin@example.se")

    # A: phone, handed over across Midsummer.
    with frozen(local(2025, 6, 19, 10)):
        a = register(world, channel=Channel.PHONE, by=kc1, party=party)
    with frozen(local(2025, 6, 19, 14)):
        handover = offer(world, a)
    with frozen(local(2025, 6, 23, 9)):
        a = case_actions.accept_handover(handover=handover, by=sbf1, handler=sbf1)
    with frozen(local(2025, 6, 24, 10)):
        case_actions.add_reply(case=a, by=sbf2, body="Altanen kräver inte bygglov.")
    with frozen(local(2025, 6, 27, 15)):
        case_actions.close_case(case=a, by=sbf1)

    # D: phone, resolved at first contact.
    with frozen(local(2025, 6, 19, 11)):
        register(
            world, channel=Channel.PHONE, case_type=resolves, by=kc2, resolved_at_first_contact=True
        )

    # B: e-mail over Christmas, answered within one working day.
    with frozen(local(2025, 12, 23, 9)):
        b = register(world, channel=Channel.EMAIL, case_type=resolves, by=kc1)
    with frozen(local(2025, 12, 29, 10)):
        case_actions.add_reply(case=b, by=kc2, body="Svar på din fråga.")
    with frozen(local(2025, 12, 30, 9)):
        case_actions.close_case(case=b, by=kc2)

    # C: e-mail answered on the second working day.
    with frozen(local(2025, 12, 19, 9)):
        c = register(world, channel=Channel.EMAIL, case_type=resolves, by=kc1)
    with frozen(local(2025, 12, 23, 10)):
        case_actions.add_reply(case=c, by=kc1, body="Svar.")
        case_actions.close_case(case=c, by=kc1)

    # E: a visit, handed to the administration and back, over Christmas and New Year.
    with frozen(local(2025, 12, 22, 10)):
        e = register(world, channel=Channel.VISIT, by=kc1)
        first = offer(world, e)
    with frozen(local(2025, 12, 23, 9)):
        e = case_actions.accept_handover(handover=first, by=sbf1, handler=sbf1)
    with frozen(local(2025, 12, 23, 14)):
        back = offer(world, e, to_unit=world.centre, by=sbf1)
    with frozen(local(2025, 12, 29, 9)):
        e = case_actions.accept_handover(handover=back, by=kc2, handler=kc2)
        case_actions.record_oral_information(case=e, by=kc2, body="Förklarade beslutet.")
    with frozen(local(2026, 1, 2, 11)):
        case_actions.close_case(case=e, by=kc2)

    # F: a web-form case, cancelled.
    with frozen(local(2025, 9, 1, 12)):
        f = register(world, channel=Channel.WEB, by=None)
        case_actions.cancel_case(case=f, by=kc1, reason="Dubblett.")

    call_command(
        "feedback_rollup", "--from", "2025-06-01", "--to", "2026-01-31", stdout=io.StringIO()
    )


def export(client, key: str, **params: str) -> list[list[str]]:
    response = client.get(reverse("feedback:export", args=[key]), {**PERIOD, **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))[1:]


@pytest.fixture
def measured(world, client):
    build_fixture(world)
    client.force_login(world.admin_manager)
    return client


def test_incoming_per_channel_counts_every_registered_case(measured):
    assert dict(export(measured, "incoming")) == {
        "telefon": "2",
        "e-post": "2",
        "besök": "1",
        "webbformulär": "1",
    }


def test_first_contact_and_the_kkik_figures(measured):
    first_contact = {row[0]: row[1:] for row in export(measured, "first_contact")}
    assert first_contact["telefon"] == ["2", "1", "50,0"]
    assert first_contact["e-post"] == ["2", "0", "0,0"]
    kkik = {row[0]: row[1:] for row in export(measured, "kkik")}
    assert kkik["E-post besvarad inom en arbetsdag (%)"] == ["50,0", "1", "2"]
    assert kkik["E-post besvarad inom två arbetsdagar (%)"] == ["100,0", "2", "2"]
    assert kkik["Telefonkontakter lösta direkt (%)"] == ["50,0", "1", "2"]


def test_handovers_and_people_per_closed_case(measured):
    assert export(measured, "handovers") == [
        ["0", "3", "60,0"],
        ["1", "1", "20,0"],
        ["2+", "1", "20,0"],
    ]
    assert export(measured, "people") == [
        ["0", "0", "0,0"],
        ["1", "3", "60,0"],
        ["2", "2", "40,0"],
        ["3+", "0", "0,0"],
    ]
    page = measured.get(reverse("feedback:dashboard"), PERIOD)
    assert "Medel: 0,60 per ärende, 5 avslutade ärenden." in page.content.decode()
    assert "Medel: 1,40 per ärende, 5 avslutade ärenden." in page.content.decode()


def test_time_to_help_per_case_type_and_leg_in_working_days(measured, world):
    rows = {row[0]: row[1:] for row in export(measured, "time_to_help")}
    # closed cases, whole case median/p90, centre median/p90, administration median/p90
    assert rows[world.case_type.name] == ["2", "4", "5", "1", "2", "1", "4"]
    assert rows["Allmän fråga"] == ["3", "2", "2", "2", "2", "", ""]


def test_a_unit_sees_its_own_legs_and_closings(measured, world):
    unit = {"enhet": str(world.administration.pk)}
    assert dict(export(measured, "incoming", **unit)) == {"telefon": "1", "besök": "1"}
    assert export(measured, "handovers", **unit) == [
        ["0", "0", "0,0"],
        ["1", "1", "100,0"],
        ["2+", "0", "0,0"],
    ]
    rows = {row[0]: row[1:] for row in export(measured, "time_to_help", **unit)}
    # A closed here (whole case 5); the administration legs here were A's 4 and E's 1.
    assert rows[world.case_type.name] == ["1", "5", "5", "", "", "1", "4"]


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31)),
    length=st.integers(min_value=-400, max_value=400),
)
def test_the_fast_clock_counts_like_the_calendar(start, length):
    """The roll-up's working-day clock agrees with tillit.core.workdays everywhere."""
    from datetime import timedelta

    end = start + timedelta(days=length)
    closed = {date(2025, 5, 2)}  # a municipality's own klämdag
    assert WorkdayClock(closed).between(start, end) == working_days_between(start, end, closed)
