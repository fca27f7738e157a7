"""Websockets of the live pages: the big screen and each participant's phone.

A consumer joins its session's groups and, on every change it hears of, re-renders its part of
the page from the database (everything is stored before it is announced) and pushes the HTML.
Changes are batched: at most one push per `TILLIT_DIALOG_PUSH_SECONDS` (about a second), however
many submissions arrive, so a burst cannot fill a client's queue. A client that connects or
reconnects gets the current state at once.

A phone also sends its texts over its websocket (decision 0801): `{"type": "note" | "answer" |
"factor", "text", "step", "shared", "ref"}`. The same form and action as the HTTP fallback store
it in one short transaction; the reply is `{"type": "saved", ...}` once it is stored, or
`{"type": "error", "message", "errors", "step"}` with the same Swedish message the page shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import connections, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from uvicorn.protocols.utils import ClientDisconnected

from tillit.dialog import fragments, live, queries
from tillit.dialog.models import Participant, Session
from tillit.dialog.participant_views import MAX_MESSAGE, SUBMISSIONS, submit_notes, submit_text
from tillit.dialog.words import Tally, WordCount

# The live part of a phone is the same for everyone at a table: one rendering per table and
# change serves all of them. Keyed by (table, step, language); the value is the time the
# rendering started and its HTML, reused only by a consumer that has heard of nothing newer.
T = TypeVar("T")
# A big screen is pushed at most every TILLIT_DIALOG_PUSH_MS (500 ms: a note reaches it within a
# second), a phone at most every four times that (2 s): re-rendering the phones' tables is most
# of the server's work in a large meeting, one screen push is cheap (decision 0802).
PHONE_PUSH_FACTOR = 4
logger = logging.getLogger(__name__)

_TABLE_PAGES: dict[tuple[int | None, int, str], tuple[int, str]] = {}
# The same for the big screens of a session (the screen and the facilitator's other tabs).
_SCREEN_PAGES: dict[tuple[int, str], tuple[int, int, str]] = {}
# And for the facilitators' pages.
_CONTROL_PAGES: dict[tuple[int, str], tuple[int, int, str]] = {}


# Renderings read on threads of their own, so the pushes never wait behind a batch of texts
# being stored (the writes stay on the one thread-sensitive database thread). The phones' tables
# have one reader; the big screens and the facilitators' pages another (decision 0803): with
# 2,500 phones in a process, the screen's rendering had queued behind theirs for seconds.
_READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dialog-render")
_SCREEN_READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dialog-screen")


def close_reader_connections() -> None:
    """Close the reader threads' database connections (a test database cannot be dropped while
    they are open)."""
    for reader in (_READER, _SCREEN_READER):
        reader.submit(connections.close_all).result()


def _db(
    function: Callable[..., T], *, reads: bool = False, screen: bool = False
) -> Callable[..., Awaitable[T]]:
    """Run `function` on the one thread the consumers share for the database, keeping that
    thread's connection open between calls. (channels' `database_sync_to_async` closes it after
    every call when CONN_MAX_AGE is 0: on SQLite each close checkpoints the write-ahead log, and
    on PostgreSQL each call would open a new connection; that was most of a push's time.) A
    connection that saw an error is closed, and the next call opens a fresh one."""

    def call(*args: Any, **kwargs: Any) -> T:
        try:
            return function(*args, **kwargs)
        finally:
            for connection in connections.all(initialized_only=True):
                if connection.errors_occurred:
                    connection.close()

    if reads:
        reader = _SCREEN_READER if screen else _READER
        return sync_to_async(call, thread_sensitive=False, executor=reader)
    return sync_to_async(call, thread_sensitive=True)


def _not_saved() -> dict[str, Any]:
    message = _("The text could not be saved. Please send it again.")
    return {"type": "error", "message": message, "errors": {}}


def _store_batch(batch: list[tuple[int, dict[str, Any], str]]) -> list[dict[str, Any]]:
    """Store the texts in one transaction: the notes in one insert per language (the replies'
    words), anything else each in a savepoint of its own (a refused or failed text takes
    nobody else's with it); the replies leave after the commit."""
    replies: list[dict[str, Any] | None] = [None] * len(batch)
    with transaction.atomic():
        people = Participant.objects.select_related("session").in_bulk({p for p, _d, _l in batch})
        notes: dict[str, list[int]] = {}
        for index, (participant_id, data, language) in enumerate(batch):
            if data.get("type") == "note" and participant_id in people:
                notes.setdefault(language, []).append(index)
        for language, indexes in notes.items():
            with translation.override(language):
                try:
                    with transaction.atomic():
                        answers = submit_notes(
                            [(people[batch[i][0]], batch[i][1]) for i in indexes]
                        )
                except Exception:
                    logger.exception("dialog: storing notes sent over the websocket failed")
                    answers = [_not_saved() for _index in indexes]
            for index, answer in zip(indexes, answers, strict=True):
                replies[index] = answer
        for index, (participant_id, data, language) in enumerate(batch):
            if replies[index] is not None:
                continue
            with translation.override(language):
                try:
                    with transaction.atomic():
                        who = people.get(participant_id, participant_id)
                        replies[index] = submit_text(who, data)
                except Exception:
                    logger.exception("dialog: a text sent over the websocket failed")
                    replies[index] = _not_saved()
    return [reply or _not_saved() for reply in replies]


class Submissions:
    """Texts from this process's phones, stored in batches on the database thread: what
    arrives while one batch is being stored goes in the next one (a group commit). A burst of
    1,000 notes is then a few dozen short transactions with one insert of notes each, not
    1,000 (decision 0802); the renderings read on a thread of their own meanwhile."""

    def __init__(self, largest: int = 100) -> None:
        self.largest = largest
        self._queue: list[tuple[int, dict[str, Any], str, asyncio.Future[dict[str, Any]]]] = []
        self._task: asyncio.Task[None] | None = None

    async def store(self, participant: int, data: dict[str, Any], language: str) -> dict[str, Any]:
        reply: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._queue.append((participant, data, language, reply))
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._drain())
        return await reply

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self.largest], self._queue[self.largest :]
            try:
                replies = await _db(_store_batch)([item[:3] for item in batch])
            except Exception:  # the transaction itself failed: tell every sender
                logger.exception("dialog: storing a batch of texts failed")
                for _participant, _data, language, reply in batch:
                    if not reply.done():
                        with translation.override(language):
                            reply.set_result(_not_saved())
                continue
            for (*_item, reply), answer in zip(batch, replies, strict=True):
                if not reply.done():
                    reply.set_result(answer)


SUBMITTED = live.PerLoop(Submissions)


def _language(scope: dict[str, Any]) -> str:
    wanted = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class _Batched(AsyncWebsocketConsumer):  # type: ignore[misc]  # channels is untyped
    groups_joined: list[str]

    async def start(self, groups: list[str]) -> None:
        self.groups_joined = groups
        self._dirty = False
        self._task: asyncio.Task[None] | None = None
        self._last = 0.0
        self._recheck = False
        self._live = False  # changes are pushed once the first state is out
        live.COALESCER.bind(asyncio.get_running_loop())
        # Connecting (or reconnecting) asks for the state as of now, never an older rendering.
        self.seen = time.time_ns()
        self._language = _language(self.scope)
        async with live.layer_slot():
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
        await self.listen()
        await self.accept()
        await self.push()
        self._live = True

    async def listen(self) -> None:
        """After joining the groups, before the first push: hear of changes in other ways."""

    async def disconnect(self, code: int) -> None:
        if self._task is not None:
            self._task.cancel()
        try:
            async with live.layer_slot():
                for group in getattr(self, "groups_joined", []):
                    await self.channel_layer.group_discard(group, self.channel_name)
        except Exception:  # the layer forgets a dead channel's memberships when they expire
            logger.warning("dialog: leaving the groups failed", exc_info=True)

    def interval(self) -> float:
        """The least time between two pushes to this client."""
        return float(getattr(settings, "TILLIT_DIALOG_PUSH_SECONDS", 1.0))

    async def dispatch(self, message: dict[str, Any]) -> None:
        # As channels' own, without closing the database connection before every message.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def render(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    async def push(self) -> None:
        with translation.override(self._language):
            message = await self.render()
        self._last = asyncio.get_running_loop().time()
        await self.send(text_data=json.dumps(message))

    async def dialog_changed(self, event: dict[str, Any]) -> None:
        self.changed(event)

    def changed(self, event: dict[str, Any]) -> None:
        """Something changed: push (batched). On the event loop."""
        self.seen = max(self.seen, int(event.get("version", 0)))
        if event.get("scope") in live.RECHECK_SCOPES:
            self._recheck = True
        if not self._live:  # heard before the first push, which reads after it
            return
        self._dirty = True
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        interval = self.interval()
        loop = asyncio.get_running_loop()
        while self._dirty:
            wait = self._last + interval - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._dirty = False
            try:
                await self.push()
            except ClientDisconnected:  # gone meanwhile: nothing to push to
                return

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # "state?" after waking up: answer with the state.
        self.seen = time.time_ns()
        self._recheck = True
        await self.push()


class _LiveTally:
    """A session's word counts in this process, kept by its screens from the texts their
    announcements carry (decision 0802): taken from the database when the first screen
    connects and when the facilitator reveals the results, then changed text by text. All
    changes happen on the event loop; what arrives while the database is read is applied
    after it."""

    def __init__(self) -> None:
        self.tally: Tally | None = None
        # Every change announced up to this version is in the tally (the newest heard, or the
        # time the database was read).
        self.as_of = 0
        self.screens = 0
        # Counts up whenever the counts may have changed: a screen's cached rendering is only
        # reused while it was made from this revision. Versions alone cannot say it: another
        # process's change can arrive after a newer one of this process was rendered (0803).
        self.revision = 0
        self._loading: asyncio.Future[None] | None = None
        self._arrived: list[tuple[str, int, str | None]] = []
        self._last: dict[str, int] = {}  # per sending process: the last message's number
        self._reloads = 0  # how many times a fresh count was asked for

    def reload(self) -> None:
        """Count from the database before the next rendering. A screen that connects gets the
        current state whatever this process missed meanwhile (an outage of the layer, a
        restarted Redis that forgot the groups, an earlier screen not yet gone)."""
        self.tally = None
        self._arrived.clear()
        self._reloads += 1
        self.revision += 1

    def heard(self, event: dict[str, Any]) -> None:
        self.as_of = max(self.as_of, int(event.get("version", 0)))
        sender, sequence = event.get("sender"), event.get("seq")
        if isinstance(sender, str) and isinstance(sequence, int):
            # Applied even when not newer: two flushes of a process can arrive out of order,
            # and a text heard twice (two screens here) is skipped by its version.
            last = self._last.get(sender)
            self._last[sender] = max(sequence, last or 0)
            if last is not None and sequence > last + 1:
                # The layer dropped a message (a channel over capacity): its texts are not
                # here, so count from the database again.
                event = {**event, "recount": True}
        if event.get("recount"):
            self.tally = None
            self._arrived.clear()
            self.revision += 1
            return
        changes = [(key, int(v), text) for key, (v, text) in event.get("words", {}).items()]
        if self._loading is not None:
            self._arrived.extend(changes)
        if self.tally is not None:
            changed = False
            for key, version, text in changes:
                changed = self.tally.set(key, text, version) or changed
            if changed:
                self.revision += 1

    async def words(self, session: Session) -> tuple[list[WordCount], int]:
        """The top words, and the version they are as of."""
        while self.tally is None:
            if self._loading is None:
                self._loading = asyncio.get_running_loop().create_future()
                try:
                    read_at, reloads = time.time_ns(), self._reloads
                    tally = await _db(queries.tally_of, reads=True, screen=True)(session)
                    self.as_of = max(self.as_of, read_at)
                    if reloads == self._reloads:  # else read again: asked for after this read
                        for key, version, text in self._arrived:
                            tally.set(key, text, version)
                        self.tally = tally
                        self.revision += 1
                finally:
                    self._arrived.clear()
                    self._loading.set_result(None)
                    self._loading = None
            else:
                await self._loading
        return self.tally.top(), self.as_of


_TALLIES: live.PerLoop[dict[int, _LiveTally]] = live.PerLoop(dict)


class _Facilitated(_Batched):
    """A page for the session's facilitator only, following the screens' group (every change
    in the session is announced to it). Its rendering is shared by the same pages of the
    session in this process: `pages` maps (session, language) to (version, HTML)."""

    session: Session
    pages: dict[tuple[int, str], tuple[int, int, str]]

    async def connect(self) -> None:
        user = self.scope.get("user")
        session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        found = await _db(self._session)(user, session_id)
        if found is None:
            await self.close(code=4403)
            return
        self.session = found
        await self.joined()
        await self.start([live.screen_group(session_id)])

    async def joined(self) -> None:
        """Before the first push."""

    @staticmethod
    def _session(user: Any, session_id: int) -> Session | None:
        if user is None or not user.is_authenticated:
            return None
        try:
            return queries.session_for_facilitator(user, session_id)
        except queries.SessionNotFound:
            return None

    def html(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _rendered(self, seen: int, language: str, as_of: int, revision: int) -> str:
        key = (self.session.pk, language)
        cached = self.pages.get(key)
        if cached is not None and cached[0] >= seen and cached[1] == revision:
            return cached[2]
        # Everything announced before this is shown (the database's part is read now; what
        # is kept in memory is as of `as_of`, and is `revision` of it).
        started = min(time.time_ns(), as_of)
        html = self.html()
        if len(self.pages) > 1_000:
            self.pages.clear()
        self.pages[key] = (started, revision, html)
        return html

    async def render(self) -> dict[str, Any]:
        cached = self.pages.get((self.session.pk, self._language))
        if cached is not None and cached[0] >= self.seen and cached[1] == self.revision():
            return {"type": "html", "html": cached[2]}  # another page rendered it
        as_of, revision = await self.prepare()
        html = await _db(self._rendered, reads=True, screen=True)(
            self.seen, self._language, as_of, revision
        )
        return {"type": "html", "html": html}

    async def prepare(self) -> tuple[int, int]:
        """On the event loop, before rendering: the version what is kept in memory is as of,
        and its revision."""
        return time.time_ns(), self.revision()

    def revision(self) -> int:
        """Which state of what is kept in memory a rendering would show now (the screens'
        counts); a page cached at another revision is not reused."""
        return 0


class ScreenConsumer(_Facilitated):
    """The big screen. Its word counts are kept in memory, change by change (0802)."""

    pages = _SCREEN_PAGES
    live_tally: _LiveTally
    _words: list[WordCount]

    async def joined(self) -> None:
        self.live_tally = _TALLIES.get().setdefault(self.session.pk, _LiveTally())
        self.live_tally.screens += 1
        self.live_tally.reload()

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        tally = getattr(self, "live_tally", None)
        if tally is not None:
            tally.screens -= 1
            if tally.screens <= 0:  # nobody keeps it up to date any more
                _TALLIES.get().pop(self.session.pk, None)

    async def dialog_changed(self, event: dict[str, Any]) -> None:
        self.live_tally.heard(event)
        await super().dialog_changed(event)

    async def prepare(self) -> tuple[int, int]:
        self._words, as_of = await self.live_tally.words(self.session)
        # The revision of the words just taken: nothing ran on the loop in between.
        return as_of, self.live_tally.revision

    def revision(self) -> int:
        return self.live_tally.revision

    def html(self) -> str:
        return fragments.render_screen(self.session, self._words)


class ControlConsumer(_Facilitated):
    """The facilitator's page: who has joined and each table's progress, batched as the
    screen's."""

    pages = _CONTROL_PAGES

    def html(self) -> str:
        return fragments.render_control(self.session)


class _TableListener:
    """Per process and session: one channel in the session's tables group that hears which
    tables changed, and tells this process's phones at those tables (decision 0803). With a
    group per table, a note was one message per table and process: 2,500 phones in a process
    received about 200 messages a second, one Redis read each, and the process's queue (which
    channels_redis bounds by `capacity` for all its channels together) overflowed, dropping
    messages to the screens and to tables alike. Now it is one message per announcement flush.
    Announcements are numbered per sending process: a gap (a dropped message) tells every phone
    of the session here to re-read its table."""

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        self.members: dict[int, set[ParticipantConsumer]] = {}
        self.channel = ""
        self._opened: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._last: dict[str, int] = {}
        self.closed = False

    async def join(self, consumer: ParticipantConsumer, table_id: int) -> None:
        self.members.setdefault(table_id, set()).add(consumer)
        if self._opened is None:
            self._opened = asyncio.ensure_future(self._open(consumer.channel_layer))
        await asyncio.shield(self._opened)

    async def _open(self, layer: Any) -> None:
        self.channel = await layer.new_channel()
        async with live.layer_slot():
            await layer.group_add(live.tables_group(self.session_id), self.channel)
        self._task = asyncio.ensure_future(self._listen(layer))

    async def leave(self, consumer: ParticipantConsumer, table_id: int) -> None:
        members = self.members.get(table_id)
        if members is not None:
            members.discard(consumer)
            if not members:
                del self.members[table_id]
        if self.members or self.closed:
            return
        # Nobody here follows the session any more: a later phone opens a new listener.
        self.closed = True
        listeners = _LISTENERS.get()
        if listeners.get(self.session_id) is self:
            del listeners[self.session_id]
        if self._opened is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._opened)
        if self._task is not None:
            self._task.cancel()
        if self.channel:
            try:
                async with live.layer_slot():
                    await consumer.channel_layer.group_discard(
                        live.tables_group(self.session_id), self.channel
                    )
            except Exception:  # the layer forgets it when the group expires
                logger.warning("dialog: leaving the tables group failed", exc_info=True)

    async def _listen(self, layer: Any) -> None:
        while True:
            try:
                message = await layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # the layer failed: what it held may be lost, so re-read all
                logger.exception("dialog: hearing of changed tables failed")
                await asyncio.sleep(1)
                self.heard({"version": time.time_ns(), "all": True})
                continue
            try:
                self.heard(message)
            except Exception:
                logger.exception("dialog: telling the phones of changed tables failed")

    def heard(self, message: dict[str, Any]) -> None:
        version = int(message.get("version", 0))
        everyone = bool(message.get("all"))
        sender, sequence = message.get("sender"), message.get("seq")
        if isinstance(sender, str) and isinstance(sequence, int):
            last = self._last.get(sender)
            self._last[sender] = max(sequence, last or 0)
            if last is not None and sequence > last + 1:  # a message was dropped
                everyone = True
        if everyone:
            changed = dict.fromkeys(self.members, version)
        else:
            changed = {int(t): int(v) for t, v in message.get("tables", {}).items()}
        for table, table_version in changed.items():
            for consumer in list(self.members.get(table, ())):
                consumer.changed({"scope": "table", "version": table_version})


_LISTENERS: live.PerLoop[dict[int, _TableListener]] = live.PerLoop(dict)


class ParticipantConsumer(_Batched):
    """A participant's phone: their table's shared notes and answers, and the step."""

    def interval(self) -> float:
        # A table's page is re-rendered for each push: in a burst, half as often as the big
        # screen's keeps the CPU for storing texts and for the screen (decision 0801).
        configured = float(getattr(settings, "TILLIT_DIALOG_PHONE_PUSH_SECONDS", 0))
        return configured or PHONE_PUSH_FACTOR * super().interval()

    async def connect(self) -> None:
        code = self.scope["url_route"]["kwargs"]["code"]
        found = await _db(self._participant)(code)
        if found is None:
            await self.close(code=4403)
            return
        self.participant = found
        self.step = (await _db(self._step)()) or 0
        session_id = found.session_id
        groups = [live.room_group(session_id), live.person_group(session_id, found.pk)]
        await self.start(groups)

    async def listen(self) -> None:
        # The table's changes come from this process's listener for the session's tables.
        self._listening: tuple[_TableListener, int] | None = None
        table_id = self.participant.table_id
        if table_id:
            listeners = _LISTENERS.get()
            listener = listeners.get(self.participant.session_id)
            if listener is None:
                listener = listeners[self.participant.session_id] = _TableListener(
                    self.participant.session_id
                )
            self._listening = (listener, table_id)
            await listener.join(self, table_id)

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        listening = getattr(self, "_listening", None)
        if listening is not None:
            self._listening = None
            await listening[0].leave(self, listening[1])

    def _participant(self, code: str) -> Participant | None:
        from tillit.dialog.participant_views import cookie_name

        try:
            session = queries.session_by_code(code)
        except queries.SessionNotFound:
            return None
        return queries.participant_for(
            session, self.scope.get("cookies", {}).get(cookie_name(session))
        )

    def _step(self) -> int:
        return Session.objects.values_list("step", flat=True).get(pk=self.participant.session_id)

    def _cached(self) -> str | None:
        found = _TABLE_PAGES.get((self.participant.table_id, self.step, self._language))
        return found[1] if found is not None and found[0] >= self.seen else None

    def _state(self, seen: int, language: str, recheck: bool) -> tuple[int, int | None, str]:
        table: int | None
        if recheck:  # the step or the table may have changed
            step = self._step()
            table = Participant.objects.values_list("table_id", flat=True).get(
                pk=self.participant.pk
            )
        else:  # only the table's content changed: no query to find that out
            step, table = self.step, self.participant.table_id
        key = (table, step, language)
        cached = _TABLE_PAGES.get(key)
        if cached is not None and cached[0] >= seen:
            return step, table, cached[1]
        started = time.time_ns()  # everything announced before this is in the rendering
        html = fragments.render_table_part(self.participant.session_id, table)
        if len(_TABLE_PAGES) > 10_000:
            _TABLE_PAGES.clear()
        _TABLE_PAGES[key] = (started, html)
        return step, table, html

    async def render(self) -> dict[str, Any]:
        recheck, self._recheck = self._recheck, False
        cached = None if recheck else self._cached()
        if cached is not None:  # a table-mate's consumer rendered it since the change
            return {"type": "html", "html": cached, "step": self.step}
        step, table, html = await _db(self._state, reads=True)(self.seen, self._language, recheck)
        if step != self.step or table != self.participant.table_id:
            # A new step needs a new form; a new table needs new groups: the page reloads.
            return {"type": "reload", "step": step}
        return {"type": "html", "html": html, "step": step}

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or not text_data.lstrip().startswith("{"):
            await super().receive(text_data, bytes_data)
            return
        with translation.override(self._language):
            reply = await self._submission(text_data)
        await self.send(text_data=json.dumps(reply))

    async def _submission(self, text_data: str) -> dict[str, Any]:
        data: Any = None
        if len(text_data) <= MAX_MESSAGE:
            try:
                data = json.loads(text_data)
            except ValueError:
                data = None
        ref = data.get("ref") if isinstance(data, dict) else None
        if not isinstance(ref, (str, int)) or len(str(ref)) > 64:
            ref = None
        reply: dict[str, Any]
        if not isinstance(data, dict) or data.get("type") not in SUBMISSIONS:
            reply = {
                "type": "error",
                "message": _(
                    "The text could not be read: it may be too long. Reload the page and try again."
                ),
                "errors": {},
            }
        else:
            reply = await SUBMITTED.get().store(self.participant.pk, data, self._language)
        reply["ref"] = ref
        return reply
