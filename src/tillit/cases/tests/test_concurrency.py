"""Two people accept the same offer at the same moment: exactly one wins, the other is told who.

Run against the real database with real concurrent transactions (PostgreSQL in CI's second pass;
SQLite serialises writers, which must give the same answer).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tillit.cases import actions
from tillit.cases.models import Case, Handover
from tillit.cases.states import EventKind, HandoverStatus
from tillit.cases.tests.factories import make_world, offer, register


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_accepts_one_wins(attempt):
    world = make_world()
    case = register(world)
    handover = offer(world, case)
    people = [world.admin_staff, world.admin_colleague]
    barrier = threading.Barrier(len(people))
    results: dict[str, object] = {}

    def accept(person):
        try:
            barrier.wait(timeout=10)
            actions.accept_handover(handover=Handover(pk=handover.pk, case_id=case.pk), by=person)
            results[person.username] = "won"
        except ValidationError as refusal:
            results[person.username] = refusal
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, result in results.items() if result == "won"]
    losers = [result for result in results.values() if isinstance(result, ValidationError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    winner = next(p for p in people if p.username == winners[0])
    assert str(winner) in losers[0].message_dict["handover"][0]
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.ACCEPTED
    assert Handover.objects.get(pk=handover.pk).answered_by == winner
    assert Case.objects.get(pk=case.pk).owner_unit == world.administration
    assert case.events.filter(kind=EventKind.ACCEPTED).count() == 1
