"""The case page: header, legs, open offer, attachments, the log, other apps' panels, and the
forms of those who work the case. Someone who may only read it sees it without forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tillit.cases import forms, queries, timeline
from tillit.cases.changes import BY_SLUG, Situation
from tillit.cases.legs import legs_of
from tillit.cases.models import Case
from tillit.cases.panels import csrf_input, render_case_panels, render_once
from tillit.cases.parties import format_personal_number, mask_personal_number
from tillit.cases.views import REFUSED, perform, person_of
from tillit.cases.work import work_groups, work_html
from tillit.organisation.queries import closed_days


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, forms.CaseForm | forms.HandoverForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    access = queries.access_to(person, case)
    if access is None:  # the case changed hands while the request ran
        raise queries.CaseNotFound
    bound = bound or {}
    events = queries.log_of(case)
    offer = queries.open_offer(case)
    works = access == queries.Access.WORK
    groups = (
        work_groups(Situation(case=case, person=person, offer=offer), bound=bound) if works else []
    )
    withdraw = None
    if works and offer is not None:
        withdraw = bound.get("aterkalla") or forms.WithdrawForm(
            handover=offer, person=person, prefix="aterkalla"
        )
    party = case.party
    number = party.personal_number if party else None
    now = timezone.now()
    today = timezone.localdate(now)
    context = {
        "case": case,
        "access": access,
        "works": works,
        # As `{{ case.get_status_display|capfirst }}` shows them, made once (the header shows two).
        "status": capfirst(case.get_status_display()),
        "channel": capfirst(case.get_channel_display()),
        "personal_number": format_personal_number(number)
        if works
        else mask_personal_number(number),
        "overdue": case.is_open and case.due_date is not None and case.due_date < today,
        "legs": legs_of(events, closed_days=closed_days(case.owner_unit.municipality_id), now=now),
        "log_html": timeline.log_html(timeline.entries(events)),
        "offer": offer,
        "offer_overdue": offer is not None and offer.answer_by < now,
        "receiver": offer is not None
        and not works
        and offer.to_unit_id in queries.scope_of(person).all_units,
        "withdraw": withdraw,
        "withdraw_fields": forms.fields_html(withdraw) if withdraw is not None else "",
        "attachments": queries.attachments_of(case),
        "groups": groups,
        "work_html": work_html(groups, csrf_input(request)) if groups else "",
        "errors": [form for form in bound.values() if form.errors],
        "panels": render_case_panels(request, case, access, events),
    }
    # With the context processors' output the panels were rendered with (decision 0472).
    return HttpResponse(render_once(request, "cases/case.html", context), status=status)


@never_cache
@login_required
@require_GET
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return render_case(request, queries.get_case_for(person_of(request), case_id))


@login_required
@require_POST
def change_case(request: HttpRequest, case_id: int, slug: str) -> HttpResponse:
    """Run one change from the case page; a refusal re-shows the page with the form's errors."""
    change = BY_SLUG.get(slug)
    if change is None:
        raise Http404
    person = person_of(request)
    case = queries.get_case_for(person, case_id, where="page")
    form = change.form(request.POST, case=case, person=person, prefix=change.slug)
    if perform(form, lambda data: change.run(case, person, data)) is not None:
        messages.success(request, str(change.done))
        return redirect(reverse("cases:case", args=[case.pk]))
    return render_case(request, case, bound={change.slug: form}, status=REFUSED)


@never_cache
@login_required
@require_GET
def download_attachment(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    """Files are kept outside the web root and handed out only through the access gateway, as
    downloads the browser never renders in our origin."""
    attachment = queries.attachment_for(person_of(request), case_id, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
