"""The staff pages of cases, rendered in-process against a large database: time, CPU and queries.

    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_bench \
    REDIS_URL=redis://127.0.0.1:6379/14 \
        .venv/bin/python bench/cases_pages.py [--rounds 30]

Run `bench/generate_cases.py` first. Signs in as a contact-centre member with Django's test
client (no HTTP server, so the numbers are the page's own cost) and requests each page and its
API counterpart in turn. Prints one JSON line per page: median wall time, median CPU time of the
Django process (what the page costs apart from waiting for the database), the number of queries,
and for the queues the CPU ratio to the API list of the same queue. `bench/cases_latency.py`
measures the same pages served by uvicorn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_HTTPS", "false")

USER = "anna.lindqvist"


def measure(client: object, url: str, rounds: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches, sessions and the connection
        assert client.get(url).status_code == 200, url  # type: ignore[attr-defined]
    wall, cpu, queries = [], [], 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)  # type: ignore[attr-defined]
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return {
        "wall_ms": statistics.median(wall),
        "cpu_ms": statistics.median(cpu),
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages link hashed files

    from tillit.cases.models import Case
    from tillit.organisation.models import Person

    client = Client()
    client.force_login(Person.objects.get(username=USER))
    case = Case.objects.filter(owner_unit__code="KC").order_by("-pk").first()
    pages = [
        ("cases.page.queue.unit", "/arenden/ko/enheten/", "/api/v1/cases?queue=unit"),
        ("cases.page.queue.waiting", "/arenden/ko/vantar/", "/api/v1/cases?queue=waiting"),
        ("cases.page.queue.overdue", "/arenden/ko/forsenade/", "/api/v1/cases?queue=overdue"),
        ("cases.page.search", "/arenden/sok/?q=trasig+gatlampa", "/api/v1/cases?q=trasig+gatlampa"),
        ("cases.page.incoming", "/arenden/inkommande/", None),
        ("cases.page.case", f"/arenden/{case.pk}/" if case else "/arenden/ko/", None),
    ]
    for name, url, api in pages:
        page = measure(client, url, args.rounds)
        extra: dict[str, float] = {}
        if api:
            against = measure(client, api, args.rounds)
            extra = {"api_cpu_ms": round(against["cpu_ms"], 1), "cpu_ratio_to_api": 0.0}
            extra["cpu_ratio_to_api"] = round(page["cpu_ms"] / against["cpu_ms"], 2)
        print(
            json.dumps(
                {
                    "name": f"{name}.median",
                    "value": round(page["wall_ms"], 1),
                    "unit": "ms",
                    "target": "<=15 (queue pages, p50 served)",
                    "cpu_ms": round(page["cpu_ms"], 1),
                    "queries": page["queries"],
                    **extra,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
