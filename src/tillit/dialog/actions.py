"""Every change to a dialog session goes through this module.

The rules it owns: a join code names one open session; people sit at balanced tables of 3 to 6
(newcomers at the smallest table; starting the first step re-seats the lobby); a text belongs
to the step it was written in, so a text sent after the facilitator moved on is refused, not
filed under the wrong question; a table has at most N success factors; only the facilitator
steers; every submission is stored before it is announced (live.announce runs on commit).
Each action locks the session row, which serialises seating and step changes per session.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core.workdays import add_working_days
from tillit.dialog import live, seating
from tillit.dialog.models import (
    MAX_ANSWER,
    MAX_FACTOR,
    MAX_NAME,
    MAX_NOTE,
    ActionItem,
    Note,
    Participant,
    Proposal,
    Question,
    Session,
    SuccessFactor,
    Table,
    TableAnswer,
)
from tillit.dialog.states import FactorStatus, ProposalStatus, StepKind, Template, steps_of
from tillit.organisation.models import Person

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread
CODE_LENGTH = 6
DEFAULT_TABLE_NAMES = [
    "Eldkvarn", "Strömmen", "Motala ström", "Holmen", "Kvarnholmen", "Laxholmen", "Spetsen",
    "Tullbron", "Saltängen", "Knäppingsborg", "Hörsalsparken", "Gamla torget", "Refvens grund",
    "Skvallertorget", "Strykjärnet", "Arbetets museum", "Louis De Geer", "Himmelstalund",
]  # fmt: skip


def refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


MAX_TABLE_NAME = 50  # Table.name holds 60: a long rota of tables adds " 2", " 3" …


def _clean(text: str, *, field: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise refuse(field, _("Write something first: the text is empty."), "required")
    if len(text) > limit:
        raise refuse(
            field,
            _("The text is too long: at most %(limit)d characters, you wrote %(length)d.")
            % {"limit": limit, "length": len(text)},
            "too_long",
        )
    return text


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


def _ensure_facilitator(session: Session, by: Person) -> None:
    if session.facilitator_id != by.pk:
        raise refuse("session", _("Only the session's facilitator can do this."), "not_facilitator")


def _ensure_step(session: Session, step: int, kind: StepKind | Sequence[StepKind]) -> None:
    """The text was written for `step`; refuse it if the session has moved on."""
    if session.is_finished:
        raise refuse("step", _("The session has ended: nothing more can be sent."), "finished")
    if step != session.step:
        raise refuse(
            "step",
            _(
                "The facilitator has moved on to step %(step)d (%(name)s), so your text was not "
                "saved for the earlier step. Copy it if you want to keep it."
            )
            % {"step": session.step, "name": session.step_name},
            "stale",
        )
    kinds = (kind,) if isinstance(kind, StepKind) else tuple(kind)
    if session.step_kind not in kinds:
        raise refuse("step", _("This step does not collect that kind of text."), "wrong_step")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def create_session(
    *,
    facilitator: Person,
    title: str,
    template: str,
    questions: Sequence[str] | None = None,
    minutes: Sequence[int] | None = None,
    factors_per_table: int = 3,
    table_names: Sequence[str] | None = None,
) -> Session:
    """A new open session with a fresh join code, its questions and durations per step."""
    title = _clean(title, field="title", limit=200)
    if template not in Template.values:
        raise refuse("template", _("Choose one of the templates."), "invalid")
    steps = steps_of(template)
    if not 1 <= factors_per_table <= 10:
        raise refuse("factors_per_table", _("Choose between 1 and 10."), "invalid")
    texts = list(questions or [])
    durations = list(minutes or [])
    names = [n.strip() for n in (table_names or DEFAULT_TABLE_NAMES) if n.strip()]
    if len(set(names)) != len(names):
        raise refuse("table_names", _("Each table needs its own name."), "duplicate")
    if any(len(name) > MAX_TABLE_NAME for name in names):  # room left for a " 2" suffix
        raise refuse(
            "table_names",
            _("The name is too long: at most %(limit)d characters.") % {"limit": MAX_TABLE_NAME},
            "too_long",
        )
    for step_minutes in durations:
        if not 1 <= step_minutes <= 240:
            raise refuse("minutes", _("A step lasts between 1 and 240 minutes."), "invalid")
    for attempt in range(20):
        try:
            with transaction.atomic():
                session = Session.objects.create(
                    facilitator=facilitator,
                    title=title,
                    template=template,
                    code=_new_code(),
                    minutes=[
                        durations[i] if i < len(durations) else spec.minutes
                        for i, spec in enumerate(steps)
                    ],
                    factors_per_table=factors_per_table,
                    table_names=names,
                )
            break
        except IntegrityError:
            if attempt == 19:
                raise
    Question.objects.bulk_create(
        Question(
            session=session,
            step=index + 1,
            text=(
                texts[index].strip()
                if index < len(texts) and texts[index].strip()
                else spec.question
            )[:300],
        )
        for index, spec in enumerate(steps)
    )
    return session


def _table_name(session: Session, number: int) -> str:
    names = session.table_names or DEFAULT_TABLE_NAMES
    if number <= len(names):
        return str(names[number - 1])
    return f"{names[(number - 1) % len(names)]} {(number - 1) // len(names) + 1}"


def _open_table(session: Session) -> Table:
    number = (session.tables.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Table.objects.create(session=session, number=number, name=_table_name(session, number))


@transaction.atomic
def join_session(
    *, session: Session, name: str = "", anonymous: bool = False
) -> tuple[Participant, str]:
    """Seat a newcomer at the smallest table (a new table when all are full). Returns the
    participant and the secret for their cookie, which is stored only as a hash."""
    session = _locked(session)
    if session.is_finished:
        raise refuse("code", _("That session has ended."), "finished")
    name = "" if anonymous else (name or "").strip()
    if not anonymous and not name:
        raise refuse("name", _("Write your name, or choose to take part anonymously."), "required")
    if len(name) > MAX_NAME:
        raise refuse(
            "name",
            _("The name is too long: at most %(limit)d characters.") % {"limit": MAX_NAME},
            "too_long",
        )
    # The smallest table (the first by number among equals) decides: a newcomer sits there
    # unless it is full. Counted in the database: reading every table and every seat per join
    # made a meeting of 5,000 quadratic (decision 0804).
    smallest = (
        session.tables.annotate(seated=Count("participants")).order_by("seated", "number").first()
    )
    sizes = [smallest.seated] if smallest is not None else []
    index = seating.seat_for_newcomer(sizes)
    table = smallest if smallest is not None and index is not None else _open_table(session)
    token = secrets.token_urlsafe(32)
    participant = Participant.objects.create(
        session=session, name=name, table=table, token_hash=token_hash(token)
    )
    live.announce(session.pk, tables=[table.pk])
    return participant, token


@transaction.atomic
def move_participant(
    *, session: Session, participant: Participant, table: Table, by: Person
) -> Participant:
    """The facilitator moves someone to another table of the same session."""
    session = _locked(session)
    _ensure_facilitator(session, by)
    if participant.session_id != session.pk or table.session_id != session.pk:
        raise refuse("table", _("Choose a table in this session."), "invalid")
    before = participant.table_id
    participant.table = table
    participant.save(update_fields=["table"])
    live.announce(session.pk, tables=[t for t in (before, table.pk) if t], people=[participant.pk])
    return participant


def _rebalance(session: Session) -> None:
    tables = list(session.tables.all())
    seated: dict[int, list[int]] = {t.pk: [] for t in tables}
    for participant_id, table_id in Participant.objects.filter(
        session=session, table__isnull=False
    ).values_list("pk", "table_id"):
        seated[table_id].append(participant_id)
    while len(tables) < seating.table_count(sum(len(v) for v in seated.values())):
        table = _open_table(session)
        tables.append(table)
        seated[table.pk] = []
    layout = seating.rebalance([seated[t.pk] for t in tables])
    for table, people in zip(tables, layout, strict=True):
        moved = [p for p in people if p not in seated[table.pk]]
        if moved:
            Participant.objects.filter(pk__in=moved).update(table=table)
    empty = [t.pk for t, people in zip(tables, layout, strict=True) if not people]
    Table.objects.filter(pk__in=empty, answers__isnull=True, factors__isnull=True).delete()


@transaction.atomic
def advance_step(*, session: Session, by: Person, from_step: int) -> Session:
    """Move to the next step (the first one re-seats the lobby at balanced tables). `from_step`
    is the step the facilitator saw, so a double click moves one step, not two."""
    session = _locked(session)
    _ensure_facilitator(session, by)
    if session.is_finished:
        raise refuse("step", _("The session has already ended."), "finished")
    if from_step != session.step:
        raise refuse("step", _("The session had already moved on; nothing was changed."), "stale")
    now = timezone.now()
    if session.step == 0:
        _rebalance(session)
    session.step += 1
    if session.step > session.step_count:
        session.finished_at = now
        session.step_deadline = None
    else:
        session.step_started_at = now
        session.step_deadline = now + timedelta(minutes=int(session.minutes[session.step - 1]))
    session.save(update_fields=["step", "step_started_at", "step_deadline", "finished_at"])
    live.announce(session.pk, room=True)
    return session


@transaction.atomic
def finish_session(*, session: Session, by: Person) -> Session:
    session = _locked(session)
    _ensure_facilitator(session, by)
    if not session.is_finished:
        session.finished_at = timezone.now()
        session.step = session.step_count + 1
        session.step_deadline = None
        session.save(update_fields=["finished_at", "step", "step_deadline"])
        live.announce(session.pk, room=True)
    return session


@transaction.atomic
def set_revealed(*, session: Session, by: Person, revealed: bool) -> Session:
    """Show or hide the results on the big screen."""
    session = _locked(session)
    _ensure_facilitator(session, by)
    session.revealed = revealed
    session.save(update_fields=["revealed"])
    live.announce(session.pk, recount=True)  # the screens count from the database again
    return session


@dataclass(frozen=True)
class NewNote:
    participant: Participant
    text: str
    step: int
    shared: bool = False


@transaction.atomic
def add_notes(*, notes: Sequence[NewNote]) -> list[Note | ValidationError]:
    """Several participants' notes of their own reflection in one insert (the phones' texts
    that arrived together, decision 0802). Each is checked as `add_note` checks it; the answer
    for each is its stored note or the reason it was refused, and a refused note takes nobody
    else's with it."""
    sessions = Session.objects.in_bulk({n.participant.session_id for n in notes})
    results: list[Note | ValidationError] = []
    new: list[Note] = []
    for wanted in notes:
        session = sessions[wanted.participant.session_id]
        try:
            _ensure_step(session, wanted.step, StepKind.OWN)
            text = _clean(wanted.text, field="text", limit=MAX_NOTE)
        except ValidationError as refusal:
            results.append(refusal)
            continue
        note = Note(
            participant=wanted.participant, session=session, text=text, shared=wanted.shared
        )
        new.append(note)
        results.append(note)
    Note.objects.bulk_create(new)
    shared: dict[int, tuple[set[int], dict[str, str | None]]] = {}
    for note in new:
        if note.shared:
            tables, words = shared.setdefault(note.session_id, (set(), {}))
            if note.participant.table_id:
                tables.add(note.participant.table_id)
            words[f"n{note.pk}"] = note.text
    for session_id, (tables, words) in shared.items():
        live.announce(session_id, tables=sorted(tables), words=words)
    return results


def add_note(*, participant: Participant, text: str, step: int, shared: bool = False) -> Note:
    """A note of one's own reflection, private unless `shared`."""
    (result,) = add_notes(notes=[NewNote(participant, text, step, shared)])
    if isinstance(result, ValidationError):
        raise result
    return result


@transaction.atomic
def share_note(*, participant: Participant, note: Note, shared: bool) -> Note:
    """Share a note with one's table, or take it back. Only its writer can."""
    note = Note.objects.select_for_update().get(pk=note.pk)
    if note.participant_id != participant.pk:
        raise refuse("note", _("You can only share your own notes."), "not_own")
    session = Session.objects.get(pk=participant.session_id)
    if session.is_finished:
        raise refuse("step", _("The session has ended: nothing more can be sent."), "finished")
    note.shared = shared
    note.save(update_fields=["shared"])
    live.announce(
        session.pk,
        tables=[participant.table_id] if participant.table_id else [],
        words={f"n{note.pk}": note.text if shared else None},
    )
    return note


@transaction.atomic
def save_table_answer(*, participant: Participant, text: str, step: int) -> TableAnswer:
    """The table's joint answer for a small-group step; anyone at the table may write it."""
    session = Session.objects.get(pk=participant.session_id)
    _ensure_step(session, step, StepKind.GROUP)
    if participant.table_id is None:
        raise refuse("text", _("You have no table yet: ask the facilitator."), "no_table")
    text = _clean(text, field="text", limit=MAX_ANSWER)
    answer, _created = TableAnswer.objects.select_for_update().get_or_create(
        table_id=participant.table_id,
        step=step,
        defaults={"text": text, "updated_by": participant},
    )
    if not _created:
        answer.text = text
        answer.updated_by = participant
        answer.save(update_fields=["text", "updated_by", "updated_at"])
    live.announce(session.pk, tables=[participant.table_id], words={f"a{answer.pk}": text})
    return answer


@transaction.atomic
def add_success_factor(*, participant: Participant, text: str, step: int) -> SuccessFactor:
    """One of the table's success factors in the plenary, at most N per table."""
    session = _locked(Session.objects.get(pk=participant.session_id))
    _ensure_step(session, step, StepKind.PLENARY)
    if participant.table_id is None:
        raise refuse("text", _("You have no table yet: ask the facilitator."), "no_table")
    text = _clean(text, field="text", limit=MAX_FACTOR)
    count = (
        SuccessFactor.objects.filter(table_id=participant.table_id)
        .exclude(status=FactorStatus.HIDDEN)
        .count()
    )
    if count >= session.factors_per_table:
        raise refuse(
            "text",
            _("Your table has already sent its %(count)d success factors.")
            % {"count": session.factors_per_table},
            "too_many",
        )
    factor = SuccessFactor.objects.create(
        session=session, table_id=participant.table_id, text=text, submitted_by=participant
    )
    live.announce(session.pk, tables=[participant.table_id], words={f"f{factor.pk}": text})
    return factor


def _factor_for_change(factor: SuccessFactor, by: Person) -> tuple[Session, SuccessFactor]:
    session = _locked(Session.objects.get(pk=factor.session_id))
    _ensure_facilitator(session, by)
    return session, SuccessFactor.objects.select_for_update().get(pk=factor.pk)


@transaction.atomic
def pin_factor(*, factor: SuccessFactor, by: Person, pinned: bool = True) -> SuccessFactor:
    session, factor = _factor_for_change(factor, by)
    factor.status = FactorStatus.PINNED if pinned else FactorStatus.SHOWN
    factor.merged_into = None
    factor.save(update_fields=["status", "merged_into"])
    live.announce(session.pk, tables=[factor.table_id], words={f"f{factor.pk}": factor.text})
    return factor


@transaction.atomic
def remove_factor(*, factor: SuccessFactor, by: Person) -> SuccessFactor:
    """Take an answer off the big screen (it is kept, and can be shown again)."""
    session, factor = _factor_for_change(factor, by)
    factor.status = FactorStatus.HIDDEN
    factor.merged_into = None
    factor.save(update_fields=["status", "merged_into"])
    SuccessFactor.objects.filter(merged_into=factor).update(
        status=FactorStatus.SHOWN, merged_into=None
    )
    live.announce(session.pk, tables=[factor.table_id], words={f"f{factor.pk}": None})
    return factor


@transaction.atomic
def merge_factor(*, factor: SuccessFactor, into: SuccessFactor, by: Person) -> SuccessFactor:
    """Count a duplicate answer under another one; the screen shows it once, with both tables."""
    session, factor = _factor_for_change(factor, by)
    into = SuccessFactor.objects.select_for_update().get(pk=into.pk)
    if into.session_id != session.pk or into.pk == factor.pk:
        raise refuse("into", _("Choose another answer in this session."), "invalid")
    if into.merged_into_id is not None:
        into = SuccessFactor.objects.get(pk=into.merged_into_id)
    factor.status = FactorStatus.MERGED
    factor.merged_into = into
    factor.save(update_fields=["status", "merged_into"])
    SuccessFactor.objects.filter(merged_into=factor).update(merged_into=into)
    live.announce(session.pk, tables=[factor.table_id])
    return factor


@transaction.atomic
def create_action_item(
    *,
    session: Session,
    by: Person,
    text: str,
    owner: Person,
    due: date,
    factor: SuccessFactor | None = None,
) -> ActionItem:
    """An answer becomes a task for a workplace meeting (APT), with an owner and a due date."""
    _ensure_facilitator(session, by)
    if factor is not None and factor.session_id != session.pk:
        raise refuse("factor", _("Choose an answer in this session."), "invalid")
    if due < timezone.localdate():
        raise refuse("due", _("The due date has passed: choose today or later."), "past")
    return ActionItem.objects.create(
        session=session,
        factor=factor,
        text=_clean(text, field="text", limit=MAX_FACTOR),
        owner=owner,
        due=due,
        created_by=by,
    )


@transaction.atomic
def create_proposal(
    *,
    session: Session,
    by: Person,
    text: str,
    manager: Person,
    answer_days: int,
    factor: SuccessFactor | None = None,
) -> Proposal:
    """An answer becomes an improvement proposal; the manager must answer within
    `answer_days` working days."""
    _ensure_facilitator(session, by)
    if factor is not None and factor.session_id != session.pk:
        raise refuse("factor", _("Choose an answer in this session."), "invalid")
    if not 1 <= answer_days <= 90:
        raise refuse("answer_days", _("Choose between 1 and 90 working days."), "invalid")
    return Proposal.objects.create(
        session=session,
        factor=factor,
        text=_clean(text, field="text", limit=MAX_FACTOR),
        manager=manager,
        answer_by=add_working_days(timezone.localdate(), answer_days),
        created_by=by,
    )


@transaction.atomic
def decide_proposal(*, proposal: Proposal, by: Person, status: str, decision: str) -> Proposal:
    """The manager's answer: a status and the decision in words."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.manager_id != by.pk:
        raise refuse(
            "decision", _("Only the manager the proposal was sent to can answer it."), "not_manager"
        )
    if status not in ProposalStatus.values or status == ProposalStatus.SUBMITTED:
        raise refuse("status", _("Choose a decision."), "invalid")
    proposal.decision = _clean(decision, field="decision", limit=2_000)
    proposal.status = status
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["decision", "status", "decided_at"])
    return proposal
