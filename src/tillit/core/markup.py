"""Escaping for the markup that pages build in Python by the thousand (the case page's log,
checklist rows and form fields: decisions 0470-0472).

`esc` is `django.utils.html.conditional_escape` in one call: Django's version goes through a
`keep_lazy` wrapper and makes a `SafeString` for every value, which the markup built from it is
marked safe as a whole anyway. The result is the same text.
"""

from __future__ import annotations

from html import escape

from django.utils.functional import Promise


def esc(value: object) -> str:
    """`{{ value }}`: the value as text, escaped unless it is already safe (has `__html__`)."""
    if isinstance(value, Promise):
        value = str(value)
    as_html = getattr(value, "__html__", None)
    if as_html is not None:
        return str(as_html())
    return escape(str(value))
