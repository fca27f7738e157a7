"""The case world of the cases app, built once per module; uploads in a temporary MEDIA_ROOT;
clean rate limits.

Building the world (units, people, roles, a case type) and signing its people in took a third of
this suite's time when done for each of its ~900 tests. Here it is built once per module inside
a transaction that is never committed: every test runs in a savepoint within it (pytest-django's
`db`, as Django's TestCase does with setUpTestData) and is rolled back to exactly this world, and
at the end of the module the world itself is rolled back, so no other test ever sees it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tillit.cases.tests.factories import World, make_world

from . import test_hostile_forms


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = make_world()
            for person in {getattr(world, f.name) for f in dataclasses.fields(World)}:
                if isinstance(person, test_hostile_forms.Person):
                    client = Client()
                    client.force_login(person)
                    test_hostile_forms.SESSIONS[person.pk] = client.cookies["sessionid"].value
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    test_hostile_forms.SESSIONS.clear()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world: World, db) -> World:
    """The module's world, read afresh (a test before may have changed rows it rolled back)."""
    return World(
        **{
            f.name: type(value).objects.get(pk=value.pk)
            for f in dataclasses.fields(World)
            for value in [getattr(_module_world, f.name)]
        }
    )


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
