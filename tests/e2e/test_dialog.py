"""A live dialog meeting in a real browser (issue 8): the facilitator creates a session and
opens the big screen, three participants join on their own "phones" (separate browser
contexts), write and share notes, agree on a joint answer and success factors; the big screen
shows the merged word frequencies as they come, without a reload; the results export as CSV.

Django's live server speaks only HTTP, so this test serves the real ASGI application (HTTP and
websockets) with uvicorn in a thread on a free port. axe runs on every kind of page."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.core.demo import DEMO_PASSWORD
from tillit.dialog.models import Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def asgi_server(demo) -> Iterator[str]:
    from config.asgi import application

    app = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": application.application_mapping["websocket"],
        }
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _phone(browser: Browser, browser_context_args) -> Page:
    context = browser.new_context(**browser_context_args, viewport={"width": 390, "height": 800})
    return context.new_page()


def _login(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def _join(phone: Page, url: str, code: str, name: str) -> None:
    phone.goto(f"{url}/dialog/")
    phone.get_by_label("Kod").fill(code)
    phone.get_by_label("Ditt namn").fill(name)
    phone.get_by_role("button", name="Anslut").click()
    expect(phone.get_by_role("heading", name="Ditt bord: Eldkvarn")).to_be_visible()


def _live(page: Page) -> None:
    expect(page.locator("#dialog-live[data-connected='1']")).to_have_count(1)


def test_a_facilitator_and_three_participants_run_all_three_steps_live(
    asgi_server: str, page: Page, browser: Browser, browser_context_args
):
    url = asgi_server
    _login(page, url, "per.isaksson")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Dialog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dialogmöten")
    page.get_by_role("link", name="Nytt dialogmöte").click()
    assert_accessible(page)
    page.get_by_role("button", name="Skapa mötet").click()
    expect(page.get_by_role("link", name="Titel: Fältet måste fyllas i.")).to_be_visible()
    page.get_by_label("Titel").fill("Chefsdag på Eldkvarn")
    page.get_by_label("Minuter per steg").fill("3, 10, 5")
    page.get_by_role("button", name="Skapa mötet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chefsdag på Eldkvarn")
    session = Session.objects.get(title="Chefsdag på Eldkvarn")
    assert_accessible(page)

    screen = page.context.new_page()
    screen.goto(f"{url}/dialog/mote/{session.pk}/skarm/")
    _live(screen)
    expect(screen.get_by_text(session.code, exact=True)).to_be_visible()
    assert_accessible(screen)
    screen.evaluate("window.__notReloaded = true")

    phones = [_phone(browser, browser_context_args) for _ in range(3)]
    wrong = phones[0]
    wrong.goto(f"{url}/dialog/")
    wrong.get_by_label("Kod").fill("ZZZZZZ")
    wrong.get_by_label("Ditt namn").fill("Anna")
    wrong.get_by_role("button", name="Anslut").click()
    expect(wrong.get_by_role("alert")).to_contain_text("Inget öppet möte har den koden")
    assert_accessible(wrong)
    for phone, name in zip(phones, ["Anna", "Erik", "Fatima"], strict=True):
        _join(phone, url, session.code.lower(), name)
        _live(phone)
    assert_accessible(phones[0])
    expect(screen.get_by_text("3 deltagare")).to_be_visible()

    # Step 1: own reflection. The phones follow the step by themselves.
    page.get_by_role("button", name="Starta steg 1").click()
    page.get_by_role("button", name="Visa resultaten").click()
    for phone in phones:
        expect(phone.get_by_text("Steg 1 av 3: Egen reflektion")).to_be_visible()
        expect(phone.get_by_text("Tid kvar:")).to_be_visible()
        _live(phone)
    for phone, text in zip(
        phones,
        ["Delaktighet i besluten", "Delaktigheten i vardagen", "Tillit och delaktighet"],
        strict=True,
    ):
        phone.get_by_label("Min anteckning").fill(text)
        phone.get_by_label("Dela med mitt bord").check()
        phone.get_by_role("button", name="Spara anteckningen").click()
        expect(phone.get_by_text("Din anteckning är sparad.")).to_be_visible()
    phones[0].get_by_label("Min anteckning").fill("Bara för mig")
    phones[0].get_by_role("button", name="Spara anteckningen").click()
    assert_accessible(phones[0])

    words = screen.locator(".dialog-words")
    expect(words.locator("li").first).to_have_text("Delaktighet 3")
    expect(words).to_contain_text("Tillit")
    expect(words).not_to_contain_text("Bara")
    live_notes = phones[0].locator("#dialog-live .dialog-notes")
    expect(live_notes).to_contain_text("Tillit och delaktighet")  # Fatima's, pushed to Anna

    # Step 2: the table's joint answer.
    page.get_by_role("button", name="Nästa steg").click()
    expect(phones[1].get_by_text("Steg 2 av 3: Smågrupper")).to_be_visible()
    phones[1].get_by_label("Vårt bords gemensamma svar").fill("Delaktighet från början.")
    phones[1].get_by_role("button", name="Spara vårt svar").click()
    expect(phones[2].locator("#dialog-live")).to_contain_text("Delaktighet från början.")
    expect(screen.locator("#dialog-live")).to_contain_text("Delaktighet från början.")

    # Step 3: success factors, at most three per table.
    page.get_by_role("button", name="Nästa steg").click()
    for phone, factor in zip(phones, ["Delaktighet", "Mod", "Lyhördhet"], strict=True):
        expect(phone.get_by_text("Steg 3 av 3: Helgrupp")).to_be_visible()
        phone.get_by_label("En framgångsfaktor från vårt bord").fill(factor)
        phone.get_by_role("button", name="Skicka framgångsfaktorn").click()
        expect(phone.get_by_text("Framgångsfaktorn är skickad.")).to_be_visible()
    phones[0].get_by_label("En framgångsfaktor från vårt bord").fill("En fjärde")
    phones[0].get_by_role("button", name="Skicka framgångsfaktorn").click()
    expect(phones[0].get_by_role("alert")).to_contain_text("redan skickat sina 3")
    expect(screen.locator(".dialog-factors")).to_contain_text("Lyhördhet")
    expect(words.locator("li").first).to_have_text("Delaktighet 5")
    assert screen.evaluate("window.__notReloaded === true")  # all of it arrived live
    assert_accessible(screen)

    # Afterwards: the results export, and the summary prints.
    page.reload()
    assert_accessible(page)
    export = page.request.get(f"{url}/dialog/mote/{session.pk}/resultat.csv")
    rows = list(csv.reader(io.StringIO(export.text().lstrip("\ufeff")), delimiter=";"))
    assert ["Eldkvarn", "Helgrupp", "Framgångsfaktor", "Lyhördhet", "visas"] in rows
    assert not any("Bara för mig" in row for row in rows)
    page.get_by_role("button", name="Avsluta mötet").first.click()
    page.get_by_role("link", name="Sammanfattning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sammanfattning")
    assert_accessible(page)
    # The phones hear that the meeting has ended and reload themselves (a reload of our own
    # would race theirs: net::ERR_ABORTED).
    expect(phones[0].get_by_text("Mötet är slut")).to_be_visible(timeout=15_000)
