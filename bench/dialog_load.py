"""Dialog meetings under load: N participants join, keep a websocket each and send a note over
it; how fast does the big screen show them, and is anything lost?

    .venv/bin/python bench/dialog_load.py [--participants 1000] [--processes 1]
        [--notes 2-3] [--spread 60] [--arrival poisson|even] [--profile /tmp/dialog.prof]

The server is the real ASGI application (config.asgi) under uvicorn, in `--processes` child
processes on free ports of 127.0.0.1, on a throw-away database: SQLite by default, or
`DATABASE_URL=postgres://…` (the bench makes and drops `test_<name>`). Two processes need the
Redis channel layer (`REDIS_URL=redis://…`). The clients are real sockets in this process, so
the server's CPU and memory are measured apart from them: an HTTP POST of the join form per
participant (its secret cookie comes back; joins go round-robin to the processes), one
websocket per participant and one big screen (on the first process). Then every participant
sends `--notes` shared notes with the word "delaktighet" over its websocket: all at once (the
worst case, without `--spread`), or over `--spread` seconds as random (Poisson) or evenly spaced
arrivals; a meeting of 1,000 does not press "send" in the same millisecond. `--profile FILE`
runs each server under cProfile (all threads) and writes FILE.1, FILE.2 … on exit; CPU numbers
from such a run include the profiler's overhead. Prints JSON lines {name, value, unit, ...}:
- `join_ms_p50/p99`: the join form POST, seating included (at most --concurrency in flight);
- `send_to_screen_ms_p50/p99`: from a note leaving the phone to the first big-screen push that
  counts it (pushes are batched: at most one a second per screen by design);
- `send_to_stored_ms_p50/p99`: from sending to the server's "saved" answer (it is stored);
- `lost_submissions`: notes sent minus notes the big screen finally counts (target 0), and
  `refused_submissions`, notes the server answered with an error (target 0);
- `screen_pushes`, `participant_pushes`: messages the screen and the phones received;
- `server_cpu_s` (during the notes, per 1,000 notes, and in all) and `server_max_rss_mb` per
  process, read from /proc; `client_cpu_notes_s`, this (client) process's CPU during the notes
  (next to the seconds elapsed: a single-threaded client near one core's worth is the limit);
  `load_avg_1m` of the machine at the start.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("TILLIT_PUBLIC_RATE_LIMIT", "100000")

COUNT = re.compile(r'Delaktighet <span class="dialog-count">(\d+)</span>')
TEXT = "Delaktighet i besluten"


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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def max_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_servers(count: int, profile: str = "") -> list[tuple[int, subprocess.Popen[bytes]]]:
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "TILLIT_DATA_DIR": str(settings.DATA_DIR),
    }
    servers = []
    for index in range(count):
        port = free_port()
        command = [sys.executable, "-m", "uvicorn"]
        if profile:  # the same server under cProfile, every thread (see serve_profiled)
            command = [sys.executable, __file__, "--serve-profiled", f"{profile}.{index + 1}"]
        process = subprocess.Popen(
            [*command, "config.asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--lifespan", "off",
             "--ws-max-queue", "1024", "--backlog", "8192", "--no-access-log",
             "--timeout-graceful-shutdown", "5"],
            env=env,
        )  # fmt: skip
        servers.append((port, process))
    for port, process in servers:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(f"the server on port {port} exited with {process.returncode}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
    return servers


def arrivals(args: argparse.Namespace, n: int) -> dict[str, tuple[int, float]]:
    """When each note leaves its phone (seconds after the start), by ref: `--notes` per
    participant ("2-3": two or three, at random), all at once without `--spread`, else evenly
    spaced or as a Poisson process over it (arrival times of a Poisson process with a known
    count are independent and uniform over the interval)."""
    rng = random.Random(args.seed)
    low, _, high = args.notes.partition("-")
    times: list[tuple[int, float]] = []
    for index in range(n):
        for _note in range(rng.randint(int(low), int(high or low))):
            times.append((index, rng.uniform(0, args.spread) if args.spread > 0 else 0.0))
    if args.spread > 0 and args.arrival == "even":
        times = [(index, args.spread * rank / len(times)) for rank, (index, _) in enumerate(times)]
    return {f"n{rank}": item for rank, item in enumerate(times)}


async def run_load(
    args: argparse.Namespace,
    ports: list[int],
    pids: list[int],
    code: str,
    session_id: int,
    staff_cookie: str,
) -> None:
    import websockets

    n = args.participants
    total = len(arrivals(args, n))
    tags = {
        "participants": n,
        "processes": len(ports),
        "spread_s": args.spread,
        "arrival": args.arrival if args.spread > 0 else "burst",
        "notes": total,
    }
    limit = asyncio.Semaphore(args.concurrency)
    pushes: list[tuple[float, int]] = []
    screen_done = asyncio.Event()
    screen_ready = asyncio.Event()

    async def screen() -> None:
        port = ports[0]
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/dialog/mote/{session_id}/skarm/ws/",
            additional_headers={"Cookie": staff_cookie, "Origin": f"http://127.0.0.1:{port}"},
            max_size=None,
            open_timeout=60,
        ) as socket_:
            async for message in socket_:
                found = COUNT.search(json.loads(message)["html"])
                count = int(found.group(1)) if found else 0
                pushes.append((time.perf_counter(), count))
                screen_ready.set()
                if count >= total:
                    screen_done.set()
                    return

    # Join: one POST of the join form each, round-robin over the processes.
    joins: list[float] = []
    cookies: list[tuple[int, dict[str, str]]] = []

    unavailable = 0

    async def join(index: int) -> None:
        nonlocal unavailable
        port = ports[index % len(ports)]
        async with limit:
            started = time.perf_counter()
            for _attempt in range(3):  # 503 (the database was busy) says: try again
                status, set_cookies = await post(
                    port, "/dialog/", {"code": code, "name": f"Chef {index}"}, {}
                )
                if status != 503:
                    break
                unavailable += 1
            joins.append((time.perf_counter() - started) * 1000)
            assert status == 302, status
            jar = {k: v for k, v in set_cookies.items() if k.startswith("dialog_")}
            cookies.append((port, jar))

    await asyncio.gather(*(join(i) for i in range(n)))
    emit("dialog_join_ms_p50", percentile(joins, 0.5), "ms", "< 200", **tags)
    emit("dialog_join_ms_p99", percentile(joins, 0.99), "ms", "< 1000", **tags)
    emit("dialog_join_503_retries", unavailable, "requests", "0", **tags)

    screen_task = asyncio.ensure_future(screen())
    await asyncio.wait_for(screen_ready.wait(), 60)

    # Every phone: a websocket, its first state, then a reader that notes the "saved" answers.
    phone_pushes = 0
    saved_at: dict[str, float] = {}
    refused: list[str] = []
    answered: dict[str, asyncio.Future[None]] = {}

    async def open_phone(port: int, jar: dict[str, str]) -> object:
        async with limit:
            phone = await websockets.connect(
                f"ws://127.0.0.1:{port}/dialog/{code}/ws/",
                additional_headers={
                    "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                    "Origin": f"http://127.0.0.1:{port}",
                },
                max_size=None,
                open_timeout=120,
                ping_interval=None,
            )
            await phone.recv()  # the state on connect
            return phone

    connect_started = time.perf_counter()
    phones = await asyncio.gather(*(open_phone(port, jar) for port, jar in cookies))
    emit("dialog_connect_all_s", time.perf_counter() - connect_started, "s", "-", **tags)

    async def read(phone: object) -> None:
        nonlocal phone_pushes
        with contextlib.suppress(Exception):  # closed at the end
            async for raw in phone:  # type: ignore[attr-defined]
                message = json.loads(raw)
                if message["type"] in ("saved", "error"):
                    ref = str(message.get("ref"))
                    saved_at[ref] = time.perf_counter()
                    if message["type"] == "error":
                        refused.append(message["message"])
                    future = answered.get(ref)
                    if future is not None and not future.done():
                        future.set_result(None)
                else:
                    phone_pushes += 1

    readers = [asyncio.ensure_future(read(p)) for p in phones]
    await asyncio.sleep(1.5)  # the screen's state after the joins is in
    pushes.clear()
    cpu_before = [cpu_seconds(pid) for pid in pids]
    client_before = time.process_time()  # this process: the clients' CPU

    sent: dict[str, float] = {}
    loop = asyncio.get_running_loop()
    schedule = arrivals(args, n)

    async def submit(ref: str, at: float, phone: object) -> None:
        await asyncio.sleep(max(0.0, began + at - time.perf_counter()))
        answered[ref] = loop.create_future()
        sent[ref] = time.perf_counter()
        await phone.send(  # type: ignore[attr-defined]
            json.dumps({"type": "note", "ref": ref, "text": TEXT, "step": 1, "shared": True})
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(answered[ref], 120)

    began = time.perf_counter()
    await asyncio.gather(*(submit(ref, at, phones[index]) for ref, (index, at) in schedule.items()))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(screen_done.wait(), 60)
    elapsed = time.perf_counter() - began
    cpu_notes = sum(cpu_seconds(pid) - before for pid, before in zip(pids, cpu_before, strict=True))
    client_cpu = time.process_time() - client_before

    # The k-th stored note is on the screen at the first push counting k or more.
    stored = sorted((at, ref) for ref, at in saved_at.items() if ref in sent)
    to_screen = []
    to_stored = [(saved_at[ref] - sent[ref]) * 1000 for ref in sent if ref in saved_at]
    for rank, (at, ref) in enumerate(stored, start=1):
        shown = next((when for when, count in pushes if count >= rank and when >= at), None)
        if shown is not None:
            to_screen.append((shown - sent[ref]) * 1000)
    final = max((count for _at, count in pushes), default=0)
    emit("dialog_send_to_screen_ms_p50", percentile(to_screen, 0.5), "ms", "-", **tags)
    target = "<= 2000" if n >= 5000 else "<= 1000"
    emit("dialog_send_to_screen_ms_p99", percentile(to_screen, 0.99), "ms", target, **tags)
    emit("dialog_send_to_stored_ms_p50", percentile(to_stored, 0.5), "ms", "-", **tags)
    emit("dialog_send_to_stored_ms_p99", percentile(to_stored, 0.99), "ms", "-", **tags)
    emit("dialog_lost_submissions", total - final, "notes", "0", **tags)
    emit("dialog_refused_submissions", len(refused), "notes", "0", **tags)
    if refused:
        emit("dialog_first_refusal", 0, refused[0], "-", **tags)
    emit("dialog_submissions_per_s", total / elapsed, "notes/s", "-", **tags)
    emit("dialog_screen_pushes", len(pushes), "messages", f"<< {n}", **tags)
    emit("dialog_participant_pushes", phone_pushes, "messages", "-", **tags)
    emit("dialog_server_cpu_notes_s", cpu_notes, "s", "-", **tags)
    emit("dialog_server_cpu_per_1000_notes_s", cpu_notes * 1000 / total, "s", "-", **tags)
    # The clients share the machine: with one core's worth of them (elapsed) they are the limit.
    emit("dialog_client_cpu_notes_s", client_cpu, "s", "-", elapsed_s=round(elapsed, 1), **tags)
    for task in readers:
        task.cancel()
    await asyncio.gather(*(phone.close() for phone in phones), return_exceptions=True)  # type: ignore[attr-defined]
    screen_task.cancel()


def serve_profiled(out: str, uvicorn_args: list[str]) -> None:
    """Run uvicorn with cProfile on every thread (the event loop, the database thread, the
    reader); on exit write the merged statistics to `out` (read them with pstats)."""
    import cProfile
    import pstats
    import threading

    import uvicorn.main

    profiles = [cProfile.Profile(time.thread_time)]  # CPU time of each thread, not wall time

    def start_in_thread(*_args: object) -> None:
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()  # replaces this hook for the rest of the thread

    def stop(*_args: object) -> None:
        raise SystemExit(0)

    # uvicorn raises the SIGTERM it caught again once it has shut down: end here, not die.
    signal.signal(signal.SIGTERM, stop)
    threading.setprofile(start_in_thread)
    profiles[0].enable()
    try:
        uvicorn.main.main(uvicorn_args, standalone_mode=False)
    finally:
        profiles[0].disable()
        stats = pstats.Stats(profiles[0])
        for profile in profiles[1:]:
            with contextlib.suppress(TypeError, ValueError):  # a thread that never ran
                stats.add(profile)
        stats.dump_stats(out)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--serve-profiled":
        serve_profiled(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--spread", type=float, default=0.0, help="seconds to spread notes over")
    parser.add_argument("--notes", default="1", help='notes per participant: "2" or "2-3"')
    parser.add_argument(
        "--arrival",
        choices=("even", "poisson"),
        default="poisson",
        help="over --spread: evenly spaced, or random arrivals (a Poisson process)",
    )
    parser.add_argument("--profile", default="", help="write the servers' cProfile to FILE.N")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.processes > 1 and not os.environ.get("REDIS_URL"):
        raise SystemExit("several processes need REDIS_URL (the Redis channel layer)")
    os.environ.setdefault("TILLIT_DATA_DIR", tempfile.mkdtemp(prefix="tillit-dialog-bench-"))

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    load = os.getloadavg()[0]
    emit("dialog_load_avg_1m", load, "", "-", cores=os.cpu_count())
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    servers: list[tuple[int, subprocess.Popen[bytes]]] = []
    try:
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
        # Step 1 is open before the notes: joins during a step go to the smallest table.
        actions.advance_step(session=session, by=facilitator, from_step=0)
        client = Client()
        client.force_login(facilitator)
        staff_cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        connection.close()  # SQLite: the servers write alone
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if hasattr(layer, "flush"):  # a fresh database reuses session ids: forget old groups
            async_to_sync(layer.flush)()
        servers = start_servers(args.processes, args.profile)
        ports = [port for port, _ in servers]
        pids = [process.pid for _, process in servers]
        cpu_start = [cpu_seconds(pid) for pid in pids]
        asyncio.run(run_load(args, ports, pids, session.code, session.pk, staff_cookie))
        for index, pid in enumerate(pids):
            tags = {"participants": args.participants, "process": index + 1}
            emit("dialog_server_cpu_s", cpu_seconds(pid) - cpu_start[index], "s", "-", **tags)
            emit("dialog_server_max_rss_mb", max_rss_mb(pid), "MB", "-", **tags)
        emit(
            "dialog_client_max_rss_mb",
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "MB",
            "-",
        )
    finally:
        for _port, process in servers:
            process.terminate()
        for _port, process in servers:
            try:
                process.wait(timeout=60 if args.profile else 15)
            except subprocess.TimeoutExpired:  # still closing websockets: stop it
                process.kill()
                process.wait(timeout=15)
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
