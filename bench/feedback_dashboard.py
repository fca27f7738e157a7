"""Service-measure dashboards at a million cases on PostgreSQL: roll-up cost and page time.

    createdb -h 127.0.0.1 -U tillit -T tillit_bench tillit_feedback_bench   # or generate_cases.py
    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_feedback_bench \\
        .venv/bin/python bench/feedback_dashboard.py --answers 150000 --full

1. Migrates (the feedback tables) and, with --answers N, gives N closed cases an answered survey
   (COPY, deterministic, only once), so the satisfaction charts have something to show.
2. Times the roll-up the worker runs every hour (the last TILLIT_ROLLUP_DAYS days) and, with
   --full, a rebuild of the whole history.
3. Renders each dashboard through Django (middleware, queries, templates; no network) for the
   whole municipality, the contact centre and an administration, over 12 months and 3 months,
   signed in as a manager; reports the median and 95th percentile, and the same for a CSV export.

Prints one JSON object per line: name, value, unit, target.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# In-process requests speak plain HTTP and need no collected static files.
os.environ.setdefault("SECURE_HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")


def emit(name: str, value: float, unit: str, target: str, **extra: object) -> None:
    row = {"name": name, "value": round(value, 2), "unit": unit, "target": target, **extra}
    print(json.dumps(row, ensure_ascii=False), flush=True)


def seed_answers(count: int, seed: int) -> int:
    """Answered surveys for `count` closed cases, spread over the year after each closing."""
    from django.db import connection

    from tillit.feedback.models import SurveyAnswer

    have = SurveyAnswer.objects.count()
    if have >= count:
        return 0
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, owner_unit_id, case_type_id, channel, closed_at FROM cases_case "
            "WHERE status = 'closed' AND closed_at IS NOT NULL AND is_secret = false "
            "AND NOT EXISTS (SELECT 1 FROM feedback_survey s WHERE s.case_id = cases_case.id) "
            "ORDER BY md5(id::text) LIMIT %s",
            [count - have],
        )
        cases = cursor.fetchall()
        cursor.execute("SELECT coalesce(max(id), 0) FROM feedback_survey")
        survey_id = cursor.fetchone()[0]
    surveys, answers = [], []
    for case_id, unit, kind, channel, closed_at in cases:
        survey_id += 1
        sent = closed_at + timedelta(hours=24)
        answered = sent + timedelta(hours=rng.randint(1, 96))
        scores = [rng.choices([1, 2, 3, 4, 5], [3, 5, 14, 38, 40])[0] for _ in range(3)]
        surveys.append(
            (survey_id, case_id, unit, kind, channel, "answered", "closed", closed_at, sent, sent,
             sent + timedelta(days=14), answered, closed_at)
        )  # fmt: skip
        answers.append(
            (survey_id, unit, kind, channel, *scores, "", scores[0] <= 2 and rng.random() < 0.2,
             answered)
        )  # fmt: skip
    raw = connection.connection
    with raw.cursor() as cur:
        with cur.copy(
            "COPY feedback_survey (id, case_id, unit_id, case_type_id, channel, status, source, "
            "closed_at, send_after, sent_at, expires_at, answered_at, created_at) FROM STDIN"
        ) as copy:
            for row in surveys:
                copy.write_row(row)
        with cur.copy(
            "COPY feedback_surveyanswer (survey_id, unit_id, case_type_id, channel, treatment, "
            "got_help, ease, comment, wants_contact, answered_at) FROM STDIN"
        ) as copy:
            for row in answers:
                copy.write_row(row)
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('feedback_survey', 'id'), "
            "(SELECT max(id) FROM feedback_survey))"
        )
        cursor.execute("ANALYZE feedback_survey")
        cursor.execute("ANALYZE feedback_surveyanswer")
    return len(answers)


def timed_roll_up(name: str, target: str, **days: object) -> None:
    """One roll-up run, with its wall-clock and CPU time."""
    from tillit.feedback import measures

    started, cpu = time.perf_counter(), time.process_time()
    run = measures.roll_up(**days)  # type: ignore[arg-type]
    emit(
        name,
        time.perf_counter() - started,
        "s",
        target,
        cpu_s=round(time.process_time() - cpu, 1),
        cases=run.cases_read,
        rows=run.rows_written,
        days=(run.last_day - run.first_day).days + 1,
    )


def time_pages(client, url: str, params: dict[str, str], runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=0, help="answered surveys to seed")
    parser.add_argument("--full", action="store_true", help="also time a full-history roll-up")
    parser.add_argument("--requests", type=int, default=30, help="requests per dashboard")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from tillit.cases.models import Case
    from tillit.feedback import measures
    from tillit.organisation.models import Person, Unit, UnitKind

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database with the generated cases.")
    call_command("migrate", verbosity=0)
    cases = Case.objects.count()
    emit("feedback.bench.cases", cases, "cases", ">=1000000")
    if args.answers:
        emit(
            "feedback.bench.answers_seeded",
            seed_answers(args.answers, args.seed),
            "answers",
            "info",
        )

    if args.full:
        timed_roll_up("feedback.rollup.full_history_s", "informational (one-off rebuild)",
                      first_day=measures.first_case_day())  # fmt: skip
    timed_roll_up("feedback.rollup.window_s", "<=60 (runs hourly)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_flowday")
        cursor.execute("ANALYZE feedback_durationday")
        cursor.execute("SELECT count(*) FROM feedback_flowday")
        flow_rows = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM feedback_durationday")
        duration_rows = cursor.fetchone()[0]
    emit("feedback.rollup.rows", flow_rows + duration_rows, "rows", "informational",
         flow_rows=flow_rows, duration_rows=duration_rows)  # fmt: skip

    manager = Person.objects.get(username="lars.andersson")
    client = Client()
    client.force_login(manager)
    centre = Unit.objects.get(code="KC")
    administration = Unit.objects.filter(kind=UnitKind.ADMINISTRATION, code="SBF").first()
    today = timezone.localdate()
    ranges = {"12_months": today - timedelta(days=365), "3_months": today - timedelta(days=91)}
    scopes = {"municipality": "kommun", "centre": str(centre.pk)}
    if administration:
        scopes["administration"] = str(administration.pk)
    url = reverse("feedback:dashboard")
    all_timings = []
    for scope, unit in scopes.items():
        for label, first in ranges.items():
            params = {"enhet": unit, "fran": first.isoformat(), "till": today.isoformat()}
            time_pages(client, url, params, 2)  # warm caches and connections
            timings = time_pages(client, url, params, args.requests)
            all_timings += timings
            emit(
                f"feedback.dashboard.{scope}.{label}.p95_ms",
                sorted(timings)[int(len(timings) * 0.95) - 1],
                "ms",
                "<=500",
                median_ms=round(statistics.median(timings), 1),
                requests=len(timings),
            )
    emit(
        "feedback.dashboard.all.p95_ms",
        sorted(all_timings)[int(len(all_timings) * 0.95) - 1],
        "ms",
        "<=500",
        median_ms=round(statistics.median(all_timings), 1),
        requests=len(all_timings),
    )
    params = {"enhet": "kommun", "fran": ranges["12_months"].isoformat(), "till": today.isoformat()}
    timings = time_pages(client, reverse("feedback:export", args=["time_to_help"]), params, 10)
    emit("feedback.export.time_to_help.p95_ms", sorted(timings)[8], "ms", "<=500",
         median_ms=round(statistics.median(timings), 1))  # fmt: skip


if __name__ == "__main__":
    main()
