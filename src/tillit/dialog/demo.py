"""Demo: Norrköping-style leadership day at named round tables, finished, with its notes, joint
answers and success factors ("Delaktighet" the most frequent), an action item and a proposal;
and one open session to join, whose code the demo prints.

Everything is replayed through the real actions (join, step, write, share, moderate), so the
demo shows what a real session leaves behind. Loaded once: a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tillit.core.demo import DemoContext
from tillit.dialog import actions
from tillit.dialog.models import Participant, Session
from tillit.dialog.states import Template

FINISHED_TITLE = "Chefsdag: tillit i vardagen"
OPEN_TITLE = "Arbetsplatsträff: hur har vi det nu?"
FACILITATOR = "per.isaksson"
MANAGER = "hanna.bergstrom"

PEOPLE = [
    "Annika",
    "Bengt",
    "Cecilia",
    "David",
    "Elin",
    "Fredrik",
    "Gunilla",
    "Hassan",
    "Ingrid",
    "Jonas",
    "Karin",
    "Lars",
    "Maria",
    "Nils",
    "Olivia",
    "Peter",
    "",
    "Rasmus",
    "Sara",
    "Tomas",
    "Ulla",
    "Viktor",
    "",
    "Åsa",
]  # fmt: skip  (an empty name joins anonymously)
NOTES = [
    ("Delaktighet i besluten som rör oss", True),
    ("Mer tid att reflektera tillsammans", True),
    ("Tillit till att medarbetarna kan", True),
    ("Vi behöver delaktigheten tidigt, inte efteråt", True),
    ("Jag är trött på möten utan syfte", False),
    ("Öppenhet om hur beslut fattas", True),
    ("Lyhördhet från chefen", True),
    ("Delaktighet och ansvar hör ihop", True),
]
ANSWERS = [
    "Vi vill ha delaktighet på riktigt: medarbetarna med från början när vi planerar.",
    "Tillit växer när vi får tid att reflektera och när chefen lyssnar.",
    "Öppenhet och delaktighet i besluten, och mod att pröva nytt.",
    "Korta vägar, tydligt ansvar och delaktighet i vardagen.",
]
FACTORS = [
    ["Delaktighet", "Tid för reflektion", "Tillit"],
    ["Delaktigheten i besluten", "Lyhördhet", "Öppenhet"],
    ["Delaktighet", "Mod att pröva nytt", "Tydligt ansvar"],
    ["Delaktighet i vardagen", "Tillit", "Korta beslutsvägar"],
]


def load(ctx: DemoContext) -> None:
    facilitator = ctx.people.get(FACILITATOR)
    manager = ctx.people.get(MANAGER)
    if facilitator is None or manager is None:
        return
    if not Session.objects.filter(title=FINISHED_TITLE).exists():
        _finished_day(ctx)
    session = Session.objects.filter(title=OPEN_TITLE, finished_at__isnull=True).first()
    if session is None:
        session = actions.create_session(
            facilitator=facilitator,
            title=OPEN_TITLE,
            template=Template.THREE_STEPS,
            questions=[
                "Hur har vi det nu?",
                "Vad ser vi tillsammans?",
                "Vilka är våra framgångsfaktorer?",
            ],
            minutes=[3, 10, 5],
        )
    ctx.extra["dialog_code"] = session.code
    ctx.log(f"  demo: dialog session open to join at /dialog/ with the code {session.code}")


def _finished_day(ctx: DemoContext) -> None:
    facilitator = ctx.people[FACILITATOR]
    session = actions.create_session(
        facilitator=facilitator,
        title=FINISHED_TITLE,
        template=Template.THREE_STEPS,
        questions=[
            "Hur har vi det nu?",
            "Vad ser vi vid bordet?",
            "Vilka är våra framgångsfaktorer?",
        ],
        minutes=[5, 15, 10],
        table_names=["Eldkvarn", "Strömmen", "Holmen", "Laxholmen"],
    )
    people = [
        actions.join_session(session=session, name=name, anonymous=not name)[0] for name in PEOPLE
    ]
    session = actions.advance_step(session=session, by=facilitator, from_step=0)
    for index, participant in enumerate(people):
        text, shared = NOTES[index % len(NOTES)]
        actions.add_note(participant=participant, text=text, step=1, shared=shared)
    session = actions.advance_step(session=session, by=facilitator, from_step=1)
    tables = list(session.tables.order_by("number"))
    first_at: dict[int | None, Participant] = {}
    for participant in people:
        participant.refresh_from_db()
        first_at.setdefault(participant.table_id, participant)
    for number, table in enumerate(tables):
        actions.save_table_answer(
            participant=first_at[table.pk], text=ANSWERS[number % len(ANSWERS)], step=2
        )
    session = actions.advance_step(session=session, by=facilitator, from_step=2)
    made = []
    for number, table in enumerate(tables):
        for text in FACTORS[number % len(FACTORS)]:
            made.append(
                actions.add_success_factor(participant=first_at[table.pk], text=text, step=3)
            )
    actions.set_revealed(session=session, by=facilitator, revealed=True)
    delaktighet = [f for f in made if f.text == "Delaktighet"]
    actions.merge_factor(factor=delaktighet[1], into=delaktighet[0], by=facilitator)
    actions.pin_factor(factor=delaktighet[0], by=facilitator)
    actions.create_action_item(
        session=session,
        by=facilitator,
        factor=delaktighet[0],
        text="Ta upp delaktighet i besluten på nästa APT",
        owner=ctx.people[MANAGER],
        due=timezone.localdate() + timedelta(days=21),
    )
    reflection = next(f for f in made if f.text == "Tid för reflektion")
    actions.create_proposal(
        session=session,
        by=facilitator,
        factor=reflection,
        text="En reflektionstimme i månaden för varje arbetsgrupp",
        manager=ctx.people[MANAGER],
        answer_days=10,
    )
    actions.advance_step(session=session, by=facilitator, from_step=3)
