"""The demo municipality's team rhythm: hero rotas for the current quarter, reflection days with
covers (one today, so the cover can be seen working), a swap waiting for an answer, chores.

Idempotent: bookings carry request keys, the demo cases submission keys, and the rota's past
weeks are filled in only the first time (a rota is never replanned into weeks that have begun).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.cases.actions import register_case
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.catalogue.queries import public_case_types
from tillit.core.demo import DemoContext
from tillit.core.workdays import add_working_days
from tillit.team import actions
from tillit.team.models import Absence, HeroWeek, SwapRequest
from tillit.team.periods import monday, quarter_days, quarter_of
from tillit.team.queries import chores_for_week
from tillit.team.states import AbsenceKind, DayPart, SwapStatus

# unit code, manager, at least present
RULES = [
    ("KC", "lars.andersson", 9),
    ("SBF", "daniel.engstrom", 4),
    ("SOC", "hanna.bergstrom", 3),
    ("VOF", "eva.dahlgren", 2),
]

CHORES = {
    "KC": [
        "Tömma funktionsbrevlådan kc@sjobacka.se morgon och eftermiddag",
        "Hämta och sortera posten",
        "Fylla på broschyrer och blanketter i receptionen",
        "Vattna blommorna",
        "Kolla att skrivaren har papper och toner",
    ],
    "SBF": [
        "Bevaka funktionsbrevlådan sbf@sjobacka.se",
        "Registrera inkommen post på bygglov",
        "Vattna blommorna",
    ],
    "SOC": ["Bevaka funktionsbrevlådan soc@sjobacka.se", "Hämta posten"],
    "VOF": ["Bevaka funktionsbrevlådan vof@sjobacka.se", "Boka lokal till veckomötet"],
}

# submission key, case type code, owner unit, handler, subject
CASES = [
    ("demo-team-1", "bygglov-ansokan", "SBF", "erik.johansson", "Bygglov för garage, Ekvägen 4"),
    ("demo-team-2", "bygglov-ansokan", "SBF", "erik.johansson", "Tillbyggnad av veranda, Sjövik"),
    ("demo-team-3", "bygglov-ansokan", "SBF", "maria.nilsson", "Fasadändring, Storgatan 12"),
    ("demo-team-4", "avfall-hamtning", "KC", "anna.lindqvist", "Missad sophämtning, Björkvägen"),
    ("demo-team-5", "avfall-hamtning", "KC", "mohammed.hassan", "Trasigt sopkärl, Lövängen 3"),
]

INSIGHTS = [
    (
        "linnea.holm",
        "ahmed.yilmaz",
        15,
        "Jag läste klarspråksriktlinjerna igen. Våra standardsvar om bygglov kan bli hälften så "
        "långa – jag tar med ett förslag till nästa APT.",
    ),
    (
        "ida.lundberg",
        "emma.svensson",
        25,
        "Många som mejlar om förskolekön har redan fått svar via e-tjänsten. En rad om det i "
        "autosvaret på funktionsbrevlådan skulle spara tid för alla.",
    ),
]


def _cases(ctx: DemoContext) -> None:
    types = {t.code: t for t in public_case_types()}
    for key, code, unit, handler, subject in CASES:
        if code not in types:
            continue
        register_case(
            channel=Channel.PHONE,
            subject=subject,
            case_type=types[code],
            by=ctx.people[handler],
            owner=ctx.units[unit],
            handler=ctx.people[handler],
            party=PartyInput(name="Kerstin Malm", email="kerstin.malm@example.se"),
            submission_key=key,
        )


def _book(ctx: DemoContext, username: str, day: date, cover: str | None, **kwargs: object) -> None:
    person = ctx.people[username]
    try:
        actions.book_absence(
            person=person,
            by=person,
            first_day=day,
            cover=ctx.people[cover] if cover else None,
            request_key=f"demo:{username}:{day.isoformat()}",
            **kwargs,  # type: ignore[arg-type]
        )
    except ValidationError as refusal:  # a re-run on a busier day: say so, go on
        ctx.log(f"  demo: team skipped a booking for {username}: {refusal.messages[0]}")


def load(ctx: DemoContext) -> None:
    today = timezone.localdate()
    _cases(ctx)

    # Reflection days already taken, with an insight shared (before the rotas exist, so booking
    # in the past never touches a rota).
    for username, cover, days_ago, insight in INSIGHTS:
        past = add_working_days(today - timedelta(days=days_ago), 0)
        _book(ctx, username, past, cover, kind=AbsenceKind.REFLECTION, today=past)
        absence = Absence.objects.filter(request_key=f"demo:{username}:{past.isoformat()}").first()
        if absence is not None and not absence.insight:
            actions.share_insight(absence=absence, by=ctx.people[username], insight=insight)

    # Rules and rotas: the current quarter from its first week, then a quarter ahead from now.
    year, quarter = quarter_of(today)
    quarter_start = monday(quarter_days(year, quarter)[0])
    for code, manager, min_present in RULES:
        unit = ctx.units[code]
        first_time = not HeroWeek.objects.filter(unit=unit).exists()
        actions.set_unit_rules(
            unit=unit,
            by=ctx.people[manager],
            min_present=min_present,
            hero_rota=True,
            today=quarter_start if first_time else today,
        )
        actions.refresh_hero_rota(unit=unit, today=today)

    # Bookings from today on: Erik reflects today and Maria covers (log in as maria.nilsson).
    first_working = add_working_days(today, 0)
    _book(ctx, "erik.johansson", first_working, "maria.nilsson", kind=AbsenceKind.REFLECTION)
    _book(
        ctx,
        "anna.lindqvist",
        add_working_days(today, 7),
        "mohammed.hassan",
        kind=AbsenceKind.REFLECTION,
        part=DayPart.MORNING,
        note="Läsa in mig på nya avfallstaxan och skriva ner frågor till SBF.",
    )
    _book(
        ctx, "fatima.ali", add_working_days(today, 4), "elin.karlsson", kind=AbsenceKind.REFLECTION
    )
    vacation = add_working_days(today, 12)
    _book(
        ctx,
        "johan.persson",
        vacation,
        "ulla.fransson",
        kind=AbsenceKind.VACATION,
        last_day=vacation + timedelta(days=4),
    )

    _swap(ctx, today)
    _chores(ctx, today)


def _swap(ctx: DemoContext, today: date) -> None:
    unit = ctx.units["KC"]
    if SwapRequest.objects.filter(unit=unit, status=SwapStatus.OPEN).exists():
        return
    coming = list(
        HeroWeek.objects.filter(unit=unit, week__gt=monday(today) + timedelta(weeks=1))
        .select_related("person", "unit")
        .order_by("week")
    )
    for mine in coming:
        theirs = next((w for w in coming if w.person_id != mine.person_id), None)
        if theirs is None:
            return
        try:
            actions.request_swap(
                by=mine.person,
                my_week=mine,
                their_week=theirs,
                message="Jag har kurs den veckan – kan vi byta?",
            )
        except ValidationError:
            continue
        return


def _chores(ctx: DemoContext, today: date) -> None:
    week = monday(today)
    for code, titles in CHORES.items():
        unit = ctx.units[code]
        existing = {chore.title: chore for chore, _tick in chores_for_week(unit, week)}
        for title in titles:
            if title not in existing:
                existing[title] = actions.add_chore(
                    unit=unit, by=ctx.people[RULES_BY_CODE[code]], title=title
                )
        hero = HeroWeek.objects.filter(unit=unit, week=week).select_related("person").first()
        if hero is not None:
            actions.tick_chore(chore=existing[titles[0]], by=hero.person, today=today)


RULES_BY_CODE = {code: manager for code, manager, _min in RULES}
