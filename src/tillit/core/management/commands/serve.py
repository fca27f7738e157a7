"""Run Tillit: the ASGI server and the task worker side by side, stopped together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tillit.core.demo import DEMO_PASSWORD, run_demo


class Command(BaseCommand):
    help = "Start the ASGI server (uvicorn) and the background task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="ASGI server processes")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the task worker and scheduler"
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load the demo municipality first and show its logins",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logins: list[tuple[str, str]] = []
        if options["demo"]:
            logins = run_demo(log=lambda line: self.stdout.write(line)).logins
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        processes: list[subprocess.Popen[bytes]] = []
        if not options["no_worker"]:
            worker = [sys.executable, "-m", "tillit.cli", "db_worker", "--interval", "0.5"]
            if settings.DEBUG:
                worker.append("--no-reload")
            processes.append(subprocess.Popen(worker, env=env))  # noqa: S603
            scheduler = [sys.executable, "-m", "tillit.cli", "run_scheduler"]
            processes.append(subprocess.Popen(scheduler, env=env))  # noqa: S603
        server = [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--no-server-header",
            # Open websockets (a dialog's big screen) would otherwise hold a restart for ever.
            "--timeout-graceful-shutdown",
            "10",
            "--proxy-headers" if os.environ.get("BEHIND_PROXY") else "--no-proxy-headers",
        ]
        processes.append(subprocess.Popen(server, env=env))  # noqa: S603
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nTillit runs at {url}"))
        if logins:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for role, username in logins:
                self.stdout.write(f"  {role:<34} {username}")
        self.stdout.write("Stop with Ctrl+C.\n")
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p.returncode for p in processes if p.returncode not in (0, None, -2, 130)]
        if failed:
            raise SystemExit(failed[0])
