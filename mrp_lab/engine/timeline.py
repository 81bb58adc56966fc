"""The projected-inventory timeline, before and after the suggestions (for tables and plots)."""

from __future__ import annotations

from datetime import date, timedelta

from ..model import DemandKind, ReorderingPolicy, Scenario
from ..result import PlanLine, TimelineRow
from .params import Parameters


def build_timeline(scenario: Scenario, params: Parameters, start: date,
                   lines: tuple[PlanLine, ...], demand: dict[date, float]) -> tuple[TimelineRow, ...]:
    """One row per day of the planning period.

    ``demand`` is the demand per date as planning saw it (forecast and blanket orders already
    netted). Everything dated before ``start`` is summed into the first row's opening level.
    """
    end = params.end
    on_hand = scenario.inventory
    excluded = 0.0 if params.include_inventory else on_hand
    before: dict[date, float] = {}
    for s in scenario.supply:
        before[s.due] = before.get(s.due, 0.0) + s.qty
    after = dict(before)
    changed = {line.supply: line for line in lines if line.supply}
    for s in scenario.supply:
        if s.id in changed:
            line = changed[s.id]
            after[s.due] -= s.qty
            after[line.due] = after.get(line.due, 0.0) + line.qty
    for line in lines:
        if not line.supply:
            after[line.due] = after.get(line.due, 0.0) + line.qty

    def opening(flows: dict[date, float]) -> float:
        return on_hand + sum(q for d, q in flows.items() if d < start) - sum(
            q for d, q in demand.items() if d < start)

    level_before, level_after = opening(before), opening(after)
    policy = params.policy
    rop_policy = policy in (ReorderingPolicy.FIXED_REORDER_QTY, ReorderingPolicy.MAXIMUM_QTY)
    rows = []
    day = start
    while day <= end:
        out = demand.get(day, 0.0)
        level_before += before.get(day, 0.0) - out
        level_after += after.get(day, 0.0) - out
        k = (day - start).days // params.bucket_days
        rows.append(TimelineRow(
            date=day, demand=out, supply_before=before.get(day, 0.0),
            supply_after=after.get(day, 0.0), projected_inventory_before=level_before,
            projected_available_before=level_before - excluded,
            projected_inventory_after=level_after,
            projected_available_after=level_after - excluded,
            bucket_start=start + timedelta(days=k * params.bucket_days) if rop_policy else None,
            reorder_point=params.reorder_point if rop_policy else None,
            safety_stock=params.safety_stock if params.safety_stock > 0 else None,
            maximum_inventory=(params.maximum_inventory
                               if policy == ReorderingPolicy.MAXIMUM_QTY else None),
            overflow_level=params.overflow_level if params.overflow_level > 0 else None))
        day += timedelta(days=1)
    return tuple(rows)


def demand_by_date(planner_demands, scenario: Scenario, end: date) -> dict[date, float]:
    """Real demand per date: sales and component orders as loaded, plus netted forecast and
    blanket-order demand as the planner built it."""
    totals: dict[date, float] = {}
    for d in scenario.demand:
        if d.kind in (DemandKind.SALES_ORDER, DemandKind.COMPONENT_NEED) and d.due <= end:
            totals[d.due] = totals.get(d.due, 0.0) + d.qty
    for r in planner_demands:
        if r.kind in ("forecast", "blanket_order"):
            totals[r.due] = totals.get(r.due, 0.0) + r.remaining
    return totals
