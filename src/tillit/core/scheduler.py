"""Periodic tasks: each app registers what must run every so often (escalations, roll-ups).

`tillit run_scheduler` (started by `tillit serve`) enqueues each periodic task once per interval.
With several schedulers running (several hosts), the shared cache decides which one enqueues a
given slot, so a task is never enqueued twice for the same interval.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # dotted path to a django-tasks Task
    seconds: int


_periodic: dict[str, Periodic] = {}


def register_periodic(periodic: Periodic) -> None:
    _periodic[periodic.name] = periodic


def registered() -> list[Periodic]:
    return sorted(_periodic.values(), key=lambda p: p.name)


def enqueue_due(now: float | None = None) -> list[str]:
    """Enqueue every periodic task whose current slot has not been claimed yet."""
    now = time.time() if now is None else now
    enqueued = []
    for periodic in registered():
        slot = int(now // periodic.seconds)
        if cache.add(f"periodic:{periodic.name}:{slot}", 1, timeout=periodic.seconds * 2):
            module, _, attribute = periodic.task.rpartition(".")
            getattr(importlib.import_module(module), attribute).enqueue()
            enqueued.append(periodic.name)
    return enqueued
