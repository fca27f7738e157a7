"""Append-only tables on SQLite: a guard function the database triggers call.

SQLite triggers cannot read a session setting, so Tillit registers a SQL function
`tillit_append_only()` on each SQLite connection: it answers 1 (refuse) unless the current thread
is emptying the whole database with `tillit flush` (tests do that between runs). A connection
without the function (the sqlite3 shell) gets "no such function" and is refused as well.
PostgreSQL needs none of this: its flush is TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import receiver

_state = threading.local()


def _guard() -> int:
    return 0 if getattr(_state, "purging", False) else 1


@contextmanager
def purging_whole_database() -> Iterator[None]:
    _state.purging = True
    try:
        yield
    finally:
        _state.purging = False


@receiver(connection_created)
def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("tillit_append_only", 0, _guard)
