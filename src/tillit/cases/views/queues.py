"""The queues and the search page: one page of cases, newest first, an "older" link with the
cursor, and a constant number of queries whatever the page size."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tillit.cases import queries
from tillit.cases.forms import active_case_types
from tillit.cases.models import Case
from tillit.cases.states import Channel, Status
from tillit.cases.views import person_of

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


class FilterForm(forms.Form):
    case_type = forms.ModelChoiceField(
        label=_("Case type"),
        queryset=active_case_types().only("pk", "name"),
        required=False,
        empty_label=_("All case types"),
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

    def filters(self) -> queries.QueueFilter:
        if not self.is_valid():
            return queries.QueueFilter()
        data = self.cleaned_data
        case_type = data["case_type"]
        return queries.QueueFilter(
            case_type=case_type.pk if case_type else None,
            status=data["status"] or None,
            channel=data["channel"] or None,
        )


def cursor_from(request: HttpRequest) -> int | None:
    value = request.GET.get("fore", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def rows_of(cases: list[Case]) -> list[dict[str, Any]]:
    """Each case as the row shows it, with its overdue and open-offer markers.

    The values are plain text worked out here, one dictionary per row: the template engine then
    does one lookup per cell instead of walking `case.owner_unit.name` through its
    item-then-attribute rules (half of a 50-row page's time). The offers come in one query.
    """
    offers = queries.open_offers_by_case([case.pk for case in cases])
    today = timezone.localdate()
    now = timezone.now()
    root = reverse("cases:index")
    rows = []
    for case in cases:
        offer = offers.get(case.pk)
        rows.append(
            {
                "url": f"{root}{case.pk}/",
                "number": case.registration_number,
                "subject": case.subject,
                "type": case.case_type.name,
                "owner": case.owner_unit.name,
                "handler": str(case.handler) if case.handler_id else "",
                "status": capfirst(case.get_status_display()),
                "due": date_format(case.due_date, "SHORT_DATE_FORMAT") if case.due_date else "–",
                "overdue": case.is_open and case.due_date is not None and case.due_date < today,
                "offered_to": offer.to_unit.name if offer else "",
                "offer_overdue": offer is not None and offer.answer_by < now,
                "secret": case.is_secret,
            }
        )
    return rows


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
    rows: list[dict[str, Any]] = []
    older = None
    if form.is_valid():
        page = queries.search(
            person_of(request), form.cleaned_data["q"], before=cursor_from(request), size=PAGE_SIZE
        )
        rows = rows_of(page.cases)
        older = older_link(request, page.next_cursor)
    context = {"form": form, "rows": rows, "older": older, "searched": form.is_valid()}
    return render(request, "cases/search.html", context)
