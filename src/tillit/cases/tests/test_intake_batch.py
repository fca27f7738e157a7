"""Registering a batch from a trusted intake path (the shared mailbox): every case is what
`register_case` would have made one by one, the series stays gapless, and a repeated submission
gets the case it made."""

from __future__ import annotations

import pytest

from tillit.cases import actions
from tillit.cases.models import Case, Party
from tillit.cases.parties import PartyInput
from tillit.cases.queries import search
from tillit.cases.states import Channel, EventKind, Status
from tillit.cases.tests.factories import make_world, register

pytestmark = pytest.mark.django_db


def intake(n: int, email: str = "", **kwargs: object) -> actions.Intake:
    values: dict[str, object] = {
        "subject": f"Fråga nummer {n}",
        "description": f"Snöröjningen vid skolan, gång {n}.",
        "party": PartyInput(name=f"Invånare {n}", email=email) if email else None,
        "submission_key": f"test:{n}",
    }
    values.update(kwargs)
    return actions.Intake(**values)  # type: ignore[arg-type]


def test_a_batch_is_registered_as_one_by_one_would_with_a_gapless_series():
    world = make_world()
    world.case_type.is_public = False
    world.case_type.save()
    known = register(world).party  # KC …/00001, Karin
    made = actions.register_intake_batch(
        channel=Channel.EMAIL,
        case_type=world.case_type,
        intakes=[
            intake(1, "KARIN@example.se"),
            intake(2, "olle@example.se"),
            intake(3, "olle@example.se"),
            intake(
                4,
                first_entry=actions.LogEntry(
                    EventKind.EMAIL_IN, data={"from": "x"}, actor_label="x"
                ),
            ),
        ],
    )
    cases = [case for case, _entry in made]
    later = register(world)
    numbers = [c.registration_number[-5:] for c in [*cases, later]]
    assert numbers == ["00002", "00003", "00004", "00005", "00006"]
    assert all(c.status == Status.NEW and c.owner_unit == later.owner_unit for c in cases)
    assert cases[0].party == known and cases[1].party == cases[2].party != known
    assert cases[3].party is None and Party.objects.count() == 2
    assert all(c.due_date == later.due_date for c in cases)
    assert [e.kind for e in Case.objects.get(pk=cases[3].pk).events.all()] == [
        EventKind.CREATED,
        EventKind.EMAIL_IN,
    ]
    assert made[3][1] is not None and made[3][1].kind == EventKind.EMAIL_IN
    reader = world.centre_staff if later.owner_unit == world.centre else world.admin_staff
    found = search(reader, "snöröjningen").cases
    assert sorted(c.pk for c in found) == sorted(c.pk for c in cases)  # indexed at once


def test_a_repeated_submission_gets_the_case_it_made_and_no_second_entry():
    world = make_world()
    entry = actions.LogEntry(EventKind.EMAIL_IN, actor_label="x")
    [(first, _)] = actions.register_intake_batch(
        channel=Channel.EMAIL, case_type=world.case_type, intakes=[intake(1, first_entry=entry)]
    )
    [(again, again_entry)] = actions.register_intake_batch(
        channel=Channel.EMAIL, case_type=world.case_type, intakes=[intake(1, first_entry=entry)]
    )
    assert again == first and again_entry is None
    assert Case.objects.count() == 1 and first.events.count() == 2


def test_a_secret_case_type_marks_every_case_of_the_batch_and_logs_it():
    world = make_world()
    world.case_type.default_secret = True
    world.case_type.save()
    made = actions.register_intake_batch(
        channel=Channel.EMAIL, case_type=world.case_type, intakes=[intake(1), intake(2)]
    )
    for case, _entry in made:
        assert case.is_secret and case.secrecy_provision
        assert [e.kind for e in case.events.all()] == [EventKind.CREATED, EventKind.SECRECY]


def test_only_contributed_kinds_may_be_a_first_entry():
    world = make_world()
    with pytest.raises(ValueError, match="own action"):
        actions.register_intake_batch(
            channel=Channel.EMAIL,
            case_type=world.case_type,
            intakes=[intake(1, first_entry=actions.LogEntry(EventKind.ACCEPTED))],
        )
    assert not Case.objects.exists()
