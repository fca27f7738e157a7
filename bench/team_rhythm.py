"""Team rhythm costs on the request path: routing, rota planning, booking checks, calendar feeds.

    .venv/bin/python bench/team_rhythm.py [--people 2000] [--absences 20000] [--repeat 200]
    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_team \
        .venv/bin/python bench/team_rhythm.py

Builds a throw-away test database (SQLite by default, or `test_<name>` on PostgreSQL), with a
municipality of `--people` staff and `--absences` absences spread over two years, and a unit of
40 with a hero rota. Prints JSON lines:
- `stand_in_for` per call (the cases actions ask it on every assignment and named offer);
- planning a unit's hero rota again (52 weeks replayed, 14 planned);
- the booking preview (presence rule on every unit of the person, suggested covers);
- rendering a unit's iCalendar feed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import emit, in_test_database, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--absences", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    in_test_database(lambda: run(args))


def run(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from tillit.organisation.actions import grant_role
    from tillit.organisation.models import Municipality, Person, Role, Unit, UnitKind
    from tillit.team import actions, feeds, queries
    from tillit.team.models import Absence
    from tillit.team.periods import bounds
    from tillit.team.states import AbsenceKind, DayPart

    rng = random.Random(6)
    municipality = Municipality.objects.create(name="Benchköping")
    units = [
        Unit.objects.create(
            municipality=municipality, kind=UnitKind.TEAM, name=f"Enhet {i}", code=f"E{i}"
        )
        for i in range(args.people // 40)
    ]
    people = Person.objects.bulk_create(
        Person(
            username=f"p{i}", first_name="Test", last_name=f"Person {i}", email=f"p{i}@example.se"
        )
        for i in range(args.people)
    )
    from tillit.organisation.models import Membership

    Membership.objects.bulk_create(
        Membership(person=person, unit=units[i % len(units)], role=Role.STAFF)
        for i, person in enumerate(people)
    )
    today = timezone.localdate()
    rows = []
    for _ in range(args.absences):
        person = rng.choice(people)
        first = today + timedelta(days=rng.randint(-365, 365))
        part = rng.choice([DayPart.WHOLE, DayPart.WHOLE, DayPart.MORNING, DayPart.AFTERNOON])
        starts, ends = bounds(first, first, part)
        rows.append(
            Absence(
                person=person,
                kind=AbsenceKind.REFLECTION,
                first_day=first,
                last_day=first,
                part=part,
                starts_at=starts,
                ends_at=ends,
                booked_by=person,
                booked_at=timezone.now(),
            )
        )
    Absence.objects.bulk_create(rows, batch_size=2000)

    unit = units[0]
    manager = Person.objects.create(username="chef", first_name="Chef", last_name="Chefsson")
    grant_role(person=manager, unit=unit, role=Role.MANAGER)
    actions.set_unit_rules(unit=unit, by=manager, min_present=20, hero_rota=True)
    members = list(Person.objects.filter(memberships__unit=unit))
    someone = members[1]
    now = timezone.now()

    # A primary-key read, for scale: the machine is shared, so compare with it.
    baseline = timed(lambda: Person.objects.filter(pk=rng.choice(people).pk).first(), args.repeat)
    emit("team.baseline_pk_read", statistics.median(baseline), "ms", "reference")
    samples = timed(lambda: queries.stand_in_for(rng.choice(people), now), args.repeat)
    emit(
        "team.stand_in_for",
        statistics.median(samples),
        "ms",
        "≤ 1.5× a primary-key read (one indexed query)",
        p95=round(sorted(samples)[int(len(samples) * 0.95)], 3),
        ratio_to_pk_read=round(statistics.median(samples) / statistics.median(baseline), 2),
        absences=args.absences,
    )

    samples = timed(lambda: actions.refresh_hero_rota(unit=unit, replan_from=today), 10)
    emit(
        "team.replan_rota",
        statistics.median(samples),
        "ms",
        "< 500 ms for a unit of 40",
        members=len(members),
        weeks=66,
    )

    def preview() -> object:
        day = today + timedelta(days=rng.randint(1, 60))
        try:
            return queries.booking_preview(
                someone, kind="vacation", first_day=day, last_day=None, part="whole"
            )
        except Exception:  # a refused day is measured the same
            return None

    samples = timed(preview, 20)
    emit("team.booking_preview", statistics.median(samples), "ms", "< 300 ms", members=len(members))

    samples = timed(lambda: feeds.unit_feed(unit), 10)
    emit(
        "team.unit_feed",
        statistics.median(samples),
        "ms",
        "< 500 ms (each subscriber polls every 15–60 min)",
        bytes=len(feeds.unit_feed(unit)),
    )


if __name__ == "__main__":
    main()
