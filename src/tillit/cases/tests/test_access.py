"""Who sees which case. Forbidden and missing look the same; secret reads are logged."""

import pytest
from django.core.exceptions import ValidationError

from tillit.cases import actions
from tillit.cases.queries import (
    Access,
    CaseNotFound,
    Queue,
    access_to,
    get_case_for,
    queue,
    visible_to,
)
from tillit.cases.states import EventKind
from tillit.cases.tests.factories import offer, register
from tillit.organisation.actions import grant_role, revoke_role
from tillit.organisation.models import Role


def test_the_owning_unit_works_the_case_and_others_do_not_see_it(world):
    case = register(world)
    assert access_to(world.centre_staff, case) == Access.WORK
    assert access_to(world.other_staff, case) is None
    with pytest.raises(CaseNotFound):
        get_case_for(world.other_staff, case.pk)
    with pytest.raises(CaseNotFound):
        get_case_for(world.other_staff, 999_999)


def test_the_receiver_of_an_offer_reads_it_and_the_sender_reads_it_afterwards(world):
    case = register(world)
    handover = offer(world, case)
    assert access_to(world.admin_staff, case) == Access.READ
    actions.accept_handover(handover=handover, by=world.admin_staff)
    case.refresh_from_db()
    assert access_to(world.admin_staff, case) == Access.WORK
    assert access_to(world.centre_staff, case) == Access.READ  # owned before: read-only
    assert case in visible_to(world.centre_staff)


def test_managers_see_their_units_cases(world):
    case = register(
        world, case_type=world.case_type, owner=world.administration, by=world.admin_staff
    )
    assert access_to(world.admin_manager, case) == Access.WORK


def test_registrars_read_every_case_that_is_not_secret(world):
    case = register(world)
    assert access_to(world.registrar, case) == Access.READ
    actions.mark_secret(case=case, by=world.centre_staff, provision="OSL 26:1")
    case.refresh_from_db()
    assert access_to(world.registrar, case) is None


def test_a_secret_case_is_limited_to_its_owner_and_every_read_is_logged(world):
    case = register(world)
    actions.mark_secret(case=case, by=world.centre_staff, provision="OSL 26 kap. 1 §")
    handover = offer(world, case)
    actions.accept_handover(handover=handover, by=world.admin_staff)
    # The contact centre owned it before, but secrecy limits it to the owning unit now.
    with pytest.raises(CaseNotFound):
        get_case_for(world.centre_staff, case.pk)
    get_case_for(world.admin_colleague, case.pk)
    get_case_for(world.admin_colleague, case.pk, where="api")
    reads = case.events.filter(kind=EventKind.SECRET_READ)
    assert reads.count() == 2
    assert {e.actor for e in reads} == {world.admin_colleague}
    assert {e.data["where"] for e in reads} == {"page", "api"}
    assert case not in visible_to(world.centre_staff)


def test_queues_show_mine_my_unit_incoming_and_waiting(world):
    unassigned = register(world)
    mine = register(world, handler=world.centre_staff)
    waiting = register(world)
    actions.wait_for_citizen(case=waiting, by=world.centre_staff)
    offered = register(world)
    offer(world, offered)
    assert [c.pk for c in queue(world.centre_staff, Queue.MINE).cases] == [mine.pk]
    assert {c.pk for c in queue(world.centre_staff, Queue.UNIT).cases} == {
        unassigned.pk,
        offered.pk,
    }
    assert [c.pk for c in queue(world.admin_staff, Queue.INCOMING).cases] == [offered.pk]
    assert [c.pk for c in queue(world.centre_staff, Queue.WAITING).cases] == [waiting.pk]


def test_queues_page_by_keyset(world):
    cases = [register(world) for _ in range(5)]
    first = queue(world.centre_staff, Queue.UNIT, size=2)
    assert [c.pk for c in first.cases] == [cases[4].pk, cases[3].pk]
    second = queue(world.centre_staff, Queue.UNIT, size=2, before=first.next_cursor)
    assert [c.pk for c in second.cases] == [cases[2].pk, cases[1].pk]


def test_overdue_queue_shows_late_cases_and_unanswered_offers_to_both_units(world):
    from datetime import timedelta

    from django.utils import timezone

    from tillit.cases.models import Handover

    late = register(world)
    actions.change_due_date(
        case=late,
        by=world.centre_staff,
        due_date=timezone.localdate(),
        reason="Invånaren bad om snabbt svar",
    )
    offered = register(world)
    handover = offer(world, offered)
    Handover.objects.filter(pk=handover.pk).update(answer_by=timezone.now() - timedelta(hours=1))
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert {c.pk for c in queue(world.centre_staff, Queue.OVERDUE, today=tomorrow).cases} == {
        late.pk,
        offered.pk,
    }
    assert [c.pk for c in queue(world.admin_staff, Queue.OVERDUE).cases] == [offered.pk]


def test_a_membership_granted_a_moment_ago_counts_for_the_next_change(world):
    """Changes check the person's units afresh, even on the same person object."""
    case = register(world)
    newcomer = world.other_staff
    with pytest.raises(ValidationError):
        actions.add_note(case=case, by=newcomer, body="Inte än.")
    grant_role(person=newcomer, unit=world.centre, role=Role.STAFF)
    actions.add_note(case=case, by=newcomer, body="Nu går det.")
    revoke_role(person=newcomer, unit=world.centre, role=Role.STAFF)
    with pytest.raises(ValidationError):
        actions.add_note(case=case, by=newcomer, body="Inte längre.")
