"""The catalogue in a real browser: a contact person edits a checklist and publishes it with its
notice; a contact-centre member reads the notice, ticks items on a case of that type and is
refused closing while a required item is open; then asks the neighbour. Every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.cases import actions as case_actions
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel, Status
from tillit.catalogue.models import CaseType, Question
from tillit.organisation.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_checklist_is_edited_published_and_worked_through(demo, login, page: Page, live_server):
    base = live_server.url
    # The contact person of the building administration edits the application checklist.
    login("maria.nilsson")
    page.goto(f"{base}/katalog/")
    page.get_by_label("Sök på namn eller sökord").fill("nybyggnad")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name="Bygglov – ansökan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ändra checklistan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utkast till version 2")
    page.get_by_role("button", name="Lägg till punkten").click()  # empty: refused, summarised
    expect(page.locator(".error-summary")).to_contain_text("Punkt")
    assert_accessible(page)
    page.get_by_label("Punkt", exact=True).last.fill("Kontrollera att kontrollansvarig är utsedd")
    page.get_by_label("Vägledning").last.fill("Krävs för nybyggnad (PBL 10 kap. 9 §).")
    page.get_by_label("Krävs innan ärendet får avslutas").last.check()
    page.get_by_role("button", name="Lägg till punkten").click()
    expect(page.get_by_role("status")).to_contain_text("Punkten lades till.")
    page.get_by_label("Vad som ändrats i den här versionen").fill("Ny punkt: kontrollansvarig.")
    page.get_by_role("button", name="Publicera versionen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändringsmeddelanden")
    page.get_by_label("Rubrik").first.fill("Bygglov: fråga efter kontrollansvarig")
    page.get_by_role("button", name="Publicera meddelandet").first.click()
    expect(page.get_by_role("status")).to_contain_text("Meddelandet är publicerat.")
    assert_accessible(page)

    # A centre member sees the notice on the start page and marks it read.
    anna = Person.objects.get(username="anna.lindqvist")
    case = case_actions.register_case(
        channel=Channel.PHONE,
        subject="Nybyggnad av enbostadshus",
        case_type=CaseType.objects.get(code="bygglov-ansokan"),
        by=anna,
        handler=anna,
        party=PartyInput(name="Karin Nyström", email="karin@example.com"),
    )
    assert case.case_type_version.number == 2
    centre = page.context.browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    desk = login("anna.lindqvist", centre.new_page())
    panel = desk.locator(".catalogue-panel")
    expect(panel).to_contain_text("Bygglov: fråga efter kontrollansvarig")
    assert_accessible(desk)
    panel.get_by_role("listitem").filter(has_text="fråga efter kontrollansvarig").get_by_role(
        "button", name="Markera som läst"
    ).click()
    expect(desk.locator(".catalogue-panel")).not_to_contain_text("fråga efter kontrollansvarig")

    # She works the case through its checklist, and cannot close it with a required item open.
    desk.goto(f"{base}/arenden/{case.pk}/")
    checklist = desk.locator(".checklist-panel")
    expect(checklist).to_contain_text("Hanteras enligt version 2.")
    checklist.locator(
        ".checklist__item", has_text="Kontrollera att ansökan är komplett"
    ).get_by_role("button", name="Klar").click()
    expect(
        desk.locator(
            "#punkt-"
            + str(case.case_type_version.items.get(text="Kontrollera att ansökan är komplett").pk)
        )
    ).to_contain_text("Anna")
    checklist = desk.locator(".checklist-panel")
    checklist.locator(".checklist__item", has_text="Fråga om strandskydd").locator(
        "summary"
    ).click()
    checklist.get_by_label("Varför den inte är aktuell").first.fill(
        "Tomten ligger inte vid vatten."
    )
    checklist.get_by_role("button", name="Markera som ej aktuell").first.click()
    expect(desk.locator(".timeline")).to_contain_text("Ej aktuellt: Fråga om strandskydd")
    assert_accessible(desk)
    desk.locator("summary", has_text="Avsluta ärendet").click()
    desk.get_by_label("Hur ärendet avslutades").fill("Klart.")
    desk.get_by_role("button", name="Avsluta ärendet").click()
    expect(desk.get_by_text("Kontrollera att kontrollansvarig är utsedd").first).to_be_visible()
    expect(desk.locator("body")).to_contain_text(
        "Obligatoriska punkter i checklistan är inte klara"
    )
    case.refresh_from_db()
    assert case.status != Status.CLOSED

    # She asks the neighbour; the contact person answers; the answer shows on the case.
    desk.goto(f"{base}/arenden/{case.pk}/")
    desk.get_by_label("Kontaktpersonerna på").check()
    desk.get_by_label("Din fråga").fill("Behövs kontrollansvarig för ett garage på 40 kvm?")
    desk.get_by_role("button", name="Skicka frågan").click()
    expect(desk.get_by_role("status")).to_contain_text("Din fråga är skickad.")
    page.goto(f"{base}/katalog/fragor/")
    assert_accessible(page)
    question = Question.objects.get(case=case)
    page.get_by_label("Ditt svar").fill("Ja, om garaget kräver bygglov.")
    page.get_by_role("button", name="Skicka svaret").click()
    desk.goto(f"{base}/arenden/{case.pk}/")
    expect(desk.locator(".timeline")).to_contain_text("Ja, om garaget kräver bygglov.")
    desk.goto(f"{base}/")
    expect(desk.locator(".catalogue-panel")).to_contain_text("Ja, om garaget kräver bygglov.")
    question.refresh_from_db()
    assert question.answered_by.username == "maria.nilsson"

    # On a phone: the case page with its checklist and the catalogue pages fit 360 px.
    desk.set_viewport_size({"width": 360, "height": 740})
    for path in (f"/arenden/{case.pk}/", "/katalog/", "/katalog/meddelanden/"):
        desk.goto(f"{base}{path}")
        assert desk.evaluate("document.documentElement.scrollWidth") <= 360, path
    centre.close()


IMPORT_HEADER = (
    "code;name;public_name;administration;routing;service_days_centre;"
    "service_days_administration;documentation_level;is_public;default_secret;retention_years;"
    "keywords;service_description;item_text;item_required;item_guidance;item_link"
)


def _catalogue_file(routing: str) -> dict[str, object]:
    rows = [
        IMPORT_HEADER,
        "brygga;Bryggplats i kommunens hamn;;SBF;centre_hands_over;1;10;light;ja;nej;;"
        "båtplats hamn;;Fråga efter båtens mått;nej;;",
        f"grillplats;Bokning av grillplats;;SBF;{routing};1;5;light;ja;nej;;grill park;;;;;",
    ]
    return {
        "name": "katalog.csv",
        "mimeType": "text/csv",
        "buffer": ("\ufeff" + "\r\n".join(rows) + "\r\n").encode(),
    }


def test_an_import_with_a_bad_row_names_it_and_imports_nothing(
    demo, login, page: Page, live_server
):
    base = live_server.url
    login("maria.nilsson")
    page.goto(f"{base}/katalog/")
    page.get_by_role("link", name="Importera katalogen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera katalogen")
    assert_accessible(page)

    page.get_by_label("Katalogfil (CSV eller JSON)").set_input_files(_catalogue_file("fel"))
    page.get_by_role("button", name="Importera", exact=True).click()
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("Inget importerades: 1 problem i filen.")
    expect(problems).to_contain_text("Rad 3: Okänd hantering ”fel”.")
    assert_accessible(page)
    assert not CaseType.objects.filter(code__in=["brygga", "grillplats"]).exists()

    page.get_by_label("Katalogfil (CSV eller JSON)").set_input_files(
        _catalogue_file("centre_resolves")
    )
    page.get_by_role("button", name="Importera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Importerat: 2 nya ärendetyper, 0 ändrade, 0 oförändrade."
    )
    assert set(
        CaseType.objects.filter(code__in=["brygga", "grillplats"]).values_list("code", flat=True)
    ) == {"brygga", "grillplats"}
    # The new types are found as you type, by a synonym and without å.
    page.get_by_label("Sök på namn eller sökord").fill("batplats")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("link", name="Bryggplats i kommunens hamn")).to_be_visible()
    assert_accessible(page)

    # The service description of a demo type: printable, and it passes axe.
    page.get_by_label("Sök på namn eller sökord").fill("strandskydd")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name="Strandskyddsdispens").click()
    page.get_by_role("link", name="Tjänstebeskrivning (utskrift eller JSON)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strandskyddsdispens")
    expect(page.locator("main")).to_contain_text("Samhällsbyggnadsförvaltningen (SBF)")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
