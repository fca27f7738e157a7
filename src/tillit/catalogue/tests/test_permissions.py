"""Only the administration's contact persons (and administrators) keep its case types,
checklists and notices (issue 4)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tillit.catalogue import actions
from tillit.catalogue.models import CaseTypeVersion, ChangeNotice, ChecklistItem, VersionStatus
from tillit.catalogue.tests.factories import CaseTypeFactory, published_checklist
from tillit.organisation.models import Role
from tillit.organisation.tests.factories import PersonFactory


@pytest.fixture
def version(world):
    return published_checklist(world.case_type, [("Kontrollera ritningen", True)])


def test_the_contact_person_edits_and_publishes_their_administrations_checklist(world, version):
    draft = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    actions.add_item(version=draft, by=world.admin_contact, text="Fråga om strandskydd")
    actions.publish_version(version=draft, by=world.admin_contact, summary="Strandskydd.")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


@pytest.mark.parametrize("who", ["admin_staff", "admin_manager", "centre_staff", "other_staff"])
def test_nobody_else_edits_the_checklist(world, version, who):
    person = getattr(world, who)
    with pytest.raises(ValidationError, match="kontaktpersoner"):
        actions.start_draft(case_type=world.case_type, by=person)
    draft = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    with pytest.raises(ValidationError, match="kontaktpersoner"):
        actions.add_item(version=draft, by=person, text="Smyger in en punkt")
    with pytest.raises(ValidationError, match="kontaktpersoner"):
        actions.publish_version(version=draft, by=person, summary="Nej.")
    assert draft.items.count() == 1


def test_a_contact_person_of_another_administration_may_not_edit(world, version):
    stranger = PersonFactory(member_of=world.other, member_of__role=Role.CONTACT_PERSON)
    with pytest.raises(ValidationError):
        actions.start_draft(case_type=world.case_type, by=stranger)
    own_type = CaseTypeFactory(administration=world.other)
    assert actions.start_draft(case_type=own_type, by=stranger).number == 1


def test_an_administrator_may_edit_every_administrations_types(world, version):
    admin = PersonFactory(member_of=world.centre, member_of__role=Role.ADMINISTRATOR)
    draft = actions.start_draft(case_type=world.case_type, by=admin)
    actions.add_item(version=draft, by=admin, text="Ny punkt")
    assert ChecklistItem.objects.filter(version=draft).count() == 2


def test_notices_only_by_contact_persons_and_only_for_their_own_types(world):
    foreign = CaseTypeFactory(administration=world.other)
    with pytest.raises(ValidationError):
        actions.publish_notice(
            administration=world.administration,
            by=world.admin_staff,
            title="Ny rutin",
            body="Från måndag.",
            case_types=[world.case_type],
            effective_from=date(2026, 12, 7),
        )
    with pytest.raises(ValidationError, match="egna förvaltningens"):
        actions.publish_notice(
            administration=world.administration,
            by=world.admin_contact,
            title="Ny rutin",
            body="Från måndag.",
            case_types=[foreign],
            effective_from=date(2026, 12, 7),
        )
    assert not ChangeNotice.objects.exists()


def test_pages_for_editing_are_not_found_for_others(world, version, client_for):
    draft = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    item = draft.items.get()
    for person in (world.admin_staff, world.centre_staff):
        client = client_for(person)
        assert client.get(f"/katalog/utkast/{draft.pk}/").status_code == 404
        response = client.post(
            f"/katalog/utkast/{draft.pk}/",
            {"intent": "remove", "item": item.pk},
        )
        assert response.status_code == 404
        assert client.post(f"/katalog/typer/{world.case_type.pk}/utkast/").status_code == 404
    assert draft.items.count() == 1
    page = client_for(world.admin_staff).get(f"/katalog/typer/{world.case_type.pk}/")
    assert page.status_code == 200
    assert "Ändra checklistan" not in page.content.decode()
    own = client_for(world.admin_contact).get(f"/katalog/typer/{world.case_type.pk}/")
    assert "Ändra checklistan" in own.content.decode()
    assert CaseTypeVersion.objects.filter(case_type=world.case_type).count() == 2
