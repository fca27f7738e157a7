"""The checklist's cost on the request path: the close rule and the case-page panel.

    .venv/bin/python bench/catalogue_checklist.py [--items 30] [--versions 5] [--repeat 300]
    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_catalogue \
        .venv/bin/python bench/catalogue_checklist.py

Builds a throw-away test database (SQLite by default, `test_<name>` on PostgreSQL) with one case
type whose checklist has `--items` items in each of `--versions` published versions, and a case
pinned to the first version with a third of its items ticked. Prints JSON lines:
- `open_required_items` per call (asked before every close) and its query count;
- the case-page panel context (`checklist_of`: items, marks and the "since then" difference);
- the whole case page (in-process test client) median, with and without the checklist, and the
  queries the checklist adds (budget: 2).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import emit, in_test_database, queries_of, timed


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    in_test_database(lambda: run(args))


def run(args: argparse.Namespace) -> None:
    from django.test import Client

    from tillit.cases.tests.factories import make_world, register
    from tillit.catalogue import actions
    from tillit.catalogue.checklist import checklist_of
    from tillit.catalogue.queries import open_required_items
    from tillit.catalogue.tests.factories import published_checklist

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
    client.get(f"/arenden/{case.pk}/")
    rounds = max(30, args.repeat // 5)
    with_list = timed(lambda: client.get(f"/arenden/{case.pk}/"), rounds)
    without = timed(lambda: client.get(f"/arenden/{plain.pk}/"), rounds)
    added = queries_of(lambda: client.get(f"/arenden/{case.pk}/")) - queries_of(
        lambda: client.get(f"/arenden/{plain.pk}/")
    )
    emit(
        "case_page_with_checklist",
        statistics.median(with_list),
        "ms",
        "p99 <= 30 ms",
        p99=round(p(with_list, 0.99), 3),
        without_checklist_ms=round(statistics.median(without), 3),
        queries_added=added,
        items=args.items,
    )


if __name__ == "__main__":
    main()
