"""The absence auto-reply: its texts in Swedish and English, and which mail never gets one.

The person edits both texts when booking (they start from the defaults below). Placeholders are
filled in when the reply is sent, so a changed cover or an absence ended early is always told
right: {name}, {cover}, {cover_email}, {cover_phone} and {back}. Only these names are replaced;
anything else in braces is left as written (user text is never run through str.format).

Which mail gets a reply (RFC 3834): never one that is itself automatic (Auto-Submitted other
than "no", Precedence bulk/list/junk, X-Autoreply...), never mailing-list mail (List-Id,
List-Unsubscribe...), never a bounce (empty Return-Path, mailer-daemon) and never a no-reply
sender; and at most one per sender and day (`actions.claim_auto_reply`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core.workdays import is_working_day
from tillit.team.periods import NOON
from tillit.team.states import AbsenceKind

PLACEHOLDER = re.compile(r"\{(name|cover|cover_email|cover_phone|back)\}")

DEFAULT_TEXT = {
    AbsenceKind.REFLECTION: gettext_lazy(
        "Hello,\n\nI am taking time for reflection and planning and do not read e-mail "
        "meanwhile. I am back {back}.\n\nUntil then {cover} helps you: {cover_email}\n\n"
        "Kind regards\n{name}"
    ),
    "away": gettext_lazy(
        "Hello,\n\nI am away and do not read e-mail until I am back {back}.\n\n"
        "Until then {cover} helps you: {cover_email}\n\nKind regards\n{name}"
    ),
}

AUTOMATIC_SENDER = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|noreply[-.+].*|bounces?[-.+]?.*"
    r"|listserv|majordomo)@",
    re.IGNORECASE,
)
LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post", "list-help", "list-owner")
AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponse", "x-auto-reply")


@dataclass(frozen=True)
class Helper:
    """Who helps meanwhile, as the reply names them."""

    name: str
    email: str = ""
    phone: str = ""


def default_texts(kind: str) -> tuple[str, str]:
    """The Swedish and English starting texts for a kind of absence."""
    message = DEFAULT_TEXT.get(kind, DEFAULT_TEXT["away"])
    with translation.override("sv"):
        swedish = str(message)
    with translation.override("en"):
        english = str(message)
    return swedish, english


def fill(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def back_phrase(ends_at: datetime, closed: frozenset[date], language: str) -> str:
    """When the person is back, in the given language: "måndag 12 maj" or "at noon"."""
    end = timezone.localtime(ends_at)
    with translation.override(language):
        if end.time() == NOON:
            return _("on %(day)s at noon") % {"day": date_format(end.date(), "l j F")}
        day = end.date()
        for _step in range(60):
            if is_working_day(day, closed):
                break
            day += timedelta(days=1)
        return _("on %(day)s") % {"day": date_format(day, "l j F")}


def compose(
    *,
    name: str,
    helper: Helper,
    reply_sv: str,
    reply_en: str,
    kind: str,
    ends_at: datetime,
    closed: frozenset[date],
) -> tuple[str, str]:
    """(subject, body): the Swedish text, then the English one."""
    default_sv, default_en = default_texts(kind)
    parts = []
    for language, text, default in (("sv", reply_sv, default_sv), ("en", reply_en, default_en)):
        values = {
            "name": name,
            "cover": helper.name,
            "cover_email": helper.email,
            "cover_phone": helper.phone,
            "back": back_phrase(ends_at, closed, language),
        }
        parts.append(fill(text.strip() or default, values).strip())
    with translation.override("sv"):
        subject_sv = _("Auto-reply: %(name)s is away") % {"name": name}
    with translation.override("en"):
        subject_en = _("Auto-reply: %(name)s is away") % {"name": name}
    return f"{subject_sv} / {subject_en}", f"{parts[0]}\n\n-- In English --\n\n{parts[1]}\n"


def is_automatic_mail(headers: Mapping[str, str], sender: str) -> bool:
    """True for mail that must never get an auto-reply (RFC 3834 and common list headers)."""
    found = {key.lower(): str(value).strip().lower() for key, value in headers.items()}
    if found.get("auto-submitted", "no") not in {"", "no"}:
        return True
    if found.get("precedence") in {"bulk", "list", "junk", "auto_reply"}:
        return True
    if any(key in found for key in LIST_HEADERS + AUTO_HEADERS):
        return True
    suppress = found.get("x-auto-response-suppress", "")
    if any(word in suppress for word in ("all", "oof", "autoreply")):
        return True
    if found.get("return-path") == "<>":
        return True
    address = sender.strip().lower()
    return not address or "@" not in address or bool(AUTOMATIC_SENDER.match(address))
