"""Business Central date formulas (<n>D/W/M/Q/Y) and the working-day calendar."""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

_FORMULA = re.compile(r"^\s*(\d+)\s*([DWMQY])\s*$", re.IGNORECASE)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, order=True)
class DateFormula:
    """A date formula such as ``1W``: ``count`` units of D (days), W (weeks), M (months),
    Q (quarters) or Y (years). A *blank* formula is represented by ``None`` wherever a field
    is optional, never by a DateFormula, so blank and ``0D`` stay distinct (reference §1.5).
    """

    count: int
    unit: str = "D"

    def __post_init__(self) -> None:
        if self.unit not in "DWMQY" or len(self.unit) != 1:
            raise ValueError(f"unknown date-formula unit {self.unit!r}; expected D, W, M, Q or Y")
        if self.count < 0:
            raise ValueError(f"date formula count must be >= 0, got {self.count}")

    @classmethod
    def parse(cls, text: str) -> DateFormula:
        """Parse ``"<n>D"``, ``"<n>W"``, ``"<n>M"``, ``"<n>Q"`` or ``"<n>Y"`` (case-insensitive)."""
        match = _FORMULA.match(str(text))
        if not match:
            raise ValueError(f"{text!r} is not a date formula; expected <n>D, <n>W, <n>M, <n>Q or <n>Y")
        return cls(int(match.group(1)), match.group(2).upper())

    def apply(self, start: date) -> date:
        """The date this formula gives from ``start`` (Business Central's CalcDate)."""
        if self.unit == "D":
            return start + timedelta(days=self.count)
        if self.unit == "W":
            return start + timedelta(days=7 * self.count)
        months = self.count * {"M": 1, "Q": 3, "Y": 12}[self.unit]
        return add_months(start, months)

    def days_from(self, anchor: date) -> int:
        """Day count of this formula measured from ``anchor`` (how BC turns Time Bucket and
        Dampener Period into days, from the system date; reference §1.5)."""
        return (self.apply(anchor) - anchor).days

    @property
    def is_zero(self) -> bool:
        return self.count == 0

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


ZERO = DateFormula(0, "D")


def add_months(start: date, months: int) -> date:
    """Calendar-month arithmetic, clamping to the end of a shorter month (Jan 31 + 1M = Feb 28)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return date(year, month, day)


def calc(formula: DateFormula | None, start: date) -> date:
    """Apply a possibly blank formula: blank is a zero offset (reference §1.6)."""
    return start if formula is None else formula.apply(start)


@dataclass(frozen=True)
class Calendar:
    """A base calendar: weekdays (0 = Monday) and dates that are not working days."""

    nonworking_weekdays: frozenset[int] = field(default_factory=frozenset)
    nonworking_dates: frozenset[date] = field(default_factory=frozenset)

    def is_working(self, day: date) -> bool:
        return day.weekday() not in self.nonworking_weekdays and day not in self.nonworking_dates

    @property
    def has_working_days(self) -> bool:
        return len(self.nonworking_weekdays) < 7

    def previous_working(self, day: date) -> date:
        """The day itself if it is a working day, else the nearest earlier working day."""
        return self._step(day, -1)

    def next_working(self, day: date) -> date:
        """The day itself if it is a working day, else the nearest later working day."""
        return self._step(day, +1)

    def _step(self, day: date, direction: int) -> date:
        if not self.has_working_days:
            return day
        for _ in range(3700):  # ten years of non-working days is a broken calendar, not a plan
            if self.is_working(day):
                return day
            day += timedelta(days=direction)
        raise ValueError("the calendar has no working day within ten years")
