"""What ``plan`` returns: planning lines, the projected-inventory timeline and the decision trace.

The engine fills plain frozen dataclasses; pandas appears only here, at the edge, when a
caller asks for ``lines``, ``timeline`` or ``trace_table()`` (imported lazily so the engine
never pulls it in).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, overload

from .model import ActionMessage, PlanningWarning, Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .compare import Comparison


class Decision(StrEnum):
    """The kinds of decision the engine records in its trace."""

    PARAMETERS = "parameters"          # resolved planning parameters (§1)
    PROFILE = "profile"                # demand/supply loaded, netted, safety-stock demands added (§2)
    FROZEN_ZONE = "frozen zone"        # netting before the planning start (§3.2)
    EMERGENCY = "emergency"            # emergency order (§3.3)
    SAFETY_STOCK = "safety stock"      # initial safety-stock check / SS allocation (§3.4, §4.7, §6)
    INITIAL_REORDER = "initial reorder point check"  # §3.5
    OVERFLOW = "overflow"              # overflow checks and cuts (§7)
    REMINDER = "reminder posted"       # decrease/increase reminder (§5.2)
    BUCKET = "bucket checked"          # time-bucket reorder-point check (§5.3)
    REORDER = "reorder-point supply"   # §5.4
    MATCH = "match"                    # supply matched to demand (§4.2, §4.3)
    RESCHEDULE = "reschedule"          # §4.2
    INCREASE = "increase"              # §4.3
    DECREASE = "decrease"              # cut or no cut (§4.4)
    CANCEL = "cancel"                  # §4.4
    CREATE = "create"                  # new supply (§4.5)
    CLOSE = "close"                    # demand or supply closed (§4.7)
    WARNING = "warning"                # a warning attached to a line (§11)
    SKIP = "skip"                      # something the engine decided *not* to do, and why


@dataclass(frozen=True)
class TraceEvent:
    """One engine decision. ``rule`` names the reference section it applied (e.g. ``"§5.3"``);
    ``text`` says it in plain words; ``values`` holds the numbers it used (projected inventory,
    available inventory, bucket bounds, quantities...)."""

    step: int
    decision: Decision
    rule: str
    text: str
    date: date | None = None
    supply: str | None = None
    demand: str | None = None
    values: tuple[tuple[str, Any], ...] = ()

    def value(self, key: str, default: Any = None) -> Any:
        return dict(self.values).get(key, default)


# decision, rule, text, date, supply, demand, then each value as key, value: one flat tuple of
# strings, numbers and dates, which the cyclic garbage collector stops tracking at its first look.
TraceRow = tuple[Any, ...]


class Trace(Sequence[TraceEvent]):
    """The engine's decisions in order: a read-only sequence of ``TraceEvent`` (index it,
    iterate it, compare it with a tuple of events).

    The engine writes each decision as a plain row of strings, numbers and dates, and the
    events are built the first time anyone reads the trace. A plan re-run on every widget
    change leaves nothing here for Python's cyclic garbage collector to track (plain rows are
    untracked), and a caller who never reads the trace never pays for building it.
    """

    __slots__ = ("_events", "_rows")

    def __init__(self, rows: Iterable[TraceRow] = ()) -> None:
        self._rows: list[TraceRow] | None = list(rows)
        self._events: tuple[TraceEvent, ...] | None = None

    @property
    def events(self) -> tuple[TraceEvent, ...]:
        if self._events is None:
            rows = self._rows or []
            self._events = tuple(
                TraceEvent(step=i, decision=Decision(row[0]), rule=row[1], text=row[2],
                           date=row[3], supply=row[4], demand=row[5],
                           values=tuple(zip(row[6::2], row[7::2], strict=True)))
                for i, row in enumerate(rows, start=1))
            self._rows = None
        return self._events

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self.events)

    @overload
    def __getitem__(self, index: int) -> TraceEvent: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[TraceEvent, ...]: ...
    def __getitem__(self, index: int | slice) -> TraceEvent | tuple[TraceEvent, ...]:
        return self.events[index]

    def __iter__(self) -> Iterator[TraceEvent]:
        return iter(self.events)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Trace):
            return self.events == other.events
        if isinstance(other, tuple):
            return self.events == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.events)

    def __repr__(self) -> str:
        return f"<Trace of {len(self)} decisions>"


@dataclass(frozen=True)
class PlanLine:
    """One planning line (one suggestion). ``supply`` is the existing supply's id (``None`` for
    New); ``line_id`` is unique per result (the supply id, or ``NEW1``, ``NEW2``... for New)."""

    line_id: str
    action: ActionMessage
    supply: str | None
    due: date
    original_due: date | None
    qty: float
    original_qty: float | None
    starting_date: date
    ending_date: date
    warning: PlanningWarning | None = None
    message: str = ""
    reason: str = ""
    accept_action_message: bool = True
    supply_kind: str = ""
    demand: str | None = None       # New lines: the demand the supply was created for


@dataclass(frozen=True)
class TimelineRow:
    """The item's position on one date of the planning period, before and after suggestions.

    ``projected_inventory_*`` is the gross level (on hand + supply − demand due so far);
    ``projected_available_*`` leaves out what planning may not use (on-hand inventory when
    Include Inventory is off). Levels are ``None`` where the policy does not use them.
    """

    date: date
    demand: float
    supply_before: float
    supply_after: float
    projected_inventory_before: float
    projected_available_before: float
    projected_inventory_after: float
    projected_available_after: float
    bucket_start: date | None
    reorder_point: float | None
    safety_stock: float | None
    maximum_inventory: float | None
    overflow_level: float | None


LINE_COLUMNS = ("action", "supply", "due", "original_due", "qty", "original_qty",
                "starting_date", "ending_date", "warning", "message", "reason",
                "accept_action_message", "line_id", "supply_kind", "demand")


@dataclass(frozen=True)
class PlanResult:
    """Everything one planning run produced for one scenario."""

    scenario: Scenario
    planning_lines: tuple[PlanLine, ...]
    timeline_rows: tuple[TimelineRow, ...]
    trace: Sequence[TraceEvent]     # a Trace from the engine; any sequence of events works
    parameters: Any = None          # mrp_lab.engine.params.Parameters: the resolved values (§1)
    errors: tuple[str, ...] = field(default=())  # planning errors BC would log for the SKU

    @property
    def lines(self) -> pd.DataFrame:
        """The planning lines as a DataFrame with the format's columns (enums as their text)."""
        import pandas as pd

        rows = []
        for line in self.planning_lines:
            row = dataclasses.asdict(line)
            row["action"] = line.action.value
            row["warning"] = line.warning.value if line.warning else ""
            row["supply"] = line.supply or ""
            row["demand"] = line.demand or ""
            rows.append(row)
        frame = pd.DataFrame(rows, columns=list(LINE_COLUMNS))
        for column in ("due", "original_due", "starting_date", "ending_date"):
            frame[column] = pd.to_datetime(frame[column])
        for column in ("qty", "original_qty"):
            frame[column] = frame[column].astype(float)
        return frame

    @property
    def timeline(self) -> pd.DataFrame:
        """Per date: demand, supply and projected levels before/after, plus the policy levels."""
        import pandas as pd

        frame = pd.DataFrame([dataclasses.asdict(r) for r in self.timeline_rows],
                             columns=[f.name for f in dataclasses.fields(TimelineRow)])
        for column in ("date", "bucket_start"):
            frame[column] = pd.to_datetime(frame[column])
        return frame

    def trace_table(self) -> pd.DataFrame:
        """The trace as a DataFrame: step, decision, rule, date, supply, demand, text."""
        import pandas as pd

        return pd.DataFrame(
            [{"step": e.step, "decision": e.decision.value, "rule": e.rule, "date": e.date,
              "supply": e.supply or "", "demand": e.demand or "", "text": e.text,
              **dict(e.values)} for e in self.trace])

    def explain(self) -> list[str]:
        """The trace as numbered plain-words lines (for printing by the CLI or a notebook)."""
        return [f"{e.step:>3}. [{e.rule}] {e.date.isoformat() + ': ' if e.date else ''}{e.text}"
                for e in self.trace]

    def compare(self) -> Comparison:
        """The scenario's ``expected`` block against these lines (format's matching rules)."""
        from .compare import compare_expected

        return compare_expected(self.scenario.expected, self.planning_lines)
