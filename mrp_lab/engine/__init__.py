"""The planning engine: ``plan(scenario)`` runs Business Central's balancing for one item.

The engine imports no pandas, matplotlib or ipywidgets; results are plain dataclasses.
"""

from __future__ import annotations

from ..errors import PlanningError
from ..model import Scenario
from ..result import Decision, PlanResult, Trace
from .lines import build_lines
from .params import Parameters, resolve
from .planner import Planner
from .timeline import build_timeline, demand_by_date

__all__ = ["Parameters", "plan", "resolve"]


def plan(scenario: Scenario) -> PlanResult:
    """Plan one scenario (reference §0–§11) and return lines, timeline and trace.

    A scenario Business Central would refuse to plan (e.g. Fixed Reorder Qty. without a
    Reorder Quantity) is not an exception here: like BC, planning stops for the item, no
    lines are suggested, and the reason is in ``result.errors`` and the trace.
    """
    params = resolve(scenario)
    planner = Planner(scenario, params)
    summary = ", ".join(f"{k} {v}" for k, v in params.as_dict().items()
                        if k not in ("start", "end", "work_date", "today"))
    planner._record(Decision.PARAMETERS, "§1", f"Planning with {summary}.", **params.as_dict())
    for note in params.adjustments:
        planner._record(Decision.PARAMETERS, "§1.3" if "§1.3" in note else "§1.4", note + ".")
    errors: tuple[str, ...] = ()
    if not params.planned:
        planner._record(Decision.SKIP, "§1",
                        "The reordering policy is blank: the item is not planned.")
        all_demand = []
    else:
        planner.build_profile()
        all_demand = list(planner.demands)
        try:
            planner.add_safety_stock_demands()
            planner.frozen_zone()
            if params.reorder_point_planning:
                planner.protect_existing_supply()
            planner.emergency()
            planner.initial_safety_stock()
            planner.last = planner.p0
            if params.reorder_point_planning:
                planner.initial_reorder_point()
                planner.initial_overflow()
            planner.balance()
        except PlanningError as error:
            errors = (str(error),)
            planner._record(Decision.SKIP, "§5.4", f"Planning error: {error} No lines for this "
                            "item.")
    lines = () if errors else build_lines(planner.finished, scenario, planner)
    timeline = build_timeline(scenario, params, planner.start, lines,
                              demand_by_date(all_demand, scenario, params.end))
    return PlanResult(scenario=scenario, planning_lines=lines, timeline_rows=timeline,
                      trace=Trace(planner.trace), parameters=params, errors=errors)

