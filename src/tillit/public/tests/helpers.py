"""Drive the public pages as a browser would: draw the form, fill it in, send it."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from tillit.cases.tests.factories import World

KEY = re.compile(r'name="form_key" value="([^"]+)"')
STATUS_LINK = re.compile(r'id="status-link">[^<]*(/e-tjanst/arende/[^/<]+/)<')


def form_key(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    found = KEY.search(page.content.decode())
    assert found, "the page has no form key"
    return found.group(1)


def case_data(world: World, key: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form_key": key,
        "case_type": str(world.case_type.pk),
        "subject": "Trasig gatlampa på Storgatan",
        "description": "Lampan utanför Storgatan 12 har varit släckt i en vecka.",
        "name": "Karin Nyström",
        "email": "karin@example.se",
        "phone": "070-123 45 67",
        "personal_number": "",
        "website": "",
    }
    data.update(overrides)
    return {key_: value for key_, value in data.items() if value is not None}


def submit(client: Client, world: World, **overrides: Any):
    key = form_key(client, reverse("public:new_case"))
    return client.post(reverse("public:new_case"), case_data(world, key, **overrides))


def status_path(receipt_html: str) -> str:
    found = STATUS_LINK.search(receipt_html)
    assert found, "the receipt shows no status link"
    return found.group(1)
