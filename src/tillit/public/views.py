"""The citizen pages: no login. Each view parses a form, calls one query and one action, renders.

The status pages carry the citizen's private token in their URL: they are never cached, never
sent on as a referrer, never indexed, and the token never reaches a log (see logfilter.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tillit.cases.attachments import AttachmentNotFound, max_bytes, max_files, open_for_citizen
from tillit.cases.models import Case
from tillit.cases.queries import CaseNotFound
from tillit.cases.states import Status
from tillit.public import ratelimit
from tillit.public.actions import add_information, submit_case
from tillit.public.forms import CaseForm, MessageForm
from tillit.public.queries import (
    case_for_link,
    case_types_by_administration,
    citizen_log,
    expected_answer_date,
    public_case_type,
)

_R = TypeVar("_R", bound=HttpResponseBase)
RECEIPT = "public_receipt"
RECEIPT_NUMBER = "public_receipt_number"
STATUS_TEXT = {
    Status.NEW: gettext_lazy("Received, not yet started"),
    Status.IN_PROGRESS: gettext_lazy("Being handled"),
    Status.WAITING: gettext_lazy("Waiting for information from you"),
    Status.CLOSED: gettext_lazy("Closed"),
    Status.CANCELLED: gettext_lazy("Cancelled"),
}


def _private(response: _R) -> _R:
    response["Cache-Control"] = "no-store, private"
    # Never sent to another site; "no-referrer" would make browsers send `Origin: null` on the
    # page's own form, which the CSRF check rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_large(request: HttpRequest) -> HttpResponse | None:
    """Refuse a body larger than every allowed file together before checking any file (the
    proxy in front caps the body itself; see decision 0370)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= max_files() * max_bytes() + 1024 * 1024:
        return None
    return render(
        request,
        "public/too_large.html",
        {"max_files": max_files(), "max_mb": settings.TILLIT_ATTACHMENT_MAX_MB},
        status=413,
    )


def guarded(limit: ratelimit.Limit) -> Callable[..., Any]:
    """POSTs count against the client's rate limit and may not exceed the upload size."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                refusal = ratelimit.refusal(request, limit) or _too_large(request)
                if refusal is not None:
                    return refusal
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "public/start.html", {"administrations": case_types_by_administration()})


@require_http_methods(["GET", "POST"])
@guarded(ratelimit.SUBMIT)
def new_case(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        chosen = public_case_type(request.GET.get("typ"))
        form = CaseForm(initial={"case_type": str(chosen.pk)} if chosen else {})
        return render(request, "public/form.html", {"form": form, "chosen": chosen})
    form = CaseForm(request.POST, request.FILES)
    if not form.is_valid():
        if "form_key" in form.errors:
            form.refreshed_key()
        chosen = public_case_type(request.POST.get("case_type"))
        context = {"form": form, "chosen": chosen, "files_sent": bool(request.FILES)}
        return render(request, "public/form.html", context, status=400)
    submission = submit_case(
        submission_key=form.cleaned_data["form_key"],
        case_type=form.cleaned_data["case_type"],
        subject=form.cleaned_data["subject"],
        description=form.cleaned_data["description"],
        party=form.party(),
        files=form.cleaned_data["attachments"],
    )
    # The token waits in the session for the one receipt page that shows it, then is removed.
    request.session[RECEIPT] = {"token": submission.token, "repeated": submission.repeated}
    return redirect("public:receipt")


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(RECEIPT, None)
    case: Case | None = None
    if pending:
        try:
            case = case_for_link(pending["token"])
        except CaseNotFound:
            case = None
    if case is None:
        number = request.session.get(RECEIPT_NUMBER)
        return _private(render(request, "public/receipt_shown.html", {"number": number}))
    request.session[RECEIPT_NUMBER] = case.registration_number
    link = request.build_absolute_uri(reverse("public:status", args=[pending["token"]]))
    context = {
        "case": case,
        "link": link,
        "repeated": pending.get("repeated", False),
        "expected": expected_answer_date(case),
    }
    return _private(render(request, "public/receipt.html", context))


def _invalid_link(request: HttpRequest) -> HttpResponse:
    refusal = ratelimit.refusal(request, ratelimit.LOOKUP)
    if refusal is not None:
        return _private(refusal)
    return _private(render(request, "public/link_invalid.html", status=404))


def _status_page(
    request: HttpRequest, token: str, case: Case, form: MessageForm, status: int
) -> HttpResponse:
    context = {
        "case": case,
        "status_text": STATUS_TEXT.get(Status(case.status), case.get_status_display()),
        "expected": expected_answer_date(case),
        "log": citizen_log(case),
        "form": form,
        "takes_messages": case.status != Status.CANCELLED,
        "token": token,
    }
    return _private(render(request, "public/status.html", context, status=status))


@require_http_methods(["GET", "POST"])
@guarded(ratelimit.MESSAGE)
def status(request: HttpRequest, token: str) -> HttpResponse:
    try:
        case = case_for_link(token)
    except CaseNotFound:
        return _invalid_link(request)
    if request.method != "POST":
        return _status_page(request, token, case, MessageForm(), 200)
    form = MessageForm(request.POST, request.FILES)
    if case.status == Status.CANCELLED or not form.is_valid():
        if "form_key" in form.errors:
            form.refreshed_key()
        return _status_page(request, token, case, form, 400)
    added = add_information(
        case=case,
        form_key=form.cleaned_data["form_key"],
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
    )
    if added:
        messages.success(request, _("Thank you. Your message has been added to your case."))
    else:
        messages.info(request, _("Your message had already been received; it was not added twice."))
    return redirect("public:status", token=token)


@require_GET
def download(request: HttpRequest, token: str, attachment_id: int) -> HttpResponseBase:
    try:
        case = case_for_link(token)
        attachment, handle = open_for_citizen(case, attachment_id)
    except (CaseNotFound, AttachmentNotFound):
        return _invalid_link(request)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return _private(response)
