"""The one small family of errors mrp_lab raises."""

from __future__ import annotations


class MrpLabError(Exception):
    """Base of every error mrp_lab raises on purpose."""


class ScenarioError(MrpLabError, ValueError):
    """A scenario file or dict is not valid.

    Carries where (``source``: the file, ``key``: a key path such as ``demand[2].due``),
    what it got (``value``) and what was expected, so one line tells the user what to fix.
    """

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None,
                 value: object = None, expected: str | None = None,
                 problems: tuple[str, ...] = ()) -> None:
        self.source = source
        self.key = key
        self.value = value
        self.expected = expected
        self.problems = problems
        super().__init__(message)


class PlanningError(MrpLabError):
    """Business Central would refuse to plan this item (e.g. Fixed Reorder Qty. with a
    Reorder Quantity of 0, or Maximum Qty. with Maximum Inventory not above the Reorder Point).
    """
