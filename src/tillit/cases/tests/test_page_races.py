"""Pages under real concurrency: the same registration form sent twice at the same moment makes
one case, and of two people accepting one offer from the incoming page one wins and the other
reads who did. Real transactions on the test database (SQLite serialises writers; PostgreSQL
decides with row locks and the unique submission key)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from tillit.cases.models import Case
from tillit.cases.tests.factories import make_world, offer, register
from tillit.cases.tests.pages import page_text

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls: Callable[[], object]) -> list[object]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def signed_in(person) -> Client:
    client = Client(headers={"Accept-Language": "sv"})
    client.force_login(person)
    return client


def test_one_registration_form_sent_twice_at_once_makes_one_case():
    world = make_world()
    client = signed_in(world.centre_staff)
    html = client.get("/arenden/registrera/").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    data = {
        "token": token,
        "channel": "phone",
        "case_type": str(world.case_type.pk),
        "subject": "Dubbelklick på registrera",
        "description": "Invånaren undrar över sin ansökan.",  # the type's documentation level
        "name": "Karin Nyström",
        "phone": "070-174 06 11",
        "handle_myself": "on",
    }
    twin = signed_in(world.centre_staff)  # the same person, a second connection
    first, second = at_once(
        lambda: client.post("/arenden/registrera/", data),
        lambda: twin.post("/arenden/registrera/", data),
    )
    assert Case.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/arenden/{Case.objects.get().pk}/"


def test_two_people_accept_one_offer_at_once_and_the_loser_reads_who_won():
    world = make_world()
    handover = offer(world, register(world))
    people = [world.admin_staff, world.admin_colleague]
    clients = [signed_in(person) for person in people]
    url = f"/arenden/overlamningar/{handover.pk}/acceptera/"
    answers = at_once(*(lambda c=client: c.post(url, {}) for client in clients))
    assert sorted(answer.status_code for answer in answers) == [302, 422]
    winner = people[[answer.status_code for answer in answers].index(302)]
    loser_page = page_text(next(answer for answer in answers if answer.status_code == 422))
    assert f"Erbjudandet är redan accepterat av {winner}." in loser_page
    assert Case.objects.get(pk=handover.case_id).owner_unit == world.administration
