"""The queues and the search page: one page of cases, newest first, an "older" link with the
cursor, and a constant number of queries whatever the page size."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tillit.cases import queries
from tillit.cases.forms import active_case_types
from tillit.cases.states import Channel, Status
from tillit.cases.views import person_of
from tillit.core.prepared import Prepared

# URL segment, queue, tab label. Incoming hand-overs have their own page (they are answered).
QUEUES: list[tuple[str, queries.Queue, str | Promise]] = [
    ("mina", queries.Queue.MINE, _("Mine")),
    ("enheten", queries.Queue.UNIT, _("My unit, unassigned")),
    ("forsenade", queries.Queue.OVERDUE, _("Overdue")),
    ("vantar", queries.Queue.WAITING, _("Waiting for the citizen")),
    ("avslutade", queries.Queue.CLOSED, pgettext_lazy("queue", "Closed")),
]
BY_SLUG = {slug: (name, label) for slug, name, label in QUEUES}
PAGE_SIZE = 50


def case_type_choices() -> list[tuple[object, object]]:
    # Pairs, not model instances: the queue's filter lists every active type on every page.
    return [("", _("All case types")), *_CASE_TYPE_CHOICES()]


_CASE_TYPE_CHOICES: Prepared[tuple[int, str]] = Prepared(
    lambda: active_case_types().values_list("pk", "name")
)


class FilterForm(forms.Form):
    case_type = forms.TypedChoiceField(
        label=_("Case type"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *((v, capfirst(label)) for v, label in Status.choices)],
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("All channels")), *((v, capfirst(label)) for v, label in Channel.choices)],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = case_type_choices()  # type: ignore[attr-defined]

    def filters(self) -> queries.QueueFilter:
        if not self.is_valid():
            return queries.QueueFilter()
        data = self.cleaned_data
        return queries.QueueFilter(
            case_type=data["case_type"],
            status=data["status"] or None,
            channel=data["channel"] or None,
        )


def cursor_from(request: HttpRequest) -> int | None:
    value = request.GET.get("fore", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


# One table row of a queue or the search, filled with escaped values (Python's html.escape, which
# is what Django's escape does, without its lazy-text wrapper): at 50 rows the template engine's
# ~850 variable renders were most of the page's CPU.
ROW = (
    '<tr class="case-row">'
    '<td data-label="{l_number}" class="nowrap"><a href="{url}">{number}</a></td>'
    '<td data-label="{l_subject}"><div>{subject}<br><span class="muted">{type}</span></div></td>'
    '<td data-label="{l_owner}">{owner}</td>'
    '<td data-label="{l_handler}"><div>{handler}</div></td>'
    '<td data-label="{l_status}">{status}</td>'
    '<td data-label="{l_due}" class="nowrap">{due}</td>'
    '<td data-label="{l_markers}"><div class="markers">{markers}</div></td>'
    "</tr>"
)


def row_labels() -> dict[str, str]:
    """The column names, translated once per page; the rows repeat them for the phone layout."""
    return {
        "l_number": gettext("Registration number"),
        "l_subject": gettext("Subject"),
        "l_owner": gettext("Owner"),
        "l_handler": gettext("Handler"),
        "l_status": gettext("Status"),
        "l_due": gettext("Due date"),
        "l_markers": gettext("Markers"),
    }


def rows_of(cases: list[queries.Listed]) -> SafeString:
    """The table's rows, each case with its overdue and open-offer markers, as the template's
    loop over them wrote them (empty when there are none); the offers come in one query."""
    offers = queries.open_offers_by_case([case.pk for case in cases])
    today = timezone.localdate()
    now = timezone.now()
    root = reverse("cases:index")
    labels = {key: escape(label) for key, label in row_labels().items()}
    statuses = {value: capfirst(str(label)) for value, label in Status.choices}
    nobody = format_html('<span class="muted">{}</span>', gettext("nobody yet"))
    overdue = format_html('<span class="badge badge--danger">{}</span>', gettext("Overdue"))
    secret = format_html('<span class="badge">{}</span>', gettext("Secret"))
    late = gettext("unanswered in time")
    dates: dict[date, str] = {}  # a page has few distinct due dates; format each once
    rows = []
    for case in cases:
        offer = offers.get(case.pk)
        markers = []
        if case.is_open and case.due_date is not None and case.due_date < today:
            markers.append(overdue)
        if offer is not None:
            offered = gettext("Offered to %(unit)s") % {"unit": offer.to_unit}
            if offer.answer_by < now:
                markers.append(
                    format_html('<span class="badge badge--danger">{} – {}</span>', offered, late)
                )
            else:
                markers.append(format_html('<span class="badge badge--warn">{}</span>', offered))
        if case.is_secret:
            markers.append(secret)
        # Every value escaped here; the labels above, the markers by format_html.
        row = ROW.format(
            url=f"{root}{case.pk}/",
            number=escape(case.registration_number),
            subject=escape(case.subject),
            type=escape(case.case_type.name),
            owner=escape(case.owner_unit.name),
            handler=escape(str(case.handler)) if case.handler_id else nobody,
            status=escape(statuses.get(case.status, case.status)),
            due=_short_date(case.due_date, dates) if case.due_date else "–",
            markers=" ".join(markers),
            **labels,
        )
        rows.append(f"\n    {row}\n  ")
    return SafeString("".join(rows))  # built from escaped parts only


def _short_date(day: date, formatted: dict[date, str]) -> str:
    if day not in formatted:
        formatted[day] = date_format(day, "SHORT_DATE_FORMAT")
    return formatted[day]


def older_link(request: HttpRequest, cursor: int | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["fore"] = str(cursor)
    return f"?{query.urlencode()}"


@never_cache
@login_required
@require_GET
def queue(request: HttpRequest, slug: str = "mina") -> HttpResponse:
    if slug not in BY_SLUG:
        raise Http404
    name, label = BY_SLUG[slug]
    form = FilterForm(request.GET or None)
    page = queries.queue(
        person_of(request),
        name,
        filters=form.filters() if form.is_bound else None,
        before=cursor_from(request),
        size=PAGE_SIZE,
    )
    context = {
        "queues": QUEUES,
        "current": slug,
        "label": label,
        "form": form,
        "rows": rows_of(page.cases),
        "labels": row_labels(),
        "older": older_link(request, page.next_cursor),
        "first_page": cursor_from(request) is None,
    }
    return render(request, "cases/queue.html", context)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search in cases"),
        max_length=200,
        help_text=_("Words from the subject, description, notes and replies, or a number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


@never_cache
@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    rows = SafeString("")
    older = None
    if form.is_valid():
        page = queries.search(
            person_of(request), form.cleaned_data["q"], before=cursor_from(request), size=PAGE_SIZE
        )
        rows = rows_of(page.cases)
        older = older_link(request, page.next_cursor)
    context = {
        "form": form,
        "rows": rows,
        "labels": row_labels(),
        "older": older,
        "searched": form.is_valid(),
    }
    return render(request, "cases/search.html", context)
