"""plot_plan / plot_before_after / PlanDrawing on a hand-built PlanResult (no engine needed)
and, when the engine and the scenario file are there, on a real result."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt  # only to check that no pyplot figure is ever created
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

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
from mrp_lab.plot_text import LabelLayer
from mrp_lab.plots import (
    ACTION_STYLES,
    DEMAND_STYLE,
    MAX_BUCKET_LINES,
    SUPPLY_STYLE,
    WARNING_STYLES,
    PlanDrawing,
    change_text,
    plot_before_after,
    plot_plan,
)
from mrp_lab.result import PlanLine, PlanResult, TimelineRow

ROOT = Path(__file__).resolve().parents[1]
START = date(2026, 1, 5)
END = date(2026, 2, 15)


def d(offset: int) -> date:
    return START + timedelta(days=offset)


def make_result(*, reorder_point: float | None = 50, safety_stock: float | None = 10,
                maximum_inventory: float | None = 100, overflow_level: float | None = 120,
                bucket_days: int = 7) -> PlanResult:
    """Every action message and every warning once, over a hand-computed timeline."""
    scenario = Scenario(
        id="hand-built", title="Hand-built: every action and warning",
        planning=PlanningPeriod(START, END),
        item=Item(reordering_policy=ReorderingPolicy.MAXIMUM_QTY, reorder_point=50,
                  maximum_inventory=100, safety_stock_quantity=10, overflow_level=120),
        inventory=80,
        demand=(Demand("SO1", DemandKind.SALES_ORDER, d(2), 40),
                Demand("SO2", DemandKind.SALES_ORDER, d(9), 30),
                Demand("SO3", DemandKind.SALES_ORDER, d(20), 60)),
        supply=(Supply("PO1", SupplyKind.PURCHASE_ORDER, d(4), 90),
                Supply("PO2", SupplyKind.PURCHASE_ORDER, d(12), 20),
                Supply("PO3", SupplyKind.PURCHASE_ORDER, d(25), 25),
                Supply("PO4", SupplyKind.PURCHASE_ORDER, d(30), 15),
                Supply("PO5", SupplyKind.PURCHASE_ORDER, d(35), 5)),
    )
    lines = (
        PlanLine("NEW1", ActionMessage.NEW, None, d(-1), None, 5, None, d(-1), d(-1),
                 warning=PlanningWarning.EMERGENCY, message="Emergency: inventory is negative",
                 reason="emergency order"),
        PlanLine("NEW2", ActionMessage.NEW, None, d(20), None, 30, None, d(15), d(20),
                 warning=PlanningWarning.EXCEPTION, message="Exception: below safety stock",
                 reason="exception order"),
        PlanLine("PO1", ActionMessage.CHANGE_QTY, "PO1", d(4), d(4), 60, 90, d(4), d(4),
                 warning=PlanningWarning.ATTENTION,
                 message="The projected inventory 130 is higher than the overflow level 100",
                 reason="overflow cut", accept_action_message=False),
        PlanLine("PO2", ActionMessage.RESCHEDULE, "PO2", d(8), d(12), 20, 20, d(8), d(8),
                 reason="reschedule in"),
        PlanLine("PO3", ActionMessage.RESCHEDULE_AND_CHANGE_QTY, "PO3", d(18), d(25), 35, 25,
                 d(18), d(18), reason="reschedule in and increase"),
        PlanLine("PO4", ActionMessage.CANCEL, "PO4", d(30), d(30), 0, 15, d(30), d(30),
                 reason="not needed"),
    )
    before_supply = {s.due: 0.0 for s in scenario.supply}
    for s in scenario.supply:
        before_supply[s.due] += s.qty
    after_supply: dict[date, float] = {}
    for day, qty in [(d(-1), 5), (d(20), 30), (d(4), 60), (d(8), 20), (d(18), 35), (d(35), 5)]:
        after_supply[day] = after_supply.get(day, 0.0) + qty
    demand = {x.due: x.qty for x in scenario.demand}
    rows = []
    before = after = scenario.inventory
    for i in range(-1, (END - START).days + 1):
        day = d(i)
        before += before_supply.get(day, 0) - demand.get(day, 0)
        after += after_supply.get(day, 0) - demand.get(day, 0)
        rows.append(TimelineRow(
            date=day, demand=demand.get(day, 0), supply_before=before_supply.get(day, 0),
            supply_after=after_supply.get(day, 0),
            projected_inventory_before=before, projected_available_before=before - 5,
            projected_inventory_after=after, projected_available_after=after - 5,
            bucket_start=START + timedelta(days=(max(i, 0) // bucket_days) * bucket_days),
            reorder_point=reorder_point, safety_stock=safety_stock,
            maximum_inventory=maximum_inventory, overflow_level=overflow_level))
    return PlanResult(scenario=scenario, planning_lines=lines, timeline_rows=tuple(rows),
                      trace=())


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    assert plt.get_fignums() == []
    yield
    assert plt.get_fignums() == [], "a plot function left a pyplot figure open"


def legend_labels(ax) -> list[str]:
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


def texts(ax) -> list[str]:
    """Every text on the Axes: Text artists and the labels of its LabelLayers."""
    found = [a.get_text() for a in ax.get_children() if isinstance(a, Text) and a.get_text()]
    return found + [t for a in ax.get_children() if isinstance(a, LabelLayer) for t in a.texts]


def apart(a, b) -> bool:
    """Two label boxes overlap by at most a pixel in one direction (they may touch)."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) <= 1.0 or
            min(a.y1, b.y1) - max(a.y0, b.y0) <= 1.0)


def x(day: date) -> float:
    return float(mdates.date2num(day))


def heads(drawing: PlanDrawing, style) -> list[tuple[float, float]]:
    line = drawing.heads[style]
    return list(zip(line.get_xdata(), line.get_ydata(), strict=True))


def ghost_heads(drawing: PlanDrawing, style) -> list[tuple[float, float]]:
    line = drawing.ghost_heads[style]
    return list(zip(line.get_xdata(), line.get_ydata(), strict=True))


def drawn(result: PlanResult, **kwargs) -> PlanDrawing:
    ax = Figure().add_subplot()
    drawing = PlanDrawing(ax)
    drawing.update(result, **kwargs)
    return drawing


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60, metadata={"Software": None})
    return buffer.getvalue()


# --- plot_plan ---------------------------------------------------------------------------------


def test_plot_plan_draws_on_its_own_figure_without_pyplot():
    ax = plot_plan(make_result())
    assert isinstance(ax.figure, Figure)
    assert ax.get_xlabel() == "Date"
    assert ax.get_ylabel() == "Quantity"
    assert "Hand-built: every action and warning" in " ".join(texts(ax))
    assert "Maximum Qty., with the suggestions applied" in " ".join(texts(ax))


def test_plot_plan_uses_the_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_plan(make_result(), ax) is ax
    assert fig.axes == [ax]


def test_legend_has_every_action_and_warning_present():
    labels = legend_labels(plot_plan(make_result()))
    for style in ACTION_STYLES.values():
        assert style.label in labels
    for style in WARNING_STYLES.values():
        assert f"{style.label} warning" in labels
    for label in ("projected inventory", "projected available inventory", "demand",
                  "existing supply", "reorder point", "safety stock", "maximum inventory",
                  "overflow level", "time-bucket boundary"):
        assert label in labels


def test_before_view_shows_no_suggestions():
    ax = plot_plan(make_result(), after=False)
    labels = legend_labels(ax)
    assert not {s.label for s in ACTION_STYLES.values()} & set(labels)
    assert not any("warning" in label for label in labels)
    assert "as it stands" in " ".join(texts(ax))
    assert not any("→" in t for t in texts(ax))


def test_every_action_has_its_own_colour_marker_and_line_style():
    styles = [*ACTION_STYLES.values(), DEMAND_STYLE, SUPPLY_STYLE]
    assert len({s.color for s in ACTION_STYLES.values()}) == len(ACTION_STYLES)
    assert len({s.marker for s in styles}) + 1 == len(styles)   # New and supply are both ^ ...
    assert not ACTION_STYLES[ActionMessage.NEW].filled          # ... but New is hollow
    assert len({str(s.linestyle) for s in ACTION_STYLES.values()}) == len(ACTION_STYLES)
    assert len({s.marker for s in WARNING_STYLES.values()}) == len(WARNING_STYLES)


def test_projected_steps_follow_the_timeline_before_and_after():
    result = make_result()
    after, before = drawn(result), drawn(result, after=False)
    rows = result.timeline_rows
    assert list(after.projected.get_ydata()[:-1]) == [r.projected_inventory_after for r in rows]
    assert list(after.available.get_ydata()[:-1]) == [r.projected_available_after for r in rows]
    assert list(before.projected.get_ydata()[:-1]) == [r.projected_inventory_before
                                                        for r in rows]
    # the last level holds to the end of the planning period
    assert after.projected.get_xdata()[-1] == x(END + timedelta(days=1))
    assert after.projected.get_drawstyle() == "steps-post"


def test_suggestion_arrows_sit_where_the_lines_put_the_supply():
    drawing = drawn(make_result())
    # New lines: hollow up-arrows at their due date; the emergency one from the inventory 80.
    assert heads(drawing, ACTION_STYLES[ActionMessage.NEW]) == [(x(d(-1)), 85.0),
                                                               (x(d(20)), 160.0)]
    # Change Qty. 90 -> 60 on day 4: from the day-before level 45 up by 60; ghost up to 90.
    assert heads(drawing, ACTION_STYLES[ActionMessage.CHANGE_QTY]) == [(x(d(4)), 105.0)]
    assert ghost_heads(drawing, ACTION_STYLES[ActionMessage.CHANGE_QTY]) == [(x(d(4)), 135.0)]
    # Reschedule: arrow at the new date, ghost at the original date, arrow between them.
    assert heads(drawing, ACTION_STYLES[ActionMessage.RESCHEDULE])[0][0] == x(d(8))
    assert ghost_heads(drawing, ACTION_STYLES[ActionMessage.RESCHEDULE])[0][0] == x(d(12))
    # Cancel: only a ghost at the original date.
    assert heads(drawing, ACTION_STYLES[ActionMessage.CANCEL]) == []
    assert ghost_heads(drawing, ACTION_STYLES[ActionMessage.CANCEL])[0][0] == x(d(30))
    # Existing supply without a line stays black: only PO5.
    assert [p[0] for p in heads(drawing, SUPPLY_STYLE)] == [x(d(35))]


def test_demand_arrows_point_down_by_their_quantity_and_land_on_the_step():
    result = make_result()
    drawing = drawn(result)
    segments = drawing.shafts[DEMAND_STYLE].get_segments()
    assert len(segments) == len(result.scenario.demand)
    by_day = {r.date: r.projected_inventory_after for r in result.timeline_rows}
    for demand, segment in zip(result.scenario.demand, segments, strict=True):
        (x0, top), (x1, bottom) = segment
        assert x0 == x1 == x(demand.due)
        assert top - bottom == demand.qty
        assert bottom == by_day[demand.due]       # the arrow ends where the step ends


def test_change_notes_say_original_and_new():
    notes = " | ".join(texts(plot_plan(make_result())))
    assert "PO1: 90 → 60" in notes
    assert "PO2: 17 Jan → 13 Jan" in notes
    assert "PO3: 30 Jan → 23 Jan, 25 → 35" in notes
    assert "Cancel PO4: 15 → 0" in notes
    assert "New 30" in notes
    for word in ("Emergency", "Exception", "Attention"):
        assert word in notes


def test_reschedule_is_an_arrow_from_original_to_new_date():
    ax = plot_plan(make_result())
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    spans = {(a.xyann[0], a.xy[0]) for a in arrows}
    assert (x(d(12)), x(d(8))) in spans      # PO2 17 Jan -> 13 Jan
    assert (x(d(25)), x(d(18))) in spans     # PO3 30 Jan -> 23 Jan


def test_warning_marks_sit_above_their_lines():
    drawing = drawn(make_result())
    marks = {w: list(zip(line.get_xdata(), line.get_ydata(), strict=True))
             for w, line in drawing.warning_marks.items()}
    assert marks[PlanningWarning.EMERGENCY] == [(x(d(-1)), 85.0)]
    assert marks[PlanningWarning.EXCEPTION] == [(x(d(20)), 160.0)]
    assert marks[PlanningWarning.ATTENTION] == [(x(d(4)), 105.0)]


def test_notes_are_capped_but_changes_come_first():
    notes = texts(plot_plan(make_result(), max_labels=2))
    assert sum("→" in t for t in notes) == 2
    assert not any(t.startswith("New ") for t in notes)


def test_levels_the_policy_does_not_use_are_not_drawn():
    result = make_result(reorder_point=None, overflow_level=None, safety_stock=0)
    ax = plot_plan(result)
    labels = legend_labels(ax)
    assert "maximum inventory" in labels
    assert "reorder point" not in labels
    assert "overflow level" not in labels
    assert "safety stock" not in labels            # zero safety stock means none
    assert not any(t.startswith(("reorder point", "overflow level")) for t in texts(ax))


def test_levels_at_the_same_height_share_one_label():
    notes = texts(plot_plan(make_result(overflow_level=100)))
    assert "maximum inventory = overflow level 100" in notes


def test_bucket_boundaries_are_light_vertical_lines():
    drawing = drawn(make_result(bucket_days=7))
    segments = drawing.buckets.get_segments()
    starts = [START + timedelta(days=7 * k) for k in range((END - START).days // 7 + 1)]
    assert [s[0][0] for s in segments] == [x(day) for day in starts[1:]]
    assert all(s[0][0] == s[1][0] for s in segments)


def test_too_many_bucket_boundaries_are_not_drawn():
    result = make_result()
    row = result.timeline_rows[0]

    def buckets(count: int) -> int:
        rows = tuple(dataclasses.replace(row, date=START + timedelta(days=i),
                                         bucket_start=START + timedelta(days=i))
                     for i in range(count))
        return len(drawn(PlanResult(result.scenario, (), rows, ())).buckets.get_segments())

    assert buckets(MAX_BUCKET_LINES + 1) == MAX_BUCKET_LINES      # that many boundaries: drawn
    assert buckets(MAX_BUCKET_LINES + 2) == 0                     # one more: noise, left out
    assert buckets(1) == 0                                        # one bucket: no boundary


def test_update_reuses_artists_and_replaces_notes():
    result = make_result()
    ax = Figure().add_subplot()
    drawing = PlanDrawing(ax)
    drawing.update(result)
    artists = list(ax.get_children())
    projected = drawing.projected
    drawing.update(result, after=False)
    drawing.update(result)
    assert drawing.projected is projected
    assert len(ax.get_children()) == len(artists)      # notes replaced, not piled up
    assert len(ax.lines) == len({id(line) for line in ax.lines})


def test_empty_timeline_still_draws_the_orders():
    result = make_result()
    bare = PlanResult(result.scenario, result.planning_lines, (), ())
    drawing = drawn(bare)
    assert len(drawing.projected.get_xdata()) == 0
    assert len(drawing.shafts[DEMAND_STYLE].get_segments()) == 3


def test_show_message_empties_the_plot():
    drawing = drawn(make_result())
    drawing.show_message("Maximum Qty.: no plan", "Business Central would not plan this item")
    assert len(drawing.projected.get_xdata()) == 0
    assert all(len(c.get_segments()) == 0 for c in drawing.shafts.values())
    assert "Business Central would not plan this item" in texts(drawing.ax)
    assert drawing.legend_handles() == []


def test_change_text_formats():
    line = make_result().planning_lines[3]
    assert change_text(line) == "PO2: 17 Jan → 13 Jan"


def test_before_after_has_two_panels_sharing_axes():
    fig = plot_before_after(make_result())
    assert isinstance(fig, Figure)
    top, bottom = fig.axes
    assert top.get_ylim() == bottom.get_ylim()
    assert top.get_xlim() == bottom.get_xlim()
    assert "Before" in " ".join(texts(top))
    assert "After" in " ".join(texts(bottom))
    assert "Change Qty." in legend_labels(bottom)
    assert "Change Qty." not in legend_labels(top)
    assert fig.get_suptitle().startswith("Hand-built: every action and warning")


def test_rendering_is_deterministic():
    assert png(plot_before_after(make_result())) == png(plot_before_after(make_result()))


# --- on the real engine -------------------------------------------------------------------------

OVERFLOW = ROOT / "scenarios" / "overflow-70-to-40-after.yaml"


@pytest.fixture
def overflow_result():
    pytest.importorskip("mrp_lab.engine")
    if not OVERFLOW.exists():
        pytest.skip(f"{OVERFLOW.name} is not written yet")
    import mrp_lab

    return mrp_lab.plan(mrp_lab.load_scenario(OVERFLOW))


def test_real_overflow_cut_is_drawn_as_change_qty_with_attention(overflow_result):
    fig = plot_before_after(overflow_result)
    bottom = fig.axes[1]
    labels = legend_labels(bottom)
    assert "Change Qty." in labels
    assert "Attention warning" in labels
    line = next(line for line in overflow_result.planning_lines
                if line.action == ActionMessage.CHANGE_QTY)
    assert f"{line.supply}: 90 → 60" in texts(bottom)
    png(fig)   # renders


def test_readme_figure_script_is_deterministic(overflow_result, tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_readme_figure", ROOT / "scripts" / "make_readme_figure.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    assert script.main([str(OVERFLOW), "-o", str(first)]) == 0
    assert script.main([str(OVERFLOW), "-o", str(second), "--dpi", "110"]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(b"\x89PNG")
    assert script.main([str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "c.png")]) == 1
    assert not (tmp_path / "c.png").exists()


def scaled(result: PlanResult, factor: float) -> PlanResult:
    rows = tuple(dataclasses.replace(r, **{k: getattr(r, k) * factor for k in (
        "projected_inventory_before", "projected_available_before",
        "projected_inventory_after", "projected_available_after")})
        for r in result.timeline_rows)
    return PlanResult(result.scenario, (), rows, ())


def test_sticky_drawing_keeps_its_scale_while_the_plan_fits():
    base = make_result(reorder_point=None, safety_stock=None, maximum_inventory=None,
                       overflow_level=None)
    drawing = drawn(scaled(base, 1.0))
    drawing.sticky = True
    first = drawing.ax.get_ylim()
    drawing.update(scaled(base, 0.8))
    assert drawing.ax.get_ylim() == first            # fits and fills most of it: kept
    drawing.update(scaled(base, 3.0))
    grown = drawing.ax.get_ylim()
    assert grown[1] > first[1]                       # doesn't fit: grows
    drawing.update(scaled(base, 0.3))
    assert drawing.ax.get_ylim()[1] < grown[1]       # far too roomy: shrinks
    plain = drawn(scaled(base, 1.0))
    plain.update(scaled(base, 0.8))
    assert plain.ax.get_ylim() != first              # not sticky: always fitted


def test_crowded_notes_keep_clear_of_each_other_and_of_the_level_labels():
    import mrp_lab

    days = 20
    scenario = Scenario(
        id="crowded", planning=PlanningPeriod(START, START + timedelta(days=days - 1)),
        item=Item(reordering_policy=ReorderingPolicy.LOT_FOR_LOT, safety_stock_quantity=5),
        inventory=0,
        demand=tuple(Demand(f"SO{i}", DemandKind.SALES_ORDER, START + timedelta(days=i),
                            float(5 + i % 7)) for i in range(days)))
    result = mrp_lab.plan(scenario)
    drawing = drawn(result)
    FigureCanvasAgg(drawing.ax.figure).draw()
    notes, levels = drawing.labels, drawing.level_labels
    assert len(notes.labels) >= days                 # a note per day: crowded
    assert levels.drawn and 0 < len(notes.drawn) < len(notes.labels)
    boxes = [box for layer in (levels, notes) for _, _, box in layer.place()]
    assert len(boxes) == len(levels.drawn) + len(notes.drawn)
    for i, box in enumerate(boxes):
        assert box.x1 <= drawing.ax.bbox.x1 + 1             # none runs into the legend
        assert all(apart(box, other) for other in boxes[i + 1:])
