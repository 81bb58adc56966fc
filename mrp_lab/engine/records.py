"""The engine's event records (reference §0): one mutable record per demand or supply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model import ActionMessage, PlanningFlexibility, PlanningWarning

#: Inventory and negative inventory are dated "0D": before everything else (§2.2, §2.4).
INVENTORY_DATE = date.min
EPS = 1e-9

# Sort keys (§2.6).
ATTR_NEW = 0
ATTR_OTO = 7
ATTR_GENERIC = 8
ATTR_REORDER = 1000

DEMAND_PRIORITY = {
    "negative_inventory": 100,
    "sales_order": 300,
    "component_need": 510,
    "blanket_order": 700,
    "forecast": 800,
    "safety_stock": 1000,
}
SUPPLY_PRIORITY = {
    "inventory": 100,
    "transfer_order": 300,
    "assembly_order": 320,
    "production_order": 410,
    "purchase_order": 500,
}
NEW_SUPPLY_KIND = {
    "purchase": "purchase_order",
    "prod_order": "production_order",
    "assembly": "assembly_order",
    "transfer": "transfer_order",
}


@dataclass(eq=False)
class Record:
    """A demand or supply event while planning. Quantities are positive on both sides.

    ``remaining`` drives projected (gross) inventory, ``untracked`` what balancing may still use.
    """

    key: str
    is_supply: bool
    kind: str
    due: date
    remaining: float
    seq: int
    untracked: float = 0.0
    attr_priority: int = ATTR_GENERIC
    order_priority: int = 0
    min_qty: float = 0.0
    max_qty: float = 0.0
    fixed_date: date | None = None
    flexibility: PlanningFlexibility = PlanningFlexibility.UNLIMITED
    safety_stock: bool = False        # order relation "Safety Stock"
    exception: bool = False
    ss_alloc: float = 0.0
    is_new: bool = False
    is_reorder: bool = False
    is_inventory: bool = False
    is_frozen: bool = False
    is_oto: bool = False
    released: bool = False
    rescheduled: bool = False
    qty_changed: bool = False
    original_due: date | None = None
    original_qty: float | None = None
    forward: bool = False             # forward-scheduled (reorder-point supply, §5.4)
    starting_date: date | None = None
    ending_date: date | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    serves: str | None = None         # the demand a new supply was created for

    def __post_init__(self) -> None:
        if not self.untracked:
            self.untracked = self.remaining

    @property
    def label(self) -> str:
        """How a planner would name this event in a sentence (internal keys never leak)."""
        kind = self.kind
        if kind == "safety_stock":
            return f"the safety stock on {self.due.isoformat()}"
        if kind == "forecast":
            return f"the forecast from {self.due.isoformat()}"
        if kind == "inventory":
            return "the inventory on hand"
        if kind == "negative_inventory":
            return "the negative inventory on hand"
        return self.key

    @property
    def dated_label(self) -> str:
        """The label with the due date, unless the label already carries it."""
        if self.kind in ("safety_stock", "forecast", "inventory", "negative_inventory"):
            return self.label
        return f"{self.label} due {self.due.isoformat()}"

    @property
    def sort_key(self) -> tuple[date, int, int, int]:
        return (self.due, self.attr_priority, self.order_priority, self.seq)

    @property
    def action(self) -> ActionMessage | None:
        """§10: New for created supply; Cancel overrides; the flags are sticky."""
        if self.is_new:
            return ActionMessage.NEW
        if self.qty_changed and self.remaining <= EPS:
            return ActionMessage.CANCEL
        if self.rescheduled and self.qty_changed:
            return ActionMessage.RESCHEDULE_AND_CHANGE_QTY
        if self.rescheduled:
            return ActionMessage.RESCHEDULE
        if self.qty_changed:
            return ActionMessage.CHANGE_QTY
        return None

    def warn(self, warning: PlanningWarning, text: str) -> None:
        self.warnings.append((warning.value, text))
