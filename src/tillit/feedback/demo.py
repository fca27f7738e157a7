"""Demo: half a year of contacts at Sjöbacka, with surveys, reflections and appreciation, so the
dashboards show real charts from the first `make run`.

The history is replayed through the real actions, each step at its own moment in the past (the
actions read the clock, so the clock is set for each step). Nothing is written around them:
registration numbers, hand-overs, the case log and the surveys are what the actions made.
Loaded once: a second run finds the history and leaves everything as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.cases import actions as case_actions
from tillit.cases.models import Case
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.catalogue.models import CaseType
from tillit.core.demo import DemoContext
from tillit.core.workdays import add_working_days, is_working_day
from tillit.feedback import actions, measures
from tillit.feedback.models import Appreciation, SurveyAnswer
from tillit.feedback.states import CoCreation, SurveySource
from tillit.organisation.models import Person

DAYS = 90
MARKER = "Sjöbacka demo: service history"

CITIZENS = [
    ("Karin Nyström", "karin.nystrom@example.se"),
    ("Ahmed Hassan", "ahmed.hassan@example.se"),
    ("Lena Berg", ""),
    ("Johan Lindqvist", "johan.lindqvist@example.se"),
    ("Fatima Osman", "fatima.osman@example.se"),
    ("Per Sandberg", ""),
    ("Eva Holm", "eva.holm@example.se"),
    ("Zeynep Demir", "zeynep.demir@example.se"),
    ("Nils Wallin", "nils.wallin@example.se"),
    ("Maria Ek", "maria.ek@example.se"),
]
# (case type code, channel, what happens, subject)
CONTACTS = [
    ("bygglov-fraga", Channel.PHONE, "direct", "Behövs bygglov för altan?"),
    ("avfall-hamtning", Channel.PHONE, "direct", "Missad sophämtning"),
    ("lokalbokning", Channel.VISIT, "direct", "Bokning av gymnastiksal"),
    ("forskoleko", Channel.EMAIL, "answer", "Plats i förskolekön"),
    ("avfall-hamtning", Channel.EMAIL, "answer", "Byte till mindre sopkärl"),
    ("bygglov-fraga", Channel.WEB, "answer", "Fråga om friggebod"),
    ("felanmalan-gata", Channel.PHONE, "hand_over", "Trasig gatlampa på Storgatan"),
    ("felanmalan-gata", Channel.WEB, "hand_over", "Grop i vägen vid skolan"),
    ("skolplacering", Channel.EMAIL, "hand_over", "Byte av skola för vårt barn"),
    ("fardtjanst", Channel.PHONE, "hand_over", "Ansökan om färdtjänst"),
    ("foreningsbidrag", Channel.EMAIL, "hand_over", "Föreningsbidrag för ungdomsverksamhet"),
    ("allmanna-handlingar", Channel.EMAIL, "hand_over", "Begäran om protokoll"),
]
HANDLERS = {
    "SBF": ["erik.johansson", "anders.hedlund", "camilla.strom", "zeynep.demir"],
    "UBF": ["gustav.lind", "jenny.sjoberg", "sofia.wallin"],
    "VOF": ["margareta.lundgren", "yusuf.abdi", "henrik.nyberg"],
    "KFF": ["kristina.blom", "jonas.ahlberg"],
    "KLK": ["karin.berg", "lena.hellstrom"],
}
CENTRE = ["anna.lindqvist", "mohammed.hassan", "elin.karlsson", "johan.persson", "fatima.ali",
          "emma.svensson", "oskar.gustafsson", "linnea.holm"]  # fmt: skip
GOOD = [
    "Mycket trevligt bemötande, tack för snabb hjälp!",
    "Anna på kundcenter förklarade allt tydligt. Tack!",
    "Snabbt svar och lätt att förstå vad jag skulle göra.",
    "Tack till Mohammed som tog sig tid att lyssna.",
    "Bra att jag fick svar samma dag.",
    "",
    "",
]
MIXED = [
    "Det tog lång tid innan någon hörde av sig.",
    "Svårt att hitta rätt på webbplatsen, men personalen var hjälpsam.",
    "Jag fick ringa flera gånger, mitt nummer är 070-123 45 67 om ni vill nå mig.",
    "",
]
BAD = [
    "Ingen återkoppling på två veckor. Jag heter Lena Berg och bor på Storgatan 12.",
    "Jag blev skickad mellan olika avdelningar och ingen visste svaret.",
]


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Replay one step of the history at `moment`: every `timezone.now()` answers it."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _person(ctx: DemoContext, username: str) -> Person:
    return ctx.people[username]


def load(ctx: DemoContext) -> None:
    if SurveyAnswer.objects.exists() or Appreciation.objects.exists():
        return
    types = ctx.extra.get("case_types", {})
    if not types or "KC" not in ctx.units:
        return
    rng = ctx.rng
    closed: list[tuple[Case, datetime, str]] = []
    today = timezone.localdate()
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        if not is_working_day(day):
            continue
        for number in range(rng.choice([1, 1, 2])):
            code, channel, path, subject = rng.choice(CONTACTS)
            case_type = types.get(code)
            if case_type is None:
                continue
            staff = _person(ctx, rng.choice(CENTRE))
            name, email = rng.choice(CITIZENS)
            party = PartyInput(name=name, email=email)
            registered = _at(day, 8 + 2 * number + rng.randint(0, 1), rng.choice([5, 20, 40]))
            result = _replay(ctx, case_type, channel, path, subject, staff, party, registered)
            if result is not None:
                closed.append(result)
    _surveys(ctx, closed)
    _reflections(ctx, closed)
    _appreciation(ctx, closed)
    _settings(ctx)
    measures.roll_up(first_day=today - timedelta(days=DAYS + 1), last_day=today)
    ctx.log(f"  demo: feedback history of {len(closed)} closed cases")


def _replay(
    ctx: DemoContext,
    case_type: CaseType,
    channel: Channel,
    path: str,
    subject: str,
    staff: Person,
    party: PartyInput,
    registered: datetime,
) -> tuple[Case, datetime, str] | None:
    """One contact from registration to closing; returns (case, closed at, handler username)."""
    rng = ctx.rng
    direct = path == "direct"
    with _clock(registered):
        case = case_actions.register_case(
            channel=channel,
            subject=subject,
            case_type=case_type,
            by=staff,
            description=f"{MARKER}. {subject}.",
            party=party,
            resolved_at_first_contact=direct,
            at=registered,
        )
    if direct:
        return case, registered, staff.username
    day = registered.date()
    if path == "answer":
        answered = _at(add_working_days(day, rng.choice([0, 0, 1, 1, 2, 3])), rng.randint(9, 15))
        if answered > timezone.now():
            return None  # not answered yet: the case waits in the queue today
        with _clock(answered):
            case_actions.add_reply(case=case, by=staff, body="Tack för din fråga. Här är svaret.")
            case = case_actions.close_case(case=case, by=staff, resolution="Besvarat.")
        return case, answered, staff.username
    unit = ctx.units[case_type.administration.code]
    handler = _person(ctx, rng.choice(HANDLERS.get(unit.code, [staff.username])))
    offered = registered + timedelta(minutes=rng.randint(10, 90))
    with _clock(offered):
        if channel == Channel.EMAIL and rng.random() < 0.8:
            case_actions.add_reply(
                case=case,
                by=staff,
                body=f"Tack för ditt mejl. Vi har lämnat ärendet till {unit.name}.",
            )
        handover = case_actions.offer_handover(
            case=case,
            to_unit=unit,
            by=staff,
            done="Tog emot ärendet och kontrollerade uppgifterna.",
            expected="Handlägg och svara invånaren.",
        )
    accepted = max(
        _at(add_working_days(day, rng.choice([0, 1, 1, 2])), rng.randint(8, 11)),
        offered + timedelta(minutes=30),
    )
    if accepted > timezone.now():
        return None  # the offer is still waiting for the administration
    with _clock(accepted):
        case = case_actions.accept_handover(handover=handover, by=handler, handler=handler)
    done_day = add_working_days(accepted.date(), rng.choice([1, 2, 3, 5, 8, 12]))
    finished = _at(done_day, rng.randint(9, 16))
    if finished > timezone.now():
        return None  # still being worked on today
    with _clock(finished):
        case_actions.add_reply(case=case, by=handler, body="Vi har nu handlagt ditt ärende.")
        case = case_actions.close_case(case=case, by=handler, resolution="Handlagt.")
    return case, finished, handler.username


def _surveys(ctx: DemoContext, closed: list[tuple[Case, datetime, str]]) -> None:
    rng = ctx.rng
    for case, closed_at, _handler in closed:
        if case.is_secret or rng.random() > 0.8:
            continue
        sent = closed_at + timedelta(days=1)
        if sent > timezone.now():
            continue
        with _clock(sent):
            token = actions.open_survey(case=case, source=SurveySource.CLOSED)
        if rng.random() > 0.6:
            continue  # not everyone answers
        mood = rng.random()
        if mood < 0.07:
            scores, comment, contact = (
                (rng.randint(1, 2), rng.randint(1, 2), 2),
                rng.choice(BAD),
                True,
            )
        elif mood < 0.25:
            scores, comment, contact = (
                (3, rng.randint(2, 4), rng.randint(2, 4)),
                rng.choice(MIXED),
                False,
            )
        else:
            scores = (rng.choice([4, 5, 5]), rng.choice([4, 4, 5]), rng.choice([3, 4, 5]))
            comment, contact = rng.choice(GOOD), False
        answered = sent + timedelta(hours=rng.randint(1, 60))
        with _clock(min(answered, timezone.now())):
            actions.answer_survey(
                token=token,
                treatment=scores[0],
                got_help=scores[1],
                ease=scores[2],
                comment=comment,
                wants_contact=contact,
            )


def _reflections(ctx: DemoContext, closed: list[tuple[Case, datetime, str]]) -> None:
    notes = [
        (CoCreation.YES, "Invånaren hade alla papper med sig.", "Checklistan gjorde det enkelt."),
        (
            CoCreation.PARTLY,
            "Det hade hjälpt med ritningen redan vid första kontakten.",
            "Vi kunde ha förklarat handläggningstiden tydligare.",
        ),
        (
            CoCreation.NO,
            "Frågan gällde egentligen en annan förvaltning.",
            "Vi borde ha frågat grannen direkt i stället för att lämna över.",
        ),
        (CoCreation.YES, "", "Bra att vi ringde upp samma dag."),
    ]
    for (case, closed_at, handler), (co_created, citizen, ours) in zip(
        closed[-12::3], notes * 3, strict=False
    ):
        with _clock(min(closed_at + timedelta(hours=1), timezone.now())):
            actions.record_reflection(
                case=case,
                by=_person(ctx, handler),
                co_created=co_created,
                citizen_part=citizen,
                our_part=ours,
            )


def _appreciation(ctx: DemoContext, closed: list[tuple[Case, datetime, str]]) -> None:
    messages = [
        (
            "lars.andersson",
            "Tack för att du tog dig tid med det här samtalet – invånaren blev verkligen hjälpt.",
        ),
        ("mohammed.hassan", "Snyggt jobbat med överlämningen, allt fanns med."),
        ("daniel.engstrom", "Snabb och tydlig handläggning, precis så vi vill arbeta."),
        ("elin.karlsson", "Tack för hjälpen när jag fastnade – du är guld värd!"),
    ]
    recent = closed[-40:]
    sent = 0
    for case, closed_at, handler in reversed(recent):
        if sent >= len(messages):
            break
        sender_name, text = messages[sent]
        if sender_name == handler or sender_name not in ctx.people:
            continue
        with _clock(min(closed_at + timedelta(hours=2), timezone.now())):
            try:
                actions.send_appreciation(
                    case=case,
                    by=_person(ctx, sender_name),
                    to=_person(ctx, handler),
                    message=text,
                    submission_key=f"demo-appreciation-{case.pk}",
                )
            except ValidationError:
                continue  # the sender may not see this case: try the next one
        sent += 1


def _settings(ctx: DemoContext) -> None:
    for code, manager, share, delay in (
        ("KC", "lars.andersson", 100, 24),
        ("SOC", "hanna.bergstrom", 50, 48),
    ):
        if code in ctx.units and manager in ctx.people:
            actions.configure_surveys(
                unit=ctx.units[code],
                by=_person(ctx, manager),
                enabled=True,
                share_percent=share,
                delay_hours=delay,
                valid_days=14,
            )
