"""The case log as a readable timeline: who, in which unit, when, what, and for whom it was written.

Notes (internal), replies (to the citizen) and the citizen's own messages are told apart by a
category that the page shows in words as well as in colour; oral information shows who gave it
and when (FL 27 §).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from django.utils import dateformat, formats, timezone
from django.utils.functional import Promise
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tillit.cases.models import CaseEvent
from tillit.cases.states import Channel, EventKind, Status
from tillit.core.markup import esc

CATEGORY = {
    EventKind.NOTE: "note",
    EventKind.REPLY: "reply",
    EventKind.EMAIL_OUT: "reply",
    EventKind.CITIZEN_MESSAGE: "citizen",
    EventKind.EMAIL_IN: "citizen",
    EventKind.ORAL_INFORMATION: "oral",
    EventKind.OFFERED: "handover",
    EventKind.ACCEPTED: "handover",
    EventKind.RETURNED: "handover",
    EventKind.WITHDRAWN: "handover",
    EventKind.ESCALATED: "handover",
    EventKind.SECRECY: "secret",
    EventKind.SECRET_READ: "secret",
}

AUDIENCE = {
    "note": _("Internal: never shown to the citizen"),
    "reply": _("Sent to the citizen"),
    "citizen": _("Written by the citizen"),
    "oral": _("Given orally (FL 27 §)"),
}

WHERE = {
    "page": _("case page"),
    "api": _("API"),
    "attachment": _("attachment"),
}


# By the kind's plain value: an enum member hashes by its name, so a dict keyed by members misses
# a plain string.
_CATEGORY_BY_VALUE = {str(kind.value): category for kind, category in CATEGORY.items()}


@dataclass
class Entry:
    """Everything the page shows of one event, made ready here so that the page renders the log
    in one loop of plain look-ups (decision 0440)."""

    event: CaseEvent
    title: str
    category: str
    who: str
    details: list[tuple[str | Promise, str]] = field(default_factory=list)
    unit: str = ""
    at_iso: str = ""
    at_label: str = ""
    audience: str = ""
    body: str = ""


@dataclass(frozen=True)
class _Reader:
    """What every entry of one log shares: the reader's time zone and date formats, and the
    status labels in the reader's language, looked up once per page."""

    zone: tzinfo
    short_date: str
    short_datetime: str
    statuses: dict[str, str]

    @classmethod
    def now(cls) -> _Reader:
        return cls(
            zone=timezone.get_current_timezone(),
            short_date=formats.get_format("SHORT_DATE_FORMAT"),
            short_datetime=formats.get_format("SHORT_DATETIME_FORMAT"),
            statuses={str(status.value): str(status.label) for status in Status},
        )

    def when(self, value: object) -> str:
        """A moment as `formats.date_format(timezone.localtime(…), "SHORT_DATETIME_FORMAT")`."""
        if not isinstance(value, str) or not value:
            return ""
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return dateformat.format(timezone.localtime(moment, self.zone), self.short_datetime)

    def day(self, value: object) -> str:
        if not isinstance(value, str) or not value:
            return "–"
        try:
            return dateformat.format(date.fromisoformat(value), self.short_date)
        except ValueError:
            return value

    def status(self, value: object) -> str:
        return self.statuses.get(str(value), str(value))


def _details(event: CaseEvent, reader: _Reader) -> list[tuple[str | Promise, str]]:
    data = event.data or {}
    kind = event.kind
    rows: list[tuple[str | Promise, str]] = []
    if kind == EventKind.CREATED:
        channel = str(data.get("channel", ""))
        label = Channel(channel).label if channel in Channel.values else channel
        rows = [(_("Channel"), capfirst(str(label))), (_("Owner"), str(data.get("owner", "")))]
        if data.get("no_personal_number_reason"):
            rows.append((_("No personnummer"), str(data["no_personal_number_reason"])))
    elif kind in {EventKind.ASSIGNED, EventKind.UNASSIGNED}:
        rows = [(_("Handler"), str(data.get("handler", "")))]
    elif kind == EventKind.ORAL_INFORMATION:
        rows = [(_("Given"), reader.when(data.get("given_at")))]
    elif kind == EventKind.STATUS:
        rows = [
            (_("From"), reader.status(data.get("from"))),
            (_("To"), reader.status(data.get("to"))),
        ]
    elif kind == EventKind.DUE_DATE:
        rows = [(_("From"), reader.day(data.get("from"))), (_("To"), reader.day(data.get("to")))]
    elif kind == EventKind.CASE_TYPE:
        rows = [(_("From"), str(data.get("from", ""))), (_("To"), str(data.get("to", "")))]
    elif kind == EventKind.OFFERED:
        rows = [(_("Offered to"), str(data.get("to_unit", "")))]
        if data.get("to_person"):
            rows.append((_("Addressed to"), str(data["to_person"])))
        rows += [
            (_("What is expected"), str(data.get("expected", ""))),
            (_("Answer by"), reader.when(data.get("answer_by"))),
        ]
    elif kind == EventKind.ACCEPTED:
        rows = [
            (_("From"), str(data.get("from_unit", ""))),
            (_("To"), str(data.get("to_unit", ""))),
        ]
        if data.get("handler"):
            rows.append((_("Handler"), str(data["handler"])))
    elif kind in {EventKind.RETURNED, EventKind.WITHDRAWN}:
        rows = [(_("Offered to"), str(data.get("to_unit", "")))]
    elif kind == EventKind.ESCALATED:
        rows = [
            (_("Offered to"), str(data.get("to_unit", ""))),
            (_("Answer by"), reader.when(data.get("answer_by"))),
        ]
    elif kind == EventKind.SECRECY:
        if data.get("secret"):
            rows = [(_("Provision (OSL)"), str(data.get("provision", "")))]
        else:
            rows = [(_("Secrecy"), str(_("removed")))]
    elif kind == EventKind.SECRET_READ:
        where = str(data.get("where", ""))
        rows = [(_("Read on"), str(WHERE.get(where, where)))]
    return rows


def _title(kind: str) -> str:
    """The kind's label with a capital, or the kind itself when it has none."""
    try:
        label = str(EventKind(kind).label)
    except ValueError:
        label = ""
    return capfirst(label) or capfirst(kind)


def entries(events: Iterable[CaseEvent]) -> list[Entry]:
    """One entry per event, oldest first (the log's own order)."""
    titles: dict[str, str] = {}  # of the kinds in this log, translated once each
    audiences = {category: str(text) for category, text in AUDIENCE.items()}
    system = str(_("system"))
    reader = _Reader.now()  # the reader's zone, formats and labels, once for the log
    result = []
    for event in events:
        category = _CATEGORY_BY_VALUE.get(event.kind, "system")
        at = timezone.localtime(event.at, reader.zone)
        result.append(
            Entry(
                event=event,
                title=titles.get(event.kind) or titles.setdefault(event.kind, _title(event.kind)),
                category=category,
                who=str(event.actor) if event.actor_id else (event.actor_label or system),
                details=_details(event, reader),
                unit=event.unit.name,
                at_iso=at.isoformat(),
                at_label=dateformat.format(at, reader.short_datetime),
                audience=audiences.get(category, ""),
                # Escaped by linebreaks itself, then marked safe as the |linebreaks filter does.
                body=mark_safe(linebreaks(event.body, autoescape=True)) if event.body else "",  # noqa: S308
            )
        )
    return result


# The markup of one log entry, white space included, exactly as the case page's loop wrote it
# (decision 0470; `tests/test_timeline_html.py` renders the old loop and compares byte for byte).
_ENTRY = (
    '\n    <li class="timeline__entry timeline__entry--{}" id="handelse-{}">'
    '\n      <h3 class="timeline__title">{}</h3>'
    '\n      <p class="timeline__meta">{}, {}, <time datetime="{}">{}</time></p>'
    "\n      {}\n      {}\n      {}\n    </li>\n    "
)
_DETAILS = '\n      <dl class="facts timeline__details">\n        {}\n      </dl>\n      '


def entry_html(entry: Entry) -> str:
    """One entry's `<li>`, as `format_html` would make it: every value goes through `esc`
    (`conditional_escape`), which escapes what is not already safe (the body is, being the
    output of `linebreaks(…, autoescape=True)`)."""
    audience = f'<p class="timeline__audience">{esc(entry.audience)}</p>' if entry.audience else ""
    body = f'<div class="timeline__body">{esc(entry.body)}</div>' if entry.body else ""
    details = (
        _DETAILS.format(
            "".join(f"<dt>{esc(name)}</dt><dd>{esc(value)}</dd>" for name, value in entry.details)
        )
        if entry.details
        else ""
    )
    return _ENTRY.format(
        esc(entry.category),
        entry.event.pk,
        esc(entry.title),
        esc(entry.who),
        esc(entry.unit),
        esc(entry.at_iso),
        esc(entry.at_label),
        audience,
        body,
        details,
    )


def log_html(entries: Iterable[Entry]) -> SafeString:
    """The log's entries as the page shows them inside its `<ol>`."""
    return mark_safe("".join(entry_html(entry) for entry in entries))  # noqa: S308 - each escaped
