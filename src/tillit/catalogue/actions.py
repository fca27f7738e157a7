"""Every change to the catalogue: versions and their checklists, a case's progress on its
checklist, change notices and questions to a neighbour.

The rules owned here: a published version never changes (editing makes a new draft that copies
the items); only the administration's contact persons and administrators change its case types,
checklists and notices; a checklist mark is made only by someone who works the case, on an item of
the version the case is pinned to, and lands in the case log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.cases.actions import append_event
from tillit.cases.models import Case
from tillit.cases.queries import Access, access_to
from tillit.cases.states import OPEN_STATUSES, EventKind
from tillit.catalogue import io, queries
from tillit.catalogue.models import (
    CaseChecklistMark,
    CaseType,
    CaseTypeVersion,
    ChangeNotice,
    ChecklistItem,
    DocumentationLevel,
    MarkState,
    NoticeReceipt,
    Question,
    VersionStatus,
)
from tillit.organisation.models import Person, Unit


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _text(field: str, value: str, *, limit: int | None = None, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise _refuse(field, _("This must be filled in."), "required")
    if limit is not None and len(value) > limit:
        raise _refuse(field, _("At most %(limit)d characters.") % {"limit": limit}, "too_long")
    return value


def _ensure_editor(person: Person, administration_id: int) -> None:
    if not queries.may_edit(person, administration_id):
        raise _refuse(
            "case_type",
            _("Only the administration's contact persons may change its case types."),
            "not_contact_person",
        )


def _locked_draft(version: CaseTypeVersion) -> CaseTypeVersion:
    locked = CaseTypeVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise _refuse(
            "version",
            _("Version %(number)d is published and can no longer change; edit a new draft.")
            % {"number": locked.number},
            "published",
        )
    return locked


# --- versions and checklists -------------------------------------------------------------------


def _published_service(case_type: CaseType) -> dict[str, str]:
    """The service description as published now (the type holds it), for a new draft to start
    from: publishing the draft writes its description back onto the type (decision 0460)."""
    return {name: getattr(case_type, name) for name in CaseTypeVersion.SERVICE_FIELDS}


@transaction.atomic
def start_draft(*, case_type: CaseType, by: Person) -> CaseTypeVersion:
    """The case type's draft: the open one, or a new one copying the newest version's items."""
    _ensure_editor(by, case_type.administration_id)
    CaseType.objects.select_for_update().filter(pk=case_type.pk).first()
    existing = queries.draft_of(case_type)
    if existing is not None:
        return existing
    latest = queries.current_version(case_type)
    number = (
        CaseTypeVersion.objects.filter(case_type=case_type).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    draft = CaseTypeVersion.objects.create(
        case_type=case_type,
        number=number,
        status=VersionStatus.DRAFT,
        **_published_service(case_type),
    )
    if latest is not None:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                version=draft,
                key=item.key,
                position=item.position,
                text=item.text,
                guidance=item.guidance,
                link=item.link,
                required=item.required,
                required_from=item.required_from,
            )
            for item in latest.items.all()
        )
    return draft


@transaction.atomic
def add_item(
    *,
    version: CaseTypeVersion,
    by: Person,
    text: str,
    guidance: str = "",
    link: str = "",
    required: bool = True,
    required_from: str = DocumentationLevel.LIGHT,
) -> ChecklistItem:
    version = _locked_draft(version)
    _ensure_editor(by, version.case_type.administration_id)
    last = version.items.aggregate(p=Max("position"))["p"] or 0
    return ChecklistItem.objects.create(
        version=version,
        key=uuid.uuid4().hex,
        position=last + 1,
        text=_text("text", text, limit=300),
        guidance=guidance.strip(),
        link=link.strip(),
        required=required,
        required_from=_level(required_from),
    )


def _level(value: str) -> str:
    if value not in DocumentationLevel.values:
        raise _refuse("required_from", _("Choose light, standard or thorough."), "level")
    return value


@transaction.atomic
def change_item(
    *,
    item: ChecklistItem,
    by: Person,
    text: str,
    guidance: str,
    link: str,
    required: bool,
    required_from: str = DocumentationLevel.LIGHT,
) -> ChecklistItem:
    """Change an item of a draft (the whole item: every field is given)."""
    _locked_draft(item.version)
    _ensure_editor(by, item.version.case_type.administration_id)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    item.text = _text("text", text, limit=300)
    item.guidance = guidance.strip()
    item.link = link.strip()
    item.required = required
    item.required_from = _level(required_from)
    item.save(update_fields=["text", "guidance", "link", "required", "required_from"])
    return item


@transaction.atomic
def remove_item(*, item: ChecklistItem, by: Person) -> None:
    _locked_draft(item.version)
    _ensure_editor(by, item.version.case_type.administration_id)
    item.delete()


@transaction.atomic
def move_item(*, item: ChecklistItem, by: Person, up: bool) -> None:
    """Swap the item with its neighbour above (or below)."""
    version = _locked_draft(item.version)
    _ensure_editor(by, version.case_type.administration_id)
    items = list(version.items.order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(items):
        return
    items[index], items[other_index] = items[other_index], items[index]
    for position, each in enumerate(items, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])


@transaction.atomic
def publish_version(*, version: CaseTypeVersion, by: Person, summary: str) -> CaseTypeVersion:
    """Publish the draft: from now on new cases are pinned to it and it never changes. A change
    notice is drafted for the contact person to complete and publish."""
    version = _locked_draft(version)
    _ensure_editor(by, version.case_type.administration_id)
    now = timezone.now()
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.change_summary = _text("summary", summary, limit=2000)
    version.save(update_fields=["status", "published_at", "change_summary"])
    case_type = CaseType.objects.select_for_update().get(pk=version.case_type_id)
    for name in CaseTypeVersion.SERVICE_FIELDS:
        setattr(case_type, name, getattr(version, name))
    case_type.save(update_fields=list(CaseTypeVersion.SERVICE_FIELDS))  # keeps search in step
    notice = ChangeNotice.objects.create(
        administration_id=version.case_type.administration_id,
        title=_("%(type)s: version %(number)d")
        % {"type": version.case_type.name, "number": version.number},
        body=version.change_summary,
        effective_from=timezone.localdate(now),
        version=version,
        author=by,
        created_at=now,
    )
    notice.case_types.add(version.case_type)
    return version


@transaction.atomic
def change_service_description(
    *,
    version: CaseTypeVersion,
    by: Person,
    public_name: str,
    what_you_get: str,
    what_you_provide: str,
    how_long: str,
    cost: str,
) -> CaseTypeVersion:
    """Change the draft's service description; citizens and providers see it once the draft is
    published. A published version never changes: edit the type's draft (`start_draft`)."""
    version = _locked_draft(version)
    _ensure_editor(by, version.case_type.administration_id)
    version.public_name = _text("public_name", public_name, limit=160, required=False)
    version.what_you_get = _text("what_you_get", what_you_get, limit=4000, required=False)
    version.what_you_provide = _text(
        "what_you_provide", what_you_provide, limit=4000, required=False
    )
    version.how_long = _text("how_long", how_long, limit=1000, required=False)
    version.cost = _text("cost", cost, limit=1000, required=False)
    version.save(update_fields=list(CaseTypeVersion.SERVICE_FIELDS))
    return version


# --- a case's checklist ------------------------------------------------------------------------


def _ensure_case_item(case: Case, item: ChecklistItem, by: Person) -> Case:
    if access_to(by, case) != Access.WORK:
        raise _refuse("item", _("Only those who work the case may tick its checklist."), "access")
    if case.status not in OPEN_STATUSES:
        raise _refuse("item", _("The case is closed; reopen it first."), "closed")
    if item.version_id != case.case_type_version_id:
        raise _refuse(
            "item", _("This item is not on the checklist the case is handled under."), "version"
        )
    return case


@transaction.atomic
def mark_item_done(*, case: Case, item: ChecklistItem, by: Person) -> CaseChecklistMark:
    return _mark(case=case, item=item, by=by, state=MarkState.DONE, reason="")


@transaction.atomic
def mark_item_not_applicable(
    *, case: Case, item: ChecklistItem, by: Person, reason: str
) -> CaseChecklistMark:
    return _mark(
        case=case,
        item=item,
        by=by,
        state=MarkState.NOT_APPLICABLE,
        reason=_text("reason", reason, limit=1000),
    )


def _mark(
    *, case: Case, item: ChecklistItem, by: Person, state: MarkState, reason: str
) -> CaseChecklistMark:
    _ensure_case_item(case, item, by)
    now = timezone.now()
    # The case's row lock (taken by append_event) orders two people ticking the same item.
    if state == MarkState.DONE:
        body = _("Done: %(item)s") % {"item": item.text}
    else:
        body = _("Not applicable: %(item)s. Reason: %(reason)s") % {
            "item": item.text,
            "reason": reason,
        }
    append_event(
        case=case,
        kind=EventKind.CHECKLIST,
        by=by,
        body=body,
        data={"item": item.key, "state": str(state), "version": item.version_id},
    )
    try:
        with transaction.atomic():
            return CaseChecklistMark.objects.create(
                case=case, item=item, state=state, reason=reason, by=by, at=now
            )
    except IntegrityError:
        raise _refuse("item", _("This item is already marked."), "marked") from None


@transaction.atomic
def clear_mark(*, case: Case, item: ChecklistItem, by: Person) -> None:
    """Undo a tick: the item is open again, and the log says so."""
    _ensure_case_item(case, item, by)
    deleted, _rows = CaseChecklistMark.objects.filter(case=case, item=item).delete()
    if deleted:
        append_event(
            case=case,
            kind=EventKind.CHECKLIST,
            by=by,
            body=_("Open again: %(item)s") % {"item": item.text},
            data={"item": item.key, "state": "open", "version": item.version_id},
        )


# --- change notices ----------------------------------------------------------------------------


def _notice_case_types(administration_id: int, case_types: list[CaseType]) -> list[CaseType]:
    if any(t.administration_id != administration_id for t in case_types):
        raise _refuse(
            "case_types",
            _("A notice names only case types of its own administration."),
            "other_administration",
        )
    return case_types


@transaction.atomic
def publish_notice(
    *,
    administration: Unit,
    by: Person,
    title: str,
    body: str,
    case_types: list[CaseType],
    effective_from: date,
) -> ChangeNotice:
    """A contact person tells the contact centre what changed, for which types, from when."""
    _ensure_editor(by, administration.pk)
    now = timezone.now()
    notice = ChangeNotice.objects.create(
        administration=administration,
        title=_text("title", title, limit=200),
        body=_text("body", body),
        effective_from=effective_from,
        author=by,
        created_at=now,
        published_at=now,
    )
    notice.case_types.set(_notice_case_types(administration.pk, case_types))
    return notice


@transaction.atomic
def publish_drafted_notice(
    *,
    notice: ChangeNotice,
    by: Person,
    title: str,
    body: str,
    case_types: list[CaseType],
    effective_from: date,
) -> ChangeNotice:
    """Complete and publish a notice drafted when a version was published."""
    notice = ChangeNotice.objects.select_for_update().get(pk=notice.pk)
    _ensure_editor(by, notice.administration_id)
    if notice.published_at is not None:
        raise _refuse("title", _("This notice is already published."), "published")
    notice.title = _text("title", title, limit=200)
    notice.body = _text("body", body)
    notice.effective_from = effective_from
    notice.published_at = timezone.now()
    notice.author = by
    notice.save(update_fields=["title", "body", "effective_from", "published_at", "author"])
    notice.case_types.set(_notice_case_types(notice.administration_id, case_types))
    return notice


@transaction.atomic
def mark_notice_read(*, notice: ChangeNotice, by: Person) -> NoticeReceipt:
    """A read receipt, once per person (reading again keeps the first time)."""
    if notice.published_at is None:
        raise _refuse("notice", _("This notice is not published."), "draft")
    receipt, _created = NoticeReceipt.objects.get_or_create(
        notice=notice, person=by, defaults={"read_at": timezone.now()}
    )
    return receipt


# --- ask the neighbour -------------------------------------------------------------------------


@transaction.atomic
def ask_question(
    *, case: Case, by: Person, text: str, to_unit: Unit, contact_persons_only: bool
) -> Question:
    """Ask colleagues (the case's unit) or a case type's contact persons, without handing over."""
    if access_to(by, case) != Access.WORK:
        raise _refuse("text", _("Only those who work the case may ask about it."), "access")
    text = _text("text", text, limit=2000)
    allowed = (
        {case.owner_unit_id} if not contact_persons_only else {case.case_type.administration_id}
    )
    if to_unit.pk not in allowed:
        raise _refuse("to", _("Ask your own unit or the case type's contact persons."), "to")
    now = timezone.now()
    question = Question.objects.create(
        case=case,
        case_type_id=case.case_type_id,
        to_unit=to_unit,
        contact_persons_only=contact_persons_only,
        text=text,
        asked_by=by,
        asked_at=now,
    )
    if contact_persons_only:
        body = _("To the contact persons of %(unit)s: %(text)s")
    else:
        body = _("To %(unit)s: %(text)s")
    append_event(
        case=case,
        kind=EventKind.QUESTION,
        by=by,
        body=body % {"unit": to_unit.name, "text": text},
        data={"question": question.pk},
    )
    return question


@transaction.atomic
def answer_question(*, question: Question, by: Person, text: str) -> Question:
    """The answer goes into the case log and stays on the case type for the next person."""
    if not queries.may_answer(by, question):
        raise _refuse("text", _("This question was not asked of you."), "not_asked")
    question = Question.objects.select_for_update().select_related("case").get(pk=question.pk)
    if question.answered_at is not None:
        raise _refuse("text", _("This question has already been answered."), "answered")
    if question.asked_by_id == by.pk:
        raise _refuse("text", _("Someone else answers your question."), "own")
    question.answer = _text("text", text, limit=4000)
    question.answered_by = by
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    append_event(
        case=question.case,
        kind=EventKind.ANSWER,
        by=by,
        body=_("Question: %(question)s\nAnswer: %(answer)s")
        % {"question": question.text, "answer": question.answer},
        data={"question": question.pk},
    )
    return question


@transaction.atomic
def promote_answer(*, question: Question, by: Person) -> ChecklistItem:
    """A contact person turns an answer into an advisory item with guidance on the type's draft
    (started if needed): published with the next version, so the next person finds it."""
    if question.answered_at is None:
        raise _refuse("question", _("Only an answered question can become guidance."), "open")
    draft = start_draft(case_type=question.case_type, by=by)
    return add_item(
        version=draft,
        by=by,
        text=question.text[:300],
        guidance=question.answer,
        required=False,
    )


@transaction.atomic
def mark_answer_seen(*, question: Question, by: Person) -> None:
    if question.asked_by_id != by.pk or question.answered_at is None:
        raise _refuse("question", _("Only the asker marks an answer as seen."), "not_asker")
    Question.objects.filter(pk=question.pk, answer_seen_at__isnull=True).update(
        answer_seen_at=timezone.now()
    )


# --- import ------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def _same_checklist(version: CaseTypeVersion | None, items: list[dict[str, object]]) -> bool:
    """Whether the file's items are the version's (a file without the `required_from` column
    does not compare it)."""
    current = list(version.items.all()) if version is not None else []
    return len(current) == len(items) and all(
        all(getattr(old, name) == value for name, value in new.items())
        for old, new in zip(current, items, strict=True)
    )


def _replace_draft_items(
    draft: CaseTypeVersion, items: list[dict[str, object]], *, fresh: bool = False
) -> None:
    # An item whose text is unchanged keeps its key, so the versions compare item by item.
    keys: dict[str, str] = {}
    levels: dict[str, str] = {}
    if not fresh:
        old = list(draft.items.all())
        keys = {i.text: i.key for i in old}
        levels = {i.text: i.required_from for i in old}
        draft.items.all().delete()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=draft,
            key=keys.pop(str(item["text"]), None) or uuid.uuid4().hex,
            position=position,
            text=str(item["text"]),
            guidance=str(item["guidance"]),
            link=str(item["link"]),
            required=bool(item["required"]),
            # A file without the column keeps the level of the item with the same text.
            required_from=str(
                item.get("required_from")
                or levels.get(str(item["text"]))
                or DocumentationLevel.LIGHT
            ),
        )
        for position, item in enumerate(items, start=1)
    )


@transaction.atomic
def import_catalogue(*, data: bytes, filename: str, by: Person) -> ImportSummary:
    """Import a catalogue file, all or nothing: every row is checked first, and one bad row
    refuses the whole file (`catalogue.io.ImportRefused` names them all). New codes become case
    types; an existing type takes the file's fields, and a checklist that differs from its
    published version goes into its draft, never into a published version (decision 0410)."""
    entries = io.check(io.read(data, filename), by=by)
    locked = {
        t.code: t
        for t in CaseType.objects.select_for_update()
        .select_related("administration")
        .filter(code__in=[e.values["code"] for e in entries])
        .order_by("pk")
    }
    current = io.current_versions(list(locked.values()))
    summary = ImportSummary(created=[], updated=[], unchanged=[])
    for entry in entries:
        values = entry.values
        case_type = locked.get(values["code"])
        if case_type is None:
            case_type = CaseType.objects.create(**values)
            summary.created.append(case_type.code)
            if entry.items:
                first = CaseTypeVersion.objects.create(
                    case_type=case_type,
                    number=1,
                    status=VersionStatus.DRAFT,
                    **_published_service(case_type),
                )
                _replace_draft_items(first, entry.items, fresh=True)
            continue
        # A column the file does not have (an added one, decision 0410) leaves the field alone.
        fields = [c for c in io.TYPE_COLUMNS + io.EXTRA_TYPE_COLUMNS if c != "code" and c in values]
        names = [f for f in fields if getattr(case_type, f) != values[f]]
        for name in names:
            setattr(case_type, name, values[name])
        if names:
            case_type.save(update_fields=names)
            # An open draft carries the imported description on, or publishing it would undo it.
            service = {n: values[n] for n in names if n in CaseTypeVersion.SERVICE_FIELDS}
            if service:
                CaseTypeVersion.objects.filter(
                    case_type=case_type, status=VersionStatus.DRAFT
                ).update(**service)
        changed = bool(names)
        if not _same_checklist(current.get(case_type.pk), entry.items):
            _replace_draft_items(start_draft(case_type=case_type, by=by), entry.items)
            changed = True
        (summary.updated if changed else summary.unchanged).append(case_type.code)
    return summary
