"""`channels.testing` imports its live-server test case, which needs daphne; Tillit serves with
uvicorn and does not install daphne. Only that one import is stood in for, so the
WebsocketCommunicator itself is channels' own."""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Iterator

import pytest

if importlib.util.find_spec("daphne") is None and "channels.testing.live" not in sys.modules:
    live = types.ModuleType("channels.testing.live")

    class ChannelsLiveServerTestCase:  # pragma: no cover - never used here
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("ChannelsLiveServerTestCase needs daphne, which is not installed.")

    live.ChannelsLiveServerTestCase = ChannelsLiveServerTestCase  # type: ignore[attr-defined]
    sys.modules["channels.testing.live"] = live


@pytest.fixture(autouse=True)
def _close_render_connections() -> Iterator[None]:
    """The consumers' reader thread keeps its connection; close it after each test."""
    yield
    from tillit.dialog.consumers import close_reader_connections

    close_reader_connections()


@pytest.fixture(autouse=True)
def _fresh_channel_layer() -> Iterator[None]:
    """Each test runs in an event loop of its own. channels_redis remembers the loop that last
    received on a layer object, and a receive left behind by an earlier test's loop makes the
    next test's consumers fail ("Two event loops are trying to receive() on one channel layer at
    once!"): every test gets a new layer object (the same Redis, or a new in-memory layer)."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
