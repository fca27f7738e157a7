"""The citizen's forms: a new case, and more information through the status link.

Every form carries a signed, time-limited key that the server issued when it drew the form. It is
the submission's idempotency key (a resubmitted form makes nothing new), and because it is signed
nobody can send a key they made up or one taken from another form.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from tillit.cases.actions import MAX_TEXT
from tillit.cases.attachments import ACCEPT, FIELD, CheckedFile, check_files, max_files
from tillit.cases.parties import PartyInput, normalise_personal_number
from tillit.catalogue.models import CaseType
from tillit.public.queries import case_types_by_administration, public_case_type, public_name

FORM_KEY_AGE = 2 * 24 * 3600  # seconds a drawn form stays valid
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,24}$")


def new_form_key(purpose: str) -> str:
    return signing.TimestampSigner(salt=f"tillit.public.{purpose}").sign(secrets.token_urlsafe(24))


def read_form_key(signed: str, purpose: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=f"tillit.public.{purpose}").unsign(
            signed, max_age=FORM_KEY_AGE
        )
    except signing.BadSignature:  # also SignatureExpired
        return None


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to the configured number of files, each checked by `tillit.cases.attachments`."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ACCEPT, "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not all(isinstance(f, UploadedFile) for f in files):
            raise ValidationError(_("The files could not be read; choose them again."))
        try:
            return check_files(files)
        except ValidationError as error:
            raise ValidationError(error.message_dict[FIELD]) from None


def _attachments_help() -> str:
    return str(
        _(
            "At most %(count)d files of up to %(size)d MB each: PDF, JPEG, PNG, HEIC, Word (DOCX), "
            "OpenDocument (ODT) or plain text. Archives (zip) are not accepted."
        )
    ) % {"count": max_files(), "size": _max_mb()}


def _max_mb() -> int:
    from django.conf import settings

    return int(settings.TILLIT_ATTACHMENT_MAX_MB)


class KeyedForm(forms.Form):
    """A form with a server-issued key; an expired or forged key is a field-level error and the
    form is drawn again with a fresh key, so nothing the citizen wrote is lost."""

    purpose = ""
    form_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_key"] = new_form_key(self.purpose)

    def clean_form_key(self) -> str:
        key = read_form_key(self.cleaned_data["form_key"], self.purpose)
        if key is None:
            raise ValidationError(
                _(
                    "The form was open for too long or was changed. Check your answers and "
                    "send the form again (choose any files again)."
                ),
                code="form_key",
            )
        return key

    def refreshed_key(self) -> None:
        """Draw the form again with a new key (after an expired one)."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["form_key"] = new_form_key(self.purpose)
        self.data = data


class CaseForm(KeyedForm):
    purpose = "case"

    case_type = forms.ChoiceField(
        label=_("What is your case about?"),
        error_messages={
            "required": _("Choose what your case is about from the list."),
            "invalid_choice": _("Choose what your case is about from the list."),
        },
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("A few words, for example “Street light broken on Storgatan”."),
    )
    description = forms.CharField(
        label=_("Describe your case"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What has happened, where, and what you would like us to do."),
    )
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the receipt and the link to your case here, and tell you of replies."),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    personal_number = forms.CharField(
        label=_("Personal identity number (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Personnummer or samordningsnummer, YYYYMMDD-NNNN. Only if the case needs it."),
    )
    attachments = AttachmentsField(label=_("Attachments (optional)"))
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_type = self.fields["case_type"]
        assert isinstance(case_type, forms.ChoiceField)
        case_type.choices = [
            ("", _("Choose…")),
            *[
                (
                    group.unit.name,
                    [(str(t.pk), public_name(t)) for t in group.case_types],
                )
                for group in case_types_by_administration()
            ],
        ]
        self.fields["attachments"].help_text = _attachments_help()

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_case_type(self) -> CaseType:
        case_type = public_case_type(self.cleaned_data["case_type"])
        if case_type is None:
            raise ValidationError(_("Choose what your case is about from the list."))
        return case_type

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"]).strip()
        if phone and not PHONE.match(phone):
            raise ValidationError(
                _("Write the phone number with digits, for example 070-123 45 67.")
            )
        return phone

    def clean_personal_number(self) -> str:
        value = str(self.cleaned_data["personal_number"]).strip()
        if not value:
            return ""
        try:
            return normalise_personal_number(value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["personal_number"]) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.honeypot_filled:
            raise ValidationError(
                _(
                    "The form was not sent: the field “Leave this field empty” was filled in, "
                    "which only automated programs do. If you are a person, empty that field and "
                    "send the form again."
                ),
                code="honeypot",
            )
        return cleaned

    def party(self) -> PartyInput:
        data = self.cleaned_data
        return PartyInput(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            personal_number=data["personal_number"],
        )


class MessageForm(KeyedForm):
    purpose = "message"

    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you want to add or answer. It is added to your case."),
    )
    attachments = AttachmentsField(label=_("Attachments (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _attachments_help()
