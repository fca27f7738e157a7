"""Every refusal is problem+json with a human message in Swedish and, for input, field errors."""

from __future__ import annotations

from tillit.api.tests.conftest import assert_problem
from tillit.cases import actions
from tillit.cases.tests.factories import offer, register


def test_an_invalid_personnummer_names_the_field_in_swedish(world, as_person):
    answer = as_person(world.centre_staff).post(
        "/api/v1/cases",
        {
            "subject": "Fråga",
            "case_type": world.case_type.pk,
            "party": {"name": "Karin", "personal_number": "19811218-1234"},
        },
    )
    body = assert_problem(answer, 422)
    [error] = body["errors"]
    assert error["field"] == "party.personal_number"
    assert "inte ett giltigt personnummer" in error["message"]
    assert body["detail"] == error["message"]
    assert body["title"] == "Ogiltig begäran"


def test_the_same_refusal_in_english_when_asked(world, as_person):
    answer = as_person(world.centre_staff, language="en").post(
        "/api/v1/cases", {"subject": "Question", "case_type": "no-such-type"}
    )
    body = assert_problem(answer, 422)
    assert body["title"] == "Invalid request"
    assert body["errors"] == [
        {
            "field": "case_type",
            "message": "There is no case type no-such-type.",
            "code": "unknown_case_type",
        }
    ]
    assert answer.headers["Content-Language"] == "en"


def test_an_unknown_case_type_is_a_field_error(world, as_person):
    body = assert_problem(
        as_person(world.centre_staff).post("/api/v1/cases", {"subject": "x", "case_type": 999999}),
        422,
    )
    assert body["errors"][0] == {
        "field": "case_type",
        "message": "Det finns ingen ärendetyp 999999.",
        "code": "unknown_case_type",
    }


def test_missing_and_malformed_fields_are_listed_in_swedish(world, as_person):
    body = assert_problem(as_person(world.centre_staff).post("/api/v1/cases", {"subject": 5}), 422)
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("subject", "string_type"),
        ("case_type", "missing"),
    }
    assert {e["message"] for e in body["errors"]} == {"Ange en text.", "Fältet måste fyllas i."}


def test_an_offer_not_addressed_to_your_unit_cannot_be_accepted(world, as_person):
    """The sender sees its own offer but may not accept it: 403, with the reason."""
    handover = offer(world, register(world))
    body = assert_problem(
        as_person(world.centre_staff).post(f"/api/v1/handovers/{handover.pk}/accept", {}), 403
    )
    assert body["errors"][0]["code"] == "not_receiver"
    assert body["detail"] == body["errors"][0]["message"]
    assert "din enhet" in body["detail"]


def test_a_reply_on_a_closed_case_is_a_conflict(world, as_person):
    case = register(world)
    actions.close_case(case=case, by=world.centre_staff)
    body = assert_problem(
        as_person(world.centre_staff).post(f"/api/v1/cases/{case.pk}/replies", {"body": "Hej"}), 409
    )
    assert body["errors"][0]["code"] == "case_closed"
    assert "avslutat" in body["detail"] or "stängt" in body["detail"]


def test_a_stale_offer_names_who_answered_it(world, as_person):
    """Two receivers: the second learns that the offer is taken, and by whom."""
    handover = offer(world, register(world))
    first = as_person(world.admin_staff).post(f"/api/v1/handovers/{handover.pk}/accept", {})
    assert first.status == 200
    body = assert_problem(
        as_person(world.admin_colleague).post(f"/api/v1/handovers/{handover.pk}/accept", {}), 409
    )
    assert body["errors"][0]["code"] == "handover_answered"
    assert str(world.admin_staff) in body["detail"]


def test_an_invalid_status_transition_is_a_conflict(world, as_person):
    case = register(world)
    client = as_person(world.centre_staff)
    assert (
        client.post(
            f"/api/v1/cases/{case.pk}/status", {"action": "cancel", "text": "Dubblett"}
        ).status
        == 200
    )
    body = assert_problem(client.post(f"/api/v1/cases/{case.pk}/status", {"action": "start"}), 409)
    assert body["errors"][0]["code"] == "invalid_transition"


def test_forbidden_and_missing_cases_look_identical(world, as_person):
    """Another unit's case and a case that does not exist give the very same answer."""
    case = register(world)
    outsider = as_person(world.other_staff)
    for suffix, method, data in [
        ("", "get", None),
        ("/events", "get", None),
        ("/notes", "post", {"body": "x"}),
        ("/status", "post", {"action": "start"}),
        ("/handovers", "post", {"to_unit": world.other.pk, "done": "x", "expected": "y"}),
    ]:
        forbidden = outsider.call(method, f"/api/v1/cases/{case.pk}{suffix}", data)
        missing = outsider.call(method, f"/api/v1/cases/{case.pk + 1000}{suffix}", data)
        assert_problem(forbidden, 404)
        assert (forbidden.status, forbidden.body, forbidden.content_type) == (
            missing.status,
            missing.body,
            missing.content_type,
        )
    handover = offer(world, case)
    forbidden = outsider.post(f"/api/v1/handovers/{handover.pk}/accept", {})
    missing = outsider.post(f"/api/v1/handovers/{handover.pk + 1000}/accept", {})
    assert_problem(forbidden, 404)
    assert forbidden.body == missing.body
    assert forbidden.body["detail"] == "Det finns inget här, eller så får du inte se det."


def test_an_unknown_unit_in_an_offer_is_a_field_error(world, as_person):
    case = register(world)
    body = assert_problem(
        as_person(world.centre_staff).post(
            f"/api/v1/cases/{case.pk}/handovers", {"to_unit": 99999, "done": "x", "expected": "y"}
        ),
        422,
    )
    assert body["errors"][0]["field"] == "to_unit"


def test_a_bad_cursor_is_a_field_error(world, as_person):
    body = assert_problem(
        as_person(world.centre_staff).get("/api/v1/cases", {"cursor": "abc"}), 422
    )
    assert body["errors"][0]["code"] == "invalid_cursor"


def test_a_body_that_is_not_json_is_refused_as_problem(world, as_person):
    client = as_person(world.centre_staff)
    response = client.client.post(
        "/api/v1/cases", "{not json", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
