"""The demo shows the team rhythm working, idempotently; the hourly task keeps rotas planned."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from tillit.core.workdays import add_working_days
from tillit.organisation.models import Person, Unit
from tillit.team import actions, queries, tasks
from tillit.team.models import Absence, Chore, HeroWeek, SwapRequest
from tillit.team.periods import local, monday, quarter_days, quarter_of
from tillit.team.states import AbsenceKind
from tillit.team.tests.factories import book, make_team, working_day


def counts():
    return (
        Absence.objects.count(),
        HeroWeek.objects.count(),
        SwapRequest.objects.count(),
        Chore.objects.count(),
        list(HeroWeek.objects.order_by("unit", "week").values_list("person_id", flat=True)),
    )


@pytest.mark.django_db
def test_the_demo_has_rotas_covers_a_swap_and_chores_and_loads_twice_the_same():
    with open("/dev/null", "w") as quiet:
        call_command("demo", stdout=quiet)
    today = timezone.localdate()
    kc = Unit.objects.get(code="KC")
    first_week = monday(quarter_days(*quarter_of(today))[0])
    assert HeroWeek.objects.filter(unit=kc, week=first_week).exists()
    assert HeroWeek.objects.filter(unit=kc, week__gte=monday(today) + timedelta(weeks=13)).exists()
    erik, maria = (Person.objects.get(username=u) for u in ("erik.johansson", "maria.nilsson"))
    day = add_working_days(today, 0)
    reflection = Absence.objects.get(person=erik, first_day=day)
    assert reflection.cover == maria
    during = max(timezone.now(), reflection.starts_at)
    assert queries.stand_in_for(erik, during) == maria
    handed = [c.subject for c in queries.quick_tasks(maria, reflection, now=during)]
    # the team demo's two, among Erik's other open cases from the cases demo
    assert {"Tillbyggnad av veranda, Sjövik", "Bygglov för garage, Ekvägen 4"} <= set(handed)
    assert SwapRequest.objects.filter(unit=kc, status="open").count() == 1
    assert Chore.objects.filter(unit=kc).count() == 5
    assert queries.insights(kc)
    before = counts()
    with open("/dev/null", "w") as quiet:
        call_command("demo", stdout=quiet)
    assert counts() == before


@pytest.mark.django_db
def test_the_hourly_task_plans_new_weeks_and_repairs_a_week_whose_hero_left():
    team = make_team(4, prefix="task")
    actions.set_unit_rules(
        unit=team.unit, by=team.manager, min_present=0, hero_rota=True, today=timezone.localdate()
    )
    HeroWeek.objects.filter(unit=team.unit, week__gt=monday(timezone.localdate())).last().delete()
    coming = HeroWeek.objects.filter(
        unit=team.unit, week=monday(timezone.localdate()) + timedelta(weeks=2)
    ).get()
    leaver = coming.person
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    assert tasks.refresh_rotas.call() > 0
    after = HeroWeek.objects.get(unit=team.unit, week=coming.week)
    assert after.person != leaver
    assert tasks.refresh_rotas.call() == 0  # nothing left to do: idempotent


@pytest.mark.django_db
def test_a_new_cover_takes_over_from_now_and_must_be_present():
    team = make_team(4)
    anna, bo, cia, dan = team.people
    absence = book(anna, working_day(2), cover=bo)
    book(dan, working_day(2), kind=AbsenceKind.ILLNESS)
    with pytest.raises(ValidationError) as refused, translation.override("sv"):
        actions.change_cover(absence=absence, by=anna, cover=dan)
    assert refused.value.message_dict["cover"] == [f"{dan} är borta under den tiden."]
    changed = actions.change_cover(absence=absence, by=anna, cover=cia)
    assert queries.stand_in_for(anna, local(changed.first_day) + timedelta(hours=9)) == cia
