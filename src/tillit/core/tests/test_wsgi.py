"""The WSGI entry point that gunicorn serves pages and the API from (decision 0355)."""

import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.db import close_old_connections


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a real request would close the test's open transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def call(path: str, **environ: str) -> tuple[str, dict[str, str], bytes]:
    from config.wsgi import application

    env: dict[str, object] = {"PATH_INFO": path, "HTTP_HOST": "testserver", **environ}
    setup_testing_defaults(env)
    answered: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
        answered["status"], answered["headers"] = status, dict(headers)

    body = b"".join(application(env, start_response))
    return str(answered["status"]), answered["headers"], body  # type: ignore[return-value]


@pytest.mark.django_db
def test_the_wsgi_application_answers_the_health_check():
    status, _headers, body = call("/healthz")
    assert status.startswith("200"), body
    assert json.loads(body)["status"] == "ok"


@pytest.mark.django_db
def test_the_wsgi_application_serves_the_login_page_with_its_protections():
    status, headers, body = call("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="sv")
    assert status.startswith("200")
    assert "csrftoken" in headers.get("Set-Cookie", "")
    assert headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in headers
    assert b'lang="sv"' in body


@pytest.mark.django_db
def test_the_wsgi_application_sends_staff_pages_to_the_login():
    status, headers, _ = call("/arenden/ko/enheten/")
    assert status.startswith("302")
    assert headers["Location"].startswith("/konto/logga-in/")


def test_settings_name_the_wsgi_application():
    from django.conf import settings

    assert settings.WSGI_APPLICATION == "config.wsgi.application"
