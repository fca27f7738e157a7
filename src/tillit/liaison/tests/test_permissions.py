"""Who may do what: the centre's managers and the administration's contact persons organise;
participants (the centre's people, the contact persons) propose; the administration's other staff
read; staff of other administrations find nothing (404)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tillit.liaison import actions
from tillit.liaison.models import AgendaItem, Meeting
from tillit.liaison.tests.factories import at, make_liaison, minute_all, plan, propose
from tillit.organisation.models import Role
from tillit.organisation.tests.factories import PersonFactory


@pytest.fixture
def liaison(world):
    return make_liaison(world)


def test_the_centre_manager_and_the_contact_person_plan_meetings(liaison):
    first = plan(liaison, starts_at=at(7))
    second = plan(liaison, starts_at=at(35), by=liaison.contact)
    assert first.series == second.series
    assert str(first.series) == "Kundcenter – Bygglov"


@pytest.mark.parametrize("who", ["centre_staff", "admin_staff", "admin_manager", "other_staff"])
def test_nobody_else_plans_a_meeting(liaison, who):
    with pytest.raises(ValidationError, match="Bara kundcenters chefer"):
        plan(liaison, starts_at=at(7), by=getattr(liaison.world, who))
    assert not Meeting.objects.exists()


def test_a_contact_person_of_another_administration_does_not_organise_this_one(liaison):
    meeting = plan(liaison, starts_at=at(-1))
    stranger = PersonFactory(member_of=liaison.world.other, member_of__role=Role.CONTACT_PERSON)
    with pytest.raises(ValidationError):
        plan(liaison, starts_at=at(7), by=stranger)
    with pytest.raises(ValidationError):
        propose(meeting, stranger)
    propose(meeting, liaison.contact)
    minute_all(meeting, liaison.contact)
    with pytest.raises(ValidationError, match="Bara kundcenters chefer"):
        actions.approve_minutes(meeting=meeting, by=stranger)


def test_participants_propose_before_the_meeting_and_readers_do_not(liaison):
    meeting = plan(liaison, starts_at=at(7))
    propose(meeting, liaison.world.centre_staff, "Återkoppling på vidarekopplade samtal")
    propose(meeting, liaison.contact, "Ny blankett")
    with pytest.raises(ValidationError, match="Bara mötets deltagare"):
        propose(meeting, liaison.world.admin_staff)
    assert list(meeting.agenda.values_list("title", "position")) == [
        ("Återkoppling på vidarekopplade samtal", 1),
        ("Ny blankett", 2),
    ]


def test_once_the_meeting_has_started_only_organisers_add_items(liaison, clock):
    meeting = plan(liaison, starts_at=at(1))
    clock.now = at(1, hour=10)
    with pytest.raises(ValidationError, match="Mötet har börjat"):
        propose(meeting, liaison.world.centre_staff)
    propose(meeting, liaison.manager, "Tillagd under mötet")
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_pages_are_not_found_for_staff_of_other_administrations(liaison, client_for):
    meeting = plan(liaison, starts_at=at(-1))
    propose(meeting, liaison.contact, "Bygglov: kompletteringar")
    urls = [
        f"/samverkan/serier/{meeting.series_id}/",
        f"/samverkan/moten/{meeting.pk}/",
        f"/samverkan/moten/{meeting.pk}/protokoll/",
    ]
    outsider = client_for(liaison.world.other_staff)
    for url in urls:
        assert outsider.get(url).status_code == 404
    response = outsider.post(f"/samverkan/moten/{meeting.pk}/punkter/", {"propose-title": "Hej"})
    assert response.status_code == 404
    assert "Bygglov" not in outsider.get("/samverkan/").content.decode()
    assert meeting.agenda.count() == 1
    for person in (liaison.world.admin_staff, liaison.world.centre_staff, liaison.contact):
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 200, (person, url)


def test_readers_see_no_forms_and_participants_see_the_proposal_form(liaison, client_for):
    meeting = plan(liaison, starts_at=at(7))
    url = f"/samverkan/moten/{meeting.pk}/"
    reader = client_for(liaison.world.admin_staff).get(url).content.decode()
    assert "Föreslå en punkt" not in reader
    assert (
        "Planera ett möte"
        not in client_for(liaison.world.admin_staff)
        .get(f"/samverkan/serier/{meeting.series_id}/")
        .content.decode()
    )
    staff = client_for(liaison.world.centre_staff).get(url).content.decode()
    assert "Föreslå en punkt" in staff
    assert "Justera protokollet" not in staff
    response = client_for(liaison.world.admin_staff).post(
        f"/samverkan/moten/{meeting.pk}/punkter/", {"propose-title": "Smyger in en punkt"}
    )
    assert response.status_code == 422
    assert "Bara mötets deltagare" in response.content.decode()
    assert not meeting.agenda.exists()
