"""The demo municipality's organisation: a contact centre, six administrations, about 40 staff."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password

from tillit.core.demo import DEMO_PASSWORD, DemoContext
from tillit.organisation.actions import create_unit, grant_role
from tillit.organisation.models import Municipality, Person, Role, UnitKind

UNITS = [
    # code, name, kind, parent code
    ("KC", "Kundcenter", UnitKind.CONTACT_CENTRE, None),
    ("KC-TEL", "Team Telefon och besök", UnitKind.TEAM, "KC"),
    ("KC-SKR", "Team E-post och skrivna ärenden", UnitKind.TEAM, "KC"),
    ("SOC", "Socialförvaltningen", UnitKind.ADMINISTRATION, None),
    ("SOC-FS", "Försörjningsstöd", UnitKind.TEAM, "SOC"),
    ("UBF", "Utbildningsförvaltningen", UnitKind.ADMINISTRATION, None),
    ("SBF", "Samhällsbyggnadsförvaltningen", UnitKind.ADMINISTRATION, None),
    ("SBF-BYGG", "Bygglov", UnitKind.TEAM, "SBF"),
    ("VOF", "Vård- och omsorgsförvaltningen", UnitKind.ADMINISTRATION, None),
    ("KFF", "Kultur- och fritidsförvaltningen", UnitKind.ADMINISTRATION, None),
    ("KLK", "Kommunledningskontoret", UnitKind.ADMINISTRATION, None),
]

# username, first, last, title, unit code, roles, demo login description (or "")
PEOPLE = [
    (
        "anna.lindqvist",
        "Anna",
        "Lindqvist",
        "Kommunvägledare",
        "KC",
        [Role.STAFF],
        "Kundcenter, medarbetare",
    ),
    (
        "lars.andersson",
        "Lars",
        "Andersson",
        "Enhetschef kundcenter",
        "KC",
        [Role.MANAGER],
        "Kundcenter, chef",
    ),
    (
        "erik.johansson",
        "Erik",
        "Johansson",
        "Bygglovshandläggare",
        "SBF",
        [Role.STAFF],
        "Förvaltning, handläggare",
    ),
    (
        "maria.nilsson",
        "Maria",
        "Nilsson",
        "Bygglovsarkitekt",
        "SBF",
        [Role.STAFF, Role.CONTACT_PERSON],
        "Förvaltning, kontaktperson",
    ),
    ("karin.berg", "Karin", "Berg", "Registrator", "KLK", [Role.REGISTRAR], "Registrator"),
    ("sara.ek", "Sara", "Ek", "Systemförvaltare", "KLK", [Role.ADMINISTRATOR], "Administratör"),
    ("mohammed.hassan", "Mohammed", "Hassan", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("elin.karlsson", "Elin", "Karlsson", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("johan.persson", "Johan", "Persson", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("fatima.ali", "Fatima", "Ali", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("emma.svensson", "Emma", "Svensson", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("oskar.gustafsson", "Oskar", "Gustafsson", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("linnea.holm", "Linnéa", "Holm", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("ahmed.yilmaz", "Ahmed", "Yilmaz", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("ida.lundberg", "Ida", "Lundberg", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("peter.sandberg", "Peter", "Sandberg", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("birgitta.olsson", "Birgitta", "Olsson", "Socialsekreterare", "SOC", [Role.STAFF], ""),
    ("nils.eriksson", "Nils", "Eriksson", "Socialsekreterare", "SOC", [Role.STAFF], ""),
    (
        "amina.osman",
        "Amina",
        "Osman",
        "Socialsekreterare",
        "SOC",
        [Role.STAFF, Role.CONTACT_PERSON],
        "",
    ),
    ("hanna.bergstrom", "Hanna", "Bergström", "Enhetschef", "SOC", [Role.MANAGER], ""),
    ("gustav.lind", "Gustav", "Lind", "Handläggare", "UBF", [Role.STAFF], ""),
    (
        "sofia.wallin",
        "Sofia",
        "Wallin",
        "Handläggare",
        "UBF",
        [Role.STAFF, Role.CONTACT_PERSON],
        "",
    ),
    ("mikael.forsberg", "Mikael", "Forsberg", "Skolchef", "UBF", [Role.MANAGER], ""),
    ("jenny.sjoberg", "Jenny", "Sjöberg", "Handläggare", "UBF", [Role.STAFF], ""),
    ("anders.hedlund", "Anders", "Hedlund", "Bygglovshandläggare", "SBF", [Role.STAFF], ""),
    ("camilla.strom", "Camilla", "Ström", "Miljöinspektör", "SBF", [Role.STAFF], ""),
    ("daniel.engstrom", "Daniel", "Engström", "Förvaltningschef", "SBF", [Role.MANAGER], ""),
    ("zeynep.demir", "Zeynep", "Demir", "Gatuingenjör", "SBF", [Role.STAFF], ""),
    ("margareta.lundgren", "Margareta", "Lundgren", "Biståndshandläggare", "VOF", [Role.STAFF], ""),
    (
        "henrik.nyberg",
        "Henrik",
        "Nyberg",
        "Biståndshandläggare",
        "VOF",
        [Role.STAFF, Role.CONTACT_PERSON],
        "",
    ),
    ("eva.dahlgren", "Eva", "Dahlgren", "Enhetschef", "VOF", [Role.MANAGER], ""),
    ("yusuf.abdi", "Yusuf", "Abdi", "Biståndshandläggare", "VOF", [Role.STAFF], ""),
    ("kristina.blom", "Kristina", "Blom", "Fritidskonsulent", "KFF", [Role.STAFF], ""),
    (
        "jonas.ahlberg",
        "Jonas",
        "Åhlberg",
        "Bibliotekarie",
        "KFF",
        [Role.STAFF, Role.CONTACT_PERSON],
        "",
    ),
    ("malin.norberg", "Malin", "Norberg", "Kulturchef", "KFF", [Role.MANAGER], ""),
    ("per.isaksson", "Per", "Isaksson", "Kommundirektör", "KLK", [Role.MANAGER], ""),
    ("lena.hellstrom", "Lena", "Hellström", "Arkivarie", "KLK", [Role.REGISTRAR], ""),
    ("ali.rezaei", "Ali", "Rezaei", "Handläggare försörjningsstöd", "SOC", [Role.STAFF], ""),
    ("ulla.fransson", "Ulla", "Fransson", "Kommunvägledare", "KC", [Role.STAFF], ""),
    ("viktor.ostlund", "Viktor", "Östlund", "Bygglovshandläggare", "SBF", [Role.STAFF], ""),
]

# Team memberships (people also belong to their administration or centre above).
TEAMS = {
    "KC-TEL": [
        "anna.lindqvist",
        "mohammed.hassan",
        "elin.karlsson",
        "johan.persson",
        "fatima.ali",
        "ulla.fransson",
    ],
    "KC-SKR": [
        "emma.svensson",
        "oskar.gustafsson",
        "linnea.holm",
        "ahmed.yilmaz",
        "ida.lundberg",
        "peter.sandberg",
    ],
    "SOC-FS": ["birgitta.olsson", "ali.rezaei"],
    "SBF-BYGG": ["erik.johansson", "maria.nilsson", "anders.hedlund", "viktor.ostlund"],
}


def load(ctx: DemoContext) -> None:
    municipality, _ = Municipality.objects.get_or_create(
        name=settings.TILLIT_MUNICIPALITY_NAME, defaults={"code": "9999"}
    )
    ctx.municipality = municipality
    for code, name, kind, parent in UNITS:
        domain = "sjobacka.se"
        ctx.units[code] = create_unit(
            municipality=municipality,
            kind=kind,
            name=name,
            code=code,
            parent=ctx.units[parent] if parent else None,
            email=f"{code.lower()}@{domain}" if kind != UnitKind.TEAM else "",
        )
    # Hash once: Argon2 is slow by design, and every demo account shares the public password.
    password = make_password(DEMO_PASSWORD)
    for username, first, last, title, unit_code, roles, login in PEOPLE:
        person, _created = Person.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "title": title,
                "email": f"{username}@sjobacka.se",
                "password": password,
            },
        )
        ctx.people[username] = person
        for role in roles:
            grant_role(person=person, unit=ctx.units[unit_code], role=role)
        if login:
            ctx.logins.append((login, username))
    for code, members in TEAMS.items():
        for username in members:
            grant_role(person=ctx.people[username], unit=ctx.units[code], role=Role.STAFF)
