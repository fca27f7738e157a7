"""Number formatting for the dashboard tables: the same text as in the CSV export."""

from __future__ import annotations

from django import template

from tillit.feedback.views import csv_cell

register = template.Library()


@register.filter
def cell(value: object) -> str:
    text = csv_cell(value)
    return "–" if text == "" else text.removeprefix("'")
