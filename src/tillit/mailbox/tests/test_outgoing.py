"""E-mail out over a real SMTP server: replies leave from the functional address in the case's
thread, failed sends are retried with backoff and shown until they succeed or someone acts."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from tillit.cases import actions as case_actions
from tillit.cases.models import Case
from tillit.cases.panels import render_case_panels
from tillit.cases.queries import Access
from tillit.cases.states import EventKind
from tillit.mailbox import actions
from tillit.mailbox.models import OutboundMessage
from tillit.mailbox.samples import citizen_mail, message_id_of
from tillit.mailbox.states import OutboundKind, OutboundStatus


def new_case(mail_world, raw: bytes | None = None) -> Case:
    result = actions.ingest_message(mailbox=mail_world.mailbox, raw=raw or citizen_mail())
    return Case.objects.get(pk=result.case_id)


def test_a_reply_goes_out_from_the_functional_address_in_the_citizens_thread(
    mail_world, smtp, django_capture_on_commit_callbacks
):
    raw = citizen_mail()
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(mail_world, raw)
        case_actions.add_reply(
            case=case, by=mail_world.world.centre_staff, body="Vi har beställt en ny lampa."
        )
    ack, reply = smtp.to("karin@example.se")
    assert reply["From"].addresses[0].addr_spec == "kc@testkoping.se"
    assert f"[{case.registration_number}]" in reply["Subject"]
    assert reply["Subject"].strip().startswith("SV: Trasig gatlampa")
    assert reply["In-Reply-To"] == f"<{message_id_of(raw)}>"
    assert reply["References"].split() == [f"<{message_id_of(raw)}>", ack["Message-ID"]]
    assert "Vi har beställt en ny lampa." in reply.get_content()
    assert reply["Auto-Submitted"] is None  # a person wrote it
    sent = case.events.filter(kind=EventKind.EMAIL_OUT).order_by("id").last()
    assert sent.data["to"] == "karin@example.se" and sent.data["kind"] == OutboundKind.REPLY


def test_a_reply_on_a_phone_case_leaves_from_the_nearest_functional_address(
    mail_world, smtp, django_capture_on_commit_callbacks
):
    world = mail_world.world
    from tillit.cases.tests.factories import register

    case = register(world)
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.add_reply(case=case, by=world.centre_staff, body="Svar per telefon-ärende.")
    [reply] = smtp.to("karin@example.se")
    assert reply["From"].addresses[0].addr_spec == "kc@testkoping.se"
    assert reply["In-Reply-To"] is None


def test_a_failed_send_is_retried_with_backoff_until_it_goes_through(
    mail_world, smtp, django_capture_on_commit_callbacks
):
    smtp.unavailable = True
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(mail_world)
    ack = OutboundMessage.objects.get(case=case)
    assert ack.status == OutboundStatus.FAILED and ack.attempts == 1
    assert "451" in ack.last_error
    assert ack.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert actions.due_outbound() == []  # not before the backoff has passed
    smtp.unavailable = False
    later = timezone.now() + timedelta(minutes=2)
    assert actions.due_outbound(now=later) == [ack.pk]
    OutboundMessage.objects.filter(pk=ack.pk).update(next_attempt_at=timezone.now())
    from tillit.mailbox.tasks import retry_outbound

    retry_outbound.call()
    ack.refresh_from_db()
    assert ack.status == OutboundStatus.SENT and ack.attempts == 2
    assert len(smtp.to("karin@example.se")) == 1


def test_the_server_being_down_is_a_failure_to_retry(mail_world, smtp, settings):
    settings.EMAIL_PORT = smtp.port
    smtp.stop()
    case = new_case(mail_world)
    ack = OutboundMessage.objects.get(case=case)
    assert actions.deliver_outbound(outbound_id=ack.pk) == OutboundStatus.FAILED
    ack.refresh_from_db()
    assert ack.next_attempt_at is not None
    smtp.controller.start = lambda: None  # already stopped; the fixture's stop must not fail
    smtp.controller.stop = lambda: None


def test_a_permanent_refusal_stops_retrying_and_shows_on_the_case_until_someone_acts(
    mail_world, smtp, django_capture_on_commit_callbacks
):
    smtp.refuse.add("karin@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(mail_world)
    ack = OutboundMessage.objects.get(case=case)
    assert ack.status == OutboundStatus.FAILED and ack.next_attempt_at is None
    assert "550" in ack.last_error
    request = RequestFactory().get(f"/arenden/{case.pk}/")
    request.user = mail_world.world.centre_staff
    panel = "".join(render_case_panels(request, case, Access.WORK))
    assert "karin@example.se" in panel and "Skicka igen" in panel
    assert "Skicka igen" not in "".join(render_case_panels(request, case, Access.READ))
    actions.stop_outbound(outbound=ack, by=mail_world.world.centre_staff, reason="Fel adress")
    ack.refresh_from_db()
    assert ack.status == OutboundStatus.CANCELLED
    stopped = case.events.filter(kind=EventKind.EMAIL_OUT).last()
    assert stopped.data["stopped"] and stopped.actor == mail_world.world.centre_staff
    assert "Inte levererat" not in "".join(render_case_panels(request, case, Access.WORK))


def test_only_the_owning_unit_may_retry_or_stop_a_message(mail_world, smtp):
    case = new_case(mail_world)
    ack = OutboundMessage.objects.get(case=case)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.stop_outbound(outbound=ack, by=mail_world.world.admin_staff)


def test_someone_can_send_a_failed_message_again_after_the_fix(
    mail_world, smtp, django_capture_on_commit_callbacks
):
    smtp.refuse.add("karin@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(mail_world)
    ack = OutboundMessage.objects.get(case=case)
    smtp.refuse.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.retry_outbound(outbound=ack, by=mail_world.world.centre_staff)
    ack.refresh_from_db()
    assert ack.status == OutboundStatus.SENT and len(smtp.to("karin@example.se")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_message_send_it_once(smtp):
    from tillit.cases.tests.factories import make_world
    from tillit.mailbox.actions import set_up_mailbox

    world = make_world()
    mailbox = set_up_mailbox(unit=world.centre, address="kc@testkoping.se")
    case = Case.objects.get(pk=actions.ingest_message(mailbox=mailbox, raw=citizen_mail()).case_id)
    ack = OutboundMessage.objects.get(case=case)
    OutboundMessage.objects.filter(pk=ack.pk).update(
        status=OutboundStatus.PENDING, next_attempt_at=timezone.now()
    )
    smtp.received.clear()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def work() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(actions.deliver_outbound(outbound_id=ack.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(smtp.to("karin@example.se")) == 1  # never more than once
    assert outcomes.count(OutboundStatus.SENT) >= 1


def test_a_send_left_half_done_by_a_dead_worker_is_taken_up_after_its_lease(mail_world, smtp):
    case = new_case(mail_world)
    ack = OutboundMessage.objects.get(case=case)
    past = timezone.now() - timedelta(minutes=1)
    OutboundMessage.objects.filter(pk=ack.pk).update(
        status=OutboundStatus.SENDING, lease_until=past
    )
    assert ack.pk in actions.due_outbound()
    assert actions.deliver_outbound(outbound_id=ack.pk) == OutboundStatus.SENT


def test_a_reply_whose_send_task_was_lost_is_still_sent(mail_world, smtp):
    case = new_case(mail_world)
    event = case_actions.add_reply(case=case, by=mail_world.world.centre_staff, body="Svar.")
    # No on-commit callbacks ran: as if the process died between commit and enqueue.
    assert not OutboundMessage.objects.filter(event=event).exists()
    assert actions.queue_missing_replies() == 1
    assert actions.queue_missing_replies() == 0
    reply = OutboundMessage.objects.get(event=event)
    actions.deliver_outbound(outbound_id=reply.pk)
    assert smtp.to("karin@example.se")[-1]["Subject"].strip().startswith("SV:")


def test_an_away_handler_sends_their_auto_reply_once_per_sender_and_day(
    mail_world, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    world = mail_world.world
    monkeypatch.setattr(
        actions,
        "absence_auto_reply",
        lambda person, at: ("Reflektionsdag", "Jag läser min e-post i morgon."),
    )
    case = new_case(mail_world)
    case_actions.assign_case(case=case, handler=world.centre_staff, by=world.centre_staff)
    ack = OutboundMessage.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2):
            actions.ingest_message(
                mailbox=mail_world.mailbox,
                raw=citizen_mail(subject=f"Tillägg {number}", in_reply_to=ack.message_id),
            )
        actions.ingest_message(
            mailbox=mail_world.mailbox,
            raw=citizen_mail(
                in_reply_to=ack.message_id, headers={"Auto-Submitted": "auto-replied"}
            ),
        )
    auto = OutboundMessage.objects.get(kind=OutboundKind.AUTO_REPLY)
    assert auto.to_address == "karin@example.se" and auto.automatic
    [sent] = [m for m in smtp.to("karin@example.se") if "Reflektionsdag" in m["Subject"]]
    assert sent["Auto-Submitted"] == "auto-replied"
    assert f"[{case.registration_number}]" in sent["Subject"]
