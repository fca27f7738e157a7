"""The participants' pages: no account. The join form sets a secret cookie per session; every
later page finds the participant by it. Pages work without JavaScript (plain forms and a
reload link); dialog.js adds the countdown and live updates over a websocket or by polling."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tillit.dialog import actions, fragments, queries
from tillit.dialog.forms import AnswerForm, FactorForm, JoinForm, NoteForm, apply_refusal
from tillit.dialog.models import Participant, Session
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
        **fragments.participant_context(participant),
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


def _submit(
    request: HttpRequest,
    session: Session,
    participant: Participant,
    form_class: type,
    save: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as refusal:
            apply_refusal(form, refusal)
            session.refresh_from_db()
        else:
            messages.success(request, done)
            return redirect("dialog:participant", code=session.code)
    return _page(request, session, participant, form=form, status=400)


@require_POST
@_participant
def add_note(request: HttpRequest, session: Session, participant: Participant) -> HttpResponse:
    return _submit(
        request,
        session,
        participant,
        NoteForm,
        lambda data: actions.add_note(
            participant=participant, text=data["text"], step=data["step"], shared=data["shared"]
        ),
        _("Your note is saved."),
    )


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
    return _submit(
        request,
        session,
        participant,
        AnswerForm,
        lambda data: actions.save_table_answer(
            participant=participant, text=data["text"], step=data["step"]
        ),
        _("Your table's answer is saved."),
    )


@require_POST
@_participant
def add_factor(request: HttpRequest, session: Session, participant: Participant) -> HttpResponse:
    return _submit(
        request,
        session,
        participant,
        FactorForm,
        lambda data: actions.add_success_factor(
            participant=participant, text=data["text"], step=data["step"]
        ),
        _("The success factor is sent."),
    )
