"""Browser journeys: shared helpers for logging in and checking accessibility with axe."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from playwright.sync_api import Page

from tillit.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

_axe = Axe()


class _Snapshot:
    """The demo, loaded once per test run and copied back for each journey that needs it.

    Loading it takes 20 s of CPU (every capability's story, the feedback's 90-day replay); the
    copy takes a fraction of a second. SQLite copies the whole database file with its backup
    API; PostgreSQL keeps a copy of every table in a schema of its own.
    """

    schema = "e2e_demo_snapshot"

    def __init__(self) -> None:
        self.sqlite: sqlite3.Connection | None = None
        self.tables: list[str] = []

    @property
    def taken(self) -> bool:
        return self.sqlite is not None or bool(self.tables)

    def take(self) -> None:
        if connection.vendor == "sqlite":
            self.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.ensure_connection()
            connection.connection.backup(self.sqlite)
            return
        tables = connection.introspection.table_names(include_views=False)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {self.schema}")
            for table in tables:
                cursor.execute(f'CREATE TABLE {self.schema}."{table}" AS TABLE public."{table}"')
        self.tables = tables

    def restore(self) -> None:
        if self.sqlite is not None:
            connection.ensure_connection()
            self.sqlite.backup(connection.connection)
            return
        with transaction.atomic(), connection.cursor() as cursor:
            quoted = ", ".join(f'public."{table}"' for table in self.tables)
            cursor.execute(f"TRUNCATE {quoted} CASCADE")
            for table in self.tables:
                # Names from the database's own catalogue, not from input.
                copy = f'INSERT INTO public."{table}" SELECT * FROM {self.schema}."{table}"'  # noqa: S608
                cursor.execute(copy)
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


_snapshot = _Snapshot()


@pytest.fixture
def demo(transactional_db):
    """The demo municipality, as a new user gets it from the first README command."""
    if _snapshot.taken:
        _snapshot.restore()
        return
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    _snapshot.take()


@pytest.fixture
def login(live_server, page: Page) -> Callable[[str], Page]:
    def _login(username: str, target: Page | None = None) -> Page:
        browser_page = target or page
        browser_page.goto(f"{live_server.url}/konto/logga-in/")
        browser_page.get_by_label("Användarnamn").fill(username)
        browser_page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        browser_page.get_by_role("button", name="Logga in").click()
        browser_page.wait_for_load_state()
        return browser_page

    return _login


def assert_accessible(page: Page) -> None:
    """No serious or critical WCAG 2.1 A/AA violations on the page as it is now."""
    results = _axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, f"{page.url}:\n" + "\n".join(bad)
