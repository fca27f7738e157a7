"""Surveys and their answers, follow-ups, staff reflections, appreciation, and the daily roll-ups
the service-measure dashboards read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.cases.models import Case
from tillit.catalogue.models import CaseType
from tillit.feedback.states import (
    CoCreation,
    FollowUpStatus,
    Measure,
    Score,
    SurveySource,
    SurveyStatus,
)
from tillit.organisation.models import Unit


class SurveySettings(models.Model):
    """How a unit surveys its closed cases. A team without its own row uses its parent's."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="survey_settings", verbose_name=_("unit")
    )
    enabled = models.BooleanField(_("send surveys"), default=True)
    share_percent = models.PositiveSmallIntegerField(
        _("share of closed cases surveyed (%)"),
        default=100,
        help_text=_("Cases are picked at random, so every case has the same chance."),
    )
    delay_hours = models.PositiveSmallIntegerField(
        _("delay after closing (hours)"),
        default=24,
        help_text=_("Time between closing the case and sending the survey."),
    )
    valid_days = models.PositiveSmallIntegerField(
        _("link valid for (days)"), default=14, help_text=_("The survey link expires after this.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__lte=100), name="survey_share_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(valid_days__gte=1), name="survey_valid_at_least_one_day"
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class Survey(models.Model):
    """The one satisfaction survey of a case: who it is for, and where it is in its life.

    Only the hash of the link's token is stored. The unit is the owner when the case closed:
    answers count for that unit, whoever owns the case later.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="survey")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=12, choices=SurveyStatus.choices)
    source = models.CharField(max_length=10, choices=SurveySource.choices)
    closed_at = models.DateTimeField(null=True, blank=True)
    send_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SurveyStatus]), name="survey_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(token_hash__isnull=False, expires_at__isnull=False),
                name="survey_sent_has_link",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "send_after"], name="survey_due"),
            models.Index(fields=["status", "expires_at"], name="survey_expiry"),
            models.Index(fields=["sent_at"], name="survey_sent_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class SurveyAnswer(models.Model):
    """A citizen's answer. Anonymous in every aggregate; the comment is stored already redacted
    (tillit.redaction), so the original wording with names and numbers is never kept."""

    survey = models.OneToOneField(Survey, on_delete=models.PROTECT, related_name="answer")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    treatment = models.PositiveSmallIntegerField(_("treatment"), choices=Score.choices)
    got_help = models.PositiveSmallIntegerField(_("got help"), choices=Score.choices)
    ease = models.PositiveSmallIntegerField(_("ease"), choices=Score.choices)
    comment = models.TextField(_("comment (personal data removed)"), blank=True)
    wants_contact = models.BooleanField(_("wants to be contacted"), default=False)
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(treatment__gte=1, treatment__lte=5)
                & Q(got_help__gte=1, got_help__lte=5)
                & Q(ease__gte=1, ease__lte=5),
                name="answer_scores_1_to_5",
            )
        ]
        indexes = [
            models.Index(fields=["answered_at"], name="answer_day"),
            models.Index(fields=["unit", "-answered_at"], name="answer_unit_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.treatment}/{self.got_help}/{self.ease}"


class FollowUp(models.Model):
    """An unhappy citizen asked to be contacted: the case's owner calls or writes back."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    survey = models.OneToOneField(Survey, on_delete=models.PROTECT, related_name="follow_up")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    contact = models.CharField(_("how to reach the citizen"), max_length=200, blank=True)
    status = models.CharField(
        max_length=6, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in FollowUpStatus]),
                name="follow_up_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_at__isnull=False, done_by__isnull=False),
                name="follow_up_done_has_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status", "-id"], name="follow_up_queue")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class Reflection(models.Model):
    """A handler's reflection on the meeting after closing, for the team's learning: what the
    citizen's part and ours were, and what would have helped. Never used to rank anyone."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    co_created = models.CharField(
        _("did we create the value together?"), max_length=6, choices=CoCreation.choices
    )
    citizen_part = models.TextField(_("what would have helped on the citizen's side"), blank=True)
    our_part = models.TextField(_("what would have helped on our side"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            models.UniqueConstraint(fields=["case", "author"], name="one_reflection_per_author"),
            models.CheckConstraint(
                condition=Q(co_created__in=[c.value for c in CoCreation]),
                name="reflection_co_created_valid",
            ),
        ]
        indexes = [models.Index(fields=["unit", "-created_at"], name="reflection_unit_recent")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.author_id}"


class Appreciation(models.Model):
    """Positive feedback from a colleague or a manager, tied to a case (or an investigation).

    The receiver reads it in a personal feed; the case is named there only while the reader
    may see the case (tillit.cases.queries.access_to).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appreciation_sent"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appreciation_received"
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField()
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("appreciation")
        verbose_name_plural = _("appreciation")
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")), name="appreciation_not_to_oneself"
            )
        ]
        indexes = [
            models.Index(fields=["receiver", "-created_at"], name="appreciation_feed"),
            models.Index(fields=["sender", "-created_at"], name="appreciation_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.receiver_id}"


class FeedCursor(models.Model):
    """How far a periodic reader has come through the append-only case log (by event id)."""

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("feed cursor")
        verbose_name_plural = _("feed cursors")

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"


# --- daily roll-ups (written only by tillit.feedback.measures) ----------------------------------


class FlowDay(models.Model):
    """Counts for one day, unit and channel. Each counter is dated by what it counts:
    registrations and e-mail answers by the day the case came in, closings, hand-overs and
    people by the day the case closed, survey answers by the day they were given."""

    day = models.DateField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)
    registered = models.PositiveIntegerField(default=0)
    arrived = models.PositiveIntegerField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    email_1wd = models.PositiveIntegerField(default=0)
    email_2wd = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    handovers = models.PositiveIntegerField(default=0)
    handovers_0 = models.PositiveIntegerField(default=0)
    handovers_1 = models.PositiveIntegerField(default=0)
    handovers_2plus = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    people_0 = models.PositiveIntegerField(default=0)
    people_1 = models.PositiveIntegerField(default=0)
    people_2 = models.PositiveIntegerField(default=0)
    people_3plus = models.PositiveIntegerField(default=0)
    surveys_sent = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    treatment_sum = models.PositiveIntegerField(default=0)
    help_sum = models.PositiveIntegerField(default=0)
    ease_sum = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily flow figures")
        verbose_name_plural = _("daily flow figures")
        constraints = [
            models.UniqueConstraint(fields=["day", "unit", "channel"], name="flow_day_unique")
        ]
        indexes = [models.Index(fields=["unit", "day"], name="flow_unit_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id} {self.channel}"


class DurationDay(models.Model):
    """How many cases closed on `day` took `working_days` (the whole case or one leg of it)."""

    day = models.DateField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=14, choices=Measure.choices)
    working_days = models.PositiveIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("daily time-to-help figures")
        verbose_name_plural = _("daily time-to-help figures")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "case_type", "measure", "working_days"],
                name="duration_day_unique",
            )
        ]
        indexes = [models.Index(fields=["unit", "day"], name="duration_unit_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.measure} {self.working_days}: {self.count}"


class RollupRun(models.Model):
    """One run of the roll-up: which days it rebuilt and what it cost."""

    first_day = models.DateField()
    last_day = models.DateField()
    started_at = models.DateTimeField()
    seconds = models.FloatField()
    cases_read = models.PositiveIntegerField()
    rows_written = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day} ({self.seconds:.1f} s)"
