"""Throw-away servers for the fault tests: each test starts its own PostgreSQL cluster, Redis
and Tillit processes on free ports in a temporary folder, so it may stop and kill them at will
without touching the machine's shared services. A missing binary skips the test with a reason.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Any, timeout: float, what: str, step: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _postgres_bin() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


class Postgres:
    """A PostgreSQL cluster of its own, in a temp folder, on a free port (trust auth).

    Run as the `postgres` user when the tests run as root (initdb refuses root)."""

    def __init__(self) -> None:
        bindir = _postgres_bin()
        if bindir is None:
            pytest.skip("PostgreSQL's initdb is not installed (apt-get install postgresql)")
        self.bindir = bindir
        self.as_user: list[str] = []
        self.folder = Path(tempfile.mkdtemp(prefix="tillit-fault-pg-"))
        if os.getuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no postgres user for initdb")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.port = free_port()

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, *command], check=check, capture_output=True, text=True, timeout=60
        )

    def url(self, database: str) -> str:
        return f"postgres://tillit@127.0.0.1:{self.port}/{database}"

    def create(self) -> Postgres:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "tillit", "-A", "trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        self.start()
        return self

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of `template` if given); its URL."""
        copy = ["-T", template] if template else []
        self._run(
            str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "tillit", *copy, name,
        )  # fmt: skip
        return self.url(name)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip

    def running(self) -> bool:
        done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "status", check=False)
        return done.returncode == 0

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop",
                check=False,
            )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Redis:
        self.process = subprocess.Popen(
            [self.binary or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._answers, 10, "redis to start")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def tillit_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a Tillit process: production settings (DEBUG off) on plain HTTP."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TILLIT_DATA_DIR": tempfile.mkdtemp(prefix="tillit-fault-data-"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def tillit(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run one `tillit` management command to its end; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "tillit.cli", *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise AssertionError(f"tillit {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def tillit_python(env: dict[str, str], code: str) -> Any:
    """Run Python code inside Tillit (`tillit shell -c`); it prints one JSON line, returned."""
    out = tillit(env, "shell", "-c", code)
    return json.loads(out.strip().splitlines()[-1])


class Process:
    """A long-running Tillit process with its output kept in a file."""

    def __init__(self, env: dict[str, str], args: list[str], log: Path) -> None:
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", *args], env=env, stdout=self._out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def output(self) -> str:
        if not self._out.closed:
            self._out.flush()
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean-up code of Tillit's runs."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()


def serve(env: dict[str, str], port: int, log: Path) -> Process:
    """`tillit serve --no-worker`: the real ASGI server (uvicorn) as in production."""
    server = Process(
        env,
        ["tillit.cli", "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)],
        log,
    )

    def healthy() -> bool:
        if server.process.poll() is not None:
            raise AssertionError(f"tillit serve exited:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                return bool(answer.status == 200)
        except (OSError, urllib.error.HTTPError):
            return False

    wait_for(healthy, 60, "tillit serve to answer /healthz", step=0.2)
    return server
