"""Reads the API needs that the owning apps do not offer yet, built on their gateways' rules.

`handovers_of` lists the offers a person's units sent or received: the same rule as
`tillit.cases.queries.handover_for`, for a page instead of one row. It belongs in
`tillit.cases.queries` and should move there (see the api decision records), as should
`submission_exists`, which tells a retried registration from a first one.
"""

from __future__ import annotations

from typing import Literal

from django.db.models import Q, QuerySet

from tillit.cases.models import Case, Handover
from tillit.cases.queries import scope_of
from tillit.cases.states import HandoverStatus
from tillit.catalogue.models import CaseType
from tillit.catalogue.queries import search_case_types
from tillit.core.prepared import Prepared
from tillit.organisation.models import Person, Unit

Direction = Literal["incoming", "outgoing"]


def handovers_of(
    person: Person,
    direction: Direction,
    *,
    status: str | None = HandoverStatus.OPEN,
    before: int | None = None,
    size: int = 50,
) -> tuple[list[Handover], int | None]:
    """One page of offers to (incoming) or from (outgoing) the person's units, newest first."""
    units = scope_of(person).all_units
    if not person.is_active or not units:
        return [], None
    rows: QuerySet[Handover] = Handover.objects.filter(
        Q(to_unit_id__in=units) if direction == "incoming" else Q(from_unit_id__in=units)
    )
    if status:
        rows = rows.filter(status=status)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    page = list(
        rows.select_related(
            "case", "from_unit", "to_unit", "to_person", "offered_by", "answered_by"
        ).order_by("-pk")[: size + 1]
    )
    return page[:size], page[size - 1].pk if len(page) > size else None


def submission_exists(submission_key: str) -> bool:
    """Whether a case was already registered under this (caller-specific) idempotency key."""
    return Case.objects.filter(submission_key=submission_key).exists()


def handover_detail(handover_id: int) -> Handover:
    """Re-read an offer the caller has just been allowed to act on, with everything it shows."""
    return Handover.objects.select_related(
        "case", "from_unit", "to_unit", "to_person", "offered_by", "answered_by"
    ).get(pk=handover_id)


def case_types(text: str = "") -> list[CaseType]:
    if text.strip():
        return search_case_types(text, limit=100)
    return list(CaseType.objects.filter(is_active=True).select_related("administration"))


def case_type_by_id_or_code(value: int | str) -> CaseType | None:
    """The case type a client names by id (a number) or by code."""
    text = str(value).strip()
    try:
        return _TYPE_BY_ID.first(pk=int(text)) if text.isdigit() else _TYPE_BY_CODE.first(code=text)
    except ValueError:  # a number beyond any id
        return None


# Unique, so no ORDER BY as `.first()` would add; compiled once per process (decision 0007).
_TYPE_BY_ID: Prepared[CaseType] = Prepared(
    lambda pk: CaseType.objects.select_related("administration").filter(pk=pk)[:1], pk=int
)
_TYPE_BY_CODE: Prepared[CaseType] = Prepared(
    lambda code: CaseType.objects.select_related("administration").filter(code=code)[:1],
    code=str,
)


def unit_by_id(unit_id: int) -> Unit | None:
    return Unit.objects.filter(pk=unit_id).first()


def person_by_id(person_id: int) -> Person | None:
    return Person.objects.filter(pk=person_id, is_active=True).first()
