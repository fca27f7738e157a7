"""A poll batch in one transaction: the same outcome as one message at a time (one case per new
message, answers join, nothing doubled, the IMAP position moved), all or nothing, a bad message
never holding up the others, and far fewer queries per message."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.cases.models import Case, Party
from tillit.cases.states import EventKind
from tillit.cases.tests.factories import register
from tillit.mailbox import actions
from tillit.mailbox.models import InboundMessage, OutboundMessage
from tillit.mailbox.samples import citizen_mail
from tillit.mailbox.states import InboundStatus


def batch_of(*raws: bytes, first_uid: int = 1) -> list[actions.Fetched]:
    return [actions.Fetched(first_uid + n, raw) for n, raw in enumerate(raws)]


def ingest(mail_world, fetched: list[actions.Fetched]) -> list[actions.Ingested]:
    return actions.ingest_batch(mailbox=mail_world.mailbox, fetched=fetched, uidvalidity=9)


def test_a_batch_routes_each_message_as_one_at_a_time_would(
    mail_world, django_capture_on_commit_callbacks
):
    known = register(mail_world.world).party  # Karin, known by her address
    raws = [
        citizen_mail(subject="Trasig gatlampa", message_id="a@example.se"),
        citizen_mail(
            subject="Snöröjning", message_id="b@example.se", sender="Olle <olle@example.se>"
        ),
        citizen_mail(
            subject="SV: Trasig gatlampa",
            body="Den är fortfarande släckt.",
            message_id="c@example.se",
            in_reply_to="a@example.se",  # answers the first message of this very batch
            references=["a@example.se"],
        ),
        citizen_mail(
            subject="Automatiskt svar", headers={"Auto-Submitted": "auto-replied"}, message_id="d@x"
        ),
        citizen_mail(subject="Trasig gatlampa", message_id="a@example.se"),  # the same again
        citizen_mail(subject="Buller", message_id="e@example.se", sender="olle@example.se"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        results = ingest(mail_world, batch_of(*raws))
    assert [r.status for r in results] == [
        InboundStatus.NEW_CASE,
        InboundStatus.NEW_CASE,
        InboundStatus.JOINED,
        InboundStatus.IGNORED,
        "duplicate",
        InboundStatus.NEW_CASE,
    ]
    first, olle, answer, _auto, _again, olle_again = results
    assert answer.case_id == first.case_id
    assert Case.objects.count() == 4  # the known citizen's case and three new ones
    assert Case.objects.get(pk=first.case_id).party == known
    assert Case.objects.get(pk=olle.case_id).party == Case.objects.get(pk=olle_again.case_id).party
    assert Party.objects.count() == 2  # Olle twice in one batch is one party
    kinds = [e.kind for e in Case.objects.get(pk=first.case_id).events.all()]
    assert kinds[:2] == [EventKind.CREATED, EventKind.EMAIL_IN]
    assert EventKind.CITIZEN_MESSAGE in kinds
    numbers = sorted(Case.objects.values_list("registration_number", flat=True))
    assert len(set(numbers)) == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "karin@example.se",
        "olle@example.se",
        "olle@example.se",
    ]
    mail_world.mailbox.refresh_from_db()
    assert (mail_world.mailbox.uidvalidity, mail_world.mailbox.last_uid) == (9, 6)


def test_a_message_that_fails_on_its_own_does_not_hold_up_the_rest_of_its_batch(
    mail_world, monkeypatch
):
    body = actions._body

    def fails_for_one(text: str) -> str:
        if "TRASIG" in text:
            raise RuntimeError("databasen svarade konstigt")
        return body(text)

    monkeypatch.setattr(actions, "_body", fails_for_one)
    raws = [citizen_mail(subject=f"Fråga {n}", message_id=f"q{n}@example.se") for n in range(4)]
    raws[2] = citizen_mail(body="TRASIG", message_id="bad@example.se")
    results = ingest(mail_world, batch_of(*raws, first_uid=10))
    assert [r.status for r in results] == [
        InboundStatus.NEW_CASE,
        InboundStatus.NEW_CASE,
        InboundStatus.FAILED,
        InboundStatus.NEW_CASE,
    ]
    assert Case.objects.count() == 3
    failed = InboundMessage.objects.get(status=InboundStatus.FAILED)
    assert "konstigt" in failed.error and bytes(failed.raw) == raws[2]
    mail_world.mailbox.refresh_from_db()
    assert mail_world.mailbox.last_uid == 13


def test_a_batch_is_all_or_nothing(mail_world, monkeypatch):
    """Nothing of a batch is stored, not even the IMAP position, until all of it is."""

    def dies(*args, **kwargs):
        raise KeyboardInterrupt  # not an error a message can cause: the process is going down

    monkeypatch.setattr(actions, "_advance", dies)
    raws = [citizen_mail(subject=f"Fråga {n}", message_id=f"q{n}@example.se") for n in range(3)]
    with pytest.raises(KeyboardInterrupt):
        ingest(mail_world, batch_of(*raws))
    assert not Case.objects.exists() and not InboundMessage.objects.exists()
    assert not OutboundMessage.objects.exists()
    monkeypatch.undo()
    results = ingest(mail_world, batch_of(*raws))
    assert [r.status for r in results] == [InboundStatus.NEW_CASE] * 3


def test_the_daily_acknowledgement_limit_holds_inside_one_batch(
    mail_world, settings, django_capture_on_commit_callbacks
):
    settings.TILLIT_MAILBOX_ACKS_PER_SENDER_PER_DAY = 2
    with django_capture_on_commit_callbacks(execute=True):
        ingest(mail_world, batch_of(citizen_mail(subject="Fråga 0", message_id="0@x.se")))
        raws = [citizen_mail(subject=f"Fråga {n}", message_id=f"{n}@x.se") for n in range(1, 5)]
        ingest(mail_world, batch_of(*raws, first_uid=2))
    assert Case.objects.count() == 5 and len(mail.outbox) == 2


def test_a_batch_of_new_messages_costs_a_few_queries_not_a_few_per_message(mail_world):
    def messages(start: int) -> list[actions.Fetched]:
        raws = [
            citizen_mail(
                subject=f"Fråga {n}", message_id=f"{n}@x.se", sender=f"Invånare <i{n}@x.se>"
            )
            for n in range(start, start + 25)
        ]
        return batch_of(*raws, first_uid=start + 1)

    ingest(mail_world, messages(0))  # the first of the year's series, the calendars: warm
    with CaptureQueriesContext(connection) as queries:
        results = ingest(mail_world, messages(25))
    assert [r.status for r in results] == [InboundStatus.NEW_CASE] * 25
    assert len(queries) <= 20, [q["sql"][:80] for q in queries]
