from typing import Any

from django.core.management.base import BaseCommand

from tillit.core.demo import DEMO_PASSWORD, run_demo


class Command(BaseCommand):
    help = "Load (or complete) the demo municipality. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = run_demo(log=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS("Demo municipality ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, username in ctx.logins:
            self.stdout.write(f"  {role:<34} {username}")
