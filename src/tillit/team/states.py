"""The team capability's vocabularies and the one state machine it has: a hero-week swap.

A swap is asked for by one colleague (asking is their confirmation) and is done only when the
other confirms; until then both keep their own weeks. It can also be declined, withdrawn, or made
void when the rota under it changes (DESIGN: nothing moves without the people it concerns).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AbsenceKind(models.TextChoices):
    REFLECTION = "reflection", _("reflection day")
    VACATION = "vacation", _("vacation or leave")
    ILLNESS = "illness", _("illness or care of a sick child")
    OTHER = "other", _("other absence (course, travel)")


# Planned absences must leave the unit staffed; illness is recorded, never refused for that.
PLANNED_KINDS = frozenset({AbsenceKind.REFLECTION, AbsenceKind.VACATION, AbsenceKind.OTHER})
# Kinds that always name a covering colleague; for the others a cover is optional.
COVER_REQUIRED_KINDS = frozenset({AbsenceKind.REFLECTION})


class DayPart(models.TextChoices):
    WHOLE = "whole", _("whole day")
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")


class HeroSource(models.TextChoices):
    GENERATED = "generated", _("planned by the rota")
    SWAPPED = "swapped", _("swapped by agreement")


class SwapStatus(models.TextChoices):
    OPEN = "open", _("waiting for the colleague")
    CONFIRMED = "confirmed", _("confirmed by both")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("swap", "withdrawn")
    VOID = "void", _("void: the rota changed")


SWAP_TRANSITIONS: dict[SwapStatus, frozenset[SwapStatus]] = {
    SwapStatus.OPEN: frozenset(
        {SwapStatus.CONFIRMED, SwapStatus.DECLINED, SwapStatus.WITHDRAWN, SwapStatus.VOID}
    ),
    SwapStatus.CONFIRMED: frozenset(),
    SwapStatus.DECLINED: frozenset(),
    SwapStatus.WITHDRAWN: frozenset(),
    SwapStatus.VOID: frozenset(),
}


def ensure_swap_transition(current: str, target: str) -> None:
    """Refuse a change the table does not allow, naming the state the swap is already in."""
    if SwapStatus(target) not in SWAP_TRANSITIONS[SwapStatus(current)]:
        raise ValidationError(
            {
                "swap": ValidationError(
                    _("This swap is already %(current)s."),
                    code="swap_answered",
                    params={"current": SwapStatus(current).label},
                )
            }
        )
