"""The municipality, its units (a tree), the people who work there and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(_("municipality code"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    CONTACT_CENTRE = "contact_centre", _("contact centre")
    ADMINISTRATION = "administration", _("administration")
    TEAM = "team", _("team")


class Unit(models.Model):
    """A contact centre, an administration (förvaltning) or a team inside one of them."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="units", verbose_name=_("municipality")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(
        _("short code"),
        max_length=10,
        help_text=_("Used as the prefix of registration numbers, e.g. KC."),
    )
    email = models.EmailField(_("functional e-mail address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="unit_code_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in UnitKind]), name="unit_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Person(AbstractUser):
    """A member of staff. Citizens are not people here: they are parties to cases."""

    title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    work_fraction = models.PositiveSmallIntegerField(
        _("working time (%)"), default=100, help_text=_("Part-time staff are weighted by this.")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    STAFF = "staff", _("staff")
    CONTACT_PERSON = "contact_person", _("contact person")
    MANAGER = "manager", _("manager")
    REGISTRAR = "registrar", _("registrar")
    ADMINISTRATOR = "administrator", _("administrator")


class Membership(models.Model):
    """A person's role in a unit. A person may hold several roles and belong to several units."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.unit} ({self.get_role_display()})"


class ClosedDay(models.Model):
    """A day the municipality's offices are closed beyond public holidays (e.g. a klämdag)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="closed_days"
    )
    day = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "day"], name="closed_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.reason}"
