"""Property tests: one suite of checks run over every reordering policy.

Each property is a statement that must hold for *every* valid scenario of a policy (random
scenarios from ``tests/strategies.py``), not just for the hand-derived examples in
``scenarios/``. Section numbers (§) refer to ``shared/reference/planning-engine.md``.

Runs are reproducible (``derandomize=True``, no example database). For a deeper, random run:
``MRP_LAB_PROPERTY_EXAMPLES=5000 MRP_LAB_PROPERTY_RANDOM=1 pytest tests/test_properties.py``.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from strategies import BLANK, FIXED, LFL, MAXQ, ORDER, POLICIES, quantities, scenarios

import mrp_lab.engine.planner as planner_module
from mrp_lab import (
    ActionMessage,
    Decision,
    DemandKind,
    ManufacturingPolicy,
    PlanningFlexibility,
    PlanningWarning,
    PlanResult,
    ReorderingPolicy,
    ReplenishmentSystem,
    Scenario,
    plan,
)

EPS = 1e-6
PROPERTY = settings(
    max_examples=int(os.environ.get("MRP_LAB_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    derandomize=not os.environ.get("MRP_LAB_PROPERTY_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
)
ALL_POLICIES = pytest.mark.parametrize("policy", [*POLICIES, BLANK], ids=lambda p: p.value or "blank")
PLANNED_POLICIES = pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.value)


# ============================================================================= helpers
@pytest.fixture(autouse=True, scope="module")
def _short_loop_limit():
    """A scenario of at most 8 demands and 4 supplies needs a few hundred balancing rounds at
    most; stopping a runaway loop after 5,000 rounds instead of 200,000 makes such a bug
    (bug 2 below was one) fail in milliseconds instead of seconds per example, and minutes
    while Hypothesis shrinks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(planner_module, "LOOP_LIMIT", 5_000)
        yield


def planned(scenario: Scenario) -> PlanResult:
    """Plan, and put the scenario and the lines into Hypothesis' failure report."""
    note(f"scenario: {scenario.to_dict()!r}")
    result = plan(scenario)
    for line in result.planning_lines:
        note(f"line: {line.action.value} {line.supply or line.line_id} due {line.due} "
             f"(was {line.original_due}) qty {line.qty} (was {line.original_qty}) "
             f"warning {line.warning and line.warning.value}: {line.message}")
    if result.errors:
        note(f"errors: {result.errors}")
    return result


def include_inventory(scenario: Scenario) -> bool:
    """§1.3: Include Inventory is editable only for Lot-for-Lot; Fixed/Max true, Order false."""
    policy = scenario.item.reordering_policy
    if policy == LFL:
        return scenario.item.effective_include_inventory
    return policy != ORDER


def safety_stock(scenario: Scenario) -> float:
    """§1.3: safety stock is used by Fixed/Max, by Lot-for-Lot only with Include Inventory."""
    policy = scenario.item.reordering_policy
    if policy in (FIXED, MAXQ) or (policy == LFL and include_inventory(scenario)):
        return scenario.item.safety_stock_quantity
    return 0.0


def netted_demand(scenario: Scenario) -> tuple[list[tuple[date, float, str]], date]:
    """The demand planning must cover, written independently of the engine from §2.1 and
    §2.5: (due, qty, kind) per demand loaded (due ≤ ToDate), and the effective planning start.

    Sales orders and component needs as they are; a blanket order's quantity not released as
    sales orders; a forecast period's quantity less the (non-blanket) sales orders due in it.
    A forecast period that starts before the planning start moves the start back to it."""
    start, end = scenario.planning.start, scenario.planning.end
    out: list[tuple[date, float, str]] = []
    sales = [d for d in scenario.demand
             if d.kind in (DemandKind.SALES_ORDER, DemandKind.COMPONENT_NEED) and d.due <= end]
    out += [(d.due, d.qty, d.kind.value) for d in sales]
    for b in scenario.demand:
        if b.kind == DemandKind.BLANKET_ORDER and b.due <= end:
            released = sum(d.qty for d in scenario.demand if d.blanket_order == b.id)
            if b.qty - released > EPS:
                out.append((b.due, b.qty - released, "blanket_order"))
    totals: Counter[date] = Counter()
    for f in scenario.demand:
        if f.kind == DemandKind.FORECAST and f.due <= end:
            totals[f.due] += f.qty
    dates = sorted(day for day, qty in totals.items() if qty > 0)
    before = [day for day in dates if day <= start]
    if before:
        dates = dates[dates.index(before[-1]):]
    for i, first in enumerate(dates):
        last = dates[i + 1] - timedelta(days=1) if i + 1 < len(dates) else end
        # Deduction stops once the remainder is below 0 (§2.5 step 4); that changes only
        # the size of a negative remainder, so plain subtraction gives the same demand.
        rest = totals[first] - sum(d.qty for d in sales if d.kind == DemandKind.SALES_ORDER
                                   and d.blanket_order is None and first <= d.due <= last)
        if rest > EPS:
            out.append((first, rest, "forecast"))
            start = min(start, first)
    return out, start


def supply_after(scenario: Scenario, result: PlanResult) -> list[tuple[date, float]]:
    """Existing supply with the lines applied (the line's due and qty replace the order's),
    plus every New line (emergency lines included, due before the start)."""
    changed = {line.supply: line for line in result.planning_lines if line.supply}
    out = []
    for s in scenario.supply:
        line = changed.get(s.id)
        out.append((line.due, line.qty) if line else (s.due, s.qty))
    out += [(line.due, line.qty) for line in result.planning_lines if line.supply is None]
    return out


def decrease_capped_at_max_order(scenario: Scenario, result: PlanResult) -> bool:
    """A supply above the Max Order Qty. was decreased (§4.4). The reduced quantity goes
    through the modifiers (step 6): §9's Max step sets it to the Max Order Qty. whenever that
    is above the supply's min_qty (0 for an unreserved existing order or an initial
    safety-stock order), the Order Multiple then rounds that up, and step 8 caps at the Max
    Order Qty. The result can be below what the supply already covers or holds as safety
    stock (step 3's floor). The reference states these steps, so this is BC's behaviour as
    specified (see test_decrease_caps_existing_order_at_max_order_qty)."""
    maximum = scenario.item.maximum_order_quantity
    if maximum and maximum < scenario.item.minimum_order_quantity:
        maximum = scenario.item.minimum_order_quantity
    return bool(maximum) and any(
        e.decision == Decision.DECREASE and e.value("old_qty", 0) > maximum + EPS
        for e in result.trace)


def starting_date_attention_only(line, scenario: Scenario) -> bool:
    """The line's only warning is §11's "Starting Date before the work date" Attention."""
    work = scenario.planning.effective_work_date
    return (line.warning == PlanningWarning.ATTENTION and line.message ==
            f"Attention: The Starting Date {line.starting_date.isoformat()} is before the "
            f"work date {work.isoformat()}.")


# ============================================================================= the strategy
@settings(PROPERTY, max_examples=60)
@given(scenario=scenarios())
def test_strategy_builds_valid_scenarios(scenario: Scenario) -> None:
    """The loader accepts every generated scenario back unchanged (the strategy makes only
    valid input, so the properties below are about the engine, not about bad files)."""
    assert Scenario.from_dict(scenario.to_dict()) == scenario


# ============================================================================= 1. never raises
@ALL_POLICIES
@PROPERTY
@given(data=st.data())
def test_plan_never_raises(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """``plan`` returns a result for every valid scenario. A scenario Business Central refuses
    to plan gives ``errors`` and no lines; the only refusals are Fixed without a Reorder
    Quantity and Max with a Maximum Inventory not above the Reorder Point (§12.5, §5.4), after
    the §1.4 clean-up. A blank policy plans nothing."""
    scenario = data.draw(scenarios(policy), label="scenario")
    result = planned(scenario)
    assert isinstance(result, PlanResult)
    assert result.scenario is scenario
    if policy == BLANK:
        assert result.planning_lines == () and result.errors == ()
    if result.errors:
        assert result.planning_lines == ()
        item = scenario.item
        if policy == FIXED:
            assert item.reorder_quantity == 0
        else:
            assert policy == MAXQ
            ss = item.safety_stock_quantity
            rop = max(item.reorder_point, ss)
            maximum = item.maximum_inventory
            if maximum < ss or maximum < rop:
                maximum = 0.0
            assert maximum <= rop


# ============================================================================= 2. deterministic
@ALL_POLICIES
@PROPERTY
@given(data=st.data())
def test_plan_is_deterministic(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """Same input, same output: planning twice, or planning an equal copy of the scenario
    (rebuilt through the file format), gives equal lines, timeline, trace and errors."""
    scenario = data.draw(scenarios(policy), label="scenario")
    first, second = planned(scenario), plan(scenario)
    copy = plan(Scenario.from_dict(scenario.to_dict()))
    for other in (second, copy):
        assert other.planning_lines == first.planning_lines
        assert other.timeline_rows == first.timeline_rows
        assert other.trace == first.trace
        assert other.errors == first.errors


# ============================================================================= 3. line shape
@ALL_POLICIES
@PROPERTY
@given(data=st.data())
def test_lines_are_well_formed(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """Every line refers to an existing supply (or is New with no supply), no supply has two
    lines, and each action message means what §10 says it means."""
    scenario = data.draw(scenarios(policy), label="scenario")
    result = planned(scenario)
    sources = {s.id: s for s in scenario.supply}
    ids = [line.line_id for line in result.planning_lines]
    assert len(ids) == len(set(ids))
    referenced = [line.supply for line in result.planning_lines if line.supply is not None]
    assert len(referenced) == len(set(referenced)), "an existing supply appears twice"
    for line in result.planning_lines:
        assert line.starting_date <= line.ending_date <= line.due
        if line.action == ActionMessage.NEW:
            assert line.supply is None
            assert line.original_due is None and line.original_qty is None
            assert line.qty > 0
            continue
        assert line.supply in sources, f"{line.supply} is no supply of the scenario"
        source = sources[line.supply]
        assert line.original_due == source.due and line.original_qty == source.qty
        if line.action == ActionMessage.CANCEL:
            assert line.qty == 0
        else:
            assert line.qty > 0
        # The flags are sticky (§10): a Change Qty. line may end at its original quantity,
        # a Reschedule line on its original date; only the other field is pinned.
        if line.action == ActionMessage.CHANGE_QTY:
            assert line.due == line.original_due
        if line.action == ActionMessage.RESCHEDULE:
            assert line.qty == line.original_qty


@ALL_POLICIES
@PROPERTY
@given(data=st.data())
def test_inflexible_supply_is_never_changed(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """§2.3: supply with Planning Flexibility None, supply due after the planning end and
    frozen supply (due before the start, §3.2) is never changed. Under Fixed/Max every other
    existing supply is Reduce Only and protected (§2.3, §3.6, §12.1): the only line it can get
    is an overflow cut (§7), Change Qty. or Cancel with the overflow Attention."""
    scenario = data.draw(scenarios(policy), label="scenario")
    result = planned(scenario)
    _, start = netted_demand(scenario)
    sources = {s.id: s for s in scenario.supply}
    for line in result.planning_lines:
        if line.supply is None:
            continue
        source = sources[line.supply]
        assert source.planning_flexibility != PlanningFlexibility.NONE
        assert start <= source.due <= scenario.planning.end
        if policy in (FIXED, MAXQ):
            assert line.action in (ActionMessage.CHANGE_QTY, ActionMessage.CANCEL)
            assert line.due == source.due and line.qty < source.qty
            assert line.warning == PlanningWarning.ATTENTION
            assert "is higher than the overflow level" in line.message


# ============================================================================= 4. coverage
@PLANNED_POLICIES
@PROPERTY
@given(data=st.data())
def test_demand_is_covered(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """Once the lines are applied, supply covers demand on every day of the planning period:
    for every d in [start, end], on-hand inventory (if the policy includes it, §1.3/§2.4) plus
    all supply due on or before d is at least all demand due on or before d.

    Supply and demand before the start are in the sums (frozen zone, §3.2), so the emergency
    order (due start − 1, §3.3) counts. Demand is what §2.1/§2.5 load: sales orders and
    component needs due by the end (under Order each gets its own order-to-order supply,
    §3.1), blanket-order remainders and forecast remainders (a forecast period starting
    before the start moves the start back, §2.5). Supply after the end (flexibility None)
    only counts on its own date, which is after every d checked.

    Scope: a shortfall explained by a decrease of a supply above the Max Order Qty. is set
    aside (§4.4 steps 6/8, see test_decrease_caps_existing_order_at_max_order_qty). (The
    forward overflow check, §7.3, ignores intermediate demand when it cuts later supply, but
    it runs before balancing reaches that supply, which then gets exception orders: no
    shortfall from it turned up in 20,000 Fixed/Max examples, so it is not scoped.)
    """
    scenario = data.draw(scenarios(policy), label="scenario")
    result = planned(scenario)
    assume(not result.errors)
    demand, start = netted_demand(scenario)
    supply = supply_after(scenario, result)
    on_hand = scenario.inventory if include_inventory(scenario) else 0.0
    tolerance = 1e-4 * (1 + len(supply))
    day = start
    while day <= scenario.planning.end:
        have = on_hand + sum(q for due, q in supply if due <= day)
        need = sum(q for due, q, _ in demand if due <= day)
        if have < need - tolerance:
            # Only a shortfall the scoped behaviour explains is set aside.
            assume(not decrease_capped_at_max_order(scenario, result))
        assert have >= need - tolerance, (
            f"on {day}: supply {have:g} (on hand {on_hand:g}) < demand {need:g}")
        day += timedelta(days=1)


def level_after(scenario: Scenario, result: PlanResult):
    """(start, {day: projected level after the suggestions}) over the planning period: on-hand
    inventory if included, plus supply after the lines, less demand, all due on or before."""
    demand, start = netted_demand(scenario)
    supply = supply_after(scenario, result)
    on_hand = scenario.inventory if include_inventory(scenario) else 0.0
    levels = {}
    day = start
    while day <= scenario.planning.end:
        levels[day] = (on_hand + sum(q for due, q in supply if due <= day)
                       - sum(q for due, q, _ in demand if due <= day))
        day += timedelta(days=1)
    return start, levels


@pytest.mark.parametrize("policy", [FIXED, MAXQ, LFL], ids=lambda p: p.value)
@PROPERTY
@given(data=st.data())
def test_safety_stock_is_kept(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """§2.7, §3.4, §6: safety stock is a demand of its size on the start and on every date with
    demand, after that day's real demand; a shortfall gets supply due that day (an exception
    order under Fixed/Max). So after the suggestions the projected level never drops below the
    safety stock in the planning period (the coverage property with SS instead of 0). Only
    Fixed/Max and Lot-for-Lot with Include Inventory use safety stock (§1.3). Same scope as
    test_demand_is_covered."""
    scenario = data.draw(scenarios(policy), label="scenario")
    if safety_stock(scenario) <= 0:      # give every example a safety stock planning uses
        scenario = dataclasses.replace(scenario, item=dataclasses.replace(
            scenario.item, safety_stock_quantity=data.draw(quantities(1, 30), label="ss"),
            include_inventory=True if policy == LFL else scenario.item.include_inventory))
    ss = safety_stock(scenario)
    result = planned(scenario)
    assume(not result.errors)
    _, levels = level_after(scenario, result)
    for day, level in levels.items():
        if level < ss - 1e-4:
            assume(not decrease_capped_at_max_order(scenario, result))
        assert level >= ss - 1e-4, f"on {day}: projected {level:g} < safety stock {ss:g}"


@PROPERTY
@given(data=st.data())
def test_order_policy_pairs_each_demand(data: st.DataObject) -> None:
    """§3.1: under Order every sales order and component need (due by the end, frozen zone
    ignored) gets its own New supply of exactly its quantity, on its date (the working day
    before for a purchased item, §4.2), with no modifiers. Only forecast and blanket orders
    are balanced generically, so without them there are no other New lines (and no
    emergency: Include Inventory is off and nothing else is frozen demand)."""
    scenario = data.draw(scenarios(ORDER), label="scenario")
    result = planned(scenario)
    purchase = scenario.item.replenishment_system == ReplenishmentSystem.PURCHASE
    expected = Counter(
        (scenario.calendar.previous_working(d.due) if purchase else d.due, d.qty)
        for d in scenario.demand
        if d.kind in (DemandKind.SALES_ORDER, DemandKind.COMPONENT_NEED)
        and d.due <= scenario.planning.end)
    new = Counter((line.due, line.qty) for line in result.planning_lines
                  if line.action == ActionMessage.NEW and line.warning != PlanningWarning.EMERGENCY)
    assert not expected - new, f"missing order-to-order supply: {expected - new}"
    if not any(d.kind in (DemandKind.FORECAST, DemandKind.BLANKET_ORDER) for d in scenario.demand):
        assert new == expected


@PLANNED_POLICIES
@PROPERTY
@given(data=st.data())
def test_timeline_agrees_with_lines(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """The timeline (tables and plots) tells the same story as the lines: one row per day of
    the planning period (from the effective start, §2.5), and its projected levels before and
    after are on hand + supply (the scenario's, or with the lines applied) − demand so far;
    the available levels leave out on-hand inventory when planning does not include it."""
    scenario = data.draw(scenarios(policy), label="scenario")
    result = planned(scenario)
    demand, start = netted_demand(scenario)
    end = scenario.planning.end
    rows = result.timeline_rows
    assert [row.date for row in rows] == [start + timedelta(days=i)
                                          for i in range((end - start).days + 1)]
    after = supply_after(scenario, result)
    before = [(s.due, s.qty) for s in scenario.supply]
    excluded = 0.0 if include_inventory(scenario) else scenario.inventory
    for row in rows:
        need = sum(q for due, q, _ in demand if due <= row.date)
        level_before = scenario.inventory + sum(q for due, q in before if due <= row.date) - need
        level_after_ = scenario.inventory + sum(q for due, q in after if due <= row.date) - need
        assert abs(row.projected_inventory_before - level_before) <= 1e-4, row
        assert abs(row.projected_inventory_after - level_after_) <= 1e-4, row
        assert abs(row.projected_available_after - (level_after_ - excluded)) <= 1e-4, row


# ============================================================================= 5. modifiers
@pytest.mark.parametrize("policy", [FIXED, MAXQ, LFL], ids=lambda p: p.value)
@PROPERTY
@given(data=st.data())
def test_new_lines_respect_order_modifiers(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """§9 "Where modifiers apply": a New line of Lot-for-Lot, Fixed or Max without a warning
    (or with only §11's "Starting Date before the work date" Attention, which says nothing
    about the quantity) is at least the Minimum Order Qty., a multiple of the Order Multiple
    and at most the Maximum Order Qty. -- except that the multiple may push it over the
    maximum (then by less than one multiple), and that the Max Order Qty. cap comes after the
    multiple on creation and increases (§4.3 "then capped", §4.5 step 7), so a line may be
    exactly the maximum although that is no multiple.

    Left out: transfer and Make-to-Order production replenishment (no modifiers at creation,
    §4.5 step 4), emergency and exception lines (warnings), overflow cuts (Attention).
    Order policy zeroes the modifiers (§1.3)."""
    scenario = data.draw(scenarios(policy), label="scenario")
    item = scenario.item
    assume(item.replenishment_system != ReplenishmentSystem.TRANSFER)
    assume(not (item.replenishment_system == ReplenishmentSystem.PROD_ORDER
                and item.manufacturing_policy == ManufacturingPolicy.MAKE_TO_ORDER))
    result = planned(scenario)
    minimum, maximum, multiple = (item.minimum_order_quantity, item.maximum_order_quantity,
                                  item.order_multiple)
    if maximum and maximum < minimum:      # §1.4 step 3
        maximum = minimum
    for line in result.planning_lines:
        if line.action != ActionMessage.NEW:
            continue
        if line.warning is not None and not starting_date_attention_only(line, scenario):
            continue
        assert line.qty >= minimum - EPS, f"{line.line_id}: {line.qty} < minimum {minimum}"
        is_max = bool(maximum) and abs(line.qty - maximum) <= EPS
        if multiple:
            ratio = line.qty / multiple
            assert is_max or abs(ratio - round(ratio)) <= 1e-6, (
                f"{line.line_id}: {line.qty} is no multiple of {multiple}")
        if maximum:
            assert line.qty <= maximum + EPS or (multiple and line.qty < maximum + multiple), (
                f"{line.line_id}: {line.qty} > maximum {maximum}")


# ============================================================================= 6. warnings
@ALL_POLICIES
@PROPERTY
@given(data=st.data())
def test_emergency_and_exception_lines(policy: ReorderingPolicy, data: st.DataObject) -> None:
    """§3.3, §8: there is one Emergency line exactly when available inventory at the start
    (on hand if included, plus frozen supply, less frozen demand; order-to-order demand has
    its own supply, §3.1) is negative: New, due the day before the start, of exactly the
    shortage (no modifiers). Exception lines come only from Fixed/Max (§4.5 step 3) or from
    the initial safety-stock check (§3.4: due on the start, safety stock in use)."""
    scenario = data.draw(scenarios(policy), label="scenario")
    result = planned(scenario)
    assume(not result.errors)
    demand, start = netted_demand(scenario)
    on_hand = scenario.inventory if include_inventory(scenario) else 0.0
    oto = ("sales_order", "component_need") if policy == ORDER else ()
    available = (on_hand + sum(s.qty for s in scenario.supply if s.due < start)
                 - sum(q for due, q, kind in demand if due < start and kind not in oto))
    emergency = [line for line in result.planning_lines
                 if line.warning == PlanningWarning.EMERGENCY]
    if policy == BLANK or available >= -EPS:
        assert emergency == []
    else:
        assert len(emergency) == 1
        line = emergency[0]
        assert line.action == ActionMessage.NEW and line.supply is None
        assert line.due == start - timedelta(days=1)
        assert abs(line.qty + available) <= 1e-4
    # The initial safety-stock order is created on the start (§3.4); like any unlimited supply
    # it can then be rescheduled in to the demand's target, the working day before a
    # non-working start (§4.2 -- the start is a Saturday when a forecast moved it, §2.5).
    ss = safety_stock(scenario)
    for line in result.planning_lines:
        if line.warning != PlanningWarning.EXCEPTION or policy in (FIXED, MAXQ):
            continue
        assert line.action == ActionMessage.NEW
        assert ss > 0, f"{line.line_id}: exception under {policy.value} without safety stock"
        assert line.due in (start, scenario.calendar.previous_working(start))
        assert (f"Exception: The projected available inventory is below Safety Stock Quantity "
                f"{ss:g} on {start.isoformat()}.") in line.message


# ============================================================================= scoped behaviour
def test_decrease_caps_existing_order_at_max_order_qty() -> None:
    """Why test_demand_is_covered sets aside existing orders above the Max Order Qty.: PO1
    (12) covers SO1 and SO2 (11); §4.4 cuts the 1 left over, giving 11, then the modifiers
    (§9: Max Order 10 < 11 and 10 > min_qty 0) and the step-8 cap make it 10, below the 11 it
    covers. This is the reference as written (§4.4 steps 3, 6, 8); whether BC really leaves
    the 1 short is not verified against BC."""
    scenario = Scenario.from_dict({
        "id": "decrease-capped-at-max-order-qty",
        "planning": {"start": date(2026, 1, 5), "end": date(2026, 1, 5)},
        "item": {"reordering_policy": "Lot-for-Lot", "maximum_order_quantity": 10},
        "demand": [{"id": "SO1", "kind": "sales_order", "due": date(2026, 1, 5), "qty": 1},
                   {"id": "SO2", "kind": "sales_order", "due": date(2026, 1, 5), "qty": 10}],
        "supply": [{"id": "PO1", "kind": "purchase_order", "due": date(2026, 1, 5), "qty": 12}],
    })
    result = plan(scenario)
    assert [(line.action, line.supply, line.qty) for line in result.planning_lines] == [
        (ActionMessage.CHANGE_QTY, "PO1", 10.0)]
    assert decrease_capped_at_max_order(scenario, result)


# ============================================================================= regressions
# Minimal examples the properties found, shrunk by hand. Each was an engine bug when found
# (then kept as a strict xfail); the engine fixes of commit 33f08f5 make them pass.
def test_regression_same_day_match_fixes_the_supply_date() -> None:
    """Bug 1 (found by test_demand_is_covered). §4.2: "After a successful match,
    S.fixed_date := S.due"; rule 6 then caps a reschedule out at that fixed date unless the lot
    accumulation period reaches the demand. PO1 covers SO1 on its own date (01-06); for SO2
    (01-10) the rescheduling period would allow the move, but the fixed date forbids it and
    the LAP (blank = 0D) does not reach: PO1 stays (nothing to cut) and SO2 gets a New 10
    (§4.4, §4.5). The engine used to move PO1 to 01-10 and grow it to 20, leaving SO1 bare."""
    scenario = Scenario.from_dict({
        "id": "bug-1-same-day-match-no-fixed-date",
        "planning": {"start": date(2026, 1, 5), "end": date(2026, 1, 31)},
        "item": {"reordering_policy": "Lot-for-Lot", "rescheduling_period": "2W"},
        "demand": [{"id": "SO1", "kind": "sales_order", "due": date(2026, 1, 6), "qty": 10},
                   {"id": "SO2", "kind": "sales_order", "due": date(2026, 1, 10), "qty": 10}],
        "supply": [{"id": "PO1", "kind": "purchase_order", "due": date(2026, 1, 6), "qty": 10}],
    })
    result = plan(scenario)
    assert [(line.action, line.supply, line.due, line.qty) for line in result.planning_lines] == [
        (ActionMessage.NEW, None, date(2026, 1, 10), 10.0)]


def test_regression_fixed_rpp_without_reorder_quantity_is_a_planning_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Bug 2 (found by test_plan_never_raises). §5.4 step 1 / §12.5: Fixed Reorder Qty. with a
    Reorder Quantity of 0 is an error for the SKU: no lines, the error logged. With RPP the
    exception order is sized by the Reorder Quantity (§4.5 step 6), here 0; the sale is on a
    Sunday, so that order is dated Friday (§4.2 target) and could not grow for it (§4.3): the
    engine used to create 0-quantity orders until its 200,000-round loop limit (~8 s)."""
    monkeypatch.setattr(planner_module, "LOOP_LIMIT", 2_000)
    scenario = Scenario.from_dict({
        "id": "bug-2-fixed-rpp-no-reorder-quantity",
        "planning": {"start": date(2026, 1, 5), "end": date(2026, 1, 11)},
        "setup": {"respect_planning_parameters": True},
        "calendar": {"nonworking_weekdays": ["Sat", "Sun"]},
        "item": {"reordering_policy": "Fixed Reorder Qty.", "time_bucket": "1W"},
        "demand": [{"id": "SO1", "kind": "sales_order", "due": date(2026, 1, 11), "qty": 2}],
        "supply": [{"id": "PO1", "kind": "purchase_order", "due": date(2026, 1, 5), "qty": 1}],
    })
    result = plan(scenario)
    assert result.errors and result.planning_lines == ()


def test_regression_max_rpp_zero_exception_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bug 2, Max variant (found by a loop scan). A forecast on Friday 2025-12-26 moves the
    start back to it (§2.5); the initial safety-stock order (§3.4, RPP: up to the Maximum
    Inventory, 2) covers the forecast and holds the safety stock; the blanket order on
    Saturday 12-27 (target Friday, §4.2) takes the rest. For the safety-stock demand of 12-27
    the RPP quantity Max Inventory − projected (§4.5 step 6) came out 0 (the engine counted the
    initial safety-stock order in P₀ and again as a reminder), the 0-order could not grow for a
    Saturday demand and the engine looped. Now: it plans, and the safety stock is kept."""
    monkeypatch.setattr(planner_module, "LOOP_LIMIT", 2_000)
    scenario = Scenario.from_dict({
        "id": "bug-2b-max-rpp-zero-exception-order",
        "planning": {"start": date(2026, 1, 5), "end": date(2026, 1, 5)},
        "setup": {"respect_planning_parameters": True},
        "calendar": {"nonworking_weekdays": ["Sat", "Sun"]},
        "item": {"reordering_policy": "Maximum Qty.", "maximum_inventory": 2,
                 "safety_stock_quantity": 1},
        "demand": [{"id": "BO1", "kind": "blanket_order", "due": date(2025, 12, 27), "qty": 1},
                   {"id": "FC1", "kind": "forecast", "due": date(2025, 12, 26), "qty": 1}],
    })
    result = plan(scenario)
    assert not result.errors
    assert all(line.action == ActionMessage.NEW and line.qty > 0
               for line in result.planning_lines)
    _, levels = level_after(scenario, result)
    assert min(levels.values()) >= 1
