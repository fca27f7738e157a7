"""Redis stopped during a live dialog session (issue 9, "Faults").

A Redis of the test's own (no persistence, as in the recommended set-up: a restart loses the
channel layer's groups), a PostgreSQL database of its own, and two `tillit serve` processes
sharing both. The big screen is connected to one process; a participant posts notes to the other,
before, during and after a Redis outage. The scenario runs once; each test asserts one promise.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest

from tests.faults.conftest import Cluster
from tests.faults.servers import Redis, free_port, serve, tillit_env, tillit_python

websockets = pytest.importorskip("websockets")

SET_UP = """
import json
from django.conf import settings
from django.test import Client
from tillit.dialog import actions
from tillit.dialog.participant_views import cookie_name
from tillit.dialog.tests.factories import go_to_step, make_session
session = make_session()
participant, token = actions.join_session(session=session, name="Anna")
actions.set_revealed(session=session, by=session.facilitator, revealed=True)
session = go_to_step(session, 1)
client = Client()
client.force_login(session.facilitator)
staff = client.cookies[settings.SESSION_COOKIE_NAME].value
print(json.dumps({"session": session.pk, "code": session.code,
                  "participant": f"{cookie_name(session)}={token}",
                  "staff": f"{settings.SESSION_COOKIE_NAME}={staff}"}))
"""


def _post_note(port: int, code: str, cookie: str, text: str) -> tuple[int, str, str]:
    csrf = secrets.token_hex(16)
    body = urlencode({"step": "1", "text": text, "shared": "on", "csrfmiddlewaretoken": csrf})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            f"/dialog/{code}/anteckning/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{cookie}; csrftoken={csrf}",
            },
        )
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    except OSError as error:
        return 0, "", repr(error)
    finally:
        connection.close()


async def _until(socket: Any, text: str, timeout: float) -> bool:
    """Whether a push containing `text` arrives within `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            return False
        try:
            message = json.loads(await asyncio.wait_for(socket.recv(), left))
        except TimeoutError:
            return False
        except websockets.ConnectionClosed:
            return False
        if text in message.get("html", ""):
            return True


@pytest.fixture(scope="module")
def outage(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Run the scenario once; what happened, for the tests below."""
    folder: Path = tmp_path_factory.mktemp("redis-outage")
    redis = Redis().start()
    url = cluster.fresh_database()
    env = tillit_env(url, REDIS_URL=redis.url, TILLIT_DIALOG_PUSH_MS="200")
    made = tillit_python(env, SET_UP)
    screen_port, phone_port = free_port(), free_port()
    servers = [
        serve(env, screen_port, folder / "screen.log"),
        serve(env, phone_port, folder / "phone.log"),
    ]
    ws_url = f"ws://127.0.0.1:{screen_port}/dialog/mote/{made['session']}/skarm/ws/"
    headers = {"Cookie": made["staff"], "Origin": f"http://127.0.0.1:{screen_port}"}
    seen: dict[str, Any] = {"url": url}

    def post(text: str) -> tuple[int, str, str]:
        return _post_note(phone_port, made["code"], made["participant"], text)

    async def scenario() -> None:
        async with websockets.connect(ws_url, additional_headers=headers) as screen:
            await asyncio.wait_for(screen.recv(), 20)
            seen["before"] = await asyncio.to_thread(post, "Samarbete")
            seen["before_pushed"] = await _until(screen, "Samarbete", 15)

            redis.stop()
            seen["during"] = await asyncio.to_thread(post, "Tillit")
            seen["during_pushed"] = await _until(screen, "Tillit", 3)

            redis.start()
            await asyncio.sleep(1)
            seen["after"] = await asyncio.to_thread(post, "Trygghet")
            # The screen connected through the outage: it hears the new note, or its socket
            # was closed (the page then reconnects, below); never open but deaf.
            seen["open_screen_pushed"] = await _until(screen, "Trygghet", 10)
            seen["open_screen_closed"] = screen.close_code is not None
        # A screen that reconnects, as the page's script does whenever its socket closes
        # (every RETRY_MS, polling meanwhile): a refused attempt is tried again a second later.
        seen["reconnect_attempts"] = 0
        while True:
            seen["reconnect_attempts"] += 1
            try:
                screen = await websockets.connect(ws_url, additional_headers=headers)
                break
            except websockets.InvalidStatus:
                if seen["reconnect_attempts"] >= 10:
                    raise
                await asyncio.sleep(1)
        async with screen:
            html = json.loads(await asyncio.wait_for(screen.recv(), 20))["html"]
            seen["reconnected_html"] = html
            seen["later"] = await asyncio.to_thread(post, "Gemenskap")
            seen["reconnected_pushed"] = await _until(screen, "Gemenskap", 10)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, scenario()).result(timeout=180)
        seen["logs"] = [server.output() for server in servers]
        yield seen
    finally:
        for server in servers:
            server.stop()
        redis.stop()


def _stored_notes(url: str) -> list[str]:
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute("SELECT text FROM dialog_note ORDER BY id").fetchall()
    return [str(row[0]) for row in rows]


def test_no_note_is_lost_across_the_outage(outage):
    assert outage["before"][0] == 302 and outage["after"][0] == 302 and outage["later"][0] == 302
    assert _stored_notes(outage["url"]) == ["Samarbete", "Tillit", "Trygghet", "Gemenskap"]


def test_a_reconnecting_screen_catches_up_and_hears_new_notes(outage):
    assert outage["before_pushed"]
    assert outage["reconnect_attempts"] <= 3
    html = outage["reconnected_html"]
    for note in ("Samarbete", "Tillit", "Trygghet"):
        assert note in html, "the screen's first state after reconnecting lacks " + note
    assert outage["reconnected_pushed"]


def test_a_note_sent_during_the_outage_is_answered_normally(outage):
    status, _, body = outage["during"]
    assert status == 302, (status, body[:300])


def test_a_screen_connected_through_the_outage_is_never_left_deaf(outage):
    assert outage["open_screen_pushed"] or outage["open_screen_closed"]
