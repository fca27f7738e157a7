"""The documentation page in a real browser: it loads under the CSP with no console errors."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_the_docs_page_loads_without_console_errors_and_is_accessible(
    live_server, page: Page, transactional_db
):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Anrop").is_visible()
    assert page.locator("h3#problem-not-found, dt#problem-not-found").count() == 1
    assert not problems, problems

    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    bad = [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, bad

    schema = page.request.get(f"{live_server.url}/api/v1/openapi.json")
    assert schema.ok and schema.json()["info"]["title"] == "Tillit API"
