"""The case log is append-only: events can be neither edited nor deleted, even below the ORM."""

import pytest
from django.db import DatabaseError, connection, transaction

from tillit.cases import actions
from tillit.cases.models import AppendOnlyError, CaseEvent
from tillit.cases.states import EventKind
from tillit.cases.tests.factories import register


def test_every_action_appends_its_event(world):
    case = register(world)
    actions.add_note(case=case, by=world.centre_staff, body="Ringde tillbaka.")
    actions.assign_case(case=case, handler=world.centre_colleague, by=world.centre_staff)
    actions.wait_for_citizen(case=case, by=world.centre_colleague)
    actions.add_citizen_message(case=case, body="Här är ritningen.")
    actions.close_case(case=case, by=world.centre_colleague, resolution="Besvarat.")
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.CREATED,
        EventKind.NOTE,
        EventKind.ASSIGNED,
        EventKind.STATUS,
        EventKind.CITIZEN_MESSAGE,
        EventKind.STATUS,
        EventKind.STATUS,
    ]


def test_the_orm_refuses_to_change_or_delete_an_event(world):
    event = register(world).events.first()
    event.body = "ändrat"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.parametrize(
    "sql",
    ["UPDATE cases_caseevent SET body = 'ändrat'", "DELETE FROM cases_caseevent"],
)
def test_the_database_refuses_to_change_or_delete_an_event(world, sql):
    register(world)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert CaseEvent.objects.count() == 1


def test_queryset_update_is_refused_too(world):
    register(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.update(body="ändrat")


def test_notes_are_internal_and_replies_reach_the_citizen(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    case = register(world)
    actions.add_note(case=case, by=world.centre_staff, body="Internt: kolla med bygglov.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(case=case, by=world.centre_staff, body="Altanen kräver inte bygglov.")
    assert len(mailoutbox) == 1
    assert "Altanen kräver inte bygglov." in mailoutbox[0].body
    assert "Internt" not in mailoutbox[0].body
    assert mailoutbox[0].to == ["karin@example.se"]


def test_other_capabilities_append_their_own_kinds_of_event(world):
    """A checklist tick from the catalogue lands in the log with who did it."""
    case = register(world)
    event = actions.append_event(
        case=case, kind=EventKind.CHECKLIST, by=world.centre_staff, data={"item": "ID kontrollerat"}
    )
    assert list(case.events.values_list("kind", flat=True))[-1] == EventKind.CHECKLIST
    assert event.actor == world.centre_staff and event.unit == case.owner_unit


def test_no_app_can_fake_an_ownership_change_through_append_event(world):
    case = register(world)
    with pytest.raises(ValueError, match="own action"):
        actions.append_event(case=case, kind=EventKind.ACCEPTED, by=world.centre_staff)
