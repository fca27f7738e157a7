"""Full-text search in Swedish: inflected forms find each other, access rules still apply."""

from tillit.cases import actions
from tillit.cases.queries import search
from tillit.cases.tests.factories import register


def test_inflected_swedish_words_match(world):
    case = register(world, subject="Ansökan om bygglov", description="Gäller en altan.")
    register(world, subject="Snöröjning på gatan", description="Ingen plogbil har kommit.")
    assert [c.pk for c in search(world.centre_staff, "altanen").cases] == [case.pk]
    assert [c.pk for c in search(world.centre_staff, "bygglovet").cases] == [case.pk]


def test_notes_and_replies_are_searchable(world):
    case = register(world, subject="Fråga")
    actions.add_note(case=case, by=world.centre_staff, body="Grannen klagar på hundskall.")
    assert [c.pk for c in search(world.centre_staff, "klagade").cases] == [case.pk]


def test_search_never_shows_cases_you_may_not_see(world):
    register(world, subject="Altanbygge")
    assert search(world.other_staff, "altanbygge").cases == []


def test_empty_or_symbol_only_queries_find_nothing(world):
    register(world)
    assert search(world.centre_staff, "  *** ").cases == []


def test_a_registration_number_finds_its_case(world):
    case = register(world, subject="Fråga")
    register(world, subject="Annan fråga")
    assert [c.pk for c in search(world.centre_staff, case.registration_number).cases] == [case.pk]
    assert search(world.other_staff, case.registration_number).cases == []


def test_search_finds_cases_owned_before_and_offered(world):
    from tillit.cases.tests.factories import offer

    handed = register(world, subject="Altan vid sjön")
    actions.accept_handover(handover=offer(world, handed), by=world.admin_staff)
    offered = register(world, subject="Altan på taket")
    offer(world, offered)
    assert {c.pk for c in search(world.centre_staff, "altan").cases} == {handed.pk, offered.pk}
    assert {c.pk for c in search(world.admin_staff, "altan").cases} == {handed.pk, offered.pk}
    assert search(world.other_staff, "altan").cases == []


def test_a_window_with_more_matches_than_are_passed_on_finds_the_same_cases(world, monkeypatch):
    """Above WINDOW_MATCHES the window's matches are not listed but asked as a subquery."""
    from tillit.cases import queries

    cases = [register(world, subject=f"Trasig gatlampa nummer {n}") for n in range(5)]
    register(world, subject="Snöröjning på gatan")
    listed = [c.pk for c in search(world.centre_staff, "trasig gatlampa").cases]
    monkeypatch.setattr(queries, "WINDOW_MATCHES", 2)
    asked = [c.pk for c in search(world.centre_staff, "trasig gatlampa").cases]
    assert listed == asked == [c.pk for c in reversed(cases)]
    assert search(world.other_staff, "trasig gatlampa").cases == []


def test_a_match_older_than_the_newest_window_is_found(world, monkeypatch):
    """An empty window of new cases widens to the older ones instead of answering nothing."""
    from tillit.cases import queries

    old = register(world, subject="Vattenläcka i källaren")
    for n in range(4):
        register(world, subject=f"Fråga nummer {n}")
    monkeypatch.setattr(queries, "SEARCH_WINDOWS", (2, None))
    assert [c.pk for c in search(world.centre_staff, "vattenläcka").cases] == [old.pk]
    assert [c.pk for c in search(world.centre_staff, "frågan", size=2).cases] == [
        c.pk for c in search(world.centre_staff, "frågan").cases[:2]
    ]


def test_pages_across_widening_windows_show_every_match_once_newest_first(world, monkeypatch):
    """Each wider window reads only older cases; the matches of the narrower one are kept."""
    from tillit.cases import queries

    matches = []
    for n in range(7):
        matches.append(register(world, subject=f"Trasig gatlampa {n}"))
        register(world, subject=f"Fråga om bygglov {n}")
    monkeypatch.setattr(queries, "SEARCH_WINDOWS", (3, 6, None))
    seen, cursor = [], None
    while True:
        page = search(world.centre_staff, "gatlampa", size=2, before=cursor)
        seen += [c.pk for c in page.cases]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [c.pk for c in reversed(matches)]
    assert [c.pk for c in search(world.centre_staff, "gatlampa", size=5).cases] == seen[:5]
