"""Demo case types across the demo administrations, each with a checklist; one type (home
care) with a version 2 published after a case was registered under version 1, so the case page
shows "since then"; two change notices, one read; a question answered by a contact person.

The cases demo closes cases of most types (resolved at first contact, worked and closed), and it
runs after this one, so only the thorough, secret types it never closes carry required items; the
others are advisory ("right quality for the right case").
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.utils import timezone

from tillit.cases import actions as case_actions
from tillit.cases.models import Case
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.catalogue import actions
from tillit.catalogue.models import (
    CaseType,
    CaseTypeVersion,
    ChangeNotice,
    ChecklistItem,
    DocumentationLevel,
    Routing,
    VersionStatus,
)
from tillit.core.demo import DemoContext

# code, name, administration code, routing, centre days, administration days, level, public,
# secret, keywords
TYPES = [
    (
        "bygglov-fraga",
        "Bygglov – fråga",
        "SBF",
        Routing.CENTRE_RESOLVES,
        1,
        5,
        DocumentationLevel.LIGHT,
        True,
        False,
        "altan attefallshus friggebod bygglovsbefriad",
    ),
    (
        "bygglov-ansokan",
        "Bygglov – ansökan",
        "SBF",
        Routing.CENTRE_HANDS_OVER,
        1,
        50,
        DocumentationLevel.THOROUGH,
        True,
        False,
        "nybyggnad tillbyggnad ritning",
    ),
    (
        "felanmalan-gata",
        "Felanmälan gata och park",
        "SBF",
        Routing.CENTRE_HANDS_OVER,
        1,
        5,
        DocumentationLevel.LIGHT,
        True,
        False,
        "gatubelysning lampa trasig hål grop snöröjning",
    ),
    (
        "avfall-hamtning",
        "Avfallshämtning",
        "SBF",
        Routing.CENTRE_RESOLVES,
        1,
        5,
        DocumentationLevel.LIGHT,
        True,
        False,
        "sophämtning soptunna kärl missad tömning",
    ),
    (
        "forsorjningsstod",
        "Ekonomiskt bistånd – ansökan",
        "SOC",
        Routing.CENTRE_HANDS_OVER,
        1,
        10,
        DocumentationLevel.THOROUGH,
        False,
        True,
        "försörjningsstöd socialbidrag pengar",
    ),
    (
        "orosanmalan",
        "Orosanmälan barn",
        "SOC",
        Routing.ADMINISTRATION,
        0,
        14,
        DocumentationLevel.THOROUGH,
        False,
        True,
        "oro barn anmälan",
    ),
    (
        "skolplacering",
        "Skolplacering och skolbyte",
        "UBF",
        Routing.CENTRE_HANDS_OVER,
        1,
        15,
        DocumentationLevel.STANDARD,
        True,
        False,
        "skolval byta skola grundskola",
    ),
    (
        "forskoleko",
        "Förskola – plats i kö",
        "UBF",
        Routing.CENTRE_RESOLVES,
        1,
        10,
        DocumentationLevel.LIGHT,
        True,
        False,
        "barnomsorg dagis kö förskoleplats",
    ),
    (
        "hemtjanst",
        "Hemtjänst – ansökan",
        "VOF",
        Routing.CENTRE_HANDS_OVER,
        1,
        15,
        DocumentationLevel.THOROUGH,
        True,
        True,
        "äldreomsorg hjälp hemma bistånd",
    ),
    (
        "fardtjanst",
        "Färdtjänst",
        "VOF",
        Routing.CENTRE_HANDS_OVER,
        1,
        20,
        DocumentationLevel.STANDARD,
        True,
        False,
        "resor taxi funktionsnedsättning",
    ),
    (
        "lokalbokning",
        "Bokning av lokal och idrottshall",
        "KFF",
        Routing.CENTRE_RESOLVES,
        1,
        5,
        DocumentationLevel.LIGHT,
        True,
        False,
        "boka hall gymnastiksal föreningslokal",
    ),
    (
        "foreningsbidrag",
        "Föreningsbidrag",
        "KFF",
        Routing.CENTRE_HANDS_OVER,
        1,
        30,
        DocumentationLevel.STANDARD,
        True,
        False,
        "bidrag förening stöd",
    ),
    (
        "allmanna-handlingar",
        "Begäran om allmän handling",
        "KLK",
        Routing.CENTRE_HANDS_OVER,
        1,
        1,
        DocumentationLevel.STANDARD,
        True,
        False,
        "offentlighetsprincipen utlämnande handling",
    ),
    (
        "synpunkt",
        "Synpunkt och klagomål",
        "KLK",
        Routing.CENTRE_HANDS_OVER,
        1,
        10,
        DocumentationLevel.LIGHT,
        True,
        False,
        "klagomål beröm förslag",
    ),
]


# Items per case type: (text, guidance, required). Required items only where no demo story closes
# the case (see the module docstring).
CHECKLISTS: dict[str, list[tuple[str, str, bool]]] = {
    "bygglov-fraga": [
        (
            "Fråga efter fastighetsbeteckning",
            "Finns på fastighetstaxeringen eller i kartan.",
            False,
        ),
        ("Kontrollera om detaljplan gäller", "Sök fastigheten i kommunens kartverktyg.", False),
        ("Berätta om attefalls- och friggebodsreglerna", "", False),
        ("Tipsa om e-tjänsten för bygglov", "", False),
    ],
    "bygglov-ansokan": [
        (
            "Kontrollera att ansökan är komplett",
            "Ritningar, situationsplan och kontrollansvarig.",
            False,
        ),
        ("Fråga om strandskydd eller kulturmiljö", "", False),
        ("Informera om avgift och handläggningstid", "Tio veckor från komplett ansökan.", False),
    ],
    "felanmalan-gata": [
        (
            "Notera platsen så exakt som möjligt",
            "Adress, stolpnummer eller närmaste korsning.",
            False,
        ),
        ("Fråga om fara för liv eller egendom", "Vid akut fara: ring jouren direkt.", False),
        ("Berätta att felanmälan kan följas på webben", "", False),
    ],
    "avfall-hamtning": [
        ("Kontrollera hämtdag i abonnemanget", "", False),
        ("Fråga om kärlet stod framme kl. 06", "", False),
        ("Boka extra hämtning vid missad tömning", "", False),
    ],
    "forsorjningsstod": [
        ("Kontrollera identitet", "Legitimation eller BankID vid besök.", True),
        ("Informera om vilka underlag som krävs", "Kontoutdrag, hyresavtal och inkomster.", True),
        ("Fråga om akut behov av mat eller boende", "Vid akut behov: kontakta socialjouren.", True),
    ],
    "orosanmalan": [
        (
            "Anteckna anmälarens uppgifter",
            "Anmälan kan vara anonym om det inte är en myndighet.",
            True,
        ),
        ("Bedöm om barnet behöver skydd omedelbart", "Kontakta socialjouren vid akut fara.", True),
        ("Informera om anmälningsplikten (SoL 14 kap. 1 §)", "", False),
    ],
    "skolplacering": [
        ("Fråga efter barnets personnummer och nuvarande skola", "", False),
        ("Berätta om skolvalsperioden", "", False),
        ("Tipsa om e-tjänsten för skolbyte", "", False),
    ],
    "forskoleko": [
        ("Kontrollera köplats och ködatum", "", False),
        ("Berätta om garantitiden på fyra månader", "", False),
    ],
    "hemtjanst": [
        ("Kontrollera identitet", "Personnummer och namn, fråga om god man eller ombud.", True),
        ("Fråga om behov i vardagen", "Personlig omvårdnad, städ, inköp, trygghetslarm.", True),
        ("Informera om avgiften", "Maxtaxan gäller.", False),
    ],
    "fardtjanst": [
        ("Fråga om funktionsnedsättningens varaktighet", "Minst tre månader.", False),
        ("Informera om läkarintyg", "", False),
    ],
    "lokalbokning": [
        ("Kontrollera ledig tid i bokningssystemet", "", False),
        ("Informera om avbokningsregler", "", False),
    ],
    "foreningsbidrag": [
        ("Kontrollera att föreningen är registrerad hos kommunen", "", False),
        ("Informera om sista ansökningsdag", "", False),
    ],
    "allmanna-handlingar": [
        ("Notera vilken handling som efterfrågas", "", False),
        (
            "Berätta att man får vara anonym",
            "Ingen behöver uppge namn eller skäl (TF 2 kap. 18 §).",
            False,
        ),
        ("Lämna över skyndsamt till rätt förvaltning", "Samma dag eller dagen efter.", False),
    ],
    "synpunkt": [
        ("Fråga om invånaren vill ha svar", "", False),
        ("Tacka för synpunkten", "", False),
    ],
}

STORY_KEY = "demo:catalogue:hemtjanst"


def _published(case_type: CaseType) -> CaseTypeVersion:
    version, _created = CaseTypeVersion.objects.get_or_create(
        case_type=case_type,
        number=1,
        defaults={
            "status": VersionStatus.PUBLISHED,
            "published_at": timezone.now(),
            "change_summary": "Första versionen.",
        },
    )
    return version


def _checklist(version: CaseTypeVersion, items: list[tuple[str, str, bool]]) -> None:
    if version.items.exists():
        return
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=version,
            key=uuid.uuid4().hex,
            position=position,
            text=text,
            guidance=guidance,
            required=required,
        )
        for position, (text, guidance, required) in enumerate(items, start=1)
    )


def load(ctx: DemoContext) -> None:
    for code, name, unit, routing, centre, admin, level, public, secret, keywords in TYPES:
        case_type, _created = CaseType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "public_name": name,
                "administration": ctx.units[unit],
                "routing": routing,
                "service_days_centre": centre,
                "service_days_administration": admin,
                "documentation_level": level,
                "is_public": public,
                "default_secret": secret,
                "keywords": keywords,
            },
        )
        _checklist(_published(case_type), CHECKLISTS.get(code, []))
        ctx.extra.setdefault("case_types", {})[code] = case_type
    _home_care_story(ctx)
    _notices(ctx)


def _home_care_story(ctx: DemoContext) -> None:
    """A home-care case registered under version 1, ticked part way, a question answered by the
    contact person; then version 2 is published, so the case shows what changed since."""
    if Case.objects.filter(submission_key=STORY_KEY).exists():
        return
    home_care = ctx.extra["case_types"]["hemtjanst"]
    worker = ctx.people["linnea.holm"]
    contact = ctx.people["henrik.nyberg"]
    # Before every case of the cases demo (at most 60 working days back), so registration
    # numbers stay in the order the cases were made.
    case = case_actions.register_case(
        channel=Channel.PHONE,
        subject="Hemtjänst för pappa efter sjukhusvistelse",
        description="Dottern ringer: pappan kommer hem från sjukhuset nästa vecka och behöver "
        "hjälp.",
        case_type=home_care,
        by=worker,
        party=PartyInput(name="Gunnar Lind", phone="070-123 45 67"),
        handler=worker,
        secrecy_provision="OSL 26 kap. 1 §",
        submission_key=STORY_KEY,
        at=timezone.now() - timedelta(days=100),
    )
    identity = case.case_type_version.items.get(position=1)  # type: ignore[union-attr]
    actions.mark_item_done(case=case, item=identity, by=worker)
    question = actions.ask_question(
        case=case,
        by=worker,
        text="Kan hemtjänsten börja samma dag som han skrivs ut, eller behövs ett beslut först?",
        to_unit=home_care.administration,
        contact_persons_only=True,
    )
    actions.answer_question(
        question=question,
        by=contact,
        text="Ja, vid utskrivning kan vi ge insatser direkt med ett tillfälligt beslut. "
        "Be sjukhuset kalla till samordnad planering.",
    )
    draft = actions.start_draft(case_type=home_care, by=contact)
    actions.add_item(
        version=draft,
        by=contact,
        text="Fråga om utskrivning från sjukhus",
        guidance="Vid utskrivning: be sjukhuset kalla till samordnad individuell plan (SIP).",
        required=True,
    )
    fee = draft.items.get(text="Informera om avgiften")
    actions.change_item(
        item=fee,
        by=contact,
        text="Informera om avgiften och högkostnadsskyddet",
        guidance="Maxtaxan gäller; avgiften beslutas efter inkomstuppgift.",
        link="",
        required=False,
    )
    actions.publish_version(
        version=draft, by=contact, summary="Ny punkt om utskrivning från sjukhus; avgiftstext."
    )
    notice = ChangeNotice.objects.get(version=draft)
    notice = actions.publish_drafted_notice(
        notice=notice,
        by=contact,
        title="Hemtjänst: fråga alltid om utskrivning från sjukhus",
        body="Den som skrivs ut från sjukhus kan få hemtjänst direkt med ett tillfälligt beslut. "
        "Checklistan har en ny punkt om detta från och med version 2.",
        case_types=[home_care],
        effective_from=timezone.localdate(),
    )
    actions.mark_notice_read(notice=notice, by=ctx.people["elin.karlsson"])


def _notices(ctx: DemoContext) -> None:
    title = "Bygglov: nya regler för attefallshus"
    if ChangeNotice.objects.filter(title=title).exists():
        return
    types = ctx.extra["case_types"]
    actions.publish_notice(
        administration=ctx.units["SBF"],
        by=ctx.people["maria.nilsson"],
        title=title,
        body="Från årsskiftet får attefallshus vara 30 kvm. Anmälan krävs fortfarande, men inte "
        "bygglov. Hänvisa frågor om strandskydd till bygglovshandläggarna.",
        case_types=[types["bygglov-fraga"], types["bygglov-ansokan"]],
        effective_from=date(timezone.localdate().year + 1, 1, 1),
    )
