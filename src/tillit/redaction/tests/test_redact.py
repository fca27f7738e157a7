"""The public API: what a caller gets back, and properties that must always hold."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tillit.redaction import Kind, Redacted, Span, find, redact
from tillit.redaction.names import find_names
from tillit.redaction.tests.strategies import comments


def test_spans_point_into_the_original_text() -> None:
    text = "Ringde Karin Nyström, 070-123 45 67, karin@example.se"
    result = redact(text)
    assert [(text[s.start : s.end], s.kind) for s in result.spans] == [
        ("Karin Nyström", Kind.NAME),
        ("070-123 45 67", Kind.PHONE),
        ("karin@example.se", Kind.EMAIL),
    ]
    assert result.text == "Ringde [namn], [telefon], [e-post]"


def test_text_without_personal_data_is_returned_unchanged() -> None:
    text = "Bra service men lång väntetid i telefonkön, ca 40 minuter."
    assert redact(text) == Redacted(text=text, spans=())


def test_empty_text() -> None:
    assert redact("") == Redacted(text="", spans=())


def test_labels_are_swedish() -> None:
    assert {kind.label for kind in Kind} == {
        "[namn]",
        "[personnummer]",
        "[telefon]",
        "[e-post]",
        "[adress]",
    }


def _check_spans(text: str, spans: list[Span]) -> None:
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        previous_end = span.end


@given(st.text(max_size=200))
def test_spans_are_sorted_and_disjoint_for_any_text(text: str) -> None:
    _check_spans(text, find(text))


@given(comments)
def test_spans_are_sorted_and_disjoint_for_comments(text: str) -> None:
    _check_spans(text, find(text))
    _check_spans(text, find_names(text))


@given(comments)
def test_redaction_is_idempotent_on_comments(text: str) -> None:
    """Publishing an already redacted comment must not remove anything more."""
    once = redact(text).text
    assert redact(once).text == once


def test_removing_a_name_does_not_expose_its_neighbour() -> None:
    """Found by Hypothesis: a second pass used to remove what the first pass had kept."""
    once = redact("Reinfeldt Storgatan Mohammed Storgatan").text
    assert redact(once).text == once


@given(st.text(max_size=200))
def test_redaction_is_idempotent_on_any_text(text: str) -> None:
    once = redact(text).text
    assert redact(once).text == once


@given(comments)
@settings(max_examples=50)
def test_text_outside_the_spans_is_untouched(text: str) -> None:
    result = redact(text)
    rebuilt, position = [], 0
    for span in result.spans:
        rebuilt += [text[position : span.start], span.kind.label]
        position = span.end
    rebuilt.append(text[position:])
    assert "".join(rebuilt) == result.text
