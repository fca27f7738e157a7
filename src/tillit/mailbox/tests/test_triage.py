"""The untriaged queue and triage over HTTP: a case type, then answer, hand over or discard, in
one form; refusals in Swedish beside the field; only the mailbox's unit sees its mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tillit.cases.models import Attachment, Case, Handover
from tillit.cases.states import EventKind, Status
from tillit.catalogue.tests.factories import CaseTypeFactory
from tillit.mailbox import actions
from tillit.mailbox.models import OutboundMessage
from tillit.mailbox.samples import PDF, citizen_mail


@pytest.fixture
def triage(mail_world):
    world = mail_world.world
    client = Client()
    client.force_login(world.centre_staff)
    result = actions.ingest_message(
        mailbox=mail_world.mailbox,
        raw=citizen_mail(
            html="<p>Hej <script>alert(1)</script><b>där</b></p>",
            attachments=[("karta.pdf", "application/pdf", PDF)],
        ),
    )
    case = Case.objects.get(pk=result.case_id)
    resolves = CaseTypeFactory(administration=world.administration, centre_resolves=True)
    return mail_world, client, case, resolves


def post(client, case, **data):
    return client.post(f"/brevlada/arende/{case.pk}/sortera/", data)


def test_the_queue_shows_the_units_untriaged_mail_and_whose_week_it_is(triage):
    mail_world, client, case, _type = triage
    page = client.get(f"/brevlada/{mail_world.mailbox.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert case.subject in html and case.registration_number in html
    assert "Kön delas av alla i Kundcenter" in html  # no hero rota yet: the whole unit
    other = Client()
    other.force_login(mail_world.world.admin_staff)
    assert other.get(f"/brevlada/{mail_world.mailbox.pk}/").status_code == 404
    assert other.get(f"/brevlada/arende/{case.pk}/sortera/").status_code == 404


def test_the_triage_page_shows_the_mail_safely(triage):
    _world, client, case, _type = triage
    html = client.get(f"/brevlada/arende/{case.pk}/sortera/").content.decode()
    assert "Björkvägen 12" in html
    assert "<script>alert" not in html  # the HTML version is sanitised and escaped in srcdoc
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in html
    assert "karta.pdf" in html


def test_answer_and_close_in_one_step(triage, django_capture_on_commit_callbacks):
    mail_world, client, case, case_type = triage
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(
            client, case, case_type=case_type.pk, outcome="resolve", message="Lampan lagas i dag."
        )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.case_type == case_type and case.status == Status.CLOSED
    assert case.handler == mail_world.world.centre_staff
    assert any("Lampan lagas i dag." in m.body for m in mail.outbox)


def test_answer_and_wait_makes_me_the_handler(triage):
    mail_world, client, case, case_type = triage
    post(client, case, case_type=case_type.pk, outcome="reply", message="Vilken lampa menar du?")
    case.refresh_from_db()
    assert case.status == Status.WAITING and case.handler == mail_world.world.centre_staff


def test_hand_over_offers_the_case_to_the_case_types_administration(triage):
    mail_world, client, case, _type = triage
    hands_over = CaseTypeFactory(administration=mail_world.world.administration)
    post(client, case, case_type=hands_over.pk, outcome="handover", message="Byt armaturen.")
    offer = Handover.objects.get(case=case)
    assert offer.to_unit == mail_world.world.administration and offer.expected == "Byt armaturen."
    case.refresh_from_db()
    assert case.owner_unit == mail_world.world.centre  # until the administration accepts


def test_discard_cancels_without_a_case_type(triage):
    _world, client, case, _type = triage
    post(client, case, outcome="discard", message="Reklam.")
    case.refresh_from_db()
    assert case.status == Status.CANCELLED


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"outcome": "reply", "message": "Hej"}, "case_type", "Välj en ärendetyp."),
        ({"outcome": "reply"}, "message", "Skriv svaret."),
        ({"outcome": "handover"}, "message", "Skriv meddelandet till den som tar över."),
        ({}, "outcome", "Välj vad som ska hända med mejlet."),
    ],
)
def test_refusals_are_swedish_and_name_the_field(triage, data, field, text):
    _world, client, case, case_type = triage
    if field != "case_type":
        data = {"case_type": case_type.pk, **data}
    answer = post(client, case, **data)
    assert answer.status_code == 400
    assert text in answer.context["form"].errors[field]
    assert text in answer.content.decode()
    case.refresh_from_db()
    assert case.case_type != case_type  # nothing changed


def test_hand_over_is_refused_for_a_type_the_centre_resolves_itself(triage):
    _world, client, case, case_type = triage
    answer = post(client, case, case_type=case_type.pk, outcome="handover", message="Ta den.")
    assert answer.status_code == 400
    assert "besvara ärendet i stället" in answer.content.decode()


def test_a_case_already_triaged_by_a_colleague_is_not_triaged_twice(triage):
    mail_world, client, case, case_type = triage
    actions.triage_case(
        case=case,
        by=mail_world.world.centre_colleague,
        outcome="reply",
        case_type=case_type,
        message="Jag tar den.",
    )
    answer = post(client, case, case_type=case_type.pk, outcome="resolve", message="Klart.")
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.handler == mail_world.world.centre_colleague


def test_attachments_are_served_only_through_the_case_access_check(triage):
    mail_world, client, case, _type = triage
    attachment = Attachment.objects.get(case=case)
    download = client.get(f"/brevlada/bilaga/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    other = Client()
    other.force_login(mail_world.world.admin_staff)
    assert other.get(f"/brevlada/bilaga/{attachment.pk}/").status_code == 404


def test_a_failed_send_can_be_stopped_from_the_case_with_csrf(triage, smtp):
    mail_world, client, case, _type = triage
    ack = OutboundMessage.objects.get(case=case)
    smtp.refuse.add("karin@example.se")
    actions.deliver_outbound(outbound_id=ack.pk)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(mail_world.world.centre_staff)
    assert strict.post(f"/brevlada/utgaende/{ack.pk}/stoppa/").status_code == 403
    assert client.post(f"/brevlada/utgaende/{ack.pk}/stoppa/", {"next": "/"}).status_code == 302
    ack.refresh_from_db()
    assert ack.status == "cancelled"
    assert case.events.filter(kind=EventKind.EMAIL_OUT, data__stopped=True).exists()


def test_the_start_page_and_menu_show_my_units_mailbox(triage):
    _mail_world, client, _case, _type = triage
    start = client.get("/").content.decode()
    assert "kc@testkoping.se" in start and "Att sortera: 1" in start
    assert 'href="/brevlada/"' in start


def test_administrators_edit_a_mailboxs_settings_but_never_make_or_delete_one(mail_world):
    admin = mail_world.world.registrar
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/mailbox/mailbox/").status_code == 200
    page = client.get(f"/admin/mailbox/mailbox/{mail_world.mailbox.pk}/change/")
    assert page.status_code == 200 and "kc@testkoping.se" in page.content.decode()
    assert client.get("/admin/mailbox/mailbox/add/").status_code == 403


def test_the_menu_shows_the_mailbox_only_to_people_whose_unit_has_one(mail_world):
    world = mail_world.world
    staff, other = Client(), Client()
    staff.force_login(world.centre_staff)
    other.force_login(world.admin_staff)
    assert 'href="/brevlada/"' in staff.get("/").content.decode()
    assert 'href="/brevlada/"' not in other.get("/").content.decode()
    mail_world.mailbox.is_active = False
    mail_world.mailbox.save()
    assert 'href="/brevlada/"' not in staff.get("/").content.decode()
