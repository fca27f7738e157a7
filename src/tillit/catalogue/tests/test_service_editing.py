"""Editing a case type's service description (issue 4, decision 0460): only the owning
administration's contact persons, only in a draft; the published description changes when the
draft is published, and a published version never changes."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from tillit.cases.tests.pages import page_text
from tillit.catalogue import actions
from tillit.catalogue.models import CaseType, CaseTypeVersion
from tillit.catalogue.tests.factories import published_checklist
from tillit.organisation.models import Role
from tillit.organisation.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NEW = {
    "service-public_name": "Ansök om bygglov",
    "service-what_you_get": "Ett beslut om bygglov.",
    "service-what_you_provide": "Ritningar och situationsplan.",
    "service-how_long": "Högst tio veckor från komplett ansökan.",
    "service-cost": "Enligt taxa, <b>oftast</b> 10 000 kr.",
    "intent": "service",
}

FIELDS = {key.removeprefix("service-"): value for key, value in NEW.items() if key != "intent"}


@pytest.fixture
def draft(world):
    world.case_type.what_you_get = "Ett beslut."
    world.case_type.save(update_fields=["what_you_get"])
    published_checklist(world.case_type, [("Kontrollera ansökan", True)])
    return actions.start_draft(case_type=world.case_type, by=world.admin_contact)


def described(world, client) -> str:
    return page_text(client.get(f"/katalog/typer/{world.case_type.pk}/tjanstebeskrivning/"))


def test_a_new_draft_starts_from_the_published_description(world, draft):
    assert draft.what_you_get == "Ett beslut."


def test_the_contact_person_edits_the_draft_and_publishing_makes_it_the_type_s(
    world, draft, client_for
):
    client = client_for(world.admin_contact)
    page = client.get(f"/katalog/utkast/{draft.pk}/").content.decode()
    assert "Ett beslut.</textarea>" in page, "the form starts from the published description"
    response = client.post(f"/katalog/utkast/{draft.pk}/", NEW)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.how_long == "Högst tio veckor från komplett ansökan."
    # Until the draft is published, cases and readers see the published description.
    reader = client_for(world.centre_staff)
    assert "Högst tio veckor" not in described(world, reader)
    actions.publish_version(version=draft, by=world.admin_contact, summary="Ny beskrivning.")
    text = described(world, reader)
    assert "Högst tio veckor från komplett ansökan." in text
    assert "Enligt taxa, <b>oftast</b> 10 000 kr." in text  # shown as text, not markup
    assert (
        "&lt;b&gt;oftast"
        in reader.get(f"/katalog/typer/{world.case_type.pk}/tjanstebeskrivning/").content.decode()
    )
    data = json.loads(
        reader.get(f"/katalog/typer/{world.case_type.pk}/tjanstebeskrivning.json").content
    )
    assert data["how_long"] == "Högst tio veckor från komplett ansökan."
    assert data["public_name"] == "Ansök om bygglov"
    assert CaseType.objects.get(pk=world.case_type.pk).what_you_provide == (
        "Ritningar och situationsplan."
    )


def test_a_published_version_s_description_never_changes(world, draft):
    actions.publish_version(version=draft, by=world.admin_contact, summary="v2")
    with pytest.raises(ValidationError, match="publicerad"):
        actions.change_service_description(
            version=draft,
            by=world.admin_contact,
            **{k[8:]: v for k, v in NEW.items() if k[:8] == "service-"},
        )
    assert CaseTypeVersion.objects.get(pk=draft.pk).how_long == ""
    again = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    assert again.pk != draft.pk and again.number == draft.number + 1


def test_only_the_owning_administration_s_contact_persons_may_edit(world, draft, client_for):
    other_contact = PersonFactory(member_of=world.other, member_of__role=Role.CONTACT_PERSON)
    for person in (world.centre_staff, world.admin_staff, world.admin_manager, other_contact):
        response = client_for(person).post(f"/katalog/utkast/{draft.pk}/", NEW)
        assert response.status_code == 404, person
        with pytest.raises(ValidationError, match="kontaktpersoner"):
            actions.change_service_description(
                version=draft,
                by=person,
                public_name="X",
                what_you_get="",
                what_you_provide="",
                how_long="",
                cost="",
            )
    draft.refresh_from_db()
    assert draft.public_name == "" and draft.how_long == ""


def test_too_long_a_text_is_named_on_its_field_and_nothing_changes(world, draft, client_for):
    client = client_for(world.admin_contact)
    response = client.post(f"/katalog/utkast/{draft.pk}/", {**NEW, "service-how_long": "x" * 1001})
    assert response.status_code == 422
    markup = response.content.decode()
    assert 'id="id_service-how_long_error"' in markup
    assert "Hur lång tid det tar: Säkerställ att detta värde har som mest 1000 tecken" in page_text(
        response
    )
    draft.refresh_from_db()
    assert draft.how_long == "" and draft.cost == ""


def test_an_imported_description_survives_publishing_the_imported_draft(world):
    """A new type's first draft (made by the import) carries the imported description, so
    publishing it does not blank the type's public name."""
    from tillit.catalogue.tests.test_import_export import csv_file, row

    actions.import_catalogue(data=csv_file(row()), filename="typer.csv", by=world.admin_contact)
    imported = CaseType.objects.get(code="fardtjanst")
    first = imported.versions.get()
    assert first.public_name == "Ansök om färdtjänst"
    actions.publish_version(version=first, by=world.admin_contact, summary="Första versionen")
    imported.refresh_from_db()
    assert imported.public_name == "Ansök om färdtjänst"
    again = row(public_name="Färdtjänst – ansökan", item_text="Fråga om läkarintyg och hjälpmedel")
    actions.import_catalogue(data=csv_file(again), filename="typer.csv", by=world.admin_contact)
    draft = imported.versions.get(status="draft")
    assert draft.public_name == "Färdtjänst – ansökan"
