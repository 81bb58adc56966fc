"""Planning parameters as the engine uses them: forced by policy, cleaned up, derived (§1.3–§1.5, §7.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..dates import ZERO, DateFormula
from ..model import (
    BlankOverflowLevel,
    ManufacturingPolicy,
    ReorderingPolicy,
    ReplenishmentSystem,
    Scenario,
)
from .modifiers import round_up_to_multiple

FIXED = ReorderingPolicy.FIXED_REORDER_QTY
MAXQ = ReorderingPolicy.MAXIMUM_QTY
ORDER = ReorderingPolicy.ORDER
LFL = ReorderingPolicy.LOT_FOR_LOT


@dataclass(frozen=True)
class Parameters:
    """The values the engine plans with. Everything a policy does not use is already 0 / 0D,
    so the engine never has to ask "does this policy use X?" (reference §1.3)."""

    policy: ReorderingPolicy
    start: date
    end: date
    work_date: date
    today: date
    reorder_point: float
    reorder_quantity: float
    maximum_inventory: float
    safety_stock: float
    minimum_order_quantity: float
    maximum_order_quantity: float
    order_multiple: float
    overflow_level: float
    dampener_quantity: float
    time_bucket: DateFormula
    bucket_days: int
    rescheduling_period: DateFormula
    lot_accumulation_period: DateFormula
    dampener_days: int
    safety_lead_time: DateFormula
    lead_time: DateFormula
    inbound_handling: DateFormula
    include_inventory: bool
    respect_planning_parameters: bool
    replenishment_system: ReplenishmentSystem
    manufacturing_policy: ManufacturingPolicy
    adjustments: tuple[str, ...] = ()

    @property
    def reorder_point_planning(self) -> bool:
        """Fixed Reorder Qty. and Maximum Qty. (after §1.3 the same as ROP > SS or Fixed/Max)."""
        return self.policy in (FIXED, MAXQ)

    @property
    def planned(self) -> bool:
        return self.policy != ReorderingPolicy.BLANK

    @property
    def modifiers_at_creation(self) -> bool:
        """Transfer and Make-to-Order production supply get no modifiers when created (§4.5)."""
        if self.replenishment_system == ReplenishmentSystem.TRANSFER:
            return False
        return not (self.replenishment_system == ReplenishmentSystem.PROD_ORDER
                    and self.manufacturing_policy == ManufacturingPolicy.MAKE_TO_ORDER)

    def as_dict(self) -> dict[str, object]:
        return {k: (str(v) if isinstance(v, DateFormula) else getattr(v, "value", v))
                for k, v in self.__dict__.items() if k != "adjustments"}


def resolve(scenario: Scenario) -> Parameters:
    """Resolve the item card, planning setup and run dates into engine parameters."""
    item, setup, period = scenario.item, scenario.setup, scenario.planning
    policy = item.reordering_policy
    today = period.effective_today
    notes: list[str] = []

    def used(value: float, *policies: ReorderingPolicy, name: str) -> float:
        if policy in policies or not value:
            return value
        notes.append(f"{name} {value:g} is not used by {policy.value or 'a blank policy'}: set to 0 (§1.3)")
        return 0.0

    def used_formula(value: DateFormula | None, *policies: ReorderingPolicy,
                     name: str) -> DateFormula | None:
        if policy in policies:
            return value
        if value is not None and not value.is_zero:
            notes.append(f"{name} {value} is not used by {policy.value or 'a blank policy'}: "
                         "set to 0D (§1.3)")
        return ZERO

    include_inventory = (item.effective_include_inventory if policy == LFL
                         else policy != ORDER)
    time_bucket = used_formula(item.time_bucket, FIXED, MAXQ, name="Time Bucket") or ZERO
    ss_policies = (FIXED, MAXQ, LFL) if include_inventory else (FIXED, MAXQ)
    safety_stock = used(item.safety_stock_quantity, *ss_policies, name="Safety Stock Quantity")
    reorder_point = used(item.reorder_point, FIXED, MAXQ, name="Reorder Point")
    reorder_quantity = used(item.reorder_quantity, FIXED, name="Reorder Quantity")
    maximum_inventory = used(item.maximum_inventory, MAXQ, name="Maximum Inventory")
    min_order = used(item.minimum_order_quantity, FIXED, MAXQ, LFL, name="Minimum Order Quantity")
    max_order = used(item.maximum_order_quantity, FIXED, MAXQ, LFL, name="Maximum Order Quantity")
    multiple = used(item.order_multiple, FIXED, MAXQ, LFL, name="Order Multiple")
    rescheduling = used_formula(item.rescheduling_period, LFL, name="Rescheduling Period")
    lot_accumulation = used_formula(item.lot_accumulation_period, LFL,
                                    name="Lot Accumulation Period")
    # Fixed/Max get an *explicit* 0D dampener period, which is not "blank" (§1.3, §1.5).
    dampener_period = (item.dampener_period if policy in (ORDER, LFL) else ZERO)
    dampener_qty_field = used(item.dampener_quantity, FIXED, MAXQ, LFL, name="Dampener Quantity")
    overflow_field = used(item.overflow_level, FIXED, MAXQ, name="Overflow Level")

    # §1.4 clean-up
    if reorder_point < safety_stock and policy in (FIXED, MAXQ):
        notes.append(f"Reorder Point {reorder_point:g} is below Safety Stock {safety_stock:g}: "
                     "raised to it (§1.4)")
        reorder_point = safety_stock
    if max_order and max_order < min_order:
        notes.append(f"Maximum Order Quantity {max_order:g} is below Minimum Order Quantity "
                     f"{min_order:g}: raised to it (§1.4)")
        max_order = min_order
    if maximum_inventory and (maximum_inventory < safety_stock or maximum_inventory < reorder_point):
        notes.append(f"Maximum Inventory {maximum_inventory:g} is below the safety stock or the "
                     "reorder point: cleared to 0 (§1.4)")
        maximum_inventory = 0.0
    if overflow_field:
        floor = reorder_point + reorder_quantity if policy == FIXED else maximum_inventory
        if overflow_field < floor:
            notes.append(f"Overflow Level {overflow_field:g} is below {floor:g}: raised to it (§1.4)")
            overflow_field = floor

    # §1.5 derived values
    bucket_days = time_bucket.days_from(today)
    if bucket_days <= 0:
        bucket_days = 1
    if dampener_period is None:
        dampener_period = setup.default_dampener_period
    dampener_days = dampener_period.days_from(today) if dampener_period else 0
    if policy != ORDER:
        lap_days = lot_accumulation.days_from(today) if lot_accumulation else 0
        if dampener_days > lap_days:
            if dampener_days:
                notes.append(f"Dampener period of {dampener_days} days capped at the lot "
                             f"accumulation period ({lap_days} days) (§1.5)")
            dampener_days = lap_days
    if policy == ORDER:
        dampener_qty = 0.0
    elif dampener_qty_field:
        dampener_qty = dampener_qty_field
    else:
        dampener_qty = item.lot_size * setup.default_dampener_pct / 100.0
    safety_lead_time = item.safety_lead_time
    if safety_lead_time is None:
        safety_lead_time = setup.default_safety_lead_time or ZERO

    overflow_level = _overflow_level(policy, overflow_field, setup.blank_overflow_level,
                                     reorder_point, reorder_quantity, maximum_inventory,
                                     min_order, multiple)

    return Parameters(
        policy=policy, start=period.start, end=period.end,
        work_date=period.effective_work_date, today=today,
        reorder_point=reorder_point, reorder_quantity=reorder_quantity,
        maximum_inventory=maximum_inventory, safety_stock=safety_stock,
        minimum_order_quantity=min_order, maximum_order_quantity=max_order,
        order_multiple=multiple, overflow_level=overflow_level, dampener_quantity=dampener_qty,
        time_bucket=time_bucket, bucket_days=bucket_days,
        rescheduling_period=rescheduling or ZERO, lot_accumulation_period=lot_accumulation or ZERO,
        dampener_days=dampener_days, safety_lead_time=safety_lead_time,
        lead_time=item.lead_time_calculation or ZERO,
        inbound_handling=item.inbound_whse_handling_time or ZERO,
        include_inventory=include_inventory,
        respect_planning_parameters=setup.respect_planning_parameters,
        replenishment_system=item.replenishment_system,
        manufacturing_policy=item.manufacturing_policy,
        adjustments=tuple(notes),
    )


def _overflow_level(policy: ReorderingPolicy, field_value: float, blank: BlankOverflowLevel,
                    reorder_point: float, reorder_quantity: float, maximum_inventory: float,
                    min_order: float, multiple: float) -> float:
    """§7.1: the explicit field, else 0 or the default calculation, rounded up to the multiple."""
    if policy not in (FIXED, MAXQ):
        return 0.0
    if field_value:
        return field_value
    if blank != BlankOverflowLevel.ALLOW_DEFAULT_CALCULATION:
        return 0.0
    if policy == MAXQ:
        level = maximum_inventory + min_order
    else:
        level = max(reorder_quantity, min_order) + reorder_point
    return round_up_to_multiple(level, multiple) if multiple else level
