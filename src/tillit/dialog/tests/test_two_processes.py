"""Two server processes sharing Redis serve one session: the big screen is connected to one
process, the participant's note is posted to the other, and the screen shows it (issue 8).
Needs REDIS_URL (the in-memory layer cannot cross processes); .ci/run sets it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tillit.dialog import actions
from tillit.dialog.participant_views import cookie_name
from tillit.dialog.tests.factories import go_to_step, make_session

ROOT = Path(__file__).resolve().parents[4]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (Redis channel layer)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def two_servers() -> Iterator[list[int]]:
    ports = [_free_port(), _free_port()]
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "TILLIT_DATA_DIR": tempfile.mkdtemp(prefix="tillit-dialog-two-"),
        "TILLIT_DIALOG_PUSH_MS": "200",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--lifespan", "off"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]  # fmt: skip
    try:
        for port in ports:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # A server with websockets still closing may outlive SIGTERM's grace; this test
                # is about serving one session from two processes, not about shutting down.
                process.kill()
                process.wait(timeout=10)


async def _post_note(port: int, code: str, cookie: str, text: str) -> int:
    csrf = secrets.token_hex(16)
    body = urlencode(
        {"step": "1", "text": text, "shared": "on", "csrfmiddlewaretoken": csrf}
    ).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"POST /dialog/{code}/anteckning/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Connection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nCookie: {cookie}; csrftoken={csrf}\r\n\r\n"
        ).encode()
        + body
    )
    await writer.drain()
    status = int((await reader.read()).split(b" ", 2)[1])
    writer.close()
    return status


def test_a_note_posted_to_one_process_reaches_the_screen_on_the_other(two_servers):
    import websockets

    session = make_session()
    participant, token = actions.join_session(session=session, name="Anna")
    actions.set_revealed(session=session, by=session.facilitator, revealed=True)
    session = go_to_step(session, 1)
    client = Client()
    client.force_login(session.facilitator)
    staff = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    screen_port, phone_port = two_servers

    async def scenario() -> str:
        async with websockets.connect(
            f"ws://127.0.0.1:{screen_port}/dialog/mote/{session.pk}/skarm/ws/",
            additional_headers={"Cookie": staff, "Origin": f"http://127.0.0.1:{screen_port}"},
        ) as screen:
            first = json.loads(await asyncio.wait_for(screen.recv(), 10))
            assert "Samarbete" not in first["html"]
            status = await _post_note(
                phone_port, session.code, f"{cookie_name(session)}={token}", "Samarbete"
            )
            assert status == 302
            while True:
                html = json.loads(await asyncio.wait_for(screen.recv(), 10))["html"]
                if "Samarbete" in html:
                    return html

    # In a thread of its own: a browser test earlier in the run leaves Playwright's event loop
    # on the main thread, where asyncio.run refuses to start.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        html = pool.submit(asyncio.run, scenario()).result()
    assert 'Samarbete <span class="dialog-count">1</span>' in html
    assert participant.notes.get().text == "Samarbete"


def test_notes_sent_over_websockets_to_one_process_reach_the_screen_on_the_other(two_servers):
    """The websocket path across processes: phones on both, the screen on the first; each note
    is stored before its sender hears "saved", and the screen counts them all."""
    import websockets

    session = make_session()
    people = [actions.join_session(session=session, name=f"Chef {i}") for i in range(6)]
    actions.set_revealed(session=session, by=session.facilitator, revealed=True)
    session = go_to_step(session, 1)
    client = Client()
    client.force_login(session.facilitator)
    staff = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    ports = two_servers

    async def scenario() -> tuple[list[str], str]:
        async with websockets.connect(
            f"ws://127.0.0.1:{ports[0]}/dialog/mote/{session.pk}/skarm/ws/",
            additional_headers={"Cookie": staff, "Origin": f"http://127.0.0.1:{ports[0]}"},
        ) as screen:
            await asyncio.wait_for(screen.recv(), 10)
            phones = []
            for index, (_participant, token) in enumerate(people):
                port = ports[index % 2]
                phone = await websockets.connect(
                    f"ws://127.0.0.1:{port}/dialog/{session.code}/ws/",
                    additional_headers={
                        "Cookie": f"{cookie_name(session)}={token}",
                        "Origin": f"http://127.0.0.1:{port}",
                    },
                )
                await asyncio.wait_for(phone.recv(), 10)  # the state on connect
                phones.append(phone)
            for index, phone in enumerate(phones):
                await phone.send(
                    json.dumps(
                        {
                            "type": "note",
                            "ref": index,
                            "text": "Samarbete",
                            "step": 1,
                            "shared": True,
                        }
                    )
                )
            kinds = []
            for phone in phones:
                while True:
                    message = json.loads(await asyncio.wait_for(phone.recv(), 10))
                    if message["type"] in ("saved", "error"):
                        kinds.append(message["type"])
                        break
                await phone.close()
            while True:
                html = json.loads(await asyncio.wait_for(screen.recv(), 10))["html"]
                if 'Samarbete <span class="dialog-count">6</span>' in html:
                    return kinds, html

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        kinds, _html = pool.submit(asyncio.run, scenario()).result()
    assert kinds == ["saved"] * 6
    assert session.notes.filter(text="Samarbete", shared=True).count() == 6
