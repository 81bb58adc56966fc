"""The widgets' plain functions, and explore/compare driven without a browser: a fake planner
(so these tests don't depend on the engine) and, when it is there, the real engine."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import matplotlib.pyplot as plt  # only to check that no pyplot figure is ever created
import numpy as np
import pytest
from matplotlib.figure import Figure

from mrp_lab.dates import DateFormula
from mrp_lab.errors import PlanningError, ScenarioError
from mrp_lab.model import (
    ActionMessage,
    Demand,
    DemandKind,
    Item,
    PlanningPeriod,
    PlanningWarning,
    ReorderingPolicy,
    Scenario,
    Supply,
    SupplyKind,
)
from mrp_lab.plots import ACTION_STYLES
from mrp_lab.result import PlanLine, PlanResult, TimelineRow
from mrp_lab.widgets import (
    ORDER_ROWS,
    apply_item_changes,
    compare,
    date_bounds,
    explore,
    include_inventory_for_policy,
    lines_html,
    parse_formula,
    scenario_from_controls,
    variant_scenarios,
    visible_parameters,
    warnings_html,
)

ROOT = Path(__file__).resolve().parents[1]
START, END = date(2026, 1, 5), date(2026, 3, 1)
FIXED = ReorderingPolicy.FIXED_REORDER_QTY
MAX = ReorderingPolicy.MAXIMUM_QTY
ORDER = ReorderingPolicy.ORDER
LFL = ReorderingPolicy.LOT_FOR_LOT


def scenario(n_demand: int = 2) -> Scenario:
    return Scenario(
        id="widget-test", title="Widget test", what="a small Max scenario",
        planning=PlanningPeriod(START, END),
        item=Item(reordering_policy=MAX, reorder_point=50, maximum_inventory=100,
                  time_bucket=DateFormula(1, "W")),
        inventory=80,
        demand=tuple(Demand(f"SO{i + 1}", DemandKind.SALES_ORDER, START + timedelta(days=2 + i),
                            40 if i == 0 else 5) for i in range(n_demand)),
        supply=(Supply("PO1", SupplyKind.PURCHASE_ORDER, START + timedelta(days=10), 90),),
    )


class FakePlanner:
    """Stands in for mrp_lab.plan: a timeline from the scenario, one New line whenever the
    level drops below the reorder point, PlanningError for Max with Max Inventory ≤ ROP."""

    def __init__(self) -> None:
        self.calls: list[Scenario] = []

    def __call__(self, s: Scenario) -> PlanResult:
        self.calls.append(s)
        item = s.item
        if item.reordering_policy == MAX and item.maximum_inventory <= item.reorder_point:
            raise PlanningError("Maximum Inventory must be above the Reorder Point")
        demand: dict[date, float] = {}
        for o in s.demand:
            demand[o.due] = demand.get(o.due, 0) + o.qty
        supply: dict[date, float] = {}
        for o in s.supply:
            supply[o.due] = supply.get(o.due, 0) + o.qty
        lines, rows = [], []
        before = after = s.inventory
        day = s.planning.start
        while day <= s.planning.end:
            before += supply.get(day, 0) - demand.get(day, 0)
            after += supply.get(day, 0) - demand.get(day, 0)
            added = 0.0
            if after < item.reorder_point:
                added = item.maximum_inventory - after
                lines.append(PlanLine(f"NEW{len(lines) + 1}", ActionMessage.NEW, None, day, None,
                                      added, None, day, day,
                                      warning=PlanningWarning.EXCEPTION if after < 0 else None,
                                      message="short" if after < 0 else "",
                                      reason="below the reorder point"))
                after += added
            rows.append(TimelineRow(day, demand.get(day, 0), supply.get(day, 0),
                                    supply.get(day, 0) + added, before, before, after, after,
                                    None, item.reorder_point, None, item.maximum_inventory, None))
            day += timedelta(days=1)
        return PlanResult(s, tuple(lines), tuple(rows), ())


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    assert plt.get_fignums() == []
    yield
    assert plt.get_fignums() == [], "a widget left a pyplot figure open"


def shown(explorer) -> set[str]:
    return {name for name, control in explorer.controls.items()
            if control.layout.display != "none"}


# --- visible_parameters / policy rules (reference §1.3) -----------------------------------------


def test_fixed_uses_reorder_quantity_not_maximum_inventory():
    used = visible_parameters(FIXED)
    assert {"reorder_point", "reorder_quantity", "safety_stock_quantity", "time_bucket",
            "overflow_level", "minimum_order_quantity", "maximum_order_quantity",
            "order_multiple", "dampener_quantity", "safety_lead_time",
            "lead_time_calculation"} == set(used)


def test_max_uses_maximum_inventory_not_reorder_quantity():
    used = set(visible_parameters(MAX))
    assert "maximum_inventory" in used
    assert "reorder_quantity" not in used
    assert used == set(visible_parameters(FIXED)) - {"reorder_quantity"} | {"maximum_inventory"}


def test_order_uses_almost_nothing():
    assert set(visible_parameters(ORDER)) == {"dampener_period", "safety_lead_time",
                                              "lead_time_calculation"}


def test_lot_for_lot_uses_periods_and_safety_stock_only_with_include_inventory():
    used = set(visible_parameters(LFL))
    assert {"rescheduling_period", "lot_accumulation_period", "dampener_period",
            "dampener_quantity", "include_inventory", "safety_stock_quantity",
            "order_multiple"} <= used
    assert not {"reorder_point", "reorder_quantity", "maximum_inventory", "time_bucket",
                "overflow_level"} & used
    assert "safety_stock_quantity" not in visible_parameters(LFL, include_inventory=False)


def test_choosing_a_policy_sets_include_inventory_as_bc_does():
    assert include_inventory_for_policy(LFL) is True
    assert include_inventory_for_policy("Maximum Qty.") is True
    assert include_inventory_for_policy(FIXED) is True
    assert include_inventory_for_policy(ORDER) is False


# --- parsing and building scenarios ------------------------------------------------------------


def test_parse_formula_accepts_days_weeks_and_blank():
    assert parse_formula("") is None
    assert parse_formula("  ") is None
    assert parse_formula("1w") == DateFormula(1, "W")
    assert parse_formula("10D") == DateFormula(10, "D")
    assert parse_formula("0D") == DateFormula(0, "D")     # explicit 0D is not blank


@pytest.mark.parametrize("text", ["1M", "abc", "-1D", "1.5W"])
def test_parse_formula_rejects_other_text_naming_the_field(text):
    with pytest.raises(ScenarioError, match="Time Bucket") as info:
        parse_formula(text, field="time_bucket")
    assert info.value.key == "item.time_bucket"


def test_untouched_controls_give_back_the_base_scenario():
    base = scenario()
    values = {name: getattr(base.item, name) for name in visible_parameters(MAX)}
    values["time_bucket"] = "1W"
    values["include_inventory"] = True
    same = scenario_from_controls(base, item=values, inventory=80,
                                  demand={"SO1": {"qty": 40, "due": base.demand[0].due}})
    assert same is base


def test_a_change_builds_a_new_frozen_scenario():
    base = scenario()
    new = scenario_from_controls(base, item={"reorder_point": 30, "time_bucket": "2W"},
                                 supply={"PO1": {"qty": 70, "due": date(2026, 1, 20)}})
    assert new is not base
    assert new.item.reorder_point == 30
    assert new.item.time_bucket == DateFormula(2, "W")
    assert new.supply[0].qty == 70 and new.supply[0].due == date(2026, 1, 20)
    assert base.item.reorder_point == 50 and base.supply[0].qty == 90   # untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        new.item.reorder_point = 1  # type: ignore[misc]


def test_policy_change_keeps_include_inventory_blank_when_it_is_the_default():
    base = scenario()
    lfl = scenario_from_controls(base, item={"reordering_policy": "Lot-for-Lot",
                                             "include_inventory": True})
    assert lfl.item.reordering_policy == LFL
    assert lfl.item.include_inventory is None
    off = scenario_from_controls(base, item={"reordering_policy": LFL,
                                             "include_inventory": False})
    assert off.item.include_inventory is False
    order = scenario_from_controls(base, item={"reordering_policy": ORDER,
                                               "include_inventory": False})
    assert order.item.include_inventory is None
    assert order.item.effective_include_inventory is False


@pytest.mark.parametrize("kwargs, key", [
    ({"item": {"reorder_point": -1}}, "item.reorder_point"),
    ({"item": {"maximum_inventory": float("nan")}}, "item.maximum_inventory"),
    ({"inventory": -5}, "inventory"),
    ({"demand": {"SO1": {"qty": -1}}}, "demand[0].qty"),
    ({"demand": {"SO2": {"due": date(2027, 1, 1)}}}, "demand[1].due"),
    ({"supply": {"PO1": {"due": None}}}, "supply[0].due"),
    ({"item": {"lot_accumulation_period": "1 week"}}, "item.lot_accumulation_period"),
    ({"item": {"reordering_policy": "Maximum"}}, "item.reordering_policy"),
])
def test_out_of_range_values_are_refused_with_the_key(kwargs, key):
    with pytest.raises(ScenarioError) as info:
        scenario_from_controls(scenario(), **kwargs)
    assert info.value.key == key


def test_date_bounds_are_the_period_and_a_month_either_side():
    lo, hi = date_bounds(scenario())
    assert lo == START - timedelta(days=31)
    assert hi == END + timedelta(days=31)
    late = dataclasses.replace(scenario(), supply=(Supply("PO9", SupplyKind.PURCHASE_ORDER,
                                                          date(2026, 12, 1), 5),))
    assert date_bounds(late)[1] == date(2026, 12, 1)


def test_apply_item_changes_and_variants():
    base = scenario()
    changed = apply_item_changes(base, {"reorder_point": 30, "lot_accumulation_period": "1M"})
    assert changed.item.reorder_point == 30
    assert changed.item.lot_accumulation_period == DateFormula(1, "M")
    variants = variant_scenarios(base, {"rop_30": {"reorder_point": 30}})
    assert list(variants) == ["as is", "rop_30"]
    assert variants["as is"] is base
    with pytest.raises(ScenarioError, match="not an item field"):
        apply_item_changes(base, {"reorder_pt": 30})
    with pytest.raises(ValueError, match="at least one variant"):
        variant_scenarios(base, {})


# --- HTML --------------------------------------------------------------------------------------


def test_lines_html_lists_each_line_with_its_reason_escaped():
    base = scenario()
    line = PlanLine("PO1", ActionMessage.CHANGE_QTY, "PO1", START, START, 60, 90, START, START,
                    warning=PlanningWarning.ATTENTION, message="above <overflow>",
                    reason="cut & kept")
    result = PlanResult(base, (line,), (), ())
    html = lines_html(result)
    assert "Change Qty." in html and "PO1" in html and "90" in html and "60" in html
    assert "cut &amp; kept" in html
    assert "above &lt;overflow&gt;" in html and "<overflow>" not in html
    assert "#E69F00" in html                       # the action's plot colour
    assert "No planning lines" in lines_html(PlanResult(base, (), (), ()))
    many = PlanResult(base, (line,) * 5, (), ())
    assert "and 3 more lines" in lines_html(many, max_rows=2)


def test_warnings_html_lists_warnings_and_planning_errors():
    base = scenario()
    line = PlanLine("NEW1", ActionMessage.NEW, None, START, None, 5, None, START, START,
                    warning=PlanningWarning.EMERGENCY, message="negative inventory")
    html = warnings_html(PlanResult(base, (line,), (), (), errors=("no reorder quantity",)))
    assert "Emergency" in html and "negative inventory" in html
    assert "Planning error" in html and "no reorder quantity" in html
    assert html.startswith("<b>2 warnings</b>")
    assert warnings_html(PlanResult(base, (), (), ())) == "<p>No warnings.</p>"


def test_dates_in_the_lines_table_never_wrap():
    line = PlanLine("PO1", ActionMessage.RESCHEDULE, "PO1", START, END, 60, 60, START, START)
    html = lines_html(PlanResult(scenario(), (line,), (), ()))
    assert f"<span style='white-space:nowrap'>{START.isoformat()}</span>" in html
    assert f"<span style='white-space:nowrap'>{END.isoformat()}</span>" in html


def test_warnings_and_lines_scroll_instead_of_pushing_the_controls_down():
    explorer = explore(scenario(), planner=FakePlanner())
    for box in (explorer.warnings, explorer.table):
        assert box.layout.overflow == "auto" and box.layout.max_height
    # The controls come right after the figure and the (bounded) warnings.
    order = list(explorer.children)
    assert order.index(explorer.warnings) + 1 == order.index(explorer.table) - 1


# --- explore -----------------------------------------------------------------------------------


def test_explore_plans_once_and_shows_the_plan():
    planner = FakePlanner()
    explorer = explore(scenario(), planner=planner)
    assert isinstance(explorer, widgets.Widget)
    assert len(planner.calls) == 1 and planner.calls[0] is explorer.base
    assert isinstance(explorer.figure, Figure)
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert explorer.error is None
    assert "planning line" in explorer.table.value


def test_controls_follow_the_policy():
    explorer = explore(scenario(), planner=FakePlanner())
    always = {"reordering_policy", "inventory"}
    assert shown(explorer) == set(visible_parameters(MAX)) | always
    explorer.controls["reordering_policy"].value = LFL
    assert shown(explorer) == set(visible_parameters(LFL)) | always
    explorer.controls["include_inventory"].value = False
    assert "safety_stock_quantity" not in shown(explorer)
    explorer.controls["reordering_policy"].value = ORDER
    assert explorer.controls["include_inventory"].value is False     # set as BC does
    assert shown(explorer) == set(visible_parameters(ORDER)) | always
    explorer.controls["reordering_policy"].value = FIXED
    assert explorer.controls["include_inventory"].value is True
    assert "reorder_quantity" in shown(explorer) and "maximum_inventory" not in shown(explorer)


def test_a_change_replans_and_redraws_the_same_figure():
    planner = FakePlanner()
    explorer = explore(scenario(), planner=planner)
    figure, ax, projected = explorer.figure, explorer.ax, explorer.drawing.projected
    image = explorer.image.value
    explorer.controls["reorder_point"].value = 75
    assert len(planner.calls) == 2
    assert planner.calls[-1].item.reorder_point == 75
    assert explorer.scenario.item.reorder_point == 75
    assert explorer.figure is figure and explorer.ax is ax and figure.axes == [ax]
    assert explorer.drawing.projected is projected         # artists updated, not re-created
    assert explorer.image.value != image
    assert explorer.redraws == 2
    assert set(explorer.timings) == {"scenario", "plan", "draw", "encode", "figure", "tables",
                                     "total"}
    assert explorer.base.item.reorder_point == 50           # the base scenario is untouched


def test_blitted_image_matches_a_full_redraw():
    explorer = explore(scenario(), planner=FakePlanner())
    explorer.controls["reorder_point"].value = 75
    explorer.view.value = False
    blitted = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
    explorer.figure.canvas.draw()
    full = np.asarray(explorer.figure.canvas.buffer_rgba())
    differing = np.any(blitted != full, axis=-1).sum()
    # Only antialiased pixels where a data line meets the frame may differ (frame drawn first).
    assert differing < 100, differing


def test_level_labels_stay_on_top_of_the_curves_in_the_blitted_image():
    # Inventory held at the maximum inventory: the curve runs along the line whose label
    # sits on it at the right edge. Blitted pixels must match a full (zorder) redraw.
    flat = dataclasses.replace(scenario(), inventory=100.0, demand=(), supply=())
    explorer = explore(flat, planner=FakePlanner())
    explorer.controls["reorder_point"].value = 40     # a re-plan: the blitted path
    blitted = np.asarray(explorer.figure.canvas.buffer_rgba()).copy()
    explorer.figure.canvas.draw()
    full = np.asarray(explorer.figure.canvas.buffer_rgba())
    assert np.any(blitted != full, axis=-1).sum() < 100


def test_the_view_toggle_shows_before_and_after():
    explorer = explore(scenario(), planner=FakePlanner())
    explorer.controls["reorder_point"].value = 75
    assert "with the suggestions applied" in explorer.drawing.title.get_text()
    new_heads = explorer.drawing.heads[ACTION_STYLES[ActionMessage.NEW]]
    assert len(new_heads.get_xdata()) > 0
    explorer.view.value = False
    assert "as it stands" in explorer.drawing.title.get_text()
    assert len(new_heads.get_xdata()) == 0


def test_a_planning_error_is_a_message_not_a_traceback():
    planner = FakePlanner()
    explorer = explore(scenario(), planner=planner)
    explorer.controls["maximum_inventory"].value = 40       # not above the reorder point 50
    assert explorer.result is None
    assert "would not plan this item" in explorer.error
    assert "Maximum Inventory must be above the Reorder Point" in explorer.message.value
    assert explorer.table.value == ""
    explorer.controls["maximum_inventory"].value = 120      # fixed again
    assert explorer.error is None and explorer.message.value == ""
    assert explorer.result is not None


def test_an_invalid_entry_is_reported_and_not_planned():
    planner = FakePlanner()
    explorer = explore(scenario(), planner=planner)
    explorer.controls["time_bucket"].value = "1 fortnight"
    assert len(planner.calls) == 1                           # nothing planned
    assert "Time Bucket" in explorer.message.value and "not a period" in explorer.message.value
    assert explorer.scenario.item.time_bucket == DateFormula(1, "W")   # last valid kept
    explorer.controls["time_bucket"].value = "2W"
    assert planner.calls[-1].item.time_bucket == DateFormula(2, "W")
    assert explorer.message.value == ""


def test_order_rows_change_quantity_and_date():
    planner = FakePlanner()
    explorer = explore(scenario(), planner=planner)
    assert explorer.order_selector is None
    explorer.order_controls[("demand", "SO1")]["qty"].value = 10
    explorer.order_controls[("supply", "PO1")]["due"].value = date(2026, 1, 8)
    last = planner.calls[-1]
    assert last.demand[0].qty == 10
    assert last.supply[0].due == date(2026, 1, 8)
    assert len(planner.calls) == 3


def test_many_orders_are_edited_through_a_selector():
    planner = FakePlanner()
    explorer = explore(scenario(n_demand=ORDER_ROWS + 5), planner=planner)
    assert explorer.order_selector is not None
    explorer.order_selector.value = ("demand", "SO7")
    assert len(planner.calls) == 1                          # selecting doesn't re-plan
    controls = explorer.order_controls[("demand", "SO7")]
    assert controls["qty"].value == 5
    controls["qty"].value = 33
    assert planner.calls[-1].demand[6].qty == 33
    explorer.order_selector.value = ("demand", "SO1")
    assert controls["qty"].value == 40                      # shows the picked order's value
    explorer.order_selector.value = ("demand", "SO7")
    assert controls["qty"].value == 33                      # and remembers the change


# --- compare -----------------------------------------------------------------------------------


def test_compare_plans_each_variant_side_by_side():
    planner = FakePlanner()
    comparison = compare(scenario(), planner=planner, rop_30={"reorder_point": 30},
                         rop_70={"reorder_point": 70})
    assert isinstance(comparison, widgets.Widget)
    assert [s.item.reorder_point for s in planner.calls] == [50, 30, 70]
    assert list(comparison.tables) == ["as is", "rop_30", "rop_70"]
    axes = [d.ax for d in comparison.drawings.values()]
    assert len({ax.get_ylim() for ax in axes}) == 1          # shared axes
    assert len({ax.get_xlim() for ax in axes}) == 1
    assert "Reorder Point 50 → 70" in comparison.drawings["rop_70"].title.get_text()
    assert bytes(comparison.image.value).startswith(b"\x89PNG")
    assert "planning line" in comparison.tables["rop_70"].value
    assert all(t.layout.overflow == "auto" and t.layout.max_height
               for t in comparison.tables.values())      # long tables scroll


def test_compare_shows_a_variant_that_cannot_be_planned():
    comparison = compare(scenario(), planner=FakePlanner(), bad={"maximum_inventory": 10})
    assert "would not plan" in comparison.errors["bad"]
    assert "would not plan" in comparison.tables["bad"].value
    assert comparison.results["bad"] is None
    assert comparison.results["as is"] is not None


# --- on the real engine ------------------------------------------------------------------------

OVERFLOW = ROOT / "scenarios" / "overflow-70-to-40-after.yaml"


@pytest.fixture
def overflow():
    pytest.importorskip("mrp_lab.engine")
    if not OVERFLOW.exists():
        pytest.skip(f"{OVERFLOW.name} is not written yet")
    import mrp_lab

    return mrp_lab.load_scenario(OVERFLOW)


def test_real_engine_explore_replans_on_change(overflow):
    explorer = explore(overflow)
    assert explorer.error is None
    assert "Change Qty." in explorer.table.value
    figure = explorer.figure
    explorer.controls["overflow_level"].value = 200      # no cut any more
    assert explorer.figure is figure
    assert explorer.scenario.item.overflow_level == 200
    assert "Change Qty." not in explorer.table.value


def test_real_engine_max_inventory_not_above_rop_is_a_readable_message(overflow):
    explorer = explore(overflow)
    explorer.controls["maximum_inventory"].value = overflow.item.reorder_point
    assert "Maximum" in explorer.message.value
    assert "Traceback" not in explorer.message.value


def test_real_engine_compare(overflow):
    comparison = compare(overflow, rop_30={"reorder_point": 30}, rop_60={"reorder_point": 60})
    assert set(comparison.results) == {"as is", "rop_30", "rop_60"}
    assert not comparison.errors


def test_a_new_quantity_range_redraws_the_quantity_axis_but_not_the_dates():
    explorer = explore(scenario(), planner=FakePlanner())
    draws = explorer._blitter.layer_draws           # dates, quantities, plot
    before = list(draws)
    explorer.controls["inventory"].value = 500      # a far higher projected inventory
    assert explorer.redraws == 2
    assert draws == [before[0], before[1] + 1, before[2] + 1]
    explorer.controls["inventory"].value = 510      # within the same range: plot only
    assert draws == [before[0], before[1] + 1, before[2] + 2]


def test_the_figure_is_sent_before_the_tables():
    explorer = explore(scenario(), planner=FakePlanner())
    sent: list[str] = []
    explorer.image.observe(lambda change: sent.append("figure"), names="value")
    explorer.table.observe(lambda change: sent.append("table"), names="value")
    explorer.warnings.observe(lambda change: sent.append("warnings"), names="value")
    explorer.controls["inventory"].value = 10        # new lines
    assert sent == ["figure", "table"]               # (the warnings did not change)
