"""Forms parse; actions decide. Limits here match the models so a browser shows them early."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.dialog.models import MAX_ANSWER, MAX_FACTOR, MAX_NAME, MAX_NOTE
from tillit.dialog.states import ProposalStatus, Template
from tillit.organisation.models import Person


def apply_refusal(form: forms.Form, refusal: ValidationError) -> None:
    """Put an action's refusal on the form's field of the same name, or on the whole form."""
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal)
        return
    for field, errors in refusal.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    template = forms.ChoiceField(
        label=_("Template"),
        choices=Template.choices,
        widget=forms.RadioSelect,
        initial=Template.THREE_STEPS,
    )
    questions = forms.CharField(
        label=_("Questions, one per step and line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty for the template's questions."),
    )
    minutes = forms.CharField(
        label=_("Minutes per step"),
        required=False,
        max_length=60,
        help_text=_("For example 5, 15, 10. Leave empty for the template's durations."),
    )
    factors_per_table = forms.IntegerField(
        label=_("Success factors per table"), min_value=1, max_value=10, initial=3
    )
    table_names = forms.CharField(
        label=_("Table names, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty for the usual names (Eldkvarn, Strömmen, …)."),
    )

    def clean_minutes(self) -> list[int]:
        text = self.cleaned_data["minutes"]
        try:
            return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError as error:
            raise ValidationError(
                _("Write whole minutes separated by commas, for example 5, 15, 10.")
            ) from error

    def clean_questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines()]

    def clean_table_names(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["table_names"].splitlines() if line.strip()
        ]


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
        help_text=_("The code shown on the big screen."),
    )
    name = forms.CharField(label=_("Your name"), max_length=MAX_NAME, required=False)
    anonymous = forms.BooleanField(label=_("Take part anonymously"), required=False)


class StepTextForm(forms.Form):
    """A text written for one step; the action refuses it if the step has passed. The length
    limit is the action's, so an over-long text gets the same message from every client."""

    step = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    limit = MAX_NOTE
    text = forms.CharField(label=_("Your text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = str(self.limit)
        # The action's own words, so an empty text reads the same from the page and the socket.
        self.fields["text"].error_messages["required"] = _(
            "Write something first: the text is empty."
        )


class NoteForm(StepTextForm):
    limit = MAX_NOTE
    text = forms.CharField(label=_("My note"), widget=forms.Textarea(attrs={"rows": 3}))
    shared = forms.BooleanField(label=_("Share with my table"), required=False)


class AnswerForm(StepTextForm):
    limit = MAX_ANSWER
    text = forms.CharField(
        label=_("Our table's joint answer"), widget=forms.Textarea(attrs={"rows": 4})
    )


class FactorForm(StepTextForm):
    limit = MAX_FACTOR
    text = forms.CharField(label=_("A success factor from our table"))


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), max_length=MAX_FACTOR)
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("action item", "Owner"), queryset=Person.objects.none()
    )
    due = forms.DateField(
        label=pgettext_lazy("action item", "Due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class ProposalForm(forms.Form):
    text = forms.CharField(label=_("Proposal"), max_length=MAX_FACTOR)
    manager = forms.ModelChoiceField(label=_("Manager who answers"), queryset=Person.objects.none())
    answer_days = forms.IntegerField(
        label=_("Answer within (working days)"), min_value=1, max_value=90, initial=10
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = people  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(s.value, s.label) for s in ProposalStatus if s != ProposalStatus.SUBMITTED],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("Reasons and what happens next"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2_000,
    )
