"""mrp_lab: Business Central's single-item supply planning, re-implemented and explained.

    import mrp_lab
    scenario = mrp_lab.load_scenario("scenarios/overflow-70-to-40-after.yaml")
    result = mrp_lab.plan(scenario)
    result.lines        # planning lines (DataFrame), one plain-words reason each
    result.timeline     # projected inventory per date, before and after the suggestions
    result.trace        # every engine decision, naming the reference rule it applied
"""

from __future__ import annotations

from .dates import Calendar, DateFormula
from .errors import MrpLabError, PlanningError, ScenarioError
from .loader import load_scenario, load_scenarios
from .model import (
    ActionMessage,
    BlankOverflowLevel,
    Demand,
    DemandKind,
    Expected,
    ExpectedLine,
    Item,
    ManufacturingPolicy,
    PlanningFlexibility,
    PlanningPeriod,
    PlanningSetup,
    PlanningWarning,
    ReorderingPolicy,
    ReplenishmentSystem,
    Scenario,
    Supply,
    SupplyKind,
)
from .result import Decision, PlanLine, PlanResult, TimelineRow, Trace, TraceEvent


def plan(scenario: Scenario) -> PlanResult:
    """Plan one scenario the way Business Central's planning engine would (reference §0–§11)."""
    from .engine import plan as _plan

    return _plan(scenario)


__all__ = [
    "ActionMessage", "BlankOverflowLevel", "Calendar", "DateFormula", "Decision", "Demand",
    "DemandKind", "Expected", "ExpectedLine", "Item", "ManufacturingPolicy", "MrpLabError",
    "PlanLine", "PlanResult", "PlanningError", "PlanningFlexibility", "PlanningPeriod",
    "PlanningSetup", "PlanningWarning", "ReorderingPolicy", "ReplenishmentSystem", "Scenario",
    "ScenarioError", "Supply", "SupplyKind", "TimelineRow", "Trace", "TraceEvent", "load_scenario",
    "load_scenarios", "plan",
]
