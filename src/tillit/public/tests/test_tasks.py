"""Background work: the receipt e-mail goes once per case in the citizen's language, and the
sweeper removes what rolled-back uploads and old message forms left behind."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from tillit.cases.parties import PartyInput
from tillit.public.actions import submit_case
from tillit.public.models import ReceivedMessage
from tillit.public.tasks import send_receipt, sweep_uploads


def web_case(world, email="karin@example.se"):
    return submit_case(
        submission_key="task-test-key-01",
        case_type=world.case_type,
        subject="Trasig gatlampa",
        description="Lampan är släckt.",
        party=PartyInput(name="Karin Nyström", email=email),
    )


def test_the_receipt_is_sent_once_however_often_the_task_runs(world):
    submission = web_case(world)
    assert send_receipt.call(submission.case.pk, "sv") is True
    assert send_receipt.call(submission.case.pk, "sv") is False  # a retried task sends nothing
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"/e-tjanst/arende/{submission.token}/" in body
    assert "Du kan räkna med svar senast" in body
    assert "Hej Karin Nyström," in body


def test_the_receipt_follows_the_language_of_the_form(world):
    submission = web_case(world)
    send_receipt.call(submission.case.pk, "en")
    assert mail.outbox[0].subject == (
        f"Your case {submission.case.registration_number} has been received"
    )


def test_no_receipt_without_an_address(world):
    submission = web_case(world, email="")
    assert send_receipt.call(submission.case.pk, "sv") is False
    assert mail.outbox == []


def test_the_sweeper_forgets_old_message_form_keys(world):
    case = web_case(world).case
    old = ReceivedMessage.objects.create(key="old", case_id=case.pk)
    ReceivedMessage.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - timedelta(days=31)
    )
    ReceivedMessage.objects.create(key="new", case_id=case.pk)
    sweep_uploads.call()
    assert list(ReceivedMessage.objects.values_list("key", flat=True)) == ["new"]
