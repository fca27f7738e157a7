import pytest


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    """Every page forbids framing and inline script, and sniffing of content types."""
    response = client.get("/konto/logga-in/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_hsts_is_sent_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/konto/logga-in/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
