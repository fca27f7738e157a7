"""Cases, their citizen parties, hand-overs and the append-only case log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.cases.states import Channel, EventKind, HandoverStatus, Status
from tillit.catalogue.models import CaseType, CaseTypeVersion
from tillit.organisation.models import Unit


class RegistrationSeries(models.Model):
    """A numbering series per prefix and year: `KC 2026/00001`. Numbers are never reused."""

    prefix = models.CharField(_("prefix"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("registration series")
        verbose_name_plural = _("registration series")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="series_prefix_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.year}"


class Party(models.Model):
    """A citizen (or organisation) who is party to cases.

    The primary key is the internal person id: a changed or corrected personnummer updates this
    row, so the person's history is never split.
    """

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    personal_number = models.CharField(
        _("personal identity number"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Personnummer or samordningsnummer, stored as 12 digits."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    registration_number = models.CharField(_("registration number"), max_length=32, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("case type")
    )
    case_type_version = models.ForeignKey(
        CaseTypeVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("case-type version"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="owned_cases", verbose_name=_("owner")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("handler"),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("citizen"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    leg_started_at = models.DateTimeField(
        _("current owner since"), help_text=_("When the owning unit's leg began.")
    )
    resolved_at_first_contact = models.BooleanField(_("resolved at first contact"), default=False)
    is_secret = models.BooleanField(_("secrecy marked"), default=False)
    secrecy_provision = models.CharField(_("secrecy provision (OSL)"), max_length=120, blank=True)
    secrecy_marked_at = models.DateTimeField(null=True, blank=True)
    secrecy_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    citizen_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    submission_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Idempotency key: the same submission never makes two cases."),
    )
    created_at = models.DateTimeField(_("registered"))
    updated_at = models.DateTimeField(_("updated"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in Channel]), name="case_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_secret=False) | ~Q(secrecy_provision=""),
                name="case_secret_has_provision",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_unit", "status", "-id"], name="case_unit_queue"),
            # "Recently closed" by closing time (decision 0356): one unit's from the first, several
            # units' from the second (the database walks it newest first and skips other units).
            models.Index(
                fields=["owner_unit", "-closed_at", "-id"],
                condition=Q(status="closed"),
                name="case_unit_closed",
            ),
            models.Index(
                fields=["-closed_at", "-id"], condition=Q(status="closed"), name="case_closed"
            ),
            models.Index(fields=["handler", "status", "-id"], name="case_handler_queue"),
            # "My unit, unassigned": the newest unassigned open cases, whatever the units (a
            # person in two units would otherwise have every unassigned case of both sorted).
            models.Index(
                fields=["-id"],
                condition=Q(handler__isnull=True, status__in=["new", "in_progress"]),
                name="case_unassigned",
            ),
            # "Mine": a handler's open cases, newest first. With the index above PostgreSQL
            # combined the unit and handler indexes (40,000 entries, 6 ms at a million cases)
            # whenever its estimate of a person's open cases was high; this one holds only open
            # cases, so the page is a walk of at most 51 entries.
            models.Index(
                fields=["handler", "-id"],
                condition=Q(status__in=["new", "in_progress", "waiting"]),
                name="case_handler_open",
            ),
            models.Index(fields=["status", "due_date"], name="case_status_due"),
            models.Index(fields=["party", "-id"], name="case_party"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in {Status.NEW, Status.IN_PROGRESS, Status.WAITING}


class Handover(models.Model):
    """An offer to move a case to another unit. Ownership moves only when it is accepted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="incoming_handovers")
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to"),
    )
    status = models.CharField(
        max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.OPEN
    )
    done = models.TextField(_("what has been done"))
    expected = models.TextField(_("what is expected of the receiver"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField()
    answer_by = models.DateTimeField(_("answer by"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="open"), name="one_open_offer_per_case"
            ),
            models.CheckConstraint(
                condition=~Q(from_unit=models.F("to_unit")), name="handover_to_other_unit"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in HandoverStatus]),
                name="handover_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["to_unit", "status", "-id"], name="handover_incoming"),
            models.Index(fields=["status", "answer_by"], name="handover_deadline"),
            models.Index(fields=["from_unit", "status"], name="handover_outgoing"),
        ]

    def __str__(self) -> str:
        return f"{self.case.registration_number}: {self.from_unit} → {self.to_unit}"


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a case event."""


class CaseEvent(models.Model):
    """One entry in the case log. Never updated or deleted: the log *is* the documentation.

    Database triggers (see the migration) refuse UPDATE and DELETE below the ORM as well.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=200, blank=True, help_text=_("Who acted when it was not staff: citizen, system.")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", help_text=_("The owner at the time.")
    )
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["id"]
        indexes = [models.Index(fields=["case", "id"], name="event_case_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in EventKind]), name="event_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("case events are append-only")


class Attachment(models.Model):
    """A file attached to a case, stored outside the web root and served through access checks."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="cases/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class SearchDocument(models.Model):
    """The full-text index row of a case, written only by `tillit.cases.search` in raw SQL.

    Declared so Django knows the table (tests empty it between runs); its real shape is an FTS5
    table on SQLite and a tsvector with a GIN index on PostgreSQL (migration 0003).
    """

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    document = models.TextField()

    class Meta:
        db_table = "cases_search"

    def __str__(self) -> str:
        return str(self.case_id)


class SentNotice(models.Model):
    """A record that one e-mail notice was sent, so a retried task never sends it twice."""

    key = models.CharField(max_length=120, unique=True)
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent notice")
        verbose_name_plural = _("sent notices")

    def __str__(self) -> str:
        return self.key
