"""Reading one e-mail as it arrived: who wrote it, what it answers, the text (plain text preferred,
HTML sanitised), its attachments, and whether a machine wrote it (RFC 3834) or a list sent it.

Nothing here touches the database. Swedish mail comes in UTF-8, ISO-8859-1 and Windows-1252, often
mislabelled; ISO-8859-1 is read as Windows-1252 (as browsers do), and a part that does not decode
as labelled falls back to UTF-8, then Windows-1252, so no text is ever lost to a charset.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import nh3
from django.utils import timezone

_ID = re.compile(r"<([^<>\s]+)>")
_REPLY_PREFIX = re.compile(r"^\s*((re|sv|svar|vs|aw|fw|fwd|vb|wg|tr)\s*(\[\d+\])?\s*:\s*)+", re.I)
_HTML_TAGS = frozenset(nh3.ALLOWED_TAGS - {"img", "map", "area"})
_BLOCK_END = re.compile(r"<\s*(br|hr|/p|/div|/li|/tr|/h[1-6]|/table|/blockquote)\b[^>]*>", re.I)
_LIST_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
_QUOTE_START = [
    re.compile(r"^-{2,}\s*(ursprungligt meddelande|original message|originalmeddelande)", re.I),
    re.compile(r"^(den|on)\s.{4,250}\b(skrev|wrote)\b.{0,250}:\s*$", re.I),
    re.compile(r"^_{10,}\s*$"),  # Outlook's rule above the quoted header block
]
_QUOTE_HEADER = re.compile(r"^\*?(från|from)\s*:\*?\s+\S", re.I)
_QUOTE_HEADER_NEXT = re.compile(r"^\*?(skickat|sent|datum|date)\s*:", re.I)
_MACHINE_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply")


@dataclass(frozen=True)
class MailPart:
    """An attachment as the sender labelled it; `tillit.mailbox.attachments` decides about it."""

    filename: str
    declared_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str
    key: str
    from_name: str
    from_address: str
    to: list[str]
    subject: str
    sent_at: datetime | None
    in_reply_to: list[str]
    references: list[str]
    text: str
    html: str
    attachments: list[MailPart] = field(default_factory=list)
    auto_submitted: bool = False
    bounce: bool = False
    bulk: bool = False
    unanswerable_sender: bool = False
    bounced_ids: list[str] = field(default_factory=list)

    @property
    def automatic(self) -> bool:
        """Written by a machine (auto-reply, bounce): never answered, never reopens a case."""
        return self.auto_submitted or self.bounce

    @property
    def may_be_answered_automatically(self) -> bool:
        """RFC 3834: no automatic answer to automatic mail, lists, or a null return path."""
        return not (
            self.automatic or self.bulk or self.unanswerable_sender or not self.from_address
        )

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, nearest first (In-Reply-To, then References)."""
        seen: list[str] = []
        for value in [*self.in_reply_to, *reversed(self.references), *self.bounced_ids]:
            if value not in seen:
                seen.append(value)
        return seen


def message_key(message_id: str) -> str:
    """The key a Message-ID is stored and matched under (fixed length, index friendly)."""
    return hashlib.sha256(f"mid:{message_id}".encode()).hexdigest()


def decode_bytes(data: bytes, charset: str | None) -> str:
    label = (charset or "").strip().lower()
    if label in {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "cp819"}:
        candidates = ["windows-1252"]
    elif label in {"us-ascii", "ascii", ""}:
        candidates = ["utf-8", "windows-1252"]
    else:
        candidates = [label, "utf-8", "windows-1252"]
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")  # maps every byte: nothing is lost


def sanitise_html(value: str) -> str:
    """Only harmless markup: no scripts, styles, images (tracking pixels) or event handlers."""
    return nh3.clean(
        value,
        tags=set(_HTML_TAGS),
        clean_content_tags={"script", "style", "title", "head"},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )


def html_to_text(value: str) -> str:
    marked = _LIST_ITEM.sub("\n• ", _BLOCK_END.sub("\n", value))
    stripped = nh3.clean(
        marked, tags=set(), clean_content_tags={"script", "style", "title", "head"}
    )
    return tidy_text(html_lib.unescape(stripped))


def tidy_text(value: str) -> str:
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.replace("\x00", "").strip()


def strip_quoted(text: str) -> str:
    """The new part of an answer, without the quoted earlier message below it."""
    lines = text.split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if any(pattern.match(stripped) for pattern in _QUOTE_START) or (
            _QUOTE_HEADER.match(stripped)
            and any(_QUOTE_HEADER_NEXT.match(n.strip()) for n in lines[index + 1 : index + 5])
        ):
            cut = index
            break
    kept = lines[:cut]
    while kept and (kept[-1].startswith(">") or not kept[-1].strip()):
        kept.pop()
    result = "\n".join(kept).strip()
    return result or text


def clean_subject(subject: str) -> str:
    return " ".join(_REPLY_PREFIX.sub("", subject).split())


def _decoded(value: str) -> str:
    """A header's text: raw 8-bit bytes read by charset, RFC 2047 encoded words decoded."""
    if any("\udc80" <= char <= "\udcff" for char in value):
        value = decode_bytes(value.encode("ascii", "surrogateescape"), None)
    if "=?" in value:
        try:
            parts = decode_header(value)
            value = "".join(
                decode_bytes(text, charset) if isinstance(text, bytes) else text
                for text, charset in parts
            )
        except (HeaderParseError, LookupError, UnicodeError, ValueError):
            pass
    return value


def _raw_header(message: Message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    if isinstance(value, Header):
        value = str(value)
    return " ".join(str(value).split())


def _header(message: Message, name: str) -> str:
    return " ".join(_decoded(_raw_header(message, name)).split())


def _ids(value: str) -> list[str]:
    found = _ID.findall(value)
    if not found and value.strip():
        found = value.split()
    return [item.strip("<>") for item in found if item.strip("<>")]


def _sender(message: Message) -> tuple[str, str]:
    # Split the raw header first: a decoded name may itself contain commas or angle brackets.
    name, address = parseaddr(_raw_header(message, "From"))
    name = " ".join(_decoded(name).split()).strip()[:200]
    address = address.strip().lower()
    if "@" not in address or any(c.isspace() for c in address) or len(address) > 254:
        return name, ""
    return name, address


def _sent_at(message: Message) -> datetime | None:
    try:
        moment = parsedate_to_datetime(_raw_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _leaves(part: Message) -> Iterator[Message]:
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub)
    else:
        yield part


def _payload(part: Message) -> bytes:
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return bytes(inner[0].as_bytes())
        return str(inner).encode()
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _text_of(part: Message) -> str:
    return decode_bytes(_payload(part), part.get_content_charset())


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or bool(part.get_filename())


def _body_parts(message: Message) -> tuple[Message | None, Message | None]:
    """The first inline text/plain and text/html parts: the message's text, as mail clients
    choose it (a multipart/alternative offers both; plain text is preferred)."""
    plain = rich = None
    for leaf in _leaves(message):
        if _is_attachment(leaf):
            continue
        kind = leaf.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = leaf
        elif kind == "text/html" and rich is None:
            rich = leaf
    return plain, rich


def _bounced_ids(message: Message) -> list[str]:
    found: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                found += _ids(_header(inner[0], "Message-ID"))
        elif kind == "text/rfc822-headers":
            match = re.search(r"^message-id:\s*(.+)$", _text_of(part), re.I | re.M)
            if match:
                found += _ids(match.group(1))
    return found


def _content_key(raw: bytes, message: Message) -> str:
    """For a message without a Message-ID: what stays the same when a server delivers it again
    (the trace headers above it change, the sender, date, subject and body do not)."""
    head_end = raw.find(b"\r\n\r\n")
    body = raw[head_end + 4 :] if head_end >= 0 else raw[raw.find(b"\n\n") + 2 :]
    digest = hashlib.sha256()
    for name in ("From", "Date", "Subject", "To"):
        digest.update(_header(message, name).encode("utf-8", "replace") + b"\n")
    digest.update(body)
    return hashlib.sha256(b"content:" + digest.digest()).hexdigest()


def parse_message(raw: bytes) -> ParsedMessage:
    # The compat32 policy keeps headers as plain text: several times faster than the default
    # policy's header objects; encoded words and 8-bit headers are decoded here, by charset.
    message = message_from_bytes(raw, policy=policy.compat32)
    message_ids = _ids(_header(message, "Message-ID"))
    message_id = message_ids[0][:250] if message_ids else ""
    from_name, from_address = _sender(message)
    plain, rich = _body_parts(message)
    text_parts: list[str] = []
    attachments: list[MailPart] = []
    html = ""
    for number, leaf in enumerate(_leaves(message), start=1):
        if leaf is plain:
            text_parts.insert(0, _text_of(leaf))
            continue
        if leaf is rich:
            html = _text_of(leaf)
            continue
        kind = leaf.get_content_type()
        filename = _decoded(leaf.get_filename() or "")
        inline_text = kind == "text/plain" and not _is_attachment(leaf)
        if inline_text and plain is not None:
            text_parts.append(_text_of(leaf))  # Apple Mail splits text around inline pictures
        elif kind not in {"message/delivery-status", "text/rfc822-headers"}:
            attachments.append(
                MailPart(
                    filename=filename or f"bilaga-{number}", declared_type=kind, data=_payload(leaf)
                )
            )
    text = tidy_text("\n\n".join(part for part in text_parts if part.strip()))
    safe_html = sanitise_html(html) if html else ""
    if not text and html:
        text = html_to_text(html)
    auto = _header(message, "Auto-Submitted").lower()
    precedence = _header(message, "Precedence").lower()
    local_part = from_address.split("@", 1)[0]
    report = message.get_content_type() == "multipart/report"
    bounce = (report and message.get_param("report-type", "") == "delivery-status") or (
        local_part in {"mailer-daemon", "postmaster"}
    )
    machine = (
        (auto not in {"", "no"})
        or precedence in {"auto_reply", "auto-reply"}
        or bool(_header(message, "X-Autoreply") or _header(message, "X-Autorespond"))
    )
    bulk = precedence in {"bulk", "list", "junk"} or any(
        _header(message, name) for name in ("List-Id", "List-Unsubscribe", "List-Post")
    )
    addresses = getaddresses([_raw_header(message, "To"), _raw_header(message, "Cc")])
    return ParsedMessage(
        message_id=message_id,
        key=message_key(message_id) if message_id else _content_key(raw, message),
        from_name=from_name,
        from_address=from_address,
        to=[address.lower() for _name, address in addresses if "@" in address],
        subject=_header(message, "Subject")[:300],
        sent_at=_sent_at(message),
        in_reply_to=_ids(_header(message, "In-Reply-To")),
        references=_ids(_header(message, "References")),
        text=text,
        html=safe_html,
        attachments=attachments,
        auto_submitted=machine,
        bounce=bounce,
        bulk=bulk,
        unanswerable_sender=_header(message, "Return-Path") == "<>"
        or local_part.startswith(_MACHINE_SENDERS),
        bounced_ids=_bounced_ids(message) if report else [],
    )
