"""Matching a scenario's expected lines against actual planning lines."""

from __future__ import annotations

from datetime import date

import pytest

from mrp_lab import ActionMessage, Expected, ExpectedLine, PlanLine, PlanningWarning
from mrp_lab.compare import compare_expected, line_matches

D = date(2026, 1, 12)


def line(line_id: str, action: ActionMessage = ActionMessage.NEW, *, supply: str | None = None,
         qty: float = 10.0, original_qty: float | None = None, due: date = D,
         warning: PlanningWarning | None = None, message: str = "") -> PlanLine:
    return PlanLine(line_id=line_id, action=action, supply=supply, due=due, original_due=None,
                    qty=qty, original_qty=original_qty, starting_date=due, ending_date=due,
                    warning=warning, message=message)


def test_none_expected_is_ok_without_expectations() -> None:
    result = compare_expected(None, [line("NEW1")])
    assert result.ok and bool(result)
    assert not result.has_expectations
    assert result.line_count == (None, 1)


def test_empty_expected_block_has_no_expectations() -> None:
    result = compare_expected(Expected(), [line("NEW1")])
    assert result.ok
    assert not result.has_expectations


def test_greedy_would_fail_but_matching_succeeds() -> None:
    # Expected line 0 (only action New) fits both lines; a greedy pass would give it the
    # first line, leaving expected line 1 (qty 10) without a partner.
    lines = [line("NEW1", qty=10), line("NEW2", qty=20)]
    expected = Expected(lines=(ExpectedLine(action=ActionMessage.NEW),
                               ExpectedLine(action=ActionMessage.NEW, qty=10)))
    result = compare_expected(expected, lines)
    assert result.ok, result.report()
    assert {(e.qty, a.line_id) for e, a in result.matched} == {(None, "NEW2"), (10, "NEW1")}
    assert result.missing == ()


def test_order_of_expected_lines_never_matters() -> None:
    lines = [line("NEW1", qty=10), line("NEW2", qty=20), line("NEW3", qty=20)]
    three = (ExpectedLine(action=ActionMessage.NEW), ExpectedLine(qty=20), ExpectedLine(qty=10))
    four = (*three, ExpectedLine(qty=10))  # a second qty-10 line does not exist
    for rotation in range(3):
        assert compare_expected(Expected(lines=three[rotation:] + three[:rotation]), lines).ok
    for rotation in range(4):
        result = compare_expected(Expected(lines=four[rotation:] + four[:rotation]), lines)
        assert not result.ok
        assert len(result.missing) == 1
        assert len(result.matched) == 3


def test_each_expected_line_needs_a_different_actual_line() -> None:
    lines = [line("PO1", ActionMessage.CHANGE_QTY, supply="PO1", qty=60)]
    twice = ExpectedLine(action=ActionMessage.CHANGE_QTY, supply="PO1")
    result = compare_expected(Expected(lines=(twice, twice)), lines)
    assert not result.ok
    assert len(result.missing) == 1
    missing = result.missing[0]
    assert missing.differences == ()
    assert missing.closest_taken_by is not None
    assert "already paired" in result.report()


def test_message_matches_as_a_substring() -> None:
    actual = line("NEW1", warning=PlanningWarning.EXCEPTION,
                  message="Exception: The projected available inventory is below Safety "
                          "Stock Quantity 10 on 2026-01-12.")
    assert line_matches(ExpectedLine(message="below Safety Stock Quantity 10"), actual)
    assert not line_matches(ExpectedLine(message="below Safety Stock Quantity 20"), actual)
    assert not line_matches(ExpectedLine(message="exception:"), actual)  # case matters


def test_quantities_match_within_tolerance() -> None:
    actual = line("PO1", ActionMessage.CHANGE_QTY, supply="PO1", qty=60.0000004,
                  original_qty=90)
    assert line_matches(ExpectedLine(qty=60, original_qty=90.0000009), actual)
    assert not line_matches(ExpectedLine(qty=60.00001), actual)
    assert not line_matches(ExpectedLine(original_qty=89.99), actual)
    assert not line_matches(ExpectedLine(original_qty=0), line("NEW1"))  # None vs 0


def test_keys_left_out_are_not_compared() -> None:
    actual = line("PO1", ActionMessage.RESCHEDULE, supply="PO1", due=date(2026, 2, 2))
    assert line_matches(ExpectedLine(supply="PO1"), actual)
    assert not line_matches(ExpectedLine(supply="PO1", due=D), actual)
    assert not line_matches(ExpectedLine(supply="PO2"), actual)


def test_extra_lines_are_allowed_without_line_count() -> None:
    lines = [line("NEW1"), line("NEW2", qty=5)]
    result = compare_expected(Expected(lines=(ExpectedLine(qty=5),)), lines)
    assert result.ok
    assert [a.line_id for a in result.unexpected] == ["NEW1"]


def test_line_count_must_be_exact_when_given() -> None:
    lines = [line("NEW1"), line("NEW2", qty=5)]
    too_many = compare_expected(Expected(line_count=1, lines=(ExpectedLine(qty=5),)), lines)
    assert not too_many.ok
    assert too_many.line_count == (1, 2)
    assert "line count: expected 1, got 2" in too_many.report()
    assert compare_expected(Expected(line_count=2), lines).ok
    assert not compare_expected(Expected(line_count=0), lines).ok
    assert compare_expected(Expected(line_count=0), []).ok


def test_report_shows_the_closest_line_key_by_key() -> None:
    lines = [line("PO1", ActionMessage.CHANGE_QTY, supply="PO1", qty=70, original_qty=90,
                  warning=PlanningWarning.ATTENTION),
             line("NEW1", qty=5)]
    wanted = ExpectedLine(action=ActionMessage.CHANGE_QTY, supply="PO1", qty=60,
                          warning=PlanningWarning.ATTENTION)
    result = compare_expected(Expected(lines=(wanted,)), lines)
    assert not result.ok
    (missing,) = result.missing
    assert missing.closest is lines[0]
    assert [(d.key, d.expected, d.actual) for d in missing.differences] == [("qty", 60, 70)]
    report = result.report()
    assert "expected line 1 not found" in report
    assert "qty  expected 60, got 70" in report
    assert "Change Qty., PO1, due 2026-01-12, qty 70 (was 90), warning Attention" in report
    assert "actual lines (2):" in report


def test_missing_with_no_actual_lines() -> None:
    result = compare_expected(Expected(lines=(ExpectedLine(action=ActionMessage.NEW),)), [])
    assert not result.ok
    assert result.missing[0].closest is None
    assert "no actual lines" in result.report()


@pytest.mark.parametrize("action", list(ActionMessage))
def test_action_must_be_equal(action: ActionMessage) -> None:
    actual = line("X", action)
    assert line_matches(ExpectedLine(action=action), actual)
    others = [a for a in ActionMessage if a is not action]
    assert not any(line_matches(ExpectedLine(action=a), actual) for a in others)
