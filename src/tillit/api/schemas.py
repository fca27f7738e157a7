"""The API's shapes: what comes in and what goes out. No rules here, only types.

Out-schemas are built from rows the queries already loaded with `select_related`, so rendering a
list never touches the database again. A personnummer always leaves masked. Out-schemas are plain
Pydantic models fed with dicts: Ninja's `Schema` reads every attribute through a Django-aware
getter, which cost more than the database query for a page of 50 cases.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, field_validator
from pydantic_core import PydanticCustomError

from tillit.cases.models import Case, CaseEvent, Handover
from tillit.cases.parties import mask_personal_number
from tillit.cases.queries import Listed, ListedPerson, Named
from tillit.catalogue.models import CaseType
from tillit.organisation.models import Person, Unit

ChannelName = Literal["phone", "visit", "letter", "web", "email", "api"]
StatusName = Literal["new", "in_progress", "waiting", "closed", "cancelled"]
QueueName = Literal["mine", "unit", "incoming", "overdue", "waiting", "closed"]
StatusAction = Literal["start", "wait", "close", "reopen", "cancel"]


class Ref(BaseModel):
    id: int
    name: str


def unit_ref(unit: Unit | Named) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.name}


def person_ref(person: Person | ListedPerson | None) -> dict[str, Any] | None:
    return None if person is None else {"id": person.pk, "name": str(person)}


class CaseTypeRef(BaseModel):
    id: int
    code: str
    name: str


class CaseSummaryOut(BaseModel):
    id: int
    registration_number: str
    subject: str
    status: StatusName
    channel: ChannelName
    case_type: CaseTypeRef
    owner_unit: Ref
    handler: Ref | None
    due_date: date | None
    is_secret: bool
    created_at: datetime
    updated_at: datetime


class PartyOut(BaseModel):
    name: str
    email: str
    phone: str
    address: str
    personal_number: str = Field(description="Masked: YYYYMMDD-****, or empty.")


class OpenHandoverOut(BaseModel):
    id: int
    to_unit: Ref
    answer_by: datetime


class CaseOut(CaseSummaryOut):
    description: str
    party: PartyOut | None
    closed_at: datetime | None
    resolved_at_first_contact: bool
    open_handover: OpenHandoverOut | None


class CasePageOut(BaseModel):
    items: list[CaseSummaryOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


class EventOut(BaseModel):
    id: int
    kind: str
    at: datetime
    actor: Ref | None
    actor_label: str
    unit: Ref
    body: str
    data: dict[str, Any]


class EventPageOut(BaseModel):
    items: list[EventOut]
    next_cursor: str | None


class HandoverOut(BaseModel):
    id: int
    case: Ref
    status: Literal["open", "accepted", "returned", "withdrawn"]
    from_unit: Ref
    to_unit: Ref
    to_person: Ref | None
    done: str
    expected: str
    offered_by: Ref
    offered_at: datetime
    answer_by: datetime
    answered_by: Ref | None
    answered_at: datetime | None
    return_reason: str
    escalated_at: datetime | None


class HandoverPageOut(BaseModel):
    items: list[HandoverOut]
    next_cursor: str | None


class CaseTypeOut(BaseModel):
    id: int
    code: str
    name: str
    public_name: str
    administration: Ref
    routing: str
    service_days_centre: int
    service_days_administration: int
    is_public: bool


# --- in -----------------------------------------------------------------------------------------


class InSchema(Schema):
    """A body that comes in. Text with a NUL byte or a lone surrogate (valid JSON escapes, but not
    storable text: PostgreSQL refuses both) is refused as a field error, never a server error."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            if "\x00" in value:
                raise PydanticCustomError("null_character", "Null characters are not allowed.")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise PydanticCustomError("invalid_unicode", "Invalid Unicode text.") from None
        return value


class PartyIn(InSchema):
    name: str = Field(max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=300)
    personal_number: str = Field(
        "", max_length=20, description="Personnummer or samordningsnummer."
    )


class CaseIn(InSchema):
    subject: str = Field(max_length=200)
    description: str = Field("", max_length=20_000)
    case_type: int | str = Field(description="The case type's id or its code.")
    channel: ChannelName = "api"
    party: PartyIn | None = None


class TextIn(InSchema):
    body: str = Field(max_length=20_000)


class StatusIn(InSchema):
    action: StatusAction = Field(
        description="start, wait (for the citizen), close, reopen or cancel."
    )
    text: str = Field(
        "",
        max_length=20_000,
        description="close: the resolution; wait: a note; reopen and cancel: the reason "
        "(required).",
    )


class HandoverIn(InSchema):
    to_unit: int = Field(description="The receiving unit's id.")
    to_person: int | None = Field(None, description="Optionally, a person in that unit.")
    done: str = Field(max_length=20_000, description="What has been done.")
    expected: str = Field(max_length=20_000, description="What is expected of the receiver.")


class AcceptIn(InSchema):
    handler: int | None = Field(None, description="Optionally, who in your unit handles it.")


class ReturnIn(InSchema):
    reason: str = Field(max_length=20_000)


class WithdrawIn(InSchema):
    reason: str = Field("", max_length=20_000)


# --- rendering ----------------------------------------------------------------------------------


def case_summary(case: Case | Listed) -> dict[str, Any]:
    return {
        "id": case.pk,
        "registration_number": case.registration_number,
        "subject": case.subject,
        "status": case.status,
        "channel": case.channel,
        "case_type": {
            "id": case.case_type.pk,
            "code": case.case_type.code,
            "name": case.case_type.name,
        },
        "owner_unit": unit_ref(case.owner_unit),
        "handler": person_ref(case.handler),
        "due_date": case.due_date,
        "is_secret": case.is_secret,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def case_detail(case: Case, offer: Handover | None) -> dict[str, Any]:
    party = case.party
    return {
        **case_summary(case),
        "description": case.description,
        "party": None
        if party is None
        else {
            "name": party.name,
            "email": party.email,
            "phone": party.phone,
            "address": party.address,
            "personal_number": mask_personal_number(party.personal_number),
        },
        "closed_at": case.closed_at,
        "resolved_at_first_contact": case.resolved_at_first_contact,
        "open_handover": None
        if offer is None
        else {"id": offer.pk, "to_unit": unit_ref(offer.to_unit), "answer_by": offer.answer_by},
    }


def event_out(event: CaseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "at": event.at,
        "actor": person_ref(event.actor),
        "actor_label": event.actor_label,
        "unit": unit_ref(event.unit),
        "body": event.body,
        "data": event.data,
    }


def handover_out(handover: Handover) -> dict[str, Any]:
    return {
        "id": handover.pk,
        "case": {"id": handover.case.pk, "name": handover.case.registration_number},
        "status": handover.status,
        "from_unit": unit_ref(handover.from_unit),
        "to_unit": unit_ref(handover.to_unit),
        "to_person": person_ref(handover.to_person),
        "done": handover.done,
        "expected": handover.expected,
        "offered_by": person_ref(handover.offered_by),
        "offered_at": handover.offered_at,
        "answer_by": handover.answer_by,
        "answered_by": person_ref(handover.answered_by),
        "answered_at": handover.answered_at,
        "return_reason": handover.return_reason,
        "escalated_at": handover.escalated_at,
    }


def case_type_out(case_type: CaseType) -> dict[str, Any]:
    return {
        "id": case_type.pk,
        "code": case_type.code,
        "name": case_type.name,
        "public_name": case_type.public_name,
        "administration": unit_ref(case_type.administration),
        "routing": case_type.routing,
        "service_days_centre": case_type.service_days_centre,
        "service_days_administration": case_type.service_days_administration,
        "is_public": case_type.is_public,
    }
