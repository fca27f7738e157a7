"""The shape of a dialog session: its templates, their steps and what each step collects.

A template is a list of steps; each step has a kind. `own` collects private notes (shared at
will), `group` one joint answer per table, `plenary` up to N success factors per table. Step 0 is
the lobby (people join and are seated), a step past the last means the session is finished.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Template(models.TextChoices):
    THREE_STEPS = "tre_steg", _("Three steps: own reflection, small groups, plenary")
    ONE_TWO_FOUR_ALL = "1-2-4-alla", _("1-2-4-All")


class StepKind(models.TextChoices):
    OWN = "own", _("Own reflection")
    GROUP = "group", _("Small group")
    PLENARY = "plenary", _("Plenary")


class FactorStatus(models.TextChoices):
    SHOWN = "shown", _("shown")
    PINNED = "pinned", _("pinned")
    HIDDEN = "hidden", _("removed")
    MERGED = "merged", _("merged")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", pgettext_lazy("proposal", "accepted")
    REJECTED = "rejected", _("rejected")
    DONE = "done", _("carried out")


@dataclass(frozen=True)
class StepSpec:
    kind: StepKind
    name: str | Promise
    minutes: int
    question: str


TEMPLATES: dict[str, list[StepSpec]] = {
    Template.THREE_STEPS: [
        StepSpec(StepKind.OWN, _("Own reflection"), 5, "Hur har vi det nu?"),
        StepSpec(StepKind.GROUP, _("Small groups"), 15, "Vad ser vi tillsammans vid bordet?"),
        StepSpec(StepKind.PLENARY, _("Plenary"), 10, "Vilka är våra framgångsfaktorer?"),
    ],
    Template.ONE_TWO_FOUR_ALL: [
        StepSpec(StepKind.OWN, _("1: alone"), 1, "Vilka är våra framgångsfaktorer?"),
        StepSpec(StepKind.GROUP, _("2: in pairs"), 2, "Vilka idéer håller ni båda för?"),
        StepSpec(StepKind.GROUP, _("4: in fours"), 4, "Vilka idéer sticker ut vid bordet?"),
        StepSpec(StepKind.PLENARY, _("All: the whole room"), 5, "Vilka är våra framgångsfaktorer?"),
    ],
}


def steps_of(template: str) -> list[StepSpec]:
    return TEMPLATES[template]
