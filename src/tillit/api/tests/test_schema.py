"""The OpenAPI document is valid and every endpoint answers as it says (schemathesis, bounded)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tillit.api.actions import create_api_token
from tillit.api.main import api
from tillit.cases import actions
from tillit.cases.tests.factories import make_world, offer, register

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The bounded run in the suite; bench/api_fuzz.py sets more (and a varying seed) for the long run.
EXAMPLES = int(os.environ.get("TILLIT_FUZZ_EXAMPLES", "25"))
COUNT_FILE = os.environ.get("TILLIT_FUZZ_COUNT_FILE", "")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_document_is_valid_openapi_and_lists_every_endpoint():
    document = api.get_openapi_schema()
    schemathesis.openapi.from_dict(document).validate()  # against the OpenAPI 3.1 meta-schema
    operations = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert operations == {
        ("GET", "/api/v1/cases"),
        ("POST", "/api/v1/cases"),
        ("GET", "/api/v1/cases/{case_id}"),
        ("GET", "/api/v1/cases/{case_id}/events"),
        ("POST", "/api/v1/cases/{case_id}/notes"),
        ("POST", "/api/v1/cases/{case_id}/replies"),
        ("POST", "/api/v1/cases/{case_id}/status"),
        ("POST", "/api/v1/cases/{case_id}/handovers"),
        ("GET", "/api/v1/handovers"),
        ("POST", "/api/v1/handovers/{handover_id}/accept"),
        ("POST", "/api/v1/handovers/{handover_id}/return"),
        ("POST", "/api/v1/handovers/{handover_id}/withdraw"),
        ("GET", "/api/v1/case-types"),
    }
    refusal = document["paths"]["/api/v1/cases"]["post"]["responses"]["422"]
    assert list(refusal["content"]) == ["application/problem+json"]
    assert set(document["components"]["securitySchemes"]) == {"BearerToken", "BrowserSession"}


@pytest.fixture
def bearer(db):
    """A world with a few cases and offers, so generated ids sometimes hit real rows.

    The WSGI handler closes the database connection after each request, which would end the
    test's transaction; Django's test client switches that off the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    world = make_world()
    for n in range(3):
        case = register(world, subject=f"Ärende {n}")
        offer(world, case)
    closed = register(world, subject="Klart")
    actions.close_case(case=closed, by=world.centre_staff)
    secret = create_api_token(name="schemathesis", person=world.centre_staff).secret
    yield {"Authorization": f"Bearer {secret}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not COUNT_FILE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_endpoint_answers_as_documented(case, bearer):
    """Generated requests never cause a 5xx, and every answer matches the schema."""
    try:
        case.call_and_validate(headers=bearer, checks=CHECKS)
    finally:
        if COUNT_FILE:  # one line per generated request, for the long run's count
            with Path(COUNT_FILE).open("a") as count:
                count.write(f"{case.method} {case.path}\n")


def test_the_docs_page_renders_from_the_schema_without_inline_script(client, db):
    """The documentation loads under the site's CSP: no inline script, no CDN."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "GET /api/v1/cases/{case_id}/events" in html
    assert 'id="problem-not-found"' in html
    assert "Autentisering" in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
