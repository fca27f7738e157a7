"""Hand-overs through the API: offer, list, accept, return and withdraw."""

from __future__ import annotations

from tillit.api.tests.conftest import assert_problem
from tillit.cases.models import Case
from tillit.cases.states import HandoverStatus
from tillit.cases.tests.factories import offer, register


def test_offering_leaves_the_case_with_the_sender(world, as_person):
    case = register(world)
    answer = as_person(world.centre_staff).post(
        f"/api/v1/cases/{case.pk}/handovers",
        {
            "to_unit": world.administration.pk,
            "to_person": world.admin_staff.pk,
            "done": "Gav allmän information.",
            "expected": "Bedöm bygglovsplikten.",
        },
    )
    assert answer.status == 201, answer.body
    assert answer.body["status"] == "open"
    assert answer.body["to_person"]["id"] == world.admin_staff.pk
    assert answer.body["case"] == {"id": case.pk, "name": case.registration_number}
    assert Case.objects.get(pk=case.pk).owner_unit == world.centre


def test_incoming_and_outgoing_lists(world, as_person, django_assert_max_num_queries):
    handovers = [offer(world, register(world)) for _ in range(3)]
    admin = as_person(world.admin_staff)
    admin.get("/api/v1/handovers")
    with django_assert_max_num_queries(6):
        incoming = admin.get("/api/v1/handovers", {"direction": "incoming", "limit": 2})
    assert [h["id"] for h in incoming.body["items"]] == [h.pk for h in handovers[::-1][:2]]
    rest = admin.get("/api/v1/handovers", {"cursor": incoming.body["next_cursor"]})
    assert [h["id"] for h in rest.body["items"]] == [handovers[0].pk]
    outgoing = as_person(world.centre_staff).get("/api/v1/handovers", {"direction": "outgoing"})
    assert len(outgoing.body["items"]) == 3
    assert as_person(world.other_staff).get("/api/v1/handovers").body["items"] == []


def test_accepting_moves_the_case_to_the_receiver(world, as_person):
    case = register(world)
    handover = offer(world, case)
    answer = as_person(world.admin_staff).post(
        f"/api/v1/handovers/{handover.pk}/accept", {"handler": world.admin_colleague.pk}
    )
    assert answer.status == 200, answer.body
    assert answer.body["status"] == "accepted"
    assert answer.body["answered_by"]["id"] == world.admin_staff.pk
    case.refresh_from_db()
    assert case.owner_unit == world.administration and case.handler == world.admin_colleague
    accepted = as_person(world.admin_staff).get(
        "/api/v1/handovers", {"direction": "incoming", "status": "accepted"}
    )
    assert [h["id"] for h in accepted.body["items"]] == [handover.pk]


def test_returning_needs_a_reason_and_keeps_the_owner(world, as_person):
    case = register(world)
    handover = offer(world, case)
    admin = as_person(world.admin_staff)
    body = assert_problem(
        admin.post(f"/api/v1/handovers/{handover.pk}/return", {"reason": " "}), 422
    )
    assert body["errors"] == [
        {"field": "reason", "message": "Fältet får inte vara tomt.", "code": "required"}
    ]
    answer = admin.post(f"/api/v1/handovers/{handover.pk}/return", {"reason": "Fel förvaltning."})
    assert answer.status == 200
    assert (
        answer.body["status"] == "returned" and answer.body["return_reason"] == "Fel förvaltning."
    )
    assert Case.objects.get(pk=case.pk).owner_unit == world.centre


def test_the_sender_withdraws(world, as_person):
    handover = offer(world, register(world))
    answer = as_person(world.centre_colleague).post(f"/api/v1/handovers/{handover.pk}/withdraw", {})
    assert answer.status == 200 and answer.body["status"] == HandoverStatus.WITHDRAWN
