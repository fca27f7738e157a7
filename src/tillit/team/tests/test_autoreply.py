"""The absence auto-reply (issue 6): names who helps, in Swedish and English, once per sender
and day, never to automatic mail or lists. The mailbox sends it; these are its contracts."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections

from tillit.team import actions, queries
from tillit.team.models import AutoReplyClaim
from tillit.team.periods import local
from tillit.team.states import AbsenceKind, DayPart
from tillit.team.tests.factories import TODAY, book, make_team, working_day


@pytest.mark.django_db
def test_nobody_away_gets_no_auto_reply():
    team = make_team()
    assert queries.absence_auto_reply(team.people[0], local(TODAY) + timedelta(hours=9)) is None


@pytest.mark.django_db
def test_the_reply_names_the_cover_in_both_languages_and_when_the_person_is_back():
    team = make_team()
    anna, bo = team.people[:2]
    day = working_day(2)  # a Wednesday
    book(anna, day, cover=bo)
    subject, body = queries.absence_auto_reply(anna, local(day) + timedelta(hours=9))
    assert subject == (f"Autosvar: {anna} är inte på plats / Auto-reply: {anna} is away")
    swedish, english = body.split("-- In English --")
    assert f"Till dess hjälper {bo} dig: {bo.email}" in swedish
    assert "torsdag 6 mars" in swedish  # back the next working day
    assert f"Until then {bo} helps you: {bo.email}" in english
    assert "Thursday 6 March" in english
    assert queries.absence_auto_reply(anna, local(day + timedelta(days=1))) is None


@pytest.mark.django_db
def test_a_morning_off_is_back_at_noon_and_edited_texts_keep_only_known_placeholders():
    team = make_team()
    anna, bo = team.people[:2]
    day = working_day(1)
    book(
        anna,
        day,
        cover=bo,
        part=DayPart.MORNING,
        reply_sv="Ring {cover} på {cover_phone}. {cover.__class__} {okänd}",
        reply_en="Back {back}.",
    )
    bo.phone = "0123-45 67 89"
    bo.save(update_fields=["phone"])
    _subject, body = queries.absence_auto_reply(anna, local(day) + timedelta(hours=8))
    assert f"Ring {bo} på 0123-45 67 89. {{cover.__class__}} {{okänd}}" in body
    assert "Back on Tuesday 4 March at noon." in body


@pytest.mark.django_db
def test_without_a_cover_the_reply_names_the_units_hero():
    team = make_team(4, hero_rota=True)
    hero = queries.hero_week_of(team.unit, working_day(8)).person
    away = next(p for p in team.people if p != hero)
    book(away, working_day(8), kind=AbsenceKind.VACATION)
    _subject, body = queries.absence_auto_reply(away, local(working_day(8)) + timedelta(hours=9))
    assert f"Till dess hjälper {hero} dig" in body


@pytest.mark.django_db
def test_one_reply_per_sender_and_day_whatever_the_spelling():
    team = make_team()
    anna = team.people[0]
    assert actions.claim_auto_reply(person=anna, sender="Karin <Karin@Example.se>", on=TODAY)
    assert not actions.claim_auto_reply(person=anna, sender="karin@example.se", on=TODAY)
    assert actions.claim_auto_reply(person=anna, sender="karin@example.se", on=working_day(1))
    assert actions.claim_auto_reply(person=anna, sender="olle@example.se", on=TODAY)
    assert actions.claim_auto_reply(person=team.people[1], sender="karin@example.se", on=TODAY)
    assert not actions.claim_auto_reply(person=anna, sender="not an address", on=TODAY)
    assert queries.auto_reply_sent(anna, "KARIN@example.se", TODAY)


@pytest.mark.parametrize(
    ("headers", "sender", "automatic"),
    [
        ({}, "karin@example.se", False),
        ({"Auto-Submitted": "no"}, "karin@example.se", False),
        ({"Auto-Submitted": "auto-replied"}, "karin@example.se", True),
        ({"Auto-Submitted": "auto-generated"}, "karin@example.se", True),
        ({"Precedence": "bulk"}, "karin@example.se", True),
        ({"Precedence": "list"}, "karin@example.se", True),
        ({"List-Id": "<grannar.example.se>"}, "karin@example.se", True),
        ({"List-Unsubscribe": "<mailto:x@example.se>"}, "karin@example.se", True),
        ({"X-Autoreply": "yes"}, "karin@example.se", True),
        ({"X-Auto-Response-Suppress": "OOF, AutoReply"}, "karin@example.se", True),
        ({"Return-Path": "<>"}, "karin@example.se", True),
        ({}, "MAILER-DAEMON@example.se", True),
        ({}, "no-reply@skatteverket.example", True),
        ({}, "noreply@example.se", True),
        ({}, "", True),
    ],
)
def test_automatic_mail_and_lists_never_get_a_reply(headers, sender, automatic):
    assert queries.is_automatic_mail(headers, sender) is automatic


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_claim_one_reply():
    """Threads race on the unique constraint (on PostgreSQL truly at once)."""
    team = make_team(prefix="race")
    anna = team.people[0]
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def deliver() -> None:
        try:
            barrier.wait()
            results.append(
                actions.claim_auto_reply(person=anna, sender="karin@example.se", on=TODAY)
            )
        finally:
            close_old_connections()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert AutoReplyClaim.objects.filter(person=anna).count() == 1
