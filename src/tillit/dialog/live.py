"""What a change announces, and to whom. Actions call these; the push leaves on commit.

Groups per session: the big screens, every participant (step changes), the tables (one
listener per process, which tells that process's phones of the changed tables: decision 0803),
and each participant alone (being moved). A submission reaches its table and the screens, never
the whole room, so a burst of 1,000 notes is not a million messages.

Announcements are coalesced per process: what commits within `TILLIT_DIALOG_ANNOUNCE_SECONDS`
(200 ms) leaves as one message per group, carrying the newest version, so a burst of 1,000
notes is a few `group_send` calls to the screens, not 1,000 (decision 0801). channels_redis
reads a process's messages one at a time, four Redis round trips each, so on a busy event loop
it reads only some tens a second: at 50 ms, two processes' announcements outran it and a big
screen fell 20 s behind (decision 0804). The
message only says "something changed since version v"; the consumers re-render from the
database, so a coalesced announcement loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)
T = TypeVar("T")

# A scope says what a consumer must re-check: "room" (the step may have changed), "person"
# (moved to another table), "table" and "screen" (only the content changed).
RECHECK_SCOPES = frozenset({"room", "person"})


def screen_group(session_id: int) -> str:
    return f"dialog.{session_id}.screen"


def room_group(session_id: int) -> str:
    return f"dialog.{session_id}.room"


def tables_group(session_id: int) -> str:
    """Which tables of the session changed: one listener per process hears it for all of that
    process's phones (decision 0803), instead of one message per table and process."""
    return f"dialog.{session_id}.tables"


def person_group(session_id: int, participant_id: int) -> str:
    return f"dialog.{session_id}.person.{participant_id}"


class PerLoop(Generic[T]):
    """One `factory()` per running event loop. What holds futures, tasks or locks must not
    outlive its loop: a test, a script or a restarted server runs a new loop, and a future of
    a loop that stopped is never resolved (whoever awaited it would wait for ever)."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._made: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = (
            weakref.WeakKeyDictionary()
        )

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        made = self._made.get(loop)
        if made is None:
            made = self._made[loop] = self._factory()
        return made


# channels_redis takes a pooled connection per call, and redis-py's pool (100 connections)
# refuses the 101st instead of waiting: 400 phones connecting or leaving at once would fail their
# group_add or group_discard. Calls to the layer wait for one of these slots instead.
LAYER_SLOTS = 32
_slots = PerLoop(lambda: asyncio.Semaphore(LAYER_SLOTS))


def layer_slot() -> asyncio.Semaphore:
    """The running loop's limit on concurrent channel-layer calls (`async with` it)."""
    return _slots.get()


# This process, as the sender of numbered announcements (a restarted process is a new sender).
SENDER = f"{socket.gethostname()}:{os.getpid()}:{time.time_ns()}"


@dataclass
class Change:
    """What one group hears: the widest scope and the newest version of the changes merged into
    it and, for the screens, the counted texts that changed (key → [version, text or None])
    or that the word counts must be taken from the database again (`recount`)."""

    scope: str
    version: int
    words: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    recount: bool = False
    tables: dict[int, int] = field(default_factory=dict)  # for the tables' group: id → version

    def merge(self, other: Change) -> None:
        if self.scope not in RECHECK_SCOPES or other.scope in RECHECK_SCOPES:
            self.scope = other.scope
        self.version = max(self.version, other.version)
        for key, (version, text) in other.words.items():
            if key not in self.words or self.words[key][0] <= version:
                self.words[key] = (version, text)
        self.recount = self.recount or other.recount
        for table, version in other.tables.items():
            self.tables[table] = max(version, self.tables.get(table, 0))

    def message(self, sequence: int | None = None) -> dict[str, object]:
        message: dict[str, object] = {
            "type": "dialog.changed",
            "scope": self.scope,
            "version": self.version,
        }
        if sequence is not None:  # lets a screen notice a message the layer dropped
            message["sender"], message["seq"] = SENDER, sequence
        if self.words:
            message["words"] = {key: list(item) for key, item in self.words.items()}
        if self.recount:
            message["recount"] = True
        if self.tables:
            message["tables"] = {str(table): version for table, version in self.tables.items()}
        return message


class Coalescer:
    """Per process: changes heard within one interval leave as one message per group, sent
    from the server's event loop (where the consumers and the channel layer's connections
    live)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, Change] = {}
        # The loop a flush is scheduled on, if any. A loop that stopped before its flush ran
        # (a server shutting down, a test's loop) must not keep later changes waiting for ever.
        self._scheduled_on: asyncio.AbstractEventLoop | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.sent = 0  # group_send calls made, for the benchmark and tests
        self._sequence: dict[str, int] = {}  # per group: the last message's number
        self._tasks: set[asyncio.Future[None]] = set()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop of this process's consumers (called when one connects)."""
        self._loop = loop

    def _target_loop(self) -> asyncio.AbstractEventLoop | None:
        # A request or consumer thread knows the loop it was called from; otherwise the loop
        # the consumers connected on, if it still runs.
        loop = None
        if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) == os.getpid():
            loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
        if loop is None:
            loop = self._loop
        if loop is None or loop.is_closed() or not loop.is_running():
            return None
        return loop

    def add(self, changes: dict[str, Change]) -> bool:
        """Queue the changes (group → change) for the next flush; False if no loop serves
        them."""
        loop = self._target_loop()
        if loop is None:
            return False
        with self._lock:
            for group, change in changes.items():
                if group in self._pending:
                    self._pending[group].merge(change)
                else:
                    self._pending[group] = change
            waiting = self._scheduled_on
            if waiting is not None and waiting.is_running() and not waiting.is_closed():
                return True
            self._scheduled_on = loop
        loop.call_soon_threadsafe(self._start)
        return True

    def _start(self) -> None:
        task = asyncio.ensure_future(self._flush())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        delay = float(getattr(settings, "TILLIT_DIALOG_ANNOUNCE_SECONDS", 0.2))
        try:
            if delay > 0:
                await asyncio.sleep(delay)
        except asyncio.CancelledError:  # the loop is stopping: the next change schedules anew
            with self._lock:
                self._scheduled_on = None
            raise
        with self._lock:
            pending, self._pending = self._pending, {}
            self._scheduled_on = None
        layer = get_channel_layer()
        if layer is None:
            return
        # Screens first: they are what the room looks at.
        for group in sorted(pending, key=lambda g: not g.endswith(".screen")):
            sequence = self._sequence[group] = self._sequence.get(group, 0) + 1
            try:
                async with layer_slot():
                    await layer.group_send(group, pending[group].message(sequence))
            except Exception:  # one group's failure must not stop the others
                logger.exception("dialog: announcing to %s failed", group)
            self.sent += 1


COALESCER = Coalescer()


def _send_now(changes: dict[str, Change]) -> None:
    """Without a serving event loop (a management command, a plain script): send at once."""
    layer = get_channel_layer()
    if layer is None:
        return

    def send_all() -> None:
        for group, change in changes.items():
            try:
                async_to_sync(layer.group_send)(group, change.message())
            except Exception:  # stored already: screens reconnect and catch up, phones poll
                logger.exception("dialog: announcing to %s failed", group)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        send_all()
        return
    # Called from a thread that runs an event loop (a script or test driving an async library
    # while using the ORM): async_to_sync cannot run here, so the push goes from a helper thread.
    helper = threading.Thread(target=send_all, name="dialog-announce")
    helper.start()
    helper.join()


def announce(
    session_id: int,
    *,
    tables: Iterable[int] = (),
    people: Iterable[int] = (),
    room: bool = False,
    words: Mapping[str, str | None] | None = None,
    recount: bool = False,
) -> None:
    """After commit: tell the screens, and the named tables, people or the whole room. `words`
    are the counted texts that changed (key → text, None when no longer counted), so the
    screens keep their word counts without recounting; `recount` when that is not enough."""

    def send() -> None:
        # The version is taken after commit: a page rendered after hearing of it shows it.
        version = time.time_ns()
        changes = {
            screen_group(session_id): Change(
                "screen",
                version,
                {key: (version, text) for key, text in (words or {}).items()},
                recount,
            )
        }
        if room:
            changes[room_group(session_id)] = Change("room", version)
        changed_tables = dict.fromkeys(tables, version)
        if changed_tables:
            changes[tables_group(session_id)] = Change("table", version, tables=changed_tables)
        changes.update({person_group(session_id, p): Change("person", version) for p in people})
        if not COALESCER.add(changes):
            _send_now(changes)

    transaction.on_commit(send)
