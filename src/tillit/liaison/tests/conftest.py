from __future__ import annotations

from tillit.cases.tests.conftest import client_for, clock, world

__all__ = ["client_for", "clock", "world"]
