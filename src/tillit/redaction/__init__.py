"""Automatic removal of personal data from Swedish free text.

Survey comments and published success stories are shown to colleagues and the public, but the
citizens who wrote them did not agree to have their names, personnummer, phone numbers, e-mail
addresses or street addresses shown. `redact` replaces those with a label saying what was
removed, so the text stays readable ("Tack till handläggaren [namn]!") while the person is not
identifiable from it.

The package is rule-based and self-contained (no model downloads, no network): shape-based
detectors for numbers and addresses in `patterns`, a name detector built on word lists and
context in `names`. It errs on the side of removing too much.

    >>> redact("Ringde Karin Nyström, hon nås på 070-123 45 67.").text
    'Ringde [namn], hon nås på [telefon].'
"""

from __future__ import annotations

from dataclasses import dataclass

from tillit.redaction.names import find_names
from tillit.redaction.patterns import find_patterns
from tillit.redaction.spans import Kind, Span

__all__ = ["Kind", "Redacted", "Span", "find", "redact"]


@dataclass(frozen=True, slots=True)
class Redacted:
    """The redacted text and what was removed from the original.

    `spans` refer to positions in the *original* text, so a reviewer interface can highlight
    exactly what was removed, and an audit can count removals per kind.
    """

    text: str
    spans: tuple[Span, ...]


# Enough for every text seen so far; each pass can only add spans, so the loop always ends.
_MAX_PASSES = 4


def find(text: str) -> list[Span]:
    """All personal data in `text`, sorted and non-overlapping, without changing anything.

    The detectors look at neighbouring words, and removing a name changes the neighbourhood of
    the words next to it. So the text is redacted and examined again until nothing more is
    found: that way redacting an already redacted text never removes anything more.
    """
    spans = _find_once(text)
    for _ in range(_MAX_PASSES):
        if not spans:
            break  # nothing was removed, so nothing changed around it
        redacted, pieces = _apply(text, spans)
        extra = _find_once(redacted)
        if not extra:
            break
        spans = _union([*spans, *(_to_original(span, pieces) for span in extra)])
    return spans


def redact(text: str) -> Redacted:
    """Replace every piece of personal data in `text` with a label such as "[namn]".

    Redacting an already redacted text changes nothing, so it is safe to run twice (for
    example once when a comment is stored and again when it is published).
    """
    spans = find(text)
    return Redacted(text=_apply(text, spans)[0], spans=tuple(spans))


def _find_once(text: str) -> list[Span]:
    fixed_shape = find_patterns(text)
    names = find_names(text, blocked=fixed_shape)
    return _union([*fixed_shape, *names])


# A piece of the redacted text: where it starts there, where it came from in the original, and
# whether it is a label standing in for the whole original span.
_Piece = tuple[int, int, int, int, bool]


def _apply(text: str, spans: list[Span]) -> tuple[str, list[_Piece]]:
    parts: list[str] = []
    pieces: list[_Piece] = []
    position = length = 0
    for span in spans:
        for original_start, original_end, part, is_label in (
            (position, span.start, text[position : span.start], False),
            (span.start, span.end, span.kind.label, True),
        ):
            pieces.append((length, length + len(part), original_start, original_end, is_label))
            parts.append(part)
            length += len(part)
        position = span.end
    pieces.append((length, length + len(text) - position, position, len(text), False))
    parts.append(text[position:])
    return "".join(parts), pieces


def _to_original(span: Span, pieces: list[_Piece]) -> Span:
    """The span of the original text that `span` of the redacted text covers."""

    def position(offset: int, is_end: bool) -> int:
        for start, end, original_start, original_end, is_label in pieces:
            if start <= offset < end or (is_end and start < offset <= end):
                if is_label:
                    return original_end if is_end else original_start
                return original_start + offset - start
        return pieces[-1][3]

    return Span(position(span.start, False), position(span.end, True), span.kind)


def _union(spans: list[Span]) -> list[Span]:
    """Sorted spans with overlapping ones merged (the first one's kind wins)."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged
