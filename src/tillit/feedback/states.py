"""The satisfaction survey's life: one enum, one table, one guard.

A closed case gets at most one survey. It is scheduled when the case closes (if the owning unit
samples it), sent when its delay has passed, and then answered once or left to expire. A survey
handed out on a receipt (short link or QR code) starts as sent. A case whose citizen left no
e-mail address is marked so instead of sent; that is not an error, just nothing to send.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveyStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    SENT = "sent", pgettext_lazy("survey", "sent")
    ANSWERED = "answered", _("answered")
    EXPIRED = "expired", _("expired")
    NO_ADDRESS = "no_address", _("no e-mail address")


SURVEY_TRANSITIONS: dict[SurveyStatus, frozenset[SurveyStatus]] = {
    SurveyStatus.SCHEDULED: frozenset({SurveyStatus.SENT, SurveyStatus.NO_ADDRESS}),
    SurveyStatus.SENT: frozenset({SurveyStatus.ANSWERED, SurveyStatus.EXPIRED}),
    # A receipt link can still be handed out when no e-mail could be sent.
    SurveyStatus.NO_ADDRESS: frozenset({SurveyStatus.SENT}),
    SurveyStatus.ANSWERED: frozenset(),
    SurveyStatus.EXPIRED: frozenset(),
}


def ensure_survey_transition(current: str, target: str) -> None:
    """Refuse a change the table does not allow; the message is what the citizen is told."""
    if SurveyStatus(target) in SURVEY_TRANSITIONS[SurveyStatus(current)]:
        return
    if current == SurveyStatus.ANSWERED:
        raise ValidationError(
            _("This survey has already been answered. Thank you!"), code="answered"
        )
    if current == SurveyStatus.EXPIRED:
        raise ValidationError(_("This survey link has expired."), code="expired")
    raise ValidationError(
        _("A survey that is %(current)s cannot become %(target)s."),
        code="invalid_transition",
        params={"current": SurveyStatus(current).label, "target": SurveyStatus(target).label},
    )


class SurveySource(models.TextChoices):
    CLOSED = "closed", _("e-mail after closing")
    RECEIPT = "receipt", _("link or QR code on a receipt")


class Score(models.IntegerChoices):
    """The citizen's answer on SKR's five-step scale; reported as 0-100 (5 = 100, 1 = 0)."""

    ONE = 1, "1"
    TWO = 2, "2"
    THREE = 3, "3"
    FOUR = 4, "4"
    FIVE = 5, "5"


def index_value(score: int) -> int:
    """A 1-5 answer on the 0-100 index scale SKR reports: 5=100, 4=75, 3=50, 2=25, 1=0."""
    if not 1 <= score <= 5:
        raise ValueError(score)
    return (score - 1) * 25


class CoCreation(models.TextChoices):
    """The handler's view of the meeting: did we create the value together?"""

    YES = "yes", _("yes, together")
    PARTLY = "partly", _("partly")
    NO = "no", _("no")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("to do")
    DONE = "done", _("done")


class Measure(models.TextChoices):
    """What a time-to-help figure measures: the whole case, or one leg of it."""

    CASE = "case", _("whole case")
    CENTRE = "centre", _("contact-centre leg")
    ADMINISTRATION = "administration", _("administration leg")
