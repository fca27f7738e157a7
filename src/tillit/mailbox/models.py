"""Functional mailboxes, the messages that came in through them and the ones Tillit sends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.cases.models import Case, CaseEvent
from tillit.catalogue.models import CaseType
from tillit.mailbox.states import InboundStatus, OutboundKind, OutboundStatus
from tillit.organisation.models import Unit


class Mailbox(models.Model):
    """A unit's functional mailbox (funktionsbrevlåda): where its e-mail arrives and leaves from.

    New messages become cases of `intake_type`, the unit's untriaged e-mail queue. The IMAP
    position (`uidvalidity`, `last_uid`) moves in the same transaction as each stored message.
    """

    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="mailbox", verbose_name=_("unit")
    )
    address = models.EmailField(_("functional e-mail address"), unique=True)
    display_name = models.CharField(_("sender name"), max_length=200)
    intake_type = models.ForeignKey(
        CaseType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case type of untriaged e-mail"),
    )
    answer_days = models.PositiveSmallIntegerField(
        _("answer time (working days)"),
        default=3,
        help_text=_("Promised in the acknowledgement until the case has a case type."),
    )
    acknowledge = models.BooleanField(_("send acknowledgements"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last read"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("functional mailbox")
        verbose_name_plural = _("functional mailboxes")
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


class InboundMessage(models.Model):
    """One e-mail as it arrived. `message_key` (from the Message-ID, or the content when there is
    none) is unique: a re-delivered or re-fetched message is recognised and never stored twice."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="inbound")
    message_key = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=InboundStatus.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="inbound_email"
    )
    event = models.ForeignKey(
        CaseEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_name = models.CharField(_("sender"), max_length=200, blank=True)
    from_address = models.CharField(_("sender address"), max_length=254, blank=True)
    to = models.TextField(_("to"), blank=True)
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML (sanitised)"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    raw = models.BinaryField(_("original message"))

    class Meta:
        verbose_name = _("incoming e-mail")
        verbose_name_plural = _("incoming e-mail")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in InboundStatus]),
                name="inbound_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False)
                | Q(status__in=[InboundStatus.IGNORED, InboundStatus.FAILED]),
                name="inbound_routed_has_case",
            ),
        ]
        indexes = [
            models.Index(fields=["mailbox", "status", "-id"], name="inbound_mailbox_status"),
            models.Index(fields=["case", "id"], name="inbound_case"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"


class OutboundMessage(models.Model):
    """One e-mail Tillit sends (acknowledgement, reply, absence auto-reply), kept until delivered.

    `key` names the intent (`reply:<event>`), so asking twice never sends twice; the Message-ID is
    fixed when the row is made, so a retry is the same message and answers thread to the case."""

    key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OutboundKind.choices)
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.PROTECT, null=True, blank=True, related_name="outbound"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="outbound_email")
    event = models.ForeignKey(
        CaseEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_address = models.CharField(_("from"), max_length=254)
    from_name = models.CharField(max_length=200, blank=True)
    to_address = models.CharField(_("to"), max_length=254)
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=300)
    body = models.TextField(_("text"))
    message_id = models.CharField(max_length=255)
    message_key = models.CharField(max_length=64, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    automatic = models.BooleanField(
        default=False, help_text=_("Sent with Auto-Submitted: auto-replied (RFC 3834).")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OutboundStatus]),
                name="outbound_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in OutboundKind]), name="outbound_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due"),
            models.Index(fields=["case", "status"], name="outbound_case"),
            models.Index(fields=["to_address", "kind", "created_at"], name="outbound_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_address}: {self.subject}"
