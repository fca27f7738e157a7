"""The checklist rows rendered in Python are byte for byte what panel_checklist.html's loop wrote
(decision 0470): marks done and not applicable, guidance and links, with and without the tick
forms, both languages, two time zones and hostile texts."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.html import format_html

from tillit.cases.tests.factories import register
from tillit.catalogue import actions
from tillit.catalogue.checklist import CaseChecklist, Difference, ItemText, Row, checklist_of
from tillit.catalogue.checklist import rows_html as new
from tillit.catalogue.models import CaseChecklistMark, ChecklistItem, MarkState
from tillit.catalogue.tests.factories import published_checklist

HOSTILE = "\"><script>alert(1)</script>&amp;'<{}"

# The loop before decision 0470, labels included, kept here as the reference.
OLD_LOOP = """{% load i18n %}{% translate "required" as required %}{% translate "advisory" as advisory %}{% translate "Read more" as read_more %}{% translate "Undo" as undo %}{% translate "Done" as done %}{% translate "Not applicable" as not_applicable %}{% translate "Why it does not apply" as why %}{% translate "Mark not applicable" as mark_na %}{% for row in checklist.rows %}{% with item=row.item mark=row.mark id=row.item_id %}
    <li class="checklist__item{% if mark %} checklist__item--{{ mark.state }}{% endif %}" id="punkt-{{ id }}">
      <p class="checklist__text"><strong>{{ item.text }}</strong>
        {% if item.required %}<span class="badge badge--warn">{{ required }}</span>{% else %}<span class="badge">{{ advisory }}</span>{% endif %}
        {% if mark %}<span class="badge badge--ok">{{ mark.get_state_display|capfirst }}</span>{% endif %}</p>
      {% if item.guidance %}<p class="muted">{{ item.guidance }}</p>{% endif %}
      {% if item.link %}<p><a href="{{ item.link }}" rel="noopener noreferrer">{{ read_more }}<span class="visually-hidden">: {{ item.text }}</span></a></p>{% endif %}
      {% if mark %}<p class="muted">{{ mark.by }}, <time datetime="{{ mark.at|date:'c' }}">{{ mark.at|date:"SHORT_DATETIME_FORMAT" }}</time>{% if mark.reason %} – {{ mark.reason }}{% endif %}</p>{% endif %}
      {% if may_tick %}
      <div class="checklist__actions">
        {% if mark %}
        <form method="post" action="{{ tick_prefix }}{{ id }}/oppna/" class="inline-form">{{ csrf_input }}<button type="submit" class="button button--small button--secondary">{{ undo }}<span class="visually-hidden">: {{ item.text }}</span></button></form>
        {% else %}
        <form method="post" action="{{ tick_prefix }}{{ id }}/klar/" class="inline-form">{{ csrf_input }}<button type="submit" class="button button--small">{{ done }}<span class="visually-hidden">: {{ item.text }}</span></button></form>
        <details class="checklist__na">
          <summary>{{ not_applicable }}<span class="visually-hidden">: {{ item.text }}</span></summary>
          <form method="post" action="{{ tick_prefix }}{{ id }}/ej-aktuell/" novalidate>{{ csrf_input }}
            <div class="field"><label for="na-{{ id }}-reason">{{ why }}</label>
            <input type="text" name="na-{{ id }}-reason" id="na-{{ id }}-reason" maxlength="1000" required></div>
            <button type="submit" class="button button--small button--secondary">{{ mark_na }}</button>
          </form>
        </details>
        {% endif %}
      </div>
      {% endif %}
    </li>
  {% endwith %}{% endfor %}"""  # noqa: E501

CSRF = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', "tOk<en>")
PREFIX = "/arenden/7/checklista/?a=1&b=<2>/"


def old(checklist: CaseChecklist, **context: object) -> str:
    return Template(OLD_LOOP).render(Context({"checklist": checklist, **context}))


def a_ticked_case(world):
    version = published_checklist(
        world.case_type, [(f"Punkt {n} {HOSTILE}", n % 2 == 0) for n in range(6)]
    )
    items = list(version.items.order_by("position"))
    ChecklistItem.objects.filter(pk=items[1].pk).update(
        guidance=f"Läs {HOSTILE}", link=f"https://example.se/?q=1&r={HOSTILE}"
    )
    case = register(world)
    actions.mark_item_done(case=case, item=items[0], by=world.centre_staff)
    actions.mark_item_not_applicable(
        case=case, item=items[1], by=world.centre_staff, reason=f"Ej aktuell {HOSTILE}"
    )
    return case


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("zone", ["Europe/Stockholm", "Pacific/Auckland"])
@pytest.mark.parametrize("may_tick", [True, False])
def test_the_rows_of_a_ticked_case_are_the_old_loops_html(world, language, zone, may_tick):
    case = a_ticked_case(world)
    checklist = checklist_of(case, world.centre_staff)
    assert checklist is not None
    assert len(checklist.rows) == 6
    assert sum(row.mark is not None for row in checklist.rows) == 2
    forms = {"tick_prefix": PREFIX, "csrf_input": CSRF} if may_tick else {}
    with translation.override(language), timezone.override(zone):
        html = new(checklist, may_tick=may_tick, **forms)
        assert html == old(checklist, may_tick=may_tick, **forms)
    assert "<script>" not in html


def test_hostile_values_everywhere_are_escaped_as_the_template_escaped_them(world):
    item = ItemText(key="k", text=HOSTILE, guidance=HOSTILE, link=HOSTILE, required=False)
    mark = CaseChecklistMark(
        state=MarkState.NOT_APPLICABLE, reason=HOSTILE, by=world.centre_staff, at=timezone.now()
    )
    checklist = CaseChecklist(
        version_number=1,
        rows=[Row(item_id=3, item=item, position=1, mark=mark), Row(4, item, 2)],
        newest_number=1,
        since=Difference(),
        summaries=[],
    )
    for may_tick in (True, False):
        html = new(checklist, may_tick=may_tick, tick_prefix=HOSTILE, csrf_input=CSRF)
        assert html == old(checklist, may_tick=may_tick, tick_prefix=HOSTILE, csrf_input=CSRF)
        assert "<script>" not in html


def test_no_rows_render_nothing():
    empty = CaseChecklist(1, [], 1, Difference(), [])
    assert new(empty, may_tick=True) == old(empty, may_tick=True) == ""
