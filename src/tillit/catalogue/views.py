"""Staff pages of the catalogue: the list and a type with its versions for everyone; the draft,
publishing and notices for the administration's contact persons; a case's checklist ticks and
questions to a neighbour. Each view parses a form, calls one gateway and one action."""

from __future__ import annotations

import json
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tillit.cases.queries import CaseNotFound, get_case_for
from tillit.cases.views import REFUSED, perform, person_of
from tillit.catalogue import actions, io, queries, service
from tillit.catalogue.documentation import required_facts
from tillit.catalogue.forms import (
    AnswerForm,
    AskForm,
    ImportForm,
    ItemForm,
    NotApplicableForm,
    NoticeForm,
    PublishForm,
    SearchForm,
    ServiceDescriptionForm,
)
from tillit.catalogue.models import CaseType, ChecklistItem, Question
from tillit.core.redirects import next_url


def _first_error(form: django_forms.Form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Nothing was changed.")


# --- the catalogue -----------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "catalogue/index.html",
        {
            "form": form,
            "query": text,
            "case_types": queries.case_types_for(person, text),
            "editable": queries.contact_person_units(person),
            "is_administrator": queries.is_administrator(person),
            "keeps": queries.keeps_catalogue(person),
        },
    )


@login_required
@require_GET
def case_type(request: HttpRequest, case_type_id: int) -> HttpResponse:
    person = person_of(request)
    try:
        found = queries.get_case_type(case_type_id)
    except queries.NotFound:
        raise Http404 from None
    return render(
        request,
        "catalogue/case_type.html",
        {
            "case_type": found,
            "versions": queries.versions_of(found),
            "may_edit": queries.may_edit(person, found.administration_id),
            "questions": queries.answered_questions_of(found),
            "required_facts": required_facts(found.documentation_level),
        },
    )


def _described(case_type_id: int) -> service.ServiceDescription:
    try:
        return service.describe(queries.get_case_type(case_type_id))
    except queries.NotFound:
        raise Http404 from None


@login_required
@require_GET
def service_description(request: HttpRequest, case_type_id: int) -> HttpResponse:
    """The printable service description: what a provider needs to deliver the service."""
    return render(
        request, "catalogue/service_description.html", {"described": _described(case_type_id)}
    )


@login_required
@require_GET
def service_description_json(request: HttpRequest, case_type_id: int) -> HttpResponse:
    described = _described(case_type_id)
    return _download(
        json.dumps(described.as_json(), ensure_ascii=False, indent=2).encode(),
        "application/json",
        f"tjanstebeskrivning-{described.case_type.code}.json",
    )


@login_required
@require_POST
def start_draft(request: HttpRequest, case_type_id: int) -> HttpResponse:
    person = person_of(request)
    try:
        found = queries.get_case_type(case_type_id)
    except queries.NotFound:
        raise Http404 from None
    if not queries.may_edit(person, found.administration_id):
        raise Http404
    draft = actions.start_draft(case_type=found, by=person)
    return redirect("catalogue:draft", draft.pk)


def _render_draft(
    request: HttpRequest,
    version_id: int,
    *,
    add: ItemForm | None = None,
    publish: PublishForm | None = None,
    service: ServiceDescriptionForm | None = None,
    bound_item: tuple[int, ItemForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    try:
        draft = queries.editable_draft(person, version_id)
    except queries.NotFound:
        raise Http404 from None
    items = list(draft.items.order_by("position", "id"))
    rows = []
    for item in items:
        if bound_item is not None and bound_item[0] == item.pk:
            form = bound_item[1]
        else:
            form = ItemForm(
                prefix=f"item-{item.pk}",
                initial={
                    "text": item.text,
                    "guidance": item.guidance,
                    "link": item.link,
                    "required": item.required,
                    "required_from": item.required_from,
                },
            )
        rows.append((item, form))
    bound = (add, publish, service, bound_item[1] if bound_item else None)
    forms = [f for f in bound if f is not None]
    return render(
        request,
        "catalogue/draft.html",
        {
            "draft": draft,
            "case_type": draft.case_type,
            "rows": rows,
            "add_form": add or ItemForm(prefix="add"),
            "publish_form": publish or PublishForm(prefix="publish"),
            "service_form": service
            or ServiceDescriptionForm(
                prefix="service",
                initial={name: getattr(draft, name) for name in draft.SERVICE_FIELDS},
            ),
            "errors": [f for f in forms if f.errors],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, version_id: int) -> HttpResponse:
    """The draft's checklist and service description: change, move, remove and add items,
    change the description; publish the draft."""
    person = person_of(request)
    if request.method == "GET":
        return _render_draft(request, version_id)
    try:
        version = queries.editable_draft(person, version_id)
    except queries.NotFound:
        raise Http404 from None
    intent = request.POST.get("intent", "")
    if intent == "add":
        add = ItemForm(request.POST, prefix="add")
        if perform(add, lambda d: actions.add_item(version=version, by=person, **d)) is None:
            return _render_draft(request, version_id, add=add, status=REFUSED)
        messages.success(request, _("The item was added."))
    elif intent == "service":
        service_form = ServiceDescriptionForm(request.POST, prefix="service")
        changed = perform(
            service_form,
            lambda d: actions.change_service_description(version=version, by=person, **d),
        )
        if changed is None:
            return _render_draft(request, version_id, service=service_form, status=REFUSED)
        messages.success(request, _("The service description of the draft was saved."))
    elif intent == "publish":
        publish = PublishForm(request.POST, prefix="publish")
        done = perform(
            publish,
            lambda d: actions.publish_version(version=version, by=person, summary=d["summary"]),
        )
        if done is None:
            return _render_draft(request, version_id, publish=publish, status=REFUSED)
        messages.success(
            request,
            _("Version %(number)d is published. A change notice is drafted for you below.")
            % {"number": done.number},
        )
        return redirect("catalogue:notices")
    else:
        return _item_change(request, version_id, intent)
    return redirect("catalogue:draft", version_id)


def _item_change(request: HttpRequest, version_id: int, intent: str) -> HttpResponse:
    person = person_of(request)
    try:
        item = queries.editable_item(person, request.POST.get("item", ""))
    except queries.NotFound:
        raise Http404 from None
    if item.version_id != version_id:
        raise Http404
    if intent == "change":
        form = ItemForm(request.POST, prefix=f"item-{item.pk}")
        if perform(form, lambda d: actions.change_item(item=item, by=person, **d)) is None:
            return _render_draft(request, version_id, bound_item=(item.pk, form), status=REFUSED)
        messages.success(request, _("The item was changed."))
    elif intent == "remove":
        actions.remove_item(item=item, by=person)
        messages.success(request, _("The item was removed."))
    elif intent in ("up", "down"):
        actions.move_item(item=item, by=person, up=intent == "up")
    else:
        raise Http404
    return redirect("catalogue:draft", version_id)


# --- change notices ----------------------------------------------------------------------------


def _editable_types(request: HttpRequest) -> Any:
    person = person_of(request)
    types = CaseType.objects.filter(is_active=True).select_related("administration")
    if not queries.is_administrator(person):
        types = types.filter(administration_id__in=queries.contact_person_units(person))
    return types.order_by("administration__name", "name")


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    keeps = queries.keeps_catalogue(person)
    drafts = [
        (
            notice,
            NoticeForm(
                prefix=f"notice-{notice.pk}",
                case_types=_editable_types(request),
                initial={
                    "title": notice.title,
                    "body": notice.body,
                    "case_types": list(notice.case_types.all()),
                    "effective_from": notice.effective_from,
                },
            ),
        )
        for notice in (queries.draft_notices_for(person) if keeps else [])
    ]
    return render(
        request,
        "catalogue/notices.html",
        {
            "notices": queries.notices_for(person),
            "drafts": drafts,
            "new_form": NoticeForm(prefix="new", case_types=_editable_types(request))
            if keeps
            else None,
            "keeps": keeps,
            "errors": [],
        },
    )


@login_required
@require_POST
def publish_notice(request: HttpRequest) -> HttpResponse:
    """A new notice, or (with `notice`) the completion of a drafted one."""
    person = person_of(request)
    if not queries.keeps_catalogue(person):
        raise Http404
    drafted = request.POST.get("notice")
    notice = None
    if drafted:
        try:
            notice = queries.editable_notice(person, drafted)
        except queries.NotFound:
            raise Http404 from None
    prefix = f"notice-{notice.pk}" if notice else "new"
    form = NoticeForm(request.POST, prefix=prefix, case_types=_editable_types(request))

    def publish(data: dict[str, Any]) -> object:
        types = list(data["case_types"])
        if notice is not None:
            return actions.publish_drafted_notice(
                notice=notice,
                by=person,
                case_types=types,
                **{k: data[k] for k in ("title", "body", "effective_from")},
            )
        return actions.publish_notice(
            administration=types[0].administration,
            by=person,
            case_types=types,
            title=data["title"],
            body=data["body"],
            effective_from=data["effective_from"],
        )

    if perform(form, publish) is None:
        return render(
            request,
            "catalogue/notices.html",
            {
                "notices": queries.notices_for(person),
                "drafts": [(notice, form)] if notice else [],
                "new_form": form if notice is None else None,
                "keeps": True,
                "errors": [form],
            },
            status=REFUSED,
        )
    messages.success(request, _("The notice is published."))
    return redirect("catalogue:notices")


@login_required
@require_POST
def read_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    try:
        notice = queries.published_notice(notice_id)
    except queries.NotFound:
        raise Http404 from None
    actions.mark_notice_read(notice=notice, by=person_of(request))
    messages.success(request, _("Marked as read."))
    return redirect(next_url(request, reverse("catalogue:notices")))


# --- a case's checklist and questions ----------------------------------------------------------


def _case_and_item(request: HttpRequest, case_id: int, item_id: int) -> tuple[Any, ChecklistItem]:
    try:
        case = get_case_for(person_of(request), case_id, where="checklist")
    except CaseNotFound:
        raise Http404 from None
    item = ChecklistItem.objects.filter(pk=item_id, version_id=case.case_type_version_id).first()
    if item is None:
        raise Http404
    return case, item


def _case_url(case_id: int, anchor: str) -> str:
    return reverse("cases:case", args=[case_id]) + anchor


@login_required
@require_POST
def tick(request: HttpRequest, case_id: int, item_id: int, state: str) -> HttpResponse:
    """Mark an item done (`klar`), not applicable with a reason (`ej-aktuell`) or open again."""
    person = person_of(request)
    case, item = _case_and_item(request, case_id, item_id)
    try:
        if state == "klar":
            actions.mark_item_done(case=case, item=item, by=person)
        elif state == "ej-aktuell":
            form = NotApplicableForm(request.POST, prefix=f"na-{item.pk}")
            if not form.is_valid():
                messages.error(request, _first_error(form))
                return redirect(_case_url(case_id, f"#punkt-{item.pk}"))
            actions.mark_item_not_applicable(
                case=case, item=item, by=person, reason=form.cleaned_data["reason"]
            )
        elif state == "oppna":
            actions.clear_mark(case=case, item=item, by=person)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_case_url(case_id, f"#punkt-{item.pk}"))


@login_required
@require_POST
def ask(request: HttpRequest, case_id: int) -> HttpResponse:
    person = person_of(request)
    try:
        case = get_case_for(person, case_id, where="question")
    except CaseNotFound:
        raise Http404 from None
    form = AskForm(request.POST, case=case, prefix="ask")
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(_case_url(case_id, "#fraga"))
    contacts = form.cleaned_data["to"] == "contacts"
    try:
        actions.ask_question(
            case=case,
            by=person,
            text=form.cleaned_data["text"],
            to_unit=case.case_type.administration if contacts else case.owner_unit,
            contact_persons_only=contacts,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_case_url(case_id, "#fraga"))
    messages.success(request, _("Your question is sent. The answer will show on the case."))
    return redirect(_case_url(case_id, "#logg"))


@login_required
@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    return render(
        request,
        "catalogue/questions.html",
        {
            "rows": [
                (q, AnswerForm(prefix=f"q-{q.pk}")) for q in queries.open_questions_for(person)
            ],
            "answers": queries.unseen_answers(person),
        },
    )


@login_required
@require_POST
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    person = person_of(request)
    try:
        question = queries.answerable_question(person, question_id)
    except queries.NotFound:
        raise Http404 from None
    form = AnswerForm(request.POST, prefix=f"q-{question.pk}")
    if perform(form, lambda d: actions.answer_question(question=question, by=person, **d)):
        messages.success(request, _("Your answer is on the case."))
        return redirect("catalogue:questions")
    return render(
        request,
        "catalogue/questions.html",
        {"rows": [(question, form)], "answers": [], "errors": [form]},
        status=REFUSED,
    )


@login_required
@require_POST
def promote(request: HttpRequest, question_id: int) -> HttpResponse:
    person = person_of(request)
    question = Question.objects.select_related("case_type").filter(pk=question_id).first()
    if question is None or not queries.may_edit(person, question.case_type.administration_id):
        raise Http404
    try:
        item = actions.promote_answer(question=question, by=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("catalogue:case_type", question.case_type_id)
    messages.success(request, _("The answer is an item of the draft. Publish it when ready."))
    return redirect(reverse("catalogue:draft", args=[item.version_id]) + f"#punkt-{item.pk}")


@login_required
@require_POST
def seen(request: HttpRequest, question_id: int) -> HttpResponse:
    person = person_of(request)
    try:
        question = queries.own_question(person, question_id)
    except queries.NotFound:
        raise Http404 from None
    try:
        actions.mark_answer_seen(question=question, by=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(next_url(request, reverse("accounts:start")))


# --- import and export -------------------------------------------------------------------------


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """The catalogue for Excel: `;`-separated UTF-8 with a BOM, formulas defused."""
    return _download(io.export_csv(), "text/csv; charset=utf-8", "arendetyper.csv")


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    return _download(io.export_json(), "application/json", "arendetyper.json")


@login_required
@require_http_methods(["GET", "POST"])
def import_catalogue(request: HttpRequest) -> HttpResponse:
    """Upload a catalogue file; every bad row is listed and nothing is imported, or all is."""
    person = person_of(request)
    if not queries.keeps_catalogue(person):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = actions.import_catalogue(
                data=upload.read(io.MAX_UPLOAD_BYTES + 1), filename=upload.name or "", by=person
            )
        except io.ImportRefused as refused:
            problems = refused.errors
        else:
            messages.success(
                request,
                _("Imported: %(created)d new case types, %(updated)d changed, %(same)d unchanged.")
                % {
                    "created": len(summary.created),
                    "updated": len(summary.updated),
                    "same": len(summary.unchanged),
                },
            )
            return redirect("catalogue:index")
    return render(
        request,
        "catalogue/import.html",
        {"form": form, "problems": problems, "errors": [form] if form.errors else []},
        status=REFUSED if form.errors or problems else 200,
    )
