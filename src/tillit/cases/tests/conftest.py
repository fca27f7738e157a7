from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tillit.cases.tests.factories import World, make_world
from tillit.organisation.models import Person


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def client_for() -> Callable[[Person], Client]:
    """A browser session signed in as one person, speaking Swedish (the default language)."""

    def make(person: Person, *, csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=csrf, headers={"Accept-Language": "sv"})
        client.force_login(person)
        return client

    return make


class FakeClock:
    """The time the actions see: `clock.now = ...` moves it (tests of working-day clocks)."""

    def __init__(self, now: datetime) -> None:
        self.now = now


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: fake.now)
    return fake
