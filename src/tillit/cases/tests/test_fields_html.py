"""The form fields rendered in Python are byte for byte what `cases/includes/form_fields.html`
renders (decision 0471): every form of the case page, unbound and refused with errors, the kinds
of field the template knows (hidden, check box, radio buttons, the rest), hostile values, in
Swedish and English."""

from __future__ import annotations

import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from tillit.cases import forms
from tillit.cases.changes import CHANGES
from tillit.cases.tests.factories import offer, register

HOSTILE = "\"><script>alert(1)</script>&amp;'<"


def reference(form: django_forms.Form) -> str:
    return render_to_string("cases/includes/form_fields.html", {"form": form})


class EveryKind(django_forms.Form):
    token = django_forms.CharField(widget=django_forms.HiddenInput)
    agree = django_forms.BooleanField(label=f"Agree {HOSTILE}", required=False)
    pick = django_forms.ChoiceField(
        label="Pick", choices=[("a", f"a {HOSTILE}"), ("b", "b")], widget=django_forms.RadioSelect
    )
    type_search = django_forms.CharField(label="Search", required=False, help_text=HOSTILE)
    body = django_forms.CharField(label=HOSTILE, required=False, widget=django_forms.Textarea)

    def clean(self) -> dict[str, object]:
        raise ValidationError(f"Whole form {HOSTILE}")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_form_of_the_case_page_unbound_and_refused(world, language):
    case = register(world)
    with translation.override(language):
        for change in CHANGES:
            form = change.form(case=case, person=world.centre_staff, prefix=change.slug)
            assert forms.fields_html(form) == reference(form), change.slug
            data = {f"{change.slug}-{name}": HOSTILE for name in form.fields}
            refused = change.form(data, case=case, person=world.centre_staff, prefix=change.slug)
            refused.is_valid()
            forms.apply_refusal(refused, ValidationError(f"Refused {HOSTILE}"))
            html = forms.fields_html(refused)
            assert html == reference(refused), change.slug
            assert "<script>" not in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_withdraw_form_with_a_field_error(world, language):
    handover = offer(world, register(world))
    with translation.override(language):
        form = forms.WithdrawForm(handover=handover, person=world.centre_staff, prefix="aterkalla")
        assert forms.fields_html(form) == reference(form)
        refused = forms.WithdrawForm(
            {"aterkalla-reason": HOSTILE},
            handover=handover,
            person=world.centre_staff,
            prefix="aterkalla",
        )
        assert refused.is_valid()
        forms.apply_refusal(refused, ValidationError({"reason": f"Refused {HOSTILE}"}))
        assert refused["reason"].errors
        assert forms.fields_html(refused) == reference(refused)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_hidden_checkbox_radio_and_search_fields_with_errors(language):
    with translation.override(language):
        unbound = EveryKind(initial={"token": HOSTILE, "body": HOSTILE})
        assert forms.fields_html(unbound) == reference(unbound)
        bound = EveryKind({"token": "", "agree": "on", "pick": "zzz", "body": HOSTILE})
        assert not bound.is_valid()
        html = forms.fields_html(bound)
        assert html == reference(bound)
        assert "field--error" in html
        assert 'role="alert"' in html
        assert "<script>" not in html


def test_the_case_page_shows_the_forms_once(world, client_for):
    case = register(world)
    page = client_for(world.centre_staff).get(f"/arenden/{case.pk}/").content.decode()
    assert page.count('name="anteckning-body"') == 1
    assert page.count('id="id_arendetyp-type_search_count"') == 1
