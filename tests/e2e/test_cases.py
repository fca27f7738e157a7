"""Staff journeys through cases in a real browser: a phone call registered by keyboard at the
contact centre, offered to an administration, accepted, answered and closed there; a returned
offer; a secret case that another unit cannot find and whose reads are logged; every page
accessible and usable at 360 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.cases.models import Case, Handover
from tillit.cases.states import HandoverStatus
from tillit.organisation.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def second_person(page: Page, login, username: str) -> Page:
    """Another member of staff at another desk: a browser context of their own."""
    context = page.context.browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    return login(username, context.new_page())


def type_and_tab(page: Page, text: str) -> None:
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def test_a_phone_case_is_registered_by_keyboard_offered_accepted_answered_and_closed(
    demo, login, page: Page, live_server
):
    login("anna.lindqvist")
    page.get_by_role("link", name="Registrera", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera samtal eller besök")
    assert_accessible(page)

    # Keyboard only from the search box: the list narrows as one types; Enter moves to it.
    search = page.get_by_label("Sök ärendetyp")
    expect(search).to_be_visible()
    search.focus()
    page.keyboard.type("nybyggnad ritning")
    case_types = page.get_by_label("Ärendetyp", exact=True)
    expect(case_types.locator("option")).to_have_count(1)
    expect(case_types.locator("option")).to_have_text("Bygglov – ansökan")
    expect(page.get_by_text("Matchande ärendetyper: 1.")).to_be_visible()
    page.keyboard.press("Enter")
    expect(case_types).to_be_focused()
    page.keyboard.press("Tab")
    type_and_tab(page, "Bygglov för garage på Ekbacken 4")
    type_and_tab(page, "Invånaren vill bygga ett garage på 40 kvm.")
    type_and_tab(page, "Karin Nyström")
    type_and_tab(page, "karin.nystrom@example.com")
    type_and_tab(page, "070-174 06 42")
    type_and_tab(page, "19811218-9876")
    page.keyboard.press("Tab")  # past "why there is no personnummer": it is given
    type_and_tab(page, "Informerade om att ansökan behöver ritningar i skala 1:100.")
    expect(page.get_by_label("Jag handlägger ärendet själv")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Registrera", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bygglov för garage på Ekbacken 4")
    expect(page.locator(".case-head__owner")).to_contain_text("Ägs av Kundcenter")
    expect(page.get_by_text("Personnummer 19811218-9876")).to_have_count(0)  # label and value
    expect(page.locator("dl.facts").filter(has_text="Personnummer")).to_contain_text(
        "19811218-9876"
    )
    expect(page.locator(".timeline__entry--oral")).to_contain_text("ritningar i skala 1:100")
    assert_accessible(page)
    case = Case.objects.get(subject="Bygglov för garage på Ekbacken 4")

    # Offer it to the administration the case type names (pre-selected), to a named person.
    page.locator("summary", has_text="Erbjud ärendet till en annan enhet").click()
    expect(page.get_by_label("Erbjud till")).to_have_value(str(case.case_type.administration_id))
    page.get_by_label("Till person").select_option(label="Anders Hedlund (Bygglovshandläggare)")
    page.get_by_label("Vad som har gjorts").fill("Kontrollerat att ritningar finns.")
    page.get_by_label("Vad som förväntas av mottagaren").fill("Pröva ansökan.")
    page.get_by_role("button", name="Erbjud ärendet").click()
    expect(page.get_by_role("status")).to_contain_text("Erbjudandet skickades.")
    expect(page.locator("#offer")).to_contain_text("Erbjudet till Samhällsbyggnadsförvaltningen")

    # The administration accepts it, replies to the citizen and closes it.
    anders = second_person(page, login, "anders.hedlund")
    anders.get_by_role("link", name="Inkommande", exact=True).click()
    offer = anders.locator("article.offer").filter(has_text=case.registration_number)
    expect(offer).to_contain_text("Kontrollerat att ritningar finns.")
    assert_accessible(anders)
    expect(offer.get_by_label("Handläggare")).to_have_value(
        str(Person.objects.get(username="anders.hedlund").pk)
    )
    offer.get_by_role("button", name="Acceptera").click()
    expect(anders.get_by_role("status")).to_contain_text("Du accepterade ärendet.")
    expect(anders.locator(".case-head__owner")).to_contain_text(
        "Ägs av Samhällsbyggnadsförvaltningen · handläggare Anders Hedlund"
    )
    anders.locator("summary", has_text="Svar till invånaren").click()
    anders.get_by_label("Svar till invånaren").fill("Vi har tagit emot din ansökan om bygglov.")
    anders.get_by_role("button", name="Skicka svaret").click()
    expect(anders.locator(".timeline__entry--reply").first).to_contain_text(
        "tagit emot din ansökan"
    )
    anders.locator("summary", has_text="Avsluta ärendet").click()
    anders.get_by_label("Hur ärendet avslutades").fill("Bygglov beviljat.")
    anders.get_by_role("button", name="Avsluta ärendet").click()
    expect(anders.get_by_role("status")).to_contain_text("Ärendet är avslutat.")
    legs = anders.locator("li.leg")
    expect(legs).to_have_count(2)
    expect(legs.nth(0)).to_contain_text("Kundcenter")
    expect(legs.nth(1)).to_contain_text("Samhällsbyggnadsförvaltningen")
    assert_accessible(anders)

    # The centre now reads it without forms: its part is done.
    page.reload()
    expect(page.get_by_text("Du kan läsa ärendet men inte ändra det")).to_be_visible()
    expect(page.get_by_role("heading", name="Arbeta med ärendet")).to_have_count(0)


def test_a_returned_offer_stays_with_the_unit_that_offered_it(demo, login, page: Page):
    handover = (
        Handover.objects.filter(
            status=HandoverStatus.OPEN, escalated_at__isnull=True, to_unit__code="UBF"
        )
        .select_related("case", "from_unit")
        .first()
        or Handover.objects.filter(status=HandoverStatus.OPEN, escalated_at__isnull=True)
        .select_related("case", "from_unit")
        .first()
    )
    receiver = Person.objects.filter(memberships__unit=handover.to_unit).first()
    login(receiver.username)
    page.get_by_role("link", name="Inkommande", exact=True).click()
    offer = page.locator("article.offer").filter(has_text=handover.case.registration_number)
    offer.locator("summary", has_text="Returnera erbjudandet").click()
    offer.get_by_role("button", name="Returnera").click()
    expect(page.get_by_role("alert")).to_contain_text("Fältet måste fyllas i.")
    assert_accessible(page)
    offer = page.locator("article.offer").filter(has_text=handover.case.registration_number)
    offer.get_by_label("Varför returnerar du det?").fill("Det här hör till en annan förvaltning.")
    offer.get_by_role("button", name="Returnera").click()
    expect(page.get_by_role("status")).to_contain_text("Erbjudandet returnerades.")
    expect(
        page.locator("article.offer").filter(has_text=handover.case.registration_number)
    ).to_have_count(0)

    sender = second_person(page, login, handover.offered_by.username)
    sender.goto(f"{page.url.split('/arenden/')[0]}/arenden/{handover.case_id}/")
    expect(sender.locator(".case-head__owner")).to_contain_text(f"Ägs av {handover.from_unit}")
    entry = sender.locator(".timeline__entry--handover").filter(has_text="tillbakalämnad")
    expect(entry).to_contain_text("Det här hör till en annan förvaltning.")


def test_a_secret_case_is_invisible_to_another_unit_and_every_read_is_logged(
    demo, login, page: Page, live_server
):
    case = Case.objects.filter(is_secret=True, owner_unit__code="SOC").order_by("pk").first()
    url = f"{live_server.url}/arenden/{case.pk}/"
    login("anna.lindqvist")
    assert page.goto(url).status == 404
    page.goto(f"{live_server.url}/arenden/sok/?q={case.registration_number}")
    expect(page.get_by_text("Inget ärende som du får läsa matchar sökningen.")).to_be_visible()

    social = second_person(page, login, "birgitta.olsson")
    assert social.goto(url).status == 200
    expect(social.locator(".case-head__badges")).to_contain_text("Sekretess")
    social.reload()
    reads = social.locator(".timeline__entry--secret").filter(has_text="läst")
    expect(reads).to_have_count(2)
    expect(reads.first).to_contain_text("Birgitta Olsson, Socialförvaltningen")
    assert_accessible(social)


QUEUE_PAGES = [
    "/arenden/ko/mina/",
    "/arenden/ko/enheten/",
    "/arenden/ko/forsenade/",
    "/arenden/inkommande/",
    "/arenden/registrera/",
    "/arenden/sok/?q=bygglov",
]


def test_the_pages_are_accessible_and_fit_a_phone(demo, login, page: Page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    login("lars.andersson")
    case = Case.objects.filter(owner_unit__code="KC", handovers__status="open").first()
    for path in [*QUEUE_PAGES, f"/arenden/{case.pk}/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert_accessible(page)
    page.locator("details summary").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_queue_filters_and_pages_in_the_browser(demo, login, page: Page, live_server):
    login("lars.andersson")
    page.goto(f"{live_server.url}/arenden/ko/avslutade/")
    expect(page.get_by_role("link", name="Avslutade")).to_have_attribute("aria-current", "page")
    page.get_by_label("Kanal").select_option(label="Besök")
    page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"channel=visit"))
    rows = page.locator("tr.case-row")
    expect(rows.first).to_be_visible()
    assert_accessible(page)
