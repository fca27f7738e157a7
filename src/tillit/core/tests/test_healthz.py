import pytest


@pytest.mark.django_db
def test_healthz_reports_every_dependency(client):
    """An operator sees the database, cache and channel layer answer."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "channel_layer"}
    assert all(check["ok"] for check in body["checks"].values())


class BrokenCache:
    def set(self, *args, **kwargs):
        raise ConnectionError("cache is down")


@pytest.mark.django_db
def test_healthz_answers_503_when_the_cache_is_down(client, monkeypatch):
    """A load balancer stops sending traffic when a dependency is down."""
    monkeypatch.setattr("tillit.core.views.cache", BrokenCache())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db
def test_pages_name_an_icon_that_exists(client):
    """Browsers show Tillit's icon instead of asking for a /favicon.ico that is not there."""
    from django.contrib.staticfiles import finders

    html = client.get("/konto/logga-in/").content.decode()
    assert 'rel="icon"' in html
    assert finders.find("core/favicon.svg")
