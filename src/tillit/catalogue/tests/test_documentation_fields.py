"""The documentation level decides which facts staff must register at the desk (decision 0450):
light the subject, standard also a description and a way to reach the citizen, thorough also
the personnummer or why there is none. A refusal names the field, in Swedish, and saves nothing."""

from __future__ import annotations

import re

import pytest

from tillit.cases import actions as case_actions
from tillit.cases.models import Case
from tillit.cases.states import Channel, EventKind
from tillit.cases.tests.pages import page_text, text_of
from tillit.cases.tests.test_registration_page import fresh_form
from tillit.catalogue.models import DocumentationLevel

pytestmark = pytest.mark.django_db

NOTHING = {"description": "", "name": "", "email": "", "phone": "", "personal_number": ""}


def at_level(world, level: str):
    world.case_type.documentation_level = level
    world.case_type.save(update_fields=["documentation_level"])
    return world.case_type


def send(world, client, **fields):
    """The quick registration form with a subject and exactly the given facts."""
    data = {
        **fresh_form(client),
        "case_type": str(world.case_type.pk),
        "subject": "Fråga om bygglov",
        **NOTHING,
        **fields,
    }
    return client.post("/arenden/registrera/", data)


def errors_of(response) -> dict[str, str]:
    """Each field's error text, by the field's name (`id_<name>_error`)."""
    markup = response.content.decode()
    return {
        name: text_of(inner)
        for name, inner in re.findall(
            r'<ul class="errorlist" id="id_(\w+)_error">(.*?)</ul>', markup, flags=re.S
        )
    }


def test_a_light_case_needs_only_its_subject(world, client_for):
    at_level(world, DocumentationLevel.LIGHT)
    response = send(world, client_for(world.centre_staff))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.party is None and case.description == ""


def test_a_standard_case_needs_a_description_and_a_way_to_reach_the_citizen(world, client_for):
    at_level(world, DocumentationLevel.STANDARD)
    client = client_for(world.centre_staff)
    response = send(world, client)
    assert response.status_code == 422 and not Case.objects.exists()
    assert errors_of(response) == {
        "description": "Ärendetypen kräver en beskrivning av ärendet (dokumentationsnivå normal).",
        "name": "Ärendetypen kräver invånarens namn och ett sätt att nå hen.",
    }
    assert "Beskrivning: Ärendetypen kräver en beskrivning" in page_text(response), "summary"
    response = send(world, client, description="Altan", name="Karin Nyström")
    assert errors_of(response) == {
        "email": "Ärendetypen kräver e-postadress, telefonnummer, postadress eller personnummer."
    }
    assert not Case.objects.exists()
    response = send(world, client, description="Altan", name="Karin", phone="070-174 06 11")
    assert response.status_code == 302
    assert Case.objects.get().party.phone == "070-174 06 11"


def test_a_thorough_case_needs_the_personnummer_or_why_there_is_none(world, client_for):
    at_level(world, DocumentationLevel.THOROUGH)
    client = client_for(world.centre_staff)
    facts = {"description": "Ansökan", "name": "Karin Nyström", "email": "karin@example.se"}
    response = send(world, client, **facts)
    assert errors_of(response) == {
        "personal_number": (
            "Ärendetypen kräver invånarens personnummer; om det saknas, skriv varför nedan."
        )
    }
    wrong = send(world, client, **facts, personal_number="811218-9875")
    assert list(errors_of(wrong)) == ["personal_number"]
    assert "kräver invånarens personnummer" not in errors_of(wrong)["personal_number"]
    assert not Case.objects.exists()
    response = send(
        world, client, **facts, no_personal_number_reason="Turist utan svenskt personnummer"
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.events.get(kind=EventKind.CREATED).data["no_personal_number_reason"] == (
        "Turist utan svenskt personnummer"
    )
    log = page_text(client.get(f"/arenden/{case.pk}/"))
    assert "Inget personnummer Turist utan svenskt personnummer" in log
    numbered = send(world, client, **facts, personal_number="811218-9876")
    assert numbered.status_code == 302


def test_intake_that_cannot_ask_back_is_not_held_to_the_desk_level(world):
    """The citizen's own web submission cannot know the level: it keeps its own fields."""
    case_type = at_level(world, DocumentationLevel.THOROUGH)
    case_type.is_public = True
    case_type.save(update_fields=["is_public"])
    case = case_actions.register_case(
        channel=Channel.WEB, subject="Fråga", case_type=case_type, by=None
    )
    assert case.pk


def test_the_case_type_page_lists_what_a_new_case_must_have(world, client_for):
    at_level(world, DocumentationLevel.STANDARD)
    client = client_for(world.centre_staff)
    page = page_text(client.get(f"/katalog/typer/{world.case_type.pk}/"))
    assert "Ett nytt ärende måste ha: ett ämne en beskrivning invånarens namn och" in page
    assert "varför det saknas" not in page, "the thorough level's personnummer rule"
    at_level(world, DocumentationLevel.THOROUGH)
    page = page_text(client.get(f"/katalog/typer/{world.case_type.pk}/"))
    assert "invånarens personnummer, eller varför det saknas" in page
