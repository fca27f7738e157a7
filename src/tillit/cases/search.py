"""Full-text search in Swedish over a case's subject, description, notes, replies and messages.

Both databases index text that Python has first stemmed with the current Snowball Swedish
stemmer, so a query finds the same cases on either: SQLite in an FTS5 table (FTS5 has no Swedish
stemmer), PostgreSQL in a tsvector made with the `swedish` configuration (which also drops Swedish
stop words) behind a GIN index. PostgreSQL's bundled Snowball is older and misses forms such as
"bygglovet"; stemming first makes both agree. Every query word matches as a prefix. The index is
maintained by `index_case`, which every action that adds text calls.
"""

from __future__ import annotations

import re

from django.db import connection

from tillit.cases.models import Case, CaseEvent
from tillit.cases.states import EventKind
from tillit.core.stemming import stem

TEXT_EVENTS = (
    EventKind.NOTE,
    EventKind.REPLY,
    EventKind.CITIZEN_MESSAGE,
    EventKind.ORAL_INFORMATION,
)
_WORD = re.compile(r"\w+", re.UNICODE)


def stem_text(text: str) -> str:
    return " ".join([stem(w.lower()) for w in _WORD.findall(text)])


def document_text(case: Case, bodies: list[str] | None = None) -> str:
    if bodies is None:
        bodies = list(
            CaseEvent.objects.filter(case=case, kind__in=TEXT_EVENTS).values_list("body", flat=True)
        )
    return "\n".join([case.registration_number, case.subject, case.description, *bodies])


def index_case(case: Case, *, bodies: list[str] | None = None, new: bool = False) -> None:
    """(Re)write the case's search document. A caller that knows the texts of the case's log
    (`bodies`, e.g. a case registered in this transaction) saves reading them back; `new` says no
    document exists yet."""
    text = document_text(case, bodies)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO cases_search (case_id, document) "
                "VALUES (%s, to_tsvector('swedish', %s)) "
                "ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document",
                [case.pk, stem_text(text)],
            )
        else:
            if not new:
                cursor.execute("DELETE FROM cases_search WHERE rowid = %s", [case.pk])
            cursor.execute(
                "INSERT INTO cases_search (rowid, document) VALUES (%s, %s)",
                [case.pk, stem_text(text)],
            )


def index_new_cases(cases: list[Case]) -> None:
    """The first search documents of cases registered together (no log text yet): one insert."""
    if not cases:
        return
    params: list[int | str] = []
    for case in cases:
        params += [case.pk, stem_text(document_text(case, []))]
    if connection.vendor == "postgresql":
        head, row = (
            "INSERT INTO cases_search (case_id, document)",
            "(%s, to_tsvector('swedish', %s))",
        )
    else:
        head, row = "INSERT INTO cases_search (rowid, document)", "(%s, %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"{head} VALUES {', '.join([row] * len(cases))}", params)


def matching_case_ids_sql(
    query: str, *, above: int | None = None, below: int | None = None
) -> tuple[str, list[object]] | None:
    """SQL selecting the ids of cases matching `query` (every word must match), or None.

    `above`/`below` bound the case ids, so the database can intersect the word index with the
    primary key and visit only a window of the newest cases.
    """
    stems = stem_text(query).split()
    if not stems:
        return None
    if connection.vendor == "postgresql":
        # Stems are word characters only, so they are safe inside the to_tsquery syntax.
        column = "case_id"
        sql = "SELECT case_id FROM cases_search WHERE document @@ to_tsquery('swedish', %s)"
        params: list[object] = [" & ".join(f"{stem}:*" for stem in stems)]
    else:
        column = "rowid"
        sql = "SELECT rowid FROM cases_search WHERE cases_search MATCH %s"
        params = [" ".join(f'"{stem}"*' for stem in stems)]
    if above is not None:
        sql += f" AND {column} > %s"
        params.append(above)
    if below is not None:
        sql += f" AND {column} < %s"
        params.append(below)
    return sql, params
