"""Other capabilities add panels to the case page through one registry."""

from __future__ import annotations

from django.test import RequestFactory

from tillit.cases import panels
from tillit.cases.queries import Access
from tillit.cases.tests.factories import register


def test_a_panel_is_rendered_with_the_case_and_hidden_when_it_has_nothing(world, monkeypatch):
    monkeypatch.setattr(panels, "_panels", {})
    case = register(world, subject="Bygglov <altan>")
    panels.register_case_panel(
        panels.CasePanel(
            key="echo",
            template="cases/tests/echo_panel.html",
            context=lambda request, case, access: (
                {"note": "hej"} if access == Access.WORK else None
            ),
        )
    )
    request = RequestFactory().get("/")
    request.user = world.centre_staff
    [html] = panels.render_case_panels(request, case, Access.WORK)
    assert "Bygglov &lt;altan&gt;" in html and "hej" in html
    assert panels.render_case_panels(request, case, Access.READ) == []
