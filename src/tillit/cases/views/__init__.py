"""Staff pages for cases. Each view parses a form, calls one gateway and one action, and renders;
the rules live in `tillit.cases.actions` and `tillit.cases.queries`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from tillit.cases.forms import apply_refusal
from tillit.organisation.models import Person

T = TypeVar("T")

# Refused input is answered with the page and its messages, as 422 (the request was understood
# but not acted on), so tests and tools can tell a refusal from a page shown.
REFUSED = 422


def person_of(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def perform(form: forms.Form, action: Callable[[dict[str, Any]], T]) -> T | None:
    """Validate the form and run its one action on the cleaned data. A refusal from the action is
    put on the form's fields (None is returned) and nothing has changed."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        apply_refusal(form, error)
        return None
