"""In a real browser (Debian Chromium): pages that show every executable payload of the corpus
run none of them. A `window.__xss` hook (which the payloads call) and a dialog handler (for
`alert`) record any execution; console errors would show broken markup or a blocked injected
script."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from tillit.cases import actions
from tillit.cases.tests.factories import make_world, register

from .corpus import ALL
from .test_hostile_forms import worker_of

pytestmark = pytest.mark.e2e

EXECUTABLE = [p for p in ALL if p.executable]
HOOK = """
window.__hits = [];
window.__xss = (marker) => window.__hits.push(String(marker));
"""


def test_no_stored_payload_runs_on_the_case_page_queue_and_status_page(
    live_server, page: Page, transactional_db
):
    world = make_world()
    case = register(world, subject=EXECUTABLE[0].text, description=EXECUTABLE[1].text)
    worker = worker_of(world, case)
    for payload in EXECUTABLE:
        actions.add_note(case=case, by=worker, body=payload.text)
        actions.add_reply(case=case, by=worker, body=payload.text)
    token = actions.issue_status_link(case=case)
    client = Client()
    client.force_login(worker)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.add_init_script(HOOK)
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    for path in (
        reverse("cases:case", args=[case.pk]),
        reverse("cases:queue", args=["enheten"]),
        reverse("cases:queue", args=["mina"]),
        reverse("cases:search") + "?q=hx0001",
        reverse("public:status", args=[token]),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        page.mouse.move(5, 5)
        for y in range(0, 2000, 200):  # pass over every line (onmouseover payloads)
            page.mouse.move(300, y)
        page.keyboard.press("Tab")
        hits = page.evaluate("window.__hits")
        assert hits == [], f"{path}: executed {hits}"
    assert dialogs == [], dialogs
    # An injected <img src=x> or <script src> would be fetched and missing; the browser's own
    # favicon request is the one allowed miss.
    missing = [url for url in missing if not url.endswith("/favicon.ico")]
    assert missing == [], missing
    assert [e for e in errors if "404" not in e or missing] == [], errors
