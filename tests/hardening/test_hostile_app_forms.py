"""The forms of catalogue, dialog, liaison, feedback, team and mailbox × the hostile corpus.

For each (form, payload class) the form is posted once by a person allowed to, every text field
carrying a different variant of the class (a Latin square over the fields) and valid values in
the rest. Accepted: every payload is then shown, harmless, on the pages, the big screen and the
exports that render it (CSV exports have no formula cell), and in no e-mail as markup that runs.
Refused: the page names the problem, and each field is then sent on its own so that one field's
refusal does not hide another field's handling. Never a server error, never a broken page.
"""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.http import HttpResponse

from .corpus import CLASSES, Payload, assign, executed, formula_cells, whole_page
from .surfaces import APP_SURFACES, FormSurface, Scene
from .test_hostile_forms import on_the_wire, post, refused_clearly

CASES = [(s, c) for s in APP_SURFACES for c in CLASSES]


def send(scene: Scene, surface: FormSurface, values: dict[str, Payload]) -> HttpResponse:
    data = scene.values() | {scene.key(k): on_the_wire(p.text) for k, p in values.items()}
    if surface.get:
        return scene.client.get(scene.url, data)
    return post(scene.client, scene.url, data)


def accepted(scene: Scene, response: HttpResponse, payloads: list[Payload]) -> bool:
    """Whether the submission was kept; a refusal must name the problem."""
    assert response.status_code < 500, response.status_code
    if response.status_code >= 400:
        refused_clearly(response)
        html = response.content.decode()
        assert whole_page(html), "broken refusal page"
        assert not executed(html, payloads), executed(html, payloads)
        return False
    assert response.status_code == 302, f"a POST answered {response.status_code}"
    landing = scene.client.get(response["Location"])
    assert landing.status_code == 200, landing.status_code
    html = landing.content.decode()
    assert whole_page(html), "broken page after the redirect"
    assert not executed(html, payloads), executed(html, payloads)
    return "message--error" not in html


def check_read_back(scene: Scene, payloads: list[Payload]) -> None:
    """Every place that renders the stored values: harmless, whole, and showing each of them."""
    shown = dict.fromkeys((p.marker for p in payloads), False)
    for name, client, url in scene.pages():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        kind = response["Content-Type"]
        if kind.startswith("text/csv"):
            assert not formula_cells(response.content), f"{name}: formula cells"
            text = response.content.decode("utf-8-sig")
        elif kind.startswith("application/json"):
            text = response.content.decode()
            json.loads(text)
        else:
            text = response.content.decode()
            if text.lstrip().lower().startswith("<!doctype"):
                assert whole_page(text), f"{name}: broken page"
            assert not executed(text, payloads), f"{name}: {executed(text, payloads)}"
        assert "\x00" not in text, f"{name}: a NUL reached the reader"
        for marker in shown:
            shown[marker] = shown[marker] or marker in text
    hidden = [m for m, seen in shown.items() if not seen]
    assert not hidden, f"accepted but shown nowhere: {hidden}"


def check_mail(payloads: list[Payload]) -> None:
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject, message.subject
        for content, kind in getattr(message, "alternatives", []):
            if kind == "text/html":
                assert not executed(str(content), payloads), executed(str(content), payloads)


def submit(scene: Scene, surface: FormSurface, values: dict[str, Payload], capture) -> bool:
    """Send one submission; True when it was kept (its e-mails are checked here)."""
    payloads = list(values.values())
    mail.outbox.clear()
    with capture(execute=True):
        response = send(scene, surface, values)
    if surface.get:
        assert response.status_code in {200, 400, 422}, response.status_code
        html = response.content.decode()
        assert whole_page(html), "broken page"
        assert not executed(html, payloads), executed(html, payloads)
        return False  # a search keeps nothing
    kept = accepted(scene, response, payloads)
    if kept:
        check_mail(payloads)
    return kept


@pytest.mark.parametrize(("surface", "cls"), CASES, ids=[f"{s.key}-{c}" for s, c in CASES])
def test_hostile_text_in_app_forms_is_refused_clearly_or_shown_harmless(
    world, surface, cls, django_capture_on_commit_callbacks
):
    """One class of hostile text in every field of a form: refused with a message, or kept and
    shown escaped wherever it is rendered; each field alone when the whole was refused."""
    scene = surface.scene(world)
    values = assign(surface.fields, cls, offset=CLASSES.index(cls))
    capture = django_capture_on_commit_callbacks
    if submit(scene, surface, values, capture):
        kept = list(values.values())
    elif len(values) > 1:  # each field alone; what was kept is then read back in one pass
        kept = [p for name, p in values.items() if submit(scene, surface, {name: p}, capture)]
    else:
        kept = []
    if kept:
        check_read_back(scene, kept)
