"""The pages over HTTP: a facilitator creates and steers a session, participants join with a
code and write for the current step; bad input gets a clear message; exports are safe."""

import csv
import io

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tillit.dialog import actions
from tillit.dialog.models import Note, Participant, Session, SuccessFactor
from tillit.dialog.tests.factories import go_to_step, make_facilitator, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def joined(session: Session, name: str = "Anna") -> Client:
    client = Client()
    response = client.post(reverse("dialog:join"), {"code": session.code.lower(), "name": name})
    assert response.status_code == 302, response.content.decode()
    return client


def page(client: Client, session: Session) -> str:
    return client.get(reverse("dialog:participant", args=[session.code])).content.decode()


def test_a_facilitator_creates_a_session_from_a_template():
    person = make_facilitator()
    client = logged_in(person)
    response = client.post(
        reverse("dialog:create"),
        {
            "title": "Chefsdag i Eldkvarn",
            "template": "tre_steg",
            "minutes": "3, 10, 5",
            "factors_per_table": "3",
            "questions": "Hur har vi det nu?",
            "table_names": "",
        },
    )
    session = Session.objects.get()
    assert response.url == reverse("dialog:control", args=[session.pk])
    assert session.minutes == [3, 10, 5]
    control = client.get(response.url).content.decode()
    assert session.code in control
    assert "Starta steg 1" in control


def test_bad_durations_are_explained_on_the_field():
    client = logged_in(make_facilitator())
    response = client.post(
        reverse("dialog:create"),
        {"title": "X", "template": "tre_steg", "minutes": "fem", "factors_per_table": "3"},
    )
    assert response.status_code == 400
    assert 'href="#id_minutes"' in response.content.decode()


def test_another_staff_member_cannot_see_or_steer_the_session():
    session = make_session()
    other = logged_in(make_facilitator("other"))
    assert other.get(reverse("dialog:control", args=[session.pk])).status_code == 404
    assert (
        other.post(reverse("dialog:next_step", args=[session.pk]), {"from_step": 0}).status_code
        == 404
    )


def test_joining_with_a_code_seats_the_participant_and_shows_the_table():
    session = make_session()
    client = joined(session, "Anna")
    html = page(client, session)
    assert "Ditt bord: Eldkvarn" in html
    assert "Anna" in html
    assert "Väntar på att samtalsledaren ska starta" in html


def test_an_unknown_code_gets_a_clear_message_and_guessing_is_limited():
    client = Client()
    response = client.post(reverse("dialog:join"), {"code": "ZZZZZZ", "name": "Anna"})
    assert response.status_code == 400
    assert "Inget öppet möte har den koden" in response.content.decode()
    with override_settings(TILLIT_PUBLIC_RATE_LIMIT=1):
        statuses = [
            client.post(reverse("dialog:join"), {"code": "ZZZZZZ", "name": "A"}).status_code
            for _ in range(4)
        ]
    assert statuses[-1] == 429


def test_many_people_with_the_right_code_are_not_rate_limited():
    """400 managers on one Wi-Fi join from one address."""
    session = make_session()
    with override_settings(TILLIT_PUBLIC_RATE_LIMIT=1):
        for index in range(8):
            joined(session, f"Chef {index}")
    assert Participant.objects.count() == 8


def test_joining_anonymously():
    session = make_session()
    client = Client()
    client.post(reverse("dialog:join"), {"code": session.code, "anonymous": "on"})
    assert Participant.objects.get().name == ""
    assert "Anonym" in page(client, session)


def test_a_name_or_anonymous_is_required():
    session = make_session()
    response = Client().post(reverse("dialog:join"), {"code": session.code, "name": ""})
    assert response.status_code == 400
    assert "Skriv ditt namn" in response.content.decode()


def test_a_participant_writes_a_note_and_shares_it_with_the_table():
    session = make_session()
    anna, erik = joined(session, "Anna"), joined(session, "Erik")
    go_to_step(session, 1)
    response = anna.post(
        reverse("dialog:add_note", args=[session.code]), {"step": 1, "text": "Delaktighet"}
    )
    assert response.status_code == 302
    assert "Delaktighet" not in page(erik, session)
    note = Note.objects.get()
    anna.post(reverse("dialog:share_note", args=[session.code, note.pk]), {"shared": "1"})
    assert "Delaktighet" in page(erik, session)


def test_a_note_for_a_step_that_has_passed_is_refused_and_the_text_kept():
    session = make_session()
    anna = joined(session)
    go_to_step(session, 2)
    response = anna.post(
        reverse("dialog:add_note", args=[session.code]), {"step": 1, "text": "Sent tänkt"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Samtalsledaren har gått vidare till steg 2" in html
    assert "Sent tänkt" in html
    assert not Note.objects.exists()


def test_empty_and_too_long_texts_get_a_message_by_the_field():
    session = make_session()
    anna = joined(session)
    go_to_step(session, 3)
    url = reverse("dialog:add_factor", args=[session.code])
    empty = anna.post(url, {"step": 3, "text": "  "})
    assert empty.status_code == 400 and 'href="#id_text"' in empty.content.decode()
    long = anna.post(url, {"step": 3, "text": "x" * 201})
    assert "högst 200 tecken" in long.content.decode()


def test_a_table_agrees_on_a_joint_answer_and_success_factors():
    session = make_session(factors_per_table=1)
    anna, erik = joined(session, "Anna"), joined(session, "Erik")
    go_to_step(session, 2)
    anna.post(reverse("dialog:save_answer", args=[session.code]), {"step": 2, "text": "Vi lyssnar"})
    assert "Vi lyssnar" in page(erik, session)
    go_to_step(session, 3)
    erik.post(reverse("dialog:add_factor", args=[session.code]), {"step": 3, "text": "Tillit"})
    refused = anna.post(
        reverse("dialog:add_factor", args=[session.code]), {"step": 3, "text": "Mod"}
    )
    assert "redan skickat sina 1" in refused.content.decode()


def test_the_facilitator_steps_reveals_and_the_screen_shows_merged_words():
    session = make_session()
    anna = joined(session)
    facilitator = logged_in(session.facilitator)
    facilitator.post(reverse("dialog:next_step", args=[session.pk]), {"from_step": 0})
    for text in ("Delaktighet", "delaktigheten i vardagen"):
        anna.post(
            reverse("dialog:add_note", args=[session.code]),
            {"step": 1, "text": text, "shared": "on"},
        )
    screen_url = reverse("dialog:screen", args=[session.pk])
    assert "Delaktighet" not in facilitator.get(screen_url).content.decode()
    facilitator.post(reverse("dialog:reveal", args=[session.pk]), {"revealed": "1"})
    html = facilitator.get(screen_url).content.decode()
    assert 'Delaktighet <span class="dialog-count">2</span>' in html
    assert "<svg" in html  # the QR code to join


def test_the_facilitator_moves_a_person_and_moderates_answers():
    session = make_session(table_names=["Eldkvarn", "Strömmen"])
    clients = [joined(session, f"P{i}") for i in range(7)]
    facilitator = logged_in(session.facilitator)
    strommen = session.tables.get(name="Strömmen")
    person = Participant.objects.get(name="P0")
    facilitator.post(
        reverse("dialog:move", args=[session.pk]), {"participant": person.pk, "table": strommen.pk}
    )
    person.refresh_from_db()
    assert person.table == strommen
    session = go_to_step(session, 3)
    clients[0].post(reverse("dialog:add_factor", args=[session.code]), {"step": 3, "text": "Tid"})
    factor = SuccessFactor.objects.get()
    facilitator.post(reverse("dialog:moderate", args=[session.pk, factor.pk]), {"op": "remove"})
    factor.refresh_from_db()
    assert factor.status == "hidden"


def test_exports_are_per_table_and_overall_and_never_formulas():
    session = make_session()
    anna = joined(session)
    go_to_step(session, 3)
    anna.post(
        reverse("dialog:add_factor", args=[session.code]), {"step": 3, "text": '=HYPERLINK("x")'}
    )
    anna.post(reverse("dialog:add_factor", args=[session.code]), {"step": 3, "text": "Delaktighet"})
    facilitator = logged_in(session.facilitator)
    response = facilitator.get(reverse("dialog:csv", args=[session.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Bord", "Steg", "Typ", "Text", "Status"]
    texts = [row[3] for row in rows[1:]]
    assert '\'=HYPERLINK("x")' in texts and "Delaktighet" in texts
    table = session.tables.get()
    per_table = facilitator.get(reverse("dialog:table_csv", args=[session.pk, table.pk]))
    assert per_table.status_code == 200 and "Eldkvarn" in per_table.content.decode("utf-8-sig")
    summary = facilitator.get(reverse("dialog:summary", args=[session.pk])).content.decode()
    assert "Delaktighet" in summary


def test_a_chosen_answer_becomes_an_action_item_and_a_proposal_the_manager_answers():
    session = make_session()
    anna = joined(session)
    go_to_step(session, 3)
    anna.post(
        reverse("dialog:add_factor", args=[session.code]), {"step": 3, "text": "Reflektionstid"}
    )
    factor = SuccessFactor.objects.get()
    manager = make_facilitator("chef")
    facilitator = logged_in(session.facilitator)
    url = reverse("dialog:follow_up", args=[session.pk])
    assert "Reflektionstid" in facilitator.get(f"{url}?faktor={factor.pk}").content.decode()
    done = facilitator.post(
        url,
        {
            "kind": "item",
            "factor": factor.pk,
            "item-text": "Ta upp på APT",
            "item-owner": manager.pk,
            "item-due": "2099-01-31",
        },
    )
    assert done.status_code == 302
    facilitator.post(
        url,
        {
            "kind": "proposal",
            "factor": factor.pk,
            "proposal-text": "Reflektionsdag",
            "proposal-manager": manager.pk,
            "proposal-answer_days": "10",
        },
    )
    proposal = session.proposals.get()
    chef = logged_in(manager)
    assert "Reflektionsdag" in chef.get(reverse("dialog:mine")).content.decode()
    chef.post(
        reverse("dialog:decide", args=[proposal.pk]),
        {"status": "accepted", "decision": "Ja, från mars."},
    )
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    summary = facilitator.get(reverse("dialog:summary", args=[session.pk])).content.decode()
    assert "Ta upp på APT" in summary and "Ja, från mars." in summary


def test_the_polling_fallback_gives_the_live_part_and_the_step():
    session = make_session()
    anna = joined(session)
    go_to_step(session, 1)
    response = anna.get(reverse("dialog:participant_live", args=[session.code]))
    assert response["X-Dialog-Step"] == "1"
    assert "Steg 1 av 3" in response.content.decode()


def test_a_finished_session_thanks_its_participants():
    session = make_session()
    anna = joined(session)
    actions.finish_session(session=session, by=session.facilitator)
    assert "Mötet är slut" in page(anna, session) or "avslutat" in page(anna, session)
