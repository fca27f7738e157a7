"""The work forms' markup made in Python is byte for byte what the case page's template loop
wrote (decision 0472): an open case (every group, buttons and forms, a danger button), a closed
one, a secret one, a refused form shown open with its errors, in Swedish and English."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from tillit.cases import actions, forms
from tillit.cases.changes import BY_SLUG, Situation
from tillit.cases.tests.factories import offer, register
from tillit.cases.work import work_groups, work_html

# The loop as cases/case.html had it, with `csrf` standing for its {% csrf_token %}.
REFERENCE = Template(
    """{% for group in groups %}
  <div class="work__group">
    <h3>{{ group.title }}</h3>
    {% for row in group.forms %}
    {% if row.change.is_button %}
    <form method="post" action="{{ row.action }}" class="inline-form">
      {{ csrf }}
      {{ row.fields }}
      <button type="submit" class="button button--secondary">{{ row.title }}</button>
    </form>
    {% else %}
    <details class="work__form"{% if row.form.errors %} open{% endif %}>
      <summary>{{ row.title }}</summary>
      <form method="post" action="{{ row.action }}" novalidate>
        {{ csrf }}
        {{ row.fields }}
        <button type="submit" class="button{% if row.change.danger %} button--danger{% endif %}">{{ row.button }}</button>
      </form>
    </details>
    {% endif %}
    {% endfor %}
  </div>
  {% endfor %}"""  # noqa: E501 - the template's own line
)
CSRF = '<input type="hidden" name="csrfmiddlewaretoken" value="abc">'


def both(situation: Situation, bound=None) -> tuple[str, str]:
    groups = work_groups(situation, bound=bound)
    csrf = mark_safe(CSRF)  # noqa: S308 - a constant, as csrf_input makes it
    return work_html(groups, csrf), REFERENCE.render(Context({"groups": groups, "csrf": csrf}))


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_work_forms_of_open_closed_and_secret_cases(world, language):
    open_case = register(world)
    closed = register(world)
    actions.close_case(case=closed, by=world.centre_staff, resolution="Klart")
    secret = register(world, handler=world.centre_staff)
    actions.mark_secret(case=secret, by=world.centre_staff, provision="OSL 26 kap. 1 §")
    offered = register(world)
    handover = offer(world, offered)
    with translation.override(language):
        for case, open_offer in [
            (open_case, None),
            (closed, None),
            (secret, None),
            (offered, handover),
        ]:
            case.refresh_from_db()
            ours, theirs = both(Situation(case=case, person=world.centre_staff, offer=open_offer))
            assert ours == theirs
            assert "button--danger" in ours or case.status == "closed"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_refused_form_is_shown_open_with_its_errors(world, language):
    case = register(world)
    change = BY_SLUG["makulera"]
    with translation.override(language):
        refused = change.form(
            {"makulera-reason": ""}, case=case, person=world.centre_staff, prefix=change.slug
        )
        refused.is_valid()
        forms.apply_refusal(refused, ValidationError("Nej <script>"))
        situation = Situation(case=case, person=world.centre_staff, offer=None)
        ours, theirs = both(situation, bound={change.slug: refused})
        assert ours == theirs
        assert '<details class="work__form" open>' in ours and "<script>" not in ours
