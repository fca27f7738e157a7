"""Staff pages of the liaison meetings: the series, a meeting with its agenda, minutes and
action items, the printable minutes and "my action items". Each view parses a form, calls one
gateway and one action, and renders."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tillit.cases.views import REFUSED, perform, person_of
from tillit.core.redirects import next_url
from tillit.liaison import actions, queries
from tillit.liaison.forms import (
    ActionForm,
    CorrectionForm,
    DoneForm,
    MeetingForm,
    MinutesForm,
    ProposeForm,
)
from tillit.liaison.models import Meeting, MeetingSeries
from tillit.organisation.models import Person


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    try:
        return queries.get_meeting_for(person_of(request), meeting_id)
    except queries.NotFound:
        raise Http404 from None


def _series(request: HttpRequest, series_id: int) -> MeetingSeries:
    try:
        return queries.get_series_for(person_of(request), series_id)
    except queries.NotFound:
        raise Http404 from None


def _create(person: Person, form: MeetingForm) -> Meeting | None:
    return perform(
        form,
        lambda d: actions.create_meeting(
            administration=d["administration"],
            by=person,
            starts_at=form.starts_at(),
            place=d["place"],
        ),
    )


# --- series ------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    return _render_index(request, MeetingForm(person=person, prefix="new"))


def _render_index(request: HttpRequest, form: MeetingForm, status: int = 200) -> HttpResponse:
    person = person_of(request)
    rows = [
        (series, queries.next_meeting(series), len(queries.open_actions_of(series)))
        for series in queries.readable_series(person)
    ]
    organises = queries.organisable_administrations(person).exists()
    return render(
        request,
        "liaison/index.html",
        {
            "rows": rows,
            "form": form if organises else None,
            "errors": [form] if form.errors else [],
        },
        status=status,
    )


@login_required
@require_POST
def create_meeting(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    series_id = request.POST.get("series")
    series = _series(request, int(series_id)) if series_id and series_id.isdigit() else None
    form = MeetingForm(request.POST, person=person, series=series, prefix="new")
    meeting = _create(person, form)
    if meeting is None:
        if series is not None:
            return _render_series(request, series, form, status=REFUSED)
        return _render_index(request, form, status=REFUSED)
    messages.success(request, _("The meeting is planned. Participants may now propose items."))
    return redirect("liaison:meeting", meeting.pk)


@login_required
@require_GET
def series(request: HttpRequest, series_id: int) -> HttpResponse:
    found = _series(request, series_id)
    form = MeetingForm(person=person_of(request), series=found, prefix="new")
    return _render_series(request, found, form)


def _render_series(
    request: HttpRequest, found: MeetingSeries, form: MeetingForm, status: int = 200
) -> HttpResponse:
    person = person_of(request)
    meetings = queries.meetings_of(found)
    now = timezone.now()
    return render(
        request,
        "liaison/series.html",
        {
            "series": found,
            "upcoming": [m for m in reversed(meetings) if m.starts_at >= now],
            "past": [m for m in meetings if m.starts_at < now],
            "open_actions": queries.open_actions_of(found),
            "managers": queries.centre_managers(found),
            "contacts": queries.contact_persons(found),
            "form": form if queries.may_organise(person, found) else None,
            "errors": [form] if form.errors else [],
            "today": timezone.localdate(),
        },
        status=status,
    )


# --- a meeting ---------------------------------------------------------------------------------


def _render_meeting(
    request: HttpRequest,
    meeting: Meeting,
    *,
    propose: ProposeForm | None = None,
    action: ActionForm | None = None,
    correction: CorrectionForm | None = None,
    minutes: tuple[int, MinutesForm] | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    series = meeting.series
    organiser = queries.may_organise(person, series)
    participant = queries.is_participant(person, series)
    started = meeting.starts_at <= timezone.now()
    writes = organiser and started and not meeting.is_approved
    agenda = queries.agenda_of(meeting)
    rows = []
    for item in agenda:
        if minutes is not None and minutes[0] == item.pk:
            form: MinutesForm | None = minutes[1]
        elif writes:
            form = MinutesForm(prefix=f"minutes-{item.pk}", initial={"text": item.minutes})
        else:
            form = None
        rows.append((item, form))
    propose = propose or ProposeForm(series=series, prefix="propose")
    action = action or ActionForm(meeting=meeting, prefix="action")
    correction = correction or CorrectionForm(prefix="correction")
    bound: list[django_forms.Form] = [propose, action, correction]
    if minutes is not None:
        bound.append(minutes[1])
    return render(
        request,
        "liaison/meeting.html",
        {
            "meeting": meeting,
            "series": series,
            "rows": rows,
            "actions": queries.actions_of(meeting),
            "corrections": list(meeting.corrections.select_related("by")),
            "organiser": organiser,
            "writes": writes,
            "may_propose": not meeting.is_approved and participant and (organiser or not started),
            "started": started,
            "propose_form": propose,
            "action_form": action,
            "correction_form": correction,
            "errors": [f for f in bound if f.errors],
            "refusal": refusal,
            "today": timezone.localdate(),
            "me": person,
        },
        status=status,
    )


@login_required
@require_GET
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _render_meeting(request, _meeting(request, meeting_id))


@login_required
@require_POST
def propose(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    found = _meeting(request, meeting_id)
    form = ProposeForm(request.POST, series=found.series, prefix="propose")
    if perform(form, lambda d: actions.propose_agenda_item(meeting=found, by=person, **d)):
        messages.success(request, _("The item is on the agenda."))
        return redirect(reverse("liaison:meeting", args=[found.pk]) + "#dagordning")
    return _render_meeting(request, found, propose=form, status=REFUSED)


@login_required
@require_POST
def write_minutes(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    person = person_of(request)
    found = _meeting(request, meeting_id)
    try:
        item = queries.get_agenda_item_for(person, found, item_id)
    except queries.NotFound:
        raise Http404 from None
    form = MinutesForm(request.POST, prefix=f"minutes-{item.pk}")
    if perform(form, lambda d: actions.write_minutes(item=item, by=person, text=d["text"])):
        messages.success(request, _("The minutes of the item are saved."))
        return redirect(reverse("liaison:meeting", args=[found.pk]) + f"#punkt-{item.pk}")
    return _render_meeting(request, found, minutes=(item.pk, form), status=REFUSED)


@login_required
@require_POST
def move(request: HttpRequest, meeting_id: int, item_id: int, direction: str) -> HttpResponse:
    person = person_of(request)
    found = _meeting(request, meeting_id)
    if direction not in ("upp", "ner") or not queries.may_organise(person, found.series):
        raise Http404
    try:
        item = queries.get_agenda_item_for(person, found, item_id)
    except queries.NotFound:
        raise Http404 from None
    try:
        actions.move_agenda_item(item=item, by=person, up=direction == "upp")
    except ValidationError as error:
        return _render_meeting(request, found, refusal=" ".join(error.messages), status=REFUSED)
    return redirect(reverse("liaison:meeting", args=[found.pk]) + f"#punkt-{item.pk}")


@login_required
@require_POST
def add_action(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    found = _meeting(request, meeting_id)
    form = ActionForm(request.POST, meeting=found, prefix="action")
    if perform(form, lambda d: actions.add_action_item(meeting=found, by=person, **d)):
        messages.success(request, _("The action item is added."))
        return redirect(reverse("liaison:meeting", args=[found.pk]) + "#atgarder")
    return _render_meeting(request, found, action=form, status=REFUSED)


@login_required
@require_POST
def approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    found = _meeting(request, meeting_id)
    try:
        actions.approve_minutes(meeting=found, by=person)
    except ValidationError as error:
        return _render_meeting(request, found, refusal=" ".join(error.messages), status=REFUSED)
    messages.success(
        request,
        _("The minutes are approved. Open action items go onto the next meeting's agenda."),
    )
    return redirect("liaison:meeting", found.pk)


@login_required
@require_POST
def correct(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    found = _meeting(request, meeting_id)
    form = CorrectionForm(request.POST, prefix="correction")
    if perform(form, lambda d: actions.add_correction(meeting=found, by=person, text=d["text"])):
        messages.success(request, _("The correction is added to the minutes."))
        return redirect(reverse("liaison:meeting", args=[found.pk]) + "#rattelser")
    return _render_meeting(request, found, correction=form, status=REFUSED)


@login_required
@require_GET
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes as a printable page."""
    found = _meeting(request, meeting_id)
    return render(
        request,
        "liaison/minutes.html",
        {
            "meeting": found,
            "series": found.series,
            "agenda": queries.agenda_of(found),
            "actions": queries.actions_of(found),
            "corrections": list(found.corrections.select_related("by")),
            "contacts": queries.contact_persons(found.series),
            "today": timezone.localdate(),
        },
    )


# --- my action items ---------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return _render_mine(request)


def _render_mine(
    request: HttpRequest, bound: tuple[int, DoneForm] | None = None, status: int = 200
) -> HttpResponse:
    open_items, done = queries.actions_owned_by(person_of(request))
    rows: list[tuple[Any, DoneForm]] = [
        (
            item,
            bound[1] if bound and bound[0] == item.pk else DoneForm(prefix=f"done-{item.pk}"),
        )
        for item in open_items
    ]
    return render(
        request,
        "liaison/mine.html",
        {
            "rows": rows,
            "done": done,
            "today": timezone.localdate(),
            "errors": [bound[1]] if bound and bound[1].errors else [],
        },
        status=status,
    )


@login_required
@require_POST
def mark_done(request: HttpRequest, action_id: int) -> HttpResponse:
    person = person_of(request)
    try:
        action = queries.own_action(person, action_id)
    except queries.NotFound:
        raise Http404 from None
    form = DoneForm(request.POST, prefix=f"done-{action.pk}")
    if perform(form, lambda d: actions.mark_action_done(action=action, by=person, **d)):
        messages.success(request, _("The action item is marked done."))
        return redirect(next_url(request, reverse("liaison:mine")))
    return _render_mine(request, bound=(action.pk, form), status=REFUSED)
