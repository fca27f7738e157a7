"""The log entries rendered in Python are byte for byte what the case page's template loop wrote
(decision 0470), for every kind of event, in both languages and with hostile values."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from tillit.cases import actions, queries, timeline
from tillit.cases.models import CaseEvent
from tillit.cases.tests.factories import register

HOSTILE = "\"><script>alert(1)</script>&amp;'<"

# The loop the case page had before decision 0470, kept here as the reference.
OLD_LOOP = """{% for entry in entries %}
    <li class="timeline__entry timeline__entry--{{ entry.category }}" id="handelse-{{ entry.event.pk }}">
      <h3 class="timeline__title">{{ entry.title }}</h3>
      <p class="timeline__meta">{{ entry.who }}, {{ entry.unit }}, <time datetime="{{ entry.at_iso }}">{{ entry.at_label }}</time></p>
      {% if entry.audience %}<p class="timeline__audience">{{ entry.audience }}</p>{% endif %}
      {% if entry.body %}<div class="timeline__body">{{ entry.body }}</div>{% endif %}
      {% if entry.details %}
      <dl class="facts timeline__details">
        {% for label, value in entry.details %}<dt>{{ label }}</dt><dd>{{ value }}</dd>{% endfor %}
      </dl>
      {% endif %}
    </li>
    {% endfor %}"""  # noqa: E501


def old(entries: list[timeline.Entry]) -> str:
    return Template(OLD_LOOP).render(Context({"entries": entries}))


def a_worked_case(world):
    case = register(world)
    actions.add_note(case=case, by=world.centre_staff, body=f"Rad ett {HOSTILE}\n\nRad två")
    actions.assign_case(case=case, handler=world.centre_colleague, by=world.centre_staff)
    actions.record_oral_information(case=case, by=world.centre_colleague, body=HOSTILE)
    actions.wait_for_citizen(case=case, by=world.centre_colleague)
    actions.add_citizen_message(case=case, body=f"Svar {HOSTILE}")
    actions.change_due_date(
        case=case,
        by=world.centre_colleague,
        due_date=timezone.localdate() + timedelta(days=12),
        reason=HOSTILE,
    )
    actions.mark_secret(case=case, by=world.centre_colleague, provision="OSL 26:1")
    actions.record_secret_read(case=case, by=world.centre_colleague, where="page")
    actions.remove_secrecy(case=case, by=world.centre_colleague, reason="Ej längre")
    actions.close_case(case=case, by=world.centre_colleague, resolution=HOSTILE)
    return case


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("zone", ["Europe/Stockholm", "America/New_York"])
def test_the_log_of_a_worked_case_is_the_old_loops_html(world, language, zone):
    case = a_worked_case(world)
    with translation.override(language), timezone.override(zone):
        entries = timeline.entries(list(queries.events_of(case)))
        assert len(entries) >= 10
        assert timeline.log_html(entries) == old(entries)


def test_every_value_is_escaped_as_the_template_escaped_it():
    hostile = [
        timeline.Entry(
            event=CaseEvent(pk=7),
            title=HOSTILE,
            category=HOSTILE,
            who=HOSTILE,
            details=[(HOSTILE, HOSTILE), ("Från", "<b>")],
            unit=HOSTILE,
            at_iso=HOSTILE,
            at_label=HOSTILE,
            audience=HOSTILE,
            body=mark_safe("<p>redan escapad &lt;</p>"),  # as entries() makes it
        ),
        timeline.Entry(event=CaseEvent(pk=8), title="Tom", category="system", who="system"),
    ]
    html = timeline.log_html(hostile)
    assert html == old(hostile)
    assert "<script>" not in html
    assert "<p>redan escapad &lt;</p>" in html


def test_an_empty_log_renders_nothing():
    assert timeline.log_html([]) == old([]) == ""
