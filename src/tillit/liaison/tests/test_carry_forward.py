"""Followed to done: the open action items of approved minutes go onto the next meeting's
agenda, and again onto the one after, until their owner marks them done."""

from __future__ import annotations

import pytest

from tillit.liaison import actions
from tillit.liaison.tests.factories import at, decide, make_liaison, minute_all, plan, propose


@pytest.fixture
def liaison(world):
    return make_liaison(world)


def _carried(meeting):
    return list(
        meeting.agenda.filter(carried_action__isnull=False).values_list(
            "carried_action__text", flat=True
        )
    )


def _hold(liaison, meeting, *texts):
    propose(meeting, liaison.contact, "Uppföljning")
    decided = [decide(meeting, liaison.manager, liaison.contact, text) for text in texts]
    minute_all(meeting, liaison.manager)
    return decided


def test_open_action_items_are_carried_to_the_next_meeting_until_done(liaison, clock):
    first = plan(liaison, starts_at=at(-30))
    second = plan(liaison, starts_at=at(-10))
    open_one, done_one = _hold(liaison, first, "Ta fram stödmanus", "Skicka telefontider")
    actions.mark_action_done(action=done_one, by=liaison.contact)
    assert _carried(second) == []  # not before the minutes are approved
    actions.approve_minutes(meeting=first, by=liaison.manager)
    assert _carried(second) == ["Ta fram stödmanus"]

    # Still open at the second meeting: carried again, onto a meeting planned later.
    minute_all(second, liaison.manager)
    actions.approve_minutes(meeting=second, by=liaison.manager)
    third = plan(liaison, starts_at=at(10))
    assert _carried(third) == ["Ta fram stödmanus"]
    fourth = plan(liaison, starts_at=at(40))
    assert _carried(fourth) == []  # one waiting agenda at a time, no duplicates

    actions.mark_action_done(action=open_one, by=liaison.contact)
    clock.now = at(11)
    minute_all(third, liaison.manager)
    actions.approve_minutes(meeting=third, by=liaison.manager)
    assert _carried(fourth) == []


def test_the_carried_item_shows_its_owner_and_status_on_the_next_agenda(liaison, client_for):
    first = plan(liaison, starts_at=at(-14))
    (action,) = _hold(liaison, first, "Ta fram stödmanus för nödprövning")
    actions.approve_minutes(meeting=first, by=liaison.manager)
    nxt = plan(liaison, starts_at=at(7))
    text = client_for(liaison.world.centre_staff).get(f"/samverkan/moten/{nxt.pk}/")
    body = text.content.decode()
    assert "Ta fram stödmanus för nödprövning" in body
    assert "Åtgärd överförd från mötet" in body
    assert str(action.owner) in body
