"""The "recently closed" queue lists cases by when they were closed, newest first."""

from datetime import timedelta

from django.utils import timezone

from tillit.cases import actions
from tillit.cases.models import Case
from tillit.cases.queries import Queue, queue
from tillit.cases.tests.factories import register


def close_at(world, case, when):
    actions.close_case(case=case, by=world.centre_staff, resolution="Klart.")
    Case.objects.filter(pk=case.pk).update(closed_at=when)  # as if closed then


def test_the_case_closed_last_comes_first_even_if_it_was_registered_first(world):
    old, middle, new = (register(world, subject=f"Fråga {n}") for n in range(3))
    start = timezone.now()
    for minutes, case in ((1, new), (2, old), (3, middle)):
        close_at(world, case, start + timedelta(minutes=minutes))
    page = queue(world.centre_staff, Queue.CLOSED)
    assert [c.pk for c in page.cases] == [middle.pk, old.pk, new.pk]


def test_the_closed_queue_pages_on_by_closing_time_without_repeating_or_skipping(world):
    cases = [register(world, subject=f"Fråga {n}") for n in range(5)]
    start = timezone.now()
    # Two cases closed in the same instant: the id decides between them, on every page.
    for minutes, case in zip((3, 1, 2, 2, 5), cases, strict=True):
        close_at(world, case, start + timedelta(minutes=minutes))
    expected = [cases[4], cases[0], cases[3], cases[2], cases[1]]
    seen, cursor = [], None
    while True:
        page = queue(world.centre_staff, Queue.CLOSED, size=2, before=cursor)
        seen += [c.pk for c in page.cases]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [c.pk for c in expected]
    assert queue(world.centre_staff, Queue.CLOSED, before=999_999).cases == []


def test_open_cases_are_not_in_the_closed_queue(world):
    register(world)
    assert queue(world.centre_staff, Queue.CLOSED).cases == []
