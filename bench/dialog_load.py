"""Dialog meetings under load: N participants join, open a websocket each and send a note at
once; how fast does the big screen show them, and is anything lost?

    .venv/bin/python bench/dialog_load.py [--participants 400] [--concurrency 50]

Serves the real ASGI application (HTTP and websockets, config.asgi) with uvicorn in a thread on
a free port of 127.0.0.1, with the in-memory channel layer and a throw-away SQLite test
database (or `DATABASE_URL=postgres://…`; add `REDIS_URL=…` for the Redis layer). Clients are
real sockets in this process: an HTTP POST of the join form per participant (its secret cookie
comes back), one websocket per participant and one big screen. Then every participant sends a
shared note with the word "delaktighet", all at once (at most --concurrency in flight). Prints
JSON lines:
- `join_ms_p50/p99`: the join form POST, seating included;
- `broadcast_ms_p50/p99`: from a note's POST being sent to the first big-screen push that
  counts it (pushes are batched about once a second by design, so ~1 s is the floor);
- `stored_to_screen_ms_p50/p99`: from the server's answer (the note is stored) to that push;
- `lost_submissions`: notes sent minus notes the big screen finally counts (target 0), and
  `stored_submissions` the notes in the database;
- `participant_pushes`: pushes the phones received (each hears its own table);
- `cpu_s` and `max_rss_mb` of this process (server and clients together).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import secrets
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("TILLIT_PUBLIC_RATE_LIMIT", "100000")

COUNT = re.compile(r'Delaktighet <span class="dialog-count">(\d+)</span>')


def emit(name: str, value: float, unit: str, target: str, **extra: object) -> None:
    print(
        json.dumps(
            {"name": name, "value": round(value, 3), "unit": unit, "target": target, **extra}
        ),
        flush=True,
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def post(
    port: int, path: str, form: dict[str, str], cookies: dict[str, str]
) -> tuple[int, dict[str, str]]:
    """A form POST over a plain socket (no HTTP client library is installed); returns the status
    and the cookies set."""
    csrf = secrets.token_hex(16)  # a 32-character secret, sent as cookie and field alike
    body = urlencode({**form, "csrfmiddlewaretoken": csrf}).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in {**cookies, "csrftoken": csrf}.items())
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: {cookie}\r\n\r\n"
    ).encode() + body
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    set_cookies = {}
    for line in head[1:]:
        if line.lower().startswith("set-cookie:"):
            name, _, rest = line.split(":", 1)[1].strip().partition("=")
            set_cookies[name] = rest.split(";", 1)[0]
    return status, set_cookies


def serve(port: int) -> object:
    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.core.asgi import get_asgi_application

    from config.asgi import application

    app = ProtocolTypeRouter(
        {"http": get_asgi_application(), "websocket": application.application_mapping["websocket"]}
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            ws_max_queue=1024,
            backlog=4096,
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


async def run_load(
    args: argparse.Namespace, port: int, code: str, session_id: int, staff_cookie: str
) -> None:
    import websockets

    limit = asyncio.Semaphore(args.concurrency)
    pushes: list[tuple[float, int]] = []
    screen_done = asyncio.Event()

    async def screen() -> None:
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/dialog/mote/{session_id}/skarm/ws/",
            additional_headers={"Cookie": staff_cookie, "Origin": f"http://127.0.0.1:{port}"},
            max_size=None,
        ) as socket_:
            async for message in socket_:
                found = COUNT.search(json.loads(message)["html"])
                count = int(found.group(1)) if found else 0
                pushes.append((time.perf_counter(), count))
                if count >= args.participants:
                    screen_done.set()
                    return

    # Join: one POST of the join form each.
    joins: list[float] = []
    cookies: list[dict[str, str]] = []

    async def join(index: int) -> None:
        async with limit:
            started = time.perf_counter()
            status, set_cookies = await post(
                port, "/dialog/", {"code": code, "name": f"Chef {index}"}, {}
            )
            joins.append((time.perf_counter() - started) * 1000)
            assert status == 302, status
            cookies.append({k: v for k, v in set_cookies.items() if k.startswith("dialog_")})

    await asyncio.gather(*(join(i) for i in range(args.participants)))
    emit(
        "dialog_join_ms_p50", percentile(joins, 0.5), "ms", "< 200", participants=args.participants
    )
    emit(
        "dialog_join_ms_p99",
        percentile(joins, 0.99),
        "ms",
        "< 1000",
        participants=args.participants,
    )

    screen_task = asyncio.ensure_future(screen())
    phone_pushes = 0
    phones = []
    for jar in cookies:
        phone = await websockets.connect(
            f"ws://127.0.0.1:{port}/dialog/{code}/ws/",
            additional_headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                "Origin": f"http://127.0.0.1:{port}",
            },
            max_size=None,
        )
        await phone.recv()  # the state on connect
        phones.append(phone)

    async def drain(phone: object) -> None:
        nonlocal phone_pushes
        try:
            async for _message in phone:  # type: ignore[attr-defined]
                phone_pushes += 1
        except Exception:  # noqa: S110 - closed at the end
            pass

    drains = [asyncio.ensure_future(drain(p)) for p in phones]
    await asyncio.sleep(1.5)  # the screen's first state is in

    sent: list[float] = []
    stored: list[float] = []

    async def submit(jar: dict[str, str]) -> None:
        async with limit:
            started = time.perf_counter()
            status, _ = await post(
                port,
                f"/dialog/{code}/anteckning/",
                {"step": "1", "text": "Delaktighet i besluten", "shared": "on"},
                jar,
            )
            assert status == 302, status
            sent.append(started)
            stored.append(time.perf_counter())

    began = time.perf_counter()
    await asyncio.gather(*(submit(jar) for jar in cookies))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(screen_done.wait(), timeout=60)
    elapsed = time.perf_counter() - began
    # The k-th stored note is on the screen at the first push counting k or more.
    order = sorted(range(len(stored)), key=lambda i: stored[i])
    latencies = []  # from pressing "send" (the POST leaving the phone)
    after_store = []  # from the server's answer (the note is stored): the push path alone
    for rank, index in enumerate(order, start=1):
        shown = next((at for at, count in pushes if count >= rank and at >= stored[index]), None)
        if shown is not None:
            latencies.append((shown - sent[index]) * 1000)
            after_store.append((shown - stored[index]) * 1000)
    final = pushes[-1][1] if pushes else 0
    n = args.participants
    emit(
        "dialog_broadcast_ms_p50",
        percentile(latencies, 0.5),
        "ms",
        "<= 1000 (batched ~1 s)",
        participants=n,
    )
    emit(
        "dialog_broadcast_ms_p99",
        percentile(latencies, 0.99),
        "ms",
        "<= 1000 at 1,000",
        participants=n,
    )
    emit(
        "dialog_stored_to_screen_ms_p50",
        percentile(after_store, 0.5),
        "ms",
        "<= 1000",
        participants=n,
    )
    emit(
        "dialog_stored_to_screen_ms_p99",
        percentile(after_store, 0.99),
        "ms",
        "<= 1000",
        participants=n,
    )
    emit("dialog_lost_submissions", n - final, "notes", "0", participants=n)
    emit("dialog_submissions_per_s", n / elapsed, "notes/s", "-", participants=n)
    emit("dialog_screen_pushes", len(pushes), "messages", f"<< {n}", participants=n)
    emit("dialog_participant_pushes", phone_pushes, "messages", "-", participants=n)
    for task in drains:
        task.cancel()
    for phone in phones:
        await phone.close()
    screen_task.cancel()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from django.test import Client

        from tillit.dialog import actions
        from tillit.dialog.tests.factories import make_facilitator

        facilitator = make_facilitator("bench.facilitator")
        session = actions.create_session(
            facilitator=facilitator,
            title="Chefsdag",
            template="tre_steg",
            table_names=[f"Bord {i}" for i in range(1, 2_000)],
        )
        actions.set_revealed(session=session, by=facilitator, revealed=True)
        client = Client()
        client.force_login(facilitator)
        staff_cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        port = free_port()
        server = serve(port)
        cpu_before = time.process_time()

        async def scenario() -> None:
            # Join in the lobby, then the facilitator starts step 1 (which re-seats the room).
            await run_join_start(args, port, session, facilitator)

        async def run_join_start(
            args: argparse.Namespace, port: int, session: object, facilitator: object
        ) -> None:
            await run_load(args, port, session.code, session.pk, staff_cookie)  # type: ignore[attr-defined]

        # Step 1 must be open before the notes: start it now, with nobody seated yet; joins
        # during a step go to the smallest table, as late-comers do.
        actions.advance_step(session=session, by=facilitator, from_step=0)
        asyncio.run(scenario())
        emit(
            "dialog_cpu_s",
            time.process_time() - cpu_before,
            "s",
            "-",
            participants=args.participants,
        )
        emit(
            "dialog_max_rss_mb",
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "MB",
            "-",
        )
        server.should_exit = True  # type: ignore[attr-defined]
        time.sleep(0.5)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
