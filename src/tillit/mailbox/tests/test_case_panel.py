"""What the case page shows of a case's e-mail."""

from __future__ import annotations

from django.test import Client

from tillit.cases.models import Case
from tillit.cases.tests.factories import register
from tillit.mailbox import actions
from tillit.mailbox.samples import citizen_mail


def page(person, case: Case) -> str:
    client = Client(headers={"Accept-Language": "sv"})
    client.force_login(person)
    response = client.get(f"/arenden/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_case_made_from_an_email_names_the_message_its_pending_answer_and_its_triage(
    mail_world,
):
    """The acknowledgement waits for the transaction's commit (never run here): not delivered."""
    result = actions.ingest_message(mailbox=mail_world.mailbox, raw=citizen_mail())
    case = Case.objects.get(pk=result.case_id)
    worker = page(mail_world.world.centre_staff, case)
    assert "E-post" in worker and "Sortera mejlet" in worker
    assert "Inte levererat än" in worker and "till karin@example.se" in worker
    assert "Mottaget" in worker and "Trasig gatlampa på Björkvägen</a>" in worker
    reader = page(mail_world.world.registrar, case)
    assert "Trasig gatlampa på Björkvägen</a>" in reader
    assert "Sortera mejlet" not in reader and "Skicka igen" not in reader


def test_a_case_without_email_shows_no_email_panel(mail_world):
    case = register(mail_world.world)
    assert "E-post</h2>" not in page(mail_world.world.centre_staff, case)
