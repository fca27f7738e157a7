"""The staff forms: they parse and validate input; the actions decide and refuse.

Each form on the case page is built for one case and one person (its choices depend on them).
`apply_refusal` puts an action's `ValidationError` on the fields it names, so a refusal is
shown field by field exactly like a form error.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tillit.cases.actions import MAX_TEXT
from tillit.cases.models import Case, Handover
from tillit.cases.parties import PartyInput, normalise_personal_number
from tillit.cases.queries import handover_targets, handover_targets_of
from tillit.cases.states import Channel
from tillit.catalogue.documentation import missing_facts
from tillit.catalogue.models import CaseType
from tillit.catalogue.queries import initial_owner, search_case_types
from tillit.core.markup import esc
from tillit.core.prepared import Prepared
from tillit.organisation.models import Person, Unit, UnitKind
from tillit.organisation.queries import is_member, members_of, units_of

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def apply_refusal(form: forms.Form, error: ValidationError) -> None:
    """Show an action's refusal on the field it names, or above the form when it names none."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def text_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=TEXTAREA,
        help_text=help_text,
        strip=True,
    )


def _esc(value: Any) -> str:
    """`{{ value }}`: escaped unless already safe (a bound field renders its widget)."""
    return esc(value)


def _errors_html(field: forms.BoundField) -> str:
    """`cases/includes/field_errors.html`."""
    if not field.errors:
        return ""
    items = "".join(f"<li>{_esc(error)}</li>" for error in field.errors)
    return f'<ul class="errorlist" id="{_esc(field.auto_id)}_error">{items}</ul>\n'


def field_html(field: forms.BoundField) -> str:
    """`cases/includes/field.html` for one field, byte for byte (decision 0471); radio buttons
    still go through the template."""
    if field.is_hidden:
        return f"{_esc(field)}\n"
    kind = field.widget_type
    error_class = " field--error" if field.errors else ""
    errors = _errors_html(field)
    label = _esc(field.label)
    label_for = _esc(field.id_for_label)
    if kind == "checkbox":
        return (
            f'\n<div class="field field--check{error_class}">\n'
            f'  {_esc(field)} <label for="{label_for}">{label}</label>\n'
            f"  {errors}\n</div>\n"
        )
    if kind == "radioselect":
        return str(get_template("cases/includes/field.html").render({"field": field}))
    search = field.name == "type_search"
    optional = ""
    if not field.field.required and not search:
        optional = f' <span class="optional">({_esc(gettext("optional"))})</span>'
    hint = ""
    if field.help_text:
        hint = (
            f'<span class="hint" id="{_esc(field.auto_id)}_helptext">{_esc(field.help_text)}</span>'
        )
    count = ""
    if search:
        count = f'<span class="hint" id="{_esc(field.auto_id)}_count" aria-live="polite"></span>'
    return (
        f'\n<div class="field{error_class}"{" data-needs-js hidden" if search else ""}>\n'
        f'  <label for="{label_for}">{label}{optional}</label>\n'
        f"  {hint}\n  {errors}\n  {_esc(field)}\n  {count}\n</div>\n"
    )


def fields_html(form: forms.Form) -> SafeString:
    """`cases/includes/form_fields.html` (the form's errors and fields), built in Python: the
    case page shows a dozen forms (decision 0471). Every value goes through conditional_escape;
    `cases/tests/test_fields_html.py` compares it with the template."""
    parts = []
    errors = form.non_field_errors()
    if errors:
        items = "".join(f"<li>{_esc(error)}</li>" for error in errors)
        parts.append(f'<ul class="errorlist" role="alert">{items}</ul>')
    parts.append("\n")
    parts.extend(field_html(field) for field in form)
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


class CaseForm(forms.Form):
    """A form about one case, for one person."""

    def __init__(self, *args: Any, case: Case, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.person = person


def person_label(person: Person) -> str:
    return f"{person} ({person.title})" if person.title else str(person)


def choices_of(field: forms.ModelChoiceField[Any], rows: list[Any]) -> list[tuple[Any, Any]]:
    """The options the field's own iterator makes, from rows the form has already read (the
    iterator would read them again). A posted choice is still checked against the queryset."""
    iterator = field.iterator(field)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return [*empty, *(iterator.choice(row) for row in rows)]


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj)


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ListBox(forms.Select):
    """A list box of a model choice field without an empty choice. Django's `Select` leaves out
    `required` when the first option has a value, which every row has, and asks the database
    for the rows a second time to find that out; this one knows it."""

    def use_required_attribute(self, initial: Any) -> bool:
        return False


def case_type_field(queryset: QuerySet[CaseType]) -> forms.ModelChoiceField[CaseType]:
    """A list box of case types (eight rows visible), which the search box above narrows."""
    return forms.ModelChoiceField(
        label=_("Case type"),
        queryset=queryset,
        empty_label=None,
        widget=ListBox(attrs={"size": 8}),
        error_messages={
            "required": _("Choose a case type."),
            "invalid_choice": _("Choose one of the case types in the list."),
        },
    )


def active_case_types() -> QuerySet[CaseType]:
    return CaseType.objects.filter(is_active=True).order_by("name")


# The rows the case page's lists show, read without compiling their SQL each time (decision
# 0007); the fields keep their querysets, which check a posted choice.
_ACTIVE_CASE_TYPES: Prepared[CaseType] = Prepared(active_case_types)


class CaseTypeSearchMixin(forms.Form):
    """A search box that narrows the case-type list as one types (HTMX); without JavaScript the
    list itself holds every active case type."""

    type_search = forms.CharField(
        label=_("Search case types"),
        required=False,
        max_length=100,
        help_text=_("Type a word, e.g. altan or skolbyte: the list below shows what matches."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = f"#{self['case_type'].auto_id}"
        self.fields["type_search"].widget.attrs.update(
            {
                "hx-get": reverse("cases:case_type_options"),
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": target,
                "hx-include": target,
                "hx-sync": "this:replace",
                "data-typeahead": target,
            }
        )


class NoteForm(CaseForm):
    body = text_field(_("Internal note"), help_text=_("For colleagues; the citizen never sees it."))


class ReplyForm(CaseForm):
    body = text_field(
        _("Reply to the citizen"),
        help_text=_("Shown on the citizen's status page and sent by e-mail when we have one."),
    )


class OralInformationForm(CaseForm):
    body = text_field(_("What was said"))
    given_at = forms.DateTimeField(
        label=_("Given at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class AssignForm(CaseForm):
    handler = PersonChoiceField(
        label=_("Handler"), queryset=Person.objects.none(), empty_label=_("Choose a colleague")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(PersonChoiceField, self.fields["handler"])
        field.queryset = people_in(self.case.owner_unit)
        field.choices = choices_of(field, _PEOPLE_IN(unit=self.case.owner_unit_id))


class EmptyForm(CaseForm):
    """A button: take it myself, remove the handler, start work."""


class WaitForm(CaseForm):
    body = text_field(
        _("What are we waiting for?"),
        required=False,
        help_text=_("For example the drawings the citizen promised to send."),
    )


class CloseForm(CaseForm):
    resolution = text_field(_("Resolution"), required=False)


class ReasonForm(CaseForm):
    reason = text_field(_("Reason"))


class DueDateForm(CaseForm):
    due_date = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = text_field(_("Reason"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = self.case.due_date


class CaseTypeForm(CaseTypeSearchMixin, CaseForm):
    case_type = case_type_field(CaseType.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[CaseType], self.fields["case_type"])
        field.queryset = active_case_types()
        field.choices = choices_of(field, _ACTIVE_CASE_TYPES())
        field.initial = self.case.case_type_id


class SecretForm(CaseForm):
    provision = forms.CharField(
        label=_("Provision in the Public Access to Information and Secrecy Act (OSL)"),
        max_length=120,
        help_text=_("For example OSL 26 kap. 1 §."),
    )


class OfferForm(CaseForm):
    to_unit = UnitChoiceField(label=_("Offer to"), queryset=Unit.objects.none())
    to_person = PersonChoiceField(
        label=_("Addressed to"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Anyone in the unit"),
    )
    done = text_field(_("What has been done"))
    expected = text_field(_("What is expected of the receiver"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tillit.catalogue.queries import proposed_handover_target_id

        super().__init__(*args, **kwargs)
        to_unit = cast(UnitChoiceField, self.fields["to_unit"])
        to_unit.queryset = handover_targets(self.case)
        # Read once: the options, and the unit whose people the person list shows.
        targets: list[Unit] = _TARGETS(
            municipality_id=self.case.owner_unit.municipality_id,
            owner_unit_id=self.case.owner_unit_id,
        )
        to_unit.choices = choices_of(to_unit, targets)
        to_unit.widget.attrs.update(
            {
                "hx-get": reverse("cases:person_options"),
                "hx-trigger": "change",
                "hx-target": f"#{self['to_person'].auto_id}",
            }
        )
        proposed = proposed_handover_target_id(self.case.case_type)
        if proposed is not None and proposed != self.case.owner_unit_id:
            to_unit.initial = proposed
        unit = self.chosen_unit(targets)
        if unit is not None:
            to_person = cast(PersonChoiceField, self.fields["to_person"])
            to_person.queryset = people_in(unit)
            to_person.choices = choices_of(to_person, _PEOPLE_IN(unit=unit.pk))

    def chosen_unit(self, targets: list[Unit]) -> Unit | None:
        """The unit whose people the person list shows: the one posted, else the proposed one
        (one of the units the case can be offered to, or none)."""
        value = self.data.get(self.add_prefix("to_unit")) if self.is_bound else None
        value = value or self.fields["to_unit"].initial
        if not str(value or "").isdigit():
            return None
        return next((unit for unit in targets if unit.pk == int(str(value))), None)


def people_in(unit: Unit | int) -> QuerySet[Person]:
    return members_of(unit).order_by("first_name", "last_name")


_PEOPLE_IN: Prepared[Person] = Prepared(people_in, unit=int)
_TARGETS: Prepared[Unit] = Prepared(handover_targets_of, municipality_id=int, owner_unit_id=int)


# --- the receiving unit's answers ---------------------------------------------------------------


class HandoverForm(forms.Form):
    def __init__(self, *args: Any, handover: Handover, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handover = handover
        self.person = person


class AcceptForm(HandoverForm):
    """Accept, optionally naming the handler. The list of people can be handed in, so a page
    with many offers to one unit reads that unit's people once."""

    handler = forms.ChoiceField(label=_("Handler"), required=False)

    def __init__(self, *args: Any, people: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            people = list(people_in(self.handover.to_unit))
        self.people = {str(person.pk): person for person in people}
        field = self.fields["handler"]
        field.choices = [  # type: ignore[attr-defined]
            ("", _("Nobody yet: the unit's queue")),
            *((key, person_label(person)) for key, person in self.people.items()),
        ]
        if self.handover.to_person_id:
            field.initial = str(self.handover.to_person_id)

    def clean_handler(self) -> Person | None:
        return self.people.get(self.cleaned_data["handler"])


class ReturnForm(HandoverForm):
    reason = text_field(
        _("Why are you returning it?"),
        help_text=_("The offering unit keeps the case and reads your reason in its log."),
    )


class WithdrawForm(HandoverForm):
    reason = text_field(_("Reason"), required=False)


# --- quick registration -------------------------------------------------------------------------


def new_form_token() -> str:
    return secrets.token_hex(16)


class RegistrationForm(CaseTypeSearchMixin, forms.Form):
    """A phone call or a visit, registered while the citizen is still there."""

    token = forms.CharField(widget=forms.HiddenInput, min_length=32, max_length=32)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.VISIT, Channel.VISIT.label)],
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
    )
    case_type = case_type_field(CaseType.objects.none())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = text_field(_("Description"), required=False)
    name = forms.CharField(label=_("Citizen's name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    personal_number = forms.CharField(
        label=_("Personnummer or samordningsnummer"),
        max_length=20,
        required=False,
        help_text=_("YYYYMMDD-NNNN. Optional."),
    )
    no_personal_number_reason = forms.CharField(
        label=_("Why there is no personnummer"),
        max_length=200,
        required=False,
        help_text=_("Only when the case type needs a personnummer and the citizen has none."),
    )
    oral_information = text_field(
        _("Oral information given"),
        required=False,
        help_text=_("What you told the citizen, noted with your name and the time (FL 27 §)."),
    )
    handle_myself = forms.BooleanField(
        label=_("I handle the case myself"), required=False, initial=True
    )
    resolved_at_first_contact = forms.BooleanField(
        label=_("Resolved at first contact: register and close the case"), required=False
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["case_type"].queryset = active_case_types()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("token", new_form_token())
        for name in ("name", "email", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        if any(c not in "0123456789abcdef" for c in token):
            raise ValidationError(_("The form is damaged; reload the page."), code="bad_token")
        return token

    def clean_personal_number(self) -> str:
        value: str = self.cleaned_data["personal_number"].strip()
        if not value:
            return ""
        try:
            return normalise_personal_number(value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["personal_number"]) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contact = [data.get(name) for name in ("email", "phone", "personal_number")]
        if any(contact) and not data.get("name"):
            self.add_error(
                "name",
                ValidationError(
                    _("Write the citizen's name when you note their contact details."),
                    code="name_required",
                ),
            )
        elif isinstance(data.get("case_type"), CaseType):
            self._ensure_documented(data)
        return data

    def _ensure_documented(self, data: dict[str, Any]) -> None:
        """What the type's documentation level requires, asked while the citizen is still
        there; each missing fact is named on its field (decision 0450)."""
        missing = missing_facts(
            level=data["case_type"].documentation_level,
            description=data.get("description") or "",
            name=data.get("name") or "",
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            address="",
            personal_number=data.get("personal_number") or "",
            no_personal_number_reason=data.get("no_personal_number_reason") or "",
        )
        for field, messages in missing.items():
            if field not in self.errors:  # a wrong personnummer is named as such
                for message in messages:
                    self.add_error(field, ValidationError(message, code="documentation_level"))

    def submission_key(self) -> str:
        """Per person, so a token can only ever replay the person's own registration."""
        token = self.cleaned_data["token"]
        return hashlib.sha256(f"staff:{self.person.pk}:{token}".encode()).hexdigest()

    def _party(self) -> PartyInput | None:
        data = self.cleaned_data
        if not data["name"]:
            return None
        return PartyInput(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            personal_number=data["personal_number"],
        )

    def registration(self) -> dict[str, Any]:
        """The arguments of `actions.register_case` for this form.

        The case type's routing decides the owner. A case resolved at first contact is owned by
        the unit that resolved it: the routed owner if the person works there, else their own
        unit. "I handle it myself" makes the person the handler when they work in the owner.
        """
        data = self.cleaned_data
        case_type: CaseType = data["case_type"]
        resolved = bool(data["resolved_at_first_contact"])
        owner = initial_owner(case_type)
        if resolved and not is_member(self.person, owner):
            owner = home_unit(self.person) or owner
        handler = None
        if (data["handle_myself"] or resolved) and is_member(self.person, owner):
            handler = self.person
        return {
            "channel": Channel(data["channel"]),
            "subject": data["subject"],
            "description": data["description"],
            "case_type": case_type,
            "by": self.person,
            "party": self._party(),
            "owner": owner if resolved else None,
            "handler": handler,
            "oral_information": data["oral_information"],
            "resolved_at_first_contact": resolved,
            "submission_key": self.submission_key(),
            "no_personal_number_reason": data["no_personal_number_reason"],
        }


def home_unit(person: Person) -> Unit | None:
    """The unit a person registers their own cases for: a centre or administration before a team."""
    units = sorted(units_of(person), key=lambda unit: (unit.kind == UnitKind.TEAM, unit.pk))
    return units[0] if units else None


def search_types(text: str) -> list[CaseType]:
    """The type-ahead list: every active case type matching the words (all when empty)."""
    if not text.strip():
        return list(active_case_types()[:200])
    return search_case_types(text, limit=50)
