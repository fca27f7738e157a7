"""Panels on the case page that other capabilities contribute (the checklist, questions to a
neighbour, feedback...). Each app registers its own in its AppConfig.ready().

A panel is a template and a function that builds its context for the person reading the case, or
returns None when it has nothing to show. The function receives the case already checked by
`tillit.cases.queries.get_case_for`, the reader's access (WORK or READ) and the case's log as the
page has read it, so a panel never queries cases or their events itself and never offers a
change to someone who may only read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template import Context
from django.template.loader import get_template

from tillit.cases.models import Case, CaseEvent
from tillit.cases.queries import Access, events_of


@dataclass(frozen=True)
class CasePanel:
    key: str
    template: str
    context: Callable[[HttpRequest, Case, Access, Sequence[CaseEvent]], dict[str, Any] | None]
    order: int = 100


_panels: dict[str, CasePanel] = {}


def register_case_panel(panel: CasePanel) -> None:
    _panels[panel.key] = panel


def render_case_panels(
    request: HttpRequest, case: Case, access: Access, log: Sequence[CaseEvent] | None = None
) -> list[str]:
    """Each panel as `render_to_string(template, context, request=request)` would render it, but
    with the context processors run once for all panels, not once per panel (decision 0470): a
    panel's own context still wins over theirs, as in a RequestContext. `log` is the case's
    events (`queries.events_of`) when the caller has read them already."""
    if log is None:
        log = list(events_of(case))
    rendered: list[str] = []
    processed: dict[str, Any] | None = None
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, case, access, log)
        if context is None:
            continue
        template = get_template(panel.template)
        engine = template.backend.engine  # type: ignore[attr-defined]
        if processed is None:
            processed = {}
            for processor in engine.template_context_processors:
                processed.update(processor(request))
        page = Context(
            {**processed, "case": case, "access": access, **context}, autoescape=engine.autoescape
        )
        page.request = request  # type: ignore[attr-defined]  # as a RequestContext has it
        rendered.append(template.template.render(page))  # type: ignore[attr-defined]
    return rendered
