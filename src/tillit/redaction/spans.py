"""The vocabulary shared by all detectors: what kind of personal data a span of text holds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """A category of personal data, each with the Swedish label shown in its place."""

    NAME = "name"
    PERSONAL_ID = "personal_id"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"

    @property
    def label(self) -> str:
        """The placeholder a reader sees instead of the removed text, e.g. "[namn]"."""
        return _LABELS[self]


_LABELS: dict[Kind, str] = {
    Kind.NAME: "[namn]",
    Kind.PERSONAL_ID: "[personnummer]",
    Kind.PHONE: "[telefon]",
    Kind.EMAIL: "[e-post]",
    Kind.ADDRESS: "[adress]",
}


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """Characters `start` (inclusive) to `end` (exclusive) of the original text hold `kind`."""

    start: int
    end: int
    kind: Kind

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end
