"""Read the configured functional mailboxes (TILLIT_MAILBOX_IMAP) now, once or in a loop.

The task worker does the same on a schedule when TILLIT_MAILBOX_IMAP is set; this command is for
operators (and the reliability test, which kills it at random points).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tillit.mailbox import queries
from tillit.mailbox.poller import poll_mailbox, skip_existing


class Command(BaseCommand):
    help = "Fetch new e-mail from the functional mailboxes over IMAP and make it cases."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Read what is there, then exit")
        parser.add_argument("--address", help="Only this functional mailbox")
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="Start from the next message to arrive (leave the mailbox's old mail alone)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        configured = [
            (mailbox, url)
            for mailbox, url in queries.configured_mailboxes()
            if not options["address"] or mailbox.address == options["address"].lower()
        ]
        if not configured:
            raise CommandError("No mailbox to read: set TILLIT_MAILBOX_IMAP (docs/decisions/0500).")
        if options["skip_existing"]:
            for mailbox, url in configured:
                skipped = skip_existing(mailbox, url)
                self.stdout.write(f"{mailbox.address}: {skipped} existing messages left alone")
            return
        while True:
            for mailbox, url in configured:
                result = poll_mailbox(mailbox, url)
                if result.error:
                    self.stderr.write(f"{mailbox.address}: {result.error}")
                elif result.fetched or options["verbosity"] > 1:
                    self.stdout.write(f"{mailbox.address}: {result.counts}")
            if options["once"]:
                return
            time.sleep(10)
