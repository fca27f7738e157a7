"""Pages of the feedback capability: thin views over one query and one action each."""

from __future__ import annotations

import csv
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tillit.cases.queries import Access, access_to, get_case_for
from tillit.core.redirects import next_url
from tillit.feedback import actions, dashboard, measures, queries
from tillit.feedback.forms import (
    MUNICIPALITY,
    AppreciationForm,
    DashboardFilter,
    FollowUpDoneForm,
    ReflectionForm,
    SurveyForm,
    SurveySettingsForm,
    default_period,
)
from tillit.feedback.qr import qr_svg
from tillit.feedback.states import SurveyStatus
from tillit.feedback.throttle import allow
from tillit.organisation.models import Person, Unit
from tillit.organisation.queries import managed_unit_ids


def _person(request: HttpRequest) -> Person:
    assert isinstance(request.user, Person)
    return request.user


def _field_errors(form: Any, error: ValidationError) -> None:
    """Put an action's refusal on the field it names, or on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the citizen's survey -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    if not allow(request, "survey", limit=60, seconds=600):
        return render(request, "feedback/survey_state.html", {"state": "throttled"}, status=429)
    found = queries.survey_for_token(token)
    if found.status == SurveyStatus.ANSWERED:
        return render(request, "feedback/survey_state.html", {"state": "answered"})
    expired = found.expires_at is None or found.expires_at <= timezone.now()
    if found.status == SurveyStatus.EXPIRED or expired:
        return render(request, "feedback/survey_state.html", {"state": "expired"}, status=410)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_survey(token=token, **form.cleaned_data)
        except ValidationError as error:
            if error.code in {"answered", "expired"}:
                return render(request, "feedback/survey_state.html", {"state": error.code})
            _field_errors(form, error)
        else:
            return redirect("feedback:survey_thanks")
    return render(
        request,
        "feedback/survey.html",
        {"form": form, "expires_at": found.expires_at},
        status=400 if form.errors else 200,
    )


def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/survey_state.html", {"state": "thanks"})


# --- dashboards ---------------------------------------------------------------------------------


def _scope(request: HttpRequest) -> tuple[DashboardFilter, measures.Scope | None, Unit | None]:
    person = _person(request)
    if not queries.may_see_figures(person):
        raise PermissionDenied
    units = queries.dashboard_units()
    data = request.GET.copy()
    if not data.get("enhet"):
        home = queries.home_unit(person)
        data["enhet"] = str(home.pk) if home else MUNICIPALITY
    first, last = default_period()
    data.setdefault("fran", first.isoformat())
    data.setdefault("till", last.isoformat())
    form = DashboardFilter(data, units=units)
    if not form.is_valid():
        return form, None, None
    choice = form.cleaned_data["enhet"] or MUNICIPALITY
    unit = next((u for u in units if str(u.pk) == choice), None)
    scope = measures.Scope(
        units=queries.unit_with_descendants(unit) if unit else None,
        first_day=form.cleaned_data["fran"],
        last_day=form.cleaned_data["till"],
    )
    return form, scope, unit


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form, scope, unit = _scope(request)
    context: dict[str, Any] = {"form": form, "unit": unit, "run": measures.last_run()}
    if scope is not None:
        context["charts"] = dashboard.build(scope, municipality=unit is None)
        context["query"] = form.data.urlencode()  # type: ignore[attr-defined]
        if unit is not None and queries.may_read_comments(_person(request), unit):
            context["comments"] = queries.comments_for(
                scope.units or frozenset(), scope.first_day, scope.last_day
            )
            context["may_configure"] = unit.pk in managed_unit_ids(_person(request))
    return render(request, "feedback/dashboard.html", context, status=200 if scope else 400)


_CSV_DANGER = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell as text for a spreadsheet: numbers with a decimal comma, and text that a
    spreadsheet would run as a formula (=, +, -, @) prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_CSV_DANGER) else text


@login_required
def export(request: HttpRequest, key: str) -> HttpResponseBase:
    form, scope, unit = _scope(request)
    if scope is None:
        return render(request, "feedback/dashboard.html", {"form": form}, status=400)
    chart = next(
        (c for c in dashboard.build(scope, municipality=unit is None) if c.key == key), None
    )
    if chart is None:
        return HttpResponse(status=404)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    code = re.sub(r"[^A-Za-z0-9_-]", "", unit.code) if unit else "kommun"
    name = f"{key}_{code}_{scope.first_day}_{scope.last_day}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow([csv_cell(c) for c in chart.columns])
    for row in chart.rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    person = _person(request)
    if unit.pk not in managed_unit_ids(person):
        raise PermissionDenied
    current = queries.survey_settings_for(unit.pk)
    initial = {
        "enabled": current.enabled,
        "share_percent": current.share_percent,
        "delay_hours": current.delay_hours,
        "valid_days": current.valid_days,
    }
    form = SurveySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.configure_surveys(unit=unit, by=person, **form.cleaned_data)
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(
                request, _("The survey settings of %(unit)s are saved.") % {"unit": unit}
            )
            return redirect(f"{reverse('feedback:dashboard')}?enhet={unit.pk}")
    return render(request, "feedback/survey_settings.html", {"form": form, "unit": unit})


# --- follow-ups ---------------------------------------------------------------------------------


def _follow_up_forms(
    items: list[Any], failed: int | None = None, failed_form: FollowUpDoneForm | None = None
) -> list[tuple[Any, FollowUpDoneForm]]:
    """One form per follow-up, each with its own field ids so every label finds its field."""
    return [
        (
            item,
            failed_form
            if failed_form is not None and item.pk == failed
            else FollowUpDoneForm(auto_id=f"fu{item.pk}_%s"),
        )
        for item in items
    ]


@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    items = queries.open_follow_ups(_person(request))
    return render(request, "feedback/follow_ups.html", {"follow_ups": _follow_up_forms(items)})


@login_required
@require_POST
def complete_follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    person = _person(request)
    follow_up = queries.follow_up_for(person, follow_up_id)
    form = FollowUpDoneForm(request.POST, auto_id=f"fu{follow_up.pk}_%s")
    if form.is_valid():
        try:
            actions.complete_follow_up(
                follow_up=follow_up, by=person, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("The follow-up is done and noted in the case log."))
            return redirect(next_url(request, reverse("feedback:follow_ups")))
    items = _follow_up_forms(queries.open_follow_ups(person), follow_up.pk, form)
    return render(request, "feedback/follow_ups.html", {"follow_ups": items}, status=400)


# --- reflection ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reflect(request: HttpRequest, case_id: int) -> HttpResponse:
    person = _person(request)
    case = get_case_for(person, case_id, where="feedback")
    if access_to(person, case) != Access.WORK:
        raise PermissionDenied
    own = queries.reflection_by(case, person)
    initial = (
        {"co_created": own.co_created, "citizen_part": own.citizen_part, "our_part": own.our_part}
        if own
        else None
    )
    form = ReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_reflection(case=case, by=person, **form.cleaned_data)
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(
                request, _("Thank you for your reflection. It is shared with your team.")
            )
            return redirect(next_url(request, reverse("feedback:reflections")))
    return render(
        request,
        "feedback/reflect.html",
        {"form": form, "case": case, "own": own},
        status=400 if form.errors else 200,
    )


@login_required
def reflections(request: HttpRequest) -> HttpResponse:
    items = queries.team_reflections(_person(request))
    return render(request, "feedback/reflections.html", {"reflections": items})


# --- appreciation -------------------------------------------------------------------------------


@login_required
def appreciation_feed(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    return render(
        request,
        "feedback/appreciation_feed.html",
        {
            "received": queries.appreciation_received(person),
            "sent": queries.appreciation_sent(person),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appreciate(request: HttpRequest, case_id: int) -> HttpResponse:
    person = _person(request)
    case = get_case_for(person, case_id, where="feedback")
    colleagues = queries.colleagues_on(case, person)
    form = AppreciationForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        try:
            sent = actions.send_appreciation(case=case, by=person, **form.cleaned_data)
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(
                request,
                _("Your appreciation has been sent to %(person)s.") % {"person": sent.receiver},
            )
            return redirect(next_url(request, reverse("feedback:appreciation")))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "feedback/appreciate.html",
        {"form": form, "case": case, "colleagues": colleagues},
        status=status,
    )


# --- receipt with a survey link -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest, case_id: int) -> HttpResponse:
    person = _person(request)
    case = get_case_for(person, case_id, where="feedback")
    context: dict[str, Any] = {"case": case, "survey": queries.survey_of(case)}
    if request.method == "POST":
        try:
            token = actions.issue_receipt_link(case=case, by=person)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(request, "feedback/receipt.html", context, status=400)
        link = actions.survey_link(token)
        context.update(
            link=link,
            qr=qr_svg(link, label=_("QR code for the survey link")),
            survey=queries.survey_of(case),
        )
    elif access_to(person, case) != Access.WORK:
        raise PermissionDenied
    return render(request, "feedback/receipt.html", context)
