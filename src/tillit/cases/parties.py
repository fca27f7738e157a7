"""Citizen parties: personnummer validation and matching a citizen to an existing party."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from personnummer import personnummer

from tillit.cases.models import Party
from tillit.core.prepared import Prepared


@dataclass(frozen=True)
class PartyInput:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    personal_number: str = ""


def normalise_personal_number(value: str) -> str:
    """A personnummer or samordningsnummer in any common form, as 12 digits (YYYYMMDDNNNN)."""
    try:
        return str(personnummer.parse(value.strip()).format(True))
    except personnummer.PersonnummerException:
        raise ValidationError(
            {
                "personal_number": _(
                    "%(value)s is not a valid personnummer or samordningsnummer. "
                    "Write it as YYYYMMDD-NNNN; the last digit is a check digit."
                )
                % {"value": value}
            },
            code="invalid_personal_number",
        ) from None


def normalise_email(value: str) -> str:
    """E-mail addresses are stored in lower case: people write them in any case."""
    return value.strip().lower()


def mask_personal_number(value: str | None) -> str:
    """`19811218-****`: enough to tell people apart on screen, not enough to identify them."""
    if not value:
        return ""
    return f"{value[:8]}-****"


def format_personal_number(value: str | None) -> str:
    """`19811218-9876`: the whole number, for those who work the case."""
    if not value:
        return ""
    return f"{value[:8]}-{value[8:]}"


# Asked at every registration with a citizen: compiled once per process (decision 0007).
_BY_NUMBER: Prepared[Party] = Prepared(
    lambda number: Party.objects.filter(personal_number=number).order_by("id")[:1], number=str
)
_BY_EMAIL: Prepared[Party] = Prepared(
    lambda email: Party.objects.filter(email=email).order_by("id")[:1], email=str
)
_BY_EMAIL_WITHOUT_NUMBER: Prepared[Party] = Prepared(
    lambda email: Party.objects.filter(email=email, personal_number__isnull=True).order_by("id")[
        :1
    ],
    email=str,
)


def find_or_create_party(data: PartyInput) -> Party:
    """The same citizen is the same party: matched by personnummer, else by e-mail address."""
    number = normalise_personal_number(data.personal_number) if data.personal_number else None
    party = _BY_NUMBER.first(number=number) if number else None
    email = normalise_email(data.email)
    if party is None and email:
        # Exact match on the stored lower-case address, so the e-mail index is used.
        by_email = _BY_EMAIL_WITHOUT_NUMBER if number else _BY_EMAIL
        party = by_email.first(email=email)
    if party is None:
        return Party.objects.create(
            name=data.name.strip(),
            email=email,
            phone=data.phone.strip(),
            address=data.address.strip(),
            personal_number=number,
        )
    _update_party(party, data, email, number)
    return party


def _update_party(party: Party, data: PartyInput, email: str, number: str | None) -> None:
    """What the citizen gave this time that differs from what is stored replaces it."""
    changed = []
    if email and party.email != email:
        party.email = email
        changed.append("email")
    for field in ("phone", "address"):
        value = getattr(data, field).strip()
        if value and getattr(party, field) != value:
            setattr(party, field, value)
            changed.append(field)
    if number and party.personal_number != number:
        party.personal_number = number
        changed.append("personal_number")
    if changed:
        party.save(update_fields=changed)


def find_or_create_parties(inputs: list[PartyInput | None]) -> list[Party | None]:
    """`find_or_create_party` for a batch (e.g. a poll of the shared mailbox): parties known by
    e-mail address only are matched in one query and the new ones inserted together; the same
    address twice in a batch is one party. An input with a personnummer is matched on its own."""
    emails = {
        normalise_email(data.email)
        for data in inputs
        if data is not None and not data.personal_number and data.email.strip()
    }
    known: dict[str, Party] = {}
    for party in Party.objects.filter(email__in=emails).order_by("-id"):
        known[party.email] = party  # the oldest party with the address wins, as one by one
    found: list[Party | None] = []
    new: list[Party] = []
    for data in inputs:
        email = normalise_email(data.email) if data is not None else ""
        if data is None:
            found.append(None)
        elif data.personal_number or not email:
            found.append(find_or_create_party(data))
        elif email in known:
            if known[email].pk is not None:
                _update_party(known[email], data, email, None)
            found.append(known[email])
        else:
            party = Party(
                name=data.name.strip(),
                email=email,
                phone=data.phone.strip(),
                address=data.address.strip(),
            )
            known[email] = party
            new.append(party)
            found.append(party)
    Party.objects.bulk_create(new)
    return found
