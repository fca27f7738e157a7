"""Websockets of the live pages: the big screen and each participant's phone.

A consumer joins its session's groups and, on every change it hears of, re-renders its part of
the page from the database (everything is stored before it is announced) and pushes the HTML.
Changes are batched: at most one push per `TILLIT_DIALOG_PUSH_SECONDS` (about a second), however
many submissions arrive, so a burst cannot fill a client's queue. A client that connects or
reconnects gets the current state at once.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation

from tillit.dialog import fragments, live, queries
from tillit.dialog.models import Participant, Session

# The live part of a phone is the same for everyone at a table: one rendering per table and
# change serves all of them. Keyed by (table, step, language); the value is the time the
# rendering started and its HTML, reused only by a consumer that has heard of nothing newer.
_TABLE_PAGES: dict[tuple[int | None, int, str], tuple[int, str]] = {}


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
        # Connecting (or reconnecting) asks for the state as of now, never an older rendering.
        self.seen = time.time_ns()
        self._language = _language(self.scope)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.push()

    async def disconnect(self, code: int) -> None:
        if self._task is not None:
            self._task.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def render(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    async def push(self) -> None:
        with translation.override(self._language):
            message = await self.render()
        self._last = asyncio.get_running_loop().time()
        await self.send(text_data=json.dumps(message))

    async def dialog_changed(self, event: dict[str, Any]) -> None:
        self.seen = max(self.seen, int(event.get("version", 0)))
        self._dirty = True
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        interval = float(getattr(settings, "TILLIT_DIALOG_PUSH_SECONDS", 1.0))
        loop = asyncio.get_running_loop()
        while self._dirty:
            wait = self._last + interval - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._dirty = False
            await self.push()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # The only message a client sends is "state?" after waking up: answer with the state.
        self.seen = time.time_ns()
        await self.push()


class ScreenConsumer(_Batched):
    """The big screen: for the session's facilitator only."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        self.session = await database_sync_to_async(self._session)(user, session_id)
        if self.session is None:
            await self.close(code=4403)
            return
        await self.start([live.screen_group(session_id)])

    @staticmethod
    def _session(user: Any, session_id: int) -> Session | None:
        if user is None or not user.is_authenticated:
            return None
        try:
            return queries.session_for_facilitator(user, session_id)
        except queries.SessionNotFound:
            return None

    async def render(self) -> dict[str, Any]:
        html = await database_sync_to_async(fragments.render_screen)(self.session)
        return {"type": "html", "html": html}


class ParticipantConsumer(_Batched):
    """A participant's phone: their table's shared notes and answers, and the step."""

    async def connect(self) -> None:
        code = self.scope["url_route"]["kwargs"]["code"]
        found = await database_sync_to_async(self._participant)(code)
        if found is None:
            await self.close(code=4403)
            return
        self.participant = found
        self.step = (await database_sync_to_async(self._step)()) or 0
        session_id = found.session_id
        groups = [live.room_group(session_id), live.person_group(session_id, found.pk)]
        if found.table_id:
            groups.append(live.table_group(session_id, found.table_id))
        await self.start(groups)

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

    def _state(self, seen: int, language: str) -> tuple[int, int | None, str]:
        step = self._step()
        table = Participant.objects.values_list("table_id", flat=True).get(pk=self.participant.pk)
        key = (table, step, language)
        cached = _TABLE_PAGES.get(key)
        if cached is not None and cached[0] >= seen:
            return step, table, cached[1]
        started = time.time_ns()  # everything announced before this is in the rendering
        html = fragments.render_participant(self.participant)
        if len(_TABLE_PAGES) > 10_000:
            _TABLE_PAGES.clear()
        _TABLE_PAGES[key] = (started, html)
        return step, table, html

    async def render(self) -> dict[str, Any]:
        step, table, html = await database_sync_to_async(self._state)(self.seen, self._language)
        if step != self.step or table != self.participant.table_id:
            # A new step needs a new form; a new table needs new groups: the page reloads.
            return {"type": "reload", "step": step}
        return {"type": "html", "html": html, "step": step}
