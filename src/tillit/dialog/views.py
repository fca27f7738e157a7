"""The facilitator's pages: create a session, steer it live, moderate answers, show the big
screen. Every page is for the session's facilitator only (others get "not found")."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tillit.dialog import actions, fragments, queries
from tillit.dialog.forms import SessionForm, apply_refusal
from tillit.dialog.models import Session
from tillit.dialog.states import FactorStatus, steps_of
from tillit.organisation.models import Person


def _facilitated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, session_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            session = queries.session_for_facilitator(cast(Person, request.user), session_id)
        except queries.SessionNotFound as error:
            raise Http404 from error
        return view(request, session, *args, **kwargs)

    return wrapper


def _refused(request: HttpRequest, refusal: ValidationError) -> None:
    messages.error(request, " ".join(refusal.messages))


def join_url(request: HttpRequest, session: Session) -> str:
    return request.build_absolute_uri(f"{reverse('dialog:join')}?kod={session.code}")


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    return cast(bytes, image.to_string()).decode()


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = cast(Person, request.user)
    return render(
        request,
        "dialog/mine.html",
        {
            "sessions": queries.sessions_of(person),
            "proposals": queries.proposals_for_manager(person).filter(decided_at__isnull=True),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = actions.create_session(
                facilitator=cast(Person, request.user),
                title=data["title"],
                template=data["template"],
                questions=data["questions"],
                minutes=data["minutes"],
                factors_per_table=data["factors_per_table"],
                table_names=data["table_names"],
            )
        except ValidationError as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("The session is ready. Participants join with the code %(code)s.")
                % {"code": session.code},
            )
            return redirect("dialog:control", session_id=session.pk)
    return render(
        request,
        "dialog/create.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@_facilitated
def control(request: HttpRequest, session: Session) -> HttpResponse:
    tables = queries.tables_of(session)
    return render(
        request,
        "dialog/control.html",
        {
            **fragments.deadline_context(session),
            "tables": tables,
            "all_tables": [t.table for t in tables],
            "factors": [f for t in tables for f in t.factors],
            "join_url": join_url(request, session),
            "steps": steps_of(session.template),
            "FactorStatus": FactorStatus,
            "people": sum(len(t.people) for t in tables),
            "progress": queries.progress_of(session),
        },
    )


@require_POST
@_facilitated
def next_step(request: HttpRequest, session: Session) -> HttpResponse:
    try:
        from_step = int(request.POST.get("from_step", ""))
        actions.advance_step(session=session, by=cast(Person, request.user), from_step=from_step)
    except ValueError:
        messages.error(request, _("The page was out of date; nothing was changed."))
    except ValidationError as refusal:
        _refused(request, refusal)
    return redirect("dialog:control", session_id=session.pk)


@require_POST
@_facilitated
def reveal(request: HttpRequest, session: Session) -> HttpResponse:
    revealed = request.POST.get("revealed") == "1"
    actions.set_revealed(session=session, by=cast(Person, request.user), revealed=revealed)
    messages.success(
        request,
        _("The results are shown on the big screen.")
        if revealed
        else _("The results are hidden on the big screen."),
    )
    return redirect("dialog:control", session_id=session.pk)


@require_POST
@_facilitated
def finish(request: HttpRequest, session: Session) -> HttpResponse:
    actions.finish_session(session=session, by=cast(Person, request.user))
    messages.success(request, _("The session has ended. The results are kept."))
    return redirect("dialog:control", session_id=session.pk)


@require_POST
@_facilitated
def moderate(request: HttpRequest, session: Session, factor_id: int) -> HttpResponse:
    by = cast(Person, request.user)
    factor = session.factors.filter(pk=factor_id).first()
    if factor is None:
        raise Http404
    operation = request.POST.get("op", "")
    try:
        if operation == "pin":
            actions.pin_factor(factor=factor, by=by)
        elif operation in ("unpin", "restore"):
            actions.pin_factor(factor=factor, by=by, pinned=False)
        elif operation == "remove":
            actions.remove_factor(factor=factor, by=by)
        elif operation == "merge":
            into = session.factors.filter(pk=request.POST.get("into") or 0).first()
            if into is None:
                messages.error(request, _("Choose the answer to merge it into."))
                return redirect("dialog:control", session_id=session.pk)
            actions.merge_factor(factor=factor, into=into, by=by)
        else:
            messages.error(request, _("Unknown choice."))
    except ValidationError as refusal:
        _refused(request, refusal)
    return redirect(f"{reverse('dialog:control', args=[session.pk])}#factors")


@require_POST
@_facilitated
def move(request: HttpRequest, session: Session) -> HttpResponse:
    participant = session.participants.filter(pk=request.POST.get("participant") or 0).first()
    table = session.tables.filter(pk=request.POST.get("table") or 0).first()
    if participant is None or table is None:
        messages.error(request, _("Choose a person and a table."))
    else:
        try:
            actions.move_participant(
                session=session, participant=participant, table=table, by=cast(Person, request.user)
            )
        except ValidationError as refusal:
            _refused(request, refusal)
        else:
            messages.success(
                request,
                _("%(person)s now sits at %(table)s.")
                % {"person": participant, "table": table.name},
            )
    return redirect(f"{reverse('dialog:control', args=[session.pk])}#tables")


@never_cache
@_facilitated
def screen(request: HttpRequest, session: Session) -> HttpResponse:
    url = join_url(request, session)
    return render(
        request,
        "dialog/screen.html",
        {**fragments.screen_context(session), "join_url": url, "qr": qr_svg(url)},
    )


@never_cache
@_facilitated
def control_live(request: HttpRequest, session: Session) -> HttpResponse:
    """The polling fallback of the facilitator's live overview."""
    return HttpResponse(fragments.render_control(session))


@never_cache
@_facilitated
def screen_live(request: HttpRequest, session: Session) -> HttpResponse:
    return HttpResponse(fragments.render_screen(session))
