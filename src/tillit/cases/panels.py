"""Panels on the case page that other capabilities contribute (the checklist, questions to a
neighbour, feedback...). Each app registers its own in its AppConfig.ready().

A panel is a template and a function that builds its context for the person reading the case, or
returns None when it has nothing to show. The function receives the case already checked by
`tillit.cases.queries.get_case_for` and the reader's access (WORK or READ), so a panel never
queries cases itself and never offers a change to someone who may only read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from tillit.cases.models import Case
from tillit.cases.queries import Access


@dataclass(frozen=True)
class CasePanel:
    key: str
    template: str
    context: Callable[[HttpRequest, Case, Access], dict[str, Any] | None]
    order: int = 100


_panels: dict[str, CasePanel] = {}


def register_case_panel(panel: CasePanel) -> None:
    _panels[panel.key] = panel


def render_case_panels(request: HttpRequest, case: Case, access: Access) -> list[str]:
    rendered: list[str] = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, case, access)
        if context is not None:
            context = {"case": case, "access": access, **context}
            rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
