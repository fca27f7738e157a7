"""Team rhythm: the hero rota, absences and reflection days with a cover, chores, calendar feeds.

Rules live in `actions.py`; these models only say what is stored and what the database itself
guarantees (one hero per unit and week, one auto-reply per sender and day, one open swap per pair
of weeks, only token hashes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import Unit
from tillit.team.states import AbsenceKind, DayPart, HeroSource, SwapStatus


class UnitRules(models.Model):
    """How a unit keeps its rhythm: how many must be present, and whether it has a hero rota."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="team_rules", verbose_name=_("unit")
    )
    min_present = models.PositiveSmallIntegerField(
        _("at least this many present"),
        default=0,
        help_text=_("A planned absence that would leave fewer colleagues present is refused."),
    )
    hero_rota = models.BooleanField(_("hero of the week rota"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit rules")
        verbose_name_plural = _("unit rules")

    def __str__(self) -> str:
        return str(self.unit)


class Absence(models.Model):
    """A reflection day, vacation, illness or other absence, with the colleague who covers.

    `starts_at`/`ends_at` (half-open) are derived from the days and the part by the booking
    action; they are what routing asks. Ending early moves `ends_at`; cancelling a booking that
    has not started sets `cancelled_at`. Rows are never deleted: the calendar and the team
    figures read them.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AbsenceKind.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    part = models.CharField(_("part of the day"), max_length=10, choices=DayPart.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cover = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covering",
        verbose_name=_("covering colleague"),
    )
    reply_sv = models.TextField(_("auto-reply in Swedish"), blank=True)
    reply_en = models.TextField(_("auto-reply in English"), blank=True)
    note = models.TextField(_("private reflection note"), blank=True)
    insight = models.TextField(_("insight shared with the team"), blank=True)
    insight_shared_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ended_early_at = models.DateTimeField(null=True, blank=True)
    request_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Idempotency key: a repeated booking form never books twice."),
    )

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AbsenceKind]), name="absence_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(part__in=[p.value for p in DayPart]), name="absence_part_valid"
            ),
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="absence_days"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="absence_period"),
            models.CheckConstraint(
                condition=Q(part=DayPart.WHOLE) | Q(first_day=F("last_day")),
                name="absence_half_day_is_one_day",
            ),
            models.CheckConstraint(
                condition=~Q(cover=F("person")), name="absence_cover_is_someone_else"
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "ends_at", "starts_at"],
                condition=Q(cancelled_at__isnull=True),
                name="absence_person_active",
            ),
            models.Index(
                fields=["cover", "ends_at"],
                condition=Q(cancelled_at__isnull=True),
                name="absence_cover_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.first_day:%Y-%m-%d}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class HeroWeek(models.Model):
    """One unit's hero for one week (`week` is its Monday)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="hero_weeks")
    week = models.DateField(_("week starting"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hero_weeks",
        verbose_name=_("hero"),
    )
    source = models.CharField(
        max_length=10, choices=HeroSource.choices, default=HeroSource.GENERATED
    )
    planned_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hero week")
        verbose_name_plural = _("hero weeks")
        ordering = ["unit", "week"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week"], name="hero_week_unique"),
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in HeroSource]), name="hero_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["person", "week"], name="hero_week_person")]

    def __str__(self) -> str:
        return f"{self.unit} {self.week:%G-W%V}: {self.person}"


class SwapRequest(models.Model):
    """One colleague asks another to swap hero weeks; asking is the asker's confirmation."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="hero_swaps")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requester_week = models.DateField(_("your week"))
    other = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("colleague"),
    )
    other_week = models.DateField(_("the colleague's week"))
    message = models.CharField(_("message"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=SwapStatus.choices, default=SwapStatus.OPEN)
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hero-week swap")
        verbose_name_plural = _("hero-week swaps")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SwapStatus]), name="swap_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(requester=F("other")), name="swap_between_two_people"
            ),
            models.CheckConstraint(
                condition=~Q(requester_week=F("other_week")), name="swap_two_weeks"
            ),
            models.UniqueConstraint(
                fields=["unit", "requester_week", "other_week"],
                condition=Q(status="open"),
                name="swap_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} {self.requester_week} ⇄ {self.other} {self.other_week}"


class Chore(models.Model):
    """A shared chore on the unit's checklist (post, plants, the functional mailbox...)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="chores")
    title = models.CharField(_("chore"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("chore")
        verbose_name_plural = _("chores")
        ordering = ["unit", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ChoreTick(models.Model):
    """A chore done for one week."""

    chore = models.ForeignKey(Chore, on_delete=models.CASCADE, related_name="ticks")
    week = models.DateField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField()

    class Meta:
        verbose_name = _("chore done")
        verbose_name_plural = _("chores done")
        constraints = [models.UniqueConstraint(fields=["chore", "week"], name="chore_tick_unique")]

    def __str__(self) -> str:
        return f"{self.chore} {self.week:%G-W%V}"


class CalendarFeed(models.Model):
    """A private iCalendar address: a person's own calendar, or a unit's (`unit` set).

    Only the SHA-256 of the token is stored; the address is shown once, when it is made.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(unit__isnull=True, revoked_at__isnull=True),
                name="feed_one_personal",
            ),
            models.UniqueConstraint(
                fields=["person", "unit"],
                condition=Q(unit__isnull=False, revoked_at__isnull=True),
                name="feed_one_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.unit or ''}".strip()


class AutoReplyClaim(models.Model):
    """One auto-reply sent for `person` to `sender` on `day`: the unique constraint decides."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(max_length=254)
    day = models.DateField()
    claimed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("auto-reply sent")
        verbose_name_plural = _("auto-replies sent")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "sender", "day"], name="auto_reply_once_per_sender_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.sender} {self.day}"
