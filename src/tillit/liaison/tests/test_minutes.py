"""Minutes are written during or after the meeting, approved once every item has minutes, and
then locked: nothing on the meeting changes, corrections are appended."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tillit.cases.tests.pages import page_text
from tillit.liaison import actions
from tillit.liaison.models import MinutesCorrection
from tillit.liaison.tests.factories import at, decide, make_liaison, minute_all, plan, propose


@pytest.fixture
def liaison(world):
    return make_liaison(world)


@pytest.fixture
def held(liaison):
    meeting = plan(liaison, starts_at=at(-1))
    propose(meeting, liaison.contact, "Bygglov: kompletteringar")
    propose(meeting, liaison.manager, "Övriga frågor")
    return meeting


def test_minutes_wait_until_the_meeting_has_started(liaison):
    meeting = plan(liaison, starts_at=at(3))
    item = propose(meeting, liaison.contact)
    with pytest.raises(ValidationError, match="Mötet har inte börjat"):
        actions.write_minutes(item=item, by=liaison.manager, text="För tidigt.")
    with pytest.raises(ValidationError, match="Mötet har inte börjat"):
        actions.approve_minutes(meeting=meeting, by=liaison.manager)


def test_approval_names_the_items_without_minutes(liaison, held):
    first = held.agenda.get(title="Bygglov: kompletteringar")
    actions.write_minutes(item=first, by=liaison.manager, text="Situationsplan saknas ofta.")
    with pytest.raises(ValidationError, match="Övriga frågor") as refused:
        actions.approve_minutes(meeting=held, by=liaison.manager)
    assert "Bygglov: kompletteringar" not in str(refused.value)
    held.refresh_from_db()
    assert not held.is_approved


def test_approved_minutes_never_change(liaison, held):
    minute_all(held, liaison.manager)
    actions.approve_minutes(meeting=held, by=liaison.contact)
    item = held.agenda.first()
    for attempt in (
        lambda: actions.write_minutes(item=item, by=liaison.manager, text="Ändrat i efterhand"),
        lambda: propose(held, liaison.manager, "Sen punkt"),
        lambda: decide(held, liaison.manager, liaison.contact),
        lambda: actions.approve_minutes(meeting=held, by=liaison.manager),
        lambda: actions.move_agenda_item(item=item, by=liaison.manager, up=False),
    ):
        with pytest.raises(ValidationError, match="Protokollet är justerat"):
            attempt()
    item.refresh_from_db()
    assert item.minutes == "Diskuterades. Inga invändningar."
    assert held.agenda.count() == 2 and not held.actions.exists()


def test_a_correction_is_appended_after_approval_only(liaison, held):
    with pytest.raises(ValidationError, match="inte justerat än"):
        actions.add_correction(meeting=held, by=liaison.manager, text="Fel datum")
    minute_all(held, liaison.manager)
    actions.approve_minutes(meeting=held, by=liaison.manager)
    with pytest.raises(ValidationError, match="Bara kundcenters chefer"):
        actions.add_correction(meeting=held, by=liaison.world.centre_staff, text="Nej")
    actions.add_correction(
        meeting=held, by=liaison.contact, text="Punkt 1: det gäller även tillbyggnader."
    )
    correction = MinutesCorrection.objects.get()
    assert correction.by == liaison.contact


def test_the_locked_minutes_refuse_changes_over_http(liaison, held, client_for):
    minute_all(held, liaison.manager)
    item = held.agenda.first()
    client = client_for(liaison.manager)
    approve = client.post(f"/samverkan/moten/{held.pk}/godkann/")
    assert approve.status_code == 302
    page = page_text(client.get(f"/samverkan/moten/{held.pk}/"))
    assert "protokollet justerat" in page
    assert "Spara protokollet" not in page
    response = client.post(
        f"/samverkan/moten/{held.pk}/punkter/{item.pk}/protokoll/",
        {f"minutes-{item.pk}-text": "Ändrat i efterhand"},
    )
    assert response.status_code == 422
    assert "Lägg till en rättelse i stället" in page_text(response)
    item.refresh_from_db()
    assert item.minutes == "Diskuterades. Inga invändningar."
    corrected = client.post(
        f"/samverkan/moten/{held.pk}/rattelser/", {"correction-text": "Rättat stavfel."}
    )
    assert corrected.status_code == 302
    printable = page_text(client.get(f"/samverkan/moten/{held.pk}/protokoll/"))
    assert "Diskuterades. Inga invändningar." in printable
    assert "Rättat stavfel." in printable
    assert "Justerat av" in printable


def test_the_approval_refusal_is_shown_in_swedish(liaison, held, client_for):
    response = client_for(liaison.manager).post(f"/samverkan/moten/{held.pk}/godkann/")
    assert response.status_code == 422
    assert "Skriv först protokoll för varje punkt" in page_text(response)
