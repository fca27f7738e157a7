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
from django.template import Context, engines
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tillit.cases.models import Case, CaseEvent
from tillit.cases.queries import Access, log_of


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
) -> list[SafeString]:
    """Each panel as `render_to_string(template, context, request=request)` would render it, but
    with the context processors run once for all panels, not once per panel (decision 0470): a
    panel's own context still wins over theirs, as in a RequestContext. `log` is the case's
    events (`queries.log_of`) when the caller has read them already."""
    if log is None:
        log = log_of(case)
    rendered: list[SafeString] = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, case, access, log)
        if context is None:
            continue
        rendered.append(
            render_once(request, panel.template, {"case": case, "access": access, **context})
        )
    return rendered


def render_once(request: HttpRequest, template_name: str, context: dict[str, Any]) -> SafeString:
    """`render_to_string(template_name, context, request=request)`, with the context processors'
    output of the first render of this request (decision 0472): the case page and its panels
    run them once, and share one CSRF token (masked once, not once per template)."""
    template = get_template(template_name)
    engine = template.backend.engine  # type: ignore[attr-defined]
    page = Context({**processed_for(request), **context}, autoescape=engine.autoescape)
    page.request = request  # type: ignore[attr-defined]  # as a RequestContext has it
    rendered: SafeString = template.template.render(page)  # type: ignore[attr-defined]
    return rendered


def processed_for(request: HttpRequest) -> dict[str, Any]:
    """The Django template engine's context processors' output for this request, made once."""
    processed: dict[str, Any] | None = getattr(request, "_tillit_processed", None)
    if processed is None:
        processed = {}
        for processor in engines["django"].engine.template_context_processors:  # type: ignore[attr-defined]
            processed.update(processor(request))
        request._tillit_processed = processed  # type: ignore[attr-defined]
    return processed


def csrf_input(request: HttpRequest) -> SafeString:
    """What `{% csrf_token %}` writes on this request's pages: one masked token for the case
    page, its panels and each of their forms (any masking of the session's secret is valid)."""
    token = processed_for(request).get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - the tag's word for no middleware
        return SafeString("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
