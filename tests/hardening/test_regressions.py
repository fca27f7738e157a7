"""What the hostile corpus found in the app forms (issue 9), each pinned by the behaviour a user
or a client notices."""

from __future__ import annotations

from django.urls import reverse

from tillit.dialog.models import Session
from tillit.liaison import actions as liaison_actions
from tillit.liaison.tests.factories import at, decide, make_liaison, plan

from .surfaces import _dialog_create, _feedback_reflection, _feedback_survey
from .test_hostile_forms import refused_clearly, signed_in


def test_a_refused_survey_answer_is_a_400_with_the_message(world):
    """Issue 9: a survey answer with a NUL byte came back 200, as if nothing was wrong."""
    scene = _feedback_survey(world)
    response = scene.client.post(scene.url, scene.values() | {"comment": "Bra\x00"})
    refused_clearly(response)
    assert response.status_code == 400


def test_a_refused_reflection_is_a_400_with_the_message(world):
    """Issue 9: an over-long reflection came back 200 instead of a refusal."""
    scene = _feedback_reflection(world)
    response = scene.client.post(scene.url, scene.values() | {"our_part": "x" * 4001})
    refused_clearly(response)
    assert response.status_code == 400


def test_how_an_action_item_was_done_is_shown_with_it(world):
    """Issue 9: the 'how it was done' note was asked for, stored and then shown nowhere."""
    liaison = make_liaison(world)
    meeting = plan(liaison, starts_at=at(-1))
    action = decide(meeting, liaison.manager, liaison.contact)
    liaison_actions.mark_action_done(action=action, by=liaison.contact, note="Webbtexten <b>")
    for person, url in [
        (liaison.contact, reverse("liaison:mine")),
        (liaison.manager, reverse("liaison:meeting", args=[meeting.pk])),
    ]:
        html = signed_in(person).get(url).content.decode()
        assert "Webbtexten &lt;b&gt;" in html


def test_a_table_name_too_long_is_refused_when_the_session_is_created(world):
    """Issue 9: a 100,000-character table name was accepted, and the first participant to join
    got a server error on PostgreSQL (the table's name holds 60 characters)."""
    scene = _dialog_create(world)
    response = scene.client.post(scene.url, scene.values() | {"table_names": "Ek" * 40})
    refused_clearly(response)
    assert "Namnet är för långt: högst 50 tecken." in response.content.decode()
    assert not Session.objects.exists()
