"""Live updates over websockets (channels' WebsocketCommunicator against the real ASGI app):
a screen or phone gets the current state on connect, batched pushes after submissions, and a
reload when the step changes; strangers are turned away."""

import asyncio
import json
import threading
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client, override_settings

from config.asgi import application
from tillit.dialog import actions
from tillit.dialog.participant_views import cookie_name
from tillit.dialog.tests.factories import go_to_step, make_session

pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario):
    """Each test is a coroutine run to its end, as a server would run the consumers."""

    def test() -> None:
        # In a thread of its own: a browser test earlier in the run leaves Playwright's event
        # loop on the main thread, where AsyncToSync refuses to start.
        failures: list[BaseException] = []

        def body() -> None:
            try:
                async_to_sync(scenario)()
            except BaseException as error:  # re-raised in the test's thread
                failures.append(error)

        thread = threading.Thread(target=body)
        thread.start()
        thread.join()
        if failures:
            raise failures[0]

    test.__name__ = scenario.__name__
    test.__doc__ = scenario.__doc__
    return test


ORIGIN = (b"origin", b"http://testserver")


def _cookie_header(cookies: dict[str, str]) -> tuple[bytes, bytes]:
    return (b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode())


def _staff_cookie(person) -> dict[str, str]:
    client = Client()
    client.force_login(person)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


async def _connect(path: str, cookies: dict[str, str]) -> tuple[WebsocketCommunicator, dict]:
    communicator = WebsocketCommunicator(
        application, path, headers=[ORIGIN, _cookie_header(cookies)]
    )
    connected, _code = await communicator.connect(timeout=5)
    assert connected
    return communicator, json.loads(await communicator.receive_from(timeout=5))


async def _last_push(communicator: WebsocketCommunicator) -> dict:
    """The last of the pushes that come until the client hears nothing for half a second."""
    pushed = json.loads(await communicator.receive_from(timeout=5))
    while not await communicator.receive_nothing(timeout=0.5):
        pushed = json.loads(await communicator.receive_from(timeout=5))
    return pushed


def _setup_session():
    session = make_session()
    participant, token = actions.join_session(session=session, name="Anna")
    actions.set_revealed(session=session, by=session.facilitator, revealed=True)
    session = go_to_step(session, 1)
    return session, participant, token, _staff_cookie(session.facilitator)


@run
@override_settings(TILLIT_DIALOG_PUSH_SECONDS=0.2)
async def test_the_big_screen_gets_the_state_then_batched_updates():
    session, participant, _token, staff = await sync_to_async(_setup_session)()
    screen, first = await _connect(f"/dialog/mote/{session.pk}/skarm/ws/", staff)
    assert first["type"] == "html" and "Inga ord än" in first["html"]
    for text in ("Delaktighet", "delaktigheten", "Tillit"):
        await sync_to_async(actions.add_note)(
            participant=participant, text=text, step=1, shared=True
        )
    pushed = await _last_push(screen)
    assert 'Delaktighet <span class="dialog-count">2</span>' in pushed["html"]
    assert "Tillit" in pushed["html"]
    await screen.disconnect()


@run
@override_settings(TILLIT_DIALOG_PUSH_SECONDS=0.1)
async def test_the_screens_counts_follow_notes_taken_back_and_answers_rewritten():
    """The live screen keeps its counts change by change (decision 0802): a note taken back
    leaves them, a joint answer rewritten counts its new words only."""
    session, participant, _token, staff = await sync_to_async(_setup_session)()
    screen, _first = await _connect(f"/dialog/mote/{session.pk}/skarm/ws/", staff)
    note = await sync_to_async(actions.add_note)(
        participant=participant, text="Tillit och mod", step=1, shared=True
    )
    await sync_to_async(actions.share_note)(participant=participant, note=note, shared=False)
    await sync_to_async(go_to_step)(session, 2)
    for text in ("Lyhördhet", "Öppenhet"):
        await sync_to_async(actions.save_table_answer)(participant=participant, text=text, step=2)
    pushed = await _last_push(screen)
    assert 'Öppenhet <span class="dialog-count">1</span>' in pushed["html"]
    assert "Tillit" not in pushed["html"] and "Lyhördhet <" not in pushed["html"]
    await screen.disconnect()


@run
@override_settings(TILLIT_DIALOG_PUSH_SECONDS=0.1)
async def test_another_processs_older_change_arriving_late_still_reaches_the_screen():
    """With two processes, a change committed before one the screen has shown can arrive
    after it (decision 0803): its words must be shown, not a rendering cached as of the newer
    change."""
    from channels.layers import get_channel_layer

    from tillit.dialog import live
    from tillit.dialog.models import Note

    session, participant, _token, staff = await sync_to_async(_setup_session)()
    await asyncio.sleep(0.3)  # the set-up's announcements (a recount on reveal) are out
    screen, _first = await _connect(f"/dialog/mote/{session.pk}/skarm/ws/", staff)
    while not await screen.receive_nothing(timeout=0.3):
        await screen.receive_from(timeout=5)
    # Committed in "the other process" first (its announcement is still on its way) ...
    late = await sync_to_async(Note.objects.create)(
        participant=participant, session=session, text="Samarbete", shared=True
    )
    committed_at = time.time_ns()
    # ... then this process's own note, announced and shown.
    await sync_to_async(actions.add_note)(
        participant=participant, text="Tillit", step=1, shared=True
    )
    shown = await _last_push(screen)
    assert "Tillit" in shown["html"] and "Samarbete" not in shown["html"]
    await get_channel_layer().group_send(
        live.screen_group(session.pk),
        {
            "type": "dialog.changed",
            "scope": "screen",
            "version": committed_at,
            "sender": "the-other-process",
            "seq": 1,
            "words": {f"n{late.pk}": [committed_at, "Samarbete"]},
        },
    )
    pushed = await _last_push(screen)
    assert 'Samarbete <span class="dialog-count">1</span>' in pushed["html"]
    assert "Tillit" in pushed["html"]
    await screen.disconnect()


@run
@override_settings(TILLIT_DIALOG_PUSH_SECONDS=0.1)
async def test_a_burst_of_submissions_is_pushed_in_few_messages():
    session, participant, _token, staff = await sync_to_async(_setup_session)()
    screen, _first = await _connect(f"/dialog/mote/{session.pk}/skarm/ws/", staff)

    def burst() -> None:
        for index in range(30):
            actions.add_note(participant=participant, text=f"förslag {index}", step=1, shared=True)

    await sync_to_async(burst)()
    messages = []
    while not await screen.receive_nothing(timeout=0.6):
        messages.append(json.loads(await screen.receive_from(timeout=5)))
    assert 1 <= len(messages) < 30
    assert 'Förslag <span class="dialog-count">30</span>' in messages[-1]["html"]  # none lost
    await screen.disconnect()


@run
async def test_a_participants_phone_follows_its_table_and_reloads_on_a_new_step():
    session, participant, token, _staff = await sync_to_async(_setup_session)()
    phone, first = await _connect(f"/dialog/{session.code}/ws/", {cookie_name(session): token})
    assert "Ditt bord: Eldkvarn" in first["html"]
    await sync_to_async(actions.add_note)(participant=participant, text="Mod", step=1, shared=True)
    update = json.loads(await phone.receive_from(timeout=5))
    assert update["type"] == "html" and "Mod" in update["html"]
    await sync_to_async(actions.advance_step)(session=session, by=session.facilitator, from_step=1)
    assert json.loads(await phone.receive_from(timeout=5))["type"] == "reload"
    await phone.disconnect()


@run
async def test_a_reconnecting_client_gets_the_current_state():
    session, participant, token, _staff = await sync_to_async(_setup_session)()
    await sync_to_async(actions.add_note)(
        participant=participant, text="Lyhördhet", step=1, shared=True
    )
    phone, first = await _connect(f"/dialog/{session.code}/ws/", {cookie_name(session): token})
    assert "Lyhördhet" in first["html"]
    await phone.disconnect()


@run
@override_settings(TILLIT_DIALOG_PUSH_SECONDS=0.1)
async def test_the_facilitators_page_follows_joins_and_each_tables_progress():
    """Issue 8: the facilitator sees people join and tables share notes without reloading."""
    session, participant, _token, staff = await sync_to_async(_setup_session)()
    page, first = await _connect(f"/dialog/mote/{session.pk}/ws/", staff)
    assert "1 deltagare har anslutit" in first["html"]
    await sync_to_async(actions.join_session)(session=session, name="Bertil")
    await sync_to_async(actions.add_note)(participant=participant, text="Mod", step=1, shared=True)
    pushed = await _last_push(page)
    assert "2 deltagare har anslutit" in pushed["html"]
    assert '<th scope="row">Eldkvarn</th><td>2</td><td>1</td>' in pushed["html"]
    await page.disconnect()


@run
async def test_strangers_are_turned_away():
    session, _participant, _token, _staff = await sync_to_async(_setup_session)()
    for path, cookies in (
        (f"/dialog/mote/{session.pk}/skarm/ws/", {}),
        (f"/dialog/mote/{session.pk}/ws/", {}),
        (f"/dialog/{session.code}/ws/", {cookie_name(session): "forged"}),
    ):
        communicator = WebsocketCommunicator(
            application, path, headers=[ORIGIN, _cookie_header(cookies)]
        )
        connected, _code = await communicator.connect(timeout=5)
        assert not connected
