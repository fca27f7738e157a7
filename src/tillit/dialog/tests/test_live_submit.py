"""Texts sent over a phone's websocket (issue 8): stored before the answer and before the
screens hear of it, the screens' pushes batched however many phones send at once, and bad input
answered over the socket with the same Swedish message the page shows."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings

from tillit.dialog import actions, live
from tillit.dialog.models import Note, SuccessFactor
from tillit.dialog.participant_views import cookie_name
from tillit.dialog.tests.factories import go_to_step, join, make_session
from tillit.dialog.tests.test_live import _connect, _staff_cookie, run

pytestmark = pytest.mark.django_db(transaction=True)


def _setup(people: int = 1):
    session = make_session()
    joined = join(session, people)
    actions.set_revealed(session=session, by=session.facilitator, revealed=True)
    session = go_to_step(session, 1)
    return session, joined, _staff_cookie(session.facilitator)


async def _answer(phone) -> dict:
    """The next message that answers a text (table pushes may come in between)."""
    while True:
        message = json.loads(await phone.receive_from(timeout=10))
        if message["type"] in ("saved", "error"):
            return message


async def _phone(session, token):
    return await _connect(f"/dialog/{session.code}/ws/", {cookie_name(session): token})


@run
@override_settings(TILLIT_DIALOG_PUSH_SECONDS=0.2)
async def test_a_note_sent_over_the_websocket_is_stored_then_shown_on_the_screen():
    session, [(participant, token)], staff = await sync_to_async(_setup)()
    screen, first = await _connect(f"/dialog/mote/{session.pk}/skarm/ws/", staff)
    assert "Delaktighet" not in first["html"]
    phone, _state = await _phone(session, token)
    await phone.send_to(
        json.dumps(
            {"type": "note", "ref": "a1", "text": " Delaktighet ", "step": 1, "shared": True}
        )
    )
    answer = await _answer(phone)
    assert answer["type"] == "saved" and answer["ref"] == "a1"
    assert answer["message"] == "Din anteckning är sparad."
    assert "Delaktighet" in answer["mine"] and "delad" in answer["mine"]
    # Stored by the time the phone hears "saved".
    note = await sync_to_async(Note.objects.get)(pk=answer["id"])
    assert (note.participant_id, note.text, note.shared) == (participant.pk, "Delaktighet", True)
    html = ""
    while 'Delaktighet <span class="dialog-count">1</span>' not in html:
        html = json.loads(await screen.receive_from(timeout=5))["html"]
    await phone.disconnect()
    await screen.disconnect()


@run
@override_settings(TILLIT_DIALOG_PUSH_SECONDS=0.3)
async def test_many_phones_sending_at_once_reach_the_screen_in_few_pushes_none_lost():
    session, joined, staff = await sync_to_async(_setup)(12)
    screen, _first = await _connect(f"/dialog/mote/{session.pk}/skarm/ws/", staff)
    phones = [(await _phone(session, token))[0] for _participant, token in joined]
    sent_before = live.COALESCER.sent
    for index, phone in enumerate(phones * 3):  # 36 notes from 12 phones, without waiting
        await phone.send_to(
            json.dumps({"type": "note", "ref": index, "text": "Tillit", "step": 1, "shared": True})
        )
    answers = [await _answer(phone) for phone in phones for _ in range(3)]
    assert [a["type"] for a in answers] == ["saved"] * 36
    pushes = []
    while not await screen.receive_nothing(timeout=0.8):
        pushes.append(json.loads(await screen.receive_from(timeout=5))["html"])
    assert 'Tillit <span class="dialog-count">36</span>' in pushes[-1]  # nothing lost
    assert 1 <= len(pushes) <= 6  # batched, not one push per note
    # The announcements were coalesced too: far fewer group messages than notes × groups.
    assert live.COALESCER.sent - sent_before < 36
    assert await sync_to_async(Note.objects.filter(session=session).count)() == 36
    for phone in phones:
        await phone.disconnect()
    await screen.disconnect()


@run
async def test_bad_input_gets_a_clear_message_over_the_socket():
    session, [(_participant, token)], _staff = await sync_to_async(_setup)()
    phone, _state = await _phone(session, token)

    async def send(payload) -> dict:
        await phone.send_to(payload if isinstance(payload, str) else json.dumps(payload))
        return await _answer(phone)

    empty = await send({"type": "note", "ref": "e", "text": "   ", "step": 1})
    assert empty["type"] == "error" and empty["ref"] == "e"
    assert empty["message"] == "Min anteckning: Skriv något först: texten är tom."
    assert empty["errors"] == {"text": ["Skriv något först: texten är tom."]}

    long = await send({"type": "note", "ref": "l", "text": "x" * 501, "step": 1})
    assert long["type"] == "error"
    assert "Texten är för lång: högst 500 tecken, du skrev 501." in long["message"]

    stale = await send({"type": "note", "ref": "s", "text": "Sent", "step": 0})
    assert stale["type"] == "error" and stale["step"] == 1
    assert "har gått vidare till steg 1" in stale["message"]

    wrong_kind = await send({"type": "factor", "ref": "w", "text": "Mod", "step": 1})
    assert wrong_kind["type"] == "error"
    assert "samlar inte in den sortens text" in wrong_kind["message"]

    garbled = await send('{"type": "note", "text": ')
    assert garbled["type"] == "error" and "kunde inte läsas" in garbled["message"]
    unknown = await send({"type": "vote", "ref": "u"})
    assert unknown["type"] == "error" and unknown["ref"] == "u"

    assert await sync_to_async(Note.objects.count)() == 0  # nothing bad was stored
    await phone.disconnect()


@run
async def test_a_table_sends_its_success_factors_over_the_socket_up_to_the_limit():
    session, joined, _staff = await sync_to_async(_setup)(3)
    session = await sync_to_async(go_to_step)(session, 3)
    phone, _state = await _phone(session, joined[0][1])
    answers = []
    for index in range(4):
        await phone.send_to(
            json.dumps({"type": "factor", "ref": index, "text": f"Faktor {index}", "step": 3})
        )
        answers.append(await _answer(phone))
    assert [a["type"] for a in answers] == ["saved", "saved", "saved", "error"]
    assert answers[0]["message"] == "Framgångsfaktorn är skickad."
    assert "redan skickat sina 3 framgångsfaktorer" in answers[3]["message"]
    assert await sync_to_async(SuccessFactor.objects.count)() == 3
    await phone.disconnect()
