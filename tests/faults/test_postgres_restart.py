"""PostgreSQL restarted in the middle of API load (issue 9, "Faults").

A PostgreSQL cluster of the test's own, `tillit serve` (uvicorn, production settings) against it,
client threads registering cases through the API with an Idempotency-Key each. The cluster is
stopped (`pg_ctl stop -m fast`) for a few seconds and started again; the server is never
restarted. Clients retry a refused request with the same key, as docs/api.md tells them to.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.conftest import Cluster
from tests.faults.servers import free_port, serve, tillit_env, tillit_python

CLIENTS = 4
OUTAGE_SECONDS = 4

CASES = """
import json
from tillit.cases.models import Case
print(json.dumps([[c.submission_key, c.pk, c.registration_number]
                  for c in Case.objects.all()]))
"""


@dataclass
class Answer:
    key: str
    status: int  # 0: no HTTP answer at all
    at: float
    body: dict | str
    content_type: str
    retry_after: str | None


def _post_case(port: int, token: str, case_type: str, key: str) -> Answer:
    body = json.dumps(
        {"subject": f"Ärende {key}", "description": "Under belastning.", "case_type": case_type}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/cases",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept-Language": "sv",
            "Idempotency-Key": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    except OSError as error:
        return Answer(key, 0, time.monotonic(), repr(error), "", None)
    content_type = headers.get("Content-Type", "")
    text = raw.decode("utf-8", errors="replace")
    parsed: dict | str = json.loads(text) if "json" in content_type else text
    return Answer(key, status, time.monotonic(), parsed, content_type, headers.get("Retry-After"))


def _get_page(port: int, path: str) -> Answer:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Accept-Language": "sv"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    except OSError as error:
        return Answer(path, 0, time.monotonic(), repr(error), "", None)
    body = raw.decode("utf-8", errors="replace")
    return Answer(
        path,
        status,
        time.monotonic(),
        body,
        headers.get("Content-Type", ""),
        headers.get("Retry-After"),
    )


@pytest.mark.parametrize("conn_max_age", ["0", "60"], ids=["conn-per-request", "persistent"])
def test_api_load_survives_a_postgres_restart(cluster: Cluster, tmp_path: Path, conn_max_age):
    postgres, world = cluster.postgres, cluster.world
    env = tillit_env(cluster.fresh_database(), DB_CONN_MAX_AGE=conn_max_age)
    began = time.monotonic()
    port = free_port()
    server = serve(env, port, tmp_path / "serve.log")
    answers: list[Answer] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(number: int) -> None:
        i = 0
        while not stop.is_set():
            key = f"klient-{number}-{i}"
            i += 1
            # A refused request is retried with the same key until it is answered 2xx.
            while True:
                answer = _post_case(port, world["token"], world["case_type"], key)
                with lock:
                    answers.append(answer)
                if 200 <= answer.status < 300:
                    break
                time.sleep(0.2)

    pages: list[Answer] = []

    def citizen() -> None:
        # A citizen opening the e-service's start page (it lists the case types).
        while not stop.is_set():
            pages.append(_get_page(port, "/e-tjanst/"))
            time.sleep(0.2)

    try:
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        threads.append(threading.Thread(target=citizen))
        for thread in threads:
            thread.start()
        time.sleep(3)
        down_at = time.monotonic()
        postgres.stop("fast")
        time.sleep(OUTAGE_SECONDS)
        postgres.start()
        up_at = time.monotonic()
        time.sleep(5)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        took = time.monotonic() - began
        print(f"served after {down_at - began - 3:.1f} s; load done at {took:.1f} s")
        assert server.process.poll() is None, "the server died: " + server.output()

        # After the outage, every key answered 2xx is replayed with the same case.
        ok = [a for a in answers if 200 <= a.status < 300]
        first_case = {}
        for a in ok:
            assert isinstance(a.body, dict)
            first_case.setdefault(a.key, a.body["id"])
        retried = sorted({a.key for a in answers if a.status == 503})[:5]
        for key in [*retried, ok[0].key]:
            again = _post_case(port, world["token"], world["case_type"], key)
            assert again.status == 200, again.body
            assert isinstance(again.body, dict) and again.body["id"] == first_case[key]
    finally:
        stop.set()
        server.stop()
        if not postgres.running():
            postgres.start()

    log = server.output()
    statuses = {a.status for a in answers}
    unexpected = [a for a in answers if a.status not in {200, 201, 503}][:3]
    assert statuses <= {200, 201, 503}, (statuses, unexpected, log[-3000:])

    before = [a for a in ok if a.at < down_at]
    after = [a for a in ok if a.at > up_at]
    refused = [a for a in answers if a.status == 503]
    print(
        f"2xx before {len(before)}, 503 {len(refused)}, 2xx after {len(after)}, all {len(answers)}"
    )
    assert len(before) >= CLIENTS, "the load did not get going before the outage"
    assert refused, "no request met the outage"
    assert len(after) >= CLIENTS, "Tillit did not answer 2xx again after PostgreSQL returned"

    # Every refusal during the outage: a clear problem+json 503 with Retry-After, no trace.
    for a in refused:
        assert a.content_type.startswith("application/problem+json"), a.body
        assert isinstance(a.body, dict)
        assert a.body["status"] == 503
        assert a.body["title"] and a.body["detail"]
        assert "Traceback" not in json.dumps(a.body) and "psycopg" not in json.dumps(a.body)
        assert a.retry_after and a.retry_after.isdigit()
    assert "Traceback" not in json.dumps([a.body for a in answers if a.status != 201])

    # Pages during the outage: a Swedish 503 page with Retry-After, no trace; 200 again after.
    assert {p.status for p in pages} <= {200, 503}, [
        p for p in pages if p.status not in {200, 503}
    ][:2]
    unavailable = [p for p in pages if p.status == 503]
    assert unavailable, "no page request met the outage"
    for p in unavailable:
        assert isinstance(p.body, str)
        assert 'lang="sv"' in p.body and "Tillfälligt otillgänglig" in p.body
        assert "Traceback" not in p.body and "OperationalError" not in p.body
        assert p.retry_after and p.retry_after.isdigit()
    assert any(p.status == 200 and p.at > up_at for p in pages)

    # Every case answered 2xx is in the database, once per key, with the answered id.
    stored = tillit_python(env, CASES)
    by_key = {}
    for submission_key, case_id, number in stored:
        assert submission_key not in by_key, "a case was registered twice for one key"
        by_key[submission_key] = (case_id, number)
    for key, case_id in first_case.items():
        submission_key = hashlib.sha256(f"api:{world['person']}:{key}".encode()).hexdigest()
        assert submission_key in by_key, f"case {case_id} answered 2xx for {key} was lost"
        assert by_key[submission_key][0] == case_id
    # No stray cases: every stored case belongs to a key that was answered.
    assert len(by_key) == len(first_case), (len(by_key), len(first_case))
