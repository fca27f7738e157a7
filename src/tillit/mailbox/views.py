"""The shared mailbox's pages: the mailboxes, the untriaged queue, triage, one message, and the
buttons that retry or stop an outgoing e-mail. Thin: a query, an action, a template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.cases.models import Case
from tillit.cases.queries import get_case_for
from tillit.core.redirects import next_url
from tillit.mailbox import actions, queries
from tillit.mailbox.forms import TriageForm
from tillit.mailbox.models import Mailbox
from tillit.mailbox.states import TriageOutcome
from tillit.organisation.models import Person


def _person(request: HttpRequest) -> Person:
    assert isinstance(request.user, Person)
    return request.user


def case_url(case: Case) -> str | None:
    """The full case page (the cases capability), when this build has it."""
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return None


def _mailbox_of(person: Person, case: Case) -> Mailbox:
    for mailbox in queries.mailboxes_for(person):
        if mailbox.unit_id == case.owner_unit_id:
            return mailbox
    raise queries.MailboxNotFound


@login_required
def index(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    rows = [
        {"mailbox": mailbox, "untriaged": queries.untriaged(person, mailbox).count()}
        for mailbox in queries.mailboxes_for(person)
    ]
    return render(request, "mailbox/index.html", {"rows": rows})


@login_required
def queue(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    person = _person(request)
    mailbox = queries.get_mailbox_for(person, mailbox_id)
    context = {
        "mailbox": mailbox,
        "cases": list(queries.untriaged(person, mailbox)[:200]),
        "hero": queries.queue_owner(mailbox, timezone.localdate()),
        "recent": queries.recent_messages(person, mailbox),
        "set_aside": queries.set_aside(mailbox),
    }
    return render(request, "mailbox/queue.html", context)


@login_required
def triage(request: HttpRequest, case_id: int) -> HttpResponse:
    person = _person(request)
    case = get_case_for(person, case_id, where="mailbox")
    if not queries.is_untriaged(case):
        messages.info(
            request, _("%(number)s is already triaged.") % {"number": case.registration_number}
        )
        return redirect(case_url(case) or reverse("mailbox:index"))
    mailbox = _mailbox_of(person, case)
    form = TriageForm(request.POST or None, case_types=queries.triage_case_types())
    if request.method == "POST" and form.is_valid():
        outcome = TriageOutcome(form.cleaned_data["outcome"])
        try:
            case = actions.triage_case(
                case=case,
                by=person,
                outcome=outcome,
                case_type=form.chosen_type(),
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _triaged_message(case, outcome))
            return redirect("mailbox:queue", mailbox.pk)
    context = {
        "case": case,
        "mailbox": mailbox,
        "form": form,
        "messages_in": queries.messages_of(case),
        "case_url": case_url(case),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "mailbox/triage.html", context, status=status)


def _triaged_message(case: Case, outcome: TriageOutcome) -> str:
    texts = {
        TriageOutcome.RESOLVE: _("%(number)s is %(type)s, answered and closed."),
        TriageOutcome.REPLY: _("%(number)s is %(type)s; the answer is sent and you are handler."),
        TriageOutcome.HANDOVER: _("%(number)s is %(type)s and offered to the administration."),
        TriageOutcome.DISCARD: _("%(number)s was not a case and is cancelled."),
    }
    return texts[outcome] % {"number": case.registration_number, "type": case.case_type.name}


@login_required
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    person = _person(request)
    inbound, case = queries.get_message_for(person, message_id)
    context = {
        "message": inbound,
        "case": case,
        "case_url": case_url(case) if case else None,
    }
    return render(request, "mailbox/message.html", context)


@login_required
@require_POST
def reprocess(request: HttpRequest, message_id: int) -> HttpResponse:
    person = _person(request)
    inbound, _case = queries.get_message_for(person, message_id)
    result = actions.reprocess_message(message=inbound, by=person)
    if result.case_id:
        messages.success(request, _("The message was read this time and is in a case."))
    else:
        messages.warning(request, _("The message still could not be read."))
    return redirect("mailbox:queue", inbound.mailbox_id)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url(request, fallback))


@login_required
@require_POST
def retry(request: HttpRequest, outbound_id: int) -> HttpResponse:
    person = _person(request)
    outbound = queries.get_outbound_for(person, outbound_id)
    try:
        actions.retry_outbound(outbound=outbound, by=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The e-mail to %(to)s is sent again.") % {"to": outbound.to_address}
        )
    return _back(request, reverse("mailbox:index"))


@login_required
@require_POST
def stop(request: HttpRequest, outbound_id: int) -> HttpResponse:
    person = _person(request)
    outbound = queries.get_outbound_for(person, outbound_id)
    try:
        actions.stop_outbound(outbound=outbound, by=person, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The e-mail to %(to)s will not be sent.") % {"to": outbound.to_address}
        )
    return _back(request, reverse("mailbox:index"))


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    stored = queries.attachment_for(_person(request), attachment_id)
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
