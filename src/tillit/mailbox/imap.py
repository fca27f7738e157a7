"""Reading a functional mailbox over IMAP (RFC 3501), read-only.

The folder is opened with EXAMINE and messages fetched with BODY.PEEK[], so Tillit never changes
the mailbox staff also read in their mail client (no \\Seen flags, no moves, no deletes). New mail
is what has a UID above the last one stored, within the same UIDVALIDITY.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_FETCH_UID = re.compile(rb"UID (\d+)")
_FETCH_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
TIMEOUT = 60


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str


def account_from_url(url: str) -> ImapAccount:
    """`imaps://user:password@host:993/INBOX` (user and password percent-encoded)."""
    parts = urlsplit(url)
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname:
        raise ImproperlyConfigured(
            "TILLIT_MAILBOX_IMAP: each mailbox needs a URL like "
            "imaps://user%40kommun.se:password@imap.kommun.se/INBOX"
        )
    tls = parts.scheme == "imaps"
    return ImapAccount(
        host=parts.hostname,
        port=parts.port or (993 if tls else 143),
        tls=tls,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


class ImapError(Exception):
    """The server could not be reached or refused us; the poll is retried next interval."""


class ImapFolder:
    """One open, read-only IMAP folder. Use as a context manager."""

    def __init__(self, account: ImapAccount) -> None:
        self.account = account
        self.client: imaplib.IMAP4 | None = None
        self.uidvalidity = 0

    def __enter__(self) -> ImapFolder:
        account = self.account
        try:
            if account.tls:
                context = ssl.create_default_context()
                self.client = imaplib.IMAP4_SSL(
                    account.host, account.port, ssl_context=context, timeout=TIMEOUT
                )
            else:
                self.client = imaplib.IMAP4(account.host, account.port, timeout=TIMEOUT)
            self.client.login(account.user, account.password)
            status, _data = self.client.select(self._quoted(account.folder), readonly=True)
            if status != "OK":
                raise ImapError(f"cannot open folder {account.folder}")
            _name, values = self.client.response("UIDVALIDITY")
            self.uidvalidity = int(values[0]) if values and values[0] else 0
        except (imaplib.IMAP4.error, OSError) as error:
            self.__exit__(None, None, None)
            raise ImapError(f"{type(error).__name__}: {error}") from error
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.client is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                self.client.logout()
            self.client = None

    @staticmethod
    def _quoted(folder: str) -> str:
        return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def _call(self, *args: str) -> list[object]:
        assert self.client is not None
        try:
            status, data = self.client.uid(*args)
        except (imaplib.IMAP4.error, OSError) as error:
            raise ImapError(f"{type(error).__name__}: {error}") from error
        if status != "OK":
            raise ImapError(f"UID {args[0]} failed: {data!r}")
        return list(data)

    def uids_after(self, last_uid: int) -> list[int]:
        data = self._call("SEARCH", f"UID {last_uid + 1}:*")
        found = b" ".join(item for item in data if isinstance(item, bytes)).split()
        # `N:*` also matches the highest UID when every UID is below N: filter here.
        return sorted(uid for uid in (int(u) for u in found) if uid > last_uid)

    def sizes(self, uids: list[int]) -> dict[int, int]:
        sizes: dict[int, int] = {}
        if not uids:
            return sizes
        for item in self._call("FETCH", ",".join(map(str, uids)), "(UID RFC822.SIZE)"):
            line = item[0] if isinstance(item, tuple) else item
            if isinstance(line, bytes):
                uid, size = _FETCH_UID.search(line), _FETCH_SIZE.search(line)
                if uid and size:
                    sizes[int(uid.group(1))] = int(size.group(1))
        return sizes

    def fetch(self, uids: list[int], part: str = "BODY.PEEK[]") -> Iterator[tuple[int, bytes]]:
        """(uid, raw message) for each UID, in UID order."""
        found: dict[int, bytes] = {}
        if not uids:
            return
        for item in self._call("FETCH", ",".join(map(str, uids)), f"(UID {part})"):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                match = _FETCH_UID.search(item[0])
                if match:
                    found[int(match.group(1))] = item[1]
        for uid in sorted(found):
            yield uid, found[uid]
