"""Liaison test set-up on top of the cases `world`: a centre manager, and meetings planned,
held and approved through the real actions (`plan(world, days=...)`, `held(...)`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from tillit.cases.tests.factories import World
from tillit.liaison import actions
from tillit.liaison.models import ActionItem, AgendaItem, Meeting
from tillit.organisation.models import Person, Role
from tillit.organisation.tests.factories import PersonFactory


@dataclass
class Liaison:
    world: World
    manager: Person  # manager of the contact centre

    @property
    def contact(self) -> Person:
        return self.world.admin_contact


def make_liaison(world: World) -> Liaison:
    manager = PersonFactory(username="kcchef", member_of=world.centre, member_of__role=Role.MANAGER)
    return Liaison(world=world, manager=manager)


def at(days: float, hour: int = 9) -> datetime:
    """A moment `days` from now, at the given hour (local time)."""
    day = timezone.localdate() + timedelta(days=int(days))
    return timezone.make_aware(datetime.combine(day, time(hour)))


def plan(liaison: Liaison, *, starts_at: datetime, by: Person | None = None) -> Meeting:
    return actions.create_meeting(
        administration=liaison.world.administration,
        by=by or liaison.manager,
        starts_at=starts_at,
        place="Stadshuset, rum Ekorren",
    )


def propose(meeting: Meeting, by: Person, title: str = "Nya rutiner för bygglov") -> AgendaItem:
    return actions.propose_agenda_item(meeting=meeting, by=by, title=title)


def minute_all(meeting: Meeting, by: Person) -> None:
    for item in meeting.agenda.all():
        actions.write_minutes(item=item, by=by, text="Diskuterades. Inga invändningar.")


def decide(
    meeting: Meeting, by: Person, owner: Person, text: str = "Uppdatera webbtexten", days: int = 14
) -> ActionItem:
    from tillit.core.workdays import add_working_days

    return actions.add_action_item(
        meeting=meeting,
        by=by,
        text=text,
        owner=owner,
        due_date=add_working_days(timezone.localdate(meeting.starts_at), days // 2),
    )
