"""Every checked read of the feedback capability.

- A survey is found only by its link's token; unknown and forbidden look the same.
- Figures (the dashboards) are open to every member of staff: they are counts, never cases.
  Free-text comments, already redacted, are shown only to the unit they are about (its members
  and its managers).
- Follow-ups are for the unit that owned the case when the citizen asked; reflections for the
  team, on cases the reader may see; appreciation for its receiver, naming the case only while
  the receiver may still see it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from tillit.cases.models import Case, CaseEvent
from tillit.cases.queries import access_to, events_of, scope_of, visible_to
from tillit.core.prepared import Prepared
from tillit.feedback.models import (
    Appreciation,
    FollowUp,
    Reflection,
    Survey,
    SurveyAnswer,
    SurveySettings,
)
from tillit.feedback.states import FollowUpStatus
from tillit.organisation.models import Person, Unit
from tillit.organisation.queries import descendant_ids, managed_unit_ids, unit_ids_of
from tillit.redaction import redact


class SurveyNotFound(Http404):
    """No survey has this link (or it never existed): the answer is the same."""


def token_hash(token: str) -> str:
    """Links are stored as a hash: a leaked database holds no working survey link."""
    return hashlib.sha256(token.encode()).hexdigest()


def survey_for_token(token: str) -> Survey:
    if not token or len(token) > 100:
        raise SurveyNotFound
    survey = Survey.objects.filter(token_hash=token_hash(token)).first()
    if survey is None:
        raise SurveyNotFound
    return survey


def survey_settings_for(unit_id: int) -> SurveySettings:
    """The unit's survey settings, else its nearest parent's, else the defaults from settings."""
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:
        seen.add(current)
        found = SurveySettings.objects.filter(unit_id=current).first()
        if found is not None:
            return found
        current = Unit.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return SurveySettings(
        unit_id=unit_id,
        share_percent=settings.TILLIT_SURVEY_SHARE_PERCENT,
        delay_hours=settings.TILLIT_SURVEY_DELAY_HOURS,
        valid_days=settings.TILLIT_SURVEY_VALID_DAYS,
    )


def survey_of(case: Case) -> Survey | None:
    """The case's survey: its status and validity, which the case panel and the receipt page
    show (not the answer, which a follow-up reads with itself)."""
    return _SURVEY.first(case=case.pk)  # one per case: no ordering


_SURVEY: Prepared[Survey] = Prepared(lambda case: Survey.objects.filter(case_id=case), case=int)


# --- dashboards ---------------------------------------------------------------------------------


def may_see_figures(person: Person) -> bool:
    """Staff (anyone with a unit) see the service measures of every unit and the municipality."""
    return bool(person.is_active and scope_of(person).units)


def dashboard_units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).select_related("parent").order_by("name"))


def unit_with_descendants(unit: Unit) -> frozenset[int]:
    return frozenset({unit.pk} | descendant_ids({unit.pk}))


def home_unit(person: Person) -> Unit | None:
    """The unit a dashboard opens on: the first one the person manages, else belongs to."""
    managed = managed_unit_ids(person)
    units = Unit.objects.filter(pk__in=managed or unit_ids_of(person), is_active=True)
    roots = [u for u in units.order_by("name") if u.parent_id not in managed]
    return roots[0] if roots else units.order_by("name").first()


def may_read_comments(person: Person, unit: Unit) -> bool:
    """Comments are for the unit they are about: its members and its managers."""
    return unit.pk in unit_ids_of(person) or unit.pk in managed_unit_ids(person)


@dataclass(frozen=True)
class Comment:
    answered: datetime
    text: str
    treatment: int
    got_help: int
    ease: int


def comments_for(
    units: frozenset[int], first_day: date, last_day: date, *, limit: int = 50
) -> list[Comment]:
    """The unit's latest comments, stored already redacted and redacted again on the way out
    (in case the word lists have learnt a name since)."""
    rows = (
        SurveyAnswer.objects.filter(unit_id__in=units, answered_at__date__gte=first_day)
        .filter(answered_at__date__lte=last_day)
        .exclude(comment="")
        .order_by("-answered_at")
        .values_list("answered_at", "comment", "treatment", "got_help", "ease")[:limit]
    )
    return [Comment(at, redact(text).text, t, h, e) for at, text, t, h, e in rows]


# --- follow-ups ---------------------------------------------------------------------------------


def _my_units(person: Person) -> set[int]:
    return unit_ids_of(person) | managed_unit_ids(person)


def open_follow_ups(person: Person, *, limit: int = 50) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(unit_id__in=_my_units(person), status=FollowUpStatus.OPEN)
        .select_related("case", "survey__answer", "unit")
        .order_by("-id")[:limit]
    )


def follow_up_for(person: Person, follow_up_id: int | str) -> FollowUp:
    try:
        return FollowUp.objects.select_related("case", "survey__answer").get(
            pk=int(follow_up_id), unit_id__in=_my_units(person)
        )
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def follow_ups_of(case: Case) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(case=case)
        .select_related("survey__answer", "done_by")
        .order_by("-id")
    )


# --- reflections --------------------------------------------------------------------------------


def reflection_by(case: Case, person: Person) -> Reflection | None:
    return Reflection.objects.filter(case=case, author=person).first()


def reflections_of(case: Case) -> list[Reflection]:
    return list(Reflection.objects.filter(case=case).order_by("created_at"))


def team_reflections(person: Person, *, limit: int = 50) -> QuerySet[Reflection]:
    """Reflections in the person's units on cases the person may read, newest first."""
    return (
        Reflection.objects.filter(unit_id__in=_my_units(person))
        .filter(case__in=visible_to(person).values("pk"))
        .select_related("case", "unit")
        .order_by("-created_at")[:limit]
    )


# --- appreciation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    other: str  # the sender (in the received feed) or the receiver (in the sent list)
    message: str
    at: datetime
    case: Case | None  # None: the reader may no longer see the case


def _feed(person: Person, rows: QuerySet[Appreciation], other: str) -> list[FeedItem]:
    items = []
    for row in rows:
        visible = access_to(person, row.case) is not None
        # Without access the case is not named, and the message loses what could identify it.
        items.append(
            FeedItem(
                other=str(getattr(row, other)),
                message=row.message if visible else redact(row.message).text,
                at=row.created_at,
                case=row.case if visible else None,
            )
        )
    return items


def appreciation_received(person: Person, *, limit: int = 50) -> list[FeedItem]:
    rows = (
        Appreciation.objects.filter(receiver=person)
        .select_related("sender", "case")
        .order_by("-created_at")[:limit]
    )
    return _feed(person, rows, "sender")


def appreciation_sent(person: Person, *, limit: int = 50) -> list[FeedItem]:
    rows = (
        Appreciation.objects.filter(sender=person)
        .select_related("receiver", "case")
        .order_by("-created_at")[:limit]
    )
    return _feed(person, rows, "receiver")


def colleagues_on(
    case: Case, reader: Person, log: Iterable[CaseEvent] | None = None
) -> list[Person]:
    """Staff who worked on the case (in its log, or its handler) and may still see it: the people
    an appreciation about this case can go to. `log`: the case's events, when the caller has
    read them already (the case page)."""
    if log is None:
        log_actors = events_of(case).exclude(actor=None).values_list("actor", flat=True)
        ids = {actor for actor in log_actors.distinct() if actor is not None}
    else:
        ids = {event.actor_id for event in log if event.actor_id is not None}
    if case.handler_id is not None:
        ids.add(case.handler_id)
    ids.discard(reader.pk)
    if not ids:
        return []
    people = Person.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name")
    return [p for p in people if access_to(p, case) is not None]
