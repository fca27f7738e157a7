"""Which mail attachments Tillit keeps, and where.

A file is kept when it is within the size limit and its bytes (sniffed with `filetype`, never the
sender's label or file name) are a document or picture type staff can open safely; text files
have no magic number and are kept when they decode as text. Kept files go under MEDIA_ROOT (outside
the web root), named by their SHA-256, so storing the same file twice writes it once and a retried
ingest after a crash finds its file already there.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tillit.cases.attachments import KINDS, Refused, check_file
from tillit.mailbox.parsing import MailPart

SNIFFED_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/tiff",
        "image/bmp",
        "image/heic",
        "image/avif",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/rtf",
    }
)
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)
TEXT_TYPES = frozenset({"text/plain", "text/csv", "text/calendar", "message/rfc822"})


@dataclass(frozen=True)
class Verdict:
    keep: bool
    content_type: str
    reason: str = ""  # why it was refused, in English for the log's data (the UI translates)


def safe_filename(name: str) -> str:
    """The file name without any folder part or control characters (Swedish letters kept)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable()).strip()
    cleaned = cleaned.lstrip(".") or "bilaga"
    if len(cleaned) > 200:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = f"{stem[:190]}.{suffix[:9]}" if dot else cleaned[:200]
    if cleaned.split(".")[0].strip().lower() in WINDOWS_DEVICES:
        cleaned = f"_{cleaned}"  # "CON.pdf" names a device on Windows, not a file
    return cleaned


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return False
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 text decodes with at most a few undefined bytes.
        return data[:65536].decode("windows-1252", "replace").count("\ufffd") < 4
    return True


def _passes_case_checks(data: bytes, content_type: str) -> bool:
    """The kinds the web form also takes get its content checks (decision 0370): polyglots, zip
    bombs, overlapping entries and macros are refused here too, whatever the mail calls them."""
    kind = next((k for k in KINDS if k.content_type == content_type), None)
    if kind is None:
        return True
    try:
        check_file(ContentFile(data, name=f"bilaga.{kind.extensions[0]}"))
    except Refused:
        return False
    return True


def judge(part: MailPart, *, max_bytes: int) -> Verdict:
    if len(part.data) > max_bytes:
        return Verdict(False, part.declared_type, "too_large")
    if not part.data:
        return Verdict(False, part.declared_type, "empty")
    sniffed = filetype.guess_mime(part.data)
    if sniffed is not None:
        if sniffed not in SNIFFED_TYPES:
            return Verdict(False, sniffed, "type_not_allowed")
        if not _passes_case_checks(part.data, sniffed):
            return Verdict(False, sniffed, "type_not_allowed")
        return Verdict(True, sniffed)
    if part.declared_type in TEXT_TYPES and (
        part.declared_type == "message/rfc822" or _looks_like_text(part.data)
    ):
        return Verdict(True, part.declared_type)
    return Verdict(False, part.declared_type, "type_not_allowed")


def save_file(data: bytes) -> tuple[str, str]:
    """Write the bytes once under MEDIA_ROOT; return (storage name, SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    name = f"mailbox/{digest[:2]}/{digest}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name, digest
