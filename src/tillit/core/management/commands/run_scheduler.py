import time
from typing import Any

from django.core.management.base import BaseCommand

from tillit.core.scheduler import enqueue_due, registered


class Command(BaseCommand):
    help = "Enqueue periodic tasks (escalations, roll-ups) on their schedule. Runs until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue what is due and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        names = ", ".join(f"{p.name} every {p.seconds}s" for p in registered())
        self.stdout.write(f"Scheduler: {names or 'nothing registered'}")
        while True:
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            try:
                time.sleep(5)
            except KeyboardInterrupt:
                return
