"""The live parts of the pages, rendered the same for the first page load, the websocket push
and the polling fallback, so all three always show the same thing."""

from __future__ import annotations

import math
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from tillit.dialog import queries
from tillit.dialog.models import Participant, Session
from tillit.dialog.words import WordCount

SIZE_CLASSES = 6


def deadline_context(session: Session) -> dict[str, Any]:
    seconds = None
    if session.step_deadline is not None:
        seconds = max(0, math.ceil((session.step_deadline - timezone.now()).total_seconds()))
    return {"session": session, "seconds_left": seconds}


def screen_context(session: Session, words: list[WordCount] | None = None) -> dict[str, Any]:
    state = queries.screen_state(session, words)
    top = state.words[0].count if state.words else 1
    sized = [
        {"word": w.word, "count": w.count, "size": 1 + (SIZE_CLASSES - 1) * w.count // top}
        for w in state.words
    ]
    answers_by_table: dict[str, list[Any]] = {}
    for answer in state.answers:
        answers_by_table.setdefault(answer.table.name, []).append(answer)
    return {
        **deadline_context(state.session),
        "state": state,
        "words": sized,
        "answers_by_table": answers_by_table,
    }


def render_screen(session: Session, words: list[WordCount] | None = None) -> str:
    return render_to_string("dialog/_screen_live.html", screen_context(session, words))


def participant_context(participant: Participant) -> dict[str, Any]:
    """The live part of a phone: the step and the table. The same for everyone at a table, so
    one rendering serves them all (consumers share it)."""
    fresh = Participant.objects.select_related("session", "table").get(pk=participant.pk)
    participant.table, participant.name = fresh.table, fresh.name  # moved or renamed meanwhile
    return {**deadline_context(fresh.session), "table": queries.table_of(participant)}


def render_participant(participant: Participant) -> str:
    return render_to_string("dialog/_participant_live.html", participant_context(participant))


def render_control(session: Session) -> str:
    """The live part of the facilitator's page: participants and each table's progress."""
    progress = queries.progress_of(session)
    return render_to_string(
        "dialog/_control_live.html",
        {**deadline_context(progress.session), "progress": progress},
    )
