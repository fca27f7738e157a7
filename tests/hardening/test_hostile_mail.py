"""Hostile text in a citizen's e-mail (subject, plain body, HTML body): ingested into a case, then
shown harmless on the mailbox queue, the triage page, the message page, the case page and the
API. A payload a header cannot carry (a line break, a NUL) goes in the body only."""

from __future__ import annotations

import html as html_module
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tillit.cases.tests.factories import make_world
from tillit.mailbox import actions
from tillit.mailbox.actions import set_up_mailbox
from tillit.mailbox.samples import citizen_mail

from .corpus import CLASSES, CORPUS, executed, whole_page

HEADER_UNSAFE = ("\r", "\n", "\x00")
# The mail's own HTML is shown sanitised inside a sandboxed frame (decision 0503): checked as the
# document it is, apart from the page around it.
FRAME = re.compile(r'<iframe[^>]*\ssandbox="[^"]*"[^>]*\ssrcdoc="([^"]*)"[^>]*></iframe>')


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no mail program can send it
        return False
    return True


@pytest.mark.parametrize("cls", CLASSES)
def test_hostile_mail_becomes_a_case_shown_harmless(db, cls):
    world = make_world()
    mailbox = set_up_mailbox(unit=world.centre, address="kc@testkoping.se", answer_days=3)
    payloads = [p for p in CORPUS[cls] if _encodable(p.text)]
    staff = Client()
    staff.force_login(world.centre_staff)
    for number, payload in enumerate(payloads):
        in_header = not any(c in payload.text for c in HEADER_UNSAFE) and len(payload.text) < 900
        subject = f"Fråga {number} {payload.text}" if in_header else f"Fråga {number}"
        result = actions.ingest_message(
            mailbox=mailbox,
            raw=citizen_mail(
                subject=subject,
                body=f"Hej!\n\n{payload.text}\n\nMvh Karin",
                html=f"<p>Hej!</p><p>{payload.text}</p>",
                message_id=f"hostile-{cls}-{number}@example.se",
            ),
        )
        assert result.case_id is not None, payload.marker
        pages = [
            reverse("mailbox:queue", args=[mailbox.pk]),
            reverse("mailbox:triage", args=[result.case_id]),
            reverse("mailbox:message", args=[result.message_id]),
            reverse("cases:case", args=[result.case_id]),
        ]
        for url in pages:
            response = staff.get(url)
            assert response.status_code == 200, (url, response.status_code)
            html = response.content.decode()
            assert whole_page(html), f"{url}: broken page"
            for frame in FRAME.findall(html):
                inner = html_module.unescape(frame)
                assert not executed(inner, [payload]), (url, "frame", executed(inner, [payload]))
            outside = FRAME.sub("", html)
            assert not executed(outside, [payload]), (url, executed(outside, [payload]))
            assert "\x00" not in html, url
        shown = staff.get(reverse("cases:case", args=[result.case_id])).content.decode()
        assert payload.marker in shown, f"{payload.marker}: the case page lost the text"
        api = staff.get(f"/api/v1/cases/{result.case_id}")
        assert api.status_code == 200
        json.loads(api.content)
