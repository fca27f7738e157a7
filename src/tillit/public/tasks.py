"""Background work for the citizen e-services: the receipt e-mail and the upload sweeper."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from tillit.cases.actions import status_token
from tillit.cases.attachments import sweep_orphan_files
from tillit.cases.tasks import _send_once
from tillit.public.models import ReceivedMessage
from tillit.public.queries import case_for_receipt, expected_answer_date

KEEP_MESSAGE_KEYS = timedelta(days=30)


@task()
def send_receipt(case_id: int, language: str) -> bool:
    """The receipt: registration number, expected answer date and the private status link.

    The link is derived again here from the case's submission key, so no task row or log holds
    it; sent once per case however often the task runs."""
    case = case_for_receipt(case_id)
    if case is None or case.party is None or not case.party.email or not case.submission_key:
        return False
    token = status_token(case.submission_key)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "case": case,
            "expected": expected_answer_date(case),
            "link": settings.TILLIT_BASE_URL + reverse("public:status", args=[token]),
            "municipality_name": settings.TILLIT_MUNICIPALITY_NAME,
        }
        subject = render_to_string("public/email/receipt_subject.txt", context).strip()
        body = render_to_string("public/email/receipt.txt", context)
    return _send_once(f"receipt:{case.pk}", subject, body, [case.party.email])


@task()
def sweep_uploads() -> int:
    """Remove uploaded files a rolled-back transaction left behind, and old message-form keys."""
    ReceivedMessage.objects.filter(received_at__lt=timezone.now() - KEEP_MESSAGE_KEYS).delete()
    return sweep_orphan_files()
