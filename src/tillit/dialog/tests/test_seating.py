"""Balanced seating: tables of 3–6, newcomers at the smallest table, re-seating moves few."""

from hypothesis import given
from hypothesis import strategies as st

from tillit.dialog.seating import MAX_TABLE, MIN_TABLE, rebalance, seat_for_newcomer, target_sizes


@given(st.integers(min_value=MIN_TABLE, max_value=2_000))
def test_target_tables_hold_three_to_six_and_differ_by_one(people):
    sizes = target_sizes(people)
    assert sum(sizes) == people
    assert max(sizes) - min(sizes) <= 1
    assert all(MIN_TABLE <= size <= MAX_TABLE for size in sizes)


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=30))
def test_rebalancing_any_room_gives_balanced_tables_with_everyone(sizes):
    counter = iter(range(10_000))
    tables = [[next(counter) for _ in range(size)] for size in sizes]
    layout = rebalance(tables)
    everyone = sorted(p for t in tables for p in t)
    assert sorted(p for t in layout for p in t) == everyone
    used = [len(t) for t in layout if t]
    if everyone:
        assert max(used) - min(used) <= 1
        assert max(used) <= MAX_TABLE


@given(st.lists(st.integers(min_value=0, max_value=MAX_TABLE), min_size=1, max_size=20))
def test_a_newcomer_sits_at_a_smallest_table_unless_all_are_full(sizes):
    index = seat_for_newcomer(sizes)
    if min(sizes) >= MAX_TABLE:
        assert index is None
    else:
        assert index is not None
        assert sizes[index] == min(sizes)


def test_rebalancing_keeps_people_who_already_sit_well():
    """Two full tables and a lone late-comer: only the three needed move to the third table."""
    layout = rebalance([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], [13]])
    assert [len(t) for t in layout] == [5, 4, 4]
    assert layout[2][0] == 13
    moved = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} - set(layout[0]) - set(layout[1])
    assert len(moved) == 3
