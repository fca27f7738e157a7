"""Start Tillit as in production for a benchmark, and measure it with wrk.

Used by the latency benchmarks: gunicorn (or uvicorn) with several worker processes on a free
port, DEBUG off, a persistent PostgreSQL connection per gunicorn worker (a pool of 8 per uvicorn
worker), Redis for cache and sessions when REDIS_URL is set.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 32,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_HTTPS": "false",
        "DB_POOL_SIZE": "8",  # persistent connections leak under ASGI (settings.py)
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
    }
    env.update(extra)
    return env


SERVERS = ("gunicorn", "uvicorn")
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Served:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU (user + system) used so far by the server and its worker processes."""
        return sum(_cpu(pid) for pid in _tree(self.pid))


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for child in _children(pid):
        pids += _tree(child)
    return pids


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found += [int(child) for child in text]
    return found


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def command(kind: str, port: int, workers: int) -> list[str]:
    """The server's command line: gunicorn (WSGI, pages and API, as in production: decision
    0355) or uvicorn (ASGI, which also serves the websockets of live pages)."""
    if kind == "uvicorn":
        return [
            PYTHON,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    if kind == "gunicorn":
        return [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
    raise ValueError(f"unknown server {kind!r}; one of {', '.join(SERVERS)}")


@contextlib.contextmanager
def server(
    database_url: str,
    *,
    workers: int = 2,
    settings: str = "config.settings",
    kind: str = "gunicorn",
    **extra: str,
) -> Iterator[Served]:
    port = free_port()
    if kind == "gunicorn":  # one request at a time per process: a persistent connection, no pool
        extra = {"DB_POOL_SIZE": "0", "DB_CONN_MAX_AGE": "600", **extra}
    env = production_env(database_url, DJANGO_SETTINGS_MODULE=settings, **extra)
    subprocess.run(
        [PYTHON, "-m", "tillit.cli", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        command(kind, port, workers),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"server did not start; see {log.name}")
        yield Served(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)


def login(url: str, username: str, password: str) -> str:
    """Log in through the real form; return the Cookie header value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{url}/konto/logga-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - a local http URL we built
        f"{url}/konto/logga-in/",
        data=data,
        headers={"Referer": f"{url}/konto/logga-in/"},
    )
    opener.open(request)
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("login failed")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m|h)$", text)
    if found is None:
        raise ValueError(f"wrk printed a latency this benchmark cannot read: {text!r}")
    number, unit = found.groups()
    return float(number) * _UNITS[unit]


def wrk(
    url: str,
    *,
    seconds: int = 15,
    connections: int = 16,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    script: str | None = None,
) -> dict[str, float]:
    """Run wrk; return requests/s, p50, p99 (ms) and the count of non-2xx/3xx answers."""
    if shutil.which("wrk") is None:  # installed from Debian when we may (scripts/ensure-wrk.sh)
        subprocess.run(["bash", str(ROOT / "scripts" / "ensure-wrk.sh")], check=True)
    command = ["wrk", "--latency", "-d", f"{seconds}s", "-c", str(connections), "-t", str(threads)]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script:
        command += ["-s", script]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        # The distribution's own lines: a thread's "+/- Stdev" column (e.g. "68.50%") also
        # ends in "50%", and was read as the median when it came first.
        "p50_ms": _ms(re.search(r"(?m)^\s*50%\s+(\S+)", output).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"(?m)^\s*99%\s+(\S+)", output).group(1)),  # type: ignore[union-attr]
        "errors": 0.0,
        "requests": float(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
    }
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad:
        result["errors"] = float(bad.group(1))
    return result
