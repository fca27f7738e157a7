"""Browser journeys: shared helpers for logging in and checking accessibility with axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page

from tillit.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

_axe = Axe()


@pytest.fixture
def demo(transactional_db):
    """The demo municipality, as a new user gets it from the first README command."""
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


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
