"""The Python-rendered widgets give exactly the HTML of Django's own widget templates."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from tillit.core.formrenderer import FormRenderer

HOSTILE = "\"><script>alert(1)</script>&amp;'<"


class Everything(forms.Form):
    text = forms.CharField(max_length=40, help_text="hjälp")
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"autofocus": True}))
    off = forms.CharField(required=False, widget=forms.TextInput(attrs={"spellcheck": False}))
    email = forms.EmailField()
    number = forms.IntegerField(min_value=1)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search"}))
    agree = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    choice = forms.ChoiceField(choices=[("", "Välj"), ("a", "Ä"), (HOSTILE, HOSTILE), (3, 3)])
    grouped = forms.ChoiceField(
        choices=[("Grupp <1>", [("x", "X"), ("y", lazy(lambda: "Ja", str)())]), ("z", "Z")]
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    upload = forms.FileField(required=False)
    pick = forms.ChoiceField(
        widget=forms.RadioSelect, choices=[("a", "Ä"), (HOSTILE, HOSTILE), (3, 3)], required=False
    )
    ticks = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, choices=[("a", "A"), ("b", HOSTILE)], required=False
    )


BOUND = [
    None,
    {},
    {
        "text": HOSTILE,
        "optional": "",
        "email": "a@b.se",
        "number": "12",
        "day": "2026-12-03",
        "secret": HOSTILE,
        "hidden": HOSTILE,
        "search": "gatlampa",
        "agree": "on",
        "body": f"rad 1\n{HOSTILE}",
        "choice": HOSTILE,
        "grouped": "y",
        "many": ["a", "c"],
        "pick": HOSTILE,
        "ticks": ["b"],
    },
]


@pytest.mark.parametrize("data", BOUND, ids=["unbound", "empty", "filled"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_widget_renders_as_django_does(data: dict[str, object] | None, language: str):
    from django.utils import translation

    with translation.override(language):
        ours = Everything(data, renderer=FormRenderer())
        django = Everything(data, renderer=DjangoTemplates())
        for name in Everything.base_fields:
            assert str(ours[name]) == str(django[name]), name
            # Each option of a radio or check-box list: bare (`radio.tag`) and in its label.
            for mine, theirs in zip(ours[name].subwidgets, django[name].subwidgets, strict=True):
                assert (mine.tag(), str(mine)) == (theirs.tag(), str(theirs)), name


def test_initial_values_that_are_not_text_render_as_django_does():
    class Initial(forms.Form):
        day = forms.DateField(initial=datetime.date(2026, 12, 3))
        count = forms.IntegerField(initial=1500)
        safe = forms.CharField(initial=mark_safe("<b>fet</b>"))
        note = forms.CharField(widget=forms.Textarea, initial=1500)

    ours, django = Initial(renderer=FormRenderer()), Initial(renderer=DjangoTemplates())
    for name in Initial.base_fields:
        assert str(ours[name]) == str(django[name]), name


def test_the_project_uses_it_and_escapes_what_a_user_typed():
    form = Everything({"text": HOSTILE})
    assert isinstance(form.renderer, FormRenderer)
    html = str(form["text"])
    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
