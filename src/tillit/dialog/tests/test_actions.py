"""Running a session through its actions: seating, steps, stale texts, limits, moderation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.dialog import actions, queries
from tillit.dialog.models import Note, Participant, Session
from tillit.dialog.states import FactorStatus, ProposalStatus
from tillit.dialog.tests.factories import go_to_step, join, make_facilitator, make_session

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_a_session_gets_a_short_code_questions_and_durations():
    session = make_session(minutes=[3, 10, 8], questions=["Hur har vi det nu?"])
    assert len(session.code) == 6
    assert session.minutes == [3, 10, 8]
    assert session.questions.first().text == "Hur har vi det nu?"
    assert session.questions.count() == 3
    assert queries.open_session_by_code(session.code.lower()) == session


def test_a_finished_sessions_code_no_longer_opens_it():
    session = make_session()
    actions.finish_session(session=session, by=session.facilitator)
    with pytest.raises(queries.SessionNotFound):
        queries.open_session_by_code(session.code)


def test_newcomers_fill_the_smallest_table_and_a_seventh_opens_a_new_one():
    session = make_session(table_names=["Eldkvarn", "Strömmen"])
    people = join(session, 7)
    tables = [p.table.name for p, _ in people]
    assert tables[:6] == ["Eldkvarn"] * 6
    assert tables[6] == "Strömmen"


def test_a_newcomer_sits_at_the_smallest_table_the_first_by_number_among_equals():
    session = go_to_step(make_session(table_names=["Eldkvarn", "Strömmen", "Lotsen"]), 1)
    join(session, 13)  # two tables of six, and Lotsen opens for the thirteenth
    eldkvarn, strommen, lotsen = session.tables.order_by("number")
    for person in list(eldkvarn.participants.all())[:4]:
        actions.move_participant(
            session=session, participant=person, table=lotsen, by=session.facilitator
        )
    assert [t.participants.count() for t in (eldkvarn, strommen, lotsen)] == [2, 6, 5]
    # Eldkvarn is smallest until it has five like Lotsen; then the lower number, then Lotsen,
    # and when every table is full a fourth opens.
    seats = [p.table.name for p, _ in join(session, 6)]
    assert seats == ["Eldkvarn"] * 4 + ["Lotsen", "Eldkvarn 2"]


def test_starting_the_first_step_balances_the_lobby():
    session = make_session()
    join(session, 13)
    go_to_step(session, 1)
    sizes = sorted(t.participants.count() for t in session.tables.all())
    assert sizes == [4, 4, 5]


def test_anonymous_participants_have_no_name_and_a_name_is_needed_otherwise():
    session = make_session()
    anonymous, token = actions.join_session(session=session, name="Kim", anonymous=True)
    assert anonymous.name == ""
    assert queries.participant_for(session, token) == anonymous
    assert Participant.objects.filter(token_hash=token).count() == 0  # only the hash is stored
    with pytest.raises(ValidationError) as error:
        actions.join_session(session=session, name="  ")
    assert codes(error.value) == {"required"}


def test_notes_are_private_until_shared_and_only_shared_ones_count():
    session = make_session()
    (anna, _), (erik, _) = join(session, 2)
    session = go_to_step(session, 1)
    actions.add_note(participant=anna, text="Delaktighet i besluten", step=1)
    note = actions.add_note(participant=erik, text="Hemligt", step=1)
    assert queries.word_frequencies(session) == []
    actions.share_note(participant=erik, note=note, shared=True)
    assert [w.word for w in queries.word_frequencies(session)] == ["hemligt"]
    with pytest.raises(ValidationError):
        actions.share_note(participant=anna, note=note, shared=False)


def test_a_text_for_an_earlier_step_is_refused_with_the_current_step():
    session = make_session()
    ((anna, _),) = join(session, 1)
    session = go_to_step(session, 2)
    with pytest.raises(ValidationError) as error:
        actions.add_note(participant=anna, text="Sent", step=1)
    assert codes(error.value) == {"stale"}
    assert "steg 2" in str(error.value) or "step 2" in str(error.value)


def test_empty_and_too_long_texts_are_refused():
    session = make_session()
    ((anna, _),) = join(session, 1)
    session = go_to_step(session, 1)
    for text, code in (("   ", "required"), ("x" * 501, "too_long")):
        with pytest.raises(ValidationError) as error:
            actions.add_note(participant=anna, text=text, step=1)
        assert codes(error.value) == {code}


def test_a_table_writes_one_joint_answer_that_anyone_at_it_can_edit():
    session = make_session()
    (anna, _), (erik, _) = join(session, 2)
    session = go_to_step(session, 2)
    actions.save_table_answer(participant=anna, text="Vi vill ha mer tid", step=2)
    answer = actions.save_table_answer(participant=erik, text="Mer tid att reflektera", step=2)
    assert anna.table.answers.get().text == "Mer tid att reflektera"
    assert answer.updated_by == erik


def test_a_table_submits_at_most_the_configured_number_of_success_factors():
    session = make_session(factors_per_table=2)
    ((anna, _),) = join(session, 1)
    session = go_to_step(session, 3)
    actions.add_success_factor(participant=anna, text="Delaktighet", step=3)
    actions.add_success_factor(participant=anna, text="Tillit", step=3)
    with pytest.raises(ValidationError) as error:
        actions.add_success_factor(participant=anna, text="Mod", step=3)
    assert codes(error.value) == {"too_many"}


def test_the_facilitator_pins_merges_and_removes_answers():
    session = make_session(table_names=["Eldkvarn", "Strömmen"])
    people = join(session, 7)
    session = go_to_step(session, 3)
    first, second = people[0][0], people[6][0]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.table_id != second.table_id
    a = actions.add_success_factor(participant=first, text="Delaktighet", step=3)
    b = actions.add_success_factor(participant=second, text="Delaktigheten", step=3)
    c = actions.add_success_factor(participant=second, text="Olämpligt", step=3)
    actions.set_revealed(session=session, by=session.facilitator, revealed=True)
    actions.merge_factor(factor=b, into=a, by=session.facilitator)
    actions.remove_factor(factor=c, by=session.facilitator)
    actions.pin_factor(factor=a, by=session.facilitator)
    board = queries.factor_board(session)
    assert [v.factor.text for v in board] == ["Delaktighet"]
    assert board[0].factor.status == FactorStatus.PINNED
    assert sorted(board[0].tables) == sorted([first.table.name, second.table.name])
    assert "olämpligt" not in [w.word for w in queries.word_frequencies(session)]


def test_only_the_facilitator_steers():
    session = make_session()
    other = make_facilitator("someone.else")
    with pytest.raises(ValidationError) as error:
        actions.advance_step(session=session, by=other, from_step=0)
    assert codes(error.value) == {"not_facilitator"}


def test_a_double_click_on_next_step_moves_one_step():
    session = make_session()
    actions.advance_step(session=session, by=session.facilitator, from_step=0)
    with pytest.raises(ValidationError):
        actions.advance_step(session=session, by=session.facilitator, from_step=0)
    assert Session.objects.get(pk=session.pk).step == 1


def test_each_step_gets_its_deadline_and_the_last_step_ends_the_session():
    session = make_session(minutes=[2, 3, 4])
    session = go_to_step(session, 2)
    assert session.step_deadline - session.step_started_at == timedelta(minutes=3)
    session = go_to_step(session, 4)
    assert session.is_finished


def test_one_two_four_all_has_four_steps_with_two_group_steps():
    session = make_session(template="1-2-4-alla")
    ((anna, _),) = join(session, 1)
    session = go_to_step(session, 3)
    actions.save_table_answer(participant=anna, text="Fyra tänker mer än två", step=3)
    assert session.step_count == 4


def test_answers_become_action_items_and_proposals_the_manager_must_answer():
    session = make_session()
    ((anna, _),) = join(session, 1)
    session = go_to_step(session, 3)
    factor = actions.add_success_factor(participant=anna, text="Tid för reflektion", step=3)
    manager = make_facilitator("chef")
    item = actions.create_action_item(
        session=session,
        by=session.facilitator,
        factor=factor,
        text=factor.text,
        owner=manager,
        due=timezone.localdate() + timedelta(days=14),
    )
    assert item.owner == manager
    proposal = actions.create_proposal(
        session=session,
        by=session.facilitator,
        factor=factor,
        text="Reflektionsdag varje månad",
        manager=manager,
        answer_days=10,
    )
    assert proposal.answer_by > timezone.localdate()
    with pytest.raises(ValidationError):
        actions.decide_proposal(
            proposal=proposal, by=session.facilitator, status="accepted", decision="Ja"
        )
    decided = actions.decide_proposal(
        proposal=proposal, by=manager, status=ProposalStatus.ACCEPTED, decision="Vi inför det."
    )
    assert decided.status == ProposalStatus.ACCEPTED and decided.decided_at is not None


def test_moving_a_person_to_another_table():
    session = make_session(table_names=["Eldkvarn", "Strömmen"])
    people = join(session, 7)
    strommen = session.tables.get(name="Strömmen")
    moved = actions.move_participant(
        session=session, participant=people[0][0], table=strommen, by=session.facilitator
    )
    assert moved.table == strommen


def test_notes_stored_together_refuse_one_without_losing_the_others():
    """Decision 0802: notes arriving together go in one insert, each checked alone; a stale one
    is refused with its reason and the others are stored and counted."""
    session = make_session()
    anna, _token = actions.join_session(session=session, name="Anna")
    bo, _token = actions.join_session(session=session, name="Bo")
    session = go_to_step(session, 1)
    results = actions.add_notes(
        notes=[
            actions.NewNote(anna, "Delaktighet", 1, shared=True),
            actions.NewNote(bo, "För sent", 0, shared=True),
            actions.NewNote(bo, "   ", 1),
        ]
    )
    assert isinstance(results[0], Note) and results[0].pk
    assert isinstance(results[1], ValidationError) and isinstance(results[2], ValidationError)
    assert list(session.notes.values_list("text", flat=True)) == ["Delaktighet"]
    assert [w.word for w in queries.word_frequencies(session)] == ["delaktighet"]
