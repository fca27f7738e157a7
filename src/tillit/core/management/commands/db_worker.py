"""`tillit db_worker`: django-tasks-db's worker, which also runs again the tasks of a worker that
died (see tillit.core.taskrecovery). Same options as django-tasks-db's command."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from tillit.core.taskrecovery import start_in_worker


class Command(DbWorkerCommand):
    help = "Run the background task worker; tasks of a worker that died are run again."

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload the parent process only watches files; the child runs the tasks.
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            start_in_worker(settings.TILLIT_TASK_ORPHAN_SECONDS)
        super().handle(*args, **options)
