"""The case page's "Work on the case" section: the forms of the changes that apply to the case
for its reader, grouped, and their markup.

The markup, white space included, is what the page template's loop wrote
(`cases/tests/test_work_html.py` keeps that loop and compares byte for byte); the forms'
address is reversed once, their labels are translated once, and one CSRF field serves them all
(decision 0472).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from tillit.cases import forms
from tillit.cases.changes import CHANGES, GROUPS, Change, Situation
from tillit.core.markup import esc


@dataclass(frozen=True)
class WorkForm:
    change: Change
    form: forms.CaseForm | forms.HandoverForm
    fields: SafeString
    action: str
    title: str
    button: str


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    forms: list[WorkForm]


def work_groups(
    situation: Situation, *, bound: Mapping[str, forms.CaseForm | forms.HandoverForm] | None = None
) -> list[Group]:
    """Each group of changes with the forms of those that apply; a bound form (a refused post)
    is shown in place of its fresh one."""
    bound = bound or {}
    case, person = situation.case, situation.person
    action = reverse("cases:change", args=[case.pk, "slug"]).removesuffix("slug/")
    groups = []
    for key, title in GROUPS:
        shown = []
        for change in CHANGES:
            if change.group == key and change.available(situation):
                form = bound.get(change.slug) or change.form(
                    case=case, person=person, prefix=change.slug
                )
                shown.append(
                    WorkForm(
                        change=change,
                        form=form,
                        fields=forms.fields_html(form),
                        action=f"{action}{change.slug}/",
                        title=str(change.title),
                        button=str(change.button),
                    )
                )
        if shown:
            groups.append(Group(key=key, title=str(title), forms=shown))
    return groups


_GROUP = '\n  <div class="work__group">\n    <h3>{title}</h3>\n    {forms}\n  </div>\n  '
_BUTTON = (
    '\n    <form method="post" action="{action}" class="inline-form">\n      {csrf}\n'
    '      {fields}\n      <button type="submit" class="button button--secondary">{title}'
    "</button>\n    </form>\n    "
)
_DETAILS = (
    '\n    <details class="work__form"{open}>\n      <summary>{title}</summary>\n'
    '      <form method="post" action="{action}" novalidate>\n        {csrf}\n'
    '        {fields}\n        <button type="submit" class="button{danger}">{button}</button>\n'
    "      </form>\n    </details>\n    "
)


def work_html(groups: list[Group], csrf: str) -> SafeString:
    """The groups as the page shows them inside its work section; every value through `esc`."""
    csrf = esc(csrf)
    parts = []
    for group in groups:
        rows = []
        for each in group.forms:
            values = {
                "action": esc(each.action),
                "csrf": csrf,
                "fields": esc(each.fields),
                "title": esc(each.title),
            }
            if each.change.is_button:
                rows.append(_BUTTON.format(**values))
            else:
                rows.append(
                    _DETAILS.format(
                        open=" open" if each.form.errors else "",
                        danger=" button--danger" if each.change.danger else "",
                        button=esc(each.button),
                        **values,
                    )
                )
        shown = "".join(f"\n    {row}\n    " for row in rows)
        parts.append(_GROUP.format(title=esc(group.title), forms=shown))
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
