"""Other capabilities add panels to the case page through one registry."""

from __future__ import annotations

from django.test import RequestFactory

from tillit.cases import panels
from tillit.cases.queries import Access, events_of
from tillit.cases.tests.factories import register


def test_a_panel_is_rendered_with_the_case_and_hidden_when_it_has_nothing(world, monkeypatch):
    monkeypatch.setattr(panels, "_panels", {})
    case = register(world, subject="Bygglov <altan>")
    panels.register_case_panel(
        panels.CasePanel(
            key="echo",
            template="cases/tests/echo_panel.html",
            context=lambda request, case, access, log: (
                {"note": "hej"} if access == Access.WORK else None
            ),
        )
    )
    request = RequestFactory().get("/")
    request.user = world.centre_staff
    [html] = panels.render_case_panels(request, case, Access.WORK)
    assert "Bygglov &lt;altan&gt;" in html and "hej" in html
    assert panels.render_case_panels(request, case, Access.READ) == []


def test_the_panels_are_what_render_to_string_made_with_the_processors_run_once(world, monkeypatch):
    """Decision 0470: one run of the context processors for all panels, the same HTML."""
    import re

    from django.template import engines
    from django.template.loader import render_to_string

    from tillit.catalogue.tests.factories import published_checklist

    published_checklist(world.case_type, [("Kontrollera <ritning>", True), ("Ring", False)])
    case = register(world, subject="Bygglov <altan>")
    request = RequestFactory().get(f"/arenden/{case.pk}/")
    request.user = world.centre_staff
    request.session = {}
    request._messages = []  # type: ignore[attr-defined]

    engine = engines["django"].engine  # type: ignore[attr-defined]
    runs: list[str] = []

    def counted(processor):
        def run(request):
            runs.append(processor.__name__)
            return processor(request)

        return run

    monkeypatch.setitem(
        engine.__dict__,
        "template_context_processors",
        tuple(counted(each) for each in engine.template_context_processors),
    )
    rendered = panels.render_case_panels(request, case, Access.WORK)
    assert len(rendered) >= 2  # the checklist and feedback at least
    assert len(runs) == len(set(runs))  # each processor once for all the panels
    expected = []
    for panel in sorted(panels._panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, case, Access.WORK, list(events_of(case)))
        if context is not None:
            context = {"case": case, "access": Access.WORK, **context}
            expected.append(render_to_string(panel.template, context, request=request))

    def token_free(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert [token_free(html) for html in rendered] == [token_free(html) for html in expected]
    assert "Kontrollera &lt;ritning&gt;" in rendered[0]
