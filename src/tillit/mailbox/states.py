"""What happened to a message: incoming ones by how they were routed, outgoing ones by delivery.

An outgoing message is pending until a worker claims it (sending), then sent, or failed and
retried with backoff until it is sent or someone stops it (cancelled). A sent message that comes
back as a bounce is marked bounced and stays on the case until someone acts on it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundStatus(models.TextChoices):
    NEW_CASE = "new_case", _("new case")
    JOINED = "joined", _("joined a case")
    IGNORED = "ignored", _("not made a case")
    FAILED = "failed", _("could not be read")


class OutboundKind(models.TextChoices):
    ACKNOWLEDGEMENT = "ack", _("acknowledgement")
    REPLY = "reply", _("reply")
    AUTO_REPLY = "auto_reply", _("absence auto-reply")


class OutboundStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("sending failed")
    BOUNCED = "bounced", _("bounced")
    CANCELLED = "cancelled", _("stopped")


# Messages that still need someone's eye or the task runner's: shown on the case page.
UNSETTLED = frozenset(
    {OutboundStatus.PENDING, OutboundStatus.SENDING, OutboundStatus.FAILED, OutboundStatus.BOUNCED}
)

OUTBOUND_TRANSITIONS: dict[OutboundStatus, frozenset[OutboundStatus]] = {
    OutboundStatus.PENDING: frozenset({OutboundStatus.SENDING, OutboundStatus.CANCELLED}),
    OutboundStatus.SENDING: frozenset(
        # A worker that died mid-send leaves `sending`; another claims it again after the lease.
        {OutboundStatus.SENT, OutboundStatus.FAILED, OutboundStatus.SENDING}
    ),
    OutboundStatus.SENT: frozenset({OutboundStatus.BOUNCED}),
    OutboundStatus.FAILED: frozenset(
        {OutboundStatus.SENDING, OutboundStatus.PENDING, OutboundStatus.CANCELLED}
    ),
    OutboundStatus.BOUNCED: frozenset({OutboundStatus.PENDING, OutboundStatus.CANCELLED}),
    OutboundStatus.CANCELLED: frozenset(),
}


def ensure_outbound_transition(current: str, target: str) -> None:
    if OutboundStatus(target) not in OUTBOUND_TRANSITIONS[OutboundStatus(current)]:
        raise ValidationError(
            _("An e-mail that is %(current)s cannot become %(target)s."),
            code="invalid_transition",
            params={
                "current": OutboundStatus(current).label,
                "target": OutboundStatus(target).label,
            },
        )


class TriageOutcome(models.TextChoices):
    RESOLVE = "resolve", _("Answer and close")
    REPLY = "reply", _("Answer and wait for the citizen")
    HANDOVER = "handover", _("Hand over to the case type's administration")
    DISCARD = "discard", _("Not a case (spam, sent to the wrong address)")
