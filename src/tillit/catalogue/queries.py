"""Reads the cases app needs from the catalogue: routing and the version a new case pins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from tillit.cases.queries import scope_of
from tillit.catalogue import search
from tillit.catalogue.models import (
    LEVEL_ORDER,
    CaseType,
    CaseTypeVersion,
    ChangeNotice,
    ChecklistItem,
    NoticeReceipt,
    Question,
    Routing,
    VersionStatus,
    reaches,
)
from tillit.core.prepared import Prepared
from tillit.organisation.models import Person, Role, Unit, UnitKind
from tillit.organisation.queries import memberships_of

if TYPE_CHECKING:
    from tillit.cases.models import Case


def contact_centre(case_type: CaseType) -> Unit:
    """The municipality's contact centre (the first active one, if a municipality has several)."""
    centre = _CENTRE.first(municipality=case_type.administration.municipality_id)
    return centre or case_type.administration


_CENTRE: Prepared[Unit] = Prepared(
    lambda municipality: Unit.objects.filter(
        municipality_id=municipality, kind=UnitKind.CONTACT_CENTRE, is_active=True
    ).order_by("id")[:1],
    municipality=int,
)


def initial_owner(case_type: CaseType) -> Unit:
    """Who owns a new case of this type: the routing decides (DESIGN: exactly one owner)."""
    if case_type.routing == Routing.ADMINISTRATION:
        return case_type.administration
    return contact_centre(case_type)


def proposed_handover_target(case_type: CaseType) -> Unit | None:
    if proposed_handover_target_id(case_type) is None:
        return None
    return case_type.administration


def proposed_handover_target_id(case_type: CaseType) -> int | None:
    """The unit a case of this type is offered to (its administration, when the contact centre
    hands such cases over), without reading the unit."""
    if case_type.routing == Routing.CENTRE_HANDS_OVER:
        return case_type.administration_id
    return None


def current_version(case_type: CaseType) -> CaseTypeVersion | None:
    return _CURRENT_VERSION.first(case_type=case_type.pk)


_CURRENT_VERSION: Prepared[CaseTypeVersion] = Prepared(
    lambda case_type: CaseTypeVersion.objects.filter(
        case_type_id=case_type, status=VersionStatus.PUBLISHED
    ).order_by("-number")[:1],
    case_type=int,
)


def public_case_types() -> list[CaseType]:
    return list(CaseType.objects.filter(is_public=True, is_active=True).order_by("name"))


def required_at_level() -> Q:
    """Checklist items required at their case type's documentation level: `required`, and
    required from a level the type reaches (`models.reaches`)."""
    condition = Q()
    for required_from in LEVEL_ORDER:
        condition |= Q(
            required_from=required_from,
            version__case_type__documentation_level__in=[
                str(level) for level in LEVEL_ORDER if reaches(level, required_from)
            ],
        )
    return Q(required=True) & condition


def open_required_items(case: Case) -> list[str]:
    """Texts of the items of the case's pinned version that are required at the case type's
    documentation level and neither done nor marked not applicable, in checklist order. The
    close rule asks this before a case may close (one query)."""
    if case.case_type_version_id is None:
        return []
    return list(
        ChecklistItem.objects.filter(required_at_level(), version_id=case.case_type_version_id)
        .exclude(marks__case=case)
        .order_by("position", "id")
        .values_list("text", flat=True)
    )


def _where(term: search.Term) -> Q:
    """The types a term matches: it starts a word of the name or keywords, or (a longer term)
    occurs inside one."""
    where = Q()
    for prefix in term.prefixes:
        where |= Q(search_document__contains=prefix if term.infix else f" {prefix}")
    return where


def search_case_types(text: str, *, limit: int = 10, public_only: bool = False) -> list[CaseType]:
    """Type-ahead search, Swedish-aware (catalogue.search, decision 0420): every word of `text`
    must start a word, or for longer words occur in one, of the name or the keywords, after
    stemming and without diacritics. Best first (`search.score`): the name starts with the first
    word, then name matches above keyword matches, then by name. Two queries: the matching
    types' search fields, then the best `limit` types."""
    types = CaseType.objects.filter(is_active=True)
    if public_only:
        types = types.filter(is_public=True)
    terms = search.terms(text)
    if not terms:
        return list(types.select_related("administration").order_by("name")[:limit])
    for term in terms:
        types = types.filter(_where(term))
    ranked = sorted(
        (-search.score(terms, stored), search.fold(name), pk)
        for pk, name, stored in types.values_list("pk", "name", "search_document")
    )
    best = [pk for _score, _name, pk in ranked[:limit]]
    if not best:
        return []
    found = CaseType.objects.select_related("administration").in_bulk(best)
    return [found[pk] for pk in best]


# --- who keeps the catalogue -------------------------------------------------------------------


def _roles(person: Person) -> list[tuple[int, str, bool]]:
    cached: list[tuple[int, str, bool]] | None = getattr(person, "_catalogue_roles", None)
    if cached is None:
        cached = memberships_of(person)
        person._catalogue_roles = cached  # type: ignore[attr-defined]
    return cached


def is_administrator(person: Person) -> bool:
    return person.is_superuser or any(role == Role.ADMINISTRATOR for _u, role, _a in _roles(person))


def contact_person_units(person: Person) -> frozenset[int]:
    """The administrations this person is a contact person of (active units only)."""
    return frozenset(
        unit for unit, role, active in _roles(person) if role == Role.CONTACT_PERSON and active
    )


def may_edit(person: Person, administration_id: int) -> bool:
    """Only the administration's contact persons, and administrators, keep its case types,
    checklists and notices (issue 4)."""
    return is_administrator(person) or administration_id in contact_person_units(person)


def keeps_catalogue(person: Person) -> bool:
    return is_administrator(person) or bool(contact_person_units(person))


def case_types_for(person: Person, text: str = "") -> list[CaseType]:
    """The staff list: every case type of the person's municipality, or those matching `text`."""
    del person  # the catalogue is open to every staff member; editing is what is checked
    if text.strip():
        return search_case_types(text, limit=200)
    return list(CaseType.objects.filter(is_active=True).select_related("administration"))


def get_case_type(case_type_id: int | str) -> CaseType:
    try:
        return CaseType.objects.select_related("administration").get(pk=int(case_type_id))
    except (CaseType.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


class NotFound(Exception):
    """A catalogue object that does not exist, or that this person may not change."""


def versions_of(case_type: CaseType) -> list[CaseTypeVersion]:
    return list(
        CaseTypeVersion.objects.filter(case_type=case_type)
        .prefetch_related("items")
        .order_by("-number")
    )


def draft_of(case_type: CaseType) -> CaseTypeVersion | None:
    return CaseTypeVersion.objects.filter(case_type=case_type, status=VersionStatus.DRAFT).first()


def editable_draft(person: Person, version_id: int | str) -> CaseTypeVersion:
    """A draft version this person may edit, else NotFound (missing and forbidden look alike)."""
    try:
        version = CaseTypeVersion.objects.select_related("case_type__administration").get(
            pk=int(version_id), status=VersionStatus.DRAFT
        )
    except (CaseTypeVersion.DoesNotExist, ValueError, TypeError):
        raise NotFound from None
    if not may_edit(person, version.case_type.administration_id):
        raise NotFound
    return version


def editable_item(person: Person, item_id: int | str) -> ChecklistItem:
    try:
        item = ChecklistItem.objects.select_related("version__case_type").get(
            pk=int(item_id), version__status=VersionStatus.DRAFT
        )
    except (ChecklistItem.DoesNotExist, ValueError, TypeError):
        raise NotFound from None
    if not may_edit(person, item.version.case_type.administration_id):
        raise NotFound
    return item


# --- change notices ----------------------------------------------------------------------------


def _municipality_notices(person: Person) -> QuerySet[ChangeNotice]:
    del person  # one municipality per installation today; the filter goes here when that changes
    return ChangeNotice.objects.filter(published_at__isnull=False)


def notices_for(person: Person) -> list[ChangeNotice]:
    """Published notices, newest first, each with `is_read` for this person and `read_count`."""
    return list(
        _municipality_notices(person)
        .select_related("administration", "author")
        .prefetch_related("case_types")
        .annotate(
            is_read=Exists(NoticeReceipt.objects.filter(notice=OuterRef("pk"), person=person)),
            read_count=Count("receipts", distinct=True),
        )
        .order_by("-published_at", "-id")
    )


def unread_notices(person: Person, *, limit: int = 5) -> list[ChangeNotice]:
    return list(
        _municipality_notices(person)
        .exclude(receipts__person=person)
        .select_related("administration")
        .order_by("-published_at", "-id")[:limit]
    )


def draft_notices_for(person: Person) -> list[ChangeNotice]:
    units = contact_person_units(person)
    drafts = ChangeNotice.objects.filter(published_at__isnull=True)
    if not is_administrator(person):
        drafts = drafts.filter(administration_id__in=units)
    return list(drafts.select_related("administration").prefetch_related("case_types"))


def published_notice(notice_id: int | str) -> ChangeNotice:
    try:
        return ChangeNotice.objects.get(pk=int(notice_id), published_at__isnull=False)
    except (ChangeNotice.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def editable_notice(person: Person, notice_id: int | str) -> ChangeNotice:
    try:
        notice = ChangeNotice.objects.get(pk=int(notice_id), published_at__isnull=True)
    except (ChangeNotice.DoesNotExist, ValueError, TypeError):
        raise NotFound from None
    if not may_edit(person, notice.administration_id):
        raise NotFound
    return notice


def is_centre_staff(person: Person) -> bool:
    """Members of a contact-centre unit (they are the readers of change notices)."""
    units = scope_of(person).units
    return bool(units) and Unit.objects.filter(pk__in=units, kind=UnitKind.CONTACT_CENTRE).exists()


# --- ask the neighbour -------------------------------------------------------------------------


def _answerable_by(person: Person) -> Q:
    units = scope_of(person).units
    contacts = contact_person_units(person)
    return Q(to_unit_id__in=units, contact_persons_only=False) | Q(
        to_unit_id__in=contacts, contact_persons_only=True
    )


def may_answer(person: Person, question: Question) -> bool:
    return (
        question.asked_by_id != person.pk
        and Question.objects.filter(_answerable_by(person), pk=question.pk).exists()
    )


def open_questions_for(person: Person) -> list[Question]:
    """Questions not answered yet that this person may answer (their unit, or as contact
    person), except their own."""
    return list(
        Question.objects.filter(_answerable_by(person), answered_at__isnull=True)
        .exclude(asked_by=person)
        .select_related("case_type", "asked_by", "to_unit", "case")
        .order_by("asked_at", "id")
    )


def answerable_question(person: Person, question_id: int | str) -> Question:
    try:
        return (
            Question.objects.filter(_answerable_by(person))
            .exclude(asked_by=person)
            .select_related("case")
            .get(pk=int(question_id))
        )
    except (Question.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def unseen_answers(person: Person) -> list[Question]:
    return list(
        Question.objects.filter(
            asked_by=person, answered_at__isnull=False, answer_seen_at__isnull=True
        )
        .select_related("case", "answered_by")
        .order_by("answered_at", "id")
    )


def own_question(person: Person, question_id: int | str) -> Question:
    try:
        return Question.objects.get(pk=int(question_id), asked_by=person)
    except (Question.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def answered_questions_of(case_type: CaseType, *, limit: int = 20) -> list[Question]:
    """Questions and answers kept on the case type, so the next person finds them."""
    return list(
        Question.objects.filter(case_type=case_type, answered_at__isnull=False)
        .select_related("answered_by")
        .order_by("-answered_at", "-id")[:limit]
    )
