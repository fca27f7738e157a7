"""Forms parse input; the rules are in actions (and booking), which answer field by field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from tillit.team.states import AbsenceKind, DayPart

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_refusal(form: forms.Form, error: ValidationError) -> None:
    """Put an action's refusal on the form: on its field when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields or field == NON_FIELD_ERRORS else None
        for item in errors:
            form.add_error(target, item)


def submit(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[..., object],
    success: str,
    to: str,
) -> HttpResponse | None:
    """Validate, call the action with the form's data, say so and redirect; or None (re-render
    the form, which now carries the action's refusal field by field)."""
    if not form.is_valid():
        return None
    try:
        action(**form.cleaned_data)
    except ValidationError as refusal:
        apply_refusal(form, refusal)
        return None
    messages.success(request, success)
    return redirect(to)


def _note(rows: int, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=_("Private note (only you see it)"),
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=5000,
        help_text=help_text,
    )


class PeriodForm(forms.Form):
    """Step one of booking: what and when."""

    kind = forms.ChoiceField(
        label=_("What kind of absence?"),
        choices=AbsenceKind.choices,
        initial=AbsenceKind.REFLECTION,
        widget=forms.RadioSelect,
    )
    first_day = forms.DateField(label=_("Day (first day)"), widget=DATE)
    last_day = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DATE,
        help_text=_("Only for an absence of several days; a reflection day is one day."),
    )
    part = forms.ChoiceField(
        label=_("Part of the day"),
        choices=DayPart.choices,
        initial=DayPart.WHOLE,
        widget=forms.RadioSelect,
    )


class BookingForm(PeriodForm):
    """Step two: who covers, what the auto-reply says, and a private note."""

    cover = forms.IntegerField(label=_("Covering colleague"), required=False)
    reply_sv = forms.CharField(
        label=_("Auto-reply in Swedish"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=5000,
    )
    reply_en = forms.CharField(
        label=_("Auto-reply in English"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=5000,
    )
    note = _note(3, _("For example what you want to think through or read that day."))
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "first_day", "last_day", "part"):
            self.fields[name].widget = forms.HiddenInput()


class RepliesForm(forms.Form):
    reply_sv = BookingForm.base_fields["reply_sv"]
    reply_en = BookingForm.base_fields["reply_en"]


class NoteForm(forms.Form):
    note = _note(5)


class InsightForm(forms.Form):
    insight = forms.CharField(
        label=_("An insight to share with the team"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("Shown on your units' team pages with your name. Empty it to take it back."),
    )


class RulesForm(forms.Form):
    min_present = forms.IntegerField(
        label=_("At least this many present"),
        min_value=0,
        max_value=999,
        help_text=_("A planned absence that would leave fewer colleagues present is refused."),
    )
    hero_rota = forms.BooleanField(label=_("The unit has a hero of the week"), required=False)


class ChoreForm(forms.Form):
    title = forms.CharField(label=_("Chore"), max_length=120)


class SwapForm(forms.Form):
    my_week = forms.ChoiceField(label=_("Your week"))
    their_week = forms.ChoiceField(label=_("The colleague's week you would take"))
    message = forms.CharField(label=_("Message (optional)"), required=False, max_length=300)

    def __init__(
        self,
        *args: Any,
        mine: list[tuple[str, str]],
        theirs: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["my_week"].choices = mine  # type: ignore[attr-defined]
        self.fields["their_week"].choices = theirs  # type: ignore[attr-defined]
