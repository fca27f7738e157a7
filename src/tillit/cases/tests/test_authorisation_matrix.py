"""Who may see what (issue 9): a generated authorisation matrix.

Every role × every relationship between the case and the role's unit × secrecy × every page and
API endpoint that reads or changes a case. The expected answer comes from `expected()` below, a
rule written from DESIGN.md and the docstring of `tillit.cases.queries`, not from the code:

- staff (any membership: staff, contact person, manager) work the cases their unit owns, read the
  cases offered to their unit and, read-only, the cases their unit owned before;
- a manager counts as a member of every unit they manage and the units below it;
- registrars read every case that is not secret;
- a secret case is limited to its owning unit and a unit it is being offered to;
- an administrator is a superuser, but no flag switches off the case rules: without a unit
  relationship an administrator sees no case;
- anonymous callers see no staff page (login first) and no API answer (401).

The roles are defined against one unit, "home" (Bygglov, below Samhällsbyggnad): "staff of the
owning unit" is `staff × owned`, "staff of another unit" is `staff × unrelated`, "contact person of
another administration" is `contact-person × unrelated`; the manager of "home" and the manager of
the unit above it run through every relationship too. The citizen holds each case's status link.

What the matrix proves for every cell: a case the caller may not see answers exactly as a case
that does not exist (never 403); every allowed read of a secret case appends a `secret_read`
event naming the reader; a refused change changes nothing. The world is built once per module
(inside one outer transaction that is rolled back at the end); each test runs in a savepoint.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings

from tillit.api.actions import create_api_token
from tillit.cases import actions
from tillit.cases.models import Attachment, Case, CaseEvent, Handover
from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel, EventKind
from tillit.catalogue.tests.factories import CaseTypeFactory, published_checklist
from tillit.organisation.models import Person, Role, Unit
from tillit.organisation.tests.factories import MunicipalityFactory, PersonFactory, UnitFactory

MISSING = 987_654_321


class Who(StrEnum):
    ANONYMOUS = "anonymous"
    STAFF = "staff"  # member of "home"
    CONTACT = "contact-person"  # contact person of "home"
    MANAGER = "manager"  # manager of "home"
    PARENT_MANAGER = "parent-manager"  # manager of the unit above "home"
    REGISTRAR = "registrar"
    ADMINISTRATOR = "administrator"


class Relation(StrEnum):
    OWNED = "owned"  # "home" owns it
    OFFERED = "offered"  # owned elsewhere, openly offered to "home"
    OWNED_BEFORE = "owned-before"  # "home" owned it and handed it over (accepted)
    UNRELATED = "unrelated"  # owned elsewhere, never touched "home"


class May(StrEnum):
    NOTHING = "not-found"
    READ = "read"
    WORK = "work"


UNIT_BOUND = {Who.STAFF, Who.CONTACT, Who.MANAGER, Who.PARENT_MANAGER}


def expected(who: Who, relation: Relation, secret: bool) -> May:
    """The rule, from the design: owning unit works, offered-to and previous owners read
    (previous owners and registrars never a secret case), nobody else sees anything."""
    if who in UNIT_BOUND:
        if relation == Relation.OWNED:
            return May.WORK
        if relation == Relation.OFFERED:
            return May.READ
        if relation == Relation.OWNED_BEFORE and not secret:
            return May.READ
        return May.NOTHING
    if who == Who.REGISTRAR and not secret:
        return May.READ
    return May.NOTHING


def sees_offer(who: Who, relation: Relation) -> bool:
    """A hand-over is reachable by the units that sent or received it."""
    return who in UNIT_BOUND and relation in (Relation.OFFERED, Relation.OWNED_BEFORE)


# --- the world, built once ------------------------------------------------------------------


@dataclass
class Matrix:
    home: Unit
    elsewhere: Unit
    centre: Unit
    people: dict[Who, Person]
    worker_elsewhere: Person
    cases: dict[tuple[Relation, bool], Case]
    attachments: dict[int, int]
    handovers: dict[int, int]
    tokens: dict[int, str]
    pages: dict[Who, Client]
    api: dict[Who, Client]
    item: int  # a checklist item of the version every case is pinned to
    missing: dict[tuple[str, Who], Any] = field(default_factory=dict)  # answers for MISSING


def _register(by: Person, owner: Unit, subject: str, ct) -> Case:
    return actions.register_case(
        channel=Channel.PHONE,
        subject=subject,
        description="Invånaren undrar om altanen kräver bygglov.",
        case_type=ct,
        by=by,
        owner=owner,
        party=PartyInput(name="Karin Nyström", email="karin@example.se"),
    )


def _build(media_root: str) -> Matrix:
    municipality = MunicipalityFactory()
    department = UnitFactory(municipality=municipality, name="Samhällsbyggnad", code="SAM")
    home = UnitFactory(municipality=municipality, name="Bygglov", code="SBF", parent=department)
    elsewhere = UnitFactory(municipality=municipality, name="Socialförvaltningen", code="SOC")
    centre = UnitFactory(municipality=municipality, contact_centre=True, code="KC")
    office = UnitFactory(municipality=municipality, name="Kansliet", code="KLK")
    people = {
        Who.STAFF: PersonFactory(username="m-staff", member_of=home),
        Who.CONTACT: PersonFactory(
            username="m-contact", member_of=home, member_of__role=Role.CONTACT_PERSON
        ),
        Who.MANAGER: PersonFactory(
            username="m-manager", member_of=home, member_of__role=Role.MANAGER
        ),
        Who.PARENT_MANAGER: PersonFactory(
            username="m-director", member_of=department, member_of__role=Role.MANAGER
        ),
        Who.REGISTRAR: PersonFactory(
            username="m-registrar", member_of=office, member_of__role=Role.REGISTRAR
        ),
        Who.ADMINISTRATOR: PersonFactory(
            username="m-admin",
            member_of=office,
            member_of__role=Role.ADMINISTRATOR,
            is_staff=True,
            is_superuser=True,
        ),
    }
    worker = PersonFactory(username="m-elsewhere", member_of=elsewhere)
    home_staff = people[Who.STAFF]
    case_type = CaseTypeFactory(administration=home, name="Bygglov, fråga")
    version = published_checklist(case_type, [("Kontrollera fastigheten", True)])
    cases: dict[tuple[Relation, bool], Case] = {}
    handovers: dict[int, int] = {}
    for secret in (False, True):
        tag = "hemlig" if secret else "öppen"
        for relation in Relation:
            starts_home = relation in (Relation.OWNED, Relation.OWNED_BEFORE)
            by = home_staff if starts_home else worker
            case = _register(by, home if starts_home else elsewhere, f"{relation} {tag}", case_type)
            if secret:
                case = actions.mark_secret(case=case, by=by, provision="OSL 26 kap. 1 §")
            if relation == Relation.OFFERED:
                handover = actions.offer_handover(
                    case=case, to_unit=home, by=worker, done="Läst.", expected="Bedöm."
                )
                handovers[case.pk] = handover.pk
            if relation == Relation.OWNED_BEFORE:
                handover = actions.offer_handover(
                    case=case, to_unit=elsewhere, by=home_staff, done="Läst.", expected="Ta över."
                )
                actions.accept_handover(handover=handover, by=worker)
                handovers[case.pk] = handover.pk
            cases[(relation, secret)] = Case.objects.get(pk=case.pk)
    attachments: dict[int, int] = {}
    tokens: dict[int, str] = {}
    with override_settings(MEDIA_ROOT=media_root):
        for case in cases.values():
            data = b"%PDF-1.4 ritning"
            attachment = Attachment(
                case=case,
                original_name="ritning.pdf",
                content_type="application/pdf",
                size=len(data),
                sha256="0",
            )
            attachment.file.save("ritning.pdf", ContentFile(data), save=True)
            attachments[case.pk] = attachment.pk
            tokens[case.pk] = actions.issue_status_link(case=case)
    pages: dict[Who, Client] = {Who.ANONYMOUS: Client(headers={"Accept-Language": "sv"})}
    api: dict[Who, Client] = {Who.ANONYMOUS: Client(headers={"Accept-Language": "sv"})}
    for who, person in people.items():
        page_client = Client(headers={"Accept-Language": "sv"})
        page_client.force_login(person)
        pages[who] = page_client
        token = create_api_token(name="matrix", person=person).secret
        api[who] = Client(headers={"Accept-Language": "sv", "Authorization": f"Bearer {token}"})
    return Matrix(
        home=home,
        elsewhere=elsewhere,
        centre=centre,
        people=people,
        worker_elsewhere=worker,
        cases=cases,
        attachments=attachments,
        handovers=handovers,
        tokens=tokens,
        pages=pages,
        api=api,
        item=version.items.get().pk,
    )


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: Any) -> Iterator[Matrix]:
    with (
        tempfile.TemporaryDirectory() as media_root,
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield _build(media_root)
        transaction.set_rollback(True)


# --- the surfaces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    name: str
    api: bool
    writes: bool
    call: Callable[[Client, int, Matrix], HttpResponse]
    #  Checked fully (allowed reads answer 200, allowed work succeeds); the others, which have
    #  their own finer rules (e.g. only the handler reflects), are checked for hiding only.
    full: bool = True


def _post_json(client: Client, path: str, data: dict[str, Any]) -> HttpResponse:
    return client.post(path, json.dumps(data), content_type="application/json")


def _attachment(client: Client, case_id: int, m: Matrix) -> HttpResponse:
    return client.get(f"/arenden/{case_id}/bilagor/{m.attachments.get(case_id, MISSING)}/")


SURFACES = [
    # the staff case page (its contributed panels render inside it) and its changes
    Surface("page-case", False, False, lambda c, i, m: c.get(f"/arenden/{i}/")),
    Surface(
        "page-note",
        False,
        True,
        lambda c, i, m: c.post(f"/arenden/{i}/anteckning/", {"anteckning-body": "Ringde."}),
    ),
    Surface(
        "page-reply",
        False,
        True,
        lambda c, i, m: c.post(f"/arenden/{i}/svar/", {"svar-body": "Hej Karin."}),
    ),
    Surface("page-start", False, True, lambda c, i, m: c.post(f"/arenden/{i}/paborja/")),
    Surface(
        "page-offer",
        False,
        True,
        lambda c, i, m: c.post(
            f"/arenden/{i}/erbjud/",
            {"erbjud-to_unit": m.centre.pk, "erbjud-done": "Läst.", "erbjud-expected": "Svara."},
        ),
    ),
    Surface(
        "page-close",
        False,
        True,
        lambda c, i, m: c.post(f"/arenden/{i}/avsluta/", {"avsluta-resolution": "Besvarat."}),
        False,  # refused by the checklist's required item even for the owner
    ),
    Surface("page-attachment", False, False, _attachment),
    # other apps' pages about one case
    Surface(
        "feedback-receipt", False, False, lambda c, i, m: c.get(f"/aterkoppling/kvitto/{i}/"), False
    ),
    Surface(
        "feedback-reflect",
        False,
        False,
        lambda c, i, m: c.get(f"/aterkoppling/reflektion/{i}/"),
        False,
    ),
    Surface(
        "feedback-appreciate",
        False,
        False,
        lambda c, i, m: c.get(f"/aterkoppling/uppskattning/ny/{i}/"),
        False,
    ),
    Surface(
        "mailbox-triage",
        False,
        False,
        lambda c, i, m: c.get(f"/brevlada/arende/{i}/sortera/"),
        False,
    ),
    Surface(
        "catalogue-ask",
        False,
        True,
        lambda c, i, m: c.post(f"/katalog/arende/{i}/fraga/", {"question": "Hur gör vi?"}),
        False,
    ),
    Surface(
        "catalogue-tick",
        False,
        True,
        lambda c, i, m: c.post(f"/katalog/arende/{i}/punkt/{m.item}/klar/"),
        False,
    ),
    # the API
    Surface("api-case", True, False, lambda c, i, m: c.get(f"/api/v1/cases/{i}")),
    Surface("api-events", True, False, lambda c, i, m: c.get(f"/api/v1/cases/{i}/events")),
    Surface(
        "api-note",
        True,
        True,
        lambda c, i, m: _post_json(c, f"/api/v1/cases/{i}/notes", {"body": "Ringde."}),
    ),
    Surface(
        "api-reply",
        True,
        True,
        lambda c, i, m: _post_json(c, f"/api/v1/cases/{i}/replies", {"body": "Hej Karin."}),
    ),
    Surface(
        "api-status",
        True,
        True,
        lambda c, i, m: _post_json(c, f"/api/v1/cases/{i}/status", {"action": "start"}),
    ),
    Surface(
        "api-close",
        True,
        True,
        lambda c, i, m: _post_json(
            c, f"/api/v1/cases/{i}/status", {"action": "close", "text": "Besvarat."}
        ),
        False,  # refused by the checklist's required item even for the owner
    ),
    Surface(
        "api-offer",
        True,
        True,
        lambda c, i, m: _post_json(
            c,
            f"/api/v1/cases/{i}/handovers",
            {"to_unit": m.centre.pk, "done": "Läst.", "expected": "Svara."},
        ),
    ),
]


def _cells() -> Iterator[Any]:
    for surface in SURFACES:
        for who in Who:
            for relation in Relation:
                for secret in (False, True):
                    yield pytest.param(
                        surface,
                        who,
                        relation,
                        secret,
                        id=f"{surface.name}-{who}-{relation}-{'secret' if secret else 'open'}",
                    )


def _log(case_id: int) -> int:
    """The case's documentation: every event except the access log."""
    return CaseEvent.objects.filter(case_id=case_id).exclude(kind=EventKind.SECRET_READ).count()


def _reads(case_id: int, person: Person | None) -> int:
    if person is None:
        return 0
    return CaseEvent.objects.filter(
        case_id=case_id, kind=EventKind.SECRET_READ, actor=person
    ).count()


def _problem(response: HttpResponse) -> tuple[int, str, str, str]:
    body = json.loads(response.content)
    return response.status_code, response["Content-Type"], body.get("title"), body.get("detail")


def _answer(surface: Surface, response: HttpResponse) -> Any:
    """What a caller can compare between two answers: status (and problem for the API)."""
    if surface.api:
        return _problem(response)
    return response.status_code, response.get("Location", "").split("?")[0]


def _missing(surface: Surface, who: Who, m: Matrix) -> Any:
    key = (surface.name, who)
    if key not in m.missing:
        m.missing[key] = _answer(surface, surface.call(_client(m, surface, who), MISSING, m))
    return m.missing[key]


def _client(m: Matrix, surface: Surface, who: Who) -> Client:
    return (m.api if surface.api else m.pages)[who]


@pytest.mark.django_db
@pytest.mark.parametrize(("surface", "who", "relation", "secret"), list(_cells()))
def test_matrix(matrix: Matrix, surface: Surface, who: Who, relation: Relation, secret: bool):
    """Each cell answers as the rule says; forbidden looks exactly like missing."""
    m = matrix
    case = m.cases[(relation, secret)]
    person = m.people.get(who)
    may = expected(who, relation, secret)
    log_before, reads_before = _log(case.pk), _reads(case.pk, person)
    response = surface.call(_client(m, surface, who), case.pk, m)
    assert response.status_code != 403 or may != May.NOTHING
    assert response.status_code < 500
    if may == May.NOTHING:
        assert _answer(surface, response) == _missing(surface, who, m)
        assert _log(case.pk) == log_before, "a refused change changed the case"
        assert _reads(case.pk, person) == reads_before, "an unseen case logged a read"
        if person is not None and not surface.api:
            assert case.subject.encode() not in response.content
        return
    assert response.status_code != 404, "an allowed caller was told the case is missing"
    if secret and person is not None:
        assert _reads(case.pk, person) >= reads_before + 1, "a secret read was not logged"
    if not surface.full:
        return
    if not surface.writes:
        assert response.status_code == 200
        return
    if may == May.READ:
        assert response.status_code in ((403,) if surface.api else (422,))
        assert _log(case.pk) == log_before, "a read-only caller changed the case"
    else:
        assert response.status_code in ((200, 201) if surface.api else (302,)), response.content[
            :300
        ]
        assert _log(case.pk) > log_before


# --- hand-overs: reached by the units that sent or received them ----------------------------

HANDOVER_ACTIONS = {
    "accept": {},
    "return": {"reason": "Fel mottagare."},
    "withdraw": {"reason": "Ångrar."},
}


def _handover_cells() -> Iterator[Any]:
    for verb in HANDOVER_ACTIONS:
        for who in Who:
            for relation in (Relation.OFFERED, Relation.OWNED_BEFORE):
                for secret in (False, True):
                    yield pytest.param(
                        verb,
                        who,
                        relation,
                        secret,
                        id=f"api-handover-{verb}-{who}-{relation}-{'secret' if secret else 'open'}",
                    )


@pytest.mark.django_db
@pytest.mark.parametrize(("verb", "who", "relation", "secret"), list(_handover_cells()))
def test_handover_matrix(matrix: Matrix, verb: str, who: Who, relation: Relation, secret: bool):
    """An offer the caller's units neither sent nor received answers as a missing one."""
    m = matrix
    case = m.cases[(relation, secret)]
    client = m.api[who]
    data = HANDOVER_ACTIONS[verb]
    response = _post_json(client, f"/api/v1/handovers/{m.handovers[case.pk]}/{verb}", data)
    missing = _post_json(client, f"/api/v1/handovers/{MISSING}/{verb}", data)
    if not sees_offer(who, relation):
        assert _problem(response) == _problem(missing)
        assert Handover.objects.get(pk=m.handovers[case.pk]).status == (
            "open" if relation == Relation.OFFERED else "accepted"
        )
    else:
        assert response.status_code != 404


# --- listings: a case is listed exactly where it may be read --------------------------------


def _listing_cells() -> Iterator[Any]:
    for who in Who:
        if who == Who.ANONYMOUS:
            continue
        for relation in Relation:
            for secret in (False, True):
                yield pytest.param(
                    who, relation, secret, id=f"{who}-{relation}-{'secret' if secret else 'open'}"
                )


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "relation", "secret"), list(_listing_cells()))
def test_search_lists_a_case_only_to_its_readers(
    matrix: Matrix, who: Who, relation: Relation, secret: bool
):
    """Search by registration number (page and API) finds the case only for those who may read
    it, and an offered case is in the incoming queue of the receiving unit only."""
    m = matrix
    case = m.cases[(relation, secret)]
    readable = expected(who, relation, secret) != May.NOTHING
    page = m.pages[who].get("/arenden/sok/", {"q": case.registration_number})
    assert page.status_code == 200
    assert (f'href="/arenden/{case.pk}/"'.encode() in page.content) == readable
    api = m.api[who].get("/api/v1/cases", {"q": case.registration_number})
    assert api.status_code == 200
    assert (case.pk in [item["id"] for item in json.loads(api.content)["items"]]) == readable
    incoming = m.api[who].get("/api/v1/cases", {"queue": "incoming"})
    listed = case.pk in [item["id"] for item in json.loads(incoming.content)["items"]]
    assert listed == (who in UNIT_BOUND and relation == Relation.OFFERED)


QUEUES = ["mine", "unit", "incoming", "overdue", "waiting", "closed"]
PAGE_QUEUES = ["mina", "enheten", "forsenade", "vantar", "avslutade"]


def _who_cells() -> list[Any]:
    return [pytest.param(who, id=str(who)) for who in Who if who != Who.ANONYMOUS]


@pytest.mark.django_db
@pytest.mark.parametrize("who", _who_cells())
def test_every_queue_and_free_text_search_list_only_readable_cases(matrix: Matrix, who: Who):
    """No queue (page or API) and no free-text search lists a case its caller may not read;
    free-text search lists every one they may."""
    m = matrix
    readable = {
        case.pk
        for (relation, secret), case in m.cases.items()
        if expected(who, relation, secret) != May.NOTHING
    }
    ours = {case.pk for case in m.cases.values()}
    for name in QUEUES:
        answer = m.api[who].get("/api/v1/cases", {"queue": name})
        assert answer.status_code == 200
        listed = {item["id"] for item in json.loads(answer.content)["items"]} & ours
        assert listed <= readable, name
    for slug in PAGE_QUEUES:
        page = m.pages[who].get(f"/arenden/ko/{slug}/")
        assert page.status_code == 200
        for case in m.cases.values():
            if case.pk not in readable:
                assert f'href="/arenden/{case.pk}/"'.encode() not in page.content, slug
    found = m.api[who].get("/api/v1/cases", {"q": "altanen"})
    assert {item["id"] for item in json.loads(found.content)["items"]} & ours == readable
    page = m.pages[who].get("/arenden/sok/", {"q": "altanen"})
    shown = {
        case.pk
        for case in m.cases.values()
        if f'href="/arenden/{case.pk}/"'.encode() in page.content
    }
    assert shown == readable


@pytest.mark.django_db
def test_a_handler_who_left_the_unit_no_longer_sees_its_case_in_mine(matrix: Matrix):
    """Regression (issue 9): the "mine" queue and count listed cases by handler alone, so a
    colleague who moved to another unit still saw a secret case's subject and number."""
    from tillit.cases.queries import counts_for
    from tillit.organisation.actions import grant_role, revoke_role

    m = matrix
    mover = PersonFactory(username="m-mover", member_of=m.home)
    case = m.cases[(Relation.OWNED, True)]
    actions.assign_case(case=case, handler=mover, by=m.people[Who.STAFF])
    client = Client(headers={"Accept-Language": "sv"})
    client.force_login(mover)
    assert f'href="/arenden/{case.pk}/"'.encode() in client.get("/arenden/ko/mina/").content
    revoke_role(person=mover, unit=m.home, role=Role.STAFF)
    grant_role(person=mover, unit=m.elsewhere, role=Role.STAFF)
    page = client.get("/arenden/ko/mina/")
    assert f'href="/arenden/{case.pk}/"'.encode() not in page.content
    assert case.subject.encode() not in page.content
    assert counts_for(Person.objects.get(pk=mover.pk)).mine == 0
    assert client.get(f"/arenden/{case.pk}/").status_code == 404


def test_anonymous_search_and_queues_ask_for_login(matrix: Matrix):
    """Listings are for staff: anonymous callers are sent to log in (pages) or get 401 (API)."""
    assert matrix.pages[Who.ANONYMOUS].get("/arenden/sok/", {"q": "KC"}).status_code == 302
    assert matrix.pages[Who.ANONYMOUS].get("/arenden/ko/").status_code == 302
    assert matrix.api[Who.ANONYMOUS].get("/api/v1/cases").status_code == 401


# --- the citizen's private status link -------------------------------------------------------


@pytest.fixture
def fresh_limits() -> Iterator[None]:
    """The public pages' rate limits count in the cache (Redis on PostgreSQL runs): start and
    end each status-link test with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_limits")
@pytest.mark.parametrize("relation", list(Relation))
@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_the_status_link_shows_its_case_and_nothing_else(
    matrix: Matrix, relation: Relation, secret: bool
):
    """The citizen's link opens the citizen's case (whoever owns it now); a wrong or
    shortened link answers as a missing page, and no internal note is ever shown."""
    m = matrix
    case = m.cases[(relation, secret)]
    token = m.tokens[case.pk]
    citizen = Client(headers={"Accept-Language": "sv"})
    actions.add_note(case=case, by=_worker(m, case), body="Intern anteckning om Karin.")
    page = citizen.get(f"/e-tjanst/arende/{token}/")
    assert page.status_code == 200
    assert b"Intern anteckning" not in page.content
    altered = token[:-1] + ("y" if token[-1] != "y" else "z")  # one character off, never equal
    assert citizen.get(f"/e-tjanst/arende/{altered}/").status_code == 404
    assert citizen.get(f"/e-tjanst/arende/{token[:10]}/").status_code == 404
    # A staff-only file is not the citizen's to download, nor another case's file.
    own_file = m.attachments[case.pk]
    assert citizen.get(f"/e-tjanst/arende/{token}/fil/{own_file}/").status_code == 404
    other = m.cases[
        (Relation.UNRELATED if relation != Relation.UNRELATED else Relation.OWNED, secret)
    ]
    other_file = m.attachments[other.pk]
    assert citizen.get(f"/e-tjanst/arende/{token}/fil/{other_file}/").status_code == 404
    # The citizen's link opens no staff page.
    assert citizen.get(f"/arenden/{case.pk}/").status_code == 302


def _worker(m: Matrix, case: Case) -> Person:
    owner = Case.objects.get(pk=case.pk).owner_unit_id
    return m.people[Who.STAFF] if owner == m.home.pk else m.worker_elsewhere


# --- login: lock-out, session fixation, passwords never logged ------------------------------

PASSWORD = "Rätt-lösenord-för-test-42"


@pytest.fixture
def member(db: None) -> Person:
    person = PersonFactory(username="login-person")
    person.set_password(PASSWORD)
    person.save()
    return person


def _login(client: Client, username: str, password: str) -> HttpResponse:
    return client.post("/konto/logga-in/", {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_login_locks_out_after_the_failure_limit(member: Person):
    """After AXES_FAILURE_LIMIT wrong passwords even the right one is refused (cool-off)."""
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, member.username, "fel").status_code == 200
        assert not _logged_in(client)
    _login(client, member.username, "fel")
    locked = _login(client, member.username, PASSWORD)
    assert locked.status_code in (403, 429)
    assert not _logged_in(client)
    # Other people are not locked out by someone guessing this one's password.
    other = PersonFactory(username="other-person")
    other.set_password(PASSWORD)
    other.save()
    assert _login(Client(), other.username, PASSWORD).status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock_out(member: Person):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, member.username, "fel")
    assert _login(client, member.username, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_session_key_changes_at_login(member: Person):
    """Session fixation: a session planted before login is not the one that is logged in."""
    client = Client()
    planted = client.session
    planted["planted"] = True
    planted.save()
    before = planted.session_key
    assert before is not None
    assert _login(client, member.username, PASSWORD).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(before)
    assert _logged_in(client)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(f"{record.getMessage()} {record.__dict__!r}")


def test_a_password_never_appears_in_the_logs(member: Person):
    """Capture every configured logger at DEBUG during a failed login, a good login and a
    password change: no password shows up in any record."""
    capture = _Capture()
    names = ["", *settings.LOGGING.get("loggers", {}), "django.request", "axes"]
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(capture)
        logger.setLevel(logging.DEBUG)
    new_password = "Nytt-hemligt-lösenord-99"
    try:
        client = Client()
        _login(client, member.username, "Felaktigt-lösenord-77")
        assert _login(client, member.username, PASSWORD).status_code == 302
        changed = client.post(
            "/konto/losenord/",
            {
                "old_password": PASSWORD,
                "new_password1": new_password,
                "new_password2": new_password,
            },
        )
        assert changed.status_code == 302
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(capture)
            logger.setLevel(level)
    assert capture.texts, "nothing was logged: the capture is not wired"
    text = "\n".join(capture.texts)
    for secret in (PASSWORD, new_password, "Felaktigt-lösenord-77"):
        assert secret not in text


@pytest.mark.django_db
def test_a_deactivated_colleague_opens_nothing(matrix: Matrix):
    """Someone whose account is switched off loses the case page (sent to log in) and the API
    (401) at once, though their membership and session are still there."""
    m = matrix
    case = m.cases[(Relation.OWNED, True)]
    staff = m.people[Who.STAFF]
    reads = _reads(case.pk, staff)
    browser = Client()
    browser.force_login(staff)
    Person.objects.filter(pk=staff.pk).update(is_active=False)
    assert browser.get(f"/arenden/{case.pk}/").status_code == 302
    assert m.api[Who.STAFF].get(f"/api/v1/cases/{case.pk}").status_code == 401
    assert _reads(case.pk, staff) == reads
