"""The live parts of the pages, rendered the same for the first page load, the websocket push
and the polling fallback, so all three always show the same thing."""

from __future__ import annotations

import math
from typing import Any

from django.template import defaultfilters
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tillit.core.markup import esc
from tillit.dialog import queries
from tillit.dialog.models import Note, Participant, Session
from tillit.dialog.words import WordCount

SIZE_CLASSES = 6
# What a phone's live part shows of its session (its step, the step's name and deadline).
LIVE_SESSION_FIELDS = ("template", "step", "step_deadline", "finished_at")


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


def _translated(message: str, **values: object) -> SafeString:
    """A `{% blocktranslate %}`: the translation as it is, the values escaped."""
    escaped = {k: esc(v) for k, v in values.items()}
    return mark_safe(_(message) % escaped)  # noqa: S308 - the values escaped, the text ours


def _countdown(session: Session, seconds: int | None) -> str:
    """`dialog/_countdown.html`, made in Python (the phones' part is re-rendered for every
    change of a table; decision 0804)."""
    if session.step_deadline is None or session.is_finished:
        return "\n"
    deadline = timezone.localtime(session.step_deadline)
    at = defaultfilters.date(deadline, "c")
    until = _translated("until %(time)s", time=defaultfilters.time(deadline, "H:i"))
    return (
        f'\n<p class="dialog-countdown">{esc(_("Time left:"))} <time datetime="{at}" '
        f'data-deadline="{at}" data-seconds="{seconds}">{until}</time></p>\n\n'
    )


def _status(session: Session) -> str:
    if session.is_finished:
        return esc(_("The session has ended. Thank you!"))
    if session.step == 0:
        return esc(_("Waiting for the facilitator to start."))
    return _translated(
        "Step %(step)s of %(count)s: %(name)s",
        step=session.step,
        count=session.step_count,
        name=session.step_name,
    )


def _table_html(table: queries.TablePage) -> str:
    anonymous = str(_("Anonymous"))
    people = ", ".join(esc(name or anonymous) for name in table.people)
    if table.notes:
        items = "".join(
            f'<li>{esc(text)} <span class="muted">– {esc(name or anonymous)}</span></li>'
            for text, name in table.notes
        )
        notes = f'\n  <ul class="dialog-notes">{items}</ul>\n  '
    else:
        notes = f'<p class="muted">{esc(_("No one has shared a note yet."))}</p>'
    answers = "".join(
        f"\n  <h3>{_translated('Joint answer, step %(step)s', step=step)}</h3>\n"
        f'  <p class="dialog-answer">{defaultfilters.linebreaksbr(text, autoescape=True)}</p>\n  '
        for step, text in table.answers
    )
    factors = ""
    if table.factors:
        items = "".join(f"<li>{esc(text)}</li>" for text in table.factors)
        factors = f"\n  <h3>{esc(_('Our success factors'))}</h3>\n  <ol>{items}</ol>\n  "
    return (
        '\n<section class="card" aria-labelledby="my-table">\n'
        f'  <h2 id="my-table">{_translated("Your table: %(name)s", name=table.name)}</h2>\n'
        f'  <p class="muted">{people}</p>\n'
        f"  <h3>{esc(_('Notes shared at the table'))}</h3>\n"
        f"  {notes}\n  {answers}\n  {factors}\n</section>\n"
    )


def participant_html(session: Session, table: queries.TablePage | None) -> SafeString:
    """The live part of a phone: the step and the table. The same for everyone at a table, so
    one rendering serves them all (consumers share it). Made in Python rather than from a
    template: it is what a large meeting re-renders most (decision 0804); the markup is the
    old template's, byte for byte (`tests/test_participant_html.py`)."""
    seconds = deadline_context(session)["seconds_left"]
    status = (
        f'<div class="dialog-status">\n  <p><strong>{_status(session)}</strong></p>\n'
        f"  {_countdown(session, seconds)}\n</div>\n"
    )
    table_html = _table_html(table) if table is not None else ""
    return mark_safe(status + table_html + "\n")  # noqa: S308 - every value escaped above


def render_participant(participant: Participant) -> SafeString:
    return render_table_part(participant.session_id, participant.table_id)


def render_table_part(session_id: int, table_id: int | None) -> SafeString:
    """A phone's live part as of now: the session's step and the table's content, read fresh
    (two queries: the columns of the session it shows, and the table's lists in one)."""
    session = Session.objects.only(*LIVE_SESSION_FIELDS).get(pk=session_id)
    page = queries.table_page(table_id) if table_id is not None else None
    return participant_html(session, page)


def my_note_html(note: Note, session: Session) -> SafeString:
    """`dialog/_my_note.html` as the websocket's reply to a stored note gives it (no CSRF token:
    the phone's script puts its own in). Made in Python: every note sent is one (decision 0804);
    `tests/test_participant_html.py` holds it to the template byte for byte."""
    action = reverse("dialog:share_note", args=[session.code, note.pk])
    if note.shared:
        badge = f'<span class="badge badge--ok">{esc(_("shared"))}</span>'
        share, label, after = "0", esc(_("Stop sharing")), "\n        "
    else:
        badge = f'<span class="badge">{esc(_("private"))}</span>'
        share, label, after = "1", esc(_("Share with my table")), ""
    return mark_safe(  # noqa: S308 - every value escaped
        f"<li>{esc(note.text)}\n"
        f'      <form method="post" action="{esc(action)}" class="dialog-inline">\n'
        '        <input type="hidden" name="csrfmiddlewaretoken" value="">\n'
        f"        {badge}\n"
        f'        <input type="hidden" name="shared" value="{share}"><button type="submit" '
        f'class="button button--small button--secondary">{label}</button>{after}\n'
        "      </form>\n    </li>\n"
    )


def render_control(session: Session) -> str:
    """The live part of the facilitator's page: participants and each table's progress."""
    progress = queries.progress_of(session)
    return render_to_string(
        "dialog/_control_live.html",
        {**deadline_context(progress.session), "progress": progress},
    )
