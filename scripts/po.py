#!/usr/bin/env python3
"""Swedish translations without GNU gettext at run time.

  python scripts/po.py missing            untranslated or fuzzy entries in every sv catalog
  python scripts/po.py apply FILE.json    set msgstr from {"msgid": "översättning", ...}
  python scripts/po.py compile            write every .mo from its .po (Babel, pure Python)
  python scripts/po.py conflicts          one English text translated differently by two apps
                                          (Django merges the catalogs: only one of them wins;
                                          give the texts a context with pgettext instead)

Extract new strings with `make messages` (needs gettext's xgettext), translate, then compile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def catalogs(language: str = "sv") -> list[Path]:
    return sorted(ROOT.glob(f"src/tillit/*/locale/{language}/LC_MESSAGES/django.po"))


def load(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parts[-3])


def missing() -> list[tuple[Path, str]]:
    found = []
    for path in catalogs():
        for message in load(path):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                found.append((path, message.id if isinstance(message.id, str) else message.id[0]))
    return found


def conflicts() -> list[str]:
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in catalogs():
        for message in load(path):
            if not message.id or not isinstance(message.id, str) or not message.string:
                continue
            seen.setdefault((message.context, message.id), {})[path.parts[-5]] = message.string
    return [
        f"{msgid!r} ({context or 'no context'}): {translations}"
        for (context, msgid), translations in sorted(seen.items(), key=lambda i: i[0][1])
        if len(set(translations.values())) > 1
    ]


def apply(mapping: dict[str, str | list[str]]) -> int:
    changed = 0
    for path in catalogs():
        catalog = load(path)
        touched = False
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key and key in mapping:
                value = mapping[key]
                message.string = tuple(value) if isinstance(value, list) else value
                message.flags.discard("fuzzy")
                touched = True
                changed += 1
        if touched:
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, omit_header=False)
    return changed


def compile_all() -> None:
    for language in ("sv", "en"):
        for path in catalogs(language):
            with path.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, load(path))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "missing":
        for path, msgid in missing():
            print(f"{path.relative_to(ROOT)}: {msgid!r}")
    elif command == "conflicts":
        for line in conflicts():
            print(line)
    elif command == "apply":
        print(f"{apply(json.loads(Path(sys.argv[2]).read_text()))} entries translated")
    elif command == "compile":
        compile_all()
    else:
        sys.exit(__doc__)
