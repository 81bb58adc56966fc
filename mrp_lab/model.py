"""The validated scenario: frozen dataclasses and Enums named after Business Central's fields.

A scenario is one item at one location: its planning parameters (item/SKU card), the
company-wide planning setup, a base calendar, on-hand inventory, open demand and supply, the
planning period and, optionally, the planning lines it expects. Change one with
``Scenario.replace(...)`` or ``dataclasses.replace`` (the result is validated again).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from .dates import Calendar, DateFormula


class ReorderingPolicy(StrEnum):
    """Item card field *Reordering Policy*. BLANK means the item is not planned."""

    BLANK = ""
    FIXED_REORDER_QTY = "Fixed Reorder Qty."
    MAXIMUM_QTY = "Maximum Qty."
    ORDER = "Order"
    LOT_FOR_LOT = "Lot-for-Lot"

    @property
    def uses_reorder_point(self) -> bool:
        return self in (ReorderingPolicy.FIXED_REORDER_QTY, ReorderingPolicy.MAXIMUM_QTY)


class DemandKind(StrEnum):
    SALES_ORDER = "sales_order"
    FORECAST = "forecast"
    BLANKET_ORDER = "blanket_order"
    COMPONENT_NEED = "component_need"


class SupplyKind(StrEnum):
    PURCHASE_ORDER = "purchase_order"
    PRODUCTION_ORDER = "production_order"
    TRANSFER_ORDER = "transfer_order"
    ASSEMBLY_ORDER = "assembly_order"


class ReplenishmentSystem(StrEnum):
    PURCHASE = "purchase"
    PROD_ORDER = "prod_order"
    ASSEMBLY = "assembly"
    TRANSFER = "transfer"


class ManufacturingPolicy(StrEnum):
    MAKE_TO_STOCK = "make_to_stock"
    MAKE_TO_ORDER = "make_to_order"


class PlanningFlexibility(StrEnum):
    """*Planning Flexibility* of a supply. REDUCE_ONLY is never written in a file: the engine
    gives it to existing supply under reorder-point planning (reference §2.3)."""

    UNLIMITED = "unlimited"
    NONE = "none"
    REDUCE_ONLY = "reduce_only"


class BlankOverflowLevel(StrEnum):
    """Planning setup *Blank Overflow Level* (reference §7.1)."""

    USE_ITEM_VALUES_ONLY = "use_item_values_only"
    ALLOW_DEFAULT_CALCULATION = "allow_default_calculation"


class ActionMessage(StrEnum):
    NEW = "New"
    CHANGE_QTY = "Change Qty."
    RESCHEDULE = "Reschedule"
    RESCHEDULE_AND_CHANGE_QTY = "Resched. & Chg. Qty."
    CANCEL = "Cancel"


class PlanningWarning(StrEnum):
    """The warning (*Warning* / untracked-planning icon) on a planning line."""

    EMERGENCY = "Emergency"
    EXCEPTION = "Exception"
    ATTENTION = "Attention"


@dataclass(frozen=True)
class PlanningPeriod:
    """The run's planning starting date, ending date, work date and system date (today).
    ``work_date`` and ``today`` default to ``start`` so a scenario plans the same any day."""

    start: date
    end: date
    work_date: date | None = None
    today: date | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"planning end {self.end} is before its start {self.start}")

    @property
    def effective_work_date(self) -> date:
        return self.work_date or self.start

    @property
    def effective_today(self) -> date:
        return self.today or self.start


@dataclass(frozen=True)
class PlanningSetup:
    """Company-wide planning defaults (Manufacturing / Inventory Setup) and run options."""

    respect_planning_parameters: bool = False
    default_safety_lead_time: DateFormula | None = None
    default_dampener_period: DateFormula | None = None
    default_dampener_pct: float = 0.0
    blank_overflow_level: BlankOverflowLevel = BlankOverflowLevel.USE_ITEM_VALUES_ONLY


@dataclass(frozen=True)
class Item:
    """Item / SKU card planning fields. A ``None`` date formula is *blank* (reference §1.5);
    ``include_inventory=None`` takes the policy's default (true except for Order)."""

    reordering_policy: ReorderingPolicy = ReorderingPolicy.BLANK
    reorder_point: float = 0.0
    reorder_quantity: float = 0.0
    maximum_inventory: float = 0.0
    overflow_level: float = 0.0
    safety_stock_quantity: float = 0.0
    safety_lead_time: DateFormula | None = None
    lead_time_calculation: DateFormula | None = None
    time_bucket: DateFormula | None = None
    rescheduling_period: DateFormula | None = None
    lot_accumulation_period: DateFormula | None = None
    dampener_period: DateFormula | None = None
    dampener_quantity: float = 0.0
    minimum_order_quantity: float = 0.0
    maximum_order_quantity: float = 0.0
    order_multiple: float = 0.0
    include_inventory: bool | None = None
    replenishment_system: ReplenishmentSystem = ReplenishmentSystem.PURCHASE
    manufacturing_policy: ManufacturingPolicy = ManufacturingPolicy.MAKE_TO_STOCK
    lot_size: float = 0.0
    inbound_whse_handling_time: DateFormula | None = None

    @property
    def effective_include_inventory(self) -> bool:
        if self.include_inventory is not None:
            return self.include_inventory
        return self.reordering_policy != ReorderingPolicy.ORDER


@dataclass(frozen=True)
class Demand:
    """An open demand: ``qty`` is the quantity still to ship, positive. A sales order may name
    the ``blanket_order`` it was released from (used to net the blanket order, §2.5)."""

    id: str
    kind: DemandKind
    due: date
    qty: float
    blanket_order: str | None = None


@dataclass(frozen=True)
class Supply:
    """An existing supply order. ``released`` marks a released order (an Attention line when
    planning changes it, reference §11)."""

    id: str
    kind: SupplyKind
    due: date
    qty: float
    planning_flexibility: PlanningFlexibility = PlanningFlexibility.UNLIMITED
    released: bool = False


@dataclass(frozen=True)
class ExpectedLine:
    """One planning line a scenario expects; ``None`` keys are not compared."""

    action: ActionMessage | None = None
    supply: str | None = None
    due: date | None = None
    original_due: date | None = None
    qty: float | None = None
    original_qty: float | None = None
    warning: PlanningWarning | None = None
    message: str | None = None
    starting_date: date | None = None
    ending_date: date | None = None

    def given(self) -> dict[str, Any]:
        """The keys this expectation actually constrains."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Expected:
    line_count: int | None = None
    lines: tuple[ExpectedLine, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Build one with ``mrp_lab.load_scenario(path)`` or
    ``Scenario.from_dict(d)``; derive variants with ``scenario.replace(...)``."""

    id: str
    planning: PlanningPeriod
    item: Item = field(default_factory=Item)
    setup: PlanningSetup = field(default_factory=PlanningSetup)
    calendar: Calendar = field(default_factory=Calendar)
    inventory: float = 0.0
    demand: tuple[Demand, ...] = ()
    supply: tuple[Supply, ...] = ()
    expected: Expected | None = None
    title: str = ""
    source: str = ""
    what: str = ""
    story: str = ""
    notes: str = ""
    path: Path | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str | Path | None = None) -> Scenario:
        """Validate a dict in the scenario-file format and build a Scenario (raises ScenarioError)."""
        from .loader import scenario_from_dict

        return scenario_from_dict(data, source=source)

    def to_dict(self) -> dict[str, Any]:
        """The scenario in the file format (round-trips through ``from_dict``)."""
        from .loader import scenario_to_dict

        return scenario_to_dict(self)

    def replace(self, **changes: Any) -> Scenario:
        """A new scenario with some fields changed, validated again through the file format.
        ``item=`` may be a dict of item fields to change (e.g. ``item={"reorder_point": 30}``)."""
        data = self.to_dict()
        for key, value in changes.items():
            if key in ("item", "setup", "planning", "calendar") and isinstance(value, dict):
                data[key] = {**data.get(key, {}), **value}
            else:
                data[key] = value
        return dataclasses.replace(Scenario.from_dict(data, source=self.path), path=self.path)
