from __future__ import annotations

import pytest
from django.core.cache import cache

from tillit.cases.tests.factories import World, make_world


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache (Redis on PostgreSQL runs): start each test clean."""
    cache.clear()
    yield
    cache.clear()
