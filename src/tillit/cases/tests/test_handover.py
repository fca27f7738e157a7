"""Hand-over: the one way a case changes unit. Ownership moves only on acceptance."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tillit.cases import actions
from tillit.cases.models import Case, Handover
from tillit.cases.states import EventKind, HandoverStatus, Status
from tillit.cases.tests.factories import offer, register

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def reload(case):
    return Case.objects.get(pk=case.pk)


def test_an_offer_leaves_the_case_with_the_sender(world):
    case = register(world)
    handover = offer(world, case)
    assert reload(case).owner_unit == world.centre
    assert handover.status == HandoverStatus.OPEN
    assert case.events.filter(kind=EventKind.OFFERED).count() == 1


def test_accepting_moves_ownership_and_starts_the_administration_leg(world):
    case = register(world)
    handover = offer(world, case)
    accepted = actions.accept_handover(
        handover=handover, by=world.admin_staff, handler=world.admin_colleague
    )
    assert accepted.owner_unit == world.administration
    assert accepted.handler == world.admin_colleague
    assert accepted.status == Status.IN_PROGRESS
    event = accepted.events.get(kind=EventKind.ACCEPTED)
    assert event.unit == world.administration
    assert Handover.objects.get(pk=handover.pk).answered_by == world.admin_staff


def test_a_returned_offer_leaves_the_case_with_the_offering_unit(world):
    case = register(world)
    handover = offer(world, case)
    actions.return_handover(handover=handover, by=world.admin_staff, reason="Fel förvaltning.")
    assert reload(case).owner_unit == world.centre
    assert case.events.get(kind=EventKind.RETURNED).body == "Fel förvaltning."


def test_a_return_needs_a_reason(world):
    handover = offer(world, register(world))
    with pytest.raises(ValidationError) as refusal:
        actions.return_handover(handover=handover, by=world.admin_staff, reason=" ")
    assert "reason" in refusal.value.message_dict
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.OPEN


def test_the_sender_can_withdraw_and_offer_again(world):
    case = register(world)
    first = offer(world, case)
    actions.withdraw_handover(handover=first, by=world.centre_colleague)
    second = offer(world, case, to_unit=world.other)
    assert second.status == HandoverStatus.OPEN


def test_at_most_one_open_offer_per_case(world):
    case = register(world)
    offer(world, case)
    with pytest.raises(ValidationError) as refusal:
        offer(world, case, to_unit=world.other)
    assert refusal.value.error_dict["case"][0].code == "offer_exists"


def test_the_database_refuses_a_second_open_offer(world):
    """Even code that bypasses the actions cannot create two open offers."""
    case = register(world)
    handover = offer(world, case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.create(
            case=case,
            from_unit=world.centre,
            to_unit=world.other,
            done="x",
            expected="y",
            offered_by=world.centre_staff,
            offered_at=handover.offered_at,
            answer_by=handover.answer_by,
        )


def test_an_offer_not_addressed_to_your_unit_is_refused(world):
    handover = offer(world, register(world))
    with pytest.raises(ValidationError) as refusal:
        actions.accept_handover(handover=handover, by=world.other_staff)
    assert refusal.value.error_dict["handover"][0].code == "not_receiver"
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.OPEN


def test_only_the_owning_unit_can_offer(world):
    case = register(world)
    with pytest.raises(ValidationError) as refusal:
        offer(world, case, by=world.admin_staff, to_unit=world.other)
    assert refusal.value.error_dict["case"][0].code == "not_owner"


def test_an_answered_offer_names_who_answered(world):
    handover = offer(world, register(world))
    actions.accept_handover(handover=handover, by=world.admin_staff)
    with pytest.raises(ValidationError) as refusal:
        actions.accept_handover(handover=handover, by=world.admin_colleague)
    assert str(world.admin_staff) in refusal.value.message_dict["handover"][0]


def test_offering_to_the_owner_itself_is_refused(world):
    with pytest.raises(ValidationError) as refusal:
        offer(world, register(world), to_unit=world.centre)
    assert "to_unit" in refusal.value.message_dict


def test_an_action_on_a_closed_case_is_refused(world):
    case = register(world)
    actions.close_case(case=case, by=world.centre_staff)
    with pytest.raises(ValidationError) as refusal:
        offer(world, case)
    assert refusal.value.error_dict["case"][0].code == "case_closed"


def test_a_case_with_an_open_offer_cannot_be_closed(world):
    case = register(world)
    offer(world, case)
    with pytest.raises(ValidationError):
        actions.close_case(case=case, by=world.centre_staff)


def test_hand_back_to_the_contact_centre_is_the_same_protocol(world):
    case = register(world)
    actions.accept_handover(handover=offer(world, case), by=world.admin_staff)
    back = offer(world, reload(case), to_unit=world.centre, by=world.admin_staff)
    assert reload(case).owner_unit == world.administration
    actions.accept_handover(handover=back, by=world.centre_colleague)
    assert reload(case).owner_unit == world.centre


def test_answer_time_is_one_working_day(world, settings):
    """An offer on Maundy Thursday must be answered by the Tuesday after Easter."""
    offered = datetime(2026, 4, 2, 14, 30, tzinfo=STOCKHOLM)
    deadline = actions.answer_deadline(world.administration, offered)
    assert deadline == datetime(2026, 4, 7, 14, 30, tzinfo=STOCKHOLM)


def test_an_unanswered_offer_is_escalated_once_and_managers_are_told(
    world, django_capture_on_commit_callbacks
):
    case = register(world)
    handover = offer(world, case)
    late = handover.answer_by.replace(year=handover.answer_by.year + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.escalate_overdue_handovers(now=late) == 1
    assert actions.escalate_overdue_handovers(now=late) == 0
    assert case.events.filter(kind=EventKind.ESCALATED).count() == 1
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {world.admin_manager.email, world.admin_contact.email}
    assert case.registration_number in mail.outbox[0].subject


def test_escalation_notice_is_sent_once_even_if_the_task_runs_again(world):
    from tillit.cases.tasks import notify_escalation

    handover = offer(world, register(world))
    notify_escalation.call(handover.pk)
    notify_escalation.call(handover.pk)
    assert len(mail.outbox) == 1
