"""The status page behind the citizen's private link: the case's number, status, owner and
expected answer, the replies and the citizen's own messages and files (never internal notes), and
a form to add information that lands in the case log. Unknown and expired links get one answer."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tillit.cases import actions
from tillit.cases.attachments import check_files, store_files
from tillit.cases.models import Case, CaseEvent
from tillit.cases.states import EventKind, Status
from tillit.public.tests import samples
from tillit.public.tests.helpers import form_key, status_path, submit


@pytest.fixture
def followed(world, client):
    """A citizen's web case and the path of its status page."""
    submit(client, world)
    path = status_path(client.get("/e-tjanst/kvitto/").content.decode())
    return Case.objects.get(), path


def without_csrf(response) -> str:
    """The page without what differs by request: CSRF tokens, the language form's return path."""
    return re.sub(
        r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value="|name="next" type="hidden" value=")'
        r'[^"]+',
        "",
        response.content.decode(),
    )


def send(client, path, body, attachments=()):
    data = {"form_key": form_key(client, path), "body": body}
    if attachments:
        data["attachments"] = list(attachments)
    return client.post(path, data)


def test_the_page_shows_number_status_owner_and_expected_answer(world, client, followed):
    case, path = followed
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert case.registration_number in html
    assert "Mottaget, ännu inte påbörjat" in html
    assert world.centre.name in html
    assert "Förväntat svar" in html
    assert "Lampan utanför Storgatan 12" in html  # the citizen's own description
    assert page["Cache-Control"] == "no-store, private"
    assert page["Referrer-Policy"] == "same-origin"
    assert "noindex" in page["X-Robots-Tag"]


def test_replies_are_shown_and_internal_notes_never(world, client, followed):
    case, path = followed
    actions.add_note(case=case, by=world.centre_staff, body="Invånaren har ringt tidigare.")
    actions.add_reply(case=case, by=world.centre_staff, body="Vi har skickat en felanmälan.")
    html = client.get(path).content.decode()
    assert "Vi har skickat en felanmälan." in html
    assert "Invånaren har ringt tidigare." not in html


def test_the_owner_shown_follows_an_accepted_hand_over(world, client, followed):
    case, path = followed
    handover = actions.offer_handover(
        case=case, to_unit=world.administration, by=world.centre_staff, done="x", expected="y"
    )
    assert world.centre.name in client.get(path).content.decode()  # offered, not yet moved
    actions.accept_handover(handover=handover, by=world.admin_staff)
    html = client.get(path).content.decode()
    assert world.administration.name in html and "Handläggs" in html


def test_a_message_lands_in_the_case_log(world, client, followed):
    case, path = followed
    response = send(client, path, "Lampan blinkar nu också.")
    assert response.status_code == 302 and response["Location"] == path
    event = CaseEvent.objects.get(case=case, kind=EventKind.CITIZEN_MESSAGE)
    assert event.body == "Lampan blinkar nu också." and event.actor is None
    page = client.get(path).content.decode()
    assert "Tack. Ditt meddelande har lagts till i ditt ärende." in page
    assert "Lampan blinkar nu också." in page


def test_a_message_with_files_keeps_them_and_lists_them_for_download(world, client, followed):
    case, path = followed
    response = send(client, path, "Här är ett foto.", [samples.upload("foto.jpg", samples.JPEG)])
    assert response.status_code == 302
    attachment = case.attachments.get()
    html = client.get(path).content.decode()
    link = f"{path}fil/{attachment.pk}/"
    assert link in html and "foto.jpg" in html
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.JPEG
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "image/jpeg"
    assert "sandbox" in download["Content-Security-Policy"]


def test_staff_files_sent_to_the_citizen_are_listed_internal_ones_are_not(world, client, followed):
    from django.db import transaction

    case, path = followed
    with transaction.atomic():
        shared = store_files(
            case=case,
            files=check_files([samples.upload("beslut.pdf", samples.pdf())]),
            by=world.centre_staff,
            shared_with_citizen=True,
        )[0]
        internal = store_files(
            case=case,
            files=check_files([samples.upload("intern.pdf", samples.pdf())]),
            by=world.centre_staff,
            shared_with_citizen=False,
        )[0]
    html = client.get(path).content.decode()
    assert "beslut.pdf" in html and "intern.pdf" not in html
    assert client.get(f"{path}fil/{shared.pk}/").status_code == 200
    assert client.get(f"{path}fil/{internal.pk}/").status_code == 404


def test_another_cases_file_cannot_be_fetched_through_this_link(world, client, followed):
    _case, path = followed
    other_client = Client()
    submit(other_client, world, subject="Annat ärende")
    other_path = status_path(other_client.get("/e-tjanst/kvitto/").content.decode())
    send(other_client, other_path, "Bilaga", [samples.upload("annan.png", samples.png())])
    other_file = Case.objects.get(subject="Annat ärende").attachments.get()
    assert client.get(f"{path}fil/{other_file.pk}/").status_code == 404
    assert other_client.get(f"{other_path}fil/{other_file.pk}/").status_code == 200


def test_the_same_message_form_sent_twice_adds_one_message(world, client, followed):
    case, path = followed
    key = form_key(client, path)
    client.post(path, {"form_key": key, "body": "Samma meddelande"})
    again = client.post(path, {"form_key": key, "body": "Samma meddelande"})
    assert again.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CITIZEN_MESSAGE).count() == 1
    assert "redan tagits emot" in client.get(path).content.decode()


def test_an_empty_message_is_refused_field_by_field(world, client, followed):
    case, path = followed
    response = send(client, path, "   ")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_body"' in html and 'id="id_body_error"' in html
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CITIZEN_MESSAGE).exists()


def test_a_refused_file_adds_neither_message_nor_file(world, client, followed):
    case, path = followed
    response = send(client, path, "Se bilaga", [samples.upload("virus.exe", b"MZ" + b"\0" * 64)])
    assert response.status_code == 400
    assert "virus.exe" in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CITIZEN_MESSAGE).exists()
    assert not case.attachments.exists()


def test_a_closed_case_takes_a_message_and_is_reopened(world, client, followed):
    case, path = followed
    actions.close_case(case=case, by=world.centre_staff, resolution="Lampan är lagad.")
    html = client.get(path).content.decode()
    assert "Avslutat" in html and "öppnas det igen" in html
    assert send(client, path, "Den är trasig igen.").status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_a_cancelled_case_takes_no_messages(world, client, followed):
    case, path = followed
    actions.cancel_case(case=case, by=world.centre_staff, reason="Dubblett.")
    html = client.get(path).content.decode()
    assert "Makulerat" in html and "tar inte emot fler meddelanden" in html
    response = client.post(path, {"form_key": "x", "body": "Hallå?"})
    assert response.status_code == 400
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CITIZEN_MESSAGE).exists()


def test_a_secret_case_is_shown_to_its_citizen_and_no_staff_read_is_logged(world, client, followed):
    case, path = followed
    actions.mark_secret(case=case, by=world.centre_staff, provision="OSL 26 kap. 1 §")
    assert client.get(path).status_code == 200
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.SECRET_READ).exists()


def test_unknown_and_expired_links_get_the_same_clear_page(world, client, followed, settings):
    case, path = followed
    unknown = client.get("/e-tjanst/arende/" + "a" * 40 + "/")
    actions.close_case(case=case, by=world.centre_staff, resolution="Klart.")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=400))
    expired = client.get(path)
    assert unknown.status_code == expired.status_code == 404
    assert without_csrf(unknown) == without_csrf(expired)
    assert "Länken fungerar inte" in unknown.content.decode()


def test_a_replaced_link_stops_working(world, client, followed):
    case, path = followed
    new_token = actions.issue_status_link(case=case)
    assert client.get(path).status_code == 404
    assert client.get(f"/e-tjanst/arende/{new_token}/").status_code == 200


def test_guessing_links_is_rate_limited(world, settings):
    settings.TILLIT_PUBLIC_RATE_LIMIT = 1  # five bad lookups per window
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    codes = [guesser.get(f"/e-tjanst/arende/{n:040d}/").status_code for n in range(6)]
    assert codes == [404] * 5 + [429]


def test_the_token_never_reaches_the_log(world, client, followed, caplog):
    _case, path = followed
    token = path.rstrip("/").rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO):
        client.get(path)
        client.get(f"{path}fil/999/")
        client.get("/e-tjanst/arende/" + "b" * 40 + "/")
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 200
        )
    assert caplog.records, "the 404s and the access line were logged"
    for record in caplog.records:
        assert token not in record.getMessage()
        assert "b" * 40 not in record.getMessage()


def test_the_json_log_of_a_404_holds_no_token(world, client, followed):
    import io

    from config.logging import JsonFormatter
    from tillit.public import logfilter

    _case, path = followed
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        logfilter.install()  # as at start-up: every handler gets the filter
        client.get(f"{path}fil/999/")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert "/e-tjanst/arende/[token]/" in written
    assert token not in written
