"""Forms: they parse and explain in Swedish what was wrong; the actions decide."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.feedback.states import CoCreation
from tillit.organisation.models import Person, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TREATMENT = [
    (5, _("5 – Very good")),
    (4, _("4 – Good")),
    (3, _("3 – Neither good nor bad")),
    (2, _("2 – Bad")),
    (1, _("1 – Very bad")),
]
GOT_HELP = [
    (5, _("5 – Yes, completely")),
    (4, _("4 – Mostly")),
    (3, _("3 – Partly")),
    (2, _("2 – Hardly")),
    (1, _("1 – No, not at all")),
]
EASE = [
    (5, _("5 – Very easy")),
    (4, _("4 – Easy")),
    (3, _("3 – Neither easy nor hard")),
    (2, _("2 – Hard")),
    (1, _("1 – Very hard")),
]


def _scale(
    label: StrOrPromise, choices: Sequence[tuple[int, StrOrPromise]], required: StrOrPromise
) -> forms.TypedChoiceField:
    """One survey question: five answers from best to worst, as radio buttons."""
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required},
    )


class SurveyForm(forms.Form):
    treatment = _scale(_("How were you treated?"), TREATMENT, _("Choose how you were treated."))
    got_help = _scale(
        _("Did you get the help you needed?"), GOT_HELP, _("Choose whether you got help.")
    )
    ease = _scale(_("How easy was it to get help?"), EASE, _("Choose how easy it was."))
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Please write no names or personal identity numbers. Personal data is removed "
            "automatically before anyone reads your comment."
        ),
    )
    wants_contact = forms.BooleanField(
        label=_("I am not satisfied and would like to be contacted"), required=False
    )
    contact = forms.CharField(
        label=_("How can we reach you? (phone or e-mail, optional)"),
        required=False,
        max_length=200,
        help_text=_("Leave empty and we use the details in your case."),
    )


class ReflectionForm(forms.Form):
    co_created = forms.ChoiceField(
        label=_("Did we create the value together with the citizen?"),
        choices=CoCreation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer.")},
    )
    citizen_part = forms.CharField(
        label=_("What would have helped on the citizen's side?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    our_part = forms.CharField(
        label=_("What would have helped on our side?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppreciationForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("To"),
        queryset=Person.objects.none(),
        empty_label=_("Choose a colleague"),
        error_messages={"required": _("Choose who the appreciation is for.")},
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words on what went well. At most 500 characters."),
        error_messages={"required": _("Write a few words.")},
    )
    submission_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, colleagues: list[Person], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission_key", secrets.token_urlsafe(24))
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Person.objects.filter(pk__in=[p.pk for p in colleagues])  # type: ignore[attr-defined]


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what was done, for the case log.")},
    )


class SurveySettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send surveys after closing"), required=False)
    share_percent = forms.IntegerField(
        label=_("Share of closed cases surveyed (%)"), min_value=0, max_value=100
    )
    delay_hours = forms.IntegerField(
        label=_("Delay after closing (hours)"), min_value=0, max_value=720
    )
    valid_days = forms.IntegerField(label=_("Link valid for (days)"), min_value=1, max_value=90)


MUNICIPALITY = "kommun"


def default_period() -> tuple[date, date]:
    """The last twelve months: from the first of the month eleven months ago up to today."""
    today = timezone.localdate()
    return (today.replace(day=1) - timedelta(days=335)).replace(day=1), today


class DashboardFilter(forms.Form):
    enhet = forms.ChoiceField(label=_("Unit"), required=False)
    fran = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enhet"].choices = [  # type: ignore[attr-defined]
            (MUNICIPALITY, _("The whole municipality")),
            *((str(u.pk), f"{u.parent.name} – {u.name}" if u.parent else u.name) for u in units),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default_first, default_last = default_period()
        first: date = data.get("fran") or default_first
        last: date = data.get("till") or default_last
        if first > last:
            self.add_error("fran", _("The start date must be on or before the end date."))
        elif (last - first).days > 366 * 5:
            self.add_error("fran", _("Choose at most five years at a time."))
        data["fran"], data["till"] = first, last
        return data
