"""The regular liaison meetings between the contact centre and each administration: a series
per administration, its meetings with an ordered agenda and minutes, and the action items each
meeting decides, followed from meeting to meeting until they are done."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.organisation.models import Person, Unit


class MeetingSeries(models.Model):
    """The contact centre and one administration meet regularly (samverkansmöte)."""

    centre = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact centre")
    )
    administration = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="liaison_series",
        verbose_name=pgettext_lazy("unit", "administration"),
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["administration__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "administration"], name="liaison_series_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} – {self.administration}"


class Meeting(models.Model):
    """One meeting. Once its minutes are approved they never change: corrections are appended."""

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("series")
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))
    approved_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["series", "starts_at", "id"]
        indexes = [models.Index(fields=["series", "starts_at"], name="liaison_meeting_when_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_at__isnull=True, approved_by__isnull=True)
                | models.Q(approved_at__isnull=False, approved_by__isnull=False),
                name="liaison_meeting_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.starts_at:%Y-%m-%d}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class AgendaItem(models.Model):
    """A point on a meeting's agenda, proposed by a participant before the meeting, or carried
    forward from an open action item of an earlier meeting. Its minutes are written during or
    after the meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(pgettext_lazy("agenda", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    case_type = models.ForeignKey(
        "catalogue.CaseType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case type"),
    )
    change_notice = models.ForeignKey(
        "catalogue.ChangeNotice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change notice"),
    )
    carried_action = models.ForeignKey(
        "ActionItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried-forward action item"),
    )
    proposed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "carried_action"],
                condition=models.Q(carried_action__isnull=False),
                name="liaison_action_carried_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "open")
    DONE = "done", pgettext_lazy("action item", "done")


class ActionItem(models.Model):
    """Something a meeting decided someone does by a date (åtgärd). Open items are carried onto
    the next meeting's agenda until their owner marks them done."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("agenda item"),
    )
    text = models.CharField(_("what is to be done"), max_length=500)
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="liaison_actions",
        verbose_name=pgettext_lazy("action item", "owner"),
    )
    due_date = models.DateField(pgettext_lazy("action item", "due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))
    done_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "status"], name="liaison_action_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ActionStatus]),
                name="liaison_action_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", done_at__isnull=True, done_by__isnull=True)
                | models.Q(status="done", done_at__isnull=False, done_by__isnull=False),
                name="liaison_action_done_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class MinutesCorrection(models.Model):
    """A correction appended to approved minutes; the approved text itself stays as it was."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("meeting")
    )
    text = models.TextField(_("correction"))
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("correction of the minutes")
        verbose_name_plural = _("corrections of the minutes")
        ordering = ["meeting", "at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
