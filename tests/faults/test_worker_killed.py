"""The task worker killed in the middle of a task (issue 9, "Faults").

A real `tillit db_worker` process on a PostgreSQL database of the test's own sends e-mail to an
SMTP server started by the test. The server holds its answer while the worker waits for it, and
the worker is SIGKILLed there (no clean-up of any kind runs). A second worker is started: the
task runs again and its effect happens once.

Two places to die: before the mail server accepted the message (it then arrives exactly once),
and after the server accepted it but before the worker could commit that it was sent. SMTP
cannot tell the second case from a lost message, so the message is sent again, with the same
Message-ID (mail clients and servers show one message): one Message-ID, one SentNotice row.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import psycopg
import pytest
from aiosmtpd.controller import Controller

from tests.faults.conftest import Cluster
from tests.faults.servers import Process, free_port, tillit_env, tillit_python, wait_for

RECEIPT = """
import json
from tillit.cases.parties import PartyInput
from tillit.organisation.models import Person
from tillit.catalogue.models import CaseType
from tillit.cases import actions
from tillit.cases.states import Channel
from tillit.public.tasks import send_receipt
case = actions.register_case(
    channel=Channel.WEB, subject="Fråga om bygglov", description="Behöver jag bygglov?",
    case_type=CaseType.objects.get(pk={case_type_id}), by=None,
    party=PartyInput(name="Karin Nyström", email="karin@example.se"),
    submission_key="fault-test-receipt",
)
result = send_receipt.enqueue(case.pk, "sv")
print(json.dumps({{"case": case.pk, "task": str(result.id)}}))
"""

ESCALATION = """
import json
from datetime import timedelta
from django.utils import timezone
from tillit.cases import actions
from tillit.cases.models import Handover
from tillit.cases.states import Channel
from tillit.catalogue.models import CaseType
from tillit.organisation.models import Person, Unit
from tillit.cases.tasks import escalate_overdue
centre_staff = Person.objects.get(username="kc1")
case = actions.register_case(
    channel=Channel.PHONE, subject="Fråga om bygglov", description="Behöver jag bygglov?",
    case_type=CaseType.objects.get(pk={case_type_id}), by=centre_staff,
)
handover = actions.offer_handover(
    case=case, to_unit=Unit.objects.get(pk={administration}), by=centre_staff,
    done="Gav allmän information.", expected="Bedöm frågan.",
)
Handover.objects.filter(pk=handover.pk).update(answer_by=timezone.now() - timedelta(hours=1))
result = escalate_overdue.enqueue()
print(json.dumps({{"case": case.pk, "handover": handover.pk, "task": str(result.id)}}))
"""


class HoldingSmtp:
    """An SMTP server that keeps every message it accepts and, the first time, holds its
    answer to RCPT (before accepting) or to the end of DATA (after accepting) until released."""

    def __init__(self, hold_at: str) -> None:
        self.hold_at: str | None = hold_at
        self.holding = threading.Event()
        self.released = threading.Event()
        self.deliveries: list[tuple[list[str], str]] = []  # (recipients, Message-ID)
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def _hold(self, where: str) -> None:
        if self.hold_at != where:
            return
        self.holding.set()
        while not self.released.is_set():
            await asyncio.sleep(0.05)

    def release(self) -> None:
        self.hold_at = None
        self.released.set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        await self._hold("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.deliveries.append((list(envelope.rcpt_tos), str(message["Message-ID"])))
        await self._hold("data")
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(request: pytest.FixtureRequest) -> Iterator[HoldingSmtp]:
    server = HoldingSmtp(request.param)
    server.controller.start()
    try:
        yield server
    finally:
        server.release()
        server.controller.stop()


def _worker(env: dict[str, str], log: Path) -> Process:
    return Process(
        env,
        ["tillit.cli", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        log,
    )


def _query(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(sql, params).fetchall()  # type: ignore[arg-type]


def _status(url: str, task_id: str) -> str:
    rows = _query(
        url, "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", task_id
    )
    return str(rows[0][0])


def _run_kill_and_rerun(
    url: str, env: dict[str, str], smtp: HoldingSmtp, tmp_path: Path
) -> tuple[float, Process]:
    first = _worker(env, tmp_path / "worker-1.log")
    try:
        wait_for(smtp.holding.is_set, 90, "the worker to wait for the mail server")
    except AssertionError as error:
        first.stop()
        raise AssertionError(
            "the worker never reached the mail server:\n" + first.output()
        ) from error
    first.kill()
    smtp.release()
    killed_at = time.monotonic()
    return killed_at, _worker(env, tmp_path / "worker-2.log")


@pytest.mark.parametrize("smtp", ["data"], indirect=True, ids=["after-accept"])
def test_receipt_is_sent_once_when_the_worker_is_killed(cluster: Cluster, smtp, tmp_path):
    url = cluster.fresh_database()
    env = tillit_env(
        url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        TILLIT_TASK_ORPHAN_SECONDS="2",
    )
    made = tillit_python(env, RECEIPT.format(**cluster.world))
    _, second = _run_kill_and_rerun(url, env, smtp, tmp_path)
    try:
        # The killed worker's task is left RUNNING; the new worker finds it orphaned.
        wait_for(lambda: _status(url, made["task"]) == "SUCCESSFUL", 60, "the task to run again")
        time.sleep(3)  # longer than a recovery round: nothing runs a third time
    finally:
        second.stop()

    receipts = [d for d in smtp.deliveries if "karin@example.se" in d[0]]
    assert len(receipts) == 2, "the mail server accepted the message, then the retry"
    assert len({message_id for _, message_id in receipts}) == 1, receipts
    notice = "SELECT count(*) FROM cases_sentnotice WHERE key = %s"
    assert _query(url, notice, f"receipt:{made['case']}") == [(1,)]
    claims = _query(
        url, "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s", made["task"]
    )
    assert len(claims[0][0]) == 2, "claimed by the killed worker, then by the new one"
    assert "will run again" in second.output()


@pytest.mark.parametrize("smtp", ["rcpt"], indirect=True, ids=["before-accept"])
def test_escalation_is_noted_and_sent_once_when_the_worker_is_killed(cluster, smtp, tmp_path):
    url = cluster.fresh_database()
    env = tillit_env(
        url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        TILLIT_TASK_ORPHAN_SECONDS="2",
    )
    made = tillit_python(env, ESCALATION.format(**cluster.world))
    _, second = _run_kill_and_rerun(url, env, smtp, tmp_path)
    notify = "tillit.cases.tasks.notify_escalation"
    try:
        wait_for(
            lambda: (
                _query(
                    url,
                    "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
                    notify,
                )
                == [("SUCCESSFUL",)]
            ),
            60,
            "the escalation notice to run again",
        )
        time.sleep(3)
    finally:
        second.stop()

    assert _status(url, made["task"]) == "SUCCESSFUL"
    escalated = _query(
        url,
        "SELECT count(*) FROM cases_caseevent WHERE case_id = %s AND kind = 'escalated'",
        made["case"],
    )
    assert escalated == [(1,)], "the escalation is noted once on the case"
    to_managers = [d for d in smtp.deliveries if cluster.world["manager_email"] in d[0]]
    assert len(to_managers) == 1, smtp.deliveries
    assert cluster.world["contact_email"] in to_managers[0][0]
    notice = "SELECT count(*) FROM cases_sentnotice WHERE key = %s"
    assert _query(url, notice, f"escalation:{made['handover']}") == [(1,)]
