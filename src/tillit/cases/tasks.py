"""Background work for cases: e-mail to citizens and escalation notices.

Each task is idempotent: a worker killed mid-task runs it again, and the mark it leaves (a row
in SentNotice) makes the second run send nothing. A worker killed after the mail server took
the message but before the claim committed sends it again: with the same Message-ID, derived
from the notice's key, so mail clients and servers show it once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac
from django_tasks import task

from tillit.cases.models import Handover, SentNotice
from tillit.organisation.models import Person, Role


def notice_message_id(key: str) -> str:
    """The Message-ID of the notice with this key: the same on every attempt, so a message sent
    twice (the worker died between the mail server's answer and the commit) is one message."""
    digest = salted_hmac("tillit.cases.tasks.notice", key).hexdigest()[:32]
    domain = urlsplit(settings.TILLIT_BASE_URL).hostname or "tillit.localhost"
    return f"<notice.{digest}@{domain}>"


def _send_once(key: str, subject: str, body: str, recipients: list[str]) -> bool:
    """Send unless a notice with this key was already sent; claim and send in one transaction."""
    if not recipients:
        return False
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        headers={"Message-ID": notice_message_id(key)},
    )
    try:
        with transaction.atomic():
            SentNotice.objects.create(key=key, recipients=", ".join(recipients))
            message.send()
    except IntegrityError:
        return False
    return True


@task()
def send_reply(event_id: int) -> bool:
    """E-mail the reply to the citizen from the owning unit's functional address, threaded with
    their mail; the shared mailbox stores, sends and retries it (`tillit.mailbox.actions`)."""
    from tillit.mailbox.actions import send_case_reply

    return send_case_reply(event_id=event_id)


@task()
def notify_escalation(handover_id: int) -> bool:
    """Tell the receiving unit's managers and contact persons that an offer is unanswered."""
    handover = Handover.objects.select_related("case", "to_unit", "from_unit").get(pk=handover_id)
    people = (
        Person.objects.filter(
            memberships__unit=handover.to_unit,
            memberships__role__in=[Role.MANAGER, Role.CONTACT_PERSON],
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )
    recipients = sorted({p.email for p in people})
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(
            "cases/email/escalation_subject.txt", {"handover": handover}
        ).strip()
        body = render_to_string(
            "cases/email/escalation.txt",
            {"handover": handover, "base_url": settings.TILLIT_BASE_URL},
        )
    return _send_once(f"escalation:{handover.pk}", subject, body, recipients)


@task()
def escalate_overdue() -> int:
    from tillit.cases.actions import escalate_overdue_handovers

    return escalate_overdue_handovers()
