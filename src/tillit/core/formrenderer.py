"""Django's form renderer with the common widgets rendered in Python.

Django renders every widget, and every option of a select, through its own small templates; a
queue's filter with 60 case types cost more than its 50 rows of cases. This renderer produces
the same HTML, byte for byte (`core/tests/test_formrenderer.py` compares it with Django's), for
inputs, the radio buttons and check boxes of a list, text areas and selects, and hands anything
else, or any value that is not plain text, to Django's templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeData

from tillit.core.markup import esc

WIDGETS = "django/forms/widgets/"
INPUT_KINDS: tuple[str, ...] = ("input", "checkbox", "color", "date", "datetime", "email")
INPUT_KINDS += ("file", "hidden", "number", "password", "search", "tel", "text", "time", "url")
INPUTS = {f"{WIDGETS}{kind}.html" for kind in INPUT_KINDS}
OPTION = f"{WIDGETS}select_option.html"


class NotPlain(Exception):
    """A value Django's templates would localise or format: let them render it."""


def _text(value: Any) -> str:
    """`{{ value }}` for a string: escaped unless already safe."""
    if isinstance(value, str | Promise):
        return esc(str(value))
    raise NotPlain


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: any value as text, escaped unless already safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """Django's `attrs.html`: False leaves an attribute out, True writes its bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        shown = "" if value is True else f'="{_formatted(value)}"'
        parts.append(f" {_text(name)}{shown}")
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _option(widget: Mapping[str, Any]) -> str:
    """`input_option.html`, one radio button or check box of a list: the input, inside its label
    when asked (`str(radio)`; `radio.tag` is the bare input)."""
    tag = _input(widget)
    if not widget.get("wrap_label"):
        return tag
    label_id = widget["attrs"].get("id")
    label_for = f' for="{_text(label_id)}"' if label_id else ""
    # The newline is the one input.html ends with, which input_option.html includes.
    return f"<label{label_for}>{tag}\n {_text(widget['label'])}</label>"


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    body = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>'


def _select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                raise NotPlain
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **dict.fromkeys(INPUTS, _input),
    f"{WIDGETS}radio_option.html": _option,
    f"{WIDGETS}checkbox_option.html": _option,
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        render = RENDERERS.get(template_name)
        widget = context.get("widget")
        if render is not None and widget is not None:
            try:
                return render(widget).strip()
            except NotPlain:
                pass
        return str(super().render(template_name, context, request))
