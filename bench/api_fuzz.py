"""The long fuzzing run of the REST API: schemathesis generates requests for every operation in the
OpenAPI document (the suite's bounded run, src/tillit/api/tests/test_schema.py, with more examples
and a varying seed) and checks each answer: no server error, status code, content type, headers
and body as documented (refusals are problem+json).

    .venv/bin/python bench/api_fuzz.py [--examples 800]     # over 10,000 requests in all
    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/api_fuzz.py

Prints JSON lines: `api.fuzz_requests` (generated requests sent), `api.fuzz_failing_operations`
(operations where a check failed; target 0) and the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def emit(name: str, value: float, unit: str, target: str, **extra: object) -> None:
    print(json.dumps({"name": name, "value": value, "unit": unit, "target": target, **extra}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=800, help="per operation")
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile(prefix="fuzz-", suffix=".txt", delete=False) as handle:
        count_file = handle.name
    env = {
        **os.environ,
        "TILLIT_FUZZ_EXAMPLES": str(args.examples),
        "TILLIT_FUZZ_COUNT_FILE": count_file,
    }
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            "test_every_endpoint_answers_as_documented",
            "src/tillit/api/tests/test_schema.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    requests = Path(count_file).read_text().splitlines()
    Path(count_file).unlink()
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    database = os.environ.get("DATABASE_URL", "sqlite").split("://", 1)[0]
    emit("api.fuzz_requests", len(requests), "requests", ">= 10000", database=database)
    emit(
        "api.fuzz_failing_operations",
        len(failed),
        "operations",
        "0",
        database=database,
        failed=[line.split(" - ")[0].removeprefix("FAILED ") for line in failed],
        seconds=round(elapsed, 1),
    )
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        sys.exit(result.returncode)


if __name__ == "__main__":
    main()
