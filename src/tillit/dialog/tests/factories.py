"""Dialog test helpers: `make_session()` gives an open session and its facilitator;
`join(session, n)` seats n participants and returns them with their cookie secrets."""

from __future__ import annotations

from tillit.dialog import actions
from tillit.dialog.models import Participant, Session
from tillit.organisation.models import Person
from tillit.organisation.tests.factories import PersonFactory, UnitFactory


def make_facilitator(username: str = "facilitator") -> Person:
    return PersonFactory(username=username, member_of=UnitFactory())


def make_session(facilitator: Person | None = None, **kwargs: object) -> Session:
    return actions.create_session(
        facilitator=facilitator or make_facilitator(),
        title=str(kwargs.pop("title", "Chefsdag")),
        template=str(kwargs.pop("template", "tre_steg")),
        **kwargs,  # type: ignore[arg-type]
    )


def join(session: Session, count: int, prefix: str = "Deltagare") -> list[tuple[Participant, str]]:
    return [
        actions.join_session(session=session, name=f"{prefix} {index + 1}")
        for index in range(count)
    ]


def go_to_step(session: Session, step: int) -> Session:
    session.refresh_from_db()
    while session.step < step:
        session = actions.advance_step(
            session=session, by=session.facilitator, from_step=session.step
        )
    return session
