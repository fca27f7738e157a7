"""Build a large municipality's case history on PostgreSQL: N cases, about 8 events each.

    createdb -h 127.0.0.1 -U tillit tillit_bench
    DATABASE_URL=postgres://tillit:tillit@127.0.0.1:5432/tillit_bench \
        .venv/bin/python bench/generate_cases.py --cases 1000000

Migrates, loads the demo municipality, then writes parties, cases, hand-overs, events and the
search index with COPY (the actions are far too slow for a million rows, and measured separately).
Text is realistic Swedish, built from case-type templates, names and street names. Prints JSON
lines: rows written and the time taken. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

FIRST = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kerstin",
    "Ingrid",
    "Marie",
    "Linnéa",
    "Elin",
    "Fatima",
    "Amina",
    "Lars",
    "Erik",
    "Anders",
    "Johan",
    "Karl",
    "Per",
    "Mikael",
    "Nils",
    "Ahmed",
    "Mohammed",
    "Oskar",
    "Gustav",
    "Ali",
    "Yusuf",
    "Hanna",
    "Ida",
    "Sofia",
    "Jonas",
    "Daniel",
    "Viktor",
    "Zeynep",
    "Ebba",
    "Alva",
    "Hugo",
    "Liam",
    "Noah",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Nyström",
    "Holm",
    "Ali",
    "Hassan",
    "Mohamed",
    "Yilmaz",
    "Lundgren",
    "Sandberg",
    "Forsberg",
    "Wallin",
    "Ek",
    "Åhlberg",
    "Hellström",
    "Sjöberg",
    "Engström",
    "Dahlgren",
    "Nyberg",
    "Blom",
    "Osman",
    "Rezaei",
    "Demir",
]
STREETS = [
    "Storgatan",
    "Kungsgatan",
    "Drottninggatan",
    "Skolgatan",
    "Kyrkogatan",
    "Järnvägsgatan",
    "Parkvägen",
    "Björkvägen",
    "Ekvägen",
    "Tallvägen",
    "Sjövägen",
    "Strandvägen",
    "Ringvägen",
    "Åsvägen",
    "Lillgatan",
    "Östra Långgatan",
    "Västra vägen",
    "Smedjegatan",
    "Tingsgatan",
    "Mölnvägen",
]

TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "bygglov": (
        [
            "Bygglov för altan på {street}",
            "Behövs bygglov för attefallshus?",
            "Fråga om friggebod och bygglov",
            "Bygglovsansökan tillbyggnad {street} {no}",
        ],
        [
            "Invånaren planerar att bygga en altan på {size} kvadratmeter och undrar om det "
            "kräver bygglov eller om det räcker med en anmälan.",
            "Ritningar och situationsplan skickas in senare. Fastigheten ligger inom "
            "detaljplanerat område nära {street}.",
        ],
    ),
    "gata": (
        [
            "Trasig gatlampa på {street}",
            "Grop i vägen vid {street} {no}",
            "Snöröjningen har missat {street}",
            "Nedfallet träd över gångväg vid {street}",
        ],
        [
            "Lampan har varit släckt i över en vecka och det är mörkt på kvällarna när barnen "
            "går hem från skolan.",
            "Gropen är djup och en cyklist höll på att vurpa i morse.",
        ],
    ),
    "avfall": (
        [
            "Missad sophämtning {street} {no}",
            "Trasigt sopkärl behöver bytas",
            "Byte till mindre kärl för matavfall",
        ],
        [
            "Kärlet stod ute i tid men tömdes inte i onsdags.",
            "Locket har gått sönder och kärlet går inte att stänga ordentligt.",
        ],
    ),
    "skola": (
        [
            "Byte av skola för vårt barn",
            "Fråga om förskoleplats i höst",
            "Skolskjuts till {street}",
        ],
        [
            "Familjen flyttar till {street} och vill byta till en skola närmare hemmet.",
            "Vi behöver plats på förskola från augusti och undrar hur lång kön är.",
        ],
    ),
    "omsorg": (
        ["Ansökan om hemtjänst", "Fråga om färdtjänst", "Trygghetslarm till mamma"],
        [
            "Min mamma som bor på {street} behöver hjälp med städning och inköp.",
            "Invånaren har svårt att gå och behöver färdtjänst till vårdcentralen.",
        ],
    ),
    "ovrigt": (
        [
            "Synpunkt på bemötandet i receptionen",
            "Begäran om allmän handling",
            "Bokning av idrottshall för förening",
            "Fråga om föreningsbidrag",
        ],
        [
            "Invånaren vill ta del av protokollet från nämndens senaste sammanträde.",
            "Föreningen vill boka gymnastiksalen på tisdagar klockan 18 under hösten.",
        ],
    ),
}
NOTES = [
    "Ringde invånaren och bekräftade uppgifterna.",
    "Kontrollerat i fastighetsregistret, uppgifterna stämmer.",
    "Stämt av med handläggaren på förvaltningen.",
    "Väntar på komplettering från invånaren.",
]
REPLIES = [
    "Tack för ditt ärende. Vi har tittat på frågan och återkommer senast inom tio arbetsdagar.",
    "Du behöver inte söka bygglov för en altan under 1,8 meter från marken.",
    "Vi har skickat ut en arbetsorder och felet åtgärdas inom en vecka.",
]


def family(code: str) -> str:
    for key, words in {
        "bygglov": ("bygglov",),
        "gata": ("gata", "felanm"),
        "avfall": ("avfall",),
        "skola": ("skol", "forskol"),
        "omsorg": ("hemtjanst", "fardtjanst", "forsorj", "oros"),
    }.items():
        if any(w in code for w in words):
            return key
    return "ovrigt"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=50_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tillit.cases.search import stem_text
    from tillit.catalogue.models import CaseType, CaseTypeVersion
    from tillit.organisation.models import Membership, Unit, UnitKind

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(args.seed)

    centre = Unit.objects.get(kind=UnitKind.CONTACT_CENTRE)
    types = list(CaseType.objects.select_related("administration"))
    versions = {v.case_type_id: v.pk for v in CaseTypeVersion.objects.filter(status="published")}
    members: dict[int, list[int]] = {}
    for unit_id, person_id in Membership.objects.values_list("unit_id", "person_id"):
        members.setdefault(unit_id, []).append(person_id)

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        case_id = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_caseevent")
        event_id = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_party")
        party_id = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_handover")
        handover_id = cursor.fetchone()[0]
        cursor.execute("SELECT year, last_number FROM cases_registrationseries WHERE prefix='KC'")
        series = dict(cursor.fetchall())
        cursor.execute("DROP INDEX IF EXISTS cases_search_document")

    now = datetime.now(UTC)
    span_days = 3650
    counts = {"cases": 0, "events": 0, "parties": 0, "handovers": 0}
    vocabulary_stems: dict[str, str] = {}

    def stemmed(text: str) -> str:
        found = vocabulary_stems.get(text)
        if found is None:
            found = vocabulary_stems[text] = stem_text(text)
        return found

    raw = connection.connection  # psycopg 3 connection
    remaining = args.cases
    while remaining:
        batch = min(args.batch, remaining)
        remaining -= batch
        # Spread evenly over the span (about 275 a day at a million), oldest first, so ids grow
        # with time as they do in production and the last month holds some 8,000 cases.
        offsets = sorted((rng.random() for _ in range(batch)), reverse=True)
        parties, cases, handovers, events, search = [], [], [], [], []
        for fraction in offsets:
            case_id += 1
            created = now - timedelta(days=span_days * fraction, seconds=rng.randint(0, 36000))
            year = created.year
            series[year] = series.get(year, 0) + 1
            case_type = rng.choice(types)
            fam = family(case_type.code)
            subjects, descriptions = TEMPLATES[fam]
            street = rng.choice(STREETS)
            subject = rng.choice(subjects).format(street=street, no=rng.randint(1, 90))
            description = rng.choice(descriptions).format(street=street, size=rng.randint(8, 40))
            channel = rng.choices(
                ["phone", "visit", "email", "web", "letter", "api"], [45, 10, 25, 15, 3, 2]
            )[0]
            party_id += 1
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            parties.append(
                (
                    party_id,
                    name,
                    f"{name.split()[0].lower()}{party_id}@example.se",
                    f"070-{rng.randint(1000000, 9999999)}",
                    f"{street} {rng.randint(1, 90)}",
                    None,
                    created,
                )
            )
            age_days = (now - created).days
            first_contact = rng.random() < 0.4
            handed = (
                not first_contact
                and case_type.administration_id != centre.pk
                and (rng.random() < 0.8)
            )
            closed = age_days > 30 or (age_days > 3 and rng.random() < 0.7)
            owner = case_type.administration_id if handed else centre.pk
            status = "closed" if closed else rng.choice(["new", "in_progress", "waiting"])
            # A quarter of the open new cases wait in their unit's queue for someone to take them.
            unassigned = status == "new" and rng.random() < 0.25
            worker = rng.choice(members.get(owner, [None]))
            handler = None if unassigned else worker
            closed_at = created + timedelta(days=rng.randint(0, 20)) if closed else None
            if closed_at and closed_at > now:
                closed_at = now
            kc_person = rng.choice(members[centre.pk])
            evs = [
                (
                    "created",
                    created,
                    kc_person,
                    centre.pk,
                    description,
                    json.dumps({"channel": channel, "subject": subject}),
                )
            ]
            texts = [subject, description]
            t = created
            note = rng.choice(NOTES)
            t += timedelta(minutes=rng.randint(5, 300))
            evs.append(("note", t, kc_person, centre.pk, note, "{}"))
            texts.append(note)
            if handed:
                handover_id += 1
                offered = t + timedelta(minutes=rng.randint(5, 120))
                answered = offered + timedelta(hours=rng.randint(1, 30))
                handovers.append(
                    (
                        handover_id,
                        case_id,
                        centre.pk,
                        owner,
                        "accepted",
                        "Gav information och kontrollerade uppgifterna.",
                        "Handlägg ansökan.",
                        kc_person,
                        offered,
                        offered + timedelta(days=1),
                        worker,
                        answered,
                        "",
                    )
                )
                evs.append(
                    (
                        "offered",
                        offered,
                        kc_person,
                        centre.pk,
                        "Gav information och kontrollerade uppgifterna.",
                        json.dumps({"handover": handover_id}),
                    )
                )
                evs.append(
                    (
                        "accepted",
                        answered,
                        worker,
                        owner,
                        "",
                        json.dumps({"handover": handover_id}),
                    )
                )
                t = answered
            if handler is not None:
                evs.append(
                    (
                        "assigned",
                        t + timedelta(minutes=2),
                        worker,
                        owner,
                        "",
                        json.dumps({"handler": worker}),
                    )
                )
            note = rng.choice(NOTES)
            evs.append(("note", t + timedelta(minutes=40), worker, owner, note, "{}"))
            texts.append(note)
            if channel in ("phone", "visit"):
                oral = "Informerade muntligt om handläggningstiden och vilka handlingar som krävs."
                evs.append(
                    (
                        "oral_information",
                        t + timedelta(minutes=50),
                        worker,
                        owner,
                        oral,
                        json.dumps({"given_at": (t + timedelta(minutes=50)).isoformat()}),
                    )
                )
                texts.append(oral)
            reply = rng.choice(REPLIES)
            evs.append(("reply", t + timedelta(hours=2), worker, owner, reply, "{}"))
            texts.append(reply)
            if rng.random() < 0.5:
                message = "Tack för svaret! Jag skickar in det som saknas."
                evs.append(("citizen_message", t + timedelta(hours=20), None, owner, message, "{}"))
                texts.append(message)
            if closed:
                evs.append(
                    (
                        "status",
                        closed_at,
                        worker,
                        owner,
                        "Besvarat.",
                        json.dumps({"from": "in_progress", "to": "closed"}),
                    )
                )
            elif status != "new":
                evs.append(
                    (
                        "status",
                        t + timedelta(hours=3),
                        worker,
                        owner,
                        "",
                        json.dumps({"from": "new", "to": status}),
                    )
                )
            for kind, at, actor, unit, body, data in evs:
                event_id += 1
                events.append(
                    (
                        event_id,
                        case_id,
                        kind,
                        min(at, now),
                        actor,
                        "" if actor else "invånare",
                        unit,
                        body,
                        data,
                    )
                )
            last_at = min(evs[-1][1], now)
            cases.append(
                (
                    case_id,
                    f"KC {year}/{series[year]:05d}",
                    channel,
                    subject,
                    description,
                    case_type.pk,
                    versions.get(case_type.pk),
                    status,
                    owner,
                    handler,
                    party_id,
                    (created + timedelta(days=10)).date(),
                    created if not handed else min(t, now),
                    first_contact,
                    False,
                    "",
                    created,
                    last_at,
                    closed_at,
                )
            )
            search.append(
                (
                    case_id,
                    stemmed(" ".join(texts[:2]))
                    + " "
                    + " ".join(stemmed(x) for x in texts[2:])
                    + f" kc {year} {series[year]:05d}",
                )
            )
        with raw.cursor() as cur:
            with cur.copy(
                "COPY cases_party (id, name, email, phone, address, personal_number, "
                "created_at) FROM STDIN"
            ) as copy:
                for row in parties:
                    copy.write_row(row)
            with cur.copy(
                "COPY cases_case (id, registration_number, channel, subject, "
                "description, case_type_id, case_type_version_id, status, "
                "owner_unit_id, handler_id, party_id, due_date, leg_started_at, "
                "resolved_at_first_contact, is_secret, secrecy_provision, created_at, "
                "updated_at, closed_at) FROM STDIN"
            ) as copy:
                for row in cases:
                    copy.write_row(row)
            with cur.copy(
                "COPY cases_handover (id, case_id, from_unit_id, to_unit_id, status, "
                "done, expected, offered_by_id, offered_at, answer_by, answered_by_id, "
                "answered_at, return_reason) FROM STDIN"
            ) as copy:
                for row in handovers:
                    copy.write_row(row)
            with cur.copy(
                "COPY cases_caseevent (id, case_id, kind, at, actor_id, actor_label, "
                "unit_id, body, data) FROM STDIN"
            ) as copy:
                for row in events:
                    copy.write_row(row)
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS bench_search (case_id bigint, t text)")
            cur.execute("TRUNCATE bench_search")
            with cur.copy("COPY bench_search (case_id, t) FROM STDIN") as copy:
                for row in search:
                    copy.write_row(row)
            cur.execute(
                "INSERT INTO cases_search (case_id, document) "
                "SELECT case_id, to_tsvector('swedish', t) FROM bench_search"
            )
        raw.commit()
        counts["cases"] += len(cases)
        counts["events"] += len(events)
        counts["parties"] += len(parties)
        counts["handovers"] += len(handovers)
        print(
            json.dumps(
                {
                    "name": "generate.progress",
                    "value": counts["cases"],
                    "unit": "cases",
                    "target": args.cases,
                    "elapsed_s": round(time.perf_counter() - started, 1),
                }
            ),
            flush=True,
        )

    with connection.cursor() as cursor:
        for year, last in series.items():
            cursor.execute(
                "INSERT INTO cases_registrationseries (prefix, year, last_number) "
                "VALUES ('KC', %s, %s) ON CONFLICT (prefix, year) "
                "DO UPDATE SET last_number = EXCLUDED.last_number",
                [year, last],
            )
        for table in ("cases_case", "cases_caseevent", "cases_party", "cases_handover"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS cases_search_document ON cases_search USING GIN (document)"
        )
        cursor.execute("VACUUM ANALYZE")  # sets the visibility map, as autovacuum would
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "name": "generate.cases",
                "value": counts["cases"],
                "unit": "cases",
                "target": args.cases,
            }
        )
    )
    print(
        json.dumps(
            {
                "name": "generate.events_per_case",
                "value": round(counts["events"] / max(counts["cases"], 1), 2),
                "unit": "events",
                "target": "~8",
            }
        )
    )
    print(
        json.dumps(
            {
                "name": "generate.seconds",
                "value": round(elapsed, 1),
                "unit": "s",
                "target": "<=900 for 1,000,000 cases",
            }
        )
    )


if __name__ == "__main__":
    main()
