"""Date formulas (D/W/M/Q/Y, month-end clamping, blank vs 0D) and the working-day calendar."""

from __future__ import annotations

from datetime import date

import pytest

from mrp_lab.dates import Calendar, DateFormula, add_months, calc


@pytest.mark.parametrize(("text", "count", "unit"), [
    ("0D", 0, "D"), ("1W", 1, "W"), ("12m", 12, "M"), (" 2 Q ", 2, "Q"), ("1Y", 1, "Y"),
])
def test_parse(text: str, count: int, unit: str) -> None:
    assert DateFormula.parse(text) == DateFormula(count, unit)


@pytest.mark.parametrize("text", ["", "W", "1", "-1D", "1X", "1D2", "1.5W", "CM"])
def test_parse_rejects_non_formulas(text: str) -> None:
    with pytest.raises(ValueError, match="not a date formula"):
        DateFormula.parse(text)


def test_constructor_rejects_bad_unit_and_negative_count() -> None:
    with pytest.raises(ValueError, match="unit"):
        DateFormula(1, "X")
    with pytest.raises(ValueError, match=">= 0"):
        DateFormula(-1, "D")


@pytest.mark.parametrize(("formula", "start", "expected"), [
    ("0D", date(2026, 1, 5), date(2026, 1, 5)),
    ("3D", date(2026, 1, 30), date(2026, 2, 2)),
    ("1W", date(2026, 1, 5), date(2026, 1, 12)),
    ("2W", date(2025, 12, 25), date(2026, 1, 8)),
    ("1M", date(2026, 1, 15), date(2026, 2, 15)),
    ("1M", date(2026, 1, 31), date(2026, 2, 28)),   # clamped to the shorter month
    ("1M", date(2028, 1, 31), date(2028, 2, 29)),   # leap year
    ("1M", date(2026, 12, 10), date(2027, 1, 10)),  # across the year end
    ("1Q", date(2026, 11, 30), date(2027, 2, 28)),
    ("1Y", date(2028, 2, 29), date(2029, 2, 28)),
    ("2Y", date(2026, 3, 1), date(2028, 3, 1)),
])
def test_apply(formula: str, start: date, expected: date) -> None:
    assert DateFormula.parse(formula).apply(start) == expected


def test_add_months_clamps_at_month_end() -> None:
    assert add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_days_from_depends_on_the_anchor_for_months_only() -> None:
    month = DateFormula(1, "M")
    assert month.days_from(date(2026, 2, 1)) == 28
    assert month.days_from(date(2026, 1, 1)) == 31
    assert DateFormula(1, "W").days_from(date(2026, 2, 1)) == 7
    assert DateFormula(0, "D").days_from(date(2026, 2, 1)) == 0


def test_calc_treats_blank_as_zero_offset() -> None:
    start = date(2026, 1, 5)
    assert calc(None, start) == start
    assert calc(DateFormula(1, "W"), start) == date(2026, 1, 12)


def test_blank_and_zero_are_distinct_values() -> None:
    zero = DateFormula.parse("0D")
    assert zero.is_zero
    assert zero is not None
    assert str(zero) == "0D"
    assert not DateFormula(1, "D").is_zero


def test_str_round_trips() -> None:
    for text in ("0D", "5D", "1W", "3M", "1Q", "2Y"):
        assert str(DateFormula.parse(text)) == text


WEEKEND = Calendar(frozenset({5, 6}), frozenset({date(2026, 1, 1)}))


def test_calendar_working_days() -> None:
    assert WEEKEND.is_working(date(2026, 1, 5))          # Monday
    assert not WEEKEND.is_working(date(2026, 1, 10))     # Saturday
    assert not WEEKEND.is_working(date(2026, 1, 1))      # holiday, a Thursday


def test_calendar_previous_working() -> None:
    assert WEEKEND.previous_working(date(2026, 1, 11)) == date(2026, 1, 9)   # Sun -> Fri
    assert WEEKEND.previous_working(date(2026, 1, 9)) == date(2026, 1, 9)    # already working
    assert WEEKEND.previous_working(date(2026, 1, 4)) == date(2026, 1, 2)    # Sun -> Fri
    assert WEEKEND.previous_working(date(2026, 1, 1)) == date(2025, 12, 31)  # holiday -> Wed


def test_calendar_next_working() -> None:
    assert WEEKEND.next_working(date(2026, 1, 10)) == date(2026, 1, 12)      # Sat -> Mon
    assert WEEKEND.next_working(date(2026, 1, 1)) == date(2026, 1, 2)        # holiday -> Fri
    assert WEEKEND.next_working(date(2026, 1, 12)) == date(2026, 1, 12)


def test_calendar_without_working_days_leaves_dates_alone() -> None:
    closed = Calendar(frozenset(range(7)))
    assert not closed.has_working_days
    assert closed.next_working(date(2026, 1, 10)) == date(2026, 1, 10)


def test_empty_calendar_works_every_day() -> None:
    assert Calendar().is_working(date(2026, 1, 10))
    assert Calendar().previous_working(date(2026, 1, 10)) == date(2026, 1, 10)
