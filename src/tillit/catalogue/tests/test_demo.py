"""The demo catalogue: every type has a checklist, closed demo cases have no open required item,
one case shows what changed since its version, two notices, and loading again changes nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client

from tillit.cases.models import Case
from tillit.cases.states import Status
from tillit.cases.tests.pages import page_text
from tillit.catalogue.demo import STORY_KEY
from tillit.catalogue.models import CaseType, ChangeNotice, ChecklistItem, Question
from tillit.catalogue.queries import open_required_items, search_case_types
from tillit.organisation.models import Person, Unit, UnitKind


def test_the_demo_catalogue(db):
    call_command("demo", stdout=StringIO())
    types = CaseType.objects.filter(is_active=True)
    assert types.count() >= 55
    administrations = Unit.objects.filter(kind=UnitKind.ADMINISTRATION, is_active=True)
    per_unit = {unit.code: types.filter(administration=unit).count() for unit in administrations}
    assert per_unit and all(count >= 5 for count in per_unit.values()), per_unit
    assert all(t.versions.filter(status="published").exists() for t in types)
    assert [t.name for t in search_case_types("plogning")] == ["Snöröjning och halkbekämpning"]
    closed = Case.objects.filter(status=Status.CLOSED)
    assert closed.count() > 30
    assert all(open_required_items(case) == [] for case in closed)
    assert ChangeNotice.objects.filter(published_at__isnull=False).count() == 2
    story = Case.objects.get(submission_key=STORY_KEY)
    assert story.case_type_version.number == 1
    assert open_required_items(story) == ["Fråga om behov i vardagen"]
    client = Client(headers={"Accept-Language": "sv"})
    client.force_login(Person.objects.get(username="linnea.holm"))
    text = page_text(client.get(f"/arenden/{story.pk}/"))
    assert "Hanteras enligt version 1." in text
    assert "Tillagd: Fråga om utskrivning från sjukhus" in text
    assert "samordnad planering" in text  # the neighbour's answer, in the log

    before = (ChecklistItem.objects.count(), Question.objects.count(), Case.objects.count())
    call_command("demo", stdout=StringIO())
    assert (ChecklistItem.objects.count(), Question.objects.count(), Case.objects.count()) == before
