"""Feedback in a real browser: the citizen's survey, the manager's dashboard, appreciation."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.cases import actions as case_actions
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.catalogue.models import CaseType
from tillit.feedback import actions
from tillit.feedback.states import SurveySource
from tillit.organisation.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def closed_phone_case(username: str = "anna.lindqvist"):
    staff = Person.objects.get(username=username)
    return case_actions.register_case(
        channel=Channel.PHONE,
        subject="Fråga om sophämtning",
        case_type=CaseType.objects.get(code="avfall-hamtning"),
        by=staff,
        party=PartyInput(name="Eva Holm", email="eva.holm@example.se"),
        resolved_at_first_contact=True,
    )


def test_a_citizen_answers_the_survey_from_the_link_and_cannot_answer_twice(
    demo, page: Page, live_server
):
    token = actions.open_survey(case=closed_phone_case(), source=SurveySource.CLOSED)
    link = f"{live_server.url}/aterkoppling/e/{token}/"
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hur var din kontakt med oss?")
    assert_accessible(page)
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("group", name="Hur blev du bemött?")).to_contain_text(
        "Välj hur du blev bemött."
    )
    assert_accessible(page)
    page.get_by_role("group", name="Hur blev du bemött?").get_by_label("5 – Mycket bra").check()
    page.get_by_role("group", name="Fick du den hjälp du behövde?").get_by_label(
        "4 – Till största delen"
    ).check()
    # Keyboard: the third question is answered without the mouse.
    ease = page.get_by_role("group", name="Hur enkelt var det att få hjälp?")
    ease.get_by_label("3 – Varken enkelt eller svårt").focus()
    page.keyboard.press("Space")
    page.get_by_label("Vill du berätta något mer? (frivilligt)").fill(
        "Tack till Anna, hon ringde upp på 070-123 45 67."
    )
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
    assert_accessible(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Redan besvarad")
    assert_accessible(page)
    from tillit.feedback.models import SurveyAnswer

    answer = SurveyAnswer.objects.get(survey__case__subject="Fråga om sophämtning")
    assert (answer.treatment, answer.got_help, answer.ease) == (5, 4, 3)
    assert answer.comment == "Tack till [namn], hon ringde upp på [telefon]."


def test_a_manager_reads_the_unit_dashboard_and_exports_csv(demo, login, page: Page):
    login("lars.andersson")
    page.get_by_role("link", name="Statistik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Servicemått: Kundcenter")
    charts = page.get_by_role("img")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 6
    incoming = page.locator("section#incoming")
    expect(incoming.get_by_role("table")).to_contain_text("telefon")
    expect(page.locator("section#satisfaction").get_by_role("table")).to_be_visible()
    expect(page.locator("section#kkik")).to_contain_text("Bemötandeindex")
    assert_accessible(page)

    with page.expect_download() as download:
        incoming.get_by_role("link", name="Ladda ner uppgifterna som CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Kanal", "Ärenden"]
    assert any(row[0] == "telefon" and int(row[1]) > 0 for row in rows[1:])

    # The whole municipality, a shorter period, and the filters by keyboard.
    page.get_by_label("Enhet", exact=True).select_option(label="Hela kommunen")
    page.get_by_label("Från", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Servicemått: hela kommunen")
    assert_accessible(page)


def test_the_dashboard_fits_a_phone(demo, login, page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    login("lars.andersson")
    page.get_by_role("link", name="Statistik").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_colleagues_appreciation_appears_in_the_receivers_feed(
    demo, login, page: Page, browser, live_server
):
    case = closed_phone_case("anna.lindqvist")
    login("mohammed.hassan")
    page.goto(f"{live_server.url}/aterkoppling/uppskattning/ny/{case.pk}/")
    assert_accessible(page)
    page.get_by_label("Till").select_option(label="Anna Lindqvist")
    page.get_by_label("Meddelande").fill("Så fint du tog hand om samtalet om sophämtningen!")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("status")).to_contain_text("Din uppskattning har skickats till Anna")
    assert_accessible(page)

    other = browser.new_context(locale="sv-SE").new_page()
    login("anna.lindqvist", other)
    expect(other.get_by_role("heading", name="Uppskattning till dig")).to_be_visible()
    other.get_by_role("link", name="Uppskattning", exact=True).click()
    feed = other.get_by_role("region", name="Till dig")
    expect(feed).to_contain_text("Så fint du tog hand om samtalet om sophämtningen!")
    expect(feed).to_contain_text("Från Mohammed Hassan")
    expect(feed).to_contain_text(case.registration_number)
    assert_accessible(other)


def test_staff_pages_are_accessible(demo, login, page: Page, live_server):
    case = closed_phone_case("anna.lindqvist")
    login("anna.lindqvist")
    for path in (
        f"/aterkoppling/reflektion/{case.pk}/",
        "/aterkoppling/reflektioner/",
        "/aterkoppling/uppfoljningar/",
        f"/aterkoppling/kvitto/{case.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.get_by_role("button", name="Skapa ett kvitto med enkätlänk").click()
    expect(page.get_by_role("img", name="QR-kod till enkätlänken")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/aterkoppling/reflektion/{case.pk}/")
    page.get_by_label("ja, tillsammans").check()
    page.get_by_label("Vad hade hjälpt från vår sida?").fill("Att vi hade checklistan framme.")
    page.get_by_role("button", name="Spara min reflektion").click()
    expect(page.get_by_role("status")).to_contain_text("Tack för din reflektion")
    expect(page.get_by_role("main")).to_contain_text("Att vi hade checklistan framme.")
