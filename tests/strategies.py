"""Hypothesis strategies: random *valid* scenarios built straight from the model dataclasses.

``scenarios(policy)`` draws one item at one location planned with ``policy``: random planning
parameters (every field, used by the policy or not, so §1.3 forcing is exercised), 0–8 demands
(mostly sales orders; sometimes component needs, forecast, blanket orders and sales orders
released from them), 0–4 existing supplies (sometimes inflexible or released), on-hand
inventory 0–200 (sometimes negative) and dates around a fixed planning period, some in the
frozen zone before the start and some after the end; the work date is sometimes not the start.

Everything here is valid input: the loader accepts ``scenario.to_dict()`` back unchanged
(checked by ``test_strategy_builds_valid_scenarios``). A scenario Business Central refuses
to plan (Fixed without a Reorder Quantity, Maximum Inventory not above the Reorder Point) is
still valid input: ``plan`` answers it with ``result.errors``.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from hypothesis import strategies as st

from mrp_lab import (
    BlankOverflowLevel,
    Calendar,
    DateFormula,
    Demand,
    DemandKind,
    Item,
    ManufacturingPolicy,
    PlanningFlexibility,
    PlanningPeriod,
    PlanningSetup,
    ReorderingPolicy,
    ReplenishmentSystem,
    Scenario,
    Supply,
    SupplyKind,
)

#: The planning start is fixed (a Monday); the end varies a little so that the one-day period,
#: a two-week period and a six-week period all occur.
START = date(2026, 1, 5)
END_OFFSETS = (0, 13, 41, 41, 41)
FROZEN_DAYS = 10        # demand and supply may fall this many days before the start ...
AFTER_END_DAYS = 10     # ... or this many days after the end

FIXED = ReorderingPolicy.FIXED_REORDER_QTY
MAXQ = ReorderingPolicy.MAXIMUM_QTY
ORDER = ReorderingPolicy.ORDER
LFL = ReorderingPolicy.LOT_FOR_LOT
BLANK = ReorderingPolicy.BLANK
POLICIES = (FIXED, MAXQ, ORDER, LFL)


# ----------------------------------------------------------------------------- small pieces
@cache
def quantities(low: int = 1, high: int = 100) -> st.SearchStrategy[float]:
    """Mostly whole numbers, sometimes a value with two decimals."""
    whole = st.integers(low, high).map(float)
    cents = st.integers(low * 100, high * 100).map(lambda c: c / 100)
    return st.one_of(whole, whole, whole, cents)


@cache
def zero_or(strategy: st.SearchStrategy[float], zero_weight: int = 2) -> st.SearchStrategy[float]:
    """A parameter that is usually 0 (not set) and otherwise drawn from ``strategy``."""
    return st.one_of(*([st.just(0.0)] * zero_weight), strategy)


@cache
def formulas(max_days: int = 14, *, blank: bool = True) -> st.SearchStrategy[DateFormula | None]:
    """0D–2W as days or weeks; ``None`` (blank) when ``blank``."""
    days = st.integers(0, max_days).map(lambda n: DateFormula(n, "D"))
    weeks = st.integers(0, max_days // 7).map(lambda n: DateFormula(n, "W"))
    options = [days, days, weeks]
    if blank:
        options.append(st.none())
    return st.one_of(*options)


@cache
def time_buckets() -> st.SearchStrategy[DateFormula | None]:
    """1D–2W (sometimes blank or 0D, which the engine treats as one day, §1.5)."""
    return st.one_of(st.integers(1, 14).map(lambda n: DateFormula(n, "D")),
                     st.sampled_from([DateFormula(1, "W"), DateFormula(2, "W")]),
                     st.sampled_from([None, DateFormula(0, "D")]))


@cache
def days_around(end: date) -> st.SearchStrategy[date]:
    """A date from FROZEN_DAYS before the start to AFTER_END_DAYS after the end."""
    span = (end - START).days + FROZEN_DAYS + AFTER_END_DAYS
    return st.integers(0, span).map(lambda n: START - timedelta(days=FROZEN_DAYS - n))


# ----------------------------------------------------------------------------- item and setup
_BREAK_RULE = st.integers(0, 7)
_MULTIPLES = st.sampled_from([1.0, 2.0, 5.0, 10.0, 12.0, 25.0, 0.5])
_REPLENISHMENT = st.sampled_from([ReplenishmentSystem.PURCHASE] * 4 + list(ReplenishmentSystem))
_MANUFACTURING = st.sampled_from([ManufacturingPolicy.MAKE_TO_STOCK] * 3
                                 + [ManufacturingPolicy.MAKE_TO_ORDER])
_INCLUDE_INVENTORY = st.sampled_from([None, None, True, False])


@cache
@st.composite
def items(draw: st.DrawFn, policy: ReorderingPolicy) -> Item:
    reorder_point = draw(zero_or(quantities(1, 60), zero_weight=1))
    # Fixed needs a Reorder Quantity > 0 and Max a Maximum Inventory above the Reorder Point;
    # about one draw in eight breaks that rule to exercise the planning-error path (§12.5).
    breaks_rule = draw(_BREAK_RULE) == 0
    reorder_quantity = 0.0 if policy == FIXED and breaks_rule else draw(quantities(1, 80))
    if policy == MAXQ and breaks_rule:
        maximum_inventory = draw(st.sampled_from([0.0, reorder_point,
                                                  max(0.0, reorder_point - 5)]))
    else:
        maximum_inventory = reorder_point + draw(quantities(1, 150))
    return Item(
        reordering_policy=policy,
        reorder_point=reorder_point,
        reorder_quantity=reorder_quantity,
        maximum_inventory=maximum_inventory,
        overflow_level=draw(zero_or(quantities(1, 250), zero_weight=4)),
        safety_stock_quantity=draw(zero_or(quantities(1, 30), zero_weight=3)),
        safety_lead_time=draw(formulas(7)),
        lead_time_calculation=draw(formulas(14)),
        time_bucket=draw(time_buckets()),
        rescheduling_period=draw(formulas(14)),
        lot_accumulation_period=draw(formulas(14)),
        dampener_period=draw(formulas(14)),
        dampener_quantity=draw(zero_or(quantities(1, 10), zero_weight=3)),
        minimum_order_quantity=draw(zero_or(quantities(1, 50))),
        maximum_order_quantity=draw(zero_or(quantities(10, 120))),
        order_multiple=draw(zero_or(_MULTIPLES)),
        include_inventory=draw(_INCLUDE_INVENTORY),
        replenishment_system=draw(_REPLENISHMENT),
        manufacturing_policy=draw(_MANUFACTURING),
        lot_size=draw(zero_or(quantities(1, 100), zero_weight=3)),
    )


@cache
def setups() -> st.SearchStrategy[PlanningSetup]:
    return st.builds(
        PlanningSetup,
        respect_planning_parameters=st.sampled_from([False, False, True]),
        default_safety_lead_time=st.one_of(st.none(), formulas(3, blank=False)),
        default_dampener_period=st.one_of(st.none(), formulas(7, blank=False)),
        default_dampener_pct=st.sampled_from([0.0, 0.0, 0.0, 5.0, 10.0]),
        blank_overflow_level=st.sampled_from(list(BlankOverflowLevel)),
    )


@cache
def calendars() -> st.SearchStrategy[Calendar]:
    """Usually every day is a working day; sometimes weekends are not."""
    return st.sampled_from([Calendar()] * 5 + [Calendar(nonworking_weekdays=frozenset({5, 6}))])


# ----------------------------------------------------------------------------- demand, supply
_ONE_IN_5 = st.integers(0, 4)
_ONE_IN_6 = st.integers(0, 5)
_DEMAND_KINDS = st.sampled_from([DemandKind.SALES_ORDER] * 4 + [DemandKind.COMPONENT_NEED])
_SUPPLY_KINDS = st.sampled_from([SupplyKind.PURCHASE_ORDER] * 4 + list(SupplyKind))
_FLEXIBILITY = st.sampled_from([PlanningFlexibility.UNLIMITED] * 4 + [PlanningFlexibility.NONE])
_RELEASED = st.sampled_from([False] * 5 + [True])
_END_OFFSETS = st.sampled_from(END_OFFSETS)
_ALL_POLICIES = st.sampled_from([*POLICIES, BLANK])
_WORK_DATE_OFFSETS = st.sampled_from([None] * 6 + [-3, 2])
_ONE_OR_TWO = st.integers(1, 2)
_ONE_TO_THREE = st.integers(1, 3)
_DEMAND_COUNTS = [st.integers(0, n) for n in range(9)]


@cache
@st.composite
def demands(draw: st.DrawFn, end: date) -> tuple[Demand, ...]:
    out: list[Demand] = []
    blankets: list[str] = []
    if draw(_ONE_IN_6) == 0:
        for i in range(draw(_ONE_OR_TWO)):
            blankets.append(f"BO{i + 1}")
            out.append(Demand(id=f"BO{i + 1}", kind=DemandKind.BLANKET_ORDER,
                              due=draw(days_around(end)), qty=draw(quantities(10, 150))))
    if draw(_ONE_IN_5) == 0:
        for i in range(draw(_ONE_TO_THREE)):
            out.append(Demand(id=f"FC{i + 1}", kind=DemandKind.FORECAST,
                              due=draw(days_around(end)), qty=draw(quantities(10, 150))))
    count = draw(_DEMAND_COUNTS[8 - len(out)])
    for i in range(count):
        kind = draw(_DEMAND_KINDS)
        blanket = None
        if kind == DemandKind.SALES_ORDER and blankets and draw(st.booleans()):
            blanket = draw(st.sampled_from(blankets))
        prefix = "SO" if kind == DemandKind.SALES_ORDER else "CN"
        out.append(Demand(id=f"{prefix}{i + 1}", kind=kind, due=draw(days_around(end)),
                          qty=draw(quantities(1, 100)), blanket_order=blanket))
    return tuple(out)


@cache
@st.composite
def supplies(draw: st.DrawFn, end: date) -> tuple[Supply, ...]:
    out = []
    for i in range(draw(_ONE_IN_5)):
        kind = draw(_SUPPLY_KINDS)
        out.append(Supply(
            id=f"PO{i + 1}" if kind == SupplyKind.PURCHASE_ORDER else f"S{i + 1}",
            kind=kind, due=draw(days_around(end)), qty=draw(quantities(1, 120)),
            planning_flexibility=draw(_FLEXIBILITY), released=draw(_RELEASED)))
    return tuple(out)


@cache
def inventories() -> st.SearchStrategy[float]:
    return st.one_of(st.just(0.0), st.integers(0, 200).map(float), st.integers(0, 200).map(float),
                     quantities(1, 200), st.integers(-60, -1).map(float))


# ----------------------------------------------------------------------------- scenario
@cache
@st.composite
def scenarios(draw: st.DrawFn, policy: ReorderingPolicy | None = None) -> Scenario:
    """A valid scenario planned with ``policy`` (drawn from all five, blank included, if None)."""
    if policy is None:
        policy = draw(_ALL_POLICIES)
    end = START + timedelta(days=draw(_END_OFFSETS))
    offset = draw(_WORK_DATE_OFFSETS)      # the work date is usually the start (the default)
    work_date = None if offset is None else START + timedelta(days=offset)
    return Scenario(
        id="hypothesis",
        planning=PlanningPeriod(start=START, end=end, work_date=work_date),
        item=draw(items(policy)),
        setup=draw(setups()),
        calendar=draw(calendars()),
        inventory=draw(inventories()),
        demand=draw(demands(end)),
        supply=draw(supplies(end)),
    )
