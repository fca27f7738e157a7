"""The case world from the cases app, plus API tokens and a JSON client for each person."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tillit.api.actions import create_api_token
from tillit.cases.tests.factories import World, make_world
from tillit.organisation.models import Person


@dataclass
class Answer:
    status: int
    content_type: str
    body: Any
    headers: Any


class ApiClient:
    """Calls the API as one person with a bearer token, in Swedish unless told otherwise."""

    def __init__(self, token: str | None, language: str = "sv") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, data: Any = None, **headers: str) -> Answer:
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if method == "get":
            response = self.client.get(path, data or {}, **kwargs)
        else:
            response = getattr(self.client, method)(
                path, json.dumps(data or {}), content_type="application/json", **kwargs
            )
        ctype = response.headers.get("Content-Type", "")
        body = json.loads(response.content) if "json" in ctype else response.content
        return Answer(response.status_code, ctype, body, response.headers)

    def get(self, path: str, data: Any = None, **headers: str) -> Answer:
        return self.call("get", path, data, **headers)

    def post(self, path: str, data: Any = None, **headers: str) -> Answer:
        return self.call("post", path, data, **headers)


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def as_person():
    def make(person: Person, language: str = "sv") -> ApiClient:
        return ApiClient(create_api_token(name="test", person=person).secret, language)

    return make


def assert_problem(answer: Answer, status: int) -> dict[str, Any]:
    """A refusal: problem+json with the RFC 9457 members and a human detail."""
    assert answer.status == status, answer.body
    assert answer.content_type.startswith("application/problem+json")
    body: dict[str, Any] = answer.body
    assert body["status"] == status
    assert body["type"].startswith("http")
    assert body["title"] and body["detail"]
    return body
