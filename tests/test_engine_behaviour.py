"""Engine rules checked on small scenarios: bucket check, action messages, errors, trace, timeline."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

import mrp_lab
from mrp_lab import ActionMessage, Decision, PlanningWarning, Scenario
from mrp_lab.engine.records import Record

START = date(2026, 1, 5)  # a Monday


def make(policy, *, inventory=0, demand=(), supply=(), end=date(2026, 3, 31), setup=None, **item):
    return Scenario.from_dict({
        "id": "t", "planning": {"start": START, "end": end}, "setup": setup or {},
        "item": {"reordering_policy": policy, **item}, "inventory": inventory,
        "demand": [{"kind": "sales_order", **d} for d in demand],
        "supply": [{"kind": "purchase_order", **s} for s in supply]})


def overflow_after_sales_decrease(lead_time: str):
    """The documented overflow example after the sale dropped to 40 (E6), with a given lead time."""
    return mrp_lab.plan(make(
        "Maximum Qty.", inventory=80, reorder_point=50, maximum_inventory=100, overflow_level=100,
        time_bucket="1W", lead_time_calculation=lead_time,
        demand=[{"id": "SO1", "due": date(2026, 1, 7), "qty": 40}],
        supply=[{"id": "PO1", "due": date(2026, 1, 15), "qty": 90}]))


def buckets(result):
    return [e for e in result.trace if e.decision == Decision.BUCKET]


# ---------------------------------------------------------------- §5.3 bucket check
def test_bucket_check_crosses_strictly_and_orders_from_the_day_after_the_bucket():
    """E3: 25 on hand, sales 10 + 10 in two weeks, ROP 10 → crossed in the second bucket."""
    s = make("Fixed Reorder Qty.", inventory=25, reorder_point=10, reorder_quantity=30,
             time_bucket="1W", lead_time_calculation="5D",
             demand=[{"id": "S1", "due": date(2026, 1, 7), "qty": 10},
                     {"id": "S2", "due": date(2026, 1, 14), "qty": 10}])
    result = mrp_lab.plan(s)
    checks = [(e.value("bucket_start"), e.value("projected"), e.value("crossed"))
              for e in buckets(result)]
    assert checks[:2] == [(date(2026, 1, 5), 15, False), (date(2026, 1, 12), 5, True)]
    (line,) = result.planning_lines
    assert (line.action, line.qty, line.starting_date, line.due) == (
        ActionMessage.NEW, 30, date(2026, 1, 19), date(2026, 1, 24))


def test_landing_exactly_on_the_reorder_point_counts_as_crossing():
    s = make("Fixed Reorder Qty.", inventory=20, reorder_point=10, reorder_quantity=30,
             time_bucket="1W", demand=[{"id": "S1", "due": date(2026, 1, 7), "qty": 10}])
    assert [line.qty for line in mrp_lab.plan(s).planning_lines] == [30]


def test_bucket_containing_the_planning_end_is_never_checked():
    s = make("Fixed Reorder Qty.", inventory=20, reorder_point=10, reorder_quantity=30,
             time_bucket="1W", end=date(2026, 1, 11),
             demand=[{"id": "S1", "due": date(2026, 1, 7), "qty": 15}])
    result = mrp_lab.plan(s)
    assert buckets(result) == [] and result.planning_lines == ()


# ---------------------------------------------------------------- §10 action messages
def record(**kw):
    return Record(key="PO", is_supply=True, kind="purchase_order", due=START, remaining=10,
                  seq=1, **kw)


@pytest.mark.parametrize("flags, remaining, action", [
    ({}, 10, None),
    ({"is_new": True}, 10, ActionMessage.NEW),
    ({"rescheduled": True}, 10, ActionMessage.RESCHEDULE),
    ({"qty_changed": True}, 5, ActionMessage.CHANGE_QTY),
    ({"qty_changed": True, "rescheduled": True}, 5, ActionMessage.RESCHEDULE_AND_CHANGE_QTY),
    ({"qty_changed": True, "rescheduled": True}, 0, ActionMessage.CANCEL),
    ({"qty_changed": True}, 10, ActionMessage.CHANGE_QTY),  # sticky: back to the original qty
])
def test_action_message_choice(flags, remaining, action):
    r = record(**flags)
    r.remaining = remaining
    assert r.action == action


# ---------------------------------------------------------------- errors and blank policy
def test_maximum_qty_without_maximum_inventory_stops_planning_the_item():
    s = make("Maximum Qty.", reorder_point=50, maximum_order_quantity=100, inventory=10,
             time_bucket="1W")
    result = mrp_lab.plan(s)
    assert result.planning_lines == ()
    assert result.errors and "Maximum Inventory" in result.errors[0]


def test_fixed_with_zero_reorder_quantity_stops_planning_the_item():
    result = mrp_lab.plan(make("Fixed Reorder Qty.", reorder_point=5, time_bucket="1W"))
    assert result.planning_lines == () and "Reorder Quantity" in result.errors[0]


def test_blank_policy_is_not_planned():
    s = make("", demand=[{"id": "S1", "due": date(2026, 1, 7), "qty": 10}])
    result = mrp_lab.plan(s)
    assert result.planning_lines == ()
    assert any("not planned" in e.text for e in result.trace)


# ---------------------------------------------------------------- lot-for-lot & order
def test_lot_for_lot_cancels_late_supply_and_orders_new():
    """Pitfall 11: a supply later than its demand (outside RP) → New; the late one is cancelled."""
    s = make("Lot-for-Lot", demand=[{"id": "S1", "due": date(2026, 1, 7), "qty": 10}],
             supply=[{"id": "PO1", "due": date(2026, 1, 20), "qty": 10}])
    lines = {line.action: line for line in mrp_lab.plan(s).planning_lines}
    assert lines[ActionMessage.NEW].due == date(2026, 1, 7)
    assert lines[ActionMessage.CANCEL].supply == "PO1" and lines[ActionMessage.CANCEL].qty == 0


def test_order_policy_links_one_exact_supply_per_demand_and_ignores_modifiers():
    s = make("Order", minimum_order_quantity=50, inventory=100,
             demand=[{"id": "S1", "due": date(2026, 1, 7), "qty": 7},
                     {"id": "S2", "due": date(2026, 1, 9), "qty": 3}])
    lines = mrp_lab.plan(s).planning_lines
    assert [(line.due, line.qty) for line in lines] == [(date(2026, 1, 7), 7), (date(2026, 1, 9), 3)]


def test_emergency_order_is_exact_and_due_the_day_before_the_start():
    s = make("Lot-for-Lot", inventory=50, minimum_order_quantity=100,
             demand=[{"id": "S0", "due": date(2026, 1, 2), "qty": 80}])
    (line,) = mrp_lab.plan(s).planning_lines
    assert (line.qty, line.due, line.warning) == (30, date(2026, 1, 4), PlanningWarning.EMERGENCY)
    assert "projected available inventory is -30" in line.message
    assert not line.accept_action_message


# ---------------------------------------------------------------- trace and reasons
def test_every_line_has_a_reason_from_the_trace_and_every_event_names_a_rule():
    result = overflow_after_sales_decrease("3D")
    (line,) = result.planning_lines
    assert line.reason == ("Cut from 90 to 60: the projected inventory 130 would exceed the "
                           "overflow level 100 at the end of the bucket 2026-01-12..2026-01-18.")
    texts = [e.text for e in result.trace]
    assert any(line.reason.rstrip(".") in text for text in texts)
    assert all(e.rule.startswith("§") for e in result.trace)
    assert [e.step for e in result.trace] == list(range(1, len(result.trace) + 1))


def test_timeline_before_and_after():
    result = overflow_after_sales_decrease("3D")
    rows = {r.date: r for r in result.timeline_rows}
    assert len(rows) == (date(2026, 3, 31) - START).days + 1
    assert rows[date(2026, 1, 7)].projected_inventory_before == 40
    assert rows[date(2026, 1, 15)].projected_inventory_before == 130
    assert rows[date(2026, 1, 15)].projected_inventory_after == 100
    assert rows[START].reorder_point == 50 and rows[START].overflow_level == 100
    assert rows[START].safety_stock is None
    frame = result.timeline
    assert list(frame.columns)[:3] == ["date", "demand", "supply_before"]


def test_engine_imports_no_pandas_matplotlib_or_ipywidgets():
    code = ("import sys, mrp_lab, mrp_lab.engine;"
            "mrp_lab.plan(mrp_lab.Scenario.from_dict({'id': 'x', 'planning': "
            "{'start': '2026-01-05', 'end': '2026-01-31'}}));"
            "print([m for m in ('pandas', 'matplotlib', 'ipywidgets') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_forward_overflow_check_counts_a_changed_supply_at_its_original_quantity():
    """§7.3: with no lead time the reorder order of 60 arrives before PO1; the forward check adds
    PO1 at its original 90 (already cut to 60 by the initial check) and cancels it."""
    result = overflow_after_sales_decrease("0D")
    lines = {line.action: line for line in result.planning_lines}
    assert lines[ActionMessage.NEW].qty == 60
    cancel = lines[ActionMessage.CANCEL]
    assert cancel.supply == "PO1" and cancel.original_qty == 90
    assert "The projected inventory 190 is higher than the overflow level 100 on 2026-01-15" in (
        cancel.message)


def test_forecast_period_before_the_start_moves_the_planning_start_back():
    """§2.5 step 6: the forecast of a period that began before the start is planned on its date."""
    s = Scenario.from_dict({
        "id": "f", "planning": {"start": START, "end": date(2026, 1, 31)},
        "item": {"reordering_policy": "Lot-for-Lot"},
        "demand": [{"id": "FC", "kind": "forecast", "due": date(2026, 1, 1), "qty": 50},
                   {"id": "SO", "kind": "sales_order", "due": date(2026, 1, 7), "qty": 20}]})
    result = mrp_lab.plan(s)
    assert [(line.due, line.qty) for line in result.planning_lines] == [
        (date(2026, 1, 1), 30), (date(2026, 1, 7), 20)]
    assert result.timeline_rows[0].date == date(2026, 1, 1)
    assert any("moves back" in e.text for e in result.trace)


def test_reasons_name_events_the_way_a_planner_would():
    """No internal keys (SAFETY_STOCK@...) in reasons; a New line knows the demand it serves."""
    s = make("Lot-for-Lot", inventory=30, safety_stock_quantity=20,
             demand=[{"id": "SO1", "due": date(2026, 1, 7), "qty": 25}])
    lines = mrp_lab.plan(s).planning_lines
    assert lines and all("@" not in line.reason for line in lines)
    assert lines[0].demand is not None
    frame = mrp_lab.plan(s).lines
    assert "demand" in frame.columns and frame["original_qty"].dtype == float


def test_partial_cover_is_worded_as_partial():
    s = make("Lot-for-Lot", maximum_order_quantity=100,
             demand=[{"id": "SO1", "due": date(2026, 1, 7), "qty": 230}])
    first = mrp_lab.plan(s).planning_lines[0]
    assert "toward the 230 still needed for SO1" in first.reason


def test_planning_error_mentions_a_maximum_inventory_cleared_by_clean_up():
    s = make("Maximum Qty.", reorder_point=50, maximum_inventory=40, time_bucket="1W")
    (error,) = mrp_lab.plan(s).errors
    assert "the item's 40 was cleared to 0" in error


def test_initial_safety_stock_order_sized_by_the_policy_keeps_its_quantity():
    """§0: an initial safety-stock order made with Respect Planning Parameters is committed at its
    quantity (min_qty = qty), so a later decrease cannot cut it below the safety stock."""
    s = Scenario.from_dict({
        "id": "rpp", "planning": {"start": START, "end": date(2026, 1, 31)},
        "setup": {"respect_planning_parameters": True},
        "item": {"reordering_policy": "Fixed Reorder Qty.", "reorder_quantity": 1,
                 "safety_stock_quantity": 17, "maximum_order_quantity": 10, "order_multiple": 12,
                 "time_bucket": "1W"},
        "inventory": 16,
        "demand": [{"id": "FC", "kind": "forecast", "due": date(2025, 12, 26), "qty": 10}]})
    result = mrp_lab.plan(s)
    first = min(result.planning_lines, key=lambda line: line.due)
    assert first.warning == PlanningWarning.EXCEPTION and first.qty == 12
