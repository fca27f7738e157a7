"""The fair hero rota, as a pure function: weeks and availability in, one hero per week out.

Each week, every colleague who can take the week earns their share of it (their working time
divided by the working time of everyone available that week); the hero of the week spends one
whole week. The week goes to whoever has earned the most and not yet spent it (the largest
deficit), never to last week's hero while someone else can take it. Earning only while available
means an absence or a booked reflection day neither costs nor builds up turns, and part-time staff
take turns in proportion to their working time. Weeks that must not move (past weeks, the current
week, agreed swaps) are replayed with their hero so the balance carries over; regeneration
therefore never moves them and the weeks after them stay fair.

Ties go to whoever has waited longest since their last week, then to the lower id, so the same
inputs always give the same rota.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction


@dataclass(frozen=True)
class Week:
    start: date
    available: frozenset[int]
    fixed: int | None = None  # the hero of a week that must not move
    keep: bool = False  # True: the week must not move even if `fixed` is None (no hero)


@dataclass(frozen=True)
class Plan:
    heroes: list[int | None]
    deficits: dict[int, Fraction]


def plan(weeks: Sequence[Week], weights: Mapping[int, int]) -> Plan:
    """One hero (or None when nobody is available) per week, in the order given."""
    deficit: dict[int, Fraction] = {person: Fraction(0) for person in weights}
    last_turn: dict[int, int] = {}
    previous: int | None = None
    heroes: list[int | None] = []
    for index, week in enumerate(weeks):
        available = sorted(p for p in week.available if weights.get(p, 0) > 0)
        total = sum(weights[p] for p in available)
        for person in available:
            deficit[person] += Fraction(weights[person], total)
        chosen: int | None
        if week.fixed is not None or week.keep:
            chosen = week.fixed
        else:
            candidates = [p for p in available if p != previous] or available
            chosen = (
                max(candidates, key=lambda p: (deficit[p], -last_turn.get(p, -1), -p))
                if candidates
                else None
            )
        if chosen is not None:
            if chosen in deficit:
                deficit[chosen] -= 1
            last_turn[chosen] = index
        heroes.append(chosen)
        previous = chosen
    return Plan(heroes=heroes, deficits=deficit)


def spread(turns: Mapping[int, int], weights: Mapping[int, int]) -> float:
    """How evenly weeks fell: max − min of turns per full-time equivalent (weight 100 = 1.0)."""
    per_fte = [turns.get(p, 0) * 100 / w for p, w in weights.items() if w > 0]
    return round(max(per_fte) - min(per_fte), 2) if per_fte else 0.0
