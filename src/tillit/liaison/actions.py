"""Every change to the liaison meetings.

The rules owned here: the centre's managers and the administration's contact persons organise
(create meetings, write minutes, decide action items, approve); any participant proposes agenda
items before the meeting; minutes are written once the meeting has started, and after approval
they never change (a correction is appended instead); only an action item's owner marks it done;
an open action item is carried onto the next meeting's agenda, again and again, until it is done.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.catalogue.models import CaseType, ChangeNotice
from tillit.core.workdays import is_working_day
from tillit.liaison import queries
from tillit.liaison.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Meeting,
    MeetingSeries,
    MinutesCorrection,
)
from tillit.organisation.models import Person, Unit, UnitKind
from tillit.organisation.queries import closed_days


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _text(field: str, value: str, *, limit: int | None = None) -> str:
    value = value.strip()
    if not value:
        raise _refuse(field, _("This must be filled in."), "required")
    if limit is not None and len(value) > limit:
        raise _refuse(field, _("At most %(limit)d characters.") % {"limit": limit}, "too_long")
    return value


def _ensure_organiser(person: Person, series: MeetingSeries) -> None:
    if not queries.may_organise(person, series):
        raise _refuse(
            "meeting",
            _(
                "Only the contact centre's managers and the administration's contact persons "
                "may do this."
            ),
            "not_organiser",
        )


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)


def _ensure_open(meeting: Meeting) -> None:
    if meeting.is_approved:
        raise _refuse(
            "meeting",
            _("The minutes are approved and can no longer change. Add a correction instead."),
            "approved",
        )


def _ensure_started(meeting: Meeting) -> None:
    if meeting.starts_at > timezone.now():
        raise _refuse(
            "meeting",
            _("The meeting has not started yet. Minutes are written during or after it."),
            "not_started",
        )


# --- series and meetings -----------------------------------------------------------------------


@transaction.atomic
def create_meeting(*, administration: Unit, by: Person, starts_at: datetime, place: str) -> Meeting:
    """A new meeting of the centre and the administration (the series starts with the first).
    Open action items of earlier meetings go onto its agenda."""
    if administration.kind != UnitKind.ADMINISTRATION:
        raise _refuse("administration", _("Choose an administration."), "not_administration")
    centre = queries.centre_of(administration)
    if centre is None:
        raise _refuse("administration", _("The municipality has no contact centre."), "no_centre")
    series, _created = MeetingSeries.objects.get_or_create(
        centre=centre, administration=administration, defaults={"created_at": timezone.now()}
    )
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    _ensure_organiser(by, series)
    meeting = Meeting.objects.create(
        series=series,
        starts_at=starts_at,
        place=_text("place", place, limit=200),
        created_by=by,
        created_at=timezone.now(),
    )
    _carry_forward(series, by=by)
    return meeting


def _carry_forward(series: MeetingSeries, *, by: Person) -> list[AgendaItem]:
    """Put every open action item of an approved meeting on the earliest later meeting whose
    minutes are still open, unless such a meeting already has it on its agenda."""
    waiting = list(
        Meeting.objects.filter(series=series, approved_at__isnull=True).order_by("starts_at", "id")
    )
    if not waiting:
        return []
    open_actions = (
        ActionItem.objects.filter(
            meeting__series=series, meeting__approved_at__isnull=False, status=ActionStatus.OPEN
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "due_date", "id")
    )
    carried: list[AgendaItem] = []
    for action in open_actions:
        if AgendaItem.objects.filter(
            carried_action=action, meeting__approved_at__isnull=True
        ).exists():
            continue
        target = next((m for m in waiting if m.starts_at > action.meeting.starts_at), None)
        if target is None:
            continue
        last = AgendaItem.objects.filter(meeting=target).aggregate(p=Max("position"))["p"] or 0
        carried.append(
            AgendaItem.objects.create(
                meeting=target,
                position=last + 1,
                title=action.text[:200],
                carried_action=action,
                proposed_by=by,
                proposed_at=timezone.now(),
            )
        )
    return carried


# --- the agenda --------------------------------------------------------------------------------


@transaction.atomic
def propose_agenda_item(
    *,
    meeting: Meeting,
    by: Person,
    title: str,
    description: str = "",
    case_type: CaseType | None = None,
    change_notice: ChangeNotice | None = None,
) -> AgendaItem:
    """A participant proposes a point before the meeting; organisers may add one until the
    minutes are approved."""
    meeting = _locked(meeting)
    _ensure_open(meeting)
    series = meeting.series
    if not queries.is_participant(by, series):
        raise _refuse(
            "meeting",
            _("Only the participants of the meeting may propose agenda items."),
            "not_participant",
        )
    if meeting.starts_at <= timezone.now() and not queries.may_organise(by, series):
        raise _refuse(
            "meeting",
            _("The meeting has started. Ask the chair to add your item."),
            "started",
        )
    if case_type is not None and case_type.administration_id != series.administration_id:
        raise _refuse(
            "case_type",
            _("Choose one of the administration's own case types."),
            "foreign_case_type",
        )
    if change_notice is not None and (
        change_notice.administration_id != series.administration_id
        or change_notice.published_at is None
    ):
        raise _refuse(
            "change_notice",
            _("Choose one of the administration's published change notices."),
            "foreign_notice",
        )
    last = meeting.agenda.aggregate(p=Max("position"))["p"] or 0
    return AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=_text("title", title, limit=200),
        description=description.strip(),
        case_type=case_type,
        change_notice=change_notice,
        proposed_by=by,
        proposed_at=timezone.now(),
    )


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, by: Person, up: bool) -> AgendaItem:
    """Swap the item with its neighbour above (or below)."""
    meeting = _locked(item.meeting)
    _ensure_open(meeting)
    _ensure_organiser(by, meeting.series)
    items = list(meeting.agenda.select_for_update().order_by("position", "id"))
    index = next(i for i, found in enumerate(items) if found.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return items[index]
    items[index], items[other] = items[other], items[index]
    for position, found in enumerate(items, start=1):
        if found.position != position:
            found.position = position
            found.save(update_fields=["position"])
    return items[other]


@transaction.atomic
def write_minutes(*, item: AgendaItem, by: Person, text: str) -> AgendaItem:
    """The minutes of one agenda item, during or after the meeting, until they are approved."""
    meeting = _locked(item.meeting)
    _ensure_open(meeting)
    _ensure_organiser(by, meeting.series)
    _ensure_started(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.minutes = _text("text", text, limit=10000)
    item.minutes_by = by
    item.minutes_at = timezone.now()
    item.save(update_fields=["minutes", "minutes_by", "minutes_at"])
    return item


@transaction.atomic
def approve_minutes(*, meeting: Meeting, by: Person) -> Meeting:
    """Lock the minutes. Every agenda item needs its minutes first; the refusal names those
    without. Open action items then go onto the next meeting's agenda."""
    meeting = _locked(meeting)
    _ensure_open(meeting)
    _ensure_organiser(by, meeting.series)
    _ensure_started(meeting)
    agenda = list(meeting.agenda.order_by("position", "id"))
    if not agenda:
        raise _refuse("meeting", _("The meeting has no agenda items to approve."), "empty")
    missing = [item.title for item in agenda if not item.minutes.strip()]
    if missing:
        raise _refuse(
            "meeting",
            _("Write the minutes of every agenda item first: %(items)s.")
            % {"items": "; ".join(missing)},
            "minutes_missing",
        )
    meeting.approved_by = by
    meeting.approved_at = timezone.now()
    meeting.save(update_fields=["approved_by", "approved_at"])
    _carry_forward(meeting.series, by=by)
    return meeting


@transaction.atomic
def add_correction(*, meeting: Meeting, by: Person, text: str) -> MinutesCorrection:
    """Approved minutes stay as approved; a correction is appended with who and when."""
    meeting = _locked(meeting)
    _ensure_organiser(by, meeting.series)
    if not meeting.is_approved:
        raise _refuse(
            "text",
            _("The minutes are not approved yet: change them directly instead."),
            "not_approved",
        )
    return MinutesCorrection.objects.create(
        meeting=meeting, text=_text("text", text, limit=4000), by=by, at=timezone.now()
    )


# --- action items ------------------------------------------------------------------------------


@transaction.atomic
def add_action_item(
    *,
    meeting: Meeting,
    by: Person,
    text: str,
    owner: Person,
    due_date: date,
    agenda_item: AgendaItem | None = None,
) -> ActionItem:
    """An action decided at the meeting: what, who, by when (a working day on or after the
    meeting)."""
    meeting = _locked(meeting)
    _ensure_open(meeting)
    series = meeting.series
    _ensure_organiser(by, series)
    _ensure_started(meeting)
    if not queries.is_participant(owner, series):
        raise _refuse(
            "owner",
            _("The owner must be one of the meeting's participants."),
            "not_participant",
        )
    meeting_day = timezone.localdate(meeting.starts_at)
    if due_date < meeting_day:
        raise _refuse(
            "due_date",
            _("The due date cannot be before the meeting (%(day)s).")
            % {"day": date_format(meeting_day, "SHORT_DATE_FORMAT")},
            "before_meeting",
        )
    if not is_working_day(due_date, closed_days(series.administration.municipality_id)):
        raise _refuse(
            "due_date",
            _("%(day)s is not a working day. Choose a working day.")
            % {"day": date_format(due_date, "SHORT_DATE_FORMAT")},
            "not_working_day",
        )
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise _refuse("agenda_item", _("Choose an item of this meeting's agenda."), "foreign")
    return ActionItem.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        text=_text("text", text, limit=500),
        owner=owner,
        due_date=due_date,
        created_by=by,
        created_at=timezone.now(),
    )


@transaction.atomic
def mark_action_done(*, action: ActionItem, by: Person, note: str = "") -> ActionItem:
    """Only the owner marks an action item done; who and when are kept."""
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if action.owner_id != by.pk:
        raise _refuse(
            "action",
            _("Only the owner of the action item may mark it done."),
            "not_owner",
        )
    if action.status == ActionStatus.DONE:
        raise _refuse("action", _("The action item is already done."), "done")
    if len(note.strip()) > 500:
        raise _refuse("note", _("At most %(limit)d characters.") % {"limit": 500}, "too_long")
    action.status = ActionStatus.DONE
    action.done_by = by
    action.done_at = timezone.now()
    action.done_note = note.strip()
    action.save(update_fields=["status", "done_by", "done_at", "done_note"])
    return action
