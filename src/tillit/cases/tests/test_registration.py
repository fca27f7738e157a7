from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tillit.cases import actions
from tillit.cases.models import Case, CaseEvent, Party
from tillit.cases.parties import PartyInput, mask_personal_number
from tillit.cases.states import Channel, EventKind, Status
from tillit.cases.tests.factories import register
from tillit.catalogue.tests.factories import CaseTypeFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_numbers_run_per_year_and_are_never_reused(world):
    """Registration numbers follow `KC 2026/00001` and start again at 1 each year."""
    first = register(world, at=datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM))
    second = register(world, at=datetime(2026, 3, 2, 11, tzinfo=STOCKHOLM))
    next_year = register(world, at=datetime(2027, 1, 4, 9, tzinfo=STOCKHOLM))
    assert first.registration_number == "KC 2026/00001"
    assert second.registration_number == "KC 2026/00002"
    assert next_year.registration_number == "KC 2027/00001"
    actions.cancel_case(case=second, by=world.centre_staff, reason="Dubblett")
    third = register(world, at=datetime(2026, 3, 3, 9, tzinfo=STOCKHOLM))
    assert third.registration_number == "KC 2026/00003"
    assert Case.objects.get(pk=second.pk).status == Status.CANCELLED


def test_owner_comes_from_the_case_type_routing(world):
    """A centre-routed type is owned by the contact centre; a direct type by the administration."""
    assert register(world).owner_unit == world.centre
    direct = CaseTypeFactory(administration=world.administration, direct=True)
    assert register(world, case_type=direct).owner_unit == world.administration


def test_every_case_starts_with_its_created_event(world):
    case = register(world)
    event = CaseEvent.objects.get(case=case)
    assert event.kind == EventKind.CREATED
    assert event.actor == world.centre_staff
    assert event.unit == world.centre


def test_due_date_uses_the_centre_service_level_in_working_days(world):
    """Registered on Midsummer Eve's Thursday: one working day later is the Monday after."""
    case = register(world, at=datetime(2026, 6, 18, 10, tzinfo=STOCKHOLM))
    assert case.due_date == date(2026, 6, 22)


@pytest.mark.parametrize("written", ["19811218-9876", "811218-9876", "198112189876", "8112189876"])
def test_personnummer_is_stored_as_twelve_digits(world, written):
    case = register(world, party=PartyInput(name="Karin", personal_number=written))
    assert case.party.personal_number == "198112189876"
    assert mask_personal_number(case.party.personal_number) == "19811218-****"


def test_samordningsnummer_is_accepted(world):
    case = register(world, party=PartyInput(name="Ali", personal_number="701063-2391"))
    assert case.party.personal_number == "197010632391"


def test_invalid_personnummer_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as refusal:
        register(world, party=PartyInput(name="Karin", personal_number="19811218-9877"))
    assert "personal_number" in refusal.value.message_dict
    assert "kontrollsiffra" in " ".join(refusal.value.message_dict["personal_number"]) or (
        "check digit" in " ".join(refusal.value.message_dict["personal_number"])
    )
    assert Case.objects.count() == 0


def test_the_same_citizen_is_one_party(world):
    """Matched by personnummer first, then by e-mail; a changed number keeps the same person."""
    first = register(world, party=PartyInput(name="Karin", email="k@example.se"))
    second = register(world, party=PartyInput(name="Karin N", email="K@example.se"))
    assert first.party_id == second.party_id
    third = register(
        world, party=PartyInput(name="Karin", email="k@example.se", personal_number="8112189876")
    )
    assert third.party_id == first.party_id
    assert Party.objects.count() == 1


def test_a_repeated_submission_makes_one_case(world):
    """Double submission of the citizen form creates one case."""
    kwargs = {"by": None, "channel": Channel.WEB, "submission_key": "abc123" * 5}
    first = register(world, **kwargs)
    again = register(world, **kwargs)
    assert first.pk == again.pk
    assert Case.objects.count() == 1


def test_citizens_cannot_submit_internal_case_types(world):
    internal = CaseTypeFactory(administration=world.administration, is_public=False)
    with pytest.raises(ValidationError) as refusal:
        register(world, by=None, channel=Channel.WEB, case_type=internal)
    assert "case_type" in refusal.value.message_dict


def test_empty_subject_is_refused(world):
    with pytest.raises(ValidationError) as refusal:
        register(world, subject="   ")
    assert "subject" in refusal.value.message_dict


def test_resolved_at_first_contact_registers_and_closes(world):
    case = register(world, resolved_at_first_contact=True, owner=world.centre)
    assert case.status == Status.CLOSED
    assert case.resolved_at_first_contact
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.STATUS]


def test_oral_information_records_who_and_when(world):
    """Oral information given by phone is noted with who gave it and when (FL 27 §)."""
    case = register(world, oral_information="Informerade om att bygglov krävs över 15 m².")
    event = case.events.get(kind=EventKind.ORAL_INFORMATION)
    assert event.actor == world.centre_staff
    assert "given_at" in event.data


def test_handler_must_belong_to_the_owning_unit(world):
    with pytest.raises(ValidationError) as refusal:
        register(world, handler=world.admin_staff)
    assert "handler" in refusal.value.message_dict


def test_changing_the_case_type_repins_the_version_and_keeps_the_owner(world):
    """Triage re-classifies a case; ownership never moves without a hand-over."""
    case = register(world)
    other = CaseTypeFactory(administration=world.other, name="Ekonomiskt bistånd")
    changed = actions.change_case_type(case=case, by=world.centre_staff, case_type=other)
    assert changed.case_type == other
    assert changed.owner_unit == world.centre
    event = changed.events.get(kind=EventKind.CASE_TYPE)
    assert event.data == {"from": world.case_type.name, "to": "Ekonomiskt bistånd"}
