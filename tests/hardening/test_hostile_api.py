"""Every string in every API write body (read from the OpenAPI schema) × the hostile corpus.

The answer is 2xx, or a 4xx `application/problem+json` with a detail, never a server error; what
was accepted comes back unchanged in the JSON (minus the ends Tillit strips), holds no NUL, and
renders harmless on the staff case page. A new write endpoint or a new string property is fuzzed
without touching this file; a new endpoint whose path needs a new kind of set-up fails
`test_every_write_endpoint_has_a_set_up`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tillit.api.main import api
from tillit.cases.tests.factories import World, offer

from .corpus import CLASSES, INVALID_UTF8, assign, executed, whole_page
from .test_hostile_forms import Ctx, make_ctx, signed_in

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]
PROBLEM = "application/problem+json"


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:  # Optional[X]: the first non-null choice
        schema = _resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    return schema


def string_paths(schema: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Paths to every free-text string property (not an enum) of a JSON body schema."""
    schema = _resolve(schema)
    found: list[tuple[str, ...]] = []
    for name, prop in schema.get("properties", {}).items():
        prop_schema = _resolve(prop)
        if prop_schema.get("type") == "object":
            found += string_paths(prop_schema, (*prefix, name))
        elif prop_schema.get("type") == "string" and "enum" not in prop_schema:
            found.append((*prefix, name))
    return found


@dataclass(frozen=True)
class Operation:
    path: str
    body: dict[str, Any]

    @property
    def strings(self) -> list[tuple[str, ...]]:
        return string_paths(self.body)


OPERATIONS = [
    Operation(
        path.removeprefix("/api/v1"), op["requestBody"]["content"]["application/json"]["schema"]
    )
    for path, item in SCHEMA["paths"].items()
    for method, op in item.items()
    if method in {"post", "put", "patch"} and "requestBody" in op
]
TEXT_OPERATIONS = [o for o in OPERATIONS if o.strings]


# --- set-up per path: the world, who calls, the concrete URL, valid values ---------------------


Setup = Callable[[World], tuple[Ctx, Client, str]]


def _case(world: World) -> tuple[Ctx, Client, str]:
    ctx = make_ctx(world)
    return ctx, ctx.staff, ""


def _on_case(suffix: str) -> Setup:
    def setup(world: World) -> tuple[Ctx, Client, str]:
        ctx = make_ctx(world)
        return ctx, ctx.staff, f"/cases/{ctx.case.pk}/{suffix}"

    return setup


def _handover(answer: str, *, receiver: bool) -> Setup:
    def setup(world: World) -> tuple[Ctx, Client, str]:
        ctx = make_ctx(world)
        handover = offer(world, ctx.case, by=ctx.worker, to_unit=world.other)
        client = signed_in(world.other_staff) if receiver else ctx.staff
        return ctx, client, f"/handovers/{handover.pk}/{answer}"

    return setup


SETUPS: dict[str, Setup] = {
    "/cases": _case,
    "/cases/{case_id}/notes": _on_case("notes"),
    "/cases/{case_id}/replies": _on_case("replies"),
    "/cases/{case_id}/status": _on_case("status"),
    "/cases/{case_id}/handovers": _on_case("handovers"),
    "/handovers/{handover_id}/return": _handover("return", receiver=True),
    "/handovers/{handover_id}/withdraw": _handover("withdraw", receiver=False),
}
# Valid values for the properties that are not free text.
CHOICES = {"action": "wait", "channel": "api"}
PLAIN = {"personal_number": "", "email": "ny.invanare@example.se", "phone": "070-123 45 67"}


def valid_body(schema: dict[str, Any], world: World) -> dict[str, Any]:
    schema = _resolve(schema)
    body: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        prop = _resolve(prop)
        if name == "case_type":
            body[name] = world.case_type.pk
        elif name == "to_unit":
            body[name] = world.other.pk
        elif prop.get("type") == "object":
            body[name] = valid_body(prop, world)
        elif "enum" in prop:
            body[name] = CHOICES.get(name, prop["enum"][0])
        elif prop.get("type") == "string":
            body[name] = PLAIN.get(name, "Vanlig text")
    return body


def put(body: dict[str, Any], path: tuple[str, ...], value: str) -> dict[str, Any]:
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


def send(client: Client, url: str, body: dict[str, Any] | bytes) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body)  # lone surrogates as \ud800
    return client.post(f"/api/v1{url}", data, content_type="application/json")


def assert_problem(response: Any) -> None:
    assert 400 <= response.status_code < 500, response.status_code
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    problem = response.json()
    assert problem.get("title") and problem.get("detail"), problem


def test_every_write_endpoint_has_a_set_up():
    """The schema's write endpoints with text are all fuzzed (a new one needs its set-up)."""
    assert TEXT_OPERATIONS, "the schema has no write endpoint with text"
    assert sorted(o.path for o in TEXT_OPERATIONS) == sorted(SETUPS)


@pytest.mark.parametrize("operation", TEXT_OPERATIONS, ids=[o.path for o in TEXT_OPERATIONS])
def test_the_plain_body_is_accepted(world, operation):
    """The baseline: with ordinary text every write succeeds (so a refusal below is the text's)."""
    _ctx, client, url = SETUPS[operation.path](world)
    response = send(client, url or "/cases", valid_body(operation.body, world))
    assert response.status_code in {200, 201}, response.content


CASES = [(o, p, c) for o in TEXT_OPERATIONS for p in o.strings for c in CLASSES]


@pytest.mark.parametrize(
    ("operation", "path", "cls"),
    CASES,
    ids=[f"{o.path}:{'.'.join(p)}-{c}" for o, p, c in CASES],
)
def test_hostile_text_through_the_api(
    world, operation, path, cls, django_capture_on_commit_callbacks
):
    """Hostile text in one property: refused as problem+json, or stored as sent and shown
    harmless on the case page."""
    ctx, client, url = SETUPS[operation.path](world)
    names = [".".join(p) for p in operation.strings]
    payload = assign(names, cls, offset=CLASSES.index(cls))[".".join(path)]
    body = put(valid_body(operation.body, world), path, payload.text)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, url or "/cases", body)
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert_problem(response)
        return
    text = response.content.decode()
    assert "\\u0000" not in text and "\x00" not in text, "a NUL byte was stored"
    case_id = response.json().get("id") if url == "" else ctx.case.pk
    events = client.get(f"/api/v1/cases/{case_id}/events").content.decode()
    case = client.get(f"/api/v1/cases/{case_id}").content.decode()
    assert payload.marker in text + events + case, "what was accepted is not in the JSON"
    page = client.get(reverse("cases:case", args=[case_id]))
    if page.status_code == 200:  # after a hand-back or an offer the caller may only read it
        html = page.content.decode()
        assert whole_page(html) and not executed(html, [payload]), executed(html, [payload])


@pytest.mark.parametrize("raw", INVALID_UTF8, ids=[r.hex() for r in INVALID_UTF8])
def test_a_body_that_is_not_utf8_is_a_clear_refusal(world, raw):
    """Invalid UTF-8 bytes inside the JSON body: a 4xx problem, never a server error."""
    _ctx, client, url = _on_case("notes")(world)
    response = send(client, url, b'{"body": "hej ' + raw + b'"}')
    assert_problem(response)


def test_a_body_that_is_not_json_is_a_clear_refusal(world):
    _ctx, client, url = _on_case("notes")(world)
    for raw in (b"", b"{", b"null", b"[]", b'{"body": 5}', b"\x00" * 10):
        assert_problem(send(client, url, raw))
