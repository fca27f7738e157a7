"""The kill test: read a real IMAP mailbox with `tillit mailbox_poll --once` in a child process,
kill it (SIGKILL) at random points of the run, start it again, and prove afterwards that every
message is in exactly one case. Used by the fast test and by `bench/mailbox_kill.py`."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from tillit.cases.models import Case, CaseEvent
from tillit.cases.states import EventKind
from tillit.mailbox.models import InboundMessage, Mailbox
from tillit.mailbox.samples import citizen_mail
from tillit.mailbox.tests.servers import Dovecot


def database_url() -> str:
    """The database this process uses (the test database inside a test), for a child process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def messages(count: int, *, to: str) -> list[bytes]:
    return [
        citizen_mail(
            subject=f"Ärende nummer {number}",
            body=f"Meddelande {number}: gatlampan på Storgatan {number % 90 + 1} är trasig.",
            sender=f"Invånare {number} <invanare{number % 500}@example.se>",
            to=to,
            message_id=f"kill-{number}@example.se",
        )
        for number in range(count)
    ]


@dataclass
class KillReport:
    messages: int
    kills: int
    runs: int
    seconds: float
    cases: int
    stored: int
    missing: int
    doubled: int
    events_ok: bool

    @property
    def exactly_once(self) -> bool:
        return (
            self.missing == 0
            and self.doubled == 0
            and self.cases == self.messages
            and self.events_ok
        )


def _stored() -> int:
    return InboundMessage.objects.count()


def kill_run(
    *, mailbox: Mailbox, dovecot: Dovecot, user: str, count: int, kills: int, seed: int = 2026
) -> KillReport:
    rng = random.Random(seed)
    dovecot.deliver(user, *messages(count, to=mailbox.address))
    env: dict[str, Any] = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url(),
        "TILLIT_MAILBOX_IMAP": f"{mailbox.address}={dovecot.url(user)}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    command = [sys.executable, "-m", "tillit.cli", "mailbox_poll", "--once"]
    # Kill points spread over the run: after a random number of stored messages, plus a random
    # few milliseconds so the kill lands inside a transaction, between fetch and store, etc.
    targets = sorted(rng.sample(range(1, count), kills))
    started = time.monotonic()
    done_kills = runs = 0
    while True:
        runs += 1
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        if done_kills < kills:
            target = targets[done_kills]
            while child.poll() is None and _stored() < target:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.03))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                child.wait()
                done_kills += 1
                continue
        if child.wait(timeout=600) != 0:
            raise RuntimeError(f"mailbox_poll exited with {child.returncode}")
        if _stored() >= count:
            break
    seconds = time.monotonic() - started
    keys = list(InboundMessage.objects.values_list("message_id", flat=True))
    wanted = {f"kill-{number}@example.se" for number in range(count)}
    per_case = {
        kind: dict(
            CaseEvent.objects.filter(kind=kind).values_list("case_id").annotate(n=models_count())
        )
        for kind in (EventKind.CREATED, EventKind.EMAIL_IN)
    }
    cases = Case.objects.filter(inbound_email__isnull=False).distinct().count()
    events_ok = all(n == 1 for kind in per_case.values() for n in kind.values()) and all(
        len(kind) == cases for kind in per_case.values()
    )
    return KillReport(
        messages=count,
        kills=done_kills,
        runs=runs,
        seconds=seconds,
        cases=cases,
        stored=len(keys),
        missing=len(wanted - set(keys)),
        doubled=len(keys) - len(set(keys)),
        events_ok=events_ok,
    )


def models_count() -> Any:
    from django.db.models import Count

    return Count("id")
