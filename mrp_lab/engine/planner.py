"""The balancing engine for one item: profile, pre-balancing, the balancing loop, reorder points.

Section numbers (§) refer to the behavioural reference, ``shared/reference/planning-engine.md``.
Every decision goes through :meth:`Planner._record`, so the trace and each line's ``reason``
cannot drift from what the engine actually did. Plain Python only: no pandas here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from ..dates import DateFormula, calc
from ..errors import MrpLabError, PlanningError
from ..model import (
    DemandKind,
    PlanningFlexibility,
    PlanningWarning,
    ReplenishmentSystem,
    Scenario,
)
from ..result import Decision, TraceRow
from .modifiers import apply_modifiers
from .params import FIXED, LFL, MAXQ, ORDER, Parameters
from .records import (
    ATTR_NEW,
    ATTR_OTO,
    ATTR_REORDER,
    DEMAND_PRIORITY,
    EPS,
    INVENTORY_DATE,
    NEW_SUPPLY_KIND,
    SUPPLY_PRIORITY,
    Record,
)

NONE = PlanningFlexibility.NONE
UNLIMITED = PlanningFlexibility.UNLIMITED
REDUCE_ONLY = PlanningFlexibility.REDUCE_ONLY
LOOP_LIMIT = 200_000


def fmt(qty: float) -> str:
    """A quantity as a planner would write it: 90, 12.5, -10."""
    if abs(qty - round(qty)) < 1e-7:
        return str(round(qty))
    return f"{qty:.5f}".rstrip("0").rstrip(".")


def fdate(day: date | None) -> str:
    if day is None:
        return "(none)"
    return "0D (on hand)" if day == INVENTORY_DATE else day.isoformat()


def gt(a: float, b: float) -> bool:
    return a > b + EPS


def le(a: float, b: float) -> bool:
    return a <= b + EPS


@dataclass
class Reminder:
    """A pending change to projected inventory, not yet counted in a bucket (§5.2)."""

    date: date
    qty: float
    is_supply: bool
    safety_stock: bool
    key: str


class Planner:
    """Plans one scenario. Use :func:`mrp_lab.engine.plan`, not this class directly."""

    def __init__(self, scenario: Scenario, params: Parameters) -> None:
        self.scenario = scenario
        self.p = params
        self.start = params.start            # effective planning start (forecast may move it, §2.5)
        self.end = params.end
        self.rop = params.reorder_point_planning
        self.trace: list[TraceRow] = []       # see mrp_lab.result.Trace
        self.demands: list[Record] = []       # main-loop demand, sorted
        self.supplies: list[Record] = []      # supply timeline, sorted
        self.finished: list[Record] = []      # supplies that left the timeline (lines come from here)
        self.reminders: list[Reminder] = []
        self.skipped: set[int] = set()        # supplies the cursor passed for the current SS demand
        self.anchor: date | None = None       # split anchor L (§4.6)
        self.last = 0.0                       # projected inventory at the last checked bucket
        self.bucket_start = params.start
        self.future_in_lead_time = 0.0
        self.p0 = 0.0
        self.a0 = 0.0
        self._seq = 0
        self._new = 0

    # ------------------------------------------------------------------ recording
    def _record(self, decision: Decision, rule: str, text: str, *, on: Record | None = None,
                demand: Record | None = None, day: date | None = None, explains: bool = False,
                **values: object) -> None:
        """The one place an engine decision is written down (trace, and the line's reason)."""
        supply_key = on.key if on is not None and on.is_supply else None
        demand_key = demand.key if demand is not None else (
            on.key if on is not None and not on.is_supply else None)
        row = [decision.value, rule, text, None if day == INVENTORY_DATE else day, supply_key,
               demand_key]
        for k, v in values.items():
            row += (k, float(v) if type(v) is int else v)
        self.trace.append(tuple(row))
        if explains and on is not None:
            on.reasons.append(text)

    # ------------------------------------------------------------------ helpers
    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _new_key(self) -> str:
        self._new += 1
        return f"NEW{self._new}"

    def _insert(self, timeline: list[Record], record: Record) -> None:
        key = record.sort_key
        index = len(timeline)
        while index > 0 and timeline[index - 1].sort_key > key:
            index -= 1
        timeline.insert(index, record)

    def _lap_end(self, day: date) -> date:
        return calc(self.p.lot_accumulation_period, day)

    def _target(self, demand: Record) -> date:
        """§4.2: for purchased items, a demand on a non-working day is met the working day before."""
        if self.p.replenishment_system == ReplenishmentSystem.PURCHASE:
            return self.scenario.calendar.previous_working(demand.due)
        return demand.due

    def _modifiers(self, qty: float, floor: float = 0.0) -> float:
        p = self.p
        return apply_modifiers(qty, min_qty=floor, maximum_order_quantity=p.maximum_order_quantity,
                               minimum_order_quantity=p.minimum_order_quantity,
                               order_multiple=p.order_multiple)

    def _days(self, formula: DateFormula) -> int:
        """Backward scheduling turns a formula into days counted from the work date (§6)."""
        return formula.days_from(self.p.work_date)

    def backward_dates(self, due: date) -> tuple[date, date]:
        """Starting and ending date of supply due on ``due``, scheduled backward (§6)."""
        cal = self.scenario.calendar
        offset = self._days(self.p.inbound_handling) + self._days(self.p.safety_lead_time)
        ending = cal.previous_working(due - timedelta(days=offset))
        starting = cal.previous_working(ending - timedelta(days=self._days(self.p.lead_time)))
        return starting, ending

    def forward_dates(self, start: date) -> tuple[date, date, date]:
        """Starting, ending and due date of supply that starts on ``start`` (§5.4, §6)."""
        cal = self.scenario.calendar
        starting = cal.next_working(start)
        ending = cal.next_working(self.p.lead_time.apply(starting))
        due = cal.next_working(self.p.safety_lead_time.apply(self.p.inbound_handling.apply(ending)))
        return starting, ending, due

    def _new_supply(self, due: date, qty: float, *, serves: Record | None = None,
                    exception: bool = False, attr: int = ATTR_NEW) -> Record:
        kind = NEW_SUPPLY_KIND[self.p.replenishment_system.value]
        record = Record(key=self._new_key(), is_supply=True, kind=kind, due=due, remaining=qty,
                        seq=self._next_seq(), attr_priority=attr,
                        order_priority=SUPPLY_PRIORITY[kind], is_new=True, exception=exception,
                        min_qty=qty, max_qty=self.p.maximum_order_quantity, fixed_date=due,
                        serves=serves.key if serves is not None else None)
        return record

    # ------------------------------------------------------------------ §2 profile
    def build_profile(self) -> None:
        p, sc = self.p, self.scenario
        sales: list[Record] = []
        for d in sc.demand:
            if d.kind in (DemandKind.FORECAST, DemandKind.BLANKET_ORDER):
                continue
            if d.due > self.end:
                self._record(Decision.PROFILE, "§2.1",
                             f"{d.id} ({fmt(d.qty)} due {fdate(d.due)}) lies after the planning "
                             f"end {fdate(self.end)}: not loaded.", day=d.due)
                continue
            sales.append(Record(key=d.id, is_supply=False, kind=d.kind.value, due=d.due,
                                remaining=d.qty, seq=self._next_seq(),
                                order_priority=DEMAND_PRIORITY[d.kind.value]))
        self.demands = sales + self._net_forecast(sales) + self._net_blanket_orders()

        if sc.inventory and not p.include_inventory:
            self._record(Decision.PROFILE, "§2.4",
                         f"Include Inventory is off: the {fmt(sc.inventory)} on hand is left out "
                         "of planning.", inventory=sc.inventory)
        elif sc.inventory > 0:
            self.supplies.append(Record(
                key="INVENTORY", is_supply=True, kind="inventory", due=INVENTORY_DATE,
                remaining=sc.inventory, seq=self._next_seq(), order_priority=100,
                flexibility=NONE, is_inventory=True))
        elif sc.inventory < 0:
            self.demands.append(Record(
                key="NEGATIVE_INVENTORY", is_supply=False, kind="negative_inventory",
                due=INVENTORY_DATE, remaining=-sc.inventory, seq=self._next_seq(),
                order_priority=DEMAND_PRIORITY["negative_inventory"]))

        for s in sc.supply:
            flex = PlanningFlexibility(s.planning_flexibility.value)
            if s.due > self.end and flex != NONE:
                flex = NONE
                self._record(Decision.PROFILE, "§2.3",
                             f"{s.id} is due {fdate(s.due)}, after the planning end: planning "
                             "will not change it.", day=s.due)
            priority = SUPPLY_PRIORITY[s.kind.value]
            if s.kind.value == "production_order" and s.released:
                priority = 400
            if flex != UNLIMITED:
                priority = 100 + priority // 10      # §2.6 re-ranking of inflexible supply
            self.supplies.append(Record(
                key=s.id, is_supply=True, kind=s.kind.value, due=s.due, remaining=s.qty,
                seq=self._next_seq(), order_priority=priority, flexibility=flex,
                released=s.released))

        if p.policy == ORDER:
            self._order_to_order()
        self.demands.sort(key=lambda r: r.sort_key)
        self.supplies.sort(key=lambda r: r.sort_key)

    def _net_forecast(self, sales: list[Record]) -> list[Record]:
        """§2.5: a forecast period's quantity less the sales orders due inside it."""
        totals: dict[date, float] = {}
        for d in self.scenario.demand:
            if d.kind == DemandKind.FORECAST and d.due <= self.end:
                totals[d.due] = totals.get(d.due, 0.0) + d.qty
        dates = sorted(day for day, qty in totals.items() if qty > 0)
        if not dates:
            return []
        before = [day for day in dates if day <= self.start]
        dates = dates[dates.index(before[-1]):] if before else dates
        result: list[Record] = []
        for index, first in enumerate(dates):
            last = dates[index + 1] - timedelta(days=1) if index + 1 < len(dates) else self.end
            remainder = totals[first]
            for s in sales:
                if s.kind == "sales_order" and first <= s.due <= last and remainder >= 0:
                    blanket = next((d.blanket_order for d in self.scenario.demand
                                    if d.id == s.key), None)
                    if blanket is None:
                        remainder -= s.remaining
            self._record(Decision.PROFILE, "§2.5",
                         f"Forecast {fmt(totals[first])} for {fdate(first)}..{fdate(last)} less "
                         f"sales orders in the period leaves {fmt(max(remainder, 0))}.",
                         day=first, forecast=totals[first], remainder=max(remainder, 0.0))
            if remainder > EPS:
                result.append(Record(key=f"FORECAST@{first.isoformat()}", is_supply=False,
                                     kind="forecast", due=first, remaining=remainder,
                                     seq=self._next_seq(), order_priority=800))
                if first < self.start:
                    self._record(Decision.PROFILE, "§2.5",
                                 f"The forecast period starts {fdate(first)}, before the planning "
                                 f"start: the planning start moves back to it.", day=first)
                    self.start = first
                    self.bucket_start = first
        return result

    def _net_blanket_orders(self) -> list[Record]:
        """§2.5: a blanket order's quantity not yet released as sales orders."""
        result = []
        for b in self.scenario.demand:
            if b.kind != DemandKind.BLANKET_ORDER or b.due > self.end:
                continue
            released = sum(d.qty for d in self.scenario.demand
                           if d.kind == DemandKind.SALES_ORDER and d.blanket_order == b.id)
            rest = b.qty - released
            self._record(Decision.PROFILE, "§2.5",
                         f"Blanket order {b.id}: {fmt(b.qty)} less {fmt(released)} released as "
                         f"sales orders leaves {fmt(max(rest, 0))}.", day=b.due)
            if rest > EPS:
                result.append(Record(key=b.id, is_supply=False, kind="blanket_order", due=b.due,
                                     remaining=rest, seq=self._next_seq(), order_priority=700))
        return result

    def _order_to_order(self) -> None:
        """§3.1: under Order every sales/component demand gets its own linked supply."""
        kept = []
        for d in self.demands:
            if d.kind in ("forecast", "blanket_order", "negative_inventory"):
                kept.append(d)
                continue
            supply = self._new_supply(self._target(d), d.remaining, serves=d, attr=ATTR_OTO)
            supply.is_oto = True
            supply.min_qty = 0.0
            self._record(Decision.CREATE, "§3.1",
                         f"New {fmt(d.remaining)} due {fdate(supply.due)} linked order-to-order "
                         f"to {d.label} (Order policy: one supply per demand, exact quantity, no "
                         "order modifiers)", on=supply, demand=d, day=supply.due, explains=True,
                         qty=d.remaining)
            self.finished.append(supply)
        self.demands = kept

    def add_safety_stock_demands(self) -> None:
        """§2.7: a safety-stock demand on the planning start and on every date with demand."""
        ss = self.p.safety_stock
        if ss <= 0:
            return
        days = {d.due for d in self.demands if self.start <= d.due <= self.end}
        days.add(self.start)
        for day in sorted(days):
            self.demands.append(Record(key=f"SAFETY_STOCK@{day.isoformat()}", is_supply=False,
                                       kind="safety_stock", due=day, remaining=ss,
                                       seq=self._next_seq(), order_priority=1000,
                                       safety_stock=True))
        self.demands.sort(key=lambda r: r.sort_key)
        self._record(Decision.SAFETY_STOCK, "§2.7",
                     f"Safety stock {fmt(ss)} is kept as a demand on {len(days)} date(s): the "
                     "planning start and every date with demand, after that day's real demand.",
                     safety_stock=ss, dates=len(days))

    def protect_existing_supply(self) -> None:
        """§2.3: under reorder-point planning existing non-OTO supply is Reduce Only."""
        for s in self.supplies:
            if not s.is_new and s.flexibility == UNLIMITED:
                s.flexibility = REDUCE_ONLY
                s.order_priority = 100 + s.order_priority // 10
                self._record(Decision.PROFILE, "§2.3",
                             f"{s.label} may only be reduced: under a reorder-point policy planning "
                             "never moves or grows existing supply.", on=s, day=s.due)
        self.supplies.sort(key=lambda r: r.sort_key)

    # ------------------------------------------------------------------ §3 pre-balancing
    def frozen_zone(self) -> None:
        """§3.2: net everything dated before the planning start into P0 (projected) and A0."""
        frozen_supply = [s for s in self.supplies if s.due < self.start]
        frozen_demand = [d for d in self.demands if d.due < self.start]
        self.p0 = sum(s.remaining for s in frozen_supply) - sum(d.remaining for d in frozen_demand)
        self.a0 = sum(s.untracked for s in frozen_supply) - sum(d.untracked for d in frozen_demand)
        need = sum(d.untracked for d in frozen_demand)
        for s in frozen_supply:
            take = min(s.untracked, need)
            s.untracked -= take
            need -= take
            s.flexibility = NONE
            s.is_frozen = True
        for d in frozen_demand:
            self.demands.remove(d)
        for s in frozen_supply:
            if not s.is_inventory and s.untracked <= EPS:
                self.supplies.remove(s)
        self.demands = [d for d in self.demands if d.due <= self.end]
        self._record(Decision.FROZEN_ZONE, "§3.2",
                     f"Before the planning start {fdate(self.start)}: "
                     f"{fmt(sum(s.remaining for s in frozen_supply))} on hand or due, "
                     f"{fmt(sum(d.remaining for d in frozen_demand))} demanded, so projected "
                     f"inventory starts at {fmt(self.p0)} and available inventory at "
                     f"{fmt(self.a0)}.", day=self.start, projected=self.p0, available=self.a0)

    def emergency(self) -> None:
        """§3.3: available inventory below zero at the start gets an exact emergency order."""
        if self.a0 >= -EPS:
            return
        qty = -self.a0
        due = self.start - timedelta(days=1)
        record = self._new_supply(due, qty)
        record.flexibility = NONE
        record.min_qty = 0.0
        record.warn(PlanningWarning.EMERGENCY,
                    f"Emergency: The projected available inventory is {fmt(self.a0)} on the "
                    f"planning starting date {fdate(self.start)}.")
        self._record(Decision.EMERGENCY, "§3.3",
                     f"Projected available inventory is {fmt(self.a0)} before the planning start "
                     f"{fdate(self.start)}: an emergency order of exactly {fmt(qty)} due "
                     f"{fdate(due)} (no order modifiers)", on=record, day=due, explains=True,
                     available=self.a0, qty=qty)
        self.p0 += qty
        self.a0 += qty
        self.finished.append(record)

    def initial_safety_stock(self) -> None:
        """§3.4: start below safety stock → exception supply at the planning start."""
        ss = self.p.safety_stock
        if ss <= 0 or self.a0 >= ss - EPS:
            return
        on_start = sum(s.untracked for s in self.supplies if s.due == self.start)
        x = self.a0 + on_start
        if x >= ss - EPS:
            self._record(Decision.SAFETY_STOCK, "§3.4",
                         f"Available {fmt(self.a0)} plus {fmt(on_start)} due on the planning start "
                         f"reaches the safety stock {fmt(ss)}: no initial order.", day=self.start)
            return
        p = self.p
        target = (p.reorder_point if p.policy == FIXED and p.respect_planning_parameters else ss) - x
        orders: list[float] = []
        if not p.respect_planning_parameters:
            orders.append(ss - x)
        else:
            if p.reorder_point_planning:
                self._require_reorder_parameters()
            made = 0.0
            while made < target - EPS or (p.policy == FIXED and abs(made - target) <= EPS):
                if p.policy == FIXED:
                    qty = p.reorder_quantity
                elif p.policy == MAXQ:
                    qty = p.maximum_inventory - (x + made)
                else:
                    qty = target - made
                qty = self._modifiers(qty)
                if qty <= EPS:
                    break
                orders.append(qty)
                made += qty
        for qty in orders:
            record = self._new_supply(self.start, qty, exception=True)
            record.safety_stock = True
            if not p.respect_planning_parameters:
                record.min_qty = 0.0     # §0: only the safety-stock allocation protects it
            record.warn(PlanningWarning.EXCEPTION,
                        "Exception: The projected available inventory is below Safety Stock "
                        f"Quantity {fmt(ss)} on {fdate(self.start)}.")
            self._record(Decision.SAFETY_STOCK, "§3.4",
                         f"Available inventory {fmt(x)} at the planning start is below the safety "
                         f"stock {fmt(ss)}: exception order of {fmt(qty)} due "
                         f"{fdate(self.start)}", on=record, day=self.start, explains=True,
                         available=x, safety_stock=ss, qty=qty)
            self._insert(self.supplies, record)
            self.p0 += qty
            self.a0 += qty

    def initial_reorder_point(self) -> None:
        """§3.5: projected inventory plus first-bucket supply at or below the reorder point."""
        b_end = self.start + timedelta(days=self.p.bucket_days - 1)
        s1 = sum(s.remaining for s in self.supplies
                 if self.start <= s.due <= b_end and not s.is_oto and not s.safety_stock)
        crossed = le(self.p0 + s1, self.p.reorder_point)
        self._record(Decision.INITIAL_REORDER, "§3.5",
                     f"Projected inventory {fmt(self.p0)} plus {fmt(s1)} due in the first bucket "
                     f"{fdate(self.start)}..{fdate(b_end)} is {fmt(self.p0 + s1)}: "
                     f"{'at or below' if crossed else 'above'} the reorder point "
                     f"{fmt(self.p.reorder_point)}.", day=self.start, projected=self.p0,
                     first_bucket_supply=s1, reorder_point=self.p.reorder_point, crossed=crossed)
        if crossed:
            self.create_reorder_supply(self.start, self.p0, (None, None))

    def initial_overflow(self) -> None:
        """§3.6 and §7.2: cut existing supply that would lift a bucket above the overflow level,
        then protect existing supply from being decreased by normal balancing."""
        level_cap = self.p.overflow_level
        if level_cap <= 0:
            for s in self.supplies:
                if not s.exception:
                    s.min_qty = max(s.min_qty, s.remaining)
            return
        B = self.p.bucket_days
        candidates = [s for s in self.supplies
                      if not s.exception and self.start <= s.due <= self.end]
        buckets = sorted({(s.due - self.start).days // B for s in candidates})
        normal = [d for d in self.demands if not d.safety_stock]
        level = self.p0
        last_end = self.start - timedelta(days=1)
        for k in buckets:
            b_start = self.start + timedelta(days=k * B)
            b_end = b_start + timedelta(days=B - 1)
            level -= sum(d.remaining for d in normal if last_end < d.due < b_start)
            level = max(level, 0.0)
            in_bucket = [s for s in candidates if b_start <= s.due <= b_end]
            level += sum(s.remaining for s in in_bucket)
            level -= sum(d.remaining for d in normal if b_start <= d.due <= b_end)
            overflow = level - level_cap
            self._record(Decision.OVERFLOW, "§7.2",
                         f"Bucket {fdate(b_start)}..{fdate(b_end)}: projected inventory "
                         f"{fmt(level)} against the overflow level {fmt(level_cap)}"
                         f"{': ' + fmt(overflow) + ' too much' if overflow > EPS else ''}.",
                         day=b_end, projected=level, overflow_level=level_cap,
                         bucket_start=b_start, bucket_end=b_end)
            for s in sorted(in_bucket, key=lambda r: r.sort_key, reverse=True):
                if overflow <= EPS:
                    break
                s.min_qty = 0.0
                old = s.remaining
                new = self._decreased_qty(s, overflow)
                achieved = old - new if new is not None else 0.0
                if overflow - achieved > EPS and not s.is_reorder and self._cut_allowed(s, old):
                    new = 0.0
                if new is None or abs(new - old) <= EPS:
                    self._record(Decision.OVERFLOW, "§7.2",
                                 f"{s.label} cannot be cut (flexibility, dampener quantity or order "
                                 "modifiers).", on=s, day=s.due)
                    continue
                self._set_qty(s, new)
                message = (f"The projected inventory {fmt(level)} is higher than the overflow "
                           f"level {fmt(level_cap)} on {fdate(b_end)}.")
                s.warn(PlanningWarning.ATTENTION, message)
                verb = "Cancelled" if new <= EPS else f"Cut from {fmt(old)} to {fmt(new)}"
                self._record(Decision.OVERFLOW, "§7.2",
                             f"{verb}: the projected inventory {fmt(level)} would exceed the "
                             f"overflow level {fmt(level_cap)} at the end of the bucket "
                             f"{fdate(b_start)}..{fdate(b_end)}", on=s, day=b_end,
                             explains=True, old_qty=old, new_qty=new, projected=level)
                overflow -= old - new
                level -= old - new
            for s in in_bucket:
                s.min_qty = s.remaining
            level = max(level, 0.0)
            last_end = b_end
        for s in self.supplies:
            if not s.exception and not (self.start <= s.due <= self.end):
                s.min_qty = max(s.min_qty, s.remaining)

    # ------------------------------------------------------------------ quantities
    def _set_qty(self, s: Record, new: float) -> None:
        if s.original_qty is None:
            s.original_qty = s.remaining
        delta = new - s.remaining
        s.remaining = new
        s.untracked = max(0.0, s.untracked + delta)
        if s.ss_alloc > s.untracked:
            s.ss_alloc = s.untracked
        if not s.is_new:
            s.qty_changed = True

    def _set_due(self, s: Record, new: date) -> None:
        if new == s.due:
            return
        if s.original_due is None:
            s.original_due = s.due
        s.due = new
        if not s.is_new:
            s.rescheduled = True
        self.supplies.remove(s)
        self._insert(self.supplies, s)

    def _cut_allowed(self, s: Record, cut: float) -> bool:
        return s.flexibility != NONE and gt(cut, self.p.dampener_quantity)

    def _decreased_qty(self, s: Record, wanted: float) -> float | None:
        """§4.4 steps 1–8: the quantity ``s`` may be cut to, or None when nothing may be cut."""
        cut = min(wanted, s.untracked, s.remaining - s.min_qty, s.untracked - s.ss_alloc)
        if cut <= EPS or le(cut, self.p.dampener_quantity) or s.flexibility == NONE:
            return None
        new = s.remaining - cut
        new = min(self._modifiers(new, s.min_qty), s.remaining)
        if not s.is_new and abs(s.remaining - new) < self.p.dampener_quantity - EPS:
            return None
        if s.max_qty > 0:
            new = min(new, s.max_qty)
        if new >= s.remaining - EPS:
            return None
        return new

    # ------------------------------------------------------------------ §5 reorder points
    def _post_demand_reminder(self, d: Record) -> None:
        if self.rop and not d.safety_stock:
            self.reminders.append(Reminder(d.due, d.remaining, False, False, d.key))
            self._record(Decision.REMINDER, "§5.2",
                         f"Decrease reminder of {fmt(d.remaining)} posted for {d.label} on "
                         f"{fdate(d.due)}.", demand=d, day=d.due, qty=-d.remaining)

    def _post_supply_reminder(self, s: Record, qty: float, partial: bool) -> None:
        if not self.rop or s.is_inventory or s.is_frozen or s.due < self.bucket_start:
            return
        self.reminders = [r for r in self.reminders if r.key != s.key]
        if qty <= EPS:
            return
        self.reminders.append(Reminder(s.due, qty, True, s.safety_stock, s.key))
        self._record(Decision.REMINDER, "§5.2",
                     f"Increase reminder of {fmt(qty)} posted for {s.label} on {fdate(s.due)}"
                     f"{' (the part used so far)' if partial else ''}.", on=s, day=s.due, qty=qty)

    def bucket_check(self, until: date) -> bool:
        """§5.3: count reminders bucket by bucket for buckets ending before ``until``.

        Returns True when a crossing created reorder-point supply (the loop then restarts).
        """
        if not self.rop:
            return False
        until = max(until, self.start)
        B = self.p.bucket_days
        rop = self.p.reorder_point
        while True:
            first = min((r.date for r in self.reminders), default=until)
            first = max(first, self.bucket_start)
            k = (first - self.start).days // B
            b_start = self.start + timedelta(days=k * B)
            self.bucket_start = max(self.bucket_start, b_start)
            b_end = b_start + timedelta(days=B - 1)
            if not self.reminders or b_end >= until:
                return False
            taken = [r for r in self.reminders if r.date <= b_end]
            self.reminders = [r for r in self.reminders if r.date > b_end]
            supply_in = sum(r.qty for r in taken if r.is_supply and not r.safety_stock)
            demand_out = sum(r.qty for r in taken if not r.is_supply)
            before = self.last
            new = before + supply_in - demand_out
            self.future_in_lead_time = max(0.0, self.future_in_lead_time - supply_in)
            passed = gt(before + supply_in, rop) and le(new, rop)
            stays_low = le(new + self.future_in_lead_time, rop)
            crossed = passed or stays_low
            self.last = new
            self.bucket_start = b_end + timedelta(days=1)
            if passed:
                verdict = f"crossed the reorder point {fmt(rop)}"
            elif stays_low:
                verdict = (f"at or below the reorder point {fmt(rop)} even with "
                           f"{fmt(self.future_in_lead_time)} still to arrive within lead time")
            else:
                verdict = f"not crossed (reorder point {fmt(rop)})"
            self._record(Decision.BUCKET, "§5.3",
                         f"Bucket {fdate(b_start)}..{fdate(b_end)}: {fmt(before)} + "
                         f"{fmt(supply_in)} in − {fmt(demand_out)} out = {fmt(new)}: {verdict}.",
                         day=b_end, bucket_start=b_start, bucket_end=b_end, projected_before=before,
                         supply_in=supply_in, demand_out=demand_out, projected=new,
                         future_supply_in_lead_time=self.future_in_lead_time, crossed=crossed)
            if crossed:
                return self.create_reorder_supply(b_end + timedelta(days=1), new, (b_start, b_end))

    def _require_reorder_parameters(self) -> None:
        """§5.4 step 1, pitfall 5: without a Reorder Quantity (Fixed) or a Maximum Inventory above
        the Reorder Point (Max) Business Central cannot size an order and stops planning the SKU."""
        p = self.p
        if p.policy == FIXED and p.reorder_quantity <= 0:
            raise PlanningError("Fixed Reorder Qty. needs a Reorder Quantity above 0: "
                                "Business Central stops planning this item.")
        if p.policy == MAXQ and p.maximum_inventory <= p.reorder_point + EPS:
            entered = self.scenario.item.maximum_inventory
            cleared = (f" (the item's {fmt(entered)} was cleared to 0 because it is below the "
                       "reorder point or the safety stock, §1.4)"
                       if entered and entered != p.maximum_inventory else "")
            raise PlanningError(
                f"Maximum Qty. needs a Maximum Inventory above the Reorder Point "
                f"({fmt(p.maximum_inventory)} is not above {fmt(p.reorder_point)}){cleared}: "
                "Business Central stops planning this item.")

    def create_reorder_supply(self, start: date, projected: float,
                              bucket: tuple[date | None, date | None]) -> bool:
        """§5.4: forward-scheduled supply from ``start`` that lifts projected inventory above the
        reorder point (Fixed: the reorder quantity; Max: up to the maximum inventory)."""
        p = self.p
        rop = p.reorder_point
        self._require_reorder_parameters()
        if p.policy == FIXED:
            qty = p.reorder_quantity
            rule_text = f"the reorder quantity {fmt(p.reorder_quantity)}"
        else:
            qty = p.maximum_inventory - projected
            rule_text = (f"up to the maximum inventory {fmt(p.maximum_inventory)} "
                         f"({fmt(p.maximum_inventory)} − {fmt(projected)})")
        if p.reorder_quantity > 0 and le(qty, rop - projected):
            qty = math.ceil((rop - projected) / p.reorder_quantity + 1e-9) * p.reorder_quantity
            rule_text += f", raised to {fmt(qty)} to get strictly above the reorder point"
        starting, ending, due = self.forward_dates(start)
        window = sum(s.remaining for s in self.supplies
                     if start <= s.due <= due and not s.is_oto and not s.safety_stock)
        window += sum(r.qty for r in self.reminders if r.is_supply and start <= r.date <= due)
        where = (f"in the bucket {fdate(bucket[0])}..{fdate(bucket[1])}" if bucket[0]
                 else "at the planning start")
        if gt(projected + window, rop):
            self._record(Decision.SKIP, "§5.4",
                         f"Projected inventory {fmt(projected)} {where} plus {fmt(window)} already "
                         f"due by {fdate(due)} is above the reorder point {fmt(rop)}: no "
                         "reorder-point order is needed.", day=start, projected=projected,
                         supply_in_lead_time=window)
            return False
        if window > EPS:
            qty = max(qty - window, p.reorder_quantity) if p.policy == FIXED else qty - window
            rule_text += f", less {fmt(window)} already due within the lead time"
        self.future_in_lead_time = window
        created: list[Record] = []
        while qty > EPS:
            order_qty = self._modifiers(qty)
            record = self._new_supply(due, order_qty, attr=ATTR_REORDER)
            record.order_priority = 1000
            record.is_reorder = True
            record.forward = True
            record.starting_date, record.ending_date = starting, ending
            split = f" (split at the maximum order quantity {fmt(p.maximum_order_quantity)})" if (
                p.maximum_order_quantity and order_qty < qty - EPS) else ""
            self._record(Decision.REORDER, "§5.4",
                         f"Projected inventory {fmt(projected)} {where} is at or below the reorder "
                         f"point {fmt(rop)}: order {fmt(order_qty)} ({rule_text}){split}, "
                         f"forward-scheduled from {fdate(starting)} to arrive {fdate(due)}",
                         on=record, day=due, explains=True, projected=projected, qty=order_qty)
            self._insert(self.supplies, record)
            self.future_in_lead_time += order_qty
            qty -= order_qty
            created.append(record)
        if created:
            self.forward_overflow(created, projected)
        return bool(created)

    def forward_overflow(self, created: list[Record], projected: float) -> None:
        """§7.3: after a new order, cut later supply that would lift inventory above overflow.

        As in Business Central, demand between the new order and the later supply is ignored.
        """
        cap = self.p.overflow_level
        if cap <= 0:
            return
        budget = sum(r.remaining for r in created)
        day = created[0].due
        level = projected + budget
        for s in list(self.supplies):
            if budget <= EPS:
                break
            if s in created or not (day < s.due <= self.end) or s.remaining <= EPS:
                continue
            if s.flexibility == NONE:
                continue
            level += s.original_qty if s.original_qty is not None else s.remaining
            if not gt(level, cap):
                continue
            cut = min(level - cap, budget, s.remaining)
            old = s.remaining
            self._set_qty(s, old - cut)
            s.min_qty = min(s.min_qty, s.remaining)
            s.warn(PlanningWarning.ATTENTION,
                   f"The projected inventory {fmt(level)} is higher than the overflow level "
                   f"{fmt(cap)} on {fdate(s.due)}.")
            verb = "Cancelled" if s.remaining <= EPS else f"Cut from {fmt(old)} to {fmt(s.remaining)}"
            self._record(Decision.OVERFLOW, "§7.3",
                         f"{verb}: with the new order of {fmt(budget)} the projected inventory "
                         f"{fmt(level)} would exceed the overflow level {fmt(cap)} on "
                         f"{fdate(s.due)}", on=s, day=s.due, explains=True, old_qty=old,
                         new_qty=s.remaining, projected=level)
            budget -= cut
            level -= cut

    # ------------------------------------------------------------------ §4 balancing loop
    def _first_supply(self) -> Record | None:
        for s in self.supplies:
            if id(s) not in self.skipped:
                return s
        return None

    def balance(self) -> None:
        """§4.1: walk demand and supply in date order until both are used up."""
        current: Record | None = None
        for _ in range(LOOP_LIMIT):
            demand = self.demands[0] if self.demands else None
            if demand is not current:
                self.skipped.clear()
                current = demand
            supply = self._first_supply()
            if demand is not None and demand.untracked <= EPS:
                self.close_demand(demand, None)
            elif demand is not None and supply is not None:
                self.match_dates(demand, supply)
            elif demand is not None:
                self.create_supply(demand)
            elif supply is not None:
                if self.rop and self.bucket_check(supply.due):
                    continue
                self.reduce_supply(supply, None)
            else:
                if self.rop and self.bucket_check(self.end):
                    continue
                return
        raise MrpLabError("the balancing loop did not finish: this is a bug in mrp_lab, "
                          "please report the scenario")

    def match_dates(self, d: Record, s: Record) -> None:
        """§4.2: bring supply and demand to the same date, or decide they cannot be."""
        p = self.p
        if self.rop and self.bucket_check(min(s.due, d.due)):
            return
        target = self._target(d)
        if s.due > target:
            if s.flexibility == UNLIMITED and calc(p.rescheduling_period, target) >= s.due:
                old = s.due
                self._set_due(s, target)
                s.fixed_date = s.due
                self._record(Decision.RESCHEDULE, "§4.2",
                             f"Rescheduled in from {fdate(old)} to {fdate(target)} for {d.label} "
                             f"(within the rescheduling period {p.rescheduling_period})",
                             on=s, demand=d, day=target, explains=True, old_due=old, new_due=target)
                self.match_quantity(d, s)
                return
            why = ("planning may not move it" if s.flexibility != UNLIMITED else
                   f"{fdate(target)} + rescheduling period {p.rescheduling_period} does not "
                   f"reach {fdate(s.due)}")
            self._record(Decision.SKIP, "§4.2",
                         f"{s.label} due {fdate(s.due)} is later than {d.label} on {fdate(target)} "
                         f"and cannot be rescheduled in: {why}.", on=s, demand=d, day=target)
            self.create_supply(d)
            return
        if s.due == target:
            s.fixed_date = s.due
            self.match_quantity(d, s)
            return
        # supply earlier than the demand: reschedule out, keep, or reduce (§4.2 rules 1-6)
        if s.flexibility != UNLIMITED:
            self.reduce_supply(s, d)
            return
        position: date | None = None
        rule = ""
        if (target - s.due).days <= p.dampener_days:
            position, rule = s.due, f"within the dampener period of {p.dampener_days} days"
        elif calc(p.rescheduling_period, s.due) >= target:
            position, rule = target, f"within the rescheduling period {p.rescheduling_period}"
        elif s.fixed_date is not None and self._lap_end(s.due) >= target:
            self._match_in_place(d, s, f"within the lot accumulation period "
                                       f"{p.lot_accumulation_period} from {fdate(s.due)}")
            return
        if position is not None and s.fixed_date is not None and s.fixed_date < position:
            if self._lap_end(s.due) >= target:
                if s.due != s.fixed_date:
                    self._set_due(s, s.fixed_date)
                self._match_in_place(d, s, f"it already serves earlier demand on "
                                           f"{fdate(s.fixed_date)} and {fdate(target)} is within "
                                           f"the lot accumulation period "
                                           f"{p.lot_accumulation_period}")
                return
            position = None
        if position is None:
            self.reduce_supply(s, d)
            return
        if position == s.due:
            self._match_in_place(d, s, rule)
            return
        old = s.due
        self._set_due(s, position)
        s.fixed_date = s.due
        self._record(Decision.RESCHEDULE, "§4.2",
                     f"Rescheduled out from {fdate(old)} to {fdate(position)} for {d.label} ({rule})",
                     on=s, demand=d, day=position, explains=True, old_due=old, new_due=position)
        self.match_quantity(d, s)

    def _match_in_place(self, d: Record, s: Record, why: str) -> None:
        self._record(Decision.MATCH, "§4.2",
                     f"{s.label} stays on {fdate(s.due)} and serves {d.dated_label} "
                     f"({why}).", on=s, demand=d, day=s.due)
        if s.fixed_date is None:
            s.fixed_date = s.due
        self.match_quantity(d, s)

    def match_quantity(self, d: Record, s: Record) -> None:
        """§4.3: cover the demand, grow the supply, or use it up and move on."""
        p = self.p
        if s.untracked >= d.untracked - EPS:
            self.close_demand(d, s)
            return
        if s.exception:
            close = ((self._lap_end(s.due) < d.due) if p.policy == LFL
                     else s.due != self._target(d))
        else:
            close = self.rop
        if not close and self._can_increase(s, d):
            old = s.remaining
            wanted = s.remaining + d.untracked - s.untracked
            new = wanted
            if not (s.exception and not p.respect_planning_parameters):
                new = self._modifiers(wanted, s.min_qty)
            if s.max_qty > 0:
                new = min(new, s.max_qty)
            if new > old + EPS:
                self._set_qty(s, new)
                if not d.safety_stock:
                    s.safety_stock = False
                where = ("on the same day" if s.due == d.due else
                         f"within the lot accumulation period {p.lot_accumulation_period} from "
                         f"{fdate(s.due)}")
                self._record(Decision.INCREASE, "§4.3",
                             f"Increased from {fmt(old)} to {fmt(new)} to also cover "
                             f"{d.dated_label} ({where})", on=s, demand=d, day=s.due,
                             explains=True, old_qty=old, new_qty=new)
                if s.untracked >= d.untracked - EPS:
                    self.close_demand(d, s)
                    return
        if p.maximum_order_quantity > 0:
            self.anchor = s.due
        self.close_supply(s, d)

    def _can_increase(self, s: Record, d: Record) -> bool:
        if s.flexibility != UNLIMITED or s.is_inventory:
            return False
        cancelled = s.qty_changed and s.remaining <= EPS
        if (s.max_qty > 0 or cancelled) and s.max_qty <= s.remaining + EPS:
            return False
        return self._lap_end(s.due) >= d.due

    def reduce_supply(self, s: Record, d: Record | None) -> None:
        """§4.4: cut supply that is not needed (untracked), then cover ``d`` or close it."""
        if self.rop and self.bucket_check(s.due):
            return
        old = s.remaining
        new = self._decreased_qty(s, s.untracked)
        if new is not None:
            self._set_qty(s, new)
            verb = "Cancelled" if new <= EPS else f"Cut from {fmt(old)} to {fmt(new)}"
            if d is None:
                why = "no demand is left for it in the planning period"
            else:
                why = (f"{d.dated_label} is beyond its reach (rescheduling period "
                       f"{self.p.rescheduling_period}, lot accumulation period "
                       f"{self.p.lot_accumulation_period}, dampener {self.p.dampener_days} days)")
            self._record(Decision.CANCEL if new <= EPS else Decision.DECREASE, "§4.4",
                         f"{verb}: {why}", on=s, demand=d, day=s.due, explains=True,
                         old_qty=old, new_qty=new)
        elif s.untracked > EPS and not s.is_inventory and not s.is_frozen and d is None:
            self._record(Decision.SKIP, "§4.4",
                         f"{s.label} keeps {fmt(s.remaining)} although {fmt(s.untracked)} of it is "
                         "not needed: " + self._why_not_cut(s), on=s, day=s.due)
        if s.untracked <= EPS or d is None:
            self.close_supply(s, d)
            return
        s.max_qty = s.remaining
        self.match_quantity(d, s)

    def _why_not_cut(self, s: Record) -> str:
        if s.flexibility == NONE:
            return "its planning flexibility is None (frozen, or outside the period)."
        if s.min_qty >= s.remaining - EPS:
            return ("under a reorder-point policy existing and reorder-point supply is only cut "
                    "by the overflow check." if self.rop else
                    "it is committed (created for demand or protected).")
        if s.untracked - s.ss_alloc <= EPS:
            return f"{fmt(s.ss_alloc)} of it is held as safety stock."
        if le(s.untracked, self.p.dampener_quantity):
            return f"the cut is within the dampener quantity {fmt(self.p.dampener_quantity)}."
        return "the order modifiers round it back up."

    def create_supply(self, d: Record) -> None:
        """§4.5: new supply for demand that nothing else covers."""
        p = self.p
        target = self._target(d)
        if self.anchor is not None and self._lap_end(self.anchor) >= d.due:
            due = self.anchor
        else:
            due, self.anchor = target, None
        if self.rop and self.bucket_check(due):
            first = self._first_supply()
            if first is not None and first.due <= d.due:
                return
        exception = self.rop
        if exception and p.respect_planning_parameters:
            self._require_reorder_parameters()
            pending = sum((r.qty if r.is_supply else -r.qty) for r in self.reminders
                          if r.date <= d.due and not r.safety_stock)
            projected = self.last + pending - d.remaining
            if d.safety_stock:
                projected += d.remaining
            qty = (p.reorder_quantity if p.policy == FIXED else p.maximum_inventory - projected)
            if qty < -projected and p.reorder_quantity > 0:
                qty = math.ceil(-projected / p.reorder_quantity) * p.reorder_quantity
            qty = self._modifiers(qty)
            how = "sized by the reordering policy and modifiers (Respect Planning Parameters)"
            if qty < d.untracked - EPS and qty <= EPS:
                qty = d.untracked
                how = ("the exact shortage: the reordering policy's quantity came out at 0 "
                       "(Respect Planning Parameters)")
        elif exception:
            qty = d.untracked
            how = "the exact shortage, no order modifiers"
        else:
            qty = d.untracked
            if p.modifiers_at_creation and p.policy != ORDER:
                qty = self._modifiers(qty)
            how = ("order modifiers applied" if abs(qty - d.untracked) > EPS else
                   "the demand's quantity")
        if p.maximum_order_quantity > 0 and qty > p.maximum_order_quantity:
            qty = p.maximum_order_quantity
            how += f", capped at the maximum order quantity {fmt(qty)}"
        record = self._new_supply(due, qty, serves=d, exception=exception)
        if exception:
            record.warn(PlanningWarning.EXCEPTION,
                        "Exception: The projected available inventory is below Safety Stock "
                        f"Quantity {fmt(p.safety_stock)} on {fdate(d.due)}.")
            short = (f"{fmt(d.untracked)} short of {d.label}" if d.safety_stock else
                     f"the shortage of {fmt(d.untracked)} on {d.label}")
            text = (f"Exception order of {fmt(qty)} due {fdate(due)} for {short}: under a "
                    "reorder-point policy existing and reorder-point supply is never moved in or "
                    f"increased ({how})")
        else:
            if qty < d.untracked - EPS:
                text = (f"New {fmt(qty)} due {fdate(due)} toward the {fmt(d.untracked)} still "
                        f"needed for {d.label} ({how})")
            else:
                text = (f"New {fmt(qty)} due {fdate(due)} to cover {fmt(d.untracked)} of "
                        f"{d.label} ({how})")
        self._record(Decision.CREATE, "§4.5", text, on=record, demand=d, day=due, explains=True,
                     qty=qty, exception=exception)
        self._insert(self.supplies, record)
        if (not exception or p.respect_planning_parameters) and p.overflow_level > 0:
            self.forward_overflow([record], self.last)

    def close_demand(self, d: Record, s: Record | None) -> None:
        """§4.7: demand covered (by ``s``) or nothing left to cover."""
        if s is not None:
            if d.safety_stock:
                s.ss_alloc = max(s.ss_alloc, d.untracked)
                s.fixed_date = d.due if s.fixed_date is None else min(s.fixed_date, d.due)
                self._record(Decision.SAFETY_STOCK, "§4.7",
                             f"{fmt(d.untracked)} of {s.label} is held as safety stock on "
                             f"{fdate(d.due)}.", on=s, demand=d, day=d.due, qty=d.untracked)
            else:
                s.untracked -= d.untracked
                if s.ss_alloc > s.untracked:
                    s.ss_alloc = max(0.0, s.untracked)
                self._record(Decision.CLOSE, "§4.7",
                             f"{d.label} ({fmt(d.remaining)} due {fdate(d.due)}) is covered by "
                             f"{s.label}; {fmt(s.untracked)} of it is left.", on=s, demand=d,
                             day=d.due, left=s.untracked)
                self._post_supply_reminder(s, s.remaining - s.untracked + s.ss_alloc, True)
        d.untracked = 0.0
        self.demands.remove(d)
        self._post_demand_reminder(d)

    def close_supply(self, s: Record, d: Record | None) -> None:
        """§4.7: supply used up (or not needed): it leaves the timeline with its planning line."""
        if d is not None:
            if d.safety_stock:
                s.ss_alloc = max(s.ss_alloc, s.untracked)
                d.untracked -= s.untracked
                self.skipped.add(id(s))
                self._record(Decision.SAFETY_STOCK, "§4.7",
                             f"{fmt(s.untracked)} of {s.label} is held as safety stock on "
                             f"{fdate(d.due)}; {fmt(d.untracked)} still short.", on=s, demand=d,
                             day=d.due)
                return
            d.untracked -= s.untracked
            self._record(Decision.CLOSE, "§4.7",
                         f"{s.label} is used up by {d.label}; {fmt(d.untracked)} of {d.label} is still "
                         "to cover.", on=s, demand=d, day=s.due, still_short=d.untracked)
            s.untracked = 0.0
        self.supplies.remove(s)
        self._post_supply_reminder(s, s.remaining, False)
        self.finished.append(s)
