"""The state machines, tested from their tables: allowed pairs work, all others are refused."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from tillit.cases.states import (
    HANDOVER_TRANSITIONS,
    TRANSITIONS,
    HandoverStatus,
    Status,
    ensure_handover_transition,
    ensure_transition,
)

PAIRS = list(itertools.product(Status, Status))


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_case_transitions_follow_the_table(current, target):
    if target in TRANSITIONS[current]:
        ensure_transition(current, target)
    else:
        with pytest.raises(ValidationError) as refusal:
            ensure_transition(current, target)
        assert refusal.value.code == "invalid_transition"


@pytest.mark.parametrize(("current", "target"), list(itertools.product(HandoverStatus, repeat=2)))
def test_handover_transitions_follow_the_table(current, target):
    if target in HANDOVER_TRANSITIONS[current]:
        ensure_handover_transition(current, target)
    else:
        with pytest.raises(ValidationError):
            ensure_handover_transition(current, target)


def test_a_cancelled_case_stays_cancelled():
    assert TRANSITIONS[Status.CANCELLED] == frozenset()
