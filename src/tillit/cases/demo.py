"""About 150 demo cases in Sjöbacka kommun, in every state, told through the real actions.

Each case is a short story (registered, noted, offered, accepted, replied to, closed...) whose
steps happen on working days over the last months. The actions read the clock, so while a story
is told the demo sets `django.utils.timezone.now` to the story's time (never later than the real
time): the log, the legs and the answer deadlines then read as they would have happened. Only the
demo does this; see docs/decisions/0351-demo-cases-on-a-story-clock.md.

Idempotent: each story registers its case under the submission key `demo:NNN` and is skipped when
that case exists.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.utils import timezone

from tillit.cases import actions
from tillit.cases.demo_texts import FIRST_NAMES, LAST_NAMES, RETURN_REASONS, STREETS, TEXTS, Texts
from tillit.cases.models import Case, Handover
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.catalogue.models import CaseType
from tillit.core.demo import DemoContext
from tillit.core.workdays import add_working_days
from tillit.organisation.demo import PEOPLE
from tillit.organisation.models import Person, Role, Unit

CENTRE_TYPES = ["bygglov-fraga", "avfall-hamtning", "forskoleko", "lokalbokning", "synpunkt"]
HANDOVER_TYPES = [
    "bygglov-ansokan",
    "felanmalan-gata",
    "skolplacering",
    "fardtjanst",
    "foreningsbidrag",
    "allmanna-handlingar",
    "synpunkt",
]


class StoryClock:
    """The time the actions see while a story is told; never later than `limit`."""

    def __init__(self, limit: datetime) -> None:
        self.limit = limit
        self.now = limit

    def set(self, moment: datetime) -> datetime:
        self.now = min(moment, self.limit)
        return self.now

    def read(self) -> datetime:
        return self.now

    @contextmanager
    def running(self) -> Iterator[None]:
        with mock.patch.object(timezone, "now", self.read):
            yield


def office_time(day: date, rng: random.Random) -> datetime:
    """A moment in office hours (08:00–16:30) of `day`, Swedish time."""
    minutes = rng.randint(0, 8 * 60 + 30)
    moment = datetime.combine(day, time(8, 0)) + timedelta(minutes=minutes)
    return timezone.make_aware(moment)


def case_workers(ctx: DemoContext) -> dict[str, list[Person]]:
    """Who works cases in each unit: its staff, or its registrars where it has no staff (the
    executive office)."""
    workers: dict[str, list[Person]] = {}
    registrars: dict[str, list[Person]] = {}
    for username, _first, _last, _title, unit, roles, _login in PEOPLE:
        if Role.STAFF in roles or Role.CONTACT_PERSON in roles:
            workers.setdefault(unit, []).append(ctx.people[username])
        elif Role.REGISTRAR in roles:
            registrars.setdefault(unit, []).append(ctx.people[username])
    return {**registrars, **workers}


@dataclass
class Story:
    key: str
    start: datetime
    type_code: str
    tell: Callable[[Demo, Story], None]


class Demo:
    def __init__(self, ctx: DemoContext, clock: StoryClock) -> None:
        self.ctx = ctx
        self.rng = random.Random(3)  # its own seed, so other apps' demos do not shift it
        self.clock = clock
        self.types: dict[str, CaseType] = ctx.extra["case_types"]
        self.staff = case_workers(ctx)
        self.citizens = 0

    # --- time ---------------------------------------------------------------------------------

    def later(self, working_days: int = 0, *, minutes: tuple[int, int] = (20, 180)) -> None:
        """Move the story on by some working days (to office hours), or by some minutes."""
        now = self.clock.now
        if working_days:
            day = add_working_days(timezone.localtime(now).date(), working_days)
            self.clock.set(max(office_time(day, self.rng), now))
        else:
            self.clock.set(now + timedelta(minutes=self.rng.randint(*minutes)))

    # --- people -------------------------------------------------------------------------------

    def person(self, username: str) -> Person:
        return self.ctx.people[username]

    def unit(self, code: str) -> Unit:
        return self.ctx.units[code]

    def one_of(self, unit_code: str) -> Person:
        return self.rng.choice(self.staff[unit_code])

    def citizen(self, *, email: bool = True, number: bool = False) -> PartyInput:
        self.citizens += 1
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        login = f"{first}.{last}".lower().translate(str.maketrans("åäöé", "aaoe"))
        return PartyInput(
            name=f"{first} {last}",
            email=f"{login}{self.citizens}@example.com" if email else "",
            phone=f"070-174 06 {5 + self.citizens % 95:02d}",
            address=f"{self.rng.choice(STREETS)} {self.rng.randint(1, 40)}, Sjöbacka",
            personal_number=self.test_personnummer() if number else "",
        )

    def test_personnummer(self) -> str:
        """A number from Skatteverket's test series (birth number 980–999): never a real person."""
        born = date(1940, 1, 1) + timedelta(days=self.rng.randint(0, 60 * 365))
        digits = f"{born:%y%m%d}{self.rng.randint(980, 999)}"
        total = 0
        for index, digit in enumerate(digits):
            value = int(digit) * (2 - index % 2)
            total += value - 9 if value > 9 else value
        return f"{born:%Y%m%d}-{digits[6:]}{(10 - total % 10) % 10}"

    # --- steps --------------------------------------------------------------------------------

    def texts(self, story: Story) -> Texts:
        return TEXTS[story.type_code]

    def register(
        self,
        story: Story,
        *,
        by: Person | None,
        channel: Channel = Channel.PHONE,
        owner: Unit | None = None,
        handler: Person | None = None,
        resolved: bool = False,
        oral: bool = True,
        party: PartyInput | None = None,
        provision: str = "",
    ) -> Case:
        texts = self.texts(story)
        topic = self.rng.choice(texts.topics)
        return actions.register_case(
            channel=channel,
            subject=topic.subject,
            description=topic.description,
            case_type=self.types[story.type_code],
            by=by,
            party=party if party is not None else self.citizen(email=self.rng.random() < 0.6),
            owner=owner,
            handler=handler,
            secrecy_provision=provision,
            resolved_at_first_contact=resolved,
            oral_information=texts.oral if oral and by is not None else "",
            submission_key=f"demo:{story.key}",
            at=self.clock.now,
        )

    def offer(self, story: Story, case: Case, by: Person, to: str, **kwargs: object) -> Handover:
        texts = self.texts(story)
        return actions.offer_handover(
            case=case,
            to_unit=self.unit(to),
            by=by,
            done=texts.done or "Registrerat ärendet.",
            expected=texts.expected or "Ta över ärendet.",
            **kwargs,  # type: ignore[arg-type]
        )

    def accept(self, handover: Handover, unit_code: str) -> tuple[Case, Person]:
        handler = self.one_of(unit_code)
        case = actions.accept_handover(handover=handover, by=handler, handler=handler)
        return case, handler

    def work_and_close(self, story: Story, case: Case, by: Person) -> None:
        texts = self.texts(story)
        self.later(self.rng.randint(0, 2))
        actions.add_note(case=case, by=by, body=texts.note)
        self.later(self.rng.randint(0, 3))
        actions.add_reply(case=case, by=by, body=texts.reply)
        self.later(minutes=(5, 60))
        actions.close_case(case=case, by=by, resolution=texts.resolution)


# --- the stories ----------------------------------------------------------------------------------


def first_contact(d: Demo, s: Story) -> None:
    """Answered on the phone or at the desk, registered and closed in one step."""
    by = d.one_of("KC")
    channel = Channel.VISIT if d.rng.random() < 0.3 else Channel.PHONE
    d.register(s, by=by, channel=channel, owner=d.unit("KC"), handler=by, resolved=True)


def centre_open(d: Demo, s: Story) -> None:
    """A case the contact centre works itself: new, in progress, waiting, or closed later."""
    kind = int(s.key[-3:]) % 4
    by = d.person("anna.lindqvist") if kind == 1 else d.one_of("KC")
    case = d.register(s, by=by, handler=None if kind == 0 else by)
    texts = d.texts(s)
    if kind == 0:
        return  # new and unassigned: in the unit's queue (and overdue after a day)
    d.later(minutes=(10, 90))
    actions.start_work(case=case, by=by)
    actions.add_note(case=case, by=by, body=texts.note)
    if kind == 2:
        d.later(minutes=(10, 60))
        actions.add_reply(case=case, by=by, body=texts.reply)
        actions.wait_for_citizen(case=case, by=by, body=texts.wait)
    elif kind == 3:
        d.work_and_close(s, case, by)


def handed_over(d: Demo, s: Story) -> None:
    """Registered by the centre, offered to the administration, accepted; then worked there."""
    case_type = d.types[s.type_code]
    target = case_type.administration.code
    by = d.one_of("KC")
    case = d.register(s, by=by, handler=by)
    d.later(minutes=(5, 40))
    actions.add_note(case=case, by=by, body=d.texts(s).note)
    handover = d.offer(s, case, by, target)
    d.later(d.rng.randint(0, 1))
    case, handler = d.accept(handover, target)
    texts = d.texts(s)
    ending = int(s.key[-3:]) % 4
    d.later(d.rng.randint(0, 3))
    if ending == 0:
        actions.add_note(case=case, by=handler, body=texts.note)
    elif ending == 1:
        actions.add_reply(case=case, by=handler, body=texts.reply)
        actions.wait_for_citizen(case=case, by=handler, body=texts.wait)
    elif ending == 2:
        d.work_and_close(s, case, handler)
    else:
        actions.add_reply(case=case, by=handler, body=texts.reply)
        d.later(d.rng.randint(1, 2))
        actions.add_citizen_message(case=case, body=texts.citizen)


def open_offer(d: Demo, s: Story) -> None:
    """Offered to an administration within the last hours: waiting in its incoming list."""
    case_type = d.types[s.type_code]
    by = d.person("anna.lindqvist") if int(s.key[-3:]) % 2 else d.one_of("KC")
    case = d.register(s, by=by, handler=by)
    d.later(minutes=(5, 30))
    to_person = None
    if case_type.administration.code == "SBF" and d.rng.random() < 0.5:
        to_person = d.person("erik.johansson")
    d.offer(s, case, by, case_type.administration.code, to_person=to_person)


def overdue_offer(d: Demo, s: Story) -> None:
    """An offer nobody answered in time: escalated to the receiver's managers and contacts."""
    by = d.person("anna.lindqvist")
    case = d.register(s, by=by, handler=by)
    d.later(minutes=(20, 60))
    handover = d.offer(s, case, by, "UBF")
    d.clock.set(handover.answer_by + timedelta(minutes=10))
    actions.escalate_overdue_handovers(now=d.clock.now)


def returned(d: Demo, s: Story) -> None:
    """Offered to the wrong administration and returned with a reason; some then go right."""
    by = d.one_of("KC")
    case = d.register(s, by=by, handler=by)
    d.later(minutes=(10, 60))
    wrong = "KFF" if d.types[s.type_code].administration.code != "KFF" else "UBF"
    handover = d.offer(s, case, by, wrong)
    d.later(d.rng.randint(0, 1))
    actions.return_handover(
        handover=handover, by=d.one_of(wrong), reason=d.rng.choice(RETURN_REASONS)
    )
    if int(s.key[-3:]) % 2:
        d.later(minutes=(15, 90))
        right = d.types[s.type_code].administration.code
        d.accept(d.offer(s, case, by, right), right)


def withdrawn(d: Demo, s: Story) -> None:
    """Offered, then taken back when the citizen's question turned out to be simple."""
    by = d.one_of("KC")
    case = d.register(s, by=by, handler=by)
    handover = d.offer(s, case, by, d.types[s.type_code].administration.code)
    d.later(minutes=(15, 120))
    actions.withdraw_handover(
        handover=handover, by=by, reason="Invånaren fick svar direkt i checklistan."
    )
    actions.close_case(case=case, by=by, resolution="Besvarat av kundcenter.")


def received(d: Demo, s: Story) -> None:
    """Came in on the web form or by letter, without a hand-over."""
    if s.type_code == "bygglov-ansokan":
        by = d.one_of("SBF")
        case = d.register(s, by=by, channel=Channel.LETTER, owner=d.unit("SBF"), oral=False)
        d.later(d.rng.randint(1, 3))
        actions.assign_case(case=case, handler=by, by=by)
        actions.start_work(case=case, by=by)
    else:
        d.register(s, by=None, channel=Channel.WEB)


def secret(d: Demo, s: Story) -> None:
    """A case under secrecy (OSL 26 kap. 1 §), worked by social services or elderly care."""
    provision = "OSL 26 kap. 1 §"
    if s.type_code == "orosanmalan":
        by = d.one_of("SOC")
        case = d.register(
            s, by=by, owner=d.unit("SOC"), handler=by, provision=provision, party=d.citizen()
        )
        d.later(1)
        actions.add_note(case=case, by=by, body=d.texts(s).note)
        return
    target = d.types[s.type_code].administration.code
    by = d.one_of("KC")
    party = d.citizen(number=True)
    case = d.register(s, by=by, handler=by, provision=provision, party=party)
    handover = d.offer(s, case, by, target)
    d.later(d.rng.randint(0, 1))
    case, handler = d.accept(handover, target)
    d.later(1)
    actions.add_note(case=case, by=handler, body=d.texts(s).note)
    actions.add_reply(case=case, by=handler, body=d.texts(s).reply)


def cancelled(d: Demo, s: Story) -> None:
    """Registered twice by mistake: the second is cancelled, never deleted."""
    by = d.one_of("KC")
    case = d.register(s, by=by, handler=by)
    d.later(minutes=(5, 30))
    actions.cancel_case(case=case, by=by, reason="Dubblett av ett annat ärende.")


def handed_back(d: Demo, s: Story) -> None:
    """The administration hands the case back to the centre (the same protocol), which closes it."""
    by = d.one_of("KC")
    case = d.register(s, by=by, handler=by)
    handover = d.offer(s, case, by, "SBF")
    d.later(1)
    case, handler = d.accept(handover, "SBF")
    d.later(d.rng.randint(1, 2))
    back = actions.offer_handover(
        case=case,
        to_unit=d.unit("KC"),
        by=handler,
        done="Åtgärdat på plats.",
        expected="Återkoppla till invånaren och avsluta.",
    )
    d.later(minutes=(30, 180))
    case, centre = d.accept(back, "KC")
    actions.add_reply(case=case, by=centre, body=d.texts(s).reply)
    actions.close_case(case=case, by=centre, resolution="Återkopplat till invånaren.")


# --- the plan -------------------------------------------------------------------------------------


Plan = list[tuple[int, str, Callable[[Demo, Story], None]]]


def _plan(rng: random.Random) -> Plan:
    """(how many working days ago it began, case type, story) for each story."""
    secret_types = ["forsorjningsstod", "forsorjningsstod", "orosanmalan", "hemtjanst"]
    return [
        *[(rng.randint(1, 60), rng.choice(CENTRE_TYPES), first_contact) for _ in range(50)],
        *[(rng.randint(1, 8), rng.choice(CENTRE_TYPES), centre_open) for _ in range(16)],
        *[(rng.randint(3, 45), rng.choice(HANDOVER_TYPES), handed_over) for _ in range(44)],
        *[(0, rng.choice(HANDOVER_TYPES), open_offer) for _ in range(10)],
        (5, "skolplacering", overdue_offer),
        *[(rng.randint(2, 20), rng.choice(HANDOVER_TYPES), returned) for _ in range(6)],
        *[(rng.randint(2, 30), rng.choice(HANDOVER_TYPES), withdrawn) for _ in range(2)],
        *[(rng.randint(0, 6), rng.choice(["bygglov-ansokan", "felanmalan-gata"]), received)
          for _ in range(8)],
        *[(rng.randint(2, 15), code, secret) for code in secret_types],
        *[(rng.randint(1, 20), rng.choice(CENTRE_TYPES), cancelled) for _ in range(2)],
        *[(rng.randint(5, 20), "felanmalan-gata", handed_back) for _ in range(2)],
    ]  # fmt: skip


def recent_office_time(now: datetime, rng: random.Random) -> datetime:
    """A moment in the last office hours before `now`: earlier today if the office has been open
    a while, else the afternoon of the last working day. An offer made then is answered by the
    next working day, which is still ahead."""
    local = timezone.localtime(now)
    today = local.date()

    def on(day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    if add_working_days(today, 0) == today and local.time() >= time(9, 0):
        close = min(now - timedelta(minutes=30), on(today, 16, 30))
        earliest = max(on(today, 8), close - timedelta(hours=4))
        return earliest + (close - earliest) * rng.random()
    return on(add_working_days(today, -1), 13) + timedelta(minutes=rng.randint(0, 180))


def stories(rng: random.Random, now: datetime) -> list[Story]:
    today = timezone.localtime(now).date()
    planned = []
    for number, (days_ago, type_code, tell) in enumerate(_plan(rng), start=1):
        if days_ago == 0:
            start = recent_office_time(now, rng)
        else:
            start = office_time(add_working_days(today, -days_ago), rng)
        planned.append(Story(key=f"{number:03d}", start=start, type_code=type_code, tell=tell))
    return sorted(planned, key=lambda story: story.start)


def load(ctx: DemoContext) -> None:
    real_now = timezone.now()
    clock = StoryClock(limit=real_now - timedelta(minutes=1))
    demo = Demo(ctx, clock)
    told = set(
        Case.objects.filter(submission_key__startswith="demo:").values_list(
            "submission_key", flat=True
        )
    )
    with clock.running():
        for story in stories(demo.rng, real_now):
            if f"demo:{story.key}" in told:
                continue
            clock.set(story.start)
            story.tell(demo, story)
