"""Case types: what the municipality handles, who owns it, how fast, and how it is worked."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.catalogue import search
from tillit.organisation.models import Unit


class Routing(models.TextChoices):
    CENTRE_RESOLVES = "centre_resolves", _("resolved by the contact centre")
    CENTRE_HANDS_OVER = "centre_hands_over", _("registered by the contact centre, handed over")
    ADMINISTRATION = "administration", _("handled directly by the administration")


class DocumentationLevel(models.TextChoices):
    LIGHT = "light", _("light")
    STANDARD = "standard", _("standard")
    THOROUGH = "thorough", _("thorough")


LEVEL_ORDER = [DocumentationLevel.LIGHT, DocumentationLevel.STANDARD, DocumentationLevel.THOROUGH]


def levels_requiring(level: str) -> list[str]:
    """The `required_from` values of the items a type at `level` requires: a light type only
    the items required from "light", a thorough one all required items ("right quality for the
    right case", issue 4)."""
    return [str(each) for each in LEVEL_ORDER[: LEVEL_ORDER.index(DocumentationLevel(level)) + 1]]


def reaches(level: str, required_from: str) -> bool:
    """Whether a type at documentation `level` requires an item required from `required_from`."""
    return required_from in levels_requiring(level)


class CaseType(models.Model):
    name = models.CharField(_("name"), max_length=160)
    public_name = models.CharField(_("public name"), max_length=160, blank=True)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    administration = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="case_types",
        verbose_name=_("owning administration"),
    )
    routing = models.CharField(_("routing"), max_length=20, choices=Routing.choices)
    service_days_centre = models.PositiveSmallIntegerField(
        _("service level, contact centre (working days)"), default=1
    )
    service_days_administration = models.PositiveSmallIntegerField(
        _("service level, administration (working days)"), default=10
    )
    documentation_level = models.CharField(
        _("documentation level"),
        max_length=10,
        choices=DocumentationLevel.choices,
        default=DocumentationLevel.STANDARD,
    )
    is_public = models.BooleanField(_("offered in the citizen form"), default=False)
    default_secret = models.BooleanField(_("secret by default"), default=False)
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"), null=True, blank=True, help_text=_("Empty: kept permanently.")
    )
    keywords = models.TextField(_("keywords and synonyms"), blank=True)
    service_description = models.TextField(_("service description"), blank=True)
    what_you_get = models.TextField(_("what you get"), blank=True)
    what_you_provide = models.TextField(_("what you must provide"), blank=True)
    how_long = models.TextField(_("how long it takes"), blank=True)
    cost = models.TextField(_("what it costs"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Precomputed for the type-ahead search (catalogue.search, decision 0420); kept by save().
    search_document = models.TextField(editable=False, blank=True, default="")

    SEARCHED_FIELDS = frozenset({"name", "public_name", "keywords"})

    class Meta:
        verbose_name = _("case type")
        verbose_name_plural = _("case types")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(routing__in=[r.value for r in Routing]),
                name="case_type_routing_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving keeps the search fields in step with the name, public name and keywords."""
        self.refresh_search_fields()
        fields = kwargs.get("update_fields")
        if fields is not None and self.SEARCHED_FIELDS & set(fields):
            kwargs["update_fields"] = {*fields, "search_document"}
        super().save(*args, **kwargs)

    def refresh_search_fields(self) -> None:
        self.search_document = search.document(
            names=(self.name, self.public_name), keywords=self.keywords
        )


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class CaseTypeVersion(models.Model):
    """A published version never changes; each case is pinned to the one it was registered under."""

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    change_summary = models.TextField(_("what changed"), blank=True)
    # The service description as this version has it; publishing makes it the type's own
    # (decision 0460). A draft starts from the type's published one.
    public_name = models.CharField(_("public name"), max_length=160, blank=True)
    what_you_get = models.TextField(_("what you get"), blank=True)
    what_you_provide = models.TextField(_("what you must provide"), blank=True)
    how_long = models.TextField(_("how long it takes"), blank=True)
    cost = models.TextField(_("what it costs"), blank=True)

    SERVICE_FIELDS = ("public_name", "what_you_get", "what_you_provide", "how_long", "cost")

    class Meta:
        verbose_name = _("case-type version")
        verbose_name_plural = _("case-type versions")
        ordering = ["case_type", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_type", "number"], name="case_type_version_unique"
            ),
            models.UniqueConstraint(
                fields=["case_type"],
                condition=models.Q(status="draft"),
                name="case_type_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_type} v{self.number}"


class ChecklistItem(models.Model):
    """One step of a version's checklist. `key` stays the same when a draft copies the item, so
    two versions can be compared item by item (added, removed, changed)."""

    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    key = models.CharField(_("key"), max_length=32)
    position = models.PositiveIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    link = models.URLField(_("link"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    required_from = models.CharField(
        _("required from documentation level"),
        max_length=10,
        choices=DocumentationLevel.choices,
        default=DocumentationLevel.LIGHT,
        help_text=_("A required item is required only of types at this level or above."),
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="checklist_item_key_unique"),
            models.CheckConstraint(
                condition=models.Q(required_from__in=[v.value for v in DocumentationLevel]),
                name="checklist_item_required_from_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def is_required_at(self, case_type: CaseType) -> bool:
        """Whether a case of `case_type` must have this item done (or not applicable) to close:
        a required item, from a level the type's documentation level reaches."""
        return self.required and reaches(case_type.documentation_level, self.required_from)


class MarkState(models.TextChoices):
    DONE = "done", _("done")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class CaseChecklistMark(models.Model):
    """A case's progress on one item of the version it is pinned to: done, or not applicable
    with a reason. An item without a mark is open."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="checklist_marks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="marks")
    state = models.CharField(_("state"), max_length=20, choices=MarkState.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("checklist mark")
        verbose_name_plural = _("checklist marks")
        constraints = [
            models.UniqueConstraint(fields=["case", "item"], name="checklist_mark_once"),
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in MarkState]),
                name="checklist_mark_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="not_applicable", reason=""),
                name="checklist_mark_na_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.item_id} {self.state}"


class ChangeNotice(models.Model):
    """A contact person's notice to the contact centre: what changed, for which case types, from
    which date. A notice without `published_at` is a draft (publishing a version drafts one)."""

    administration = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="change_notices",
        verbose_name=_("administration"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what changed"))
    case_types = models.ManyToManyField(
        CaseType, related_name="change_notices", blank=True, verbose_name=_("case types")
    )
    effective_from = models.DateField(_("applies from"))
    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("change notice")
        verbose_name_plural = _("change notices")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class NoticeReceipt(models.Model):
    notice = models.ForeignKey(ChangeNotice, on_delete=models.CASCADE, related_name="receipts")
    person = models.ForeignKey("organisation.Person", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="notice_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} read by {self.person_id}"


class Question(models.Model):
    """'Ask the neighbour': a question from a case to a unit (or only its contact persons),
    without handing the case over. The answerer sees the question, not the case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="questions")
    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="questions")
    to_unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="questions", verbose_name=_("asked")
    )
    contact_persons_only = models.BooleanField(_("only the contact persons"), default=False)
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey("organisation.Person", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-asked_at", "-id"]
        indexes = [models.Index(fields=["to_unit", "answered_at"], name="question_open_idx")]

    def __str__(self) -> str:
        return self.text[:60]
