"""The documentation level ("right quality for the right case"): an item required from a level
is required only of case types at that level or above; the close rule, the case panel, the
draft editor, the service description and the import all follow it."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.cases import actions as case_actions
from tillit.cases.states import Status
from tillit.cases.tests.factories import register
from tillit.cases.tests.pages import page_text
from tillit.catalogue import actions, io
from tillit.catalogue.models import (
    CaseTypeVersion,
    ChecklistItem,
    DocumentationLevel,
    VersionStatus,
    levels_requiring,
)
from tillit.catalogue.queries import open_required_items

pytestmark = pytest.mark.django_db

# (text, required, required from)
ITEMS = [
    ("Kontrollera identitet", True, DocumentationLevel.LIGHT),
    ("Fråga efter fastighetsbeteckning", True, DocumentationLevel.STANDARD),
    ("Begär in ritningar", True, DocumentationLevel.THOROUGH),
    ("Tipsa om e-tjänsten", False, DocumentationLevel.LIGHT),
]


def publish(case_type, items=ITEMS) -> CaseTypeVersion:
    version = CaseTypeVersion.objects.create(
        case_type=case_type,
        number=1,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        change_summary="v1",
    )
    for position, (text, required, level) in enumerate(items, start=1):
        ChecklistItem.objects.create(
            version=version,
            key=uuid.uuid4().hex,
            position=position,
            text=text,
            required=required,
            required_from=level,
        )
    return version


def at_level(world, level: str):
    world.case_type.documentation_level = level
    world.case_type.save(update_fields=["documentation_level"])
    publish(world.case_type)
    return register(world)


def test_the_levels_each_require_their_own_and_the_lighter_ones():
    assert levels_requiring("light") == ["light"]
    assert levels_requiring("standard") == ["light", "standard"]
    assert levels_requiring("thorough") == ["light", "standard", "thorough"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("light", ["Kontrollera identitet"]),
        ("standard", ["Kontrollera identitet", "Fråga efter fastighetsbeteckning"]),
        (
            "thorough",
            ["Kontrollera identitet", "Fråga efter fastighetsbeteckning", "Begär in ritningar"],
        ),
    ],
)
def test_a_lighter_type_requires_fewer_items(world, level, expected):
    case = at_level(world, level)
    assert open_required_items(case) == expected


def test_a_light_case_closes_once_its_light_items_are_done(world):
    case = at_level(world, "light")
    with pytest.raises(ValidationError, match="Kontrollera identitet") as refused:
        case_actions.close_case(case=case, by=world.centre_staff, resolution="Klart.")
    assert "ritningar" not in str(refused.value)
    identity = case.case_type_version.items.get(text="Kontrollera identitet")
    actions.mark_item_done(case=case, item=identity, by=world.centre_staff)
    case_actions.close_case(case=case, by=world.centre_staff, resolution="Klart.")
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_a_thorough_case_is_refused_naming_the_thorough_item(world):
    case = at_level(world, "thorough")
    for each in case.case_type_version.items.exclude(text="Begär in ritningar"):
        if each.required:
            actions.mark_item_done(case=case, item=each, by=world.centre_staff)
    with pytest.raises(ValidationError, match="Begär in ritningar"):
        case_actions.close_case(case=case, by=world.centre_staff, resolution="Klart.")


def test_the_case_panel_marks_only_the_items_required_at_the_level(world, client_for):
    case = at_level(world, "standard")
    text = page_text(client_for(world.centre_staff).get(f"/arenden/{case.pk}/"))
    assert "Fråga efter fastighetsbeteckning obligatoriskt" in text
    assert "Begär in ritningar råd" in text
    assert "2 obligatoriska punkter är öppna" in text


def test_the_draft_editor_sets_the_level_and_a_new_draft_keeps_it(world, client_for):
    publish(world.case_type)
    client = client_for(world.admin_contact)
    client.post(f"/katalog/typer/{world.case_type.pk}/utkast/")
    draft = CaseTypeVersion.objects.get(case_type=world.case_type, status=VersionStatus.DRAFT)
    assert draft.items.get(text="Begär in ritningar").required_from == "thorough"
    client.post(
        f"/katalog/utkast/{draft.pk}/",
        {
            "intent": "add",
            "add-text": "Fråga om strandskydd",
            "add-required": "on",
            "add-required_from": "standard",
        },
    )
    assert draft.items.get(text="Fråga om strandskydd").required_from == "standard"
    refused = client.post(
        f"/katalog/utkast/{draft.pk}/",
        {"intent": "add", "add-text": "Ny", "add-required_from": "extra"},
    )
    assert refused.status_code == 422
    assert "Välj ett giltigt alternativ" in page_text(refused)
    html = client.get(f"/katalog/utkast/{draft.pk}/").content.decode()
    assert 'name="add-required_from"' in html and "Krävs från dokumentationsnivå" in html
    editor = page_text(client.get(f"/katalog/utkast/{draft.pk}/"))
    assert "obligatoriskt från nivå utförlig" in editor


def test_the_service_description_says_what_the_level_requires(world, client_for):
    world.case_type.documentation_level = "light"
    world.case_type.save()
    publish(world.case_type)
    response = client_for(world.centre_staff).get(
        f"/katalog/typer/{world.case_type.pk}/tjanstebeskrivning.json"
    )
    items = json.loads(response.content)["checklist"]["items"]
    assert [i["text"] for i in items if i["required"]] == ["Kontrollera identitet"]


def test_the_level_goes_through_export_and_import(world):
    publish(world.case_type)
    exported = io.export_csv()
    assert b"item_required_from" in exported and b";thorough" in exported
    summary = actions.import_catalogue(data=exported, filename="k.csv", by=world.admin_contact)
    assert summary.unchanged == [world.case_type.code]
    changed = exported.decode("utf-8-sig").replace(";thorough\r\n", ";standard\r\n").encode()
    actions.import_catalogue(data=changed, filename="k.csv", by=world.admin_contact)
    draft = CaseTypeVersion.objects.get(case_type=world.case_type, status=VersionStatus.DRAFT)
    assert draft.items.get(text="Begär in ritningar").required_from == "standard"
    bad = exported.decode("utf-8-sig").replace(";thorough\r\n", ";mycket\r\n").encode()
    with pytest.raises(io.ImportRefused) as refused:
        actions.import_catalogue(data=bad, filename="k.csv", by=world.admin_contact)
    assert "okänd dokumentationsnivå" in str(refused.value.errors).lower()
