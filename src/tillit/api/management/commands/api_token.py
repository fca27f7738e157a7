"""`tillit api_token create|revoke|list`: tokens for integrations, shown once on creation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.api import actions
from tillit.api.models import ApiToken
from tillit.organisation.models import Person


class Command(BaseCommand):
    help = "Create, revoke or list API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token acting as a person.")
        create.add_argument("--name", required=True, help="What the token is for.")
        create.add_argument("--user", required=True, help="User name of the person it acts as.")
        revoke = sub.add_parser("revoke", help="Revoke a token by id or prefix.")
        revoke.add_argument("token", help="The token's id or its prefix.")
        listing = sub.add_parser("list", help="List tokens.")
        listing.add_argument("--all", action="store_true", help="Include revoked tokens.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            person = Person.objects.filter(username=options["user"], is_active=True).first()
            if person is None:
                raise CommandError(f"No active user named {options['user']!r}.")
            issued = actions.create_api_token(name=options["name"], person=person)
            self.stdout.write(
                f"Token {issued.token.pk} for {person.username} ({issued.token.name})."
            )
            self.stdout.write("Copy it now; it is not stored and cannot be shown again:")
            self.stdout.write(issued.secret)
        elif action == "revoke":
            key = options["token"]
            tokens = (
                ApiToken.objects.filter(pk=int(key))
                if key.isdigit()
                else ApiToken.objects.filter(prefix=key)
            )
            found = list(tokens[:2])
            if len(found) != 1:
                raise CommandError(f"No single token matches {key!r}.")
            token = actions.revoke_api_token(token=found[0])
            self.stdout.write(
                f"Token {token.pk} ({token.name}) revoked at {token.revoked_at:%Y-%m-%d %H:%M}."
            )
        else:
            tokens = ApiToken.objects.select_related("person").order_by("pk")
            if not options["all"]:
                tokens = tokens.filter(revoked_at__isnull=True)
            for token in tokens:
                state = "revoked" if token.revoked_at else "active"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.pk}\t{token.prefix}…\t{token.person.username}\t{state}\t"
                    f"last used {used}\t{token.name}"
                )
