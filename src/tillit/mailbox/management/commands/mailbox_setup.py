"""Give a unit its functional mailbox: `tillit mailbox_setup KC kundcenter@kommun.se`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tillit.mailbox.actions import set_up_mailbox
from tillit.organisation.models import Unit


class Command(BaseCommand):
    help = "Create a unit's functional mailbox and its untriaged e-mail case type."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("unit", help="The unit's short code, e.g. KC")
        parser.add_argument("address", help="The functional address, e.g. kundcenter@kommun.se")
        parser.add_argument("--answer-days", type=int, default=3)
        parser.add_argument("--secret", action="store_true", help="Mail is secret by default")

    def handle(self, *args: Any, **options: Any) -> None:
        units = list(Unit.objects.filter(code=options["unit"]))
        if len(units) != 1:
            raise CommandError(f"Found {len(units)} units with the code {options['unit']}.")
        mailbox = set_up_mailbox(
            unit=units[0],
            address=options["address"],
            answer_days=options["answer_days"],
            secret=options["secret"],
        )
        self.stdout.write(f"{mailbox.address} → {mailbox.unit} ({mailbox.intake_type})")
