from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tillit.core.workdays import add_working_days, is_working_day, working_days_between


def test_eves_and_public_holidays_are_closed():
    """Midsummer Eve, Christmas Eve, New Year's Eve and the red days are not working days."""
    assert not is_working_day(date(2026, 6, 19))  # Midsommarafton (Friday)
    assert not is_working_day(date(2026, 12, 24))  # Julafton
    assert not is_working_day(date(2026, 12, 25))  # Juldagen
    assert not is_working_day(date(2026, 12, 31))  # Nyårsafton
    assert not is_working_day(date(2026, 1, 6))  # Trettondedag jul
    assert not is_working_day(date(2026, 4, 3))  # Långfredagen
    assert not is_working_day(date(2026, 5, 14))  # Kristi himmelsfärd
    assert is_working_day(date(2026, 6, 18))  # an ordinary Thursday


def test_one_working_day_after_friday_is_monday():
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_easter_weekend_is_skipped():
    """Maundy Thursday + 1 working day is the Tuesday after Easter (Good Friday, Easter Monday)."""
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_christmas_week_has_few_working_days():
    assert (
        working_days_between(date(2026, 12, 23), date(2027, 1, 7)) == 6
    )  # 28–30 Dec, 4–5 and 7 Jan


def test_municipality_closed_day_counts():
    klamdag = date(2026, 5, 15)  # the Friday after Ascension Day
    assert add_working_days(date(2026, 5, 13), 1, extra_closed=[klamdag]) == date(2026, 5, 18)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(0, 60))
def test_adding_then_counting_gives_the_same_number(start, days):
    end = add_working_days(start, days)
    if days:
        assert is_working_day(end)
        assert working_days_between(start, end) == days


def test_warm_up_loads_this_and_next_year():
    from datetime import date

    from tillit.core import workdays

    workdays.public_closed_days.cache_clear()
    workdays.warm_up(date(2031, 5, 5))
    assert workdays.public_closed_days.cache_info().currsize == 2
    assert date(2032, 12, 24) in workdays.public_closed_days(2032)
