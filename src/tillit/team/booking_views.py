"""Pages for booking a reflection day or an absence, the booking itself, and covering."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tillit.organisation.models import Person
from tillit.team import actions, queries
from tillit.team.booking import Period, PresenceRefused
from tillit.team.forms import (
    BookingForm,
    InsightForm,
    NoteForm,
    PeriodForm,
    RepliesForm,
    apply_refusal,
    submit,
)
from tillit.team.states import AbsenceKind, DayPart

# The absence page's edit forms: which form, which action, what to say when it is done.
EDITS: dict[str, tuple[type[Any], Any, Any]] = {
    "replies": (RepliesForm, actions.update_auto_reply, gettext_lazy("The auto-reply is saved.")),
    "note": (
        NoteForm,
        actions.save_reflection_note,
        gettext_lazy("Your note is saved. Only you can see it."),
    ),
    "insight": (InsightForm, actions.share_insight, gettext_lazy("Thank you for sharing.")),
}


def me(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def _preview(person: Person, form: PeriodForm) -> tuple[queries.Preview | None, list[Any]]:
    data = form.cleaned_data
    try:
        preview = queries.booking_preview(
            person,
            kind=data["kind"],
            first_day=data["first_day"],
            last_day=data.get("last_day"),
            part=data["part"],
        )
    except PresenceRefused as refusal:
        apply_refusal(form, refusal)
        return None, refusal.free_days
    except ValidationError as refusal:
        apply_refusal(form, refusal)
        return None, []
    return preview, []


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """Step one (GET): what and when. Step two: who covers and the auto-reply. Then book."""
    person = me(request)
    if request.method == "POST":
        form: PeriodForm = BookingForm(request.POST)
        done = queries.booked_with_key(person, request.POST.get("request_key", ""))
        if done is not None:
            return redirect("team:absence", absence_id=done.pk)
        if form.is_valid():
            preview, free_days = _preview(person, form)
            if preview is not None:
                data = form.cleaned_data
                eligible = {c.pk: c for c in preview.suggested + preview.others}
                # Someone not offered still goes to the action, which says why they cannot cover.
                chosen = data["cover"]
                cover = eligible.get(chosen) or (queries.colleague(chosen) if chosen else None)
                try:
                    absence = actions.book_absence(
                        person=person,
                        by=person,
                        kind=AbsenceKind(data["kind"]),
                        first_day=data["first_day"],
                        last_day=data.get("last_day"),
                        part=DayPart(data["part"]),
                        cover=cover,
                        reply_sv=data["reply_sv"],
                        reply_en=data["reply_en"],
                        note=data["note"],
                        request_key=data["request_key"],
                    )
                except ValidationError as refusal:
                    apply_refusal(form, refusal)
                else:
                    messages.success(
                        request, _("Booked. Your colleague has been told by the calendar.")
                    )
                    return redirect("team:absence", absence_id=absence.pk)
            return _step_two(request, form, preview, free_days)
        return render(request, "team/book.html", {"form": form, "step": 1}, status=400)
    period = PeriodForm(request.GET or None)
    if request.GET and period.is_valid():
        preview, free_days = _preview(person, period)
        if preview is not None:
            reply_sv, reply_en = queries.default_replies(period.cleaned_data["kind"])
            details = BookingForm(
                initial={
                    **period.cleaned_data,
                    "reply_sv": reply_sv,
                    "reply_en": reply_en,
                    "request_key": uuid.uuid4().hex,
                }
            )
            return _step_two(request, details, preview, [])
        return render(
            request, "team/book.html", {"form": period, "step": 1, "free_days": free_days}
        )
    return render(request, "team/book.html", {"form": period, "step": 1})


def _step_two(
    request: HttpRequest, form: PeriodForm, preview: queries.Preview | None, free_days: list[Any]
) -> HttpResponse:
    if preview is None:  # the days no longer pass (someone booked meanwhile): back to step one
        period = PeriodForm(request.POST)
        if period.is_valid():
            _preview(me(request), period)
        return render(
            request,
            "team/book.html",
            {"form": period, "step": 1, "free_days": free_days},
            status=400,
        )
    chosen = form["cover"].value() if form.is_bound else None
    return render(
        request,
        "team/book.html",
        {
            "form": form,
            "step": 2,
            "preview": preview,
            "chosen": str(chosen or ""),
            "cover_required": preview.period.kind == AbsenceKind.REFLECTION,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def absence(request: HttpRequest, absence_id: int) -> HttpResponse:
    person = me(request)
    booking = queries.absence_for(person, absence_id)
    forms: dict[str, Any] = {
        "replies": RepliesForm(
            initial={"reply_sv": booking.reply_sv, "reply_en": booking.reply_en}
        ),
        "note": NoteForm(initial={"note": booking.note}),
        "insight": InsightForm(initial={"insight": booking.insight}),
    }
    action = request.POST.get("action", "")
    if action == "end":
        try:
            actions.end_absence(absence=booking, by=person)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("Done. New work goes to you again from now on."))
        return redirect("team:index")
    if request.method == "POST" and action in EDITS:
        form_class, act, success = EDITS[action]
        forms[action] = form_class(request.POST)
        done = submit(
            request,
            forms[action],
            partial(act, absence=booking, by=person),
            str(success),
            reverse("team:absence", args=[booking.pk]),
        )
        if done is not None:
            return done
    subject, body = queries.auto_reply_for(booking, at=timezone.now())
    return render(
        request,
        "team/absence.html",
        {
            "absence": booking,
            **forms,
            "reply_subject": subject,
            "reply_body": body,
            "is_current": queries.is_current(booking),
            "is_over": booking.ends_at <= timezone.now(),
            "hero_weeks": queries.hero_weeks_during(
                person,
                Period(
                    AbsenceKind(booking.kind),
                    booking.first_day,
                    booking.last_day,
                    DayPart(booking.part),
                ),
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def covering(request: HttpRequest) -> HttpResponse:
    """What the cover sees: whom they cover, and for a current day the absent's open cases."""
    person = me(request)
    rows = [
        {
            "absence": item,
            "current": queries.is_current(item),
            "tasks": queries.quick_tasks(person, item),
            "offers": queries.offers_while_covering(person, item),
        }
        for item in queries.covering(person)
    ]
    return render(request, "team/covering.html", {"rows": rows})
