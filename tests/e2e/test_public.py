"""A citizen's journey in a real browser: the e-services start page, the web form with a file,
the receipt with the private link, the status page with a staff reply, and more information
added. Refusals (honeypot, rate limit, a bad personnummer) are clear and accessible."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.cases import actions
from tillit.cases.models import Case, CaseEvent
from tillit.cases.states import EventKind, Status
from tillit.catalogue.models import CaseType
from tillit.organisation.models import Person
from tillit.public.tests import samples

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def clean_limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    cache.clear()
    yield
    cache.clear()


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def fill_form(page: Page, *, personal_number: str = "") -> None:
    page.get_by_label("Rubrik").fill("Trasig gatlampa vid Kvarngatan 7")
    page.get_by_label("Beskriv ditt ärende").fill("Lampan utanför Storgatan 12 är släckt.")
    page.get_by_label("Ditt namn").fill("Karin Nyström")
    page.get_by_label("E-post (frivilligt)").fill("karin@example.se")
    page.get_by_label("Personnummer (frivilligt)").fill(personal_number)


def test_citizen_submits_follows_reads_a_reply_and_adds_information(demo, page: Page, live_server):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/e-tjanst/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakta oss i ett ärende")
    expect(page.get_by_role("heading", name="Samhällsbyggnadsförvaltningen")).to_be_visible()
    assert_accessible(page)
    no_horizontal_scroll(page)

    page.get_by_role("link", name="Starta ärende: Felanmälan gata och park").click()
    expect(page.get_by_label("Vad gäller ditt ärende?")).to_have_value(
        str(CaseType.objects.get(code="felanmalan-gata").pk)
    )
    assert_accessible(page)
    no_horizontal_scroll(page)
    fill_form(page)
    page.get_by_label("Bilagor (frivilligt)").set_input_files(
        files=[{"name": "lampan.png", "mimeType": "image/png", "buffer": samples.png()}]
    )
    page.get_by_role("button", name="Skicka").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt ärende har tagits emot")
    case = Case.objects.get(subject="Trasig gatlampa vid Kvarngatan 7")
    expect(page.get_by_text(case.registration_number)).to_be_visible()
    expect(page.get_by_text("Förväntat svar")).to_be_visible()
    assert_accessible(page)
    no_horizontal_scroll(page)
    link = page.locator("#status-link").get_attribute("href")
    assert link and "/e-tjanst/arende/" in link

    staff = Person.objects.get(username="anna.lindqvist")
    actions.add_note(case=case, by=staff, body="Intern anteckning om stolpen.")
    actions.add_reply(case=case, by=staff, body="Tack! Vi har beställt en reparation.")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.registration_number)
    expect(page.get_by_text("Tack! Vi har beställt en reparation.")).to_be_visible()
    expect(page.get_by_text("Intern anteckning om stolpen.")).to_have_count(0)
    expect(page.get_by_role("link", name="lampan.png")).to_be_visible()
    assert_accessible(page)
    no_horizontal_scroll(page)

    page.get_by_label("Ditt meddelande").fill("Nu blinkar även lampan bredvid.")
    page.get_by_label("Bilagor (frivilligt)").set_input_files(
        files=[{"name": "karta.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}]
    )
    page.get_by_role("button", name="Skicka till ärendet").click()
    expect(page.get_by_text("Tack. Ditt meddelande har lagts till i ditt ärende.")).to_be_visible()
    expect(page.get_by_text("Nu blinkar även lampan bredvid.")).to_be_visible()
    expect(page.get_by_role("link", name="karta.pdf")).to_be_visible()
    assert CaseEvent.objects.filter(
        case=case, kind=EventKind.CITIZEN_MESSAGE, body="Nu blinkar även lampan bredvid."
    ).exists()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="karta.pdf").click()
    assert download.value.suggested_filename == "karta.pdf"


def test_a_double_click_makes_one_case(demo, page: Page, live_server):
    page.goto(f"{live_server.url}/e-tjanst/nytt-arende/?typ=synpunkt")
    fill_form(page)
    page.get_by_role("button", name="Skicka").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt ärende har tagits emot")
    assert Case.objects.filter(subject="Trasig gatlampa vid Kvarngatan 7").count() == 1


def test_sent_twice_from_the_same_page_makes_one_case(demo, page: Page, live_server):
    """The same drawn form posted twice (as after back and send again) gives the first case."""
    page.goto(f"{live_server.url}/e-tjanst/nytt-arende/?typ=synpunkt")
    fill_form(page)
    form = page.locator("form.public-form")
    data = form.evaluate(
        "f => Object.fromEntries([...new FormData(f)].filter(([, v]) => typeof v === 'string'))"
    )
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt ärende har tagits emot")
    page.go_back()
    page.evaluate(
        """data => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/e-tjanst/nytt-arende/'; f.enctype = 'multipart/form-data';
        for (const [k, v] of Object.entries(data)) { const i = document.createElement('input');
        i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }
        document.body.appendChild(f); f.submit(); }""",
        data,
    )
    expect(page.get_by_text("Du hade redan skickat det här formuläret.")).to_be_visible()
    assert Case.objects.filter(subject="Trasig gatlampa vid Kvarngatan 7").count() == 1


def test_errors_are_summarised_linked_to_their_fields_and_accessible(demo, page: Page, live_server):
    page.goto(f"{live_server.url}/e-tjanst/nytt-arende/")
    fill_form(page, personal_number="811218-9875")
    page.get_by_role("button", name="Skicka").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Formuläret kunde inte skickas")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("811218-9875 är inte ett giltigt personnummer")
    field = page.get_by_label("Personnummer (frivilligt)")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", re.compile("id_personal_number_error"))
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("Personnummer")).press("Enter")
    expect(field).to_be_focused()
    assert not Case.objects.filter(subject="Trasig gatlampa vid Kvarngatan 7").exists()


def test_the_honeypot_refuses_clearly(demo, page: Page, live_server):
    page.goto(f"{live_server.url}/e-tjanst/nytt-arende/?typ=synpunkt")
    fill_form(page)
    page.locator("#id_website").evaluate("field => { field.value = 'http://spam.example'; }")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("alert")).to_contain_text("automatiska program")
    assert_accessible(page)
    assert not Case.objects.filter(subject="Trasig gatlampa vid Kvarngatan 7").exists()


def test_the_rate_limit_refuses_clearly(demo, page: Page, live_server, settings):
    settings.TILLIT_PUBLIC_RATE_LIMIT = 1
    for _attempt in range(2):
        page.goto(f"{live_server.url}/e-tjanst/nytt-arende/?typ=synpunkt")
        fill_form(page)
        page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("För många försök")
    expect(page.get_by_text("Inget av det du nyss skickade registrerades.")).to_be_visible()
    assert_accessible(page)
    assert Case.objects.filter(subject="Trasig gatlampa vid Kvarngatan 7").count() == 1


def test_an_unknown_link_gets_a_clear_accessible_page(demo, page: Page, live_server):
    response = page.goto(f"{live_server.url}/e-tjanst/arende/{'0' * 40}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Länken fungerar inte")
    assert_accessible(page)


def test_a_closed_case_reopens_when_the_citizen_writes(demo, page: Page, live_server):
    page.goto(f"{live_server.url}/e-tjanst/nytt-arende/?typ=synpunkt")
    fill_form(page)
    page.get_by_role("button", name="Skicka").click()
    link = page.locator("#status-link").get_attribute("href")
    case = Case.objects.get(subject="Trasig gatlampa vid Kvarngatan 7")
    actions.close_case(
        case=case, by=Person.objects.get(username="anna.lindqvist"), resolution="Åtgärdat."
    )
    page.goto(link)
    expect(page.get_by_text("Avslutat", exact=True)).to_be_visible()
    page.get_by_label("Ditt meddelande").fill("Lampan är trasig igen.")
    page.get_by_role("button", name="Skicka till ärendet").click()
    expect(page.get_by_text("Handläggs", exact=True)).to_be_visible()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_the_form_works_in_english(demo, page: Page, live_server):
    page.goto(f"{live_server.url}/e-tjanst/nytt-arende/")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    expect(page.get_by_label("Describe your case")).to_be_visible()
    assert_accessible(page)
