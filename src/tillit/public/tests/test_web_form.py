"""The public web form: a citizen without an account submits a case of a public case type, with
attachments, and gets a receipt with the number, the expected answer date and a private link.
Every refusal is clear, field by field, in Swedish, and changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tillit.cases.models import Attachment, Case, CaseEvent
from tillit.cases.states import Channel, EventKind, Status
from tillit.catalogue.tests.factories import CaseTypeFactory
from tillit.public.forms import new_form_key
from tillit.public.tests import samples
from tillit.public.tests.helpers import case_data, form_key, status_path, submit

NEW = "/e-tjanst/nytt-arende/"


def test_the_start_page_lists_public_case_types_by_administration(world, client):
    world.case_type.service_description = "Vi svarar på frågor om bygglov för altaner."
    world.case_type.public_name = "Fråga om bygglov"
    world.case_type.save()
    CaseTypeFactory(administration=world.other, name="Intern rutin", is_public=False)
    CaseTypeFactory(administration=world.other, name="Gammal tjänst", is_active=False)
    page = client.get("/e-tjanst/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bygglov" in html and "Fråga om bygglov" in html
    assert "Vi svarar på frågor om bygglov för altaner." in html
    assert f"?typ={world.case_type.code}" in html
    assert "Intern rutin" not in html and "Gammal tjänst" not in html


def test_a_chosen_case_type_is_preselected_with_its_service_description(world, client):
    world.case_type.service_description = "Handläggningstiden är två veckor."
    world.case_type.save()
    html = client.get(f"{NEW}?typ={world.case_type.code}").content.decode()
    assert f'<option value="{world.case_type.pk}" selected>' in html
    assert "Handläggningstiden är två veckor." in html


def test_a_submitted_form_registers_a_web_case_and_shows_the_receipt(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, world, personal_number="811218-9876")
    assert response.status_code == 302 and response["Location"] == "/e-tjanst/kvitto/"
    case = Case.objects.get()
    assert case.channel == Channel.WEB and case.status == Status.NEW
    assert case.subject == "Trasig gatlampa på Storgatan"
    assert case.owner_unit == world.centre  # routing: the centre registers, then hands over
    assert case.party.name == "Karin Nyström" and case.party.personal_number == "198112189876"
    created = CaseEvent.objects.get(case=case, kind=EventKind.CREATED)
    assert created.actor is None and created.actor_label == "invånare"

    receipt = client.get("/e-tjanst/kvitto/")
    html = receipt.content.decode()
    assert case.registration_number in html
    assert "Förväntat svar" in html
    link = status_path(html)
    assert client.get(link).status_code == 200
    assert receipt["Cache-Control"] == "no-store, private"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karin@example.se"]
    assert case.registration_number in message.subject
    assert link in message.body


def test_the_status_link_is_shown_only_once(world, client):
    submit(client, world)
    first = client.get("/e-tjanst/kvitto/").content.decode()
    link = status_path(first)
    again = client.get("/e-tjanst/kvitto/").content.decode()
    assert link not in again
    assert Case.objects.get().registration_number in again
    assert "visas bara en gång" in again


def test_the_token_is_not_stored_in_clear(world, client):
    submit(client, world)
    link = status_path(client.get("/e-tjanst/kvitto/").content.decode())
    token = link.rstrip("/").rsplit("/", 1)[1]
    case = Case.objects.get()
    assert token not in (case.citizen_token_hash or "")
    from django.contrib.sessions.models import Session

    assert all(token not in str(s.get_decoded()) for s in Session.objects.all())


def test_no_receipt_mail_without_an_address(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, world, email="")
    assert Case.objects.count() == 1
    assert mail.outbox == []


def test_the_same_form_sent_twice_makes_one_case(world, client):
    key = form_key(client, NEW)
    first = client.post(NEW, case_data(world, key))
    second = client.post(NEW, case_data(world, key))  # double click, or back and send again
    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    receipt = client.get("/e-tjanst/kvitto/").content.decode()
    assert "redan skickat" in receipt
    assert Case.objects.get().registration_number in receipt


def test_back_changed_and_resent_still_makes_one_case(world, client):
    key = form_key(client, NEW)
    client.post(NEW, case_data(world, key))
    client.post(NEW, case_data(world, key, subject="Ändrad rubrik"))
    assert list(Case.objects.values_list("subject", flat=True)) == ["Trasig gatlampa på Storgatan"]


def test_a_forged_form_key_is_refused_and_a_fresh_one_drawn(world, client):
    response = client.post(NEW, case_data(world, "made-up-key"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Formuläret var öppet för länge" in html
    assert not Case.objects.exists()
    fresh = re.search(r'name="form_key" value="([^"]+)"', html).group(1)
    assert fresh != "made-up-key"
    assert client.post(NEW, case_data(world, fresh)).status_code == 302


def test_an_expired_form_key_is_refused(world, client, monkeypatch):
    key = new_form_key("case")
    monkeypatch.setattr("tillit.public.forms.FORM_KEY_AGE", -1)
    response = client.post(NEW, case_data(world, key))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_key_for_the_message_form_is_not_accepted_here(world, client):
    response = client.post(NEW, case_data(world, new_form_key("message")))
    assert response.status_code == 400


def test_the_honeypot_refuses_clearly_and_registers_nothing(world, client):
    response = submit(client, world, website="http://spam.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Lämna fältet tomt" in html
    assert "automatiska program" in html
    assert not Case.objects.exists()


def test_missing_fields_are_named_one_by_one_in_swedish(world, client):
    response = submit(client, world, subject="", description="", name="", case_type="")
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Fältet måste fyllas i.") >= 4
    # The summary at the top links to each field; each field names its error.
    for field in ("id_subject", "id_description", "id_name", "id_case_type"):
        assert f'href="#{field}"' in html
        assert f'aria-describedby="{field}_helptext {field}_error"' in html or (
            f'aria-describedby="{field}_error"' in html
        )
        assert f'id="{field}_error"' in html
    assert not Case.objects.exists()


def test_an_invalid_personnummer_gets_a_clear_message(world, client):
    response = submit(client, world, personal_number="811218-9875")
    html = response.content.decode()
    assert response.status_code == 400
    assert "811218-9875 är inte ett giltigt personnummer eller samordningsnummer" in html
    assert 'aria-invalid="true"' in html
    assert not Case.objects.exists()


def test_an_invalid_email_and_phone_are_refused(world, client):
    response = submit(client, world, email="karin@", phone="ring mig")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Fyll i en giltig e-postadress." in html
    assert "Skriv telefonnumret med siffror" in html


@pytest.mark.parametrize("which", ["internal", "inactive", "unknown"])
def test_a_case_type_not_open_to_citizens_is_refused(world, client, which):
    if which == "internal":
        value = str(CaseTypeFactory(administration=world.other, is_public=False).pk)
    elif which == "inactive":
        value = str(CaseTypeFactory(administration=world.other, is_active=False).pk)
    else:
        value = "999999"
    response = submit(client, world, case_type=value)
    assert response.status_code == 400
    assert "Välj vad ditt ärende gäller i listan." in response.content.decode()
    assert not Case.objects.exists()


def test_attachments_are_stored_with_the_case(world, client):
    key = form_key(client, NEW)
    data = case_data(world, key)
    data["attachments"] = [
        samples.upload("lampan.jpg", samples.JPEG),
        samples.upload("karta.pdf", samples.pdf()),
    ]
    assert client.post(NEW, data).status_code == 302
    case = Case.objects.get()
    attachments = list(Attachment.objects.filter(case=case).order_by("id"))
    assert [a.original_name for a in attachments] == ["lampan.jpg", "karta.pdf"]
    assert [a.content_type for a in attachments] == ["image/jpeg", "application/pdf"]
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ATTACHMENT).count() == 1


def test_a_refused_attachment_names_the_file_and_registers_nothing(world, client, media):
    key = form_key(client, NEW)
    data = case_data(world, key)
    data["attachments"] = [
        samples.upload("ok.png", samples.png()),
        samples.upload("bilder.zip", samples.plain_zip()),
    ]
    response = client.post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "bilder.zip är ett arkiv" in html
    assert "välj dem igen" in html
    assert not Case.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_too_many_attachments_are_refused(world, client, settings):
    settings.TILLIT_ATTACHMENT_MAX_FILES = 2
    key = form_key(client, NEW)
    data = case_data(world, key)
    data["attachments"] = [samples.upload(f"{n}.png", samples.png()) for n in range(3)]
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "högst 2 filer" in response.content.decode()
    assert not Case.objects.exists()


def test_a_request_larger_than_all_files_together_is_refused_before_any_check(
    world, client, settings
):
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    settings.TILLIT_ATTACHMENT_MAX_FILES = 1
    key = form_key(client, NEW)
    data = case_data(world, key)
    data["attachments"] = [samples.upload("stor.pdf", samples.pdf(extra=b" " * 3 * 1024 * 1024))]
    response = client.post(NEW, data)
    assert response.status_code == 413
    assert "Filerna är för stora" in response.content.decode()
    assert not Case.objects.exists()


def test_the_rate_limit_refuses_clearly_per_address(world, settings):
    settings.TILLIT_PUBLIC_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR="192.0.2.10")
    assert submit(client, world).status_code == 302
    assert submit(client, world).status_code == 302
    refused = submit(client, world)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "För många försök" in refused.content.decode()
    assert Case.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.11")
    assert submit(other, world).status_code == 302


def test_the_rate_limit_counts_an_ipv6_network_together(world, settings):
    settings.TILLIT_PUBLIC_RATE_LIMIT = 1
    assert submit(Client(REMOTE_ADDR="2001:db8::1"), world).status_code == 302
    assert submit(Client(REMOTE_ADDR="2001:db8::2"), world).status_code == 429


def test_behind_a_proxy_the_forwarded_address_is_counted(world, settings):
    settings.TILLIT_PUBLIC_RATE_LIMIT = 1
    settings.AXES_IPWARE_PROXY_COUNT = 1
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert submit(first, world).status_code == 302
    assert submit(second, world).status_code == 302
    assert submit(first, world).status_code == 429


def test_the_form_needs_its_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    key = form_key(client, NEW)
    response = client.post(NEW, case_data(world, key))
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_a_secret_by_default_case_type_still_gives_the_citizen_their_link(world, client):
    world.case_type.default_secret = True
    world.case_type.save()
    submit(client, world)
    link = status_path(client.get("/e-tjanst/kvitto/").content.decode())
    case = Case.objects.get()
    assert case.is_secret
    page = client.get(link)
    assert page.status_code == 200
    assert case.registration_number in page.content.decode()


def test_the_form_is_in_english_when_asked(world, client):
    html = client.get(NEW, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Describe your case" in html and "Leave this field empty" in html
    html = client.get(NEW).content.decode()
    assert "Beskriv ditt ärende" in html
