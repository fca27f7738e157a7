"""In a real browser (Debian Chromium): pages that show every executable payload of the corpus
run none of them. A `window.__xss` hook (which the payloads call) and a dialog handler (for
`alert`) record any execution; console errors would show broken markup or a blocked injected
script."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from tillit.cases import actions
from tillit.cases.tests.factories import make_world, register
from tillit.dialog import actions as dialog_actions
from tillit.dialog.tests.factories import go_to_step, join, make_session

from .corpus import ALL
from .test_hostile_forms import worker_of

pytestmark = pytest.mark.e2e

EXECUTABLE = [p for p in ALL if p.executable]
# Elements a payload would have to create to run: scripts, frames, handlers, javascript: links.
INJECTED = """() => [...document.querySelectorAll("main *")].filter(e =>
  ["SCRIPT", "IFRAME", "OBJECT", "EMBED"].includes(e.tagName)
  || [...e.attributes].some(a => a.name.startsWith("on") || /^\\s*javascript:/i.test(a.value))
).map(e => e.outerHTML.slice(0, 120))"""
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


def _kept(action: Callable[..., object], **arguments: object) -> int:
    """Store a payload where the action accepts it (a refusal is tested elsewhere); 1 if kept."""
    try:
        action(**arguments)
    except ValidationError:
        return 0
    return 1


def test_no_stored_payload_runs_on_the_dialog_big_screen(live_server, page: Page, transactional_db):
    """Notes, joint answers and success factors hold the corpus; the big screen (word counts and
    the tables' answers, revealed) and the facilitator's pages run none of it."""
    session = make_session(factors_per_table=10)
    seated = [participant for participant, _secret in join(session, 4)]
    session = go_to_step(session, 1)
    notes = sum(
        _kept(dialog_actions.add_note, participant=p, text=payload.text, step=1, shared=True)
        for payload in EXECUTABLE
        for p in seated
    )
    session = go_to_step(session, 2)
    answers = sum(
        _kept(dialog_actions.save_table_answer, participant=seated[0], text=payload.text, step=2)
        for payload in EXECUTABLE
    )
    session = go_to_step(session, 3)
    factors = sum(
        _kept(dialog_actions.add_success_factor, participant=seated[0], text=payload.text, step=3)
        for payload in EXECUTABLE[:10]
    )
    assert notes and answers and factors, (notes, answers, factors)
    dialog_actions.set_revealed(session=session, by=session.facilitator, revealed=True)
    client = Client()
    client.force_login(session.facilitator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.add_init_script(HOOK)
    dialogs: list[str] = []
    errors: list[str] = []  # the policy (CSP) refusing an injected script or handler logs one
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in (
        reverse("dialog:screen", args=[session.pk]),
        reverse("dialog:control", args=[session.pk]),
        reverse("dialog:summary", args=[session.pk]),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)  # the screen's first live update (websocket or polling)
        for y in range(0, 2000, 200):
            page.mouse.move(300, y)
        assert page.evaluate("window.__hits") == [], path
        assert page.evaluate(INJECTED) == [], path
        if path.endswith("/skarm/"):  # the factors are on the screen, as text
            assert "hx00" in page.inner_text("body"), "the screen shows no stored factor"
    assert dialogs == [], dialogs
    # The test server speaks no websocket: the pages fall back to polling, as a phone would.
    assert [e for e in errors if "WebSocket connection to" not in e] == [], errors
