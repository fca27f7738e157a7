"""The case world of the cases app, uploads in a temporary MEDIA_ROOT, clean rate limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from tillit.cases.tests.factories import World, make_world


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Uploads go to a fresh folder inside tmp_path; the tests compare tmp_path before/after."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The public forms' rate limits count in the cache: every test starts clean."""
    cache.clear()
    yield
    cache.clear()
