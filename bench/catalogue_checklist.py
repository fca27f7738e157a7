"""The checklist's cost on the request path: the close rule and the case-page panel.

    .venv/bin/python bench/catalogue_checklist.py [--items 40] [--versions 5] [--events 50]
        [--repeat 300] [--profile 30] [--show-queries]
    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_catalogue \
        .venv/bin/python bench/catalogue_checklist.py

Builds a throw-away test database (SQLite by default, `test_<name>` on PostgreSQL) with one case
type whose checklist has `--items` items in each of `--versions` published versions, and a case
pinned to the first version with a third of its items ticked and `--events` events in its log in
all (notes, replies, oral information, due-date and status changes, the ticks). Prints JSON lines:
- `open_required_items` per call (asked before every close) and its query count;
- the case-page panel context (`checklist_of`: items, marks and the "since then" difference);
- the whole case page (in-process test client): median and p99 wall time, CPU time (median, and
  the fastest and tenth-percentile round), the template renders and queries per page, with and
  without the checklist, and the queries the checklist adds (budget: 2);
- with `--profile N`: the top functions of a cProfile of N case pages (cumulative time); with
  `TILLIT_PROFILE_OUT=FILE` the whole profile is also written to FILE (for pstats).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import emit, in_test_database, queries_of, timed

if TYPE_CHECKING:
    from django.test import Client

    from tillit.cases.models import Case
    from tillit.cases.tests.factories import World


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of one case page to stderr"
    )
    parser.add_argument(
        "--asgi-startup",
        action="store_true",
        help="import config.asgi as the server does (its gc.freeze() included) before measuring",
    )
    args = parser.parse_args()

    in_test_database(lambda: run(args))


def run(args: argparse.Namespace) -> None:
    from django.test import Client

    from tillit.cases.tests.factories import make_world, register
    from tillit.catalogue import actions
    from tillit.catalogue.checklist import checklist_of
    from tillit.catalogue.queries import open_required_items
    from tillit.catalogue.tests.factories import published_checklist

    if args.asgi_startup:
        import config.asgi  # noqa: F401 - the server's start-up path, gc.freeze() included

    world = make_world()
    plain = register(world)  # no checklist: the page's cost without the panel's reads
    first = published_checklist(
        world.case_type, [(f"Punkt {n}", n % 2 == 0) for n in range(args.items)]
    )
    case = register(world)
    for each in list(first.items.order_by("position"))[: args.items // 3]:
        actions.mark_item_done(case=case, item=each, by=world.centre_staff)
    for number in range(2, args.versions + 1):
        draft = actions.start_draft(case_type=world.case_type, by=world.admin_contact)
        actions.add_item(version=draft, by=world.admin_contact, text=f"Ny punkt {number}")
        actions.publish_version(version=draft, by=world.admin_contact, summary=f"v{number}")
    fill_log(case, world, args.events)
    fill_log(plain, world, args.events)  # the same log: "without" differs by the checklist only
    case.refresh_from_db()

    samples = timed(lambda: open_required_items(case), args.repeat)
    emit(
        "open_required_items",
        statistics.median(samples),
        "ms",
        "p99 <= 5 ms",
        p99=round(p(samples, 0.99), 3),
        queries=queries_of(lambda: open_required_items(case)),
        items=args.items,
    )
    samples = timed(lambda: checklist_of(case), args.repeat)
    emit(
        "checklist_panel_context",
        statistics.median(samples),
        "ms",
        "p99 <= 10 ms",
        p99=round(p(samples, 0.99), 3),
        queries=queries_of(lambda: checklist_of(case)),
        items=args.items,
        versions=args.versions,
    )

    client = Client(headers={"Accept-Language": "sv"})
    client.force_login(world.centre_staff)
    with_url, without_url = f"/arenden/{case.pk}/", f"/arenden/{plain.pk}/"
    assert client.get(with_url).status_code == 200
    rounds = max(30, args.repeat // 5)
    with_list = page_samples(client, with_url, rounds)
    without = page_samples(client, without_url, rounds)
    added = queries_of(lambda: client.get(with_url)) - queries_of(lambda: client.get(without_url))
    emit(
        "case_page_with_checklist",
        statistics.median(with_list.wall),
        "ms",
        "p99 <= 30 ms",
        p99=round(p(with_list.wall, 0.99), 3),
        cpu_ms=round(statistics.median(with_list.cpu), 3),
        # The least disturbed rounds: on a busy machine closer to the page's own cost.
        cpu_ms_min=round(min(with_list.cpu), 3),
        cpu_ms_p10=round(p(with_list.cpu, 0.10), 3),
        templates=renders_of(lambda: client.get(with_url)),
        python_calls=calls_of(lambda: client.get(with_url)),
        queries=queries_of(lambda: client.get(with_url)),
        without_checklist_ms=round(statistics.median(without.wall), 3),
        without_checklist_p99=round(p(without.wall, 0.99), 3),
        without_checklist_templates=renders_of(lambda: client.get(without_url)),
        queries_added=added,
        items=args.items,
        events=case.events.count(),
        load_average=round(os.getloadavg()[0], 2),
        gc_frozen=gc.get_freeze_count(),
        **with_list.gc_summary(),
    )
    if args.show_queries:
        show_queries(lambda: client.get(with_url))
    if args.profile:
        profile(lambda: client.get(with_url), args.profile)


def fill_log(case: Case, world: World, events: int) -> None:
    """Bring the case's log up to `events` events with the mix a worked case has."""
    from django.utils import timezone

    from tillit.cases import actions as case_actions

    moves = [
        lambda n: case_actions.add_note(
            case=case, by=world.centre_staff, body=f"Anteckning {n}: ringde tillbaka.\nInget svar."
        ),
        lambda n: case_actions.record_oral_information(
            case=case, by=world.centre_staff, body=f"Muntlig uppgift {n} om altanens mått."
        ),
        lambda n: case_actions.wait_for_citizen(case=case, by=world.centre_staff),
        lambda n: case_actions.add_citizen_message(case=case, body=f"Invånarens svar {n}."),
        lambda n: case_actions.change_due_date(
            case=case,
            by=world.centre_staff,
            due_date=timezone.localdate() + timedelta(days=10 + n),
            reason=f"Väntar på ritning {n}",
        ),
    ]
    n = 0
    while case.events.count() < events:
        moves[n % len(moves)](n)
        n += 1


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    # Milliseconds each round spent in the cyclic garbage collector, and in gen-2 collections.
    gc: list[float] = field(default_factory=list)
    gc2: list[float] = field(default_factory=list)

    def gc_summary(self) -> dict[str, object]:
        """Where the slow rounds come from: gen-2 collections, or the first rounds."""
        worst = max(1, len(self.wall) // 50)
        slowest = sorted(range(len(self.wall)), key=self.wall.__getitem__)[-worst:]
        calm = [w for w, g in zip(self.wall, self.gc2, strict=True) if not g]
        return {
            "gc_ms_median": round(statistics.median(self.gc), 3),
            "gc2_rounds": sum(1 for g in self.gc2 if g),
            "gc2_ms_max": round(max(self.gc2), 3),
            "slowest_rounds": [
                {
                    "round": i,
                    "ms": round(self.wall[i], 1),
                    "cpu_ms": round(self.cpu[i], 1),
                    "gc_ms": round(self.gc[i], 1),
                    "gc2_ms": round(self.gc2[i], 1),
                }
                for i in slowest
            ],
            "p99_without_gc2_rounds": round(p(calm, 0.99), 3) if calm else None,
        }


def page_samples(client: Client, url: str, rounds: int) -> Samples:
    import gc

    samples = Samples()
    spent = {0: 0.0, 2: 0.0}
    started_gc = 0.0

    def watch(phase: str, info: dict[str, int]) -> None:
        nonlocal started_gc
        if phase == "start":
            started_gc = time.perf_counter()
            return
        took = (time.perf_counter() - started_gc) * 1000
        spent[0] += took
        if info["generation"] == 2:
            spent[2] += took

    gc.callbacks.append(watch)
    try:
        for _ in range(rounds):
            spent[0] = spent[2] = 0.0
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            samples.wall.append((time.perf_counter() - started) * 1000)
            samples.cpu.append((time.process_time() - started_cpu) * 1000)
            samples.gc.append(spent[0])
            samples.gc2.append(spent[2])
    finally:
        gc.callbacks.remove(watch)
    return samples


def renders_of(call: Callable[[], object]) -> int:
    """Template renders (each include and extends counts) of one call."""
    from django.template.base import Template

    counted = 0
    original = Template._render

    def counting(self: Template, context: object) -> object:
        nonlocal counted
        counted += 1
        return original(self, context)

    Template._render = counting  # type: ignore[method-assign]
    try:
        call()
    finally:
        Template._render = original  # type: ignore[method-assign]
    return counted


def calls_of(call: Callable[[], object]) -> int:
    """Python function calls of one call: a measure of work that the machine's load leaves alone."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(call)
    return int(pstats.Stats(profiler).total_calls)  # type: ignore[attr-defined]


def show_queries(call: Callable[[], object]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    for number, query in enumerate(captured.captured_queries, 1):
        print(f"{number:2} {query['time']} {query['sql']}", file=sys.stderr)


def profile(call: Callable[[], object], rounds: int) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        call()
    profiler.disable()
    if os.environ.get("TILLIT_PROFILE_OUT"):
        profiler.dump_stats(os.environ["TILLIT_PROFILE_OUT"])
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats("tillit", 30)
    stats.sort_stats("tottime").print_stats(30)
    print(out.getvalue(), file=sys.stderr)


if __name__ == "__main__":
    main()
