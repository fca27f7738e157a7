"""Handing one stored outgoing message to SMTP (Django's configured e-mail backend).

A refusal the server calls permanent (5xx: no such address, rejected sender) is not retried;
anything else (connection refused, timeout, 4xx) is, with backoff, by `tillit.mailbox.actions`.
"""

from __future__ import annotations

import smtplib
from email.utils import formataddr

from django.core.mail import EmailMessage, get_connection

from tillit.mailbox.models import OutboundMessage


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def _code_of(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return min(codes) if codes else None
    code = getattr(error, "smtp_code", None)
    return code if isinstance(code, int) else None


def email_for(outbound: OutboundMessage) -> EmailMessage:
    headers = {"Message-ID": f"<{outbound.message_id}>"}
    if outbound.in_reply_to:
        headers["In-Reply-To"] = f"<{outbound.in_reply_to}>"
    if outbound.references:
        headers["References"] = " ".join(f"<{mid}>" for mid in outbound.references.split())
    if outbound.automatic:
        headers["Auto-Submitted"] = "auto-replied"  # RFC 3834: other machines do not answer
        headers["X-Auto-Response-Suppress"] = "All"  # the same request, in Exchange's words
    sender = formataddr((outbound.from_name, outbound.from_address))
    return EmailMessage(
        subject=outbound.subject,
        body=outbound.body,
        from_email=sender,
        to=[outbound.to_address],
        reply_to=[sender],
        headers=headers,
    )


def send(outbound: OutboundMessage) -> None:
    try:
        sent = get_connection(fail_silently=False).send_messages([email_for(outbound)])
    except (smtplib.SMTPException, OSError) as error:
        code = _code_of(error)
        text = f"{type(error).__name__}: {error}"[:1000]
        raise DeliveryError(text, permanent=code is not None and 500 <= code < 600) from error
    if not sent:
        raise DeliveryError("The mail server accepted nothing.", permanent=False)
