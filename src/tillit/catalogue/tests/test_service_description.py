"""The service description per case type: a printable page and JSON with everything needed to
order the service, from the current published checklist; staff only."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from tillit.cases.tests.pages import page_text
from tillit.catalogue import actions
from tillit.catalogue.tests.factories import CaseTypeFactory, published_checklist

pytestmark = pytest.mark.django_db


@pytest.fixture
def described(world):
    case_type = CaseTypeFactory(
        administration=world.administration,
        name="Bygglov – ansökan",
        public_name="Ansök om bygglov",
        code="bygglov-ansokan",
        service_days_centre=1,
        service_days_administration=50,
        service_description="Prövning av ansökan om bygglov för nybyggnad och tillbyggnad.",
        what_you_get="Ett beslut om bygglov med villkor.",
        what_you_provide="Ritningar, situationsplan och <kontrollansvarig>.",
        cost="Enligt plan- och bygglovstaxan, från 5 000 kr.",
        retention_years=10,
    )
    published_checklist(case_type, [("Gammal punkt", True)], number=1)
    published_checklist(
        case_type, [("Kontrollera ritningarna", True), ("Fråga om strandskydd", False)], number=2
    )
    draft = actions.start_draft(case_type=case_type, by=world.admin_contact)
    actions.add_item(version=draft, by=world.admin_contact, text="Ej publicerad punkt")
    return case_type


def test_the_printable_page_has_what_a_provider_needs(described, world, client_for):
    response = client_for(world.centre_staff).get(
        f"/katalog/typer/{described.pk}/tjanstebeskrivning/"
    )
    assert response.status_code == 200
    text = page_text(response)
    for expected in [
        "Ansök om bygglov",
        "Prövning av ansökan om bygglov",
        "Ett beslut om bygglov med villkor.",
        "Ritningar, situationsplan och <kontrollansvarig>.",
        "från 5 000 kr",
        "Bygglov (SBF)",
        "Kundcenter",  # registered by the contact centre, handed over to the administration
        "50 arbetsdagar",
        "51 arbetsdagar",
        "10 år",
        "Version 2",
        "Kontrollera ritningarna obligatoriskt",
        "Fråga om strandskydd råd",
    ]:
        assert expected in text, expected
    assert "Gammal punkt" not in text and "Ej publicerad punkt" not in text
    html = response.content.decode()
    assert "&lt;kontrollansvarig&gt;" in html  # escaped
    assert "@media print" in open_css(client_for(world.centre_staff))


def open_css(client: Client) -> str:
    from django.contrib.staticfiles import finders

    path = finders.find("catalogue/catalogue.css")
    assert path
    with open(path, encoding="utf-8") as css:
        return css.read()


def test_the_json_holds_the_same(described, world, client_for):
    response = client_for(world.admin_staff).get(
        f"/katalog/typer/{described.pk}/tjanstebeskrivning.json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "tjanstebeskrivning-bygglov-ansokan.json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["public_name"] == "Ansök om bygglov"
    assert data["what_you_provide"] == "Ritningar, situationsplan och <kontrollansvarig>."
    assert data["cost"].startswith("Enligt plan- och bygglovstaxan")
    assert data["administration"] == {"code": "SBF", "name": "Bygglov"}
    assert data["routing"]["value"] == "centre_hands_over"
    assert data["routing"]["registered_by"]["name"] == "Kundcenter"
    assert data["routing"]["handed_over_to"]["code"] == "SBF"
    assert data["service_levels"] == {
        "contact_centre_working_days": 1,
        "administration_working_days": 50,
        "total_working_days": 51,
    }
    assert data["retention_years"] == 10
    assert data["checklist"]["version"] == 2
    assert [(i["text"], i["required"]) for i in data["checklist"]["items"]] == [
        ("Kontrollera ritningarna", True),
        ("Fråga om strandskydd", False),
    ]


def test_a_type_without_a_published_checklist_says_so(world, client_for):
    bare = CaseTypeFactory(administration=world.other, name="Ny typ", direct=True)
    client = client_for(world.centre_staff)
    text = page_text(client.get(f"/katalog/typer/{bare.pk}/tjanstebeskrivning/"))
    assert "Ingen version av checklistan är publicerad än." in text
    data = json.loads(client.get(f"/katalog/typer/{bare.pk}/tjanstebeskrivning.json").content)
    assert data["checklist"] is None
    assert data["routing"]["registered_by"]["code"] == "SOC"
    assert data["routing"]["handed_over_to"] is None


def test_only_staff_see_it(described, world):
    anonymous = Client()
    page = anonymous.get(f"/katalog/typer/{described.pk}/tjanstebeskrivning/")
    assert page.status_code == 302
    assert page["Location"].startswith(resolve_url(settings.LOGIN_URL))
    data = anonymous.get(f"/katalog/typer/{described.pk}/tjanstebeskrivning.json")
    assert data.status_code == 302


def test_an_unknown_type_is_not_found(world, client_for):
    client = client_for(world.centre_staff)
    assert client.get("/katalog/typer/999999/tjanstebeskrivning/").status_code == 404
    assert client.get("/katalog/typer/999999/tjanstebeskrivning.json").status_code == 404


def test_the_case_type_page_links_to_it(described, world, client_for):
    html = client_for(world.centre_staff).get(f"/katalog/typer/{described.pk}/").content.decode()
    assert f'href="/katalog/typer/{described.pk}/tjanstebeskrivning/"' in html


def test_the_import_reads_the_service_columns_when_the_file_has_them(described, world):
    from tillit.catalogue import io

    exported = io.export_csv()
    assert b"what_you_get" in exported and "från 5 000 kr".encode() in exported
    changed = exported.replace("från 5 000 kr".encode(), "från 6 000 kr".encode())
    actions.import_catalogue(data=changed, filename="k.csv", by=world.admin_contact)
    described.refresh_from_db()
    assert described.cost == "Enligt plan- och bygglovstaxan, från 6 000 kr."
    # A file in the older shape, without the columns, leaves the fields as they are.
    header, *rows = exported.decode("utf-8-sig").splitlines()
    width = len(io.COLUMNS)
    older = "\n".join(";".join(line.split(";")[:width]) for line in [header, *rows])
    actions.import_catalogue(data=older.encode(), filename="k.csv", by=world.admin_contact)
    described.refresh_from_db()
    assert described.cost == "Enligt plan- och bygglovstaxan, från 6 000 kr."
    assert described.what_you_get == "Ett beslut om bygglov med villkor."
