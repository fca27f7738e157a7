"""Checked reads of the liaison meetings: who takes part, who organises, who only reads.

The participants of a series are the contact centre's managers and staff and the
administration's contact persons (as the catalogue decides them). The centre's managers and the
administration's contact persons organise: they create meetings, write and approve the minutes
and decide action items. Other staff of the administration read. Everybody else gets "not
found", alike for a missing and a forbidden meeting.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tillit.cases.queries import scope_of
from tillit.catalogue.models import CaseType, ChangeNotice
from tillit.catalogue.queries import contact_person_units, is_administrator
from tillit.liaison.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Meeting,
    MeetingSeries,
)
from tillit.organisation.models import Person, Role, Unit, UnitKind
from tillit.organisation.queries import descendant_ids, members_of


class NotFound(Exception):
    """A series, meeting or action item that does not exist or that this person may not see."""


def centre_of(administration: Unit) -> Unit | None:
    """The contact centre of the administration's municipality (the first active one)."""
    return (
        Unit.objects.filter(
            municipality_id=administration.municipality_id,
            kind=UnitKind.CONTACT_CENTRE,
            is_active=True,
        )
        .order_by("id")
        .first()
    )


def _reach(person: Person) -> frozenset[int]:
    """The active units a person works in and every unit above them (a team member of the
    centre belongs to the centre), read once per person object."""
    cached: frozenset[int] | None = getattr(person, "_liaison_reach", None)
    if cached is not None:
        return cached
    found: set[int] = set(scope_of(person).units) if person.is_active else set()
    frontier = set(found)
    while frontier:
        parents = set(
            Unit.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - found
        found |= parents
    reach = frozenset(found)
    person._liaison_reach = reach  # type: ignore[attr-defined]
    return reach


def is_centre_manager(person: Person, series: MeetingSeries) -> bool:
    return person.is_active and series.centre_id in scope_of(person).managed


def is_contact_person(person: Person, series: MeetingSeries) -> bool:
    return person.is_active and series.administration_id in contact_person_units(person)


def may_organise(person: Person, series: MeetingSeries) -> bool:
    """Create meetings, write and approve minutes, decide action items."""
    if not person.is_active:
        return False
    return (
        is_administrator(person)
        or is_centre_manager(person, series)
        or is_contact_person(person, series)
    )


def is_participant(person: Person, series: MeetingSeries) -> bool:
    """Propose agenda items, own action items."""
    return person.is_active and (
        series.centre_id in _reach(person)
        or is_contact_person(person, series)
        or may_organise(person, series)
    )


def may_read(person: Person, series: MeetingSeries) -> bool:
    return is_participant(person, series) or (
        person.is_active and series.administration_id in _reach(person)
    )


def readable_series(person: Person) -> QuerySet[MeetingSeries]:
    series = MeetingSeries.objects.select_related("centre", "administration")
    if not person.is_active:
        return series.none()
    if is_administrator(person):
        return series
    reach = _reach(person) | contact_person_units(person)
    return series.filter(Q(centre_id__in=reach) | Q(administration_id__in=reach))


def get_series_for(person: Person, series_id: int | str) -> MeetingSeries:
    try:
        return readable_series(person).get(pk=int(series_id))
    except (MeetingSeries.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def get_meeting_for(person: Person, meeting_id: int | str) -> Meeting:
    try:
        return Meeting.objects.select_related(
            "series__centre", "series__administration", "approved_by"
        ).get(pk=int(meeting_id), series__in=readable_series(person))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def get_agenda_item_for(person: Person, meeting: Meeting, item_id: int | str) -> AgendaItem:
    del person  # the meeting was read through get_meeting_for
    try:
        return AgendaItem.objects.get(pk=int(item_id), meeting=meeting)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def own_action(person: Person, action_id: int | str) -> ActionItem:
    """An action item this person owns (only the owner marks it done)."""
    try:
        return ActionItem.objects.select_related("meeting__series").get(
            pk=int(action_id), owner=person
        )
    except (ActionItem.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def organisable_administrations(person: Person) -> QuerySet[Unit]:
    """The administrations this person may create meetings with: all of them for a manager of
    a contact centre and for administrators, their own for a contact person."""
    administrations = Unit.objects.filter(kind=UnitKind.ADMINISTRATION, is_active=True)
    if not person.is_active:
        return administrations.none()
    if is_administrator(person):
        return administrations
    managed = scope_of(person).managed
    centres = Unit.objects.filter(pk__in=managed, kind=UnitKind.CONTACT_CENTRE)
    return administrations.filter(
        Q(municipality__in=centres.values("municipality_id"))
        | Q(pk__in=contact_person_units(person))
    )


def participants(series: MeetingSeries) -> QuerySet[Person]:
    """Everyone who may own an action item: the centre's people and the contact persons."""
    centre_units = {series.centre_id} | descendant_ids({series.centre_id})
    contacts = members_of(series.administration, Role.CONTACT_PERSON).values("pk")
    return (
        Person.objects.filter(is_active=True)
        .filter(Q(memberships__unit_id__in=centre_units) | Q(pk__in=contacts))
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def contact_persons(series: MeetingSeries) -> list[Person]:
    return list(members_of(series.administration, Role.CONTACT_PERSON).order_by("first_name"))


def centre_managers(series: MeetingSeries) -> list[Person]:
    return list(members_of(series.centre, Role.MANAGER).order_by("first_name"))


def meetings_of(series: MeetingSeries) -> list[Meeting]:
    return list(series.meetings.select_related("approved_by").order_by("-starts_at", "-id"))


def next_meeting(series: MeetingSeries) -> Meeting | None:
    return (
        series.meetings.filter(starts_at__gte=timezone.now(), approved_at__isnull=True)
        .order_by("starts_at", "id")
        .first()
    )


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    actions = ActionItem.objects.select_related("owner", "done_by").order_by("due_date", "id")
    return list(
        meeting.agenda.select_related(
            "case_type",
            "change_notice",
            "proposed_by",
            "minutes_by",
            "carried_action__owner",
            "carried_action__done_by",
            "carried_action__meeting",
        )
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "id")
    )


def actions_of(meeting: Meeting) -> list[ActionItem]:
    return list(
        meeting.actions.select_related("owner", "done_by", "agenda_item").order_by("due_date", "id")
    )


def open_actions_of(series: MeetingSeries) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(meeting__series=series, status=ActionStatus.OPEN)
        .select_related("owner", "meeting")
        .order_by("due_date", "id")
    )


def actions_owned_by(person: Person) -> tuple[list[ActionItem], list[ActionItem]]:
    """'My action items' across every meeting: the open ones by due date, then the 20 most
    recently done."""
    mine = ActionItem.objects.filter(owner=person).select_related(
        "meeting__series__administration", "meeting__series__centre"
    )
    return (
        list(mine.filter(status=ActionStatus.OPEN).order_by("due_date", "id")),
        list(mine.filter(status=ActionStatus.DONE).order_by("-done_at", "-id")[:20]),
    )


def is_overdue(action: ActionItem, today: date | None = None) -> bool:
    return action.status == ActionStatus.OPEN and action.due_date < (today or timezone.localdate())


def case_types_of(series: MeetingSeries) -> QuerySet[CaseType]:
    """The administration's case types, which an agenda item may be about."""
    return CaseType.objects.filter(administration=series.administration, is_active=True).order_by(
        "name"
    )


def notices_of(series: MeetingSeries) -> QuerySet[ChangeNotice]:
    """The administration's published change notices, newest first."""
    return ChangeNotice.objects.filter(
        administration=series.administration, published_at__isnull=False
    ).order_by("-published_at", "-id")
