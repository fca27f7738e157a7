"""The `tillit` command: Django's manage.py with Tillit's settings preselected."""

from __future__ import annotations

import os
import secrets
import sys

# Commands that read the models and the migration files, sign nothing and serve nothing: they run
# without a deployment's SECRET_KEY and ALLOWED_HOSTS (a fresh clone, a CI job checking
# migrations). Everything else, servers and `check` included, still refuses to start without
# them (config.settings).
SCHEMA_COMMANDS = frozenset({"makemigrations", "showmigrations", "sqlmigrate"})


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in SCHEMA_COMMANDS:
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
