"""Case pages and API at a million cases, served as in production, measured with wrk.

    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_bench \
    REDIS_URL=redis://127.0.0.1:6379/14 \
        .venv/bin/python bench/cases_latency.py [--server gunicorn|uvicorn] [--workers 2]
            [--seconds 15] [--connections 4] [--only NAME-PART]

Run `bench/generate_cases.py` first. Starts the server as in production (gunicorn's sync
workers for pages and API, decision 0355; `--server uvicorn` for the ASGI server; --workers N,
DEBUG off, Redis cache and sessions), logs in as a contact-centre member, and prints JSON lines:
queue page and API list latency, Swedish full-text search latency, case creation through the
API at 16 concurrent clients, and the same inserts through a bare Django view for comparison.
Each line carries `server_cpu_ms`: the server processes' CPU per request, which the machine's
other load changes much less than the latencies.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.serve import PYTHON, SERVERS, login, production_env, server, wrk

USER = "anna.lindqvist"
PASSWORD = "tillit-demo"  # noqa: S105 - the public demo password


def emit(name: str, value: float, unit: str, target: str, **extra: object) -> None:
    print(
        json.dumps(
            {"name": name, "value": round(value, 2), "unit": unit, "target": target, **extra}
        ),
        flush=True,
    )


def api_token(database_url: str) -> str:
    env = production_env(database_url, DJANGO_SETTINGS_MODULE="config.settings")
    subprocess.run([PYTHON, "-m", "tillit.cli", "migrate", "-v0"], env=env, check=True)
    output = subprocess.run(
        [PYTHON, "-m", "tillit.cli", "api_token", "create", "--name", "bench", "--user", USER],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return output.strip().splitlines()[-1]


def lua_post_each(path: str, bodies: list[dict[str, object]], headers: dict[str, str]) -> str:
    """A wrk script that posts the bodies in turn, one per request."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    lines = [
        "local bodies = {",
        *(f"  {json.dumps(json.dumps(body))}," for body in bodies),
        "}",
        "local turn = 0",
        'wrk.headers["Content-Type"] = "application/json"',
        *(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()),
        "request = function()",
        "  turn = turn % #bodies + 1",
        f'  return wrk.format("POST", "{path}", nil, bodies[turn])',
        "end",
    ]
    script.write("\n".join(lines) + "\n")
    script.close()
    return script.name


def realistic_bodies(database_url: str, count: int = 5000) -> list[dict[str, object]]:
    """Subjects, descriptions and case types of generated cases spread over the whole range:
    what the benchmark registers looks like the rest of the data. With one fixed text, every
    run put thousands of cases that the searched words never match at the newest ids, where
    the search looks first, and the next run's search had to widen its window. Thousands of
    them, so that a text as rare as the searched one (0.36 % of the cases) is among them at its
    own rate: 500 held one, and the newest window then had too few matches again."""
    import psycopg

    url = database_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT c.subject, c.description, t.code FROM cases_case c"
            " JOIN catalogue_casetype t ON t.id = c.case_type_id"
            " WHERE c.channel <> 'api' AND t.is_active AND t.code <> ''"
            " AND c.id %% (SELECT GREATEST(1, MAX(id) / %s) FROM cases_case) = 0"
            " ORDER BY c.id LIMIT %s",
            [count, count],
        ).fetchall()
    return [
        {
            "subject": subject,
            "case_type": code,
            "description": description,
            "party": {"name": "Karin Nyström", "email": "karin@example.se"},
        }
        for subject, description, code in rows
    ]


def reachable(url: str, headers: dict[str, str]) -> bool:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--server", choices=SERVERS, default="gunicorn")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections for reads")
    parser.add_argument("--only", default="", help="run only the measures whose name has this")
    args = parser.parse_args()
    database_url = os.environ["DATABASE_URL"]
    token = api_token(database_url)
    bearer = {"Authorization": f"Bearer {token}"}
    served = {
        "server": args.server,
        "workers": args.workers,
        "redis": bool(os.environ.get("REDIS_URL")),
    }
    with server(
        database_url, workers=args.workers, settings="bench.bare_settings", kind=args.server
    ) as served_by:
        url = served_by.url
        cookie = {"Cookie": login(url, USER, PASSWORD)}
        reads = [
            ("cases.api.list.waiting", "/api/v1/cases?queue=waiting", bearer, 15, 50),
            ("cases.api.list.mine", "/api/v1/cases?queue=mine", bearer, 15, 50),
            ("cases.page.queue.waiting", "/arenden/ko/vantar/", cookie, 15, 50),
            ("cases.page.queue.unit", "/arenden/ko/enheten/", cookie, 15, 50),
            ("cases.api.search", "/api/v1/cases?q=trasig+gatlampa", bearer, None, 100),
            ("cases.api.search.number", "/api/v1/cases?q=KC+2024%2F01234", bearer, None, 100),
        ]
        for name, path, headers, p50_target, p99_target in reads:
            if args.only not in name:
                continue
            if not reachable(url + path, headers):
                emit(name, -1, "ms", "page not available", skipped=True, **served)
                continue
            cpu = served_by.cpu_seconds()
            result = wrk(
                url + path, seconds=args.seconds, connections=args.connections, headers=headers
            )
            cpu_ms = 1000 * (served_by.cpu_seconds() - cpu) / max(1.0, result["requests"])
            if p50_target is not None:
                emit(
                    f"{name}.p50",
                    result["p50_ms"],
                    "ms",
                    f"<={p50_target}",
                    rps=result["rps"],
                    errors=result["errors"],
                    connections=args.connections,
                    server_cpu_ms=round(cpu_ms, 2),
                    **served,
                )
            emit(
                f"{name}.p99",
                result["p99_ms"],
                "ms",
                f"<={p99_target}",
                rps=result["rps"],
                errors=result["errors"],
                connections=args.connections,
                server_cpu_ms=round(cpu_ms, 2),
                **served,
            )

        if args.only and args.only not in "cases.api.create":
            return
        bodies = realistic_bodies(database_url)
        cpu = served_by.cpu_seconds()
        api = wrk(
            f"{url}/api/v1/cases",
            seconds=args.seconds,
            connections=16,
            script=lua_post_each("/api/v1/cases", bodies, bearer),
        )
        emit(
            "cases.api.create.rps",
            api["rps"],
            "requests/s",
            ">=400",
            connections=16,
            errors=api["errors"],
            server_cpu_ms=round(
                1000 * (served_by.cpu_seconds() - cpu) / max(1, api["requests"]), 2
            ),
            **served,
        )
        emit("cases.api.create.p99", api["p99_ms"], "ms", "<=50", connections=16, **served)
        bare_bodies: list[dict[str, object]] = [
            {
                "subject": body["subject"],
                "description": body["description"],
                "case_type": body["case_type"],
                "owner": "KC",
            }
            for body in bodies
        ]
        cpu = served_by.cpu_seconds()
        bare = wrk(
            f"{url}/bench/bare-create",
            seconds=args.seconds,
            connections=16,
            script=lua_post_each("/bench/bare-create", bare_bodies, {}),
        )
        emit(
            "cases.bare.create.rps",
            bare["rps"],
            "requests/s",
            "reference",
            connections=16,
            errors=bare["errors"],
            p99_ms=bare["p99_ms"],
            server_cpu_ms=round(
                1000 * (served_by.cpu_seconds() - cpu) / max(1, bare["requests"]), 2
            ),
            **served,
        )
        emit(
            "cases.api.create.share_of_bare",
            api["rps"] / bare["rps"],
            "ratio",
            "as close to 1 as the rules allow",
            **served,
        )


if __name__ == "__main__":
    main()
