"""Shared-mailbox ingest speed: 10,000 e-mails in, each stored, routed and acknowledged.

    .venv/bin/python bench/mailbox_ingest.py [--messages 10000] [--imap]
    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_bench_mail \
        .venv/bin/python bench/mailbox_ingest.py --imap

Runs as in production (DEBUG off, the database task backend: every acknowledgement is a queued
task). Without DATABASE_URL it uses a new SQLite file; a PostgreSQL database given is emptied.
The mix: new messages (UTF-8, ISO-8859-1, Windows-1252, some HTML-only, some with a PDF), 10 %
answers that join their case, 3 % auto-replies. Prints JSON lines: `ingest` (messages/s through
`ingest_batch` in poll batches of `--batch`, 25 as the poller; queries per message), p50/p95 per
batch (a message is stored when its batch commits), `redelivery` (the same messages again: all
recognised), and with --imap `imap_poll` (the same mix fetched from a real Dovecot on a free port).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
TARGET = 100.0


def emit(name: str, value: float, unit: str, target: str, **extra: object) -> None:
    record = {"name": name, "value": round(value, 2), "unit": unit, "target": target, **extra}
    print(json.dumps(record), flush=True)


def configure() -> str:
    data = tempfile.mkdtemp(prefix="bench-mailbox-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data}/bench.sqlite3")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 32,
            "ALLOWED_HOSTS": "127.0.0.1",
            "TILLIT_DATA_DIR": data,
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    import django

    django.setup()
    return os.environ["DATABASE_URL"].split("://", 1)[0]


def fresh_mailbox():  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from tillit.cases.tests.factories import make_world
    from tillit.mailbox.actions import set_up_mailbox

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    world = make_world()
    return set_up_mailbox(unit=world.centre, address="kc@testkoping.se")


def corpus(count: int, rng: random.Random) -> list[bytes]:
    from tillit.mailbox.samples import PDF, citizen_mail

    topics = [
        ("Trasig gatlampa", "Lampan vid Storgatan {n} är släckt sedan i måndags."),
        ("Missad sophämtning", "Soptunnan på Björkvägen {n} har inte tömts på två veckor."),
        ("Fråga om bygglov", "Behöver jag bygglov för ett växthus på 14 kvadratmeter? /{n}"),
        ("Förskoleplats", "Vi har ställt vårt barn i kö i mars, när får vi besked? ({n})"),
        ("Snöröjning", "Gång- och cykelvägen vid skolan är inte plogad, nummer {n}."),
    ]
    raws: list[bytes] = []
    ids: list[str] = []
    for number in range(count):
        message_id = f"bench-{number}@example.se"
        subject, body = topics[number % len(topics)]
        body = body.format(n=number) + "\n\nVänliga hälsningar\nInvånare " + str(number)
        sender = f"Invånare {number} <invanare{number % 3000}@example.se>"
        kind = rng.random()
        if kind < 0.10 and ids:
            parent = rng.choice(ids[-2000:])
            raw = citizen_mail(
                subject=f"SV: {subject}",
                body="Tack, men det är fortfarande inte löst.\n\n> " + body,
                sender=sender,
                message_id=message_id,
                in_reply_to=parent,
                references=[parent],
            )
        elif kind < 0.13:
            raw = citizen_mail(
                subject=f"Automatiskt svar: {subject}",
                body="Jag är ledig till och med måndag.",
                sender=sender,
                message_id=message_id,
                headers={"Auto-Submitted": "auto-replied"},
            )
        elif kind < 0.18:
            raw = citizen_mail(
                subject=subject,
                body="",
                html=f"<p>{body}</p><p><b>Mvh</b></p>",
                sender=sender,
                message_id=message_id,
            )
        elif kind < 0.20:
            raw = citizen_mail(
                subject=subject,
                body=body,
                sender=sender,
                message_id=message_id,
                attachments=[(f"bilaga-{number}.pdf", "application/pdf", PDF + b"%d" % number)],
            )
        else:
            charset = ("utf-8", "iso-8859-1", "windows-1252")[number % 3]
            raw = citizen_mail(
                subject=subject, body=body, sender=sender, message_id=message_id, charset=charset
            )
        raws.append(raw)
        ids.append(message_id)
    return raws


def server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend so far (a server on this machine), so
    the cost of a message counts the database's work too; None on SQLite (it runs in-process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server runs elsewhere
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_ingest(raws: list[bytes], database: str, batch: int) -> None:
    from django.db import connection

    from tillit.mailbox.actions import Fetched, ingest_batch, ingest_message

    mailbox = fresh_mailbox()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    queries = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries[0] += 1
        return execute(sql, params, many, context)

    server = server_cpu()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        for start in range(0, len(raws), batch):
            chunk = [
                Fetched(uid, raw)
                for uid, raw in enumerate(raws[start : start + batch], start=start + 1)
            ]
            begun = time.perf_counter()
            results = ingest_batch(mailbox=mailbox, fetched=chunk, uidvalidity=1)
            latencies.append(time.perf_counter() - begun)
            for result in results:
                statuses[result.status] = statuses.get(result.status, 0) + 1
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    server_after = server_cpu()
    with_server = {}
    if server is not None and server_after is not None:
        # Messages per CPU-second of the ingesting process and its database backend together.
        with_server = {
            "per_cpu_second_with_server": round(len(raws) / (cpu + server_after - server), 1)
        }
    rate = len(raws) / elapsed
    quantiles = statistics.quantiles(latencies, n=100)
    emit(
        "mailbox.ingest",
        rate,
        "messages/s",
        f">= {TARGET:.0f}",
        database=database,
        messages=len(raws),
        batch=batch,
        seconds=round(elapsed, 1),
        outcome=statuses,
        per_cpu_second=round(len(raws) / cpu, 1),  # this process's CPU: the machine is shared
        **with_server,
        queries_per_message=round(queries[0] / len(raws), 1),
        load=round(os.getloadavg()[0], 1),
    )
    # A poll batch is one transaction: a message is stored when its batch commits.
    emit("mailbox.ingest_batch_p50", quantiles[49] * 1000, "ms", "-", database=database)
    emit("mailbox.ingest_batch_p95", quantiles[94] * 1000, "ms", "-", database=database)
    again = raws[:2000]
    started = time.perf_counter()
    duplicates = sum(ingest_message(mailbox=mailbox, raw=raw).duplicate for raw in again)
    elapsed = time.perf_counter() - started
    emit(
        "mailbox.redelivery",
        len(again) / elapsed,
        "messages/s",
        "all recognised",
        database=database,
        recognised=duplicates,
        messages=len(again),
    )


def run_imap(raws: list[bytes], database: str) -> None:
    from tillit.mailbox.poller import poll_mailbox
    from tillit.mailbox.tests.servers import Dovecot

    mailbox = fresh_mailbox()
    dovecot = Dovecot([mailbox.address]).start()
    try:
        dovecot.deliver(mailbox.address, *raws)
        started, cpu = time.perf_counter(), time.process_time()
        result = poll_mailbox(mailbox, dovecot.url(mailbox.address))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        dovecot.stop()
    emit(
        "mailbox.imap_poll",
        result.fetched / elapsed,
        "messages/s",
        f">= {TARGET:.0f}",
        database=database,
        messages=result.fetched,
        seconds=round(elapsed, 1),
        outcome=result.counts,
        error=result.error,
        per_cpu_second=round(result.fetched / cpu, 1),
        load=round(os.getloadavg()[0], 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--imap", action="store_true", help="also fetch the mix from Dovecot")
    parser.add_argument(
        "--batch", type=int, default=25, help="messages per transaction (1: one by one)"
    )
    args = parser.parse_args()
    database = configure()
    raws = corpus(args.messages, random.Random(2026))
    run_ingest(raws, database, args.batch)
    if args.imap:
        run_imap(raws, database)


if __name__ == "__main__":
    main()
