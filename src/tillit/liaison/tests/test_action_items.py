"""Action items: what, who, by when; only the owner marks one done (who and when are kept);
overdue ones stand out; everyone has a list of their own across meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.cases.tests.pages import page_text
from tillit.liaison import actions
from tillit.liaison.models import ActionStatus
from tillit.liaison.tests.factories import at, decide, make_liaison, plan, propose
from tillit.organisation.models import Role
from tillit.organisation.tests.factories import PersonFactory


@pytest.fixture
def liaison(world):
    return make_liaison(world)


@pytest.fixture
def held(liaison):
    meeting = plan(liaison, starts_at=at(-1))
    propose(meeting, liaison.contact)
    return meeting


def test_only_the_owner_marks_an_action_item_done(liaison, held):
    action = decide(held, liaison.manager, liaison.contact)
    for other in (liaison.manager, liaison.world.centre_staff, liaison.world.admin_staff):
        with pytest.raises(ValidationError, match="Bara den som är ansvarig"):
            actions.mark_action_done(action=action, by=other)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    actions.mark_action_done(action=action, by=liaison.contact, note="Texten är uppdaterad.")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.done_by == liaison.contact and action.done_at is not None
    with pytest.raises(ValidationError, match="redan klar"):
        actions.mark_action_done(action=action, by=liaison.contact)


def test_someone_elses_action_item_is_not_found_over_http(liaison, held, client_for):
    action = decide(held, liaison.manager, liaison.contact)
    response = client_for(liaison.manager).post(f"/samverkan/atgarder/{action.pk}/klar/")
    assert response.status_code == 404
    done = client_for(liaison.contact).post(f"/samverkan/atgarder/{action.pk}/klar/")
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.done_by == liaison.contact


def test_the_owner_takes_part_in_the_meetings(liaison, held):
    with pytest.raises(ValidationError, match="Ansvarig måste vara en av mötets deltagare"):
        decide(held, liaison.manager, liaison.world.admin_staff)
    stranger = PersonFactory(member_of=liaison.world.other, member_of__role=Role.CONTACT_PERSON)
    with pytest.raises(ValidationError):
        decide(held, liaison.manager, stranger)
    assert decide(held, liaison.manager, liaison.world.centre_staff).owner == (
        liaison.world.centre_staff
    )


def test_the_due_date_is_a_working_day_on_or_after_the_meeting(liaison, world, clock):
    clock.now = timezone.make_aware(datetime(2026, 12, 21, 15))  # noqa: DTZ001
    meeting = actions.create_meeting(
        administration=world.administration,
        by=liaison.manager,
        starts_at=timezone.make_aware(datetime(2026, 12, 21, 9)),  # noqa: DTZ001
        place="Rum 2",
    )
    cases = [
        (date(2026, 12, 18), "kan inte vara före mötet"),
        (date(2026, 12, 25), "är inte en arbetsdag"),  # juldagen
        (date(2026, 12, 24), "är inte en arbetsdag"),  # julafton: the offices are closed
        (date(2026, 12, 27), "är inte en arbetsdag"),  # a Sunday
    ]
    for due, message in cases:
        with pytest.raises(ValidationError, match=message):
            actions.add_action_item(
                meeting=meeting,
                by=liaison.manager,
                text="Klart",
                owner=liaison.contact,
                due_date=due,
            )
    action = actions.add_action_item(
        meeting=meeting,
        by=liaison.manager,
        text="Klart",
        owner=liaison.contact,
        due_date=date(2026, 12, 28),
    )
    assert action.due_date == date(2026, 12, 28)


def test_form_refusals_are_in_swedish(liaison, held, client_for):
    client = client_for(liaison.manager)
    empty = client.post(f"/samverkan/moten/{held.pk}/atgarder/", {"action-text": ""})
    assert empty.status_code == 422
    text = page_text(empty)
    assert "Inget ändrades" in text or "Ingenting ändrades" in text
    assert "Vad ska göras: Fältet måste fyllas i." in text
    assert "Ansvarig: Fältet måste fyllas i." in text
    weekend = client.post(
        f"/samverkan/moten/{held.pk}/atgarder/",
        {
            "action-text": "Ring tillbaka",
            "action-owner": liaison.contact.pk,
            "action-due_date": "2099-01-03",  # a Saturday
        },
    )
    assert weekend.status_code == 422
    assert "är inte en arbetsdag" in page_text(weekend)
    assert not held.actions.exists()


def test_my_action_items_across_meetings_with_the_overdue_highlighted(
    liaison, held, clock, client_for
):
    late = decide(held, liaison.manager, liaison.contact, "Skicka nya telefontider", days=2)
    later = decide(held, liaison.manager, liaison.contact, "Uppdatera checklistan", days=20)
    decide(held, liaison.manager, liaison.world.centre_staff, "Någon annans åtgärd")
    clock.now = timezone.make_aware(datetime.combine(late.due_date, time(9))) + timedelta(days=3)
    response = client_for(liaison.contact).get("/samverkan/mina-atgarder/")
    markup = response.content.decode()
    text = page_text(response)
    assert "Skicka nya telefontider" in text and "Uppdatera checklistan" in text
    assert "Någon annans åtgärd" not in text
    assert f'liaison-action--overdue" id="atgard-{late.pk}"' in markup
    assert f'class="card liaison-action" id="atgard-{later.pk}"' in markup
    assert text.count("försenad") == 1


def test_the_start_page_lists_my_open_action_items(liaison, held, client_for):
    action = decide(held, liaison.manager, liaison.contact, "Skicka nya telefontider")
    start = page_text(client_for(liaison.contact).get("/"))
    assert "Mina åtgärder" in start and "Skicka nya telefontider" in start
    assert "Skicka nya telefontider" not in page_text(client_for(liaison.manager).get("/"))
    actions.mark_action_done(action=action, by=liaison.contact)
    assert "Skicka nya telefontider" not in page_text(client_for(liaison.contact).get("/"))
