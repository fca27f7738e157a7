"""Rebuild the daily service-measure figures, e.g. the whole history after an upgrade."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tillit.feedback import measures


class Command(BaseCommand):
    help = "Rebuild the daily roll-ups behind the dashboards (default: the recent window)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="first", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="last day, YYYY-MM-DD (default today)")
        parser.add_argument("--all", action="store_true", help="from the first case ever")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first = date.fromisoformat(options["first"]) if options["first"] else None
            last = date.fromisoformat(options["last"]) if options["last"] else None
        except ValueError as error:
            raise CommandError(f"Dates are written YYYY-MM-DD: {error}") from None
        if options["all"]:
            first = measures.first_case_day()
            if first is None:
                self.stdout.write("No cases yet.")
                return
        run = measures.roll_up(first_day=first, last_day=last)
        self.stdout.write(
            json.dumps(
                {
                    "first_day": str(run.first_day),
                    "last_day": str(run.last_day),
                    "cases": run.cases_read,
                    "rows": run.rows_written,
                    "seconds": round(run.seconds, 2),
                }
            )
        )
