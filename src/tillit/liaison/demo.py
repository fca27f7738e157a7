"""Demo: liaison meetings of the contact centre with three administrations. Each has a past
meeting with approved minutes and action items (one done, one overdue, one still running) and an
upcoming meeting whose agenda carries the open action items forward, with items proposed by the
contact person (about one of the administration's case types) and by a centre member.

Everything goes through the real actions; only the timestamps of the past meeting are moved back
to when it was held. Loaded once per administration: a second run changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tillit.core.demo import DemoContext
from tillit.core.workdays import add_working_days
from tillit.liaison import actions, queries
from tillit.liaison.models import ActionItem, AgendaItem, Meeting, MeetingSeries
from tillit.organisation.queries import closed_days

CENTRE_MANAGER = "lars.andersson"
CENTRE_STAFF = "anna.lindqvist"

# administration code, contact person, place, past agenda [(title, minutes)], actions
# [(text, owner key, state)] where owner key is "contact" or "staff" and state is "done",
# "overdue" or "open"; upcoming proposals [(title, background, by key, case-type code or None)].
Proposal = tuple[str, str, str, str | None]
MEETINGS: list[
    tuple[str, str, str, list[tuple[str, str]], list[tuple[str, str, str]], list[Proposal]]
] = [
    (
        "SOC",
        "amina.osman",
        "Stadshuset, rum Ekorren",
        [
            (
                "Telefontider för försörjningsstöd",
                "Socialförvaltningen har ändrat sina telefontider till 9–11. Kundcenter lämnar "
                "tiderna i samtal och på webben.",
            ),
            (
                "Vanliga frågor om nödprövning",
                "Kundcenter får många frågor om akut ekonomiskt bistånd. Ett stödmanus behövs.",
            ),
            ("Övriga frågor", "Inga övriga frågor."),
        ],
        [
            ("Skicka de nya telefontiderna till Kundcenter", "contact", "done"),
            ("Ta fram ett stödmanus för frågor om nödprövning", "contact", "overdue"),
            ("Sammanställ kundcenters vanligaste frågor om ekonomiskt bistånd", "staff", "open"),
        ],
        [
            (
                "Ändrade rutiner för akuta ärenden under jul och nyår",
                "Socialjouren tar över efter kl. 16 från den 23 december.",
                "contact",
                "forsorjningsstod",
            ),
            (
                "Återkoppling på vidarekopplade samtal",
                "Invånare säger att de inte blir uppringda efter vidarekoppling.",
                "staff",
                None,
            ),
        ],
    ),
    (
        "SBF",
        "maria.nilsson",
        "Teams-möte",
        [
            (
                "Bygglov: kompletteringar",
                "Många ansökningar saknar situationsplan. Kundcenter frågar efter den redan vid "
                "första kontakten.",
            ),
            (
                "Felanmälan gatubelysning",
                "Felanmälningar ska registreras med gatuadress eller stolpnummer.",
            ),
        ],
        [
            ("Uppdatera checklistan för bygglovsansökan med situationsplan", "contact", "done"),
            ("Ge Kundcenter en karta över stolpnummer", "contact", "overdue"),
            ("Testa den nya e-tjänsten för felanmälan och återkoppla", "staff", "open"),
        ],
        [
            (
                "Attefallshus – nya regler",
                "Genomgång av vad som gäller från årsskiftet.",
                "contact",
                "bygglov-fraga",
            ),
        ],
    ),
    (
        "VOF",
        "henrik.nyberg",
        "Vård- och omsorgsförvaltningen, plan 3",
        [
            (
                "Hemtjänst efter sjukhusvistelse",
                "Kundcenter frågar alltid om utskrivningsdatum. Biståndshandläggare ringer "
                "tillbaka inom två arbetsdagar.",
            ),
            ("Trygghetslarm", "Felanmälan av larm går direkt till larmcentralen."),
        ],
        [
            ("Informera biståndshandläggarna om Kundcenters frågor", "contact", "done"),
            ("Skriv en text om trygghetslarm till webben", "contact", "overdue"),
            ("Följ upp återringningar inom två arbetsdagar", "staff", "open"),
        ],
        [
            (
                "Hemtjänstens nya checklista",
                "Version 2 av checklistan: frågan om utskrivning från sjukhus.",
                "contact",
                "hemtjanst",
            ),
        ],
    ),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load(ctx: DemoContext) -> None:
    manager = ctx.people[CENTRE_MANAGER]
    staff = ctx.people[CENTRE_STAFF]
    today = timezone.localdate()
    for code, contact_name, place, agenda, decided, proposals in MEETINGS:
        administration = ctx.units[code]
        if MeetingSeries.objects.filter(administration=administration).exists():
            continue
        contact = ctx.people[contact_name]
        who = {"contact": contact, "staff": staff}
        closed = closed_days(administration.municipality_id)
        held = add_working_days(today, -15, closed)
        past = actions.create_meeting(
            administration=administration, by=manager, starts_at=_at(held, 9), place=place
        )
        items = [
            actions.propose_agenda_item(meeting=past, by=contact, title=title)
            for title, _minutes in agenda
        ]
        for item, (_title, text) in zip(items, agenda, strict=True):
            actions.write_minutes(item=item, by=manager, text=text)
        for index, (text, owner, state) in enumerate(decided):
            due = {
                "done": add_working_days(held, 5, closed),
                "overdue": add_working_days(held, 8, closed),
                "open": add_working_days(today, 5, closed),
            }[state]
            action = actions.add_action_item(
                meeting=past,
                by=manager,
                text=text,
                owner=who[owner],
                due_date=due,
                agenda_item=items[min(index, len(items) - 1)],
            )
            if state == "done":
                actions.mark_action_done(action=action, by=who[owner], note="Klart.")
                ActionItem.objects.filter(pk=action.pk).update(
                    done_at=_at(add_working_days(held, 3, closed), 14)
                )
        actions.approve_minutes(meeting=past, by=contact)
        _move_back(past, held)

        upcoming = actions.create_meeting(
            administration=administration,
            by=contact,
            starts_at=_at(add_working_days(today, 10, closed), 9),
            place=place,
        )
        types = {t.code: t for t in queries.case_types_of(upcoming.series)}
        for title, background, by, type_code in proposals:
            actions.propose_agenda_item(
                meeting=upcoming,
                by=who[by],
                title=title,
                description=background,
                case_type=types.get(type_code) if type_code else None,
            )
    ctx.extra["liaison_series"] = list(MeetingSeries.objects.all())


def _move_back(meeting: Meeting, held: date) -> None:
    """The past meeting's records, dated to when they were made: proposals the week before,
    minutes on the day, approval the day after."""
    start = _at(held, 9)
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=start - timedelta(days=14), approved_at=start + timedelta(days=1)
    )
    AgendaItem.objects.filter(meeting=meeting).update(
        proposed_at=start - timedelta(days=7), minutes_at=start + timedelta(hours=2)
    )
    ActionItem.objects.filter(meeting=meeting).update(created_at=start + timedelta(hours=2))
