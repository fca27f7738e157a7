"""Two copies of one form arriving at the same moment (a double click that beat the page's
script, a proxy's retry) make one case and one message: the database decides, not timing."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tillit.cases.attachments import check_files
from tillit.cases.models import Attachment, Case, CaseEvent
from tillit.cases.parties import PartyInput
from tillit.cases.states import EventKind
from tillit.cases.tests.factories import make_world
from tillit.public.actions import add_information, submit_case
from tillit.public.tests import samples

pytestmark = pytest.mark.django_db(transaction=True)


def race(work, copies: int = 4) -> list[object]:
    barrier = threading.Barrier(copies)
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_simultaneous_copies_of_one_form_make_one_case_with_one_set_of_files():
    world = make_world()

    def send():
        return submit_case(
            submission_key="same-form-key-0001",
            case_type=world.case_type,
            subject="Trasig gatlampa",
            description="Lampan är släckt.",
            party=PartyInput(name="Karin Nyström", email="karin@example.se"),
            files=check_files([samples.upload("lampa.png", samples.png())]),
        )

    results = race(send)
    assert Case.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert len({r.case.pk for r in results}) == 1
    assert sorted(r.repeated for r in results) == [False, True, True, True]
    assert len({r.token for r in results}) == 1


def test_simultaneous_copies_of_one_message_form_add_one_message():
    world = make_world()
    case = submit_case(
        submission_key="first-form-key-0001",
        case_type=world.case_type,
        subject="Trasig gatlampa",
        description="Lampan är släckt.",
        party=PartyInput(name="Karin Nyström"),
    ).case

    results = race(lambda: add_information(case=case, form_key="message-key-1", body="Mer info."))
    assert sorted(results) == [False, False, False, True]
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CITIZEN_MESSAGE).count() == 1
