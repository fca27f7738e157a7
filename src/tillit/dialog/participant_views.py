"""The participants' pages: no account. The join form sets a secret cookie per session; every
later page finds the participant by it. Pages work without JavaScript (plain forms and a
reload link); dialog.js adds the countdown and live updates over a websocket or by polling."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tillit.dialog import actions, fragments, queries
from tillit.dialog.forms import AnswerForm, FactorForm, JoinForm, NoteForm, apply_refusal
from tillit.dialog.models import Note, Participant, Session, SuccessFactor, TableAnswer
from tillit.dialog.states import StepKind
from tillit.public import ratelimit

# Guessing codes is what the limit stops; 400 managers on one Wi-Fi joining with the right code
# must not be (decision 0800).
UNKNOWN_CODE = ratelimit.Limit("dialog_code", factor=3)
COOKIE_HOURS = 24


def cookie_name(session: Session) -> str:
    return f"dialog_{session.pk}"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("kod", "")})
    if request.method == "POST" and form.is_valid():
        try:
            session = queries.open_session_by_code(form.cleaned_data["code"])
        except queries.SessionNotFound:
            refused = ratelimit.refusal(request, UNKNOWN_CODE)
            if refused is not None:
                return refused
            form.add_error("code", _("No open session has that code. Check the big screen."))
        else:
            existing = queries.participant_for(session, request.COOKIES.get(cookie_name(session)))
            if existing is not None:
                return redirect("dialog:participant", code=session.code)
            try:
                _participant_row, token = actions.join_session(
                    session=session,
                    name=form.cleaned_data["name"],
                    anonymous=form.cleaned_data["anonymous"],
                )
            except ValidationError as refusal:
                apply_refusal(form, refusal)
            else:
                response = redirect("dialog:participant", code=session.code)
                response.set_cookie(
                    cookie_name(session),
                    token,
                    max_age=COOKIE_HOURS * 3600,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                    path=reverse("dialog:participant", kwargs={"code": session.code}),
                )
                return response
    status = 400 if form.errors else 200
    return _private(render(request, "dialog/join.html", {"form": form}, status=status))


def _participant(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Find the session by its code and the participant by the cookie, or send to the join form."""

    @wraps(view)
    def wrapper(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            session = queries.session_by_code(code)
        except queries.SessionNotFound:
            return redirect(f"{reverse('dialog:join')}?kod={queries.normalise_code(code)}")
        participant = queries.participant_for(session, request.COOKIES.get(cookie_name(session)))
        if participant is None:
            if session.is_finished:
                return _private(render(request, "dialog/ended.html", {"session": session}))
            return redirect(f"{reverse('dialog:join')}?kod={session.code}")
        return _private(view(request, session, participant, *args, **kwargs))

    return wrapper


def _page(
    request: HttpRequest,
    session: Session,
    participant: Participant,
    form: Any = None,
    status: int = 200,
) -> HttpResponse:
    kind = session.step_kind
    forms_by_kind = {
        StepKind.OWN: NoteForm,
        StepKind.GROUP: AnswerForm,
        StepKind.PLENARY: FactorForm,
    }
    if form is None and kind is not None:
        initial: dict[str, Any] = {"step": session.step}
        if kind == StepKind.GROUP and participant.table_id:
            answer = participant.table.answers.filter(step=session.step).first()  # type: ignore[union-attr]
            if answer is not None:
                initial["text"] = answer.text
        form = forms_by_kind[kind](initial=initial)
    context = {
        "session": session,
        "live": fragments.render_participant(participant),
        "form": form,
        "kind": kind,
        "question": session.questions.filter(step=session.step).first(),
        "my_notes": participant.notes.all(),
        "step_count": session.step_count,
    }
    return render(request, "dialog/participant.html", context, status=status)


@never_cache
@_participant
def participant(request: HttpRequest, session: Session, participant: Participant) -> HttpResponse:
    return _page(request, session, participant)


@never_cache
@_participant
def participant_live(
    request: HttpRequest, session: Session, participant: Participant
) -> HttpResponse:
    """The polling fallback for phones that cannot keep a websocket open."""
    response = HttpResponse(fragments.render_participant(participant))
    response["X-Dialog-Step"] = str(session.step)
    return response


def _save_note(participant: Participant, data: dict[str, Any]) -> Note:
    return actions.add_note(
        participant=participant, text=data["text"], step=data["step"], shared=data["shared"]
    )


def _save_answer(participant: Participant, data: dict[str, Any]) -> TableAnswer:
    return actions.save_table_answer(participant=participant, text=data["text"], step=data["step"])


def _save_factor(participant: Participant, data: dict[str, Any]) -> SuccessFactor:
    return actions.add_success_factor(participant=participant, text=data["text"], step=data["step"])


class Submission(NamedTuple):
    form: type[forms.Form]
    save: Callable[[Participant, dict[str, Any]], Note | TableAnswer | SuccessFactor]
    done: str | Promise


# One table for both ways a phone sends a text: the HTTP form (the fallback) and the websocket.
SUBMISSIONS: dict[str, Submission] = {
    "note": Submission(NoteForm, _save_note, gettext_lazy("Your note is saved.")),
    "answer": Submission(AnswerForm, _save_answer, gettext_lazy("Your table's answer is saved.")),
    "factor": Submission(FactorForm, _save_factor, gettext_lazy("The success factor is sent.")),
}
# A websocket message longer than this is refused unread (the longest text is 2,000 characters).
MAX_MESSAGE = 16_384


def _error_lines(form: forms.Form) -> list[str]:
    """As the page's error summary words them: the field's label, then the message."""
    lines = [str(error) for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            lines.append(str(error) if field.is_hidden else f"{field.label}: {error}")
    return lines


def _form(kind: str, data: dict[str, Any]) -> forms.Form:
    shared = data.get("shared") in (True, "on", "1", 1)
    return SUBMISSIONS[kind].form(
        {"step": data.get("step"), "text": data.get("text") or "", "shared": shared}
    )


def _saved(
    kind: str, saved: Note | TableAnswer | SuccessFactor, session: Session
) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "type": "saved",
        "kind": kind,
        "id": saved.pk,
        "message": str(SUBMISSIONS[kind].done),
    }
    if isinstance(saved, Note):
        reply["mine"] = fragments.my_note_html(saved, session)
    return reply


def _refused(kind: str, form: forms.Form, participant: Participant) -> dict[str, Any]:
    step = Session.objects.values_list("step", flat=True).get(pk=participant.session_id)
    return {
        "type": "error",
        "kind": kind,
        "message": " ".join(_error_lines(form)),
        "errors": {field: [str(e) for e in errors] for field, errors in form.errors.items()},
        "step": step,
    }


def submit_text(participant: int | Participant, data: dict[str, Any]) -> dict[str, Any]:
    """A text sent over the websocket: the same form and action as the HTTP form; the reply
    is sent once the text is stored (or refused, with the reason and the current step)."""
    kind = str(data.get("type"))
    submission = SUBMISSIONS[kind]
    if not isinstance(participant, Participant):
        participant = Participant.objects.select_related("session").get(pk=participant)
    form = _form(kind, data)
    if form.is_valid():
        try:
            saved = submission.save(participant, form.cleaned_data)
        except ValidationError as refusal:
            apply_refusal(form, refusal)
        else:
            return _saved(kind, saved, participant.session)
    return _refused(kind, form, participant)


def submit_notes(items: list[tuple[Participant, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Notes sent over several phones' websockets at once: each checked by the form as one
    sent alone, the valid ones stored in one insert (`actions.add_notes`); one reply each."""
    checked = [(participant, _form("note", data)) for participant, data in items]
    valid = [(participant, form) for participant, form in checked if form.is_valid()]
    stored = iter(
        actions.add_notes(
            notes=[
                actions.NewNote(
                    participant,
                    form.cleaned_data["text"],
                    form.cleaned_data["step"],
                    form.cleaned_data["shared"],
                )
                for participant, form in valid
            ]
        )
    )
    replies = []
    for participant, form in checked:
        if form.is_valid():
            result = next(stored)
            if not isinstance(result, ValidationError):
                replies.append(_saved("note", result, participant.session))
                continue
            apply_refusal(form, result)
        replies.append(_refused("note", form, participant))
    return replies


def _submit(
    request: HttpRequest, session: Session, participant: Participant, kind: str
) -> HttpResponse:
    submission = SUBMISSIONS[kind]
    form = submission.form(request.POST)
    if form.is_valid():
        try:
            submission.save(participant, form.cleaned_data)
        except ValidationError as refusal:
            apply_refusal(form, refusal)
            session.refresh_from_db()
        else:
            messages.success(request, str(submission.done))
            return redirect("dialog:participant", code=session.code)
    return _page(request, session, participant, form=form, status=400)


@require_POST
@_participant
def add_note(request: HttpRequest, session: Session, participant: Participant) -> HttpResponse:
    return _submit(request, session, participant, "note")


@require_POST
@_participant
def share_note(
    request: HttpRequest, session: Session, participant: Participant, note_id: int
) -> HttpResponse:
    note = participant.notes.filter(pk=note_id).first()
    if note is None:
        messages.error(request, _("That note is not yours."))
    else:
        shared = request.POST.get("shared") == "1"
        try:
            actions.share_note(participant=participant, note=note, shared=shared)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request, _("Shared with your table.") if shared else _("No longer shared.")
            )
    return redirect("dialog:participant", code=session.code)


@require_POST
@_participant
def save_answer(request: HttpRequest, session: Session, participant: Participant) -> HttpResponse:
    return _submit(request, session, participant, "answer")


@require_POST
@_participant
def add_factor(request: HttpRequest, session: Session, participant: Participant) -> HttpResponse:
    return _submit(request, session, participant, "factor")
