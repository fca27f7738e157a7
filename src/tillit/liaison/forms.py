"""Forms of the liaison pages. They parse input; the rules are in `liaison.actions`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tillit.catalogue.models import CaseType, ChangeNotice
from tillit.core.workdays import add_working_days
from tillit.liaison import queries
from tillit.liaison.models import AgendaItem, Meeting, MeetingSeries
from tillit.organisation.models import Person, Unit
from tillit.organisation.queries import closed_days

TEXTAREA = forms.Textarea(attrs={"rows": 3})
# Action items fall due two working weeks after the meeting unless the meeting decides otherwise.
DEFAULT_DUE_WORKING_DAYS = 10


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        return f"{person} ({person.title})" if person.title else str(person)


class MeetingForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=pgettext_lazy("unit", "Administration"),
        queryset=Unit.objects.none(),
        empty_label=None,
    )
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("A room, or a link to the video meeting."),
    )

    def __init__(
        self, *args: Any, person: Person, series: MeetingSeries | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["administration"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.organisable_administrations(person).order_by("name")
        if series is not None:
            field.initial = series.administration_id
            field.widget = forms.HiddenInput()
        self.fields["time"].initial = "09:00"

    def starts_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        )


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    description = forms.CharField(
        label=_("Background"), required=False, max_length=4000, widget=TEXTAREA
    )
    case_type = forms.ModelChoiceField(
        label=_("About the case type"),
        queryset=CaseType.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    change_notice = forms.ModelChoiceField(
        label=_("About the change notice"),
        queryset=ChangeNotice.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )

    def __init__(self, *args: Any, series: MeetingSeries, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_type = self.fields["case_type"]
        notice = self.fields["change_notice"]
        assert isinstance(case_type, forms.ModelChoiceField)
        assert isinstance(notice, forms.ModelChoiceField)
        case_type.queryset = queries.case_types_of(series)
        notice.queryset = queries.notices_of(series)


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), max_length=500, widget=TEXTAREA)
    owner = PersonChoiceField(
        label=pgettext_lazy("action item", "Owner"), queryset=Person.objects.none()
    )
    due_date = forms.DateField(
        label=pgettext_lazy("action item", "Due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("From agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        item = self.fields["agenda_item"]
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(item, forms.ModelChoiceField)
        owner.queryset = queries.participants(meeting.series)
        item.queryset = AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")
        municipality = meeting.series.administration.municipality_id
        self.fields["due_date"].initial = add_working_days(
            timezone.localdate(meeting.starts_at),
            DEFAULT_DUE_WORKING_DAYS,
            closed_days(municipality),
        )


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Correction"), max_length=4000, widget=TEXTAREA)


class DoneForm(forms.Form):
    note = forms.CharField(label=_("How it was done"), required=False, max_length=500)
