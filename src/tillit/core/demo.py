"""The demo municipality: each app adds its part in a `demo.py` module with `load(ctx)`.

Apps load in INSTALLED_APPS order, so a later capability can use what an earlier one made
(`ctx.units["KC"]`, `ctx.people["anna.lindqvist"]`). Every loader is idempotent: running the demo
twice changes nothing the second time.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction

if TYPE_CHECKING:
    from tillit.organisation.models import Municipality, Person, Unit

DEMO_PASSWORD = "tillit-demo"  # noqa: S105 - public demo data, printed on start


@dataclass
class DemoContext:
    municipality: Municipality | None = None
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (role description, username)
    extra: dict[str, Any] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    log: Callable[[str], None] = print


def loaders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tillit."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        if config.name != "tillit.core":
            found.append((config.label, module.load))
    return found


def run_demo(log: Callable[[str], None] = print) -> DemoContext:
    ctx = DemoContext(log=log)
    for label, load in loaders():
        with transaction.atomic():
            load(ctx)
        log(f"  demo: {label} ready")
    return ctx
