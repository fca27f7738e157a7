"""A case's checklist as its page shows it: the items of the version the case is pinned to, the
case's marks on them, and what newer published versions changed since ("handled under version N;
since then: ..."). Two queries, whatever the number of items or versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Subquery, Value
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from tillit.catalogue.models import (
    CaseChecklistMark,
    CaseTypeVersion,
    ChangeNotice,
    MarkState,
    VersionStatus,
    reaches,
)
from tillit.core.markup import esc
from tillit.core.prepared import Prepared

if TYPE_CHECKING:
    from tillit.cases.models import Case
    from tillit.organisation.models import Person


@dataclass(frozen=True)
class ItemText:
    key: str
    text: str
    guidance: str
    link: str
    required: bool


@dataclass
class Row:
    item_id: int
    item: ItemText
    position: int
    mark: CaseChecklistMark | None = None

    @property
    def is_open(self) -> bool:
        return self.mark is None


@dataclass
class Difference:
    added: list[ItemText] = field(default_factory=list)
    removed: list[ItemText] = field(default_factory=list)
    changed: list[tuple[ItemText, ItemText]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class CaseChecklist:
    version_number: int
    rows: list[Row]
    newest_number: int
    since: Difference
    summaries: list[tuple[int, str]]
    unread_notices: int = 0

    @property
    def open_required(self) -> list[Row]:
        return [row for row in self.rows if row.is_open and row.item.required]


def compare(old: dict[str, ItemText], new: dict[str, ItemText]) -> Difference:
    """Items are the same item across versions when they share a key (a draft copies keys)."""
    return Difference(
        added=[item for key, item in new.items() if key not in old],
        removed=[item for key, item in old.items() if key not in new],
        changed=[(old[key], item) for key, item in new.items() if key in old and old[key] != item],
    )


def _unread_notices(case_type_id: int, reader: Person | int | None) -> Subquery | Value:
    if reader is None:
        return Value(0)
    return Subquery(
        ChangeNotice.objects.filter(case_types=case_type_id, published_at__isnull=False)
        .exclude(receipts__person=reader)
        .order_by()
        .values("administration")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )


def checklist_of(case: Case, reader: Person | None = None) -> CaseChecklist | None:
    """None when the case is pinned to no version or its version has no items and no newer one.
    With a reader, also how many published notices for the case type they have not read (in the
    same query)."""
    pinned: CaseTypeVersion | None = case.case_type_version
    if pinned is None:
        return None
    if reader is None:
        rows = _VERSIONS(case_type=pinned.case_type_id, number=pinned.number)
    else:
        rows = _VERSIONS_FOR(case_type=pinned.case_type_id, number=pinned.number, reader=reader.pk)
    by_version: dict[int, dict[str, tuple[int, int, ItemText]]] = {pinned.number: {}}
    summaries: dict[int, str] = {}
    unread = 0
    for row in rows:
        count, level, number, summary, item_id, key, position, text, guidance, link = row[:10]
        required, required_from = row[10:]
        unread = count or 0
        items = by_version.setdefault(number, {})
        summaries[number] = summary
        if item_id is not None:
            # Required at the type's documentation level, not just marked required.
            required = required and reaches(level, required_from)
            items[key] = (item_id, position, ItemText(key, text, guidance, link, required))
    marks = {mark.item_id: mark for mark in _MARKS(case=case.pk)}
    own = by_version[pinned.number]
    newest = max(by_version)
    if not own and newest == pinned.number and not unread:
        return None
    since = compare(
        {key: text for key, (_i, _p, text) in own.items()},
        {key: text for key, (_i, _p, text) in by_version[newest].items()},
    )
    return CaseChecklist(
        version_number=pinned.number,
        rows=[
            Row(item_id=item_id, item=text, position=position, mark=marks.get(item_id))
            for item_id, position, text in own.values()
        ],
        newest_number=newest,
        since=since,
        summaries=[(n, s) for n, s in sorted(summaries.items()) if n > pinned.number and s],
        unread_notices=unread,
    )


def _versions(
    case_type: int, number: int, reader: int | None
) -> QuerySet[CaseTypeVersion, tuple[Any, ...]]:
    """The pinned version and every newer published one, each row an item (or a lone row of
    NULLs for a version without items, so an emptied checklist still shows as a change)."""
    return (
        CaseTypeVersion.objects.filter(case_type_id=case_type, number__gte=number)
        .filter(status=VersionStatus.PUBLISHED)
        .annotate(unread=_unread_notices(case_type, reader))
        .values_list(
            "unread",
            "case_type__documentation_level",
            "number",
            "change_summary",
            "items__id",
            "items__key",
            "items__position",
            "items__text",
            "items__guidance",
            "items__link",
            "items__required",
            "items__required_from",
        )
        .order_by("number", "items__position", "items__id")
    )


# One query each, compiled once per process (decision 0007).
_VERSIONS: Prepared[tuple[Any, ...]] = Prepared(
    lambda case_type, number: _versions(case_type, number, None), case_type=int, number=int
)
_VERSIONS_FOR: Prepared[tuple[Any, ...]] = Prepared(
    _versions, case_type=int, number=int, reader=int
)
_MARKS: Prepared[CaseChecklistMark] = Prepared(
    lambda case: CaseChecklistMark.objects.filter(case_id=case).select_related("by"), case=int
)


# A checklist row's markup, white space included, exactly as panel_checklist.html's loop wrote it
# (decision 0470; tests/test_checklist_html.py renders the old loop and compares byte for byte).
_ROW = (
    '\n    <li class="checklist__item{state}" id="punkt-{id}">'
    '\n      <p class="checklist__text"><strong>{text}</strong>'
    "\n        {badge}\n        {mark_badge}</p>\n      {guidance}\n      {link}\n      {by}"
    "\n      {actions}\n    </li>\n  "
)
_UNDO = (
    '\n      <div class="checklist__actions">\n        '
    '\n        <form method="post" action="{prefix}{id}/oppna/" class="inline-form">{csrf}'
    '<button type="submit" class="button button--small button--secondary">{undo}'
    '<span class="visually-hidden">: {text}</span></button></form>\n        '
    "\n      </div>\n      "
)
_TICK = (
    '\n      <div class="checklist__actions">\n        '
    '\n        <form method="post" action="{prefix}{id}/klar/" class="inline-form">{csrf}'
    '<button type="submit" class="button button--small">{done}'
    '<span class="visually-hidden">: {text}</span></button></form>'
    '\n        <details class="checklist__na">'
    '\n          <summary>{not_applicable}<span class="visually-hidden">: {text}</span></summary>'
    '\n          <form method="post" action="{prefix}{id}/ej-aktuell/" novalidate>{csrf}'
    '\n            <div class="field"><label for="na-{id}-reason">{why}</label>'
    '\n            <input type="text" name="na-{id}-reason" id="na-{id}-reason" maxlength="1000"'
    " required></div>"
    '\n            <button type="submit" class="button button--small button--secondary">'
    "{mark_na}</button>\n          </form>\n        </details>\n        "
    "\n      </div>\n      "
)


def rows_html(
    checklist: CaseChecklist, *, may_tick: bool, tick_prefix: str = "", csrf_input: str = ""
) -> SafeString:
    """The checklist's rows as the panel shows them inside its `<ol>`. Every value from the
    database goes through `esc` (`conditional_escape`), as `{{ … }}` did, and times through
    what the `date` filter does; labels are translated once."""
    short = formats.get_format("SHORT_DATETIME_FORMAT")  # the `date` filter's, once per page
    zone = timezone.get_current_timezone()
    required = f'<span class="badge badge--warn">{esc(gettext("required"))}</span>'
    advisory = f'<span class="badge">{esc(gettext("advisory"))}</span>'
    labels = {
        "prefix": esc(tick_prefix),
        "csrf": esc(csrf_input),
        "undo": esc(gettext("Undo")),
        "done": esc(gettext("Done")),
        "not_applicable": esc(gettext("Not applicable")),
        "why": esc(gettext("Why it does not apply")),
        "mark_na": esc(gettext("Mark not applicable")),
    }
    read_more = esc(gettext("Read more"))
    # `capfirst(mark.get_state_display())`, the labels translated once.
    states = {value: capfirst(str(label)) for value, label in MarkState.choices}
    parts = []
    for row in checklist.rows:
        item, mark, id_ = row.item, row.mark, row.item_id
        text = esc(item.text)
        by = mark_badge = ""
        if mark is not None:
            state = esc(states.get(mark.state) or capfirst(mark.state))
            mark_badge = f'<span class="badge badge--ok">{state}</span>'
            at = timezone.localtime(mark.at, zone)
            reason = f" – {esc(mark.reason)}" if mark.reason else ""
            by = (
                f'<p class="muted">{esc(str(mark.by))}, '
                f'<time datetime="{esc(dateformat.format(at, "c"))}">'
                f"{esc(dateformat.format(at, short))}</time>{reason}</p>"
            )
        actions = ""
        if may_tick:
            actions = (_UNDO if mark is not None else _TICK).format(id=id_, text=text, **labels)
        parts.append(
            _ROW.format(
                state=f" checklist__item--{esc(mark.state)}" if mark is not None else "",
                id=id_,
                text=text,
                badge=required if item.required else advisory,
                mark_badge=mark_badge,
                guidance=f'<p class="muted">{esc(item.guidance)}</p>' if item.guidance else "",
                link=(
                    f'<p><a href="{esc(item.link)}" rel="noopener noreferrer">{read_more}'
                    f'<span class="visually-hidden">: {text}</span></a></p>'
                    if item.link
                    else ""
                ),
                by=by,
                actions=actions,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
