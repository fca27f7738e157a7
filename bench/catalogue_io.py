"""Catalogue import and export at municipal scale: 2,000 case types with 5 checklist items each
(1.3 MB of CSV, under the 2 MB upload limit).

    .venv/bin/python bench/catalogue_io.py [--types 2000] [--items 5] [--repeat 5]

Builds a throw-away test database (SQLite by default, `test_<name>` on PostgreSQL), fills it by
importing a generated CSV file, then prints JSON lines:
- `catalogue_import_new`: importing the whole file into an empty catalogue (one transaction);
- `catalogue_export_csv` / `catalogue_export_json`: median time and queries for the export;
- `catalogue_import_round_trip`: re-importing the export (nothing changes), median;
- `catalogue_import_refused`: a file with one bad row in the middle, checked and refused, median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import emit, in_test_database, queries_of, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--types", type=int, default=2000)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    in_test_database(lambda: run(args))


def generated_csv(types: int, items: int, *, bad_row: int | None = None) -> bytes:
    from tillit.catalogue import io

    lines = [";".join(io.COLUMNS)]
    for t in range(types):
        routing = "x" if t == bad_row else "centre_hands_over"
        head = [
            f"bench-{t}",
            f"Ärendetyp {t}",
            "",
            "SBF",
            routing,
            "1",
            "10",
            "standard",
            "ja",
            "nej",
            "",
            "sökord synonym",
            "Beskrivning av tjänsten.",
        ]
        for i in range(items):
            lines.append(";".join([*head, f"Punkt {i}", "ja", "Vägledning", ""]))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def run(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from tillit.cases.tests.factories import make_world
    from tillit.catalogue import actions, io
    from tillit.catalogue.models import CaseTypeVersion, VersionStatus

    world = make_world()
    by = world.admin_contact
    data = generated_csv(args.types, args.items)
    size_kb = len(data) / 1024
    started = time.perf_counter()
    summary = actions.import_catalogue(data=data, filename="typer.csv", by=by)
    emit(
        "catalogue_import_new",
        (time.perf_counter() - started) * 1000,
        "ms",
        "<= 30000 ms for 2,000 types",
        types=len(summary.created),
        items=args.items,
        file_kb=round(size_kb),
    )
    # As if the contact persons had published every imported draft.
    CaseTypeVersion.objects.filter(status=VersionStatus.DRAFT).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    for kind, export in (("csv", io.export_csv), ("json", io.export_json)):
        samples = timed(export, args.repeat)
        emit(
            f"catalogue_export_{kind}",
            statistics.median(samples),
            "ms",
            "<= 2000 ms for 2,000 types",
            queries=queries_of(export),
            types=args.types,
        )
    exported = io.export_csv()
    samples = timed(
        lambda: actions.import_catalogue(data=exported, filename="typer.csv", by=by), args.repeat
    )
    emit(
        "catalogue_import_round_trip",
        statistics.median(samples),
        "ms",
        "<= 10000 ms for 2,000 types",
        types=args.types,
    )
    bad = generated_csv(args.types, args.items, bad_row=args.types // 2)

    def refused() -> None:
        try:
            actions.import_catalogue(data=bad, filename="typer.csv", by=by)
        except io.ImportRefused:
            return
        raise AssertionError("a bad file was imported")

    samples = timed(refused, args.repeat)
    emit(
        "catalogue_import_refused",
        statistics.median(samples),
        "ms",
        "<= 5000 ms for 2,000 types",
        types=args.types,
    )


if __name__ == "__main__":
    main()
