"""Orphaned-task recovery on the test database (SQLite's file locks on the embedded default,
PostgreSQL's advisory locks when .ci/run sets DATABASE_URL): fast, no processes killed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tillit.core.taskrecovery import MAX_CLAIMS, RunningLock, recover_orphaned_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def _running(seconds_ago: float, claims: int = 1) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=seconds_ago),
        worker_ids=[f"worker-{n}" for n in range(claims)],
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tillit.cases.tasks.escalate_overdue",
        backend_name="default",
        run_after=get_date_max(),
    )


def test_a_task_whose_worker_died_is_made_ready_again():
    orphan = _running(60)
    assert recover_orphaned_tasks(grace_seconds=30) == [str(orphan.pk)]
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=orphan.pk).exists()


def test_a_task_its_live_worker_holds_is_left_running():
    task = _running(60)
    lock = RunningLock()
    lock.acquire(str(task.pk))
    try:
        assert recover_orphaned_tasks(grace_seconds=30) == []
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    finally:
        lock.release(str(task.pk))
    assert recover_orphaned_tasks(grace_seconds=30) == [str(task.pk)]


def test_a_task_just_claimed_is_left_alone_for_the_grace_time():
    task = _running(1)
    assert recover_orphaned_tasks(grace_seconds=30) == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_that_keeps_killing_its_worker_fails_instead_of_looping():
    task = _running(60, claims=MAX_CLAIMS)
    assert recover_orphaned_tasks(grace_seconds=30) == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
