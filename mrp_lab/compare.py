"""A scenario's ``expected`` block against the planning lines a run produced.

Matching follows the scenario format ("How expected is matched"): every expected line needs a
*different* actual line that agrees on each key the expected line gives (``message`` as a
substring, quantities within 1e-6); ``line_count``, when given, must equal the number of
actual lines. Expected lines are paired with actual lines by maximum bipartite matching, so
the order in which either side is written never changes the verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from .model import Expected, ExpectedLine
from .result import PlanLine

__all__ = ["Comparison", "KeyDifference", "MissingLine", "compare_expected", "line_matches"]

QTY_TOLERANCE = 1e-6
_QTY_KEYS = ("qty", "original_qty")


@dataclass(frozen=True)
class KeyDifference:
    """One key on which an expected line and an actual line disagree."""

    key: str
    expected: Any
    actual: Any


@dataclass(frozen=True)
class MissingLine:
    """An expected line no actual line could be paired with, and the closest actual line
    (fewest differing keys; ``None`` when the run produced no lines)."""

    index: int
    expected: ExpectedLine
    closest: PlanLine | None
    differences: tuple[KeyDifference, ...]
    closest_taken_by: int | None = None  # index of the expected line the closest one matched


@dataclass(frozen=True)
class Comparison:
    """The verdict of ``compare_expected``; true when every expectation holds."""

    ok: bool
    has_expectations: bool
    matched: tuple[tuple[ExpectedLine, PlanLine], ...]
    missing: tuple[MissingLine, ...]
    unexpected: tuple[PlanLine, ...]
    line_count: tuple[int | None, int]  # (expected, actual)
    lines: tuple[PlanLine, ...] = ()

    def __bool__(self) -> bool:
        return self.ok

    @property
    def count_ok(self) -> bool:
        expected, actual = self.line_count
        return expected is None or expected == actual

    def report(self) -> str:
        """A readable diff: each missing line key by key against its closest actual line, a
        line-count mismatch, then the actual lines."""
        expected_count, actual_count = self.line_count
        if not self.has_expectations:
            return "no expectations"
        out: list[str] = []
        if self.ok:
            out.append(f"all {len(self.matched)} expected line(s) found"
                       + (f"; {actual_count} line(s) as expected" if expected_count is not None
                          else f" among {actual_count} actual line(s)"))
            return "\n".join(out)
        if not self.count_ok:
            out.append(f"line count: expected {expected_count}, got {actual_count}")
        for miss in self.missing:
            out.append(f"expected line {miss.index + 1} not found: "
                       f"{describe_expected(miss.expected)}")
            if miss.closest is None:
                out.append("  (there are no actual lines)")
                continue
            out.append(f"  closest actual line: {describe_line(miss.closest)}")
            if not miss.differences and miss.closest_taken_by is not None:
                out.append(f"  it agrees on every key but is already paired with expected line "
                           f"{miss.closest_taken_by + 1}")
            width = max((len(d.key) for d in miss.differences), default=0)
            for diff in miss.differences:
                out.append(f"    {diff.key:<{width}}  expected {_show(diff.expected)}, "
                           f"got {_show(diff.actual)}")
        if self.unexpected and expected_count is not None:
            out.append(f"unexpected actual line(s): {len(self.unexpected)}")
        out.append(f"actual lines ({actual_count}):")
        if not self.lines:
            out.append("  (none)")
        for number, line in enumerate(self.lines, start=1):
            out.append(f"  {number}. {describe_line(line)}")
        return "\n".join(out)


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format_qty(value)
    if isinstance(value, str):
        return repr(value)
    return str(value)


def format_qty(value: float) -> str:
    """A quantity without needless decimals: 90, 12.5, 0.33333."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def describe_expected(line: ExpectedLine) -> str:
    return ", ".join(f"{key}={_show(value)}" for key, value in line.given().items())


def describe_line(line: PlanLine) -> str:
    """One planning line in one line of text."""
    parts = [line.action.value]
    if line.supply:
        parts.append(line.supply)
    parts.append(f"due {line.due.isoformat()}")
    if line.original_due is not None and line.original_due != line.due:
        parts[-1] += f" (was {line.original_due.isoformat()})"
    parts.append(f"qty {format_qty(line.qty)}")
    if line.original_qty is not None:
        parts[-1] += f" (was {format_qty(line.original_qty)})"
    if line.warning is not None:
        parts.append(f"warning {line.warning.value}")
    return ", ".join(parts)


def _differences(expected: ExpectedLine, line: PlanLine) -> tuple[KeyDifference, ...]:
    diffs = []
    for key, want in expected.given().items():
        got = getattr(line, key)
        if key == "message":
            same = isinstance(got, str) and want in got
        elif key in _QTY_KEYS:
            same = got is not None and abs(float(got) - float(want)) <= QTY_TOLERANCE
        else:
            same = got == want
        if not same:
            diffs.append(KeyDifference(key, want, got))
    return tuple(diffs)


def line_matches(expected: ExpectedLine, line: PlanLine) -> bool:
    """Whether ``line`` agrees with ``expected`` on every key ``expected`` gives."""
    return not _differences(expected, line)


def _max_matching(candidates: list[list[int]], n_right: int) -> list[int | None]:
    """Maximum bipartite matching by augmenting paths (Kuhn): for each left vertex, the right
    vertex it is paired with, or ``None``."""
    owner: list[int | None] = [None] * n_right

    def augment(left: int, seen: set[int]) -> bool:
        for right in candidates[left]:
            if right in seen:
                continue
            seen.add(right)
            current = owner[right]
            if current is None or augment(current, seen):
                owner[right] = left
                return True
        return False

    for left in range(len(candidates)):
        augment(left, set())
    pairs: list[int | None] = [None] * len(candidates)
    for right, left in enumerate(owner):
        if left is not None:
            pairs[left] = right
    return pairs


def compare_expected(expected: Expected | None, lines: Sequence[PlanLine]) -> Comparison:
    """Check planning ``lines`` against ``expected`` (the scenario format's matching rules)."""
    lines = tuple(lines)
    if expected is None:
        return Comparison(ok=True, has_expectations=False, matched=(), missing=(),
                          unexpected=lines, line_count=(None, len(lines)), lines=lines)
    wanted = expected.lines
    candidates = [[j for j, line in enumerate(lines) if line_matches(e, line)] for e in wanted]
    pairs = _max_matching(candidates, len(lines))
    taken = {right: left for left, right in enumerate(pairs) if right is not None}
    matched = tuple((wanted[i], lines[j]) for i, j in enumerate(pairs) if j is not None)
    missing = tuple(_missing(i, wanted[i], lines, taken)
                    for i, j in enumerate(pairs) if j is None)
    unexpected = tuple(line for j, line in enumerate(lines) if j not in taken)
    count_ok = expected.line_count is None or expected.line_count == len(lines)
    has = expected.line_count is not None or bool(wanted)
    return Comparison(ok=not missing and count_ok, has_expectations=has, matched=matched,
                      missing=missing, unexpected=unexpected,
                      line_count=(expected.line_count, len(lines)), lines=lines)


def _missing(index: int, want: ExpectedLine, lines: tuple[PlanLine, ...],
             taken: dict[int, int]) -> MissingLine:
    if not lines:
        return MissingLine(index, want, None, ())
    # Fewest differing keys first; on a tie prefer a line nobody else has taken.
    best = min(range(len(lines)),
               key=lambda j: (len(_differences(want, lines[j])), j in taken, j))
    return MissingLine(index, want, lines[best], _differences(want, lines[best]),
                       taken.get(best))
