"""What the in-process benchmarks share: JSON lines, timing, query counts and a throw-away test
database (SQLite by default, `test_<name>` on the PostgreSQL that DATABASE_URL names)."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def emit(name: str, value: float, unit: str, target: str, **extra: object) -> None:
    record = {"name": name, "value": round(value, 3), "unit": unit, "target": target, **extra}
    print(json.dumps(record), flush=True)


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Wall milliseconds of each of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def queries_of(call: Callable[[], object]) -> int:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection):
        reset_queries()
        call()
        return len(connection.queries)


def in_test_database(run: Callable[[], None]) -> None:
    """Set Django up, run `run` in a new test database and drop the database afterwards."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # The test environment makes every template render send a signal that the test client
    # answers by copying the whole context (for `response.context`): 40 % of a case page's time.
    # Production renders without it, so the benchmarks do too.
    from django.template.base import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render  # type: ignore[attr-defined]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
