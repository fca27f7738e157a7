"""What a change announces, and to whom. Actions call these; the push leaves on commit.

Groups per session: the big screens, every participant (step changes), each table, and each
participant alone (being moved). A submission reaches its table and the screens, never the
whole room, so a burst of 1,000 notes is not a million messages.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def screen_group(session_id: int) -> str:
    return f"dialog.{session_id}.screen"


def room_group(session_id: int) -> str:
    return f"dialog.{session_id}.room"


def table_group(session_id: int, table_id: int) -> str:
    return f"dialog.{session_id}.table.{table_id}"


def person_group(session_id: int, participant_id: int) -> str:
    return f"dialog.{session_id}.person.{participant_id}"


def _send(groups: list[str], message: dict[str, object]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    def send_all() -> None:
        for group in groups:
            try:
                async_to_sync(layer.group_send)(group, message)
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
) -> None:
    """After commit: tell the screens, and the named tables, people or the whole room."""
    groups = [screen_group(session_id)]
    if room:
        groups.append(room_group(session_id))
    groups += [table_group(session_id, t) for t in tables]
    groups += [person_group(session_id, p) for p in people]
    scope = "room" if room else "table"
    # The version is taken after commit: a page rendered after hearing of it shows the change.
    transaction.on_commit(
        lambda: _send(groups, {"type": "dialog.changed", "scope": scope, "version": time.time_ns()})
    )
