"""Cases through the API: queues, search, registration, the log, notes, replies and status."""

from __future__ import annotations

import pytest
from django.core import mail

from tillit.api.tests.conftest import assert_problem
from tillit.cases import actions
from tillit.cases.models import Case
from tillit.cases.parties import PartyInput
from tillit.cases.states import EventKind, Status
from tillit.cases.tests.factories import offer, register


@pytest.fixture
def kc(world, as_person):
    return as_person(world.centre_staff)


def test_the_unit_queue_lists_cases_newest_first_with_keyset_pages(world, kc):
    """`next_cursor` walks the queue page by page and is null on the last page."""
    ids = [register(world, subject=f"Ärende {n}").pk for n in range(5)]
    first = kc.get("/api/v1/cases", {"queue": "unit", "limit": 2})
    assert first.status == 200
    assert [c["id"] for c in first.body["items"]] == ids[::-1][:2]
    second = kc.get(
        "/api/v1/cases", {"queue": "unit", "limit": 2, "cursor": first.body["next_cursor"]}
    )
    third = kc.get(
        "/api/v1/cases", {"queue": "unit", "limit": 2, "cursor": second.body["next_cursor"]}
    )
    assert [c["id"] for c in second.body["items"]] == ids[::-1][2:4]
    assert [c["id"] for c in third.body["items"]] == ids[:1]
    assert third.body["next_cursor"] is None
    item = first.body["items"][0]
    assert item["owner_unit"]["name"] == world.centre.name
    assert item["case_type"] == {
        "id": world.case_type.pk,
        "code": world.case_type.code,
        "name": world.case_type.name,
    }


def test_queues_and_filters(world, kc, as_person):
    mine = register(world, subject="Min", handler=world.centre_staff)
    waiting = register(world, subject="Väntar")
    actions.wait_for_citizen(case=waiting, by=world.centre_staff)
    closed = register(world, subject="Klar")
    actions.close_case(case=closed, by=world.centre_staff)
    offered = register(world, subject="Erbjuden")
    offer(world, offered)
    by_letter = register(world, subject="Brev", channel="letter")

    def ids(client, **params):
        answer = client.get("/api/v1/cases", params)
        assert answer.status == 200, answer.body
        return {c["id"] for c in answer.body["items"]}

    assert ids(kc, queue="mine") == {mine.pk}
    assert ids(kc, queue="waiting") == {waiting.pk}
    assert ids(kc, queue="closed") == {closed.pk}
    assert ids(kc, queue="unit", channel="letter") == {by_letter.pk}
    assert ids(kc, queue="unit", status="in_progress") == set()
    assert ids(kc, queue="unit", case_type=world.case_type.code) >= {offered.pk, by_letter.pk}
    assert ids(as_person(world.admin_staff), queue="incoming") == {offered.pk}


def test_search_without_a_queue_covers_every_case_you_may_read(world, kc, as_person):
    altan = register(world, subject="Altanbygge vid sjön", description="")
    register(world, subject="Hundbajspåsar i parken", description="")
    assert [c["id"] for c in kc.get("/api/v1/cases", {"q": "altanen"}).body["items"]] == [altan.pk]
    assert as_person(world.other_staff).get("/api/v1/cases", {"q": "altan"}).body["items"] == []


def test_search_filters_need_a_queue(world, kc):
    body = assert_problem(kc.get("/api/v1/cases", {"q": "altan", "status": "new"}), 422)
    assert body["errors"][0]["field"] == "queue"


def test_the_list_takes_a_fixed_number_of_queries(world, kc, django_assert_max_num_queries):
    """No query per row: 50 cases cost as many queries as one."""
    for n in range(50):
        register(world, subject=f"Ärende {n}", handler=world.centre_staff if n % 2 else None)
    kc.get("/api/v1/cases", {"queue": "mine"})  # warm the token's last_used_at
    for params in ({"queue": "unit"}, {"queue": "mine"}, {"q": "ärende"}, {"queue": "overdue"}):
        with django_assert_max_num_queries(6):
            answer = kc.get("/api/v1/cases", {**params, "limit": 100})
        assert answer.status == 200
        assert answer.body["items"] or params["queue"] == "overdue"


def test_registering_a_case_masks_the_personnummer(world, kc):
    answer = kc.post(
        "/api/v1/cases",
        {
            "subject": "Bygglov för carport",
            "description": "Ringer om carport.",
            "case_type": world.case_type.code,
            "party": {
                "name": "Karin Nyström",
                "email": "karin@example.se",
                "personal_number": "198112189876",
            },
        },
    )
    assert answer.status == 201, answer.body
    body = answer.body
    assert body["registration_number"].startswith("KC ")
    assert body["channel"] == "api" and body["status"] == "new"
    assert body["party"]["personal_number"] == "19811218-****"
    case = Case.objects.get(pk=body["id"])
    assert case.party.personal_number == "198112189876"
    assert case.events.filter(kind=EventKind.CREATED, actor=world.centre_staff).exists()


def test_a_retried_post_with_the_same_idempotency_key_makes_one_case(world, kc, as_person):
    """The retry answers 200 with the first case; another caller's same key is another case."""
    payload = {"subject": "Gatlampa trasig", "case_type": world.case_type.pk}
    first = kc.post("/api/v1/cases", payload, **{"Idempotency-Key": "abc-123"})
    again = kc.post("/api/v1/cases", payload, **{"Idempotency-Key": "abc-123"})
    assert (first.status, again.status) == (201, 200)
    assert again.body["id"] == first.body["id"]
    assert again.body["registration_number"] == first.body["registration_number"]
    other = as_person(world.centre_colleague).post(
        "/api/v1/cases", payload, **{"Idempotency-Key": "abc-123"}
    )
    assert other.status == 201 and other.body["id"] != first.body["id"]
    fresh = kc.post("/api/v1/cases", payload, **{"Idempotency-Key": "abc-124"})
    assert fresh.status == 201
    assert Case.objects.count() == 3


def test_a_reused_idempotency_key_for_another_case_is_refused(world, kc):
    """The same key with a different subject is a client bug, not a retry."""
    kc.post(
        "/api/v1/cases",
        {"subject": "Gatlampa", "case_type": world.case_type.pk},
        **{"Idempotency-Key": "k1"},
    )
    answer = kc.post(
        "/api/v1/cases",
        {"subject": "Snöröjning", "case_type": world.case_type.pk},
        **{"Idempotency-Key": "k1"},
    )
    body = assert_problem(answer, 422)
    assert body["errors"][0]["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_reading_a_secret_case_through_the_api_is_logged(world, kc):
    """Every read of a secret case names who read it and where (OSL)."""
    case = register(world, is_secret=True, secrecy_provision="OSL 26 kap. 1 §")
    assert kc.get(f"/api/v1/cases/{case.pk}").status == 200
    read = case.events.get(kind=EventKind.SECRET_READ)
    assert read.actor == world.centre_staff and read.data == {"where": "api"}


def test_reading_a_case_and_its_log(world, kc):
    case = register(world, party=PartyInput(name="Per", personal_number="19811218-9876"))
    offer(world, case)
    answer = kc.get(f"/api/v1/cases/{case.pk}")
    assert answer.status == 200
    assert answer.body["party"]["personal_number"] == "19811218-****"
    assert answer.body["open_handover"]["to_unit"]["id"] == world.administration.pk
    log = kc.get(f"/api/v1/cases/{case.pk}/events")
    assert [e["kind"] for e in log.body["items"]] == ["created", "offered"]
    assert log.body["items"][0]["actor"]["id"] == world.centre_staff.pk
    page = kc.get(f"/api/v1/cases/{case.pk}/events", {"limit": 1})
    rest = kc.get(f"/api/v1/cases/{case.pk}/events", {"cursor": page.body["next_cursor"]})
    assert [e["kind"] for e in rest.body["items"]] == ["offered"]


def test_notes_and_replies(world, kc, django_capture_on_commit_callbacks):
    """A note stays internal; a reply goes to the citizen by e-mail."""
    case = register(world)
    note = kc.post(f"/api/v1/cases/{case.pk}/notes", {"body": "Ringde upp, inget svar."})
    assert note.status == 201 and note.body["kind"] == "note"
    with django_capture_on_commit_callbacks(execute=True):
        reply = kc.post(
            f"/api/v1/cases/{case.pk}/replies", {"body": "Altanen kräver inget bygglov."}
        )
    assert reply.status == 201 and reply.body["kind"] == "reply"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("steps", "final"),
    [
        ([("start", "")], Status.IN_PROGRESS),
        ([("wait", "Väntar på ritning")], Status.WAITING),
        ([("close", "Besvarat")], Status.CLOSED),
        ([("close", ""), ("reopen", "Ny fråga")], Status.IN_PROGRESS),
        ([("cancel", "Dubblett")], Status.CANCELLED),
    ],
)
def test_status_changes_are_named_actions(world, kc, steps, final):
    case = register(world)
    for action, text in steps:
        answer = kc.post(f"/api/v1/cases/{case.pk}/status", {"action": action, "text": text})
        assert answer.status == 200, answer.body
    assert answer.body["status"] == final
    assert Case.objects.get(pk=case.pk).status == final


def test_a_status_that_is_not_an_action_is_refused(world, kc):
    case = register(world)
    body = assert_problem(kc.post(f"/api/v1/cases/{case.pk}/status", {"action": "closed"}), 422)
    assert body["errors"][0]["field"] == "action"


def test_case_types_are_listed_and_searched(world, kc):
    answer = kc.get("/api/v1/case-types")
    assert answer.status == 200
    assert [t["code"] for t in answer.body] == [world.case_type.code]
    assert kc.get("/api/v1/case-types", {"q": "bygglov"}).body[0]["id"] == world.case_type.pk
    assert kc.get("/api/v1/case-types", {"q": "hundar"}).body == []
