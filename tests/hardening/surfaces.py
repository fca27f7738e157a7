"""The forms of catalogue, dialog, liaison, feedback, team and mailbox as hostile-corpus surfaces.

A surface is a form, and a `Scene` the world it is posted in: who posts (a person allowed to),
where, valid values for every field (the hostile ones are put over these), and the places that
render what was stored back: pages, the big screen, CSV and JSON exports. E-mails the submission
causes are checked by the test itself.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tillit.cases import actions as case_actions
from tillit.cases.tests.factories import World, register
from tillit.catalogue import actions as catalogue_actions
from tillit.catalogue import forms as catalogue_forms
from tillit.catalogue.models import CaseTypeVersion
from tillit.catalogue.tests.factories import CaseTypeFactory, published_checklist
from tillit.core.workdays import add_working_days, is_working_day
from tillit.dialog import actions as dialog_actions
from tillit.dialog import forms as dialog_forms
from tillit.dialog import queries as dialog_queries
from tillit.dialog.models import Session
from tillit.dialog.participant_views import cookie_name
from tillit.dialog.states import ProposalStatus
from tillit.dialog.tests.factories import go_to_step, make_session
from tillit.feedback import actions as feedback_actions
from tillit.feedback import forms as feedback_forms
from tillit.feedback.models import FollowUp
from tillit.feedback.tests.helpers import (
    closed_case,
    send_surveys_later,
    start_survey_feed,
    survey_token_from_mail,
)
from tillit.liaison import actions as liaison_actions
from tillit.liaison import forms as liaison_forms
from tillit.liaison.models import Meeting
from tillit.liaison.tests.factories import at, decide, make_liaison, plan, propose
from tillit.mailbox import actions as mailbox_actions
from tillit.mailbox import forms as mailbox_forms
from tillit.mailbox.actions import set_up_mailbox
from tillit.mailbox.samples import citizen_mail
from tillit.organisation.models import Role
from tillit.organisation.tests.factories import PersonFactory
from tillit.team import actions as team_actions
from tillit.team import forms as team_forms
from tillit.team import queries as team_queries
from tillit.team.models import Absence
from tillit.team.states import AbsenceKind, DayPart

from .test_hostile_forms import filler, signed_in, text_fields, worker_of

Read = tuple[str, Client, str]  # a name, who reads, and the URL that shows what was stored


@dataclass
class Scene:
    client: Client
    url: str
    data: dict[str, Any]  # valid values for every field, with the form's prefix (a callable
    # value is called for each submission: an idempotency key, a day not booked yet)
    prefix: str = ""
    reads: list[Read] | Callable[[], list[Read]] = field(default_factory=list)

    def pages(self) -> list[Read]:
        """The reads; a callable when they are known only after the submission (a new row)."""
        return self.reads() if callable(self.reads) else self.reads

    def values(self) -> dict[str, Any]:
        return {k: v() if callable(v) else v for k, v in self.data.items()}

    def key(self, name: str) -> str:
        return f"{self.prefix}-{name}" if self.prefix else name


@dataclass(frozen=True)
class FormSurface:
    key: str
    form: type[forms.BaseForm]
    scene: Callable[[World], Scene]
    skip: tuple[str, ...] = ()
    get: bool = False  # a search box: the answer is the page itself

    @property
    def fields(self) -> list[str]:
        return text_fields(self.form, skip=self.skip)


def _filled(form: forms.BaseForm, **extra: Any) -> dict[str, Any]:
    return filler(form) | extra


# --- catalogue ----------------------------------------------------------------------------------


def _catalogue_search(world: World) -> Scene:
    return Scene(signed_in(world.centre_staff), reverse("catalogue:index"), {})


def _draft(world: World) -> tuple[Client, int]:
    version = catalogue_actions.start_draft(case_type=world.case_type, by=world.admin_contact)
    return signed_in(world.admin_contact), version.pk


def _catalogue_reads(world: World, client: Client) -> list[Read]:
    return [
        ("case type", client, reverse("catalogue:case_type", args=[world.case_type.pk])),
        (
            "service description",
            client,
            reverse("catalogue:service_description", args=[world.case_type.pk]),
        ),
        (
            "service description json",
            client,
            reverse("catalogue:service_description_json", args=[world.case_type.pk]),
        ),
        ("export csv", client, reverse("catalogue:export_csv")),
        ("export json", client, reverse("catalogue:export_json")),
    ]


def _catalogue_item(world: World) -> Scene:
    client, version = _draft(world)
    form = catalogue_forms.ItemForm(prefix="add")
    url = reverse("catalogue:draft", args=[version])
    return Scene(
        client,
        url,
        _filled(form, intent="add", **{"add-required_from": "light"}),
        "add",
        [("draft", client, url)],
    )


def _catalogue_service(world: World) -> Scene:
    """The service description of a draft, read back once the draft is published wherever the
    case type's description shows (the draft's own page is gone by then)."""
    client, version = _draft(world)
    url = reverse("catalogue:draft", args=[version])
    form = catalogue_forms.ServiceDescriptionForm(prefix="service")

    def reads() -> list[Read]:
        publish = _filled(catalogue_forms.PublishForm(prefix="publish"), intent="publish")
        client.post(url, publish)
        return _catalogue_reads(world, client)

    def stored(name: str) -> Callable[[], str]:
        # The form replaces the whole description: a field sent alone keeps what the others hold.
        return lambda: str(getattr(CaseTypeVersion.objects.get(pk=version), name))

    data = {f"service-{name}": stored(name) for name in form.fields} | {"intent": "service"}
    return Scene(client, url, data, "service", reads)


def _catalogue_publish(world: World) -> Scene:
    client, version = _draft(world)
    url = reverse("catalogue:draft", args=[version])
    client.post(url, {"intent": "add", "add-text": "Kontrollera ritningen"})
    reads = [("notices", client, reverse("catalogue:notices")), *_catalogue_reads(world, client)]
    return Scene(client, url, {"intent": "publish"}, "publish", reads)


def _checklist_case(world: World) -> tuple[Any, Any]:
    published_checklist(world.case_type, [("Kontrollera ritningen", True)])
    case = register(world)
    item = case.case_type_version.items.get()
    return case, item


def _catalogue_not_applicable(world: World) -> Scene:
    case, item = _checklist_case(world)
    client = signed_in(worker_of(world, case))
    url = reverse("catalogue:tick", args=[case.pk, item.pk, "ej-aktuell"])
    reads = [("case page", client, reverse("cases:case", args=[case.pk]))]
    return Scene(client, url, {}, f"na-{item.pk}", reads)


def _catalogue_ask(world: World) -> Scene:
    case = register(world)
    worker = worker_of(world, case)
    client = signed_in(worker)
    reads = [
        ("case page", client, reverse("cases:case", args=[case.pk])),
        ("questions", signed_in(world.admin_contact), reverse("catalogue:questions")),
    ]
    url = reverse("catalogue:ask", args=[case.pk])
    return Scene(client, url, {"ask-to": "contacts"}, "ask", reads)


def _catalogue_answer(world: World) -> Scene:
    case = register(world)
    worker = worker_of(world, case)
    question = catalogue_actions.ask_question(
        case=case,
        by=worker,
        text="Behövs ritning?",
        to_unit=world.administration,
        contact_persons_only=True,
    )
    client = signed_in(world.admin_contact)
    asker = signed_in(worker)
    reads = [
        ("case page", asker, reverse("cases:case", args=[case.pk])),
        ("asker's questions", asker, reverse("catalogue:questions")),
        ("case type", client, reverse("catalogue:case_type", args=[world.case_type.pk])),
    ]
    url = reverse("catalogue:answer", args=[question.pk])
    return Scene(client, url, {}, f"q-{question.pk}", reads)


def _catalogue_notice(world: World) -> Scene:
    client = signed_in(world.admin_contact)
    data = {
        "new-case_types": [str(world.case_type.pk)],
        "new-effective_from": timezone.localdate().isoformat(),
    }
    reads = [
        ("notices", client, reverse("catalogue:notices")),
        ("staff notices", signed_in(world.centre_staff), reverse("catalogue:notices")),
        ("start page", signed_in(world.centre_staff), reverse("accounts:start")),
    ]
    return Scene(client, reverse("catalogue:publish_notice"), data, "new", reads)


# --- dialog -------------------------------------------------------------------------------------


def _dialog_reads(session: Any, participant: Client | None = None) -> list[Read]:
    facilitator = signed_in(session.facilitator)
    reads: list[Read] = [
        ("control", facilitator, reverse("dialog:control", args=[session.pk])),
        ("big screen", facilitator, reverse("dialog:screen", args=[session.pk])),
        ("big screen live", facilitator, reverse("dialog:screen_live", args=[session.pk])),
        ("summary", facilitator, reverse("dialog:summary", args=[session.pk])),
        ("csv", facilitator, reverse("dialog:csv", args=[session.pk])),
    ]
    for table in session.tables.all():
        url = reverse("dialog:table_csv", args=[session.pk, table.pk])
        reads.append((f"table csv {table.pk}", facilitator, url))
    if participant is not None:
        url = reverse("dialog:participant", args=[session.code])
        reads.append(("participant", participant, url))
    return reads


def _newest_pk(model: Any) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _session_reads(session: Session) -> list[Read]:
    """A session the submission created, with one participant seated (tables are named when
    the first one sits down) at the first step (whose question the screen then shows)."""
    participant = Client(headers={"Accept-Language": "sv"})
    if session.step == 0:
        _row, token = dialog_actions.join_session(session=session, name="Anna")
        participant.cookies[cookie_name(session)] = token
        session = go_to_step(session, 1)
    return _dialog_reads(session, participant)


def _dialog_create(world: World) -> Scene:
    client = signed_in(world.centre_staff)
    data = _filled(dialog_forms.SessionForm(), questions="", minutes="", table_names="")
    before = _newest_pk(Session)

    def reads() -> list[Read]:
        created = Session.objects.filter(pk__gt=before).order_by("pk")
        return [read for session in created for read in _session_reads(session)]

    return Scene(client, reverse("dialog:create"), data, reads=reads)


def _joined(step: int) -> tuple[Any, Client]:
    session = make_session(facilitator=None)
    participant = Client(headers={"Accept-Language": "sv"})
    response = participant.post(reverse("dialog:join"), {"code": session.code, "name": "Anna"})
    assert response.status_code == 302, response.status_code
    return go_to_step(session, step), participant


def _dialog_join(world: World) -> Scene:
    session = make_session(facilitator=world.centre_staff)
    participant = Client(headers={"Accept-Language": "sv"})
    return Scene(
        participant,
        reverse("dialog:join"),
        {"code": session.code},
        reads=_dialog_reads(session, participant),
    )


def _dialog_step_text(view: str, step: int, **extra: str) -> Callable[[World], Scene]:
    def scene(world: World) -> Scene:
        session, participant = _joined(step)
        if view == "add_factor":  # the big screen shows them
            dialog_actions.set_revealed(session=session, by=session.facilitator, revealed=True)
        return Scene(
            participant,
            reverse(f"dialog:{view}", args=[session.code]),
            {"step": str(step), **extra},
            reads=_dialog_reads(session, participant),
        )

    return scene


def _finished_with_factor(world: World) -> tuple[Any, Any]:
    session, participant = _joined(3)
    participant.post(
        reverse("dialog:add_factor", args=[session.code]), {"step": 3, "text": "Tydliga rutiner"}
    )
    session = go_to_step(session, 4)
    return session, session.factors.get()


def _dialog_follow_up(kind: str) -> Callable[[World], Scene]:
    def scene(world: World) -> Scene:
        session, factor = _finished_with_factor(world)
        client = signed_in(session.facilitator)
        form = (
            dialog_forms.ProposalForm(people=_people(world), prefix="proposal")
            if kind == "proposal"
            else dialog_forms.ActionItemForm(people=_people(world), prefix="item")
        )
        data = _filled(form, kind=kind, factor=str(factor.pk))
        data[f"{form.prefix}-{'manager' if kind == 'proposal' else 'owner'}"] = str(
            world.admin_manager.pk
        )
        reads = _dialog_reads(session)
        reads.append(("manager's list", signed_in(world.admin_manager), reverse("dialog:mine")))
        return Scene(
            client,
            reverse("dialog:follow_up", args=[session.pk]),
            data,
            form.prefix or "",
            reads,
        )

    return scene


def _people(world: World) -> Any:
    return dialog_queries.people_to_choose()


def _dialog_decide(world: World) -> Scene:
    session, factor = _finished_with_factor(world)
    proposal = dialog_actions.create_proposal(
        session=session,
        by=session.facilitator,
        factor=factor,
        text="Fler rutiner",
        manager=world.admin_manager,
        answer_days=10,
    )
    manager = signed_in(world.admin_manager)
    reads = _dialog_reads(session)
    reads.append(("manager's list", manager, reverse("dialog:mine")))
    url = reverse("dialog:decide", args=[proposal.pk])
    return Scene(manager, url, {"status": _decision_status()}, reads=reads)


def _decision_status() -> str:
    return next(s.value for s in ProposalStatus if s != ProposalStatus.SUBMITTED)


# --- liaison ------------------------------------------------------------------------------------


def _liaison_reads(liaison: Any, meeting: Any) -> list[Read]:
    manager = signed_in(liaison.manager)
    contact = signed_in(liaison.contact)
    return [
        ("meeting", manager, reverse("liaison:meeting", args=[meeting.pk])),
        ("meeting (contact)", contact, reverse("liaison:meeting", args=[meeting.pk])),
        ("printable minutes", manager, reverse("liaison:minutes", args=[meeting.pk])),
        ("series", manager, reverse("liaison:series", args=[meeting.series_id])),
        ("index", manager, reverse("liaison:index")),
        ("my actions", contact, reverse("liaison:mine")),
    ]


def _liaison_meeting(world: World) -> Scene:
    liaison = make_liaison(world)
    client = signed_in(liaison.manager)
    data = {
        "new-administration": str(world.administration.pk),
        "new-day": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "new-time": "09:00",
    }

    before = _newest_pk(Meeting)

    def reads() -> list[Read]:
        created = Meeting.objects.filter(pk__gt=before).order_by("pk")
        return [read for meeting in created for read in _liaison_reads(liaison, meeting)]

    return Scene(client, reverse("liaison:create_meeting"), data, "new", reads)


def _liaison_on_meeting(
    view: str, prefix: str, *, held: bool = True, approved: bool = False, item: bool = False
) -> Callable[[World], Scene]:
    def scene(world: World) -> Scene:
        liaison = make_liaison(world)
        meeting = plan(liaison, starts_at=at(-1 if held else 7))
        agenda = propose(meeting, liaison.contact)
        if approved:
            liaison_actions.write_minutes(item=agenda, by=liaison.manager, text="Diskuterades.")
            liaison_actions.approve_minutes(meeting=meeting, by=liaison.manager)
        client = signed_in(liaison.manager)
        args = [meeting.pk, agenda.pk] if item else [meeting.pk]
        data: dict[str, Any] = {}
        if view == "add_action":
            form = liaison_forms.ActionForm(meeting=meeting, prefix="action")
            data = _filled(form) | {"action-owner": str(liaison.contact.pk)}
        return Scene(
            client,
            reverse(f"liaison:{view}", args=args),
            data,
            prefix.replace("ITEM", str(agenda.pk)),
            _liaison_reads(liaison, meeting),
        )

    return scene


def _liaison_done(world: World) -> Scene:
    liaison = make_liaison(world)
    meeting = plan(liaison, starts_at=at(-1))
    action = decide(meeting, liaison.manager, liaison.contact)
    client = signed_in(liaison.contact)
    return Scene(
        client,
        reverse("liaison:mark_done", args=[action.pk]),
        {},
        f"done-{action.pk}",
        _liaison_reads(liaison, meeting),
    )


# --- feedback -----------------------------------------------------------------------------------


def _survey_token(world: World) -> tuple[Any, str]:
    mail.outbox.clear()
    start_survey_feed()
    case = closed_case(world)
    send_surveys_later(hours=25)
    return case, survey_token_from_mail()


def _feedback_reads(world: World, case: Any) -> list[Read]:
    staff = signed_in(world.centre_staff)
    manager = signed_in(world.admin_manager)
    return [
        ("case page", staff, reverse("cases:case", args=[case.pk])),
        ("follow-ups", staff, reverse("feedback:follow_ups")),
        ("reflections", staff, reverse("feedback:reflections")),
        ("dashboard", manager, reverse("feedback:dashboard") + "?enhet=kommun"),
    ]


def _feedback_survey(world: World) -> Scene:
    case, token = _survey_token(world)
    citizen = Client(headers={"Accept-Language": "sv"})
    data = {"treatment": "1", "got_help": "1", "ease": "1", "wants_contact": "on"}
    return Scene(
        citizen, reverse("feedback:survey", args=[token]), data, reads=_feedback_reads(world, case)
    )


def _feedback_reflection(world: World) -> Scene:
    case = closed_case(world)
    client = signed_in(worker_of(world, case))
    url = reverse("feedback:reflect", args=[case.pk])
    return Scene(client, url, {"co_created": "yes"}, reads=_feedback_reads(world, case))


def _feedback_appreciation(world: World) -> Scene:
    case = register(world)
    case_actions.add_note(case=case, by=world.centre_colleague, body="Jag ringde upp.")
    client = signed_in(world.centre_staff)
    data = _filled(
        feedback_forms.AppreciationForm(colleagues=[world.centre_colleague]),
        to=str(world.centre_colleague.pk),
    )
    reads = [
        ("sent", client, reverse("feedback:appreciation")),
        ("received", signed_in(world.centre_colleague), reverse("feedback:appreciation")),
    ]
    return Scene(client, reverse("feedback:appreciate", args=[case.pk]), data, reads=reads)


def _feedback_follow_up(world: World) -> Scene:
    case, token = _survey_token(world)
    feedback_actions.answer_survey(
        token=token, treatment=1, got_help=1, ease=1, comment="", wants_contact=True, contact=""
    )
    follow_up = FollowUp.objects.get(case=case)
    client = signed_in(world.centre_staff)
    url = reverse("feedback:complete_follow_up", args=[follow_up.pk])
    return Scene(client, url, {}, reads=_feedback_reads(world, case))


# --- team ---------------------------------------------------------------------------------------


def _team_day() -> Any:
    return add_working_days(timezone.localdate(), 5)


def _working_day_before(day: date) -> date:
    """A reflection day that is over: the last working day before `day` (on a Monday or after
    a holiday, not yesterday)."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _team_reads(world: World, absence: Any = None) -> list[Read]:
    me = signed_in(world.centre_staff)
    colleague = signed_in(world.centre_colleague)
    reads: list[Read] = [
        ("team index", me, reverse("team:index")),
        ("unit page", colleague, reverse("team:unit", args=[world.centre.pk])),
        ("chores", colleague, reverse("team:chores", args=[world.centre.pk])),
        ("covering", colleague, reverse("team:covering")),
    ]
    if absence is not None:
        reads.append(("absence", me, reverse("team:absence", args=[absence.pk])))
    return reads


def _team_booking(world: World) -> Scene:
    client = signed_in(world.centre_staff)
    days = (add_working_days(_team_day(), n).isoformat() for n in itertools.count())
    day = ""

    def next_day() -> str:
        nonlocal day
        day = next(days)
        return day

    data = {
        "kind": "vacation",
        "first_day": next_day,
        "last_day": lambda: day,
        "part": "whole",
        "request_key": lambda: uuid.uuid4().hex,
        "cover": str(world.centre_colleague.pk),
    }

    before = _newest_pk(Absence)

    def reads() -> list[Read]:
        booked = Absence.objects.filter(pk__gt=before).order_by("pk")
        return _team_reads(world) + [
            ("absence", client, reverse("team:absence", args=[absence.pk])) for absence in booked
        ]

    return Scene(client, reverse("team:book"), data, reads=reads)


def _team_absence(action: str, over: bool = False) -> Callable[[World], Scene]:
    def scene(world: World) -> Scene:
        day = _working_day_before(timezone.localdate()) if over else _team_day()
        absence = team_actions.book_absence(
            person=world.centre_staff,
            by=world.centre_staff,
            kind=AbsenceKind.REFLECTION if over else AbsenceKind.VACATION,
            first_day=day,
            last_day=None,
            part=DayPart.WHOLE,
            cover=world.centre_colleague,
            today=day,
        )
        client = signed_in(world.centre_staff)
        url = reverse("team:absence", args=[absence.pk])
        return Scene(client, url, {"action": action}, reads=_team_reads(world, absence))

    return scene


def _team_chore(world: World) -> Scene:
    client = signed_in(world.centre_staff)
    url = reverse("team:chores", args=[world.centre.pk])
    return Scene(client, url, {}, reads=_team_reads(world))


def _team_swap(world: World) -> Scene:
    manager = PersonFactory(
        username="kcchef2", member_of=world.centre, member_of__role=Role.MANAGER
    )
    team_actions.set_unit_rules(unit=world.centre, by=manager, min_present=0, hero_rota=True)
    rows = team_queries.future_hero_weeks(world.centre)[1:]
    mine = rows[0]
    theirs = next(row for row in rows if row.person_id != mine.person_id)
    data = {"my_week": mine.week.isoformat(), "their_week": theirs.week.isoformat()}
    reads: list[Read] = [
        ("asked", signed_in(theirs.person), reverse("team:index")),
        ("asker", signed_in(mine.person), reverse("team:index")),
        ("unit page", signed_in(theirs.person), reverse("team:unit", args=[world.centre.pk])),
    ]
    url = reverse("team:swap_new", args=[world.centre.pk])
    return Scene(signed_in(mine.person), url, data, reads=reads)


# --- mailbox ------------------------------------------------------------------------------------


def _mailbox_triage(world: World) -> Scene:
    mailbox = set_up_mailbox(unit=world.centre, address="kc@testkoping.se", answer_days=3)
    result = mailbox_actions.ingest_message(mailbox=mailbox, raw=citizen_mail())
    case_type = CaseTypeFactory(administration=world.administration, centre_resolves=True)
    client = signed_in(world.centre_staff)
    url = reverse("mailbox:triage", args=[result.case_id])
    reads = [
        ("case page", client, reverse("cases:case", args=[result.case_id])),
        ("queue", client, reverse("mailbox:queue", args=[mailbox.pk])),
        ("api case", client, f"/api/v1/cases/{result.case_id}"),
        ("api events", client, f"/api/v1/cases/{result.case_id}/events"),
    ]
    data = {"case_type": str(case_type.pk), "outcome": "resolve"}
    return Scene(client, url, data, reads=reads)


APP_SURFACES: list[FormSurface] = [
    FormSurface("catalogue:search", catalogue_forms.SearchForm, _catalogue_search, get=True),
    FormSurface("catalogue:item", catalogue_forms.ItemForm, _catalogue_item),
    FormSurface("catalogue:publish", catalogue_forms.PublishForm, _catalogue_publish),
    FormSurface("catalogue:service", catalogue_forms.ServiceDescriptionForm, _catalogue_service),
    FormSurface(
        "catalogue:not_applicable", catalogue_forms.NotApplicableForm, _catalogue_not_applicable
    ),
    FormSurface("catalogue:ask", catalogue_forms.AskForm, _catalogue_ask),
    FormSurface("catalogue:answer", catalogue_forms.AnswerForm, _catalogue_answer),
    FormSurface("catalogue:notice", catalogue_forms.NoticeForm, _catalogue_notice),
    FormSurface("dialog:create", dialog_forms.SessionForm, _dialog_create),
    FormSurface("dialog:join", dialog_forms.JoinForm, _dialog_join),
    FormSurface("dialog:note", dialog_forms.NoteForm, _dialog_step_text("add_note", 1)),
    FormSurface("dialog:answer", dialog_forms.AnswerForm, _dialog_step_text("save_answer", 2)),
    FormSurface("dialog:factor", dialog_forms.FactorForm, _dialog_step_text("add_factor", 3)),
    FormSurface("dialog:action_item", dialog_forms.ActionItemForm, _dialog_follow_up("item")),
    FormSurface("dialog:proposal", dialog_forms.ProposalForm, _dialog_follow_up("proposal")),
    FormSurface("dialog:decision", dialog_forms.DecisionForm, _dialog_decide),
    FormSurface("liaison:meeting", liaison_forms.MeetingForm, _liaison_meeting),
    FormSurface(
        "liaison:propose",
        liaison_forms.ProposeForm,
        _liaison_on_meeting("propose", "propose", held=False),
    ),
    FormSurface(
        "liaison:minutes",
        liaison_forms.MinutesForm,
        _liaison_on_meeting("write_minutes", "minutes-ITEM", item=True),
    ),
    FormSurface(
        "liaison:action", liaison_forms.ActionForm, _liaison_on_meeting("add_action", "action")
    ),
    FormSurface(
        "liaison:correction",
        liaison_forms.CorrectionForm,
        _liaison_on_meeting("correct", "correction", approved=True),
    ),
    FormSurface("liaison:done", liaison_forms.DoneForm, _liaison_done),
    FormSurface("feedback:survey", feedback_forms.SurveyForm, _feedback_survey),
    FormSurface("feedback:reflection", feedback_forms.ReflectionForm, _feedback_reflection),
    FormSurface("feedback:appreciation", feedback_forms.AppreciationForm, _feedback_appreciation),
    FormSurface("feedback:follow_up", feedback_forms.FollowUpDoneForm, _feedback_follow_up),
    FormSurface("team:booking", team_forms.BookingForm, _team_booking),
    FormSurface("team:replies", team_forms.RepliesForm, _team_absence("replies")),
    FormSurface("team:note", team_forms.NoteForm, _team_absence("note")),
    FormSurface("team:insight", team_forms.InsightForm, _team_absence("insight", over=True)),
    FormSurface("team:chore", team_forms.ChoreForm, _team_chore),
    FormSurface("team:swap", team_forms.SwapForm, _team_swap),
    FormSurface("mailbox:triage", mailbox_forms.TriageForm, _mailbox_triage),
]

# Forms only used as the base of driven ones.
BASES = {dialog_forms.StepTextForm}
