"""One PostgreSQL cluster of the fault tests' own for the session, with a migrated template
database holding a small organisation; each test works on a fresh copy of it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.faults.servers import Postgres, tillit, tillit_env, tillit_python

TEMPLATE = "tillit_template"

# The organisation of the cases tests (tillit.cases.tests.factories), an API token for the
# contact centre's first member, and an e-mail address for every manager and contact person.
SET_UP = """
import json
from tillit.api.actions import create_api_token
from tillit.cases.tests.factories import make_world
world = make_world()
token = create_api_token(name="fault test", person=world.centre_staff)
print(json.dumps({"token": token.secret, "person": world.centre_staff.pk,
                  "case_type": world.case_type.code, "case_type_id": world.case_type.pk,
                  "centre": world.centre.pk, "administration": world.administration.pk,
                  "manager_email": world.admin_manager.email,
                  "contact_email": world.admin_contact.email}))
"""


@dataclass
class Cluster:
    postgres: Postgres
    world: dict[str, Any]
    _names: Iterator[int]

    def fresh_database(self) -> str:
        """A copy of the migrated template with the organisation in it; its URL."""
        return self.postgres.create_database(f"tillit_{next(self._names)}", template=TEMPLATE)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    postgres = Postgres().create()
    try:
        env = tillit_env(postgres.create_database(TEMPLATE))
        tillit(env, "migrate", "--noinput")
        world = tillit_python(env, SET_UP)
        yield Cluster(postgres, world, itertools.count(1))
    finally:
        postgres.destroy()
