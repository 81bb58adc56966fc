"""Time the explore() widget's change → scenario → plan → redraw → PNG path on a one-year daily
scenario, per reordering policy. Prints p50/p95 per step; never asserts.

    .venv/bin/python benchmarks/bench_widgets.py            # 120 changes per policy
    .venv/bin/python benchmarks/bench_widgets.py -n 100 --json

Each change sets a real control's value on an ``Explorer`` (built without a browser), so the
timed path is exactly the widget's: observer → ``scenario_from_controls`` → ``mrp_lab.plan``
→ ``PlanDrawing.update`` → blitted Agg render → PNG into the Image widget → the warnings
and lines tables (sent after the figure; they are part of the timed change too).
The target is p95 ≤ 100 ms per change.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from mrp_lab.dates import DateFormula
from mrp_lab.model import (
    Demand,
    DemandKind,
    Item,
    PlanningPeriod,
    ReorderingPolicy,
    Scenario,
    Supply,
    SupplyKind,
)
from mrp_lab.widgets import Explorer, explore

START = date(2026, 1, 5)
DAYS = 365
TARGET_MS = 100.0

ITEMS = {
    "Fixed Reorder Qty.": Item(
        reordering_policy=ReorderingPolicy.FIXED_REORDER_QTY, reorder_point=60,
        reorder_quantity=120, safety_stock_quantity=20, time_bucket=DateFormula(1, "W"),
        lead_time_calculation=DateFormula(5, "D")),
    "Maximum Qty.": Item(
        reordering_policy=ReorderingPolicy.MAXIMUM_QTY, reorder_point=60, maximum_inventory=200,
        safety_stock_quantity=20, time_bucket=DateFormula(1, "W"),
        lead_time_calculation=DateFormula(5, "D")),
    "Order": Item(reordering_policy=ReorderingPolicy.ORDER,
                  lead_time_calculation=DateFormula(3, "D")),
    "Lot-for-Lot": Item(
        reordering_policy=ReorderingPolicy.LOT_FOR_LOT, safety_stock_quantity=20,
        rescheduling_period=DateFormula(1, "W"), lot_accumulation_period=DateFormula(1, "W"),
        lead_time_calculation=DateFormula(3, "D")),
}

# What each change touches: (control name, values to cycle through).
CHANGES = {
    "Fixed Reorder Qty.": [("reorder_point", [40, 60, 80, 100]),
                           ("reorder_quantity", [80, 120, 160]),
                           ("safety_stock_quantity", [0, 20, 40]),
                           ("time_bucket", ["1W", "2W", "3D"])],
    "Maximum Qty.": [("reorder_point", [40, 60, 80, 100]),
                     ("maximum_inventory", [150, 200, 300]),
                     ("safety_stock_quantity", [0, 20, 40]),
                     ("time_bucket", ["1W", "2W", "3D"])],
    "Order": [("lead_time_calculation", ["3D", "1W", "1D"]),
              ("dampener_period", ["", "2D", "1W"])],
    "Lot-for-Lot": [("lot_accumulation_period", ["1W", "2W", "3D", ""]),
                    ("rescheduling_period", ["1W", "2W", "0D"]),
                    ("safety_stock_quantity", [0, 20, 40]),
                    ("order_multiple", [0, 10, 25])],
}


def year_scenario(policy: str, seed: int = 7) -> Scenario:
    """365 daily sales orders (1–20 each) and four purchase orders over one year."""
    rng = random.Random(seed)
    demand = tuple(Demand(f"SO{i + 1:03d}", DemandKind.SALES_ORDER, START + timedelta(days=i),
                          float(rng.randint(1, 20))) for i in range(DAYS))
    supply = tuple(Supply(f"PO{k + 1}", SupplyKind.PURCHASE_ORDER,
                          START + timedelta(days=20 + 90 * k), 300.0) for k in range(4))
    return Scenario(id=f"bench-year-{policy}", title=f"One year, daily sales ({policy})",
                    planning=PlanningPeriod(START, START + timedelta(days=DAYS - 1)),
                    item=ITEMS[policy], inventory=100, demand=demand, supply=supply)


def change_steps(explorer: Explorer, policy: str, n: int, seed: int = 11
                 ) -> list[Callable[[], None]]:
    """n control changes: the policy's parameters in turn, and every third one an order's
    quantity or date (through the order selector, as a user would)."""
    rng = random.Random(seed)
    params = CHANGES[policy]
    steps: list[Callable[[], None]] = []
    order_keys = list(explorer.order_values)

    def set_control(name: str, values: list[Any]) -> Callable[[], None]:
        def step() -> None:
            control = explorer.controls[name]
            # the next value in the list that differs from the current one: a real change
            start = values.index(control.value) + 1 if control.value in values else 0
            control.value = next(v for v in values[start:] + values[:start]
                                 if v != control.value)
        return step

    def set_order(key: tuple[str, str], field: str, value: Any) -> Callable[[], None]:
        def step() -> None:
            if explorer.order_selector is not None:
                explorer.order_selector.value = key
            explorer.order_controls[key][field].value = value
        return step

    for i in range(n):
        if i % 3 == 2:
            key = rng.choice(order_keys)
            current = explorer.order_values[key]
            if rng.random() < 0.5:
                steps.append(set_order(key, "qty", float(rng.randint(0, 40))))
            else:
                steps.append(set_order(key, "due", current["due"] + timedelta(
                    days=rng.choice([-3, -1, 1, 2, 5]))))
        else:
            name, values = params[i % len(params)]
            steps.append(set_control(name, values))
    return steps


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run(policy: str, n: int, dpi: float) -> dict[str, Any]:
    scenario = year_scenario(policy)
    t0 = time.perf_counter()
    explorer = explore(scenario, dpi=dpi)
    first = time.perf_counter() - t0
    samples: dict[str, list[float]] = {k: [] for k in ("total", "plan", "draw", "encode",
                                                       "tables", "scenario")}
    lines, errors = [], 0
    for step in change_steps(explorer, policy, n):
        before = explorer.redraws
        t = time.perf_counter()
        step()
        total = time.perf_counter() - t
        if explorer.redraws == before:      # refused entry (should not happen here)
            errors += 1
            continue
        samples["total"].append(total * 1000)
        for key in ("plan", "draw", "encode", "tables", "scenario"):
            samples[key].append(explorer.timings[key] * 1000)
        lines.append(len(explorer.result.planning_lines) if explorer.result else 0)
        errors += explorer.error is not None
    stats = {key: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95), "max": max(v)}
             for key, v in samples.items() if v}
    blitter = explorer._blitter
    return {
        "policy": policy,
        "changes": len(samples["total"]),
        "first_render_ms": first * 1000,
        "full_redraws": blitter.full_draws,
        "layer_redraws": dict(zip(("dates", "quantities", "plot"), blitter.layer_draws,
                                  strict=True)),
        "lines_median": statistics.median(lines) if lines else 0,
        "errors": errors,
        "stats": stats,
        "meets_target": stats["total"]["p95"] <= TARGET_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=120, help="control changes per policy (≥ 50)")
    parser.add_argument("--policy", action="append", choices=list(ITEMS),
                        help="only this policy (repeatable); default: all four")
    parser.add_argument("--dpi", type=float, default=80, help="figure dpi (widget default 80)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    runs = [run(policy, args.n, args.dpi) for policy in args.policy or list(ITEMS)]
    if args.json:
        print(json.dumps({"machine": platform.machine(), "python": platform.python_version(),
                          "target_p95_ms": TARGET_MS, "runs": runs}, indent=2))
        return 0
    print(f"explore(): {DAYS} daily sales orders, 4 purchase orders; ms per control change "
          f"(p50 / p95); target p95 ≤ {TARGET_MS:.0f} ms")
    head = (f"{'policy':<19}{'n':>4}{'total':>15}{'plan':>15}{'draw':>13}{'render+png':>15}"
            f"{'tables':>13}{'lines':>7}{'full':>6}{'dates':>7}{'qty':>5}")
    print(head)
    print("-" * len(head))
    for r in runs:
        s = r["stats"]

        def cell(key: str, width: int, s: dict[str, Any] = s) -> str:
            return f"{s[key]['p50']:.0f} / {s[key]['p95']:.0f}".rjust(width)

        print(f"{r['policy']:<19}{r['changes']:>4}{cell('total', 15)}{cell('plan', 15)}"
              f"{cell('draw', 13)}{cell('encode', 15)}{cell('tables', 13)}"
              f"{r['lines_median']:>7.0f}{r['full_redraws']:>6}"
              f"{r['layer_redraws']['dates']:>7}{r['layer_redraws']['quantities']:>5}"
              f"{'' if r['meets_target'] else '  > target'}")
    print("draw = update the artists' data; render+png = blitted Agg render and PNG encode "
          "(the figure is\nsent here); tables = the warnings and lines HTML, sent after the "
          "figure; full = full redraws\n(the first one); dates, qty = times those axis layers "
          "were re-rendered (date range or title,\nquantity range changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
