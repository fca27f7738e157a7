"""The case and hand-over state machines: one enum, one table, one guard each.

A case is worked by its owning unit until it is closed or cancelled. A hand-over offer is open
until the receiver accepts or returns it, or the sender withdraws it; an open offer never moves
ownership (DESIGN: until it is accepted the sender still owns the case).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting for the citizen")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATUSES = frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.CLOSED, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.CLOSED, Status.CANCELLED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.CLOSED, Status.CANCELLED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),  # reopened when the citizen writes again
    Status.CANCELLED: frozenset(),
}


def ensure_transition(current: str, target: str) -> None:
    """Refuse a status change the table does not allow, naming both states."""
    if Status(target) not in TRANSITIONS[Status(current)]:
        raise ValidationError(
            _("A case that is %(current)s cannot become %(target)s."),
            code="invalid_transition",
            params={"current": Status(current).label, "target": Status(target).label},
        )


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("offered")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")
    WITHDRAWN = "withdrawn", _("withdrawn")


HANDOVER_TRANSITIONS: dict[HandoverStatus, frozenset[HandoverStatus]] = {
    HandoverStatus.OPEN: frozenset(
        {HandoverStatus.ACCEPTED, HandoverStatus.RETURNED, HandoverStatus.WITHDRAWN}
    ),
    HandoverStatus.ACCEPTED: frozenset(),
    HandoverStatus.RETURNED: frozenset(),
    HandoverStatus.WITHDRAWN: frozenset(),
}


def ensure_handover_transition(current: str, target: str) -> None:
    if HandoverStatus(target) not in HANDOVER_TRANSITIONS[HandoverStatus(current)]:
        raise ValidationError(
            _("This hand-over is already %(current)s."),
            code="handover_answered",
            params={"current": HandoverStatus(current).label},
        )


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    VISIT = "visit", _("visit")
    LETTER = "letter", _("letter")
    WEB = "web", _("web form")
    EMAIL = "email", _("e-mail")
    API = "api", _("API")


class EventKind(models.TextChoices):
    CREATED = "created", _("registered")
    ASSIGNED = "assigned", _("handler assigned")
    UNASSIGNED = "unassigned", _("handler removed")
    NOTE = "note", _("internal note")
    REPLY = "reply", _("reply to the citizen")
    CITIZEN_MESSAGE = "citizen_message", _("message from the citizen")
    ORAL_INFORMATION = "oral_information", _("oral information noted")
    STATUS = "status", _("status changed")
    DUE_DATE = "due_date", _("due date changed")
    OFFERED = "offered", _("hand-over offered")
    ACCEPTED = "accepted", _("hand-over accepted")
    RETURNED = "returned", _("hand-over returned")
    WITHDRAWN = "withdrawn", _("hand-over withdrawn")
    ESCALATED = "escalated", _("hand-over escalated")
    SECRECY = "secrecy", _("secrecy marking changed")
    SECRET_READ = "secret_read", _("secret case read")
    ATTACHMENT = "attachment", _("attachment added")
    CASE_TYPE = "case_type", _("case type changed")
    # Contributed by other capabilities through `actions.append_event` (see CONTRIBUTED_KINDS).
    CHECKLIST = "checklist", _("checklist updated")
    QUESTION = "question", _("question to a colleague")
    ANSWER = "answer", _("answer from a colleague")
    EMAIL_IN = "email_in", _("e-mail received")
    EMAIL_OUT = "email_out", _("e-mail sent")
    FOLLOW_UP = "follow_up", _("follow-up requested")
    FEEDBACK = "feedback", _("feedback")


# Kinds that other apps append with `tillit.cases.actions.append_event`; every other kind belongs
# to a named action in `tillit.cases.actions`, which keeps its rule and its event together.
CONTRIBUTED_KINDS = frozenset(
    {
        EventKind.CHECKLIST,
        EventKind.QUESTION,
        EventKind.ANSWER,
        EventKind.EMAIL_IN,
        EventKind.EMAIL_OUT,
        EventKind.FOLLOW_UP,
        EventKind.FEEDBACK,
    }
)
