"""Issue 5 done: in a real browser, with a real IMAP server (Dovecot) and a real SMTP server
(aiosmtpd), a citizen's e-mail becomes a case and is acknowledged, staff triage it and answer in
two steps, the answer reaches the citizen, and the citizen's reply joins the same case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.cases.models import Case
from tillit.cases.states import EventKind, Status
from tillit.mailbox.samples import citizen_mail, message_id_of
from tillit.mailbox.tasks import poll_mailboxes
from tillit.mailbox.tests.servers import Dovecot, SmtpCapture

pytestmark = pytest.mark.e2e
KC = "kc@sjobacka.se"
CITIZEN = "lina.berg@exempel.se"


@pytest.fixture
def mail_servers(demo, settings):
    dovecot = Dovecot([KC]).start()
    smtp = SmtpCapture().start()
    for name, value in smtp.settings().items():
        setattr(settings, name, value)
    settings.TILLIT_MAILBOX_IMAP = {KC: dovecot.url(KC)}
    yield dovecot, smtp
    smtp.stop()
    dovecot.stop()


def no_sideways_scroll(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})


def test_email_in_triage_reply_out_and_the_answer_joins_the_case(mail_servers, login, page: Page):
    dovecot, smtp = mail_servers
    question = citizen_mail(
        subject="Hål i cykelvägen vid Sjöbacka skola",
        body="Hej!\n\nDet är ett stort hål i cykelvägen vid skolan. Någon kan ramla.\n\nLina Berg",
        sender=f"Lina Berg <{CITIZEN}>",
        to=KC,
    )
    dovecot.deliver(KC, question)
    assert poll_mailboxes.call() == {KC: 1}  # what the task worker does on its schedule
    case = Case.objects.get(party__email=CITIZEN)
    [ack] = smtp.to(CITIZEN)
    assert f"[{case.registration_number}]" in ack["Subject"]
    assert "Du får svar senast" in ack.get_content()
    assert ack["Auto-Submitted"] == "auto-replied"

    login("anna.lindqvist")
    page.get_by_role("link", name="Brevlåda").click()
    page.get_by_role("link", name=KC).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(KC)
    assert_accessible(page)
    no_sideways_scroll(page)

    untriaged = page.get_by_role("region", name=re.compile("Ännu inte sorterat"))
    untriaged.get_by_role("link", name="Hål i cykelvägen vid Sjöbacka skola").click()  # step 1
    expect(page.get_by_text("Det är ett stort hål i cykelvägen")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_label("1. Ärendetyp").select_option(label="Felanmälan gata och park")
    page.get_by_label("Besvara och invänta invånarens svar").check()
    page.get_by_label("Svar till invånaren").fill("Tack, Lina! På vilken sida av skolan är hålet?")
    page.get_by_role("button", name="Sortera").click()  # step 2
    expect(page.get_by_role("status")).to_contain_text(case.registration_number)
    assert_accessible(page)

    case.refresh_from_db()
    assert case.case_type.code == "felanmalan-gata" and case.status == Status.WAITING
    reply = smtp.to(CITIZEN)[-1]
    assert reply["From"].addresses[0].addr_spec == KC
    assert f"[{case.registration_number}]" in reply["Subject"]
    assert reply["In-Reply-To"] == f"<{message_id_of(question)}>"
    assert "På vilken sida av skolan" in reply.get_content()

    answer = citizen_mail(
        subject=f"SV: {reply['Subject'].strip()}",
        body="Norra sidan, vid cykelstället.\n\nDen 2 dec. 2026 skrev Kundcenter:\n> Tack, Lina!",
        sender=f"Lina Berg <{CITIZEN}>",
        to=KC,
        in_reply_to=reply["Message-ID"].strip("<> "),
        references=[message_id_of(question), reply["Message-ID"].strip("<> ")],
    )
    dovecot.deliver(KC, answer)
    assert poll_mailboxes.call() == {KC: 1}
    assert Case.objects.filter(party__email=CITIZEN).count() == 1
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.events.filter(kind=EventKind.CITIZEN_MESSAGE).get().body == (
        "Norra sidan, vid cykelstället."
    )
    assert len(smtp.to(CITIZEN)) == 2  # no second acknowledgement for an answer

    page.reload()
    recent = page.get_by_role("region", name="Senast inkommet")
    expect(recent).to_contain_text(re.compile(rf"lades till {re.escape(case.registration_number)}"))
    recent.get_by_role("link", name=re.compile("SV: Hål i cykelvägen")).click()
    expect(page.get_by_text("Norra sidan, vid cykelstället.")).to_be_visible()
    assert_accessible(page)
