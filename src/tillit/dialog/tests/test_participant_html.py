"""A phone's live part is made in Python (decision 0804) and must be, byte for byte, what the
template it replaced made (kept here as `reference_participant_live.html`): before the first
step, in each step with its countdown, after the end; with and without shared notes, answers
and success factors; anonymous people, hostile texts, Swedish and English, two time zones."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone, translation

from tillit.dialog import actions, fragments
from tillit.dialog.models import Note, Participant, Session
from tillit.dialog.queries import TableView
from tillit.dialog.states import FactorStatus
from tillit.dialog.tests.factories import go_to_step, make_session

pytestmark = pytest.mark.django_db

REFERENCE = engines["django"].from_string(
    (Path(__file__).parent / "reference_participant_live.html").read_text()
)
HOSTILE = '<script>alert("x")</script> & "citat" \'enkel\''


def reference(participant: Participant) -> str:
    """The old way: the template with the model objects it was given."""
    fresh = Participant.objects.select_related("session", "table").get(pk=participant.pk)
    table = None
    if fresh.table is not None:
        table = TableView(
            table=fresh.table,
            people=list(fresh.table.participants.all()),
            answers=list(fresh.table.answers.all()),
            factors=list(fresh.table.factors.exclude(status=FactorStatus.HIDDEN)),
            shared_notes=list(
                Note.objects.filter(participant__table=fresh.table, shared=True).select_related(
                    "participant"
                )
            ),
        )
    return REFERENCE.render({**fragments.deadline_context(fresh.session), "table": table})


def both(participant: Participant) -> tuple[str, str]:
    return fragments.render_participant(participant), reference(participant)


def seated(session: Session) -> list[Participant]:
    people = [actions.join_session(session=session, name=f"Deltagare {i}")[0] for i in range(3)]
    people.append(actions.join_session(session=session, anonymous=True)[0])
    people.append(actions.join_session(session=session, name=HOSTILE)[0])
    return [p for p in people if p.table_id == people[0].table_id]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("zone", ["Europe/Stockholm", "UTC"])
def test_the_phone_part_is_the_templates_in_every_step(language, zone):
    session = make_session(title=HOSTILE, questions=["Hur har vi det nu?"])
    people = seated(session)
    assert len(people) >= 3
    with translation.override(language), timezone.override(zone):
        new, old = both(people[0])
        assert new == old  # before the first step, nothing shared yet
        assert "Deltagare 0" in new

        session = go_to_step(session, 1)
        for index, person in enumerate(people):
            note = actions.add_note(
                participant=person, text=f"Delaktighet {index} {HOSTILE}", step=1, shared=True
            )
        actions.add_note(participant=people[0], text="Privat tanke", step=1, shared=False)
        new, old = both(people[1])
        assert new == old
        assert "Privat tanke" not in new
        assert "&lt;script&gt;" in new and "<script>" not in new
        assert 'class="dialog-countdown"' in new

        session = go_to_step(session, 2)
        actions.save_table_answer(participant=people[0], text=f"Rad ett\nRad två {HOSTILE}", step=2)
        assert both(people[2])[0] == both(people[2])[1]

        session = go_to_step(session, 3)
        for text in ("Delaktighet", HOSTILE, "Tillit"):
            actions.add_success_factor(participant=people[0], text=text, step=3)
        factor = session.factors.get(text="Tillit")
        actions.remove_factor(factor=factor, by=session.facilitator)
        new, old = both(people[0])
        assert new == old
        assert "<br>" in new and "Tillit</li>" not in new

        session.refresh_from_db()
        actions.finish_session(session=session, by=session.facilitator)
        new, old = both(people[0])
        assert new == old
        assert 'class="dialog-countdown"' not in new
    del note


def test_a_participant_without_a_table_sees_the_status_only():
    session = make_session()
    person = seated(session)[0]
    Participant.objects.filter(pk=person.pk).update(table=None)
    person.refresh_from_db()
    new, old = both(person)
    assert new == old
    assert "my-table" not in new


def test_the_table_is_read_in_two_queries(django_assert_num_queries):
    session = go_to_step(make_session(), 1)
    people = seated(session)
    for person in people:
        actions.add_note(participant=person, text="Delaktighet", step=1, shared=True)
    with django_assert_num_queries(2):
        html = fragments.render_participant(people[0])
    assert html.count("<li>Delaktighet") == len(people)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_reply_to_a_stored_note_is_the_pages_own_markup(language):
    session = go_to_step(make_session(), 1)
    person = seated(session)[0]
    template = engines["django"].get_template("dialog/_my_note.html")
    with translation.override(language):
        for shared in (False, True):
            note = actions.add_note(participant=person, text=HOSTILE, step=1, shared=shared)
            html = fragments.my_note_html(note, session)
            assert html == template.render({"note": note, "session": session})
            assert "&lt;script&gt;" in html
