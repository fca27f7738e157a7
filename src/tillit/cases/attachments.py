"""The one place files enter a case: checked, stored outside the web root, written to the log.

A file is accepted only when its content is one of the allowed kinds (decided by sniffing the
bytes, never by the name or the browser's content type), its extension names the same kind, and
it is neither an archive nor a file that is two formats at once (a polyglot). DOCX and ODT are
zip files: their directory is read, never extracted, and refused when it could unpack to far more
than it weighs (a zip bomb), overlaps itself, is encrypted or carries macros.

Files are stored under a generated name (`cases/YYYY/MM/<random>.<ext>` below MEDIA_ROOT); the
cleaned original name is kept for display. They are written before the rows that point at them,
inside the caller's transaction: a row never lacks its file. Inside `atomic_with_files()` a
rollback removes the files at once; files left by a rollback elsewhere or a killed process have
no row and are removed by `sweep_orphan_files` after a grace period.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import secrets
import struct
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.cases.models import Attachment, Case, CaseEvent
from tillit.cases.states import EventKind, Status
from tillit.organisation.models import Person

log = logging.getLogger(__name__)

FIELD = "files"
STORAGE_DIR = "cases"
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")
HEAD_BYTES = 8192
# Browsers and PDF readers look for markup and a PDF header this far into a file.
SNIFF_WINDOW = 1024
MARKUP = re.compile(rb"<\s*(html|script|body|iframe|svg|!doctype\s+html)\b", re.IGNORECASE)
# A DOCX or ODT may unpack to this many times its size, entry by entry and in total.
MAX_RATIO = 100
MAX_ENTRIES = 2000
MAX_ENTRY_NAME = 400
SMALL_ENTRY = 1024 * 1024  # [Content_Types].xml and mimetype are read, bounded to this
RISKY_MEMBERS = re.compile(
    r"(vbaProject\.bin|vbaData\.xml|\.(exe|dll|com|bat|cmd|js|vbs|jar|zip|rar|7z|gz|tar|cab|msi))$",
    re.IGNORECASE,
)
PDF_RISKS = (b"/EmbeddedFile", b"/Launch")
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODT_MIME = "application/vnd.oasis.opendocument.text"
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)
ARCHIVE_EXTENSIONS = {
    "zip", "rar", "7z", "gz", "tgz", "tar", "bz2", "xz", "zst", "cab", "jar", "iso", "lz", "z",
}  # fmt: skip
ARCHIVE_MIMES = {
    "application/zip",
    "application/x-tar",
    "application/x-rar-compressed",
    "application/gzip",
    "application/x-bzip2",
    "application/x-7z-compressed",
    "application/x-xz",
    "application/x-lzip",
    "application/zstd",
    "application/x-unix-archive",
    "application/x-compress",
    "application/vnd.ms-cab-compressed",
    "application/x-rpm",
    "application/x-deb",
    "application/epub+zip",
    "application/java-archive",
}


@dataclass(frozen=True)
class Kind:
    """One allowed kind of file: its content type, its extensions and how to describe it."""

    key: str
    content_type: str
    extensions: tuple[str, ...]
    label: Promise


KINDS = (
    Kind("pdf", "application/pdf", ("pdf",), gettext_lazy("a PDF document")),
    Kind("jpeg", "image/jpeg", ("jpg", "jpeg"), gettext_lazy("a JPEG image")),
    Kind("png", "image/png", ("png",), gettext_lazy("a PNG image")),
    Kind("heic", "image/heic", ("heic", "heif"), gettext_lazy("a HEIC image")),
    Kind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
        gettext_lazy("a Word document (DOCX)"),
    ),
    Kind("odt", ODT_MIME, ("odt",), gettext_lazy("an OpenDocument text (ODT)")),
    Kind("text", "text/plain", ("txt",), gettext_lazy("a plain text file")),
)
BY_EXTENSION = {extension: kind for kind in KINDS for extension in kind.extensions}
BY_KEY = {kind.key: kind for kind in KINDS}
ACCEPT = ",".join(f".{extension}" for kind in KINDS for extension in kind.extensions)


def max_bytes() -> int:
    return int(settings.TILLIT_ATTACHMENT_MAX_MB) * 1024 * 1024


def max_files() -> int:
    return int(settings.TILLIT_ATTACHMENT_MAX_FILES)


def allowed_kinds_text() -> str:
    return "PDF, JPEG, PNG, HEIC, DOCX, ODT, TXT"


class Refused(Exception):
    """One file refused, with the reason in the citizen's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AttachmentNotFound(Http404):
    """The file does not exist or is not one this reader may open: the answer is the same."""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed every check; only `check_files` makes these."""

    source: File[bytes]
    name: str
    kind: Kind
    content_type: str
    extension: str
    size: int
    sha256: str


# --- names --------------------------------------------------------------------------------------


def clean_name(raw: str) -> str:
    """The name to show: NFC, no path, no control or direction characters, at most 255 long.

    A name with a path in it, a parent-folder step or an invisible character is refused rather
    than silently repaired: browsers send bare names, so such a name was crafted."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise Refused(_("A file without a name cannot be attached."))
    shown = _printable(name)
    if any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in name):
        raise Refused(_("%(name)s: the file name contains control characters.") % {"name": shown})
    if "/" in name or "\\" in name or name in {".", ".."} or re.match(r"^[A-Za-z]:", name):
        raise Refused(_("%(name)s: the file name contains a folder path.") % {"name": shown})
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 250 - len(extension)]}.{extension}" if dot else name[:255]
    if name.split(".")[0].strip().lower() in WINDOWS_DEVICES:
        name = f"_{name}"  # "CON.pdf" would open a device, not a file, when saved on Windows
    return name[:255]


def _printable(name: str) -> str:
    """The name as it can be shown in a message, invisible characters made visible."""
    shown = "".join(
        "?" if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} else char for char in name
    )
    return shown[:80] + ("…" if len(shown) > 80 else "")


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if suffix else ""


# --- content checks -----------------------------------------------------------------------------


def _read(source: IO[bytes], start: int, length: int) -> bytes:
    source.seek(start)
    return source.read(length)


def _contains(source: IO[bytes], needles: Sequence[bytes]) -> bytes | None:
    """The first of `needles` found anywhere in the file, reading it in overlapping chunks."""
    overlap = max(len(needle) for needle in needles)
    source.seek(0)
    tail = b""
    while chunk := source.read(1024 * 1024):
        window = tail + chunk
        for needle in needles:
            if needle in window:
                return needle
        tail = window[-overlap:]
    return None


def _sniffed(head: bytes) -> str | None:
    match = filetype.guess(head)
    return match.mime if match is not None else None


def _describe(content_type: str | None) -> str:
    for kind in KINDS:
        if kind.content_type == content_type:
            return str(kind.label)
    if content_type in ARCHIVE_MIMES:
        return _("an archive")
    return _("another kind of file") if content_type else _("of an unknown kind")


def _check_no_hidden_format(source: IO[bytes], kind: Kind, head: bytes, shown: str) -> None:
    """Polyglots: a file that is also a zip (read from its end), a PDF or a web page."""
    if kind.key not in {"docx", "odt"}:
        source.seek(0)
        if zipfile.is_zipfile(source):
            raise Refused(
                _("%(name)s has an archive hidden inside it and is refused for safety.")
                % {"name": shown}
            )
    window = head[:SNIFF_WINDOW]
    if kind.key != "pdf" and b"%PDF-" in window:
        raise Refused(
            _("%(name)s is also a PDF document in disguise and is refused for safety.")
            % {"name": shown}
        )
    if MARKUP.search(window):
        raise Refused(
            _("%(name)s contains web-page code and is refused for safety.") % {"name": shown}
        )


def _check_png(source: IO[bytes], size: int, shown: str) -> None:
    if size < 12 or _read(source, size - 12, 12)[4:] != b"IEND\xaeB`\x82":
        raise Refused(
            _("%(name)s has data after the end of the image and is refused for safety.")
            % {"name": shown}
        )


def _check_pdf(source: IO[bytes], size: int, shown: str) -> None:
    if b"%%EOF" not in _read(source, max(0, size - 2048), 2048):
        raise Refused(_("%(name)s is damaged or not a complete PDF document.") % {"name": shown})
    if _contains(source, PDF_RISKS) is not None:
        raise Refused(
            _(
                "%(name)s contains embedded files or a launch action and is refused for "
                "safety. Print it to a new PDF and attach that."
            )
            % {"name": shown}
        )


def _check_text(source: IO[bytes], shown: str) -> str:
    data = _read(source, 0, max_bytes() + 1)
    try:
        text = data.decode("utf-8-sig")
        charset = "utf-8"
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            charset = "windows-1252"
        except UnicodeDecodeError:
            text, charset = "\x00", ""
    if any(unicodedata.category(char) == "Cc" and char not in "\t\n\r\f" for char in text):
        raise Refused(
            _("%(name)s is not a plain text file: it contains binary data.") % {"name": shown}
        )
    return f"text/plain; charset={charset}"


def _zip_entries(source: IO[bytes], shown: str) -> list[zipfile.ZipInfo]:
    """The directory of a DOCX or ODT, checked against bombs, overlaps and tricks.

    Only the central directory and the local headers are read; nothing is unpacked."""
    size = source.seek(0, 2)
    damaged = _("%(name)s is damaged or not a complete document.") % {"name": shown}
    bomb = _(
        "%(name)s would unpack to far more data than it holds (a so-called zip bomb) and is "
        "refused."
    ) % {"name": shown}
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused(damaged) from None
    entries = archive.infolist()
    if not entries or len(entries) > MAX_ENTRIES:
        raise Refused(damaged if not entries else bomb)
    names = [entry.filename for entry in entries]
    if len(set(names)) != len(names):
        raise Refused(damaged)
    total = 0
    for entry in entries:
        name = entry.filename
        if (
            len(name) > MAX_ENTRY_NAME
            or name.startswith("/")
            or "\\" in name
            or ".." in PurePosixPath(name).parts
        ):
            raise Refused(damaged)
        if entry.flag_bits & 0x1:
            raise Refused(
                _("%(name)s is encrypted. Remove the password and attach it again.")
                % {"name": shown}
            )
        if RISKY_MEMBERS.search(name):
            raise Refused(
                _(
                    "%(name)s contains macros or embedded programs or archives and is refused "
                    "for safety. Save it as an ordinary document and attach it again."
                )
                % {"name": shown}
            )
        if entry.compress_type not in {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}:
            raise Refused(damaged)
        total += entry.file_size
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1024):
            raise Refused(bomb)
    if total > MAX_RATIO * max(size, 1024):
        raise Refused(bomb)
    # Overlapping entries (many directory records pointing at one compressed block) are the
    # other shape of a zip bomb; each entry's data must end before the next one starts.
    ordered = sorted(entries, key=lambda entry: entry.header_offset)
    if ordered[0].header_offset != 0:
        raise Refused(damaged)
    for current, following in zip(ordered, [*ordered[1:], None], strict=True):
        header = _read(source, current.header_offset, 30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise Refused(damaged)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        end = current.header_offset + 30 + name_length + extra_length + current.compress_size
        limit = following.header_offset if following is not None else size
        if end > limit:
            raise Refused(bomb)
    return entries


def _small_entry(source: IO[bytes], entry: zipfile.ZipInfo) -> bytes:
    if entry.file_size > SMALL_ENTRY:
        return b""
    source.seek(0)
    with zipfile.ZipFile(source) as archive, archive.open(entry) as member:
        return member.read(SMALL_ENTRY + 1)


def _zip_kind(source: IO[bytes], shown: str) -> str | None:
    """Which document a zip is (DOCX, ODT) or None for any other zip (an archive)."""
    entries = _zip_entries(source, shown)
    by_name = {entry.filename: entry for entry in entries}
    first = min(entries, key=lambda entry: entry.header_offset)
    if first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED:
        if (
            _small_entry(source, first) == ODT_MIME.encode()
            and "content.xml" in by_name
            and "META-INF/manifest.xml" in by_name
        ):
            return "odt"
        return None
    types = by_name.get("[Content_Types].xml")
    if types is not None and "word/document.xml" in by_name:
        if DOCX_MAIN in _small_entry(source, types):
            return "docx"
        raise Refused(
            _(
                "%(name)s is a Word document with macros or of another variant; save it as an "
                "ordinary .docx document and attach it again."
            )
            % {"name": shown}
        )
    return None


def _actual_kind(source: IO[bytes], head: bytes, shown: str) -> tuple[str | None, str | None]:
    """(the allowed kind the content is, or None; the sniffed content type)."""
    sniffed = _sniffed(head)
    if head.startswith(b"PK\x03\x04"):
        found = _zip_kind(source, shown)
        return found, BY_KEY[found].content_type if found else "application/zip"
    for kind in KINDS:
        if kind.content_type == sniffed:
            return kind.key, sniffed
    if sniffed is None:
        return "text", None
    return None, sniffed


def _archive_refusal(shown: str) -> str:
    return _(
        "%(name)s is an archive (zip, rar, 7z and the like). Archives are not accepted: attach "
        "the files one by one."
    ) % {"name": shown}


def check_file(source: File[bytes]) -> CheckedFile:
    """Check one upload; raise `Refused` naming the file and the reason."""
    name = clean_name(str(source.name or ""))
    shown = _printable(name)
    extension = _extension(name)
    kind = BY_EXTENSION.get(extension)
    if extension in ARCHIVE_EXTENSIONS:
        raise Refused(_archive_refusal(shown))
    if kind is None:
        raise Refused(
            _("%(name)s: files of this type are not accepted. Accepted types: %(allowed)s.")
            % {"name": shown, "allowed": allowed_kinds_text()}
        )
    size = int(source.size or 0)
    if size == 0:
        raise Refused(_("%(name)s is empty.") % {"name": shown})
    if size > max_bytes():
        raise Refused(
            _("%(name)s is larger than %(max)d MB.")
            % {"name": shown, "max": settings.TILLIT_ATTACHMENT_MAX_MB}
        )
    stream: IO[bytes] = source.file  # type: ignore[assignment]
    head = _read(stream, 0, HEAD_BYTES)
    actual, sniffed = _actual_kind(stream, head, shown)
    if actual is None and sniffed in ARCHIVE_MIMES:
        raise Refused(_archive_refusal(shown))
    if actual != kind.key:
        if actual == "text" and kind.key != "text":
            raise Refused(
                _("%(name)s is not %(kind)s: its content is of an unknown kind.")
                % {"name": shown, "kind": kind.label}
            )
        raise Refused(
            _("%(name)s: the name says %(claimed)s, but the content is %(actual)s.")
            % {
                "name": shown,
                "claimed": kind.label,
                "actual": BY_KEY[actual].label if actual else _describe(sniffed),
            }
        )
    _check_no_hidden_format(stream, kind, head, shown)
    content_type = kind.content_type
    if kind.key == "png":
        _check_png(stream, size, shown)
    elif kind.key == "pdf":
        _check_pdf(stream, size, shown)
    elif kind.key == "text":
        content_type = _check_text(stream, shown)
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return CheckedFile(
        source=source,
        name=name,
        kind=kind,
        content_type=content_type,
        extension=kind.extensions[0],
        size=size,
        sha256=digest.hexdigest(),
    )


def check_files(sources: Sequence[File[bytes]], *, field: str = FIELD) -> list[CheckedFile]:
    """Check a batch; refuse it with one message per refused file (field-level)."""
    if len(sources) > max_files():
        raise ValidationError(
            {field: _("You can attach at most %(max)d files at a time.") % {"max": max_files()}},
            code="too_many_files",
        )
    checked: list[CheckedFile] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for source in sources:
        try:
            result = check_file(source)
        except Refused as refusal:
            problems.append(refusal.message)
            continue
        if (result.name, result.sha256) not in seen:  # the same file chosen twice
            seen.add((result.name, result.sha256))
            checked.append(result)
    if problems:
        raise ValidationError({field: problems}, code="file_refused")
    return checked


# --- storing ------------------------------------------------------------------------------------

_written: ContextVar[list[str] | None] = ContextVar("tillit_written_files", default=None)


@contextlib.contextmanager
def atomic_with_files() -> Iterator[None]:
    """A transaction whose stored files are removed again if it rolls back."""
    written: list[str] = []
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _remove(written)
        raise
    finally:
        _written.reset(token)


def _remove(paths: Sequence[str]) -> None:
    for path in paths:
        try:
            default_storage.delete(path)
        except OSError:  # pragma: no cover - the sweeper gets it later
            log.warning("could not remove an uploaded file after a rollback")


def _stored_path(extension: str, at: datetime) -> str:
    local = timezone.localtime(at)
    return f"{STORAGE_DIR}/{local:%Y}/{local:%m}/{secrets.token_hex(16)}.{extension}"


def store_files(
    *,
    case: Case,
    files: Sequence[CheckedFile],
    by: Person | None,
    shared_with_citizen: bool,
    body: str = "",
) -> list[Attachment]:
    """Store checked files on a case and log one `attachment` event naming them.

    `by=None` is the citizen (through the status link or the web form); staff must be able to
    work the case. Runs inside the caller's transaction; the case row is locked first."""
    from tillit.cases.queries import Access, access_to

    if not files:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("store_files must run inside the caller's transaction")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Status.CANCELLED:
        raise ValidationError(
            {FIELD: _("This case has been cancelled and takes no more files.")},
            code="case_cancelled",
        )
    if by is not None and access_to(by, case) != Access.WORK:
        raise ValidationError(
            {FIELD: _("Only the owning unit can add files to this case.")}, code="not_owner"
        )
    if by is None:
        already = Attachment.objects.filter(case=case).count()
        limit = int(settings.TILLIT_ATTACHMENT_MAX_PER_CASE)
        if already + len(files) > limit:
            raise ValidationError(
                {
                    FIELD: _(
                        "The case can hold at most %(max)d files and has %(count)d. Contact us "
                        "if you need to send more."
                    )
                    % {"max": limit, "count": already}
                },
                code="case_full",
            )
    now = timezone.now()
    written = _written.get()
    paths: list[str] = []
    try:
        for checked in files:
            path = default_storage.save(_stored_path(checked.extension, now), checked.source)
            paths.append(path)
            if written is not None:
                written.append(path)
    except BaseException:
        _remove(paths)
        raise
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.ATTACHMENT,
        at=now,
        actor=by,
        actor_label="" if by else (case.party.name if case.party else _("citizen")),
        unit_id=case.owner_unit_id,
        body=body,
        data={
            "files": [
                {"name": f.name, "size": f.size, "content_type": f.content_type} for f in files
            ],
            "shared_with_citizen": shared_with_citizen,
        },
    )
    case.updated_at = now
    case.save(update_fields=["updated_at"])
    return [
        Attachment.objects.create(
            case=case,
            event=event,
            file=path,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        for checked, path in zip(files, paths, strict=True)
    ]


# --- reading ------------------------------------------------------------------------------------


def citizen_attachments(case: Case) -> QuerySet[Attachment]:
    """The files the citizen sent or was sent, oldest first (never staff-only files)."""
    return (
        Attachment.objects.filter(case=case, event__data__shared_with_citizen=True)
        .select_related("event", "event__unit")
        .order_by("id")
    )


def open_for_citizen(case: Case, attachment_id: int | str) -> tuple[Attachment, File[bytes]]:
    """One of the case's citizen files, opened for download; AttachmentNotFound otherwise."""
    try:
        attachment = citizen_attachments(case).get(pk=int(attachment_id))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise AttachmentNotFound from None
    try:
        handle = default_storage.open(str(attachment.file.name), "rb")
    except FileNotFoundError:
        log.error("attachment %s has no file in storage", attachment.pk)
        raise AttachmentNotFound from None
    return attachment, handle


# --- sweeping -----------------------------------------------------------------------------------


def sweep_orphan_files(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove stored files no attachment row points at, once they are older than the grace
    period (a transaction may still be running). Only this and last month's folders are read:
    orphans are made at write time and the sweeper runs every hour."""
    now = timezone.now()
    this_month = timezone.localtime(now).replace(day=1)
    folders = {
        f"{STORAGE_DIR}/{month:%Y}/{month:%m}"
        for month in (this_month, this_month - timedelta(days=1))
    }
    removed = 0
    for folder in sorted(folders):
        try:
            _dirs, names = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        candidates = [f"{folder}/{name}" for name in names if STORED_NAME.match(name)]
        known = set(Attachment.objects.filter(file__in=candidates).values_list("file", flat=True))
        for path in candidates:
            if path in known:
                continue
            if default_storage.get_modified_time(path) > now - older_than:
                continue
            default_storage.delete(path)
            removed += 1
    return removed
