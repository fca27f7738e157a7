"""Every checked read of dialog sessions: the facilitator's sessions, a session by its join
code, a participant by the secret in their cookie, and what the screens show."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet

from tillit.dialog.actions import token_hash
from tillit.dialog.models import (
    Note,
    Participant,
    Proposal,
    Session,
    SuccessFactor,
    Table,
    TableAnswer,
)
from tillit.dialog.states import FactorStatus
from tillit.dialog.words import Tally, WordCount
from tillit.organisation.models import Person


class SessionNotFound(Exception):
    """No such session, or not yours: answered alike."""


def sessions_of(person: Person) -> QuerySet[Session]:
    return Session.objects.filter(facilitator=person).annotate(people=Count("participants"))


def session_for_facilitator(person: Person, session_id: int) -> Session:
    try:
        return Session.objects.get(pk=session_id, facilitator=person)
    except Session.DoesNotExist as error:
        raise SessionNotFound from error


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def open_session_by_code(code: str) -> Session:
    code = normalise_code(code)
    if not code:
        raise SessionNotFound
    session = Session.objects.filter(code=code, finished_at__isnull=True).first()
    if session is None:
        raise SessionNotFound
    return session


def session_by_code(code: str) -> Session:
    """Open first; a finished one still shows its participants a closing page."""
    code = normalise_code(code)
    session = (
        Session.objects.filter(code=code).order_by("finished_at", "-created_at").first()
        if code
        else None
    )
    if session is None:
        raise SessionNotFound
    return session


def participant_for(session: Session, token: str | None) -> Participant | None:
    if not token:
        return None
    return (
        Participant.objects.select_related("table")
        .filter(session=session, token_hash=token_hash(token))
        .first()
    )


def proposals_for_manager(person: Person) -> QuerySet[Proposal]:
    return Proposal.objects.filter(manager=person).select_related("session")


def proposal_for_manager(person: Person, proposal_id: int) -> Proposal:
    try:
        return proposals_for_manager(person).get(pk=proposal_id)
    except Proposal.DoesNotExist as error:
        raise SessionNotFound from error


@dataclass
class FactorView:
    factor: SuccessFactor
    tables: list[str]
    merged: list[SuccessFactor] = field(default_factory=list)


@dataclass
class TableView:
    table: Table
    people: list[Participant]
    answers: list[TableAnswer]
    factors: list[SuccessFactor]
    shared_notes: list[Note]


def tables_of(session: Session) -> list[TableView]:
    tables = session.tables.prefetch_related(
        "participants",
        "answers",
        Prefetch("factors", queryset=SuccessFactor.objects.order_by("created_at", "pk")),
    )
    notes: dict[int, list[Note]] = {}
    for note in Note.objects.filter(session=session, shared=True).select_related("participant"):
        if note.participant.table_id is not None:
            notes.setdefault(note.participant.table_id, []).append(note)
    return [
        TableView(
            table=t,
            people=list(t.participants.all()),
            answers=list(t.answers.all()),
            factors=list(t.factors.all()),
            shared_notes=notes.get(t.pk, []),
        )
        for t in tables
    ]


@dataclass
class TablePage:
    """What a phone shows of its table, as plain values (read in one query): the names of the
    people at it ("" for anonymous ones), the shared notes with their writers' names, the joint
    answers by step and the visible success factors."""

    name: str
    people: list[str]
    notes: list[tuple[str, str]]
    answers: list[tuple[int, str]]
    factors: list[str]


# One statement for the four lists (each phone push of a table runs it: with a thousand tables,
# four ORM queries were most of a push's CPU). Within each kind, the order is the models' own:
# people and notes by time, answers by step, factors by time. Only the models' table names are
# put in; the values are parameters.
_TABLE_PAGE = (
    "SELECT 0, t.name, '', 0, NULL, t.id FROM {table} t WHERE t.id = %s "
    "UNION ALL SELECT 1, p.name, '', 0, p.joined_at, p.id FROM {participant} p "
    "WHERE p.table_id = %s "
    "UNION ALL SELECT 2, n.text, w.name, 0, n.created_at, n.id FROM {note} n "
    "JOIN {participant} w ON w.id = n.participant_id WHERE w.table_id = %s AND n.shared "
    "UNION ALL SELECT 3, a.text, '', a.step, NULL, a.id FROM {answer} a WHERE a.table_id = %s "
    "UNION ALL SELECT 4, f.text, '', 0, f.created_at, f.id FROM {factor} f "
    "WHERE f.table_id = %s AND f.status <> %s "
    "ORDER BY 1, 5, 4, 6"
)


@functools.cache
def _table_page_sql() -> str:
    return _TABLE_PAGE.format(
        table=Table._meta.db_table,
        participant=Participant._meta.db_table,
        note=Note._meta.db_table,
        answer=TableAnswer._meta.db_table,
        factor=SuccessFactor._meta.db_table,
    )


def table_page(table_id: int) -> TablePage | None:
    """The table's part of a phone, or None if there is no such table."""
    page = TablePage(name="", people=[], notes=[], answers=[], factors=[])
    with connection.cursor() as cursor:
        cursor.execute(_table_page_sql(), [table_id] * 5 + [FactorStatus.HIDDEN.value])
        rows = cursor.fetchall()
    if not rows or rows[0][0] != 0:
        return None
    for kind, text, name, step, _at, _pk in rows:
        if kind == 0:
            page.name = text
        elif kind == 1:
            page.people.append(text)
        elif kind == 2:
            page.notes.append((text, name))
        elif kind == 3:
            page.answers.append((step, text))
        else:
            page.factors.append(text)
    return page


def factor_board(session: Session) -> list[FactorView]:
    """The success factors as the big screen shows them: pinned first, merged ones counted
    under the answer they were merged into, removed ones left out."""
    factors = list(session.factors.select_related("table").order_by("created_at", "pk"))
    views: dict[int, FactorView] = {}
    for factor in factors:
        if factor.status in (FactorStatus.SHOWN, FactorStatus.PINNED):
            views[factor.pk] = FactorView(factor=factor, tables=[factor.table.name])
    for factor in factors:
        if factor.status == FactorStatus.MERGED and factor.merged_into_id in views:
            view = views[factor.merged_into_id]
            view.merged.append(factor)
            if factor.table.name not in view.tables:
                view.tables.append(factor.table.name)
    return sorted(
        views.values(),
        key=lambda v: (v.factor.status != FactorStatus.PINNED, -len(v.merged), v.factor.pk),
    )


def counted_texts(session: Session) -> dict[str, str]:
    """What the word frequencies count, keyed as the screens' tallies key them ("n" a note,
    "a" a joint answer, "f" a success factor): shared notes, joint answers and visible success
    factors (a merged factor still counts its own words). Private notes never do."""
    texts = {
        f"n{pk}": text
        for pk, text in Note.objects.filter(session=session, shared=True).values_list("pk", "text")
    }
    for pk, text in TableAnswer.objects.filter(table__session=session).values_list("pk", "text"):
        texts[f"a{pk}"] = text
    for pk, text in session.factors.exclude(status=FactorStatus.HIDDEN).values_list("pk", "text"):
        texts[f"f{pk}"] = text
    return texts


def tally_of(session: Session) -> Tally:
    """The session's word counts from the database (a screen's starting point)."""
    tally = Tally()
    for key, text in counted_texts(session).items():
        tally.set(key, text)
    return tally


def word_frequencies(session: Session, *, limit: int = 40) -> list[WordCount]:
    return tally_of(session).top(limit)


@dataclass
class TableProgress:
    name: str
    people: int
    shared_notes: int
    answers: int
    factors: int


@dataclass
class Progress:
    """The facilitator's live overview: who has joined, and how far each table has come."""

    session: Session
    people: int
    waiting: int  # joined, not yet at a table
    tables: list[TableProgress]


def progress_of(session: Session) -> Progress:
    """Five grouped counts, whatever the number of tables (the page is pushed about once a
    second in a busy meeting)."""
    session.refresh_from_db()

    def per_table(rows: QuerySet[Any], key: str) -> dict[int | None, int]:
        return dict(rows.values_list(key).annotate(n=Count("pk")).values_list(key, "n"))

    people = per_table(Participant.objects.filter(session=session).order_by(), "table_id")
    notes = per_table(
        Note.objects.filter(session=session, shared=True).order_by(), "participant__table_id"
    )
    answers = per_table(TableAnswer.objects.filter(table__session=session).order_by(), "table_id")
    factors = per_table(
        SuccessFactor.objects.filter(session=session)
        .exclude(status=FactorStatus.HIDDEN)
        .order_by(),
        "table_id",
    )
    tables = [
        TableProgress(
            name=name,
            people=people.get(pk, 0),
            shared_notes=notes.get(pk, 0),
            answers=answers.get(pk, 0),
            factors=factors.get(pk, 0),
        )
        for pk, name in session.tables.values_list("pk", "name")
    ]
    return Progress(
        session=session,
        people=sum(people.values()),
        waiting=people.get(None, 0),
        tables=tables,
    )


@dataclass
class ScreenState:
    session: Session
    people: int
    words: list[WordCount]
    factors: list[FactorView]
    answers: list[TableAnswer]


def screen_state(session: Session, words: list[WordCount] | None = None) -> ScreenState:
    """What the big screen shows; `words` when the caller keeps the counts (a live screen)."""
    session.refresh_from_db()
    revealed = session.revealed
    if revealed and words is None:
        words = word_frequencies(session)
    return ScreenState(
        session=session,
        people=session.participants.count(),
        words=(words or []) if revealed else [],
        factors=factor_board(session) if revealed else [],
        answers=list(TableAnswer.objects.filter(table__session=session).select_related("table"))
        if revealed
        else [],
    )


def people_to_choose() -> QuerySet[Person]:
    """Staff who can own an action item or answer a proposal."""
    return Person.objects.filter(is_active=True).order_by("first_name", "last_name")
