"""Dialog sessions: tables of participants who reflect, talk and agree on success factors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.dialog.states import FactorStatus, ProposalStatus, StepKind, Template, steps_of

MAX_NOTE = 500
MAX_ANSWER = 1_000
MAX_FACTOR = 200
MAX_NAME = 60


class Session(models.Model):
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dialog_sessions",
        verbose_name=_("facilitator"),
    )
    title = models.CharField(pgettext_lazy("session", "title"), max_length=200)
    template = models.CharField(_("template"), max_length=20, choices=Template.choices)
    code = models.CharField(_("join code"), max_length=8)
    step = models.PositiveSmallIntegerField(_("current step"), default=0)
    step_started_at = models.DateTimeField(_("step started"), null=True, blank=True)
    step_deadline = models.DateTimeField(_("step deadline"), null=True, blank=True)
    minutes = models.JSONField(_("minutes per step"), default=list)
    revealed = models.BooleanField(_("results shown on the big screen"), default=False)
    factors_per_table = models.PositiveSmallIntegerField(_("success factors per table"), default=3)
    table_names = models.JSONField(_("table names"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("dialog session")
        verbose_name_plural = _("dialog sessions")
        ordering = ["-created_at"]
        constraints = [
            # A code identifies one open session; finished sessions free their code.
            models.UniqueConstraint(
                fields=["code"], condition=Q(finished_at__isnull=True), name="dialog_open_code"
            ),
            models.CheckConstraint(
                condition=Q(factors_per_table__gte=1) & Q(factors_per_table__lte=10),
                name="dialog_factors_range",
            ),
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def step_count(self) -> int:
        return len(steps_of(self.template))

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def step_kind(self) -> StepKind | None:
        steps = steps_of(self.template)
        if 1 <= self.step <= len(steps):
            return steps[self.step - 1].kind
        return None

    @property
    def step_name(self) -> str:
        steps = steps_of(self.template)
        if 1 <= self.step <= len(steps):
            return str(steps[self.step - 1].name)
        return ""


class Question(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="questions")
    step = models.PositiveSmallIntegerField(_("step"))
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["step", "pk"]

    def __str__(self) -> str:
        return self.text


class Table(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("table"), max_length=60)
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="dialog_table_number"),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """Someone at a table, without an account: known by a secret in a cookie, by name or not."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=MAX_NAME, blank=True)
    table = models.ForeignKey(
        Table, on_delete=models.SET_NULL, null=True, blank=True, related_name="participants"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return self.name or str(_("Anonymous"))


class Note(models.Model):
    """Step 1: a private note; shared with the table only when its writer chooses."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    text = models.CharField(_("note"), max_length=MAX_NOTE)
    shared = models.BooleanField(_("shared with the table"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class TableAnswer(models.Model):
    """A table's joint answer in a small-group step (one per table and step)."""

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="answers")
    step = models.PositiveSmallIntegerField(_("step"))
    text = models.TextField(_("joint answer"), max_length=MAX_ANSWER)
    updated_by = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("joint answer")
        verbose_name_plural = _("joint answers")
        ordering = ["table__number", "step"]
        constraints = [
            models.UniqueConstraint(fields=["table", "step"], name="dialog_answer_per_step"),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class SuccessFactor(models.Model):
    """A table's success factor in the plenary; the facilitator pins, removes or merges it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="factors")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="factors")
    text = models.CharField(_("success factor"), max_length=MAX_FACTOR)
    submitted_by = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True)
    status = models.CharField(
        max_length=10, choices=FactorStatus.choices, default=FactorStatus.SHOWN
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("success factor")
        verbose_name_plural = _("success factors")
        ordering = ["table__number", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FactorStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=FactorStatus.MERGED) & Q(merged_into__isnull=True)),
                name="dialog_factor_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ActionItem(models.Model):
    """An answer taken home to a workplace meeting (APT): someone owns it, by a date."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="action_items")
    factor = models.ForeignKey(SuccessFactor, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.CharField(_("action"), max_length=MAX_FACTOR)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dialog_actions"
    )
    due = models.DateField(pgettext_lazy("action item", "due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text


class Proposal(models.Model):
    """An improvement proposal: the manager must answer by `answer_by` with a decision."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="proposals")
    factor = models.ForeignKey(SuccessFactor, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.CharField(_("proposal"), max_length=MAX_FACTOR)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dialog_proposals"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    decision = models.TextField(_("decision"), blank=True, max_length=2_000)
    answer_by = models.DateField(_("answer by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("improvement proposal")
        verbose_name_plural = _("improvement proposals")
        ordering = ["answer_by", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ProposalStatus]),
                name="dialog_proposal_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text
