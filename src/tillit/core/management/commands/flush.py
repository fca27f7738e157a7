"""Django's flush, allowed to empty the append-only case log (the whole database goes)."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from tillit.core.appendonly import purging_whole_database


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with purging_whole_database():
            super().handle(**options)
