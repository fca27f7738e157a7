"""Two copies of one POST arriving at the same moment still make one case."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tillit.api.actions import create_api_token
from tillit.api.tests.conftest import ApiClient
from tillit.cases.models import Case
from tillit.cases.tests.factories import make_world


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_key_make_one_case():
    world = make_world()
    secret = create_api_token(name="race", person=world.centre_staff).secret
    payload = {"subject": "Dubbelklick", "case_type": world.case_type.pk}
    barrier = threading.Barrier(2)
    answers: list[tuple[int, int]] = []

    def post() -> None:
        try:
            client = ApiClient(secret)
            barrier.wait(timeout=10)
            answer = client.post("/api/v1/cases", payload, **{"Idempotency-Key": "same"})
            answers.append((answer.status, answer.body["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert Case.objects.count() == 1
    assert sorted(status for status, _ in answers) == [200, 201]
    assert len({case_id for _, case_id in answers}) == 1
