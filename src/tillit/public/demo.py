"""Demo: a few cases citizens sent through the web form, one with a file, one with a reply.

Submitted through the same action as the form (fixed submission keys make it idempotent), so each
case has its receipt, its log and a working status link; one link is printed with the demo logins'
log lines so `make run` can open a citizen's view at once.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from tillit.cases.actions import add_reply
from tillit.cases.attachments import check_files
from tillit.cases.parties import PartyInput
from tillit.cases.queries import events_of
from tillit.cases.states import EventKind
from tillit.core.demo import DemoContext
from tillit.public.actions import submit_case

NOTES = (
    "Lampan vid busshållplatsen Björkvägen/Ekgatan är släckt sedan i måndags.\n"
    "Det är mörkt när barnen går till skolan. Stolpen har nummer 1123.\n"
).encode()

# key, case-type code, subject, description, citizen name, e-mail, phone, file
CASES = [
    (
        "demo-web-1",
        "felanmalan-gata",
        "Trasig gatlampa på Björkvägen",
        "Gatlampan vid busshållplatsen på Björkvägen lyser inte. Det är mörkt på morgonen.",
        "Helena Strand",
        "helena.strand@example.se",
        "070-555 12 34",
        ("anteckningar.txt", NOTES),
    ),
    (
        "demo-web-2",
        "bygglov-fraga",
        "Behövs bygglov för ett uterum?",
        "Vi vill bygga ett inglasat uterum på 12 kvadratmeter mot trädgården. Behöver vi söka "
        "bygglov eller räcker en anmälan?",
        "Omar Khalil",
        "omar.khalil@example.se",
        "",
        None,
    ),
    (
        "demo-web-3",
        "synpunkt",
        "Snöröjningen i Södra Hagen",
        "Gång- och cykelvägen genom Södra Hagen plogades inte på tre dagar efter snöfallet.",
        "Gunilla Berg",
        "",
        "073-111 22 33",
        None,
    ),
]

REPLY = (
    "Hej Omar! Ett inglasat uterum kräver normalt bygglov. Är det högst 15 kvadratmeter och "
    "sitter ihop med huset kan det i vissa fall göras som attefallsåtgärd med en anmälan. "
    "Skicka gärna en skiss så hjälper vi dig vidare."
)


def load(ctx: DemoContext) -> None:
    types = ctx.extra.get("case_types", {})
    first_link = ""
    for key, code, subject, description, name, email, phone, attachment in CASES:
        case_type = types.get(code)
        if case_type is None:
            continue
        files = []
        if attachment is not None:
            filename, content = attachment
            files = check_files([ContentFile(content, name=filename)])
        submission = submit_case(
            submission_key=key,
            case_type=case_type,
            subject=subject,
            description=description,
            party=PartyInput(name=name, email=email, phone=phone),
            files=files,
        )
        first_link = first_link or submission.token
        if code == "bygglov-fraga" and "anna.lindqvist" in ctx.people:
            replied = events_of(submission.case).filter(kind=EventKind.REPLY).exists()
            if not replied:
                add_reply(case=submission.case, by=ctx.people["anna.lindqvist"], body=REPLY)
    if first_link:
        ctx.log(
            f"  demo: a citizen's status link (open on the server): /e-tjanst/arende/{first_link}/"
        )
