"""The catalogue to and from CSV and JSON: case types with their current published checklist.

CSV has one row per checklist item (the case-type columns repeated on each of its rows; a type
without items has one row with empty item columns), `;`-separated and UTF-8 with a BOM, as Swedish
Excel expects. A cell that Excel would run as a formula (= + - @) is written with a leading `'`,
which reading strips again, so a round trip changes nothing. JSON has one object per case type
with a `checklist` list. Reading checks every row and reports every bad one;
`actions.import_catalogue` writes only when there is none (decision 0410).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tillit.catalogue import queries
from tillit.catalogue.models import (
    CaseType,
    CaseTypeVersion,
    ChecklistItem,
    DocumentationLevel,
    Routing,
    VersionStatus,
)
from tillit.organisation.models import Person, Unit

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_TYPES = 5000

TYPE_COLUMNS = [
    "code",
    "name",
    "public_name",
    "administration",
    "routing",
    "service_days_centre",
    "service_days_administration",
    "documentation_level",
    "is_public",
    "default_secret",
    "retention_years",
    "keywords",
    "service_description",
]
ITEM_COLUMNS = ["item_text", "item_required", "item_guidance", "item_link"]
# Every file must have these (the shape of decision 0410).
COLUMNS = TYPE_COLUMNS + ITEM_COLUMNS
ITEM_FIELDS = ["text", "required", "guidance", "link"]
# Columns added later (the service description): exported, and read when a file has them; a file
# without them leaves those fields as they are.
EXTRA_TYPE_COLUMNS = ["what_you_get", "what_you_provide", "cost"]
EXTRA_ITEM_COLUMNS = ["item_required_from"]
ALL_COLUMNS = COLUMNS + EXTRA_TYPE_COLUMNS + EXTRA_ITEM_COLUMNS
# OWASP's list: what Excel and LibreOffice read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIMITS = {
    "code": 60,
    "name": 160,
    "public_name": 160,
    "keywords": 2000,
    "service_description": 10000,
    "what_you_get": 4000,
    "what_you_provide": 4000,
    "cost": 2000,
}


class ImportRefused(Exception):
    """The file cannot be imported; `errors` lists every problem, each with its row number
    (0: the file as a whole)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class Entry:
    """One case type of the file, checked: the values are ready for the model."""

    row: int
    values: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)


# --- export ------------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "ja" if value else "nej"


def current_versions(types: list[CaseType]) -> dict[int, CaseTypeVersion]:
    """Each type's newest published version, its items prefetched in order (two queries)."""
    current: dict[int, CaseTypeVersion] = {}
    published = CaseTypeVersion.objects.filter(
        case_type__in=types, status=VersionStatus.PUBLISHED
    ).prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.order_by("position", "id")))
    for version in published:
        best = current.get(version.case_type_id)
        if best is None or version.number > best.number:
            current[version.case_type_id] = version
    return current


def export_records() -> list[dict[str, Any]]:
    """Every active case type with its current published version's items, by code (three
    queries, however long the catalogue)."""
    types = list(
        CaseType.objects.filter(is_active=True).select_related("administration").order_by("code")
    )
    current = current_versions(types)
    records = []
    for case_type in types:
        pinned = current.get(case_type.pk)
        items = list(pinned.items.all()) if pinned is not None else []
        records.append(
            {
                "code": case_type.code,
                "name": case_type.name,
                "public_name": case_type.public_name,
                "administration": case_type.administration.code,
                "routing": case_type.routing,
                "service_days_centre": case_type.service_days_centre,
                "service_days_administration": case_type.service_days_administration,
                "documentation_level": case_type.documentation_level,
                "is_public": case_type.is_public,
                "default_secret": case_type.default_secret,
                "retention_years": case_type.retention_years,
                "keywords": case_type.keywords,
                "service_description": case_type.service_description,
                "what_you_get": case_type.what_you_get,
                "what_you_provide": case_type.what_you_provide,
                "cost": case_type.cost,
                "checklist": [
                    {
                        "text": item.text,
                        "required": item.required,
                        "guidance": item.guidance,
                        "link": item.link,
                        "required_from": item.required_from,
                    }
                    for item in items
                ],
            }
        )
    return records


def export_json() -> bytes:
    return json.dumps(export_records(), ensure_ascii=False, indent=2).encode()


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        text = _yes_no(value)
    elif value is None:
        text = ""
    else:
        text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def export_csv() -> bytes:
    out = StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(ALL_COLUMNS)
    for record in export_records():
        type_cells = [_cell(record[column]) for column in TYPE_COLUMNS]
        extra_cells = [_cell(record[column]) for column in EXTRA_TYPE_COLUMNS]
        for item in record["checklist"] or [None]:
            item_cells = [_cell(item[f]) if item else "" for f in ITEM_FIELDS]
            level = [item["required_from"] if item else ""]
            writer.writerow(type_cells + item_cells + extra_cells + level)
    return ("\ufeff" + out.getvalue()).encode()


# --- reading -----------------------------------------------------------------------------------


def _uncell(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([(0, _("The file is not UTF-8 text."))]) from None


def read_csv(data: bytes) -> list[tuple[int, dict[str, Any], list[dict[str, Any]]]]:
    """(row number, case-type columns, items) per case type; row 1 is the header. Rows of one
    type follow each other; a code seen again later is a duplicate."""
    text = _decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    reader = csv.reader(StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise ImportRefused([(0, _("The file is not valid CSV: %(e)s") % {"e": error})]) from None
    if not rows:
        raise ImportRefused([(0, _("The file is empty."))])
    header = [column.strip() for column in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportRefused(
            [(1, _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})]
        )
    index = {column: header.index(column) for column in ALL_COLUMNS if column in header}
    type_columns = [c for c in TYPE_COLUMNS + EXTRA_TYPE_COLUMNS if c in index]
    records: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {column: _uncell(row[i]) if i < len(row) else "" for column, i in index.items()}
        values = {column: cells[column] for column in type_columns}
        item = {f: cells[f"item_{f}"] for f in ITEM_FIELDS}
        if "item_required_from" in cells:
            item["required_from"] = cells["item_required_from"]
        has_item = any(str(v).strip() for v in item.values())
        previous = records[-1] if records else None
        if previous is not None and previous[1]["code"] == values["code"] and values["code"]:
            if previous[1] != values:
                records.append((number, values, [item] if has_item else []))
                records[-1][1]["_differs_from"] = previous[0]
            elif has_item:
                previous[2].append(item)
            continue
        records.append((number, values, [item] if has_item else []))
    return records


def read_json(data: bytes) -> list[tuple[int, dict[str, Any], list[dict[str, Any]]]]:
    """(entry number, case-type fields, items) per object of the top-level list (from 1)."""
    try:
        loaded = json.loads(_decode(data))
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [(0, _("The file is not valid JSON: %(e)s") % {"e": error.msg})]
        ) from None
    except RecursionError:  # "[[[[…" nested deeper than the parser goes: not a catalogue
        raise ImportRefused([(0, _("The JSON file is nested too deeply."))]) from None
    if not isinstance(loaded, list):
        raise ImportRefused([(0, _("The JSON file must hold a list of case types."))])
    records: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []
    for number, record in enumerate(loaded, start=1):
        if not isinstance(record, dict):
            records.append((number, {"_not_object": True}, []))
            continue
        values = {column: record.get(column, "") for column in TYPE_COLUMNS}
        values |= {column: record[column] for column in EXTRA_TYPE_COLUMNS if column in record}
        checklist = record.get("checklist", [])
        if not isinstance(checklist, list) or not all(isinstance(i, dict) for i in checklist):
            values["_bad_checklist"] = True
            checklist = []
        items = [
            {f: i.get(f, "") for f in ITEM_FIELDS}
            | ({"required_from": i["required_from"]} if "required_from" in i else {})
            for i in checklist
        ]
        records.append((number, values, items))
    return records


# --- checking ----------------------------------------------------------------------------------


def _str(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any, *, optional: bool = False) -> int | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    else:
        text = _str(value)
        if not text and optional:
            return None
        if not text.isdigit():
            raise ValueError
        number = int(text)
    if not 0 <= number <= 32767:
        raise ValueError
    return number


TRUE = {"ja", "j", "yes", "y", "true", "1", "sant"}
FALSE = {"nej", "n", "no", "false", "0", "falskt", ""}


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _str(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError


def _check_type(
    values: dict[str, Any], units: dict[str, Unit], problems: list[str]
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    texts = ["code", "name", "public_name", "keywords", "service_description"]
    for column in texts + [c for c in EXTRA_TYPE_COLUMNS if c in values]:
        clean[column] = _str(values.get(column))
        limit = LIMITS[column]
        if len(clean[column]) > limit:
            problems.append(
                _("%(column)s is longer than %(limit)d characters.")
                % {"column": column, "limit": limit}
            )
    if not clean["code"]:
        problems.append(_("The code is missing."))
    else:
        try:
            validate_slug(clean["code"])
        except ValidationError:
            problems.append(
                _("The code “%(code)s” may hold only letters, digits, - and _.")
                % {"code": clean["code"]}
            )
    if not clean["name"]:
        problems.append(_("The name is missing."))
    unit_code = _str(values.get("administration"))
    unit = units.get(unit_code.upper())
    if unit is None:
        problems.append(_("Unknown administration code “%(code)s”.") % {"code": unit_code})
    clean["administration"] = unit
    routing = _str(values.get("routing"))
    if routing not in Routing.values:
        problems.append(_("Unknown routing “%(routing)s”.") % {"routing": routing})
    clean["routing"] = routing
    level = _str(values.get("documentation_level")) or DocumentationLevel.STANDARD
    if level not in DocumentationLevel.values:
        problems.append(_("Unknown documentation level “%(level)s”.") % {"level": level})
    clean["documentation_level"] = level
    for column in ("service_days_centre", "service_days_administration", "retention_years"):
        try:
            clean[column] = _number(values.get(column), optional=column == "retention_years")
        except ValueError:
            problems.append(
                _("%(column)s must be a whole number from 0 to 32767, not “%(value)s”.")
                % {"column": column, "value": _str(values.get(column))}
            )
    for column in ("is_public", "default_secret"):
        try:
            clean[column] = _flag(values.get(column))
        except ValueError:
            problems.append(
                _("%(column)s must be “ja” or “nej”, not “%(value)s”.")
                % {"column": column, "value": _str(values.get(column))}
            )
    return clean


def _check_items(items: list[dict[str, Any]], problems: list[str]) -> list[dict[str, Any]]:
    clean = []
    link_ok = URLValidator(schemes=["http", "https"])
    for position, item in enumerate(items, start=1):
        text = _str(item.get("text"))
        if not text:
            problems.append(_("Checklist item %(n)d has no text.") % {"n": position})
        elif len(text) > 300:
            problems.append(
                _("Checklist item %(n)d is longer than 300 characters.") % {"n": position}
            )
        link = _str(item.get("link"))
        if link:
            try:
                link_ok(link)
            except ValidationError:
                problems.append(_("Checklist item %(n)d has an invalid link.") % {"n": position})
        try:
            required = _flag(item.get("required", True))
        except ValueError:
            problems.append(
                _("Checklist item %(n)d: required must be “ja” or “nej”.") % {"n": position}
            )
            required = True
        entry = {
            "text": text,
            "required": required,
            "guidance": _str(item.get("guidance")),
            "link": link,
        }
        if "required_from" in item:
            level = _str(item["required_from"]) or DocumentationLevel.LIGHT.value
            if level not in DocumentationLevel.values:
                problems.append(
                    _("Checklist item %(n)d: unknown documentation level “%(level)s”.")
                    % {"n": position, "level": level}
                )
            entry["required_from"] = level
        clean.append(entry)
    return clean


def check(
    records: list[tuple[int, dict[str, Any], list[dict[str, Any]]]], *, by: Person
) -> list[Entry]:
    """Every record checked; raises ImportRefused naming every bad row and why."""
    if len(records) > MAX_TYPES:
        raise ImportRefused(
            [(0, _("At most %(limit)d case types per file.") % {"limit": MAX_TYPES})]
        )
    units = {unit.code.upper(): unit for unit in Unit.objects.filter(is_active=True)}
    existing = {t.code: t for t in CaseType.objects.all()}
    seen: dict[str, int] = {}
    entries: list[Entry] = []
    errors: list[tuple[int, str]] = []
    for number, values, items in records:
        problems: list[str] = []
        if values.get("_not_object"):
            errors.append((number, _("This entry is not an object.")))
            continue
        if values.get("_bad_checklist"):
            problems.append(_("checklist must be a list of objects."))
        if "_differs_from" in values:
            problems.append(
                _("The case-type columns differ from row %(row)d of the same code.")
                % {"row": values["_differs_from"]}
            )
        clean = _check_type(values, units, problems)
        clean_items = _check_items(items, problems)
        code = clean["code"]
        if code and code in seen and "_differs_from" not in values:
            problems.append(
                _("The code “%(code)s” is already used on row %(row)d.")
                % {"code": code, "row": seen[code]}
            )
        elif code:
            seen.setdefault(code, number)
        unit = clean["administration"]
        current = existing.get(code)
        if unit is not None and not queries.may_edit(by, unit.pk):
            problems.append(_("You may not import case types of %(unit)s.") % {"unit": unit.name})
        elif current is not None and not queries.may_edit(by, current.administration_id):
            problems.append(
                _("The case type “%(code)s” belongs to another administration.") % {"code": code}
            )
        if problems:
            errors.extend((number, problem) for problem in problems)
        else:
            entries.append(Entry(row=number, values=clean, items=clean_items))
    if errors:
        raise ImportRefused(errors)
    return entries


def read(data: bytes, filename: str) -> list[tuple[int, dict[str, Any], list[dict[str, Any]]]]:
    """The file's records by its kind: `.json` (or content that starts like JSON), else CSV."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused([(0, too_large_message())])
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if filename.lower().endswith(".json") or head in (b"[", b"{"):
        return read_json(data)
    return read_csv(data)


def too_large_message() -> str:
    return _("The file is larger than %(mb)d MB; split it into smaller files.") % {
        "mb": MAX_UPLOAD_BYTES // (1024 * 1024)
    }
