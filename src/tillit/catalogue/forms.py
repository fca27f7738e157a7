"""Forms of the catalogue pages. They parse input; the rules are in `catalogue.actions`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.cases.models import Case
from tillit.catalogue.io import MAX_UPLOAD_BYTES, too_large_message
from tillit.catalogue.models import CaseType, DocumentationLevel

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or keyword"), required=False, max_length=100)


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Item"), max_length=300)
    guidance = forms.CharField(label=_("Guidance"), required=False, widget=TEXTAREA)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    required = forms.BooleanField(
        label=_("Required before the case may close"), required=False, initial=True
    )
    required_from = forms.TypedChoiceField(
        label=_("Required from documentation level"),
        choices=DocumentationLevel.choices,
        required=False,
        empty_value=DocumentationLevel.LIGHT.value,
        initial=DocumentationLevel.LIGHT.value,
        help_text=_(
            "Light: required of every case type. Standard: only of standard and thorough types. "
            "Thorough: only of thorough types."
        ),
    )


class PublishForm(forms.Form):
    summary = forms.CharField(
        label=_("What changed in this version"), max_length=2000, widget=TEXTAREA
    )


class ServiceDescriptionForm(forms.Form):
    """The service description of a draft version (issue 4): what a citizen or a provider needs
    to know to order the service."""

    public_name = forms.CharField(
        label=_("Public name"),
        max_length=160,
        required=False,
        help_text=_("The name citizens see. Empty: the case type's name."),
    )
    what_you_get = forms.CharField(
        label=_("What you get"), max_length=4000, required=False, widget=TEXTAREA
    )
    what_you_provide = forms.CharField(
        label=_("What you must provide"), max_length=4000, required=False, widget=TEXTAREA
    )
    how_long = forms.CharField(
        label=_("How long it takes"), max_length=1000, required=False, widget=TEXTAREA
    )
    cost = forms.CharField(
        label=_("What it costs"), max_length=1000, required=False, widget=TEXTAREA
    )


class NotApplicableForm(forms.Form):
    reason = forms.CharField(label=_("Why it does not apply"), max_length=1000)


class AskForm(forms.Form):
    to = forms.ChoiceField(label=_("Ask"), widget=forms.RadioSelect)
    text = forms.CharField(label=_("Your question"), max_length=2000, widget=TEXTAREA)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = [
            ("unit", _("My colleagues in %(unit)s") % {"unit": case.owner_unit.name}),
            (
                "contacts",
                _("The contact persons of %(unit)s") % {"unit": case.case_type.administration.name},
            ),
        ]
        to.initial = "unit"


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=4000, widget=TEXTAREA)


class NoticeForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("notice", "Title"), max_length=200)
    body = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 5}))
    case_types = forms.ModelMultipleChoiceField(
        label=_("Case types"),
        queryset=CaseType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    effective_from = forms.DateField(
        label=_("Applies from"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, case_types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case_types"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = case_types
        self.fields["effective_from"].initial = timezone.localdate()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file (CSV or JSON)"),
        help_text=_("At most 2 MB. Use the columns of the export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        return upload
