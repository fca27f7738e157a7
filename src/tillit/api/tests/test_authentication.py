"""Who may call the API: a live token, or a logged-in browser that passes the CSRF check."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from tillit.api import actions
from tillit.api.models import ApiToken
from tillit.api.tests.conftest import ApiClient, assert_problem


def test_a_token_acts_as_its_person_and_only_its_hash_is_stored(world):
    """The secret is returned once; the database holds its SHA-256 and a short prefix."""
    issued = actions.create_api_token(name="E-tjänst", person=world.centre_staff)
    assert issued.secret.startswith("tillit_")
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert row.token_hash == actions.hash_token(issued.secret)
    assert issued.secret not in {row.token_hash, row.prefix, row.name}
    answer = ApiClient(issued.secret).get("/api/v1/cases")
    assert answer.status == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_revoked_token_is_refused_with_401_problem(world):
    """Revocation takes effect on the next request."""
    issued = actions.create_api_token(name="Gammal", person=world.centre_staff)
    actions.revoke_api_token(token=issued.token)
    body = assert_problem(ApiClient(issued.secret).get("/api/v1/cases"), 401)
    assert body["detail"] == "API-token är okänd eller har återkallats."


def test_an_unknown_token_is_refused_even_with_a_session(world):
    """A wrong token is never silently replaced by the browser session."""
    client = ApiClient("tillit_not-a-real-token")
    client.client.force_login(world.centre_staff)
    answer = client.get("/api/v1/cases")
    assert_problem(answer, 401)
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_is_401_problem_in_swedish(db):
    body = assert_problem(ApiClient(None).get("/api/v1/cases"), 401)
    assert body["title"] == "Inte inloggad"
    assert "Authorization: Bearer" in body["detail"]


def test_a_token_of_a_deactivated_person_is_refused(world):
    issued = actions.create_api_token(name="x", person=world.centre_staff)
    world.centre_staff.is_active = False
    world.centre_staff.save()
    assert_problem(ApiClient(issued.secret).get("/api/v1/cases"), 401)


def test_the_browser_session_reads_without_csrf_but_writes_only_with_it(world):
    """Staff can try the API in the browser; an unsafe method must carry the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.centre_staff)
    assert client.get("/api/v1/cases").status_code == 200
    payload = json.dumps({"subject": "Från webbläsaren", "case_type": world.case_type.pk})
    refused = client.post("/api/v1/cases", payload, content_type="application/json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert "CSRF" in json.loads(refused.content)["detail"]

    client.get("/api/v1/docs")  # a page render sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/cases", payload, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201, accepted.content


def test_a_bearer_token_needs_no_csrf_token(world, as_person):
    client = as_person(world.centre_staff)
    client.client = Client(enforce_csrf_checks=True)
    answer = client.post("/api/v1/cases", {"subject": "Maskin", "case_type": world.case_type.pk})
    assert answer.status == 201


def test_the_command_creates_lists_and_revokes_tokens(world):
    """`tillit api_token create` prints the token once; `revoke` stops it at once."""
    out = StringIO()
    call_command("api_token", "create", "--name", "Växel", "--user", "kc1", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    assert ApiClient(secret).get("/api/v1/cases").status == 200

    listing = StringIO()
    call_command("api_token", "list", stdout=listing)
    assert "Växel" in listing.getvalue() and secret not in listing.getvalue()

    token = ApiToken.objects.get(name="Växel")
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO())
    assert_problem(ApiClient(secret).get("/api/v1/cases"), 401)


def test_the_admin_creates_a_token_and_shows_it_once(world, admin_client):
    response = admin_client.post(
        "/admin/api/apitoken/add/",
        {"name": "Från admin", "person": world.centre_staff.pk},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Från admin")
    shown = [str(m) for m in response.context["messages"]]
    secret = next(m.rsplit(" ", 1)[-1] for m in shown if "tillit_" in m)
    assert actions.hash_token(secret) == token.token_hash


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Token abc"])
def test_malformed_authorization_headers_are_401(db, header):
    client = ApiClient(None)
    assert_problem(client.get("/api/v1/cases", Authorization=header), 401)
