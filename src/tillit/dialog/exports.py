"""Afterwards: the results as CSV (per table and overall), a printable summary, and answers
turned into action items for a workplace meeting or improvement proposals a manager answers."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tillit.dialog import actions, queries
from tillit.dialog.forms import ActionItemForm, DecisionForm, ProposalForm, apply_refusal
from tillit.dialog.models import Session
from tillit.dialog.queries import TableView
from tillit.dialog.states import steps_of
from tillit.dialog.views import _facilitated
from tillit.organisation.models import Person

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A spreadsheet must never run a cell as a formula (CSV injection): such cells get a quote."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def result_rows(session: Session, tables: Iterable[TableView]) -> Iterator[list[str]]:
    steps = steps_of(session.template)

    def step_name(number: int) -> str:
        return str(steps[number - 1].name) if 1 <= number <= len(steps) else str(number)

    yield [_("Table"), _("Step"), _("Kind"), _("Text"), _("Status")]
    for view in tables:
        name = view.table.name
        for note in view.shared_notes:
            yield [name, step_name(1), _("Shared note"), note.text, ""]
        for answer in view.answers:
            yield [name, step_name(answer.step), _("Joint answer"), answer.text, ""]
        for factor in view.factors:
            status = str(factor.get_status_display())
            if factor.merged_into_id:
                status = _("merged into: %(text)s") % {"text": factor.merged_into}
            yield [name, step_name(len(steps)), _("Success factor"), factor.text, status]


def _csv(filename: str, rows: Iterable[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark as UTF-8
    writer = csv.writer(response, delimiter=";")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response


@_facilitated
def session_csv(request: HttpRequest, session: Session) -> HttpResponse:
    tables = queries.tables_of(session)
    return _csv(f"dialog-{slugify(session.title)}.csv", result_rows(session, tables))


@_facilitated
def table_csv(request: HttpRequest, session: Session, table_id: int) -> HttpResponse:
    tables = [t for t in queries.tables_of(session) if t.table.pk == table_id]
    if not tables:
        raise Http404
    name = f"dialog-{slugify(session.title)}-{slugify(tables[0].table.name)}.csv"
    return _csv(name, result_rows(session, tables))


@_facilitated
def summary(request: HttpRequest, session: Session) -> HttpResponse:
    return render(
        request,
        "dialog/summary.html",
        {
            "session": session,
            "tables": queries.tables_of(session),
            "words": queries.word_frequencies(session, limit=20),
            "board": queries.factor_board(session),
            "action_items": session.action_items.select_related("owner"),
            "proposals": session.proposals.select_related("manager"),
            "steps": steps_of(session.template),
            "people": session.participants.count(),
        },
    )


@_facilitated
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, session: Session) -> HttpResponse:
    people = queries.people_to_choose()
    factor = session.factors.filter(
        pk=request.GET.get("faktor") or request.POST.get("factor") or 0
    ).first()
    initial: dict[str, Any] = {"text": factor.text if factor else ""}
    item_form = ActionItemForm(initial=initial, people=people, prefix="item")
    proposal_form = ProposalForm(initial=initial, people=people, prefix="proposal")
    by = cast(Person, request.user)
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "proposal":
                proposal_form = ProposalForm(request.POST, people=people, prefix="proposal")
                if proposal_form.is_valid():
                    data = proposal_form.cleaned_data
                    actions.create_proposal(
                        session=session,
                        by=by,
                        factor=factor,
                        text=data["text"],
                        manager=data["manager"],
                        answer_days=data["answer_days"],
                    )
                    messages.success(
                        request,
                        _("The proposal is sent to %(manager)s.") % {"manager": data["manager"]},
                    )
                    return redirect("dialog:summary", session_id=session.pk)
            else:
                item_form = ActionItemForm(request.POST, people=people, prefix="item")
                if item_form.is_valid():
                    data = item_form.cleaned_data
                    actions.create_action_item(
                        session=session,
                        by=by,
                        factor=factor,
                        text=data["text"],
                        owner=data["owner"],
                        due=data["due"],
                    )
                    messages.success(request, _("The action item is saved."))
                    return redirect("dialog:summary", session_id=session.pk)
        except ValidationError as refusal:
            apply_refusal(
                proposal_form if request.POST.get("kind") == "proposal" else item_form, refusal
            )
    status = 400 if item_form.errors or proposal_form.errors else 200
    return render(
        request,
        "dialog/follow_up.html",
        {
            "session": session,
            "factor": factor,
            "item_form": item_form,
            "proposal_form": proposal_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    person = cast(Person, request.user)
    try:
        proposal = queries.proposal_for_manager(person, proposal_id)
    except queries.SessionNotFound as error:
        raise Http404 from error
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_proposal(
                proposal=proposal,
                by=person,
                status=form.cleaned_data["status"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("Your answer is saved."))
            return redirect("dialog:mine")
    return render(
        request,
        "dialog/decide.html",
        {"proposal": proposal, "form": form},
        status=400 if form.errors else 200,
    )
