"""Team rhythm in a real browser (issue 6): a staff member books a reflection day with a cover
(the suggested covers are those present who handle the same case types), a hand-over offered
to the absent person reaches the cover, the unit's hero rota shows for the quarter and a swap is
confirmed by both. The auto-reply is sent by the mailbox (built later); its contract is checked
here directly. axe runs on every page."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.cases import actions as case_actions
from tillit.cases.models import Case
from tillit.core.workdays import add_working_days
from tillit.organisation.models import Person, Unit
from tillit.team import actions, queries
from tillit.team.models import Absence, HeroWeek, SwapRequest
from tillit.team.periods import monday, quarter_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def person(username: str) -> Person:
    return Person.objects.get(username=username)


def other_user(browser, browser_context_args, login, username: str) -> Page:
    context = browser.new_context(**browser_context_args)
    return login(username, context.new_page())


def test_reflection_day_with_a_cover_who_receives_the_hand_over(demo, login, page, live_server):
    day = add_working_days(timezone.localdate(), 0)  # today, or the next working day
    login("anna.lindqvist")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teamets rytm")
    assert_accessible(page)

    page.get_by_role("link", name="Boka en reflektionsdag eller frånvaro").first.click()
    assert_accessible(page)
    page.get_by_label("Reflektionsdag").check()
    page.get_by_label("Dag (första dag)").fill(day.isoformat())
    page.get_by_label("Hela dagen").check()
    page.get_by_role("button", name="Välj kollega som täcker upp").click()
    suggested = page.locator("fieldset").filter(has_text="Förslag")
    expect(suggested.get_by_text("Förslag", exact=True)).to_be_visible()
    # Mohammed handles the same case type as Anna (waste collection) and is present: proposed.
    expect(suggested).to_contain_text("Mohammed Hassan")
    expect(page.get_by_text("Andra kollegor som är på plats")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mohammed Hassan").check()
    page.get_by_label("Privat anteckning (bara du ser den)").fill("Läsa klarspråksguiden.")
    page.get_by_role("button", name="Boka", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Bokat")
    expect(page.locator(".reply-preview")).to_contain_text("Till dess hjälper Mohammed Hassan dig")
    expect(page.locator(".reply-preview")).to_contain_text("Until then Mohammed Hassan helps you")
    assert_accessible(page)

    anna, mohammed, maria = (
        person(u) for u in ("anna.lindqvist", "mohammed.hassan", "maria.nilsson")
    )
    absence = Absence.objects.get(person=anna, first_day=day)
    during = max(timezone.now(), absence.starts_at + timedelta(hours=10))
    with mock.patch("django.utils.timezone.now", return_value=during):
        case = Case.objects.get(submission_key="demo-team-3")  # Maria's building-permit case
        handover = case_actions.offer_handover(
            case=case,
            to_unit=Unit.objects.get(code="KC"),
            by=maria,
            done="Granskat ritningarna.",
            expected="Ring sökanden och boka ett möte.",
            to_person=anna,
        )
    assert handover.to_person == mohammed

    # The mailbox's contract: one auto-reply per sender and day, naming the cover.
    subject, body = queries.absence_auto_reply(anna, during)
    assert "Anna Lindqvist" in subject and "Mohammed Hassan" in body
    assert actions.claim_auto_reply(person=anna, sender="karin@example.se", on=day)
    assert not actions.claim_auto_reply(person=anna, sender="Karin <karin@example.se>", on=day)

    page.get_by_role("button", name="Logga ut").click()
    login("mohammed.hassan")
    page.goto(f"{live_server.url}/team/tacker-for/")
    expect(page.get_by_role("heading", name="Anna Lindqvist", exact=False).first).to_be_visible()
    expect(page.get_by_text("Erbjudna till dig under tiden")).to_be_visible()
    expect(page.get_by_text(case.registration_number)).to_be_visible()
    assert_accessible(page)


def test_the_units_rota_for_the_quarter_and_a_swap_confirmed_by_both(
    demo, login, page, live_server, browser, browser_context_args
):
    kc = Unit.objects.get(code="KC")
    taken = set(SwapRequest.objects.filter(unit=kc).values_list("requester_week", flat=True)) | set(
        SwapRequest.objects.filter(unit=kc).values_list("other_week", flat=True)
    )
    busy = set(Absence.objects.values_list("person_id", flat=True))
    weeks = [
        w
        for w in HeroWeek.objects.filter(unit=kc, week__gt=monday(timezone.localdate()))
        .select_related("person")
        .order_by("week")
        if w.week not in taken and w.person_id not in busy
    ]
    mine = weeks[0]
    theirs = next(w for w in weeks if w.person_id != mine.person_id)

    login(mine.person.username)
    page.goto(f"{live_server.url}/team/enhet/{kc.pk}/")
    expect(page.get_by_role("heading", name="Hjälteschema, kvartal", exact=False)).to_be_visible()
    rota = page.get_by_role("table")
    expect(rota.get_by_role("row")).to_have_count(len(queries.rota(kc, *_quarter())) + 1)
    assert_accessible(page)
    page.get_by_role("link", name="Byt vecka med en kollega").click()
    assert_accessible(page)
    page.get_by_label("Din vecka").select_option(mine.week.isoformat())
    page.get_by_label("Kollegans vecka som du tar").select_option(theirs.week.isoformat())
    page.get_by_label("Meddelande (frivilligt)").fill("Jag är på kurs då.")
    page.get_by_role("button", name="Be om bytet").click()
    expect(page.get_by_role("status")).to_contain_text("Det genomförs när din kollega bekräftar")

    other = other_user(browser, browser_context_args, login, theirs.person.username)
    other.goto(f"{live_server.url}/team/")
    request = other.locator("li.card").filter(has_text=str(mine.person))
    expect(request).to_contain_text("har bekräftat genom att fråga")
    assert_accessible(other)
    request.get_by_role("button", name="Bekräfta bytet").click()
    expect(other.get_by_role("status")).to_contain_text("Bytet är bekräftat av er båda")
    assert HeroWeek.objects.get(pk=mine.pk).person_id == theirs.person_id
    assert HeroWeek.objects.get(pk=theirs.pk).person_id == mine.person_id

    year, quarter = quarter_of(mine.week)
    page.goto(f"{live_server.url}/team/enhet/{kc.pk}/?kvartal={year}-{quarter}")
    number = page.get_by_role("rowheader", name=str(mine.week.isocalendar()[1]), exact=True)
    expect(page.get_by_role("row").filter(has=number)).to_contain_text(str(theirs.person))
    assert_accessible(page)


def _quarter():
    return quarter_of(timezone.localdate())


def test_every_team_page_is_accessible_and_fits_a_phone(demo, login, page, live_server):
    kc = Unit.objects.get(code="KC")
    login("lars.andersson")
    for path in (
        "/",
        f"/team/enhet/{kc.pk}/",
        f"/team/enhet/{kc.pk}/regler/",
        f"/team/enhet/{kc.pk}/sysslor/",
        "/team/kalender/",
        "/team/statistik/",
        "/team/tacker-for/",
        "/team/franvaro/ny/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/team/kalender/")
    page.get_by_role("button", name="För min egen kalender").click()
    expect(page.get_by_label("Kalenderadress")).to_have_value(
        re.compile(r"^http://.+/team/kalender/.+\.ics$")
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (f"/team/enhet/{kc.pk}/", "/team/franvaro/ny/", "/team/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.goto(f"{live_server.url}/team/enhet/{kc.pk}/#sysslor")
    page.locator("li.chore").nth(1).get_by_role("button", name="Markera som klar").click()
    expect(page.locator("li.chore").nth(1)).to_contain_text("Klart (Lars Andersson)")
