"""Tasks whose worker died are run again.

django-tasks-db marks a task RUNNING when a worker claims it and only the worker ever changes
that mark, so a worker that is killed (SIGKILL, out of memory, a lost host) leaves its task
RUNNING for good: the e-mail is never sent, the escalation never noted. Tillit's `db_worker`
therefore holds a lock for the task it runs, which the operating system or PostgreSQL releases
when the process dies: a PostgreSQL advisory lock on a connection of its own (workers may run on
several hosts), or an `flock` on a file under the data folder with SQLite (one host). Every
worker looks for RUNNING tasks whose lock is free and makes them READY again; a task that has
already been claimed `MAX_CLAIMS` times is marked FAILED instead, so a task that kills its
worker cannot loop for ever. The tasks themselves are idempotent (docs/decisions/0003), so a
rare second run, e.g. while the lock's connection is re-established, has no second effect.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus, task_finished, task_started
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

MAX_CLAIMS = 5


def _advisory_key(task_id: str) -> int:
    return int.from_bytes(uuid.UUID(str(task_id)).bytes[:8], "big", signed=True)


def _lock_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "running-tasks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _is_postgres() -> bool:
    return connections["default"].vendor == "postgresql"


class RunningLock:
    """The lock a worker holds while it runs one task (one at a time per worker process)."""

    def __init__(self) -> None:
        self._connection: BaseDatabaseWrapper | None = None
        self._file: IO[str] | None = None
        self._held: str | None = None

    def acquire(self, task_id: str) -> None:
        try:
            if _is_postgres():
                if self._connection is None:
                    # Not in `connections`: close_old_connections never closes it between tasks.
                    self._connection = connections.create_connection("default")
                with self._connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_lock(%s)", [_advisory_key(task_id)])
            else:
                self._file = (_lock_folder() / f"{task_id}.lock").open("w")
                fcntl.flock(self._file, fcntl.LOCK_EX)
            self._held = task_id
        except Exception:
            # Running the task matters more than the lock; without it, another worker may
            # run the task again after the grace time, which an idempotent task tolerates.
            logger.exception("Could not lock running task %s", task_id)
            self._reset()

    def release(self, task_id: str) -> None:
        if self._held != task_id:
            return
        try:
            if self._connection is not None:
                with self._connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key(task_id)])
            if self._file is not None:
                (_lock_folder() / f"{task_id}.lock").unlink(missing_ok=True)
                self._file.close()
                self._file = None
        except Exception:
            logger.exception("Could not unlock task %s", task_id)
            self._reset()
        self._held = None

    def _reset(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a broken connection is thrown away
                self._connection.close()
            self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None
        self._held = None


def _orphaned(task_id: str) -> bool:
    """Whether no live worker holds the task's lock (the check takes and drops the lock)."""
    if _is_postgres():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_advisory_key(task_id)])
            (free,) = cursor.fetchone()
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key(task_id)])
            return bool(free)
    path = _lock_folder() / f"{task_id}.lock"
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        path.unlink(missing_ok=True)
        return True


def recover_orphaned_tasks(grace_seconds: float) -> list[str]:
    """Make RUNNING tasks whose worker died READY again (or FAILED after MAX_CLAIMS claims).

    Only tasks started at least `grace_seconds` ago are looked at: a worker takes its lock just
    after committing the claim. Returns the ids of the tasks recovered."""
    started_before = timezone.now() - timedelta(seconds=grace_seconds)
    recovered = []
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=started_before
    ).values_list("pk", "worker_ids", "task_path")
    for pk, worker_ids, task_path in running:
        if not _orphaned(str(pk)):
            continue
        if len(worker_ids) >= MAX_CLAIMS:
            DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now()
            )
            logger.error("Task %s (%s) was claimed %s times; failed", pk, task_path, MAX_CLAIMS)
            continue
        updated = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        if updated:
            logger.warning("Task %s (%s): its worker died; it will run again", pk, task_path)
            recovered.append(str(pk))
    return recovered


def start_in_worker(grace_seconds: float) -> None:
    """In a `db_worker` process: lock each task while it runs, and recover orphaned tasks at
    start and every `grace_seconds` in a background thread."""
    lock = RunningLock()

    def started(sender: Any, task_result: Any, **kwargs: Any) -> None:
        lock.acquire(str(task_result.id))

    def finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
        lock.release(str(task_result.id))

    task_started.connect(started, weak=False, dispatch_uid="tillit-task-lock-started")
    task_finished.connect(finished, weak=False, dispatch_uid="tillit-task-lock-finished")

    def scan() -> None:
        while True:
            try:
                recover_orphaned_tasks(grace_seconds)
            except Exception:
                logger.exception("Looking for orphaned tasks failed; trying again later")
            finally:
                connections.close_all()
            time.sleep(grace_seconds)

    threading.Thread(target=scan, name="tillit-task-recovery", daemon=True).start()
    logger.info("Worker %s recovers orphaned tasks every %s s", os.getpid(), grace_seconds)
