"""Every text field of the staff and public forms × the hostile corpus.

For each (field, payload class) one hostile value is sent through the real page, with valid
values in every other field. The answer is a redirect or a page (accepted), or a 4xx page that
names the problem (refused), never a server error. What was accepted is then read back on every
page that shows it (case page, queues, search results, the citizen's status page, the API's JSON)
and in every e-mail it caused: it is shown, and nowhere in a form a browser would run.

The fields are discovered from the forms (`base_fields`), so a new text field on a covered form
is fuzzed without touching this file; `test_every_form_with_text_is_covered_or_listed` fails
when a new form appears that is neither covered here nor listed as left out.
"""

from __future__ import annotations

import contextlib
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django import forms
from django.apps import apps
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tillit.cases import actions, queries
from tillit.cases.changes import CHANGES, Change, Situation
from tillit.cases.forms import (
    CaseTypeSearchMixin,
    RegistrationForm,
    ReturnForm,
    WithdrawForm,
    new_form_token,
)
from tillit.cases.models import Case
from tillit.cases.tests.factories import World, offer, register
from tillit.cases.views.queues import SearchForm
from tillit.organisation.models import Person
from tillit.public.forms import CaseForm as PublicCaseForm
from tillit.public.forms import MessageForm
from tillit.public.tests.helpers import case_data, form_key

from .corpus import CLASSES, Payload, assign, executed, whole_page

NOT_TEXT = (forms.EmailField, forms.URLField, forms.SlugField, forms.UUIDField)


def text_fields(form_class: type[forms.BaseForm], *, skip: tuple[str, ...] = ()) -> list[str]:
    """The fields a person types free text into (not hidden, not e-mail or URL)."""
    return [
        name
        for name, f in form_class.base_fields.items()
        if isinstance(f, forms.CharField)
        and not isinstance(f, NOT_TEXT)
        and not f.widget.is_hidden
        and name not in skip
    ]


def filler(form: forms.BaseForm) -> dict[str, Any]:
    """Valid values for every field of an unbound form (the hostile ones are put over these)."""
    data: dict[str, Any] = {}
    for name, f in form.fields.items():
        key = form.add_prefix(name)
        initial = form.initial.get(name, f.initial)
        initial = initial() if callable(initial) else initial
        if isinstance(f, forms.BooleanField | forms.FileField):
            continue
        if isinstance(f, forms.ModelChoiceField):
            chosen = initial or getattr(f.queryset.first(), "pk", None)
            if chosen is not None:
                data[key] = str(getattr(chosen, "pk", chosen))
        elif isinstance(f, forms.ChoiceField):
            values = [str(v) for v, _label in f.choices if v not in ("", None)]
            if initial not in (None, ""):
                data[key] = str(initial)
            elif values:
                data[key] = values[0]
        elif isinstance(f, forms.DateTimeField):
            data[key] = ""
        elif isinstance(f, forms.TimeField):
            data[key] = "09:00"
        elif isinstance(f, forms.DateField):
            data[key] = (initial or timezone.localdate() + timedelta(days=30)).isoformat()
        elif isinstance(f, forms.IntegerField):
            data[key] = str(initial if initial is not None else (f.min_value or 1))
        elif isinstance(f, forms.EmailField):
            data[key] = "karin@example.se"
        elif isinstance(f, forms.CharField):
            data[key] = str(initial) if initial else "Vanlig text"
    return data


# --- the world a submission lands in --------------------------------------------------------


@dataclass
class Ctx:
    world: World
    case: Case
    worker: Person
    token: str
    staff: Client
    citizen: Client = field(default_factory=lambda: Client(headers={"Accept-Language": "sv"}))

    def reload(self) -> None:
        self.case.refresh_from_db()


# Session keys of people signed in once for a whole module (see conftest.py): a client for one
# of them only needs the cookie, not a new session row per test.
SESSIONS: dict[int, str] = {}


def signed_in(person: Person) -> Client:
    client = Client(headers={"Accept-Language": "sv"})
    if person.pk in SESSIONS:
        client.cookies["sessionid"] = SESSIONS[person.pk]
    else:
        client.force_login(person)
    return client


def worker_of(world: World, case: Case) -> Person:
    for person in (world.centre_staff, world.admin_staff):
        if queries.access_to(person, case) == queries.Access.WORK:
            return person
    raise AssertionError("nobody in the world works this case")


def make_ctx(world: World, state: str = "open") -> Ctx:
    case = register(world)
    worker = worker_of(world, case)
    if state == "closed":
        actions.close_case(case=case, by=worker, resolution="Klart.")
    elif state == "secret":
        actions.mark_secret(case=case, by=worker, provision="OSL 26 kap. 1 §")
    case.refresh_from_db()
    token = actions.issue_status_link(case=case)
    return Ctx(world, case, worker, token, signed_in(worker))


def ctx_for_change(world: World, change: Change) -> Ctx:
    for state in ("open", "closed", "secret"):
        ctx = make_ctx(world, state)
        if change.available(Situation(case=ctx.case, person=ctx.worker, offer=None)):
            return ctx
    raise AssertionError(f"no case state offers {change.slug}")


# --- surfaces: a form, how to send it, and which pages show what it stored --------------------


Submit = Callable[[Ctx, dict[str, str]], HttpResponse]


@dataclass(frozen=True)
class Surface:
    key: str
    form: type[forms.BaseForm]
    submit: Submit
    make: Callable[[World], Ctx] = make_ctx
    skip: tuple[str, ...] = ()
    citizen_sees: bool = False  # the status page shows what was stored
    get: bool = False
    creates: bool = False  # the submission makes a new case (the pages then show that one)
    fragment: bool = False  # a GET answered with a piece of a page (HTMX), which need not echo

    @property
    def fields(self) -> list[str]:
        return text_fields(self.form, skip=self.skip)


def post(client: Client, url: str, data: dict[str, Any]) -> HttpResponse:
    """POST as a browser does; raw bytes (invalid UTF-8) go into a hand-made urlencoded body
    (the test client would read a bytes value as a list of numbers)."""
    if not any(isinstance(v, bytes) for v in data.values()):
        return client.post(url, data)
    body = urlencode(data)
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def _change_submit(change: Change) -> Submit:
    def submit(ctx: Ctx, values: dict[str, str]) -> HttpResponse:
        form = change.form(case=ctx.case, person=ctx.worker, prefix=change.slug)
        data = filler(form) | {form.add_prefix(k): v for k, v in values.items()}
        return post(ctx.staff, reverse("cases:change", args=[ctx.case.pk, change.slug]), data)

    return submit


def _registration(ctx: Ctx, values: dict[str, str]) -> HttpResponse:
    form = RegistrationForm(person=ctx.worker)
    data = filler(form) | {"token": new_form_token(), "case_type": str(ctx.world.case_type.pk)}
    return post(ctx.staff, reverse("cases:register"), data | values)


def _offered_ctx(world: World) -> Ctx:
    ctx = make_ctx(world)
    offer(world, ctx.case, by=ctx.worker, to_unit=world.other)
    ctx.staff = signed_in(world.other_staff)
    ctx.worker = world.other_staff
    return ctx


def _return(ctx: Ctx, values: dict[str, str]) -> HttpResponse:
    handover = queries.open_offer(ctx.case)
    assert handover is not None
    data = {f"returnera-{handover.pk}-{k}": v for k, v in values.items()}
    return post(ctx.staff, reverse("cases:answer", args=[handover.pk, "returnera"]), data)


def _withdraw_ctx(world: World) -> Ctx:
    ctx = make_ctx(world)
    offer(world, ctx.case, by=ctx.worker, to_unit=world.other)
    return ctx


def _withdraw(ctx: Ctx, values: dict[str, str]) -> HttpResponse:
    handover = queries.open_offer(ctx.case)
    assert handover is not None
    data = {f"aterkalla-{k}": v for k, v in values.items()}
    return post(ctx.staff, reverse("cases:answer", args=[handover.pk, "aterkalla"]), data)


def _type_options(ctx: Ctx, values: dict[str, str]) -> HttpResponse:
    return ctx.staff.get(reverse("cases:case_type_options"), values)


def _search(ctx: Ctx, values: dict[str, str]) -> HttpResponse:
    return ctx.staff.get(reverse("cases:search"), values)


def _public_case(ctx: Ctx, values: dict[str, str]) -> HttpResponse:
    key = form_key(ctx.citizen, reverse("public:new_case"))
    # A new address: a known one would attach the case to the citizen we already know (by name).
    data = case_data(ctx.world, key, email="ny.invanare@example.se")
    return post(ctx.citizen, reverse("public:new_case"), data | values)


def _public_message(ctx: Ctx, values: dict[str, str]) -> HttpResponse:
    url = reverse("public:status", args=[ctx.token])
    return post(ctx.citizen, url, {"form_key": form_key(ctx.citizen, url)} | values)


SEARCH_BOXES = ("type_search",)  # narrows a list as one types; fuzzed as its own surface below
CITIZEN_SEES = {"svar"}  # the case-page changes whose text the citizen's status page shows

SURFACES: list[Surface] = [
    *(
        Surface(
            f"case:{change.slug}",
            change.form,
            _change_submit(change),
            make=lambda world, change=change: ctx_for_change(world, change),
            citizen_sees=change.slug in CITIZEN_SEES,
            skip=SEARCH_BOXES,
        )
        for change in CHANGES
        if text_fields(change.form)
    ),
    Surface("case:register", RegistrationForm, _registration, creates=True, skip=SEARCH_BOXES),
    Surface("case:type_search", CaseTypeSearchMixin, _type_options, get=True, fragment=True),
    Surface("handover:return", ReturnForm, _return, make=_offered_ctx),
    Surface("handover:withdraw", WithdrawForm, _withdraw, make=_withdraw_ctx),
    Surface("case:search", SearchForm, _search, get=True),
    Surface("public:new_case", PublicCaseForm, _public_case, skip=("website",), creates=True),
    Surface("public:message", MessageForm, _public_message, citizen_sees=True),
]

# Forms with free text that this suite does not drive yet, and why (kept honest by the test below).
LEFT_OUT: dict[str, str] = {}

CASES = [(s, f, c) for s in SURFACES for f in s.fields for c in CLASSES]


def test_every_form_with_text_is_covered_or_listed():
    """A new form with a free-text field fails here until it is fuzzed or knowingly left out."""
    for config in apps.get_app_configs():
        if config.name.startswith("tillit."):
            for module in ("forms", "views"):
                with contextlib.suppress(ModuleNotFoundError):
                    importlib.import_module(f"{config.name}.{module}")
    from .surfaces import APP_SURFACES, BASES

    covered = {s.form for s in SURFACES} | {s.form for s in APP_SURFACES} | BASES

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found | {g for c in found for g in subclasses(c)}

    missing = [
        f"{form.__module__}.{form.__qualname__}"
        for form in subclasses(forms.BaseForm)
        if form.__module__.startswith("tillit.")
        and ".tests" not in form.__module__
        and form not in covered
        and text_fields(form)
        and not any(form.__module__.startswith(m) for m in LEFT_OUT)
    ]
    assert not missing, f"forms with text fields neither fuzzed nor listed: {missing}"


def pages_of(ctx: Ctx, surface: Surface) -> dict[str, tuple[Client, str]]:
    case = Case.objects.order_by("-pk").first() if surface.creates else ctx.case
    assert case is not None
    worker = worker_of(ctx.world, case)
    staff = signed_in(worker) if worker != ctx.worker else ctx.staff
    pages = {
        "case page": (staff, reverse("cases:case", args=[case.pk])),
        "api case": (staff, f"/api/v1/cases/{case.pk}"),
        "api events": (staff, f"/api/v1/cases/{case.pk}/events"),
    }
    if surface.creates:  # queues and search results show the subject
        pages["unit queue"] = (staff, reverse("cases:queue", args=["enheten"]))
        pages["search"] = (staff, reverse("cases:search") + f"?q={case.registration_number}")
    if surface.key == "case:erbjud":  # the receiving unit reads the offer on its own page
        pages["incoming"] = (signed_in(ctx.world.other_staff), reverse("cases:incoming"))
    if surface.citizen_sees:
        pages["status page"] = (ctx.citizen, reverse("public:status", args=[ctx.token]))
    return pages


def on_the_wire(text: str) -> str | bytes:
    """A lone surrogate cannot be sent as text: a browser would send its (invalid) UTF-8 bytes."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
    return text


def refused_clearly(response: HttpResponse) -> None:
    assert response.status_code in {400, 413, 422}, response.status_code
    html = response.content.decode()
    assert 'class="errorlist"' in html or "error-summary" in html, "a refusal without a message"
    assert 'lang="sv"' in html


def check_shown(ctx: Ctx, surface: Surface, payloads: list[Payload]) -> None:
    shown = False
    for name, (client, url) in pages_of(ctx, surface).items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        body = response.content.decode()
        assert "\x00" not in body, f"{name}: a NUL byte reached the page"
        if url.startswith("/api/"):
            assert response["Content-Type"].startswith("application/json")
            json.loads(body)  # valid JSON, whatever the text
        else:
            assert whole_page(body), f"{name}: broken page"
            assert not executed(body, payloads), f"{name}: {executed(body, payloads)}"
        shown = shown or all(p.marker in body for p in payloads)
    assert shown, "what was accepted is shown on no page"


@pytest.mark.parametrize(
    ("surface", "name", "cls"), CASES, ids=[f"{s.key}.{f}-{c}" for s, f, c in CASES]
)
def test_hostile_text_is_refused_clearly_or_stored_and_shown_harmless(
    world, surface, name, cls, django_capture_on_commit_callbacks
):
    """Hostile text in one field: never a server error; refused with a message, or kept and
    shown escaped on every page and in every e-mail that carries it."""
    ctx = surface.make(world)
    index = surface.fields.index(name)
    payload = assign(surface.fields, cls, offset=CLASSES.index(cls))[name]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = surface.submit(ctx, {name: on_the_wire(payload.text)})
    assert response.status_code < 500
    html = response.content.decode(errors="replace")
    if response.status_code == 200 and not surface.get:
        pytest.fail(f"a POST answered 200, neither done nor refused (field {index})")
    if response.status_code >= 400:
        refused_clearly(response)
        assert not executed(html, [payload]), executed(html, [payload])
        assert whole_page(html)
        return
    if surface.get:
        assert not executed(html, [payload]), executed(html, [payload])
        if not surface.fragment:
            assert whole_page(html) and payload.marker in html
        return
    check_shown(ctx, surface, [payload])
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject, message.subject
        for content, kind in getattr(message, "alternatives", []):
            if kind == "text/html":
                assert not executed(str(content), [payload]), executed(str(content), [payload])
