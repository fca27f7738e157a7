"""A small municipality for case tests: a contact centre, an administration, people in each.

`CaseFactory()` registers through the real action, so every case has its number and its log.
Traits: `CaseFactory(closed=True)`, `CaseFactory(secret=True)`, `CaseFactory(offered=True)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tillit.cases import actions
from tillit.cases.models import Case, Handover
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel
from tillit.catalogue.models import CaseType
from tillit.catalogue.tests.factories import CaseTypeFactory
from tillit.organisation.models import Person, Role, Unit
from tillit.organisation.tests.factories import MunicipalityFactory, PersonFactory, UnitFactory


@dataclass
class World:
    centre: Unit
    administration: Unit
    other: Unit
    centre_staff: Person
    centre_colleague: Person
    admin_staff: Person
    admin_colleague: Person
    other_staff: Person
    admin_manager: Person
    admin_contact: Person
    registrar: Person
    case_type: CaseType


def make_world() -> World:
    municipality = MunicipalityFactory()
    centre = UnitFactory(municipality=municipality, contact_centre=True, code="KC")
    administration = UnitFactory(municipality=municipality, name="Bygglov", code="SBF")
    other = UnitFactory(municipality=municipality, name="Socialförvaltningen", code="SOC")
    registrar_unit = UnitFactory(municipality=municipality, name="Kansliet", code="KLK")
    return World(
        centre=centre,
        administration=administration,
        other=other,
        centre_staff=PersonFactory(username="kc1", member_of=centre),
        centre_colleague=PersonFactory(username="kc2", member_of=centre),
        admin_staff=PersonFactory(username="sbf1", member_of=administration),
        admin_colleague=PersonFactory(username="sbf2", member_of=administration),
        other_staff=PersonFactory(username="soc1", member_of=other),
        admin_manager=PersonFactory(
            username="chef", member_of=administration, member_of__role=Role.MANAGER
        ),
        admin_contact=PersonFactory(
            username="kontakt", member_of=administration, member_of__role=Role.CONTACT_PERSON
        ),
        registrar=PersonFactory(
            username="reg", member_of=registrar_unit, member_of__role=Role.REGISTRAR
        ),
        case_type=CaseTypeFactory(administration=administration, name="Bygglov, fråga"),
    )


def register(world: World, **kwargs: object) -> Case:
    values: dict[str, object] = {
        "channel": Channel.PHONE,
        "subject": "Fråga om bygglov för altan",
        "description": "Invånaren undrar om altanen kräver bygglov.",
        "case_type": world.case_type,
        "by": world.centre_staff,
        "party": PartyInput(name="Karin Nyström", email="karin@example.se"),
    }
    values.update(kwargs)
    return actions.register_case(**values)  # type: ignore[arg-type]


def offer(world: World, case: Case, **kwargs: object) -> Handover:
    values: dict[str, object] = {
        "case": case,
        "to_unit": world.administration,
        "by": world.centre_staff,
        "done": "Gav allmän information om bygglov.",
        "expected": "Bedöm om altanen kräver bygglov.",
    }
    values.update(kwargs)
    return actions.offer_handover(**values)  # type: ignore[arg-type]
