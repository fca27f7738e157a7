"""Balanced seating: tables of 3 to 6, newcomers at the smallest table.

Pure functions on table sizes so the rule can be tested by property; actions.py applies them.
"""

from __future__ import annotations

import math

MIN_TABLE = 3
MAX_TABLE = 6


def table_count(people: int, *, max_size: int = MAX_TABLE) -> int:
    """How many tables `people` need so none has more than `max_size`."""
    return max(1, math.ceil(people / max_size))


def target_sizes(people: int, *, max_size: int = MAX_TABLE) -> list[int]:
    """Sizes differing by at most one; each at least MIN_TABLE once there are enough people."""
    count = table_count(people, max_size=max_size)
    base, extra = divmod(people, count)
    return [base + (1 if index < extra else 0) for index in range(count)]


def seat_for_newcomer(sizes: list[int], *, max_size: int = MAX_TABLE) -> int | None:
    """The index of the table a newcomer sits at, or None when every table is full."""
    if not sizes:
        return None
    smallest = min(range(len(sizes)), key=lambda index: (sizes[index], index))
    if sizes[smallest] >= max_size:
        return None
    return smallest


def rebalance(tables: list[list[int]], *, max_size: int = MAX_TABLE) -> list[list[int]]:
    """Re-seat people (ids, in joining order per table) at balanced tables, moving as few as
    possible: the last to join a too-large table move to the tables that lack people."""
    people = sum(len(t) for t in tables)
    sizes = target_sizes(people, max_size=max_size)
    current = [list(t) for t in tables]
    while len(current) < len(sizes):
        current.append([])
    # Tables beyond the needed count are emptied; the fullest keep their places.
    order = sorted(range(len(current)), key=lambda i: (-len(current[i]), i))
    keep = sorted(order[: len(sizes)])
    dropped = [i for i in range(len(current)) if i not in keep]
    movers: list[int] = []
    for index in dropped:
        movers.extend(current[index])
        current[index] = []
    kept = [current[i] for i in keep]
    # Biggest targets to the biggest tables, so the fewest people move.
    by_size = sorted(range(len(kept)), key=lambda i: (-len(kept[i]), i))
    targets = [0] * len(kept)
    for rank, index in enumerate(by_size):
        targets[index] = sizes[rank]
    for index, table in enumerate(kept):
        while len(table) > targets[index]:
            movers.append(table.pop())
    for index, table in enumerate(kept):
        while len(table) < targets[index]:
            table.append(movers.pop(0))
    result: list[list[int]] = [[] for _ in current]
    for slot, index in enumerate(keep):
        result[index] = kept[slot]
    return result
