"""The triage form: a case type, what to do with the e-mail, and the text that goes with it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillit.catalogue.models import CaseType
from tillit.mailbox.states import TriageOutcome

MESSAGE_FIELDS = {"message", "body", "expected", "done", "reason", "resolution"}


class TriageForm(forms.Form):
    case_type = forms.TypedChoiceField(
        label=_("Case type"), coerce=int, required=False, empty_value=None
    )
    outcome = forms.ChoiceField(
        label=_("What happens now"),
        choices=TriageOutcome.choices,
        widget=forms.RadioSelect,
        initial=TriageOutcome.REPLY,
        error_messages={"required": _("Choose what happens with the e-mail.")},
    )
    message = forms.CharField(
        label=_("Answer to the citizen, or message to the receiving administration"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
        help_text=_(
            "Answer and close, or answer and wait: sent by e-mail to the sender. "
            "Hand over: what the administration is expected to do."
        ),
    )

    def __init__(self, *args: Any, case_types: list[CaseType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case_types = {case_type.pk: case_type for case_type in case_types}
        groups: dict[str, list[tuple[int, str]]] = {}
        for case_type in case_types:
            groups.setdefault(case_type.administration.name, []).append(
                (case_type.pk, case_type.name)
            )
        field = self.fields["case_type"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose a case type")), *groups.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") != TriageOutcome.DISCARD and not data.get("case_type"):
            self.add_error("case_type", _("Choose a case type."))
        return data

    def chosen_type(self) -> CaseType | None:
        chosen = self.cleaned_data.get("case_type")
        return self.case_types.get(chosen) if chosen else None

    def add_refusal(self, error: ValidationError) -> None:
        """Show an action's refusal beside the field it concerns (the rest above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = field if field in self.fields else None
            if field in MESSAGE_FIELDS:
                target = "message"
            for item in errors:
                self.add_error(target, item)
