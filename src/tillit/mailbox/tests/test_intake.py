"""E-mail in: a new message becomes a case in the untriaged queue, an answer joins its case,
nothing is made twice, and machines, lists and bounces are never answered (RFC 3834)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tillit.cases import actions as case_actions
from tillit.cases.models import Attachment, Case, Party
from tillit.cases.states import Channel, EventKind, Status
from tillit.cases.tests.factories import register
from tillit.mailbox import actions
from tillit.mailbox.models import InboundMessage, OutboundMessage
from tillit.mailbox.samples import EXE, PDF, PNG, citizen_mail, message_id_of
from tillit.mailbox.states import InboundStatus, OutboundStatus


def ingest(mail_world, raw: bytes, **kwargs):
    return actions.ingest_message(mailbox=mail_world.mailbox, raw=raw, **kwargs)


def test_a_new_email_becomes_a_case_in_the_untriaged_queue_and_is_acknowledged(
    mail_world, django_capture_on_commit_callbacks
):
    raw = citizen_mail()
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(mail_world, raw)
    case = Case.objects.get(pk=result.case_id)
    assert case.channel == Channel.EMAIL
    assert case.owner_unit == mail_world.world.centre
    assert case.case_type == mail_world.mailbox.intake_type
    assert case.subject == "Trasig gatlampa på Björkvägen"
    assert "Björkvägen 12" in case.description
    assert case.party.email == "karin@example.se" and case.party.name == "Karin Nyström"
    assert [e.kind for e in case.events.all()] == [
        EventKind.CREATED,
        EventKind.EMAIL_IN,
        EventKind.EMAIL_OUT,
    ]
    [ack] = mail.outbox
    sent = ack.message()
    assert ack.to == ["karin@example.se"]
    assert f"[{case.registration_number}]" in ack.subject
    assert case.due_date.strftime("%Y") in ack.body and case.registration_number in ack.body
    assert sent["In-Reply-To"] == f"<{message_id_of(raw)}>"
    assert sent["Auto-Submitted"] == "auto-replied"
    assert "kc@testkoping.se" in sent["From"]


def test_the_sender_is_matched_to_the_citizen_we_already_know(mail_world):
    known = register(mail_world.world).party
    result = ingest(mail_world, citizen_mail(sender="KARIN NYSTRÖM <Karin@Example.se>"))
    assert Case.objects.get(pk=result.case_id).party == known
    assert Party.objects.count() == 1


def test_a_redelivered_message_is_recognised_and_never_makes_a_second_case(mail_world):
    raw = citizen_mail(message_id="samma@example.se")
    first = ingest(mail_world, raw, uid=1)
    again = ingest(mail_world, b"Received: from elsewhere\r\n" + raw, uid=7)
    assert not first.duplicate and again.duplicate
    assert Case.objects.count() == 1 and InboundMessage.objects.count() == 1
    mail_world.mailbox.refresh_from_db()
    assert mail_world.mailbox.last_uid == 7  # the position still moves past the duplicate


def test_a_message_without_message_id_is_recognised_by_its_content(mail_world):
    raw = citizen_mail(message_id=False)
    ingest(mail_world, b"Received: by mx1\r\n" + raw)
    assert ingest(mail_world, b"Received: by mx2\r\n" + raw).duplicate
    assert Case.objects.count() == 1


def test_an_answer_to_our_email_joins_the_case_and_reopens_it_when_closed(
    mail_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ingest(mail_world, citizen_mail())
    case = Case.objects.get(pk=first.case_id)
    case_actions.close_case(case=case, by=mail_world.world.centre_staff, resolution="Klart.")
    ack = OutboundMessage.objects.get(case=case)
    answer = citizen_mail(
        subject=f"SV: {ack.subject}",
        body=(
            "Lampan är fortfarande trasig.\n\n"
            "Den 2 dec. 2026 skrev Kundcenter:\n> Tack för ditt meddelande"
        ),
        in_reply_to=ack.message_id,
        references=[message_id_of(citizen_mail()), ack.message_id],
    )
    with django_capture_on_commit_callbacks(execute=True):
        joined = ingest(mail_world, answer)
    case.refresh_from_db()
    assert joined.status == InboundStatus.JOINED and joined.case_id == case.pk
    assert Case.objects.count() == 1
    assert case.status == Status.IN_PROGRESS
    message = case.events.filter(kind=EventKind.CITIZEN_MESSAGE).get()
    assert message.body == "Lampan är fortfarande trasig."  # the quoted text is left out
    assert len(mail.outbox) == 1  # no second acknowledgement for an answer


def test_a_case_reference_in_the_subject_joins_that_case(mail_world):
    case = register(mail_world.world)
    result = ingest(
        mail_world,
        citizen_mail(subject=f"Komplettering [{case.registration_number.replace('0000', '')}]"),
    )
    assert result.case_id == case.pk
    assert case.events.filter(kind=EventKind.CITIZEN_MESSAGE).count() == 1


def test_an_answer_to_a_cancelled_case_starts_a_new_case_that_says_what_it_follows(mail_world):
    case = register(mail_world.world)
    case_actions.cancel_case(case=case, by=mail_world.world.centre_staff, reason="Dubblett")
    result = ingest(mail_world, citizen_mail(subject=f"Igen [{case.registration_number}]"))
    assert result.status == InboundStatus.NEW_CASE and result.case_id != case.pk
    email_in = Case.objects.get(pk=result.case_id).events.get(kind=EventKind.EMAIL_IN)
    assert email_in.data["follows"] == case.registration_number


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"List-Id": "<nyheter.example.se>"},
        {"Return-Path": "<>"},
    ],
    ids=["auto-submitted", "precedence", "list", "null-return-path"],
)
def test_machines_and_lists_are_never_acknowledged(
    mail_world, headers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(mail_world, citizen_mail(headers=headers))
    assert mail.outbox == []
    assert OutboundMessage.objects.count() == 0


def test_no_acknowledgement_to_our_own_functional_address(
    mail_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(mail_world, citizen_mail(sender="Kundcenter <kc@testkoping.se>"))
    assert mail.outbox == []


def test_an_auto_reply_answering_nothing_of_ours_is_set_aside_not_made_a_case(mail_world):
    result = ingest(
        mail_world, citizen_mail(subject="Frånvaro", headers={"Auto-Submitted": "auto-replied"})
    )
    assert result.status == InboundStatus.IGNORED and result.case_id is None
    assert Case.objects.count() == 0
    assert InboundMessage.objects.get().raw  # kept as it arrived


def test_an_auto_reply_to_our_acknowledgement_is_noted_but_never_reopens_the_case(
    mail_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = Case.objects.get(pk=ingest(mail_world, citizen_mail()).case_id)
    case_actions.close_case(case=case, by=mail_world.world.centre_staff)
    ack = OutboundMessage.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(
            mail_world,
            citizen_mail(
                subject="Automatiskt svar: Jag är ledig",
                in_reply_to=ack.message_id,
                headers={"Auto-Submitted": "auto-replied"},
            ),
        )
    case.refresh_from_db()
    assert result.status == InboundStatus.JOINED and case.status == Status.CLOSED
    assert not case.events.filter(kind=EventKind.CITIZEN_MESSAGE).exists()
    assert len(mail.outbox) == 1  # nothing goes back to the auto-responder


def test_a_bounce_of_our_message_marks_it_bounced_on_the_case(
    mail_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_id = ingest(mail_world, citizen_mail()).case_id
    ack = OutboundMessage.objects.get(case_id=case_id)
    assert ack.status == OutboundStatus.SENT
    report = (
        "From: Mail Delivery System <MAILER-DAEMON@example.se>\r\n"
        "To: kc@testkoping.se\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <studs-1@example.se>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nThe address karin@example.se does not exist.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.se\r\n"
        "\r\nFinal-Recipient: rfc822; karin@example.se\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{ack.message_id}>\r\n"
        "Subject: Vi har tagit emot\r\n--b--\r\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(mail_world, report)
    ack.refresh_from_db()
    assert result.case_id == case_id and ack.status == OutboundStatus.BOUNCED
    assert len(mail.outbox) == 1


def test_a_looping_sender_is_acknowledged_at_most_the_daily_limit(
    mail_world, settings, django_capture_on_commit_callbacks
):
    settings.TILLIT_MAILBOX_ACKS_PER_SENDER_PER_DAY = 2
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(4):
            ingest(mail_world, citizen_mail(subject=f"Fråga {number}"))
    assert Case.objects.count() == 4 and len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("utf-8", "Hälsningar från Åsa – tack!"),
        ("iso-8859-1", "Hälsningar från Åsa, tack!"),
        ("windows-1252", "Hälsningar från Åsa – ”tack”!"),
    ],
)
def test_swedish_charsets_decode_correctly(mail_world, charset, text):
    raw = citizen_mail(subject=f"Ärende om {text}", body=text, charset=charset)
    case = Case.objects.get(pk=ingest(mail_world, raw).case_id)
    assert case.description == text and case.subject == f"Ärende om {text}"


def test_latin1_mislabelled_windows_1252_and_unlabelled_8bit_still_read_right(mail_world):
    raw = (
        b"From: =?iso-8859-1?q?P=E4r_=C5berg?= <par@example.se>\r\nTo: kc@testkoping.se\r\n"
        b"Subject: =?iso-8859-1?q?S=F6kes:_sn=F6r=F6jning?=\r\nMessage-ID: <latin@example.se>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
    ) + "Gatan är inte plogad \u2013 ingen snöröjning.".encode("cp1252")
    case = Case.objects.get(pk=ingest(mail_world, raw).case_id)
    assert case.subject == "Sökes: snöröjning" and case.party.name == "Pär Åberg"
    assert case.description == "Gatan är inte plogad – ingen snöröjning."
    unlabelled = raw.replace(b"; charset=iso-8859-1", b"").replace(b"<latin@", b"<utan@")
    assert "snöröjning" in Case.objects.get(pk=ingest(mail_world, unlabelled).case_id).description


def test_html_only_mail_is_sanitised_and_read_as_text(mail_world):
    html = (
        '<html><head><style>p{color:red}</style></head><body><p onclick="x()">Hej!</p>'
        "<script>alert(1)</script><p>Soptunnan <b>töms inte</b>.</p>"
        '<img src="https://spår.example/pixel.gif"><a href="javascript:alert(1)">klicka</a>'
        "<ul><li>Ett</li><li>Två</li></ul></body></html>"
    )
    result = ingest(mail_world, citizen_mail(body="", html=html))
    message = InboundMessage.objects.get(pk=result.message_id)
    for bad in ("<script", "onclick", "<img", "javascript:", "<style"):
        assert bad not in message.body_html
    assert "<b>töms inte</b>" in message.body_html
    assert message.body_text.startswith("Hej!\nSoptunnan töms inte.")
    assert "• Ett" in message.body_text
    assert Case.objects.get(pk=result.case_id).description == message.body_text


def test_attachments_are_sniffed_size_limited_and_stored_with_the_case(mail_world, settings):
    settings.TILLIT_MAILBOX_MAX_ATTACHMENT_BYTES = 2000
    raw = citizen_mail(
        attachments=[
            ("../../ritning.pdf", "application/pdf", PDF),
            ("foto.jpg", "image/jpeg", PNG),  # labelled JPEG, really PNG: stored as PNG
            ("faktura.pdf", "application/pdf", EXE),  # an executable pretending to be a PDF
            ("stor.pdf", "application/pdf", PDF + b" " * 3000),
        ]
    )
    case = Case.objects.get(pk=ingest(mail_world, raw).case_id)
    stored = {a.original_name: a.content_type for a in Attachment.objects.filter(case=case)}
    assert stored == {"ritning.pdf": "application/pdf", "foto.jpg": "image/png"}
    event = case.events.get(kind=EventKind.EMAIL_IN)
    assert {r["name"]: r["reason"] for r in event.data["refused"]} == {
        "faktura.pdf": "type_not_allowed",
        "stor.pdf": "too_large",
    }
    pdf = Attachment.objects.get(case=case, original_name="ritning.pdf")
    assert pdf.file.name.startswith("mailbox/") and pdf.file.read() == PDF and pdf.event == event


def test_a_message_that_cannot_be_routed_is_kept_and_shown_never_lost(mail_world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("databasen svarade konstigt")

    monkeypatch.setattr(actions, "_route", broken)
    result = ingest(mail_world, citizen_mail(), uid=3)
    message = InboundMessage.objects.get(pk=result.message_id)
    assert message.status == InboundStatus.FAILED and "konstigt" in message.error
    mail_world.mailbox.refresh_from_db()
    assert mail_world.mailbox.last_uid == 3
    monkeypatch.undo()
    again = actions.reprocess_message(message=message, by=mail_world.world.centre_staff)
    assert again.status == InboundStatus.NEW_CASE and Case.objects.count() == 1


def test_citizens_still_reach_only_public_case_types(mail_world):
    """register_case(by=None) refuses internal types unless a system intake path registers."""
    with pytest.raises(ValidationError) as refused:
        case_actions.register_case(
            channel=Channel.WEB,
            subject="Försök",
            case_type=mail_world.mailbox.intake_type,
            by=None,
        )
    assert "case_type" in refused.value.error_dict
