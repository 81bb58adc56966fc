"""Jupyter widgets: explore a scenario's planning parameters live; compare parameter sets.

The logic lives in plain functions (``visible_parameters``, ``scenario_from_controls``,
``apply_item_changes``, ``lines_html``...) that tests call without a browser; the widget
classes only wire ipywidgets controls to them. Each change builds a new frozen Scenario with
``dataclasses.replace``, plans it and redraws ONE persistent Agg ``Figure`` into an
``ipywidgets.Image`` as PNG: no pyplot, no ipympl, nothing to install in the Jupyter server.
"""

from __future__ import annotations

import dataclasses
import html
import io
import time
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage  # matplotlib's own dependency

from .dates import DateFormula
from .errors import MrpLabError, PlanningError, ScenarioError
from .model import Item, ReorderingPolicy, Scenario
from .plots import ACTION_STYLES, PlanDrawing, share_limits
from .result import PlanResult

__all__ = [
    "CAPTIONS", "Explorer", "VariantComparison", "apply_item_changes", "compare", "date_bounds",
    "explore", "include_inventory_for_policy", "lines_html", "parse_formula",
    "scenario_from_controls", "variant_scenarios", "visible_parameters", "warnings_html",
]

Planner = Callable[[Scenario], PlanResult]

# Item-card captions, in the order the controls appear.
CAPTIONS: dict[str, str] = {
    "reorder_point": "Reorder Point",
    "reorder_quantity": "Reorder Quantity",
    "maximum_inventory": "Maximum Inventory",
    "overflow_level": "Overflow Level",
    "safety_stock_quantity": "Safety Stock Quantity",
    "include_inventory": "Include Inventory",
    "time_bucket": "Time Bucket",
    "rescheduling_period": "Rescheduling Period",
    "lot_accumulation_period": "Lot Accumulation Period",
    "dampener_period": "Dampener Period",
    "dampener_quantity": "Dampener Quantity",
    "lead_time_calculation": "Lead Time Calculation",
    "safety_lead_time": "Safety Lead Time",
    "minimum_order_quantity": "Minimum Order Quantity",
    "maximum_order_quantity": "Maximum Order Quantity",
    "order_multiple": "Order Multiple",
}
QUANTITY_FIELDS = frozenset({
    "reorder_point", "reorder_quantity", "maximum_inventory", "overflow_level",
    "safety_stock_quantity", "dampener_quantity", "minimum_order_quantity",
    "maximum_order_quantity", "order_multiple"})
FORMULA_FIELDS = frozenset({
    "time_bucket", "rescheduling_period", "lot_accumulation_period", "dampener_period",
    "lead_time_calculation", "safety_lead_time"})
BOOL_FIELDS = frozenset({"include_inventory"})

_MODIFIERS = ("minimum_order_quantity", "maximum_order_quantity", "order_multiple")
# The parameters each policy uses (reference §1.3; the rest are forced to 0 / 0D before
# planning, so the item card hides them). Lead Time Calculation is used by every policy.
POLICY_PARAMETERS: dict[ReorderingPolicy, tuple[str, ...]] = {
    ReorderingPolicy.FIXED_REORDER_QTY: (
        "reorder_point", "reorder_quantity", "overflow_level", "safety_stock_quantity",
        "time_bucket", "dampener_quantity", "safety_lead_time", *_MODIFIERS),
    ReorderingPolicy.MAXIMUM_QTY: (
        "reorder_point", "maximum_inventory", "overflow_level", "safety_stock_quantity",
        "time_bucket", "dampener_quantity", "safety_lead_time", *_MODIFIERS),
    ReorderingPolicy.ORDER: ("dampener_period", "safety_lead_time"),
    ReorderingPolicy.LOT_FOR_LOT: (
        "include_inventory", "safety_stock_quantity", "rescheduling_period",
        "lot_accumulation_period", "dampener_period", "dampener_quantity", "safety_lead_time",
        *_MODIFIERS),
    ReorderingPolicy.BLANK: (),
}
ALWAYS_USED = ("lead_time_calculation",)

QTY_MAX = 1e9
DATE_SLACK = timedelta(days=31)      # how far outside the planning period a date may move
ORDER_ROWS = 15                      # more orders than this: edit one at a time via a selector
TABLE_ROWS = 100                     # lines shown in the table (the DataFrame has them all)
TABLE_HEIGHT = "420px"               # the lines table scrolls beyond this
WARNINGS_HEIGHT = "130px"            # so does the list of warnings
FORMULA_CHOICES = ("0D", "1D", "2D", "3D", "5D", "1W", "2W", "3W", "4W")


# --- plain functions (no widgets) ---------------------------------------------------------


def visible_parameters(policy: ReorderingPolicy | str, *, include_inventory: bool = True
                       ) -> tuple[str, ...]:
    """The item fields a policy uses, in caption order (reference §1.3). Safety Stock Quantity
    counts for Lot-for-Lot only with Include Inventory on."""
    policy = ReorderingPolicy(policy)
    used = set(POLICY_PARAMETERS[policy]) | set(ALWAYS_USED)
    if policy == ReorderingPolicy.LOT_FOR_LOT and not include_inventory:
        used.discard("safety_stock_quantity")
    return tuple(name for name in CAPTIONS if name in used)


def include_inventory_for_policy(policy: ReorderingPolicy | str) -> bool:
    """What Business Central sets Include Inventory to when a policy is chosen (§1.3): on for
    Fixed, Max and Lot-for-Lot, off for Order."""
    return ReorderingPolicy(policy) != ReorderingPolicy.ORDER


def parse_formula(text: str | DateFormula | None, *, units: str = "DW",
                  field: str = "formula") -> DateFormula | None:
    """A control's text as a date formula: blank → ``None`` (blank field), else ``<n>D`` or
    ``<n>W`` (or another unit in ``units``). Raises ScenarioError naming the field."""
    if text is None or isinstance(text, DateFormula):
        return text
    text = str(text).strip()
    if not text:
        return None
    expected = " or ".join(f"<n>{u}" for u in units) + " (blank for none)"
    try:
        formula = DateFormula.parse(text)
    except ValueError:
        formula = None
    if formula is None or formula.unit not in units:
        raise ScenarioError(f"{CAPTIONS.get(field, field)}: {text!r} is not a period; "
                            f"type {expected}", key=f"item.{field}", value=text,
                            expected=expected)
    return formula


def format_formula(formula: DateFormula | None) -> str:
    return "" if formula is None else str(formula)


def _quantity(value: Any, where: str, key: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not number >= 0 or number > QTY_MAX:      # also rejects NaN
        raise ScenarioError(f"{where}: expected a quantity ≥ 0, got {value!r}", key=key,
                            value=value, expected="a number ≥ 0")
    return number


def _item_value(item: Item, name: str, value: Any, units: str) -> Any:
    if name == "reordering_policy":
        try:
            return ReorderingPolicy(value)
        except ValueError:
            raise ScenarioError(f"Reordering Policy: unknown policy {value!r}",
                                key="item.reordering_policy", value=value,
                                expected=", ".join(repr(p.value) for p in ReorderingPolicy)
                                ) from None
    if name in QUANTITY_FIELDS:
        return _quantity(value, CAPTIONS[name], f"item.{name}")
    if name in FORMULA_FIELDS:
        return parse_formula(value, units=units, field=name)
    if name in BOOL_FIELDS:
        return None if value is None else bool(value)
    if any(f.name == name for f in dataclasses.fields(Item)):
        return value
    raise ScenarioError(f"{name!r} is not an item field; expected one of "
                        f"{', '.join(sorted(CAPTIONS))} or reordering_policy",
                        key=f"item.{name}", value=name)


def apply_item_changes(scenario: Scenario, changes: Mapping[str, Any], *,
                       units: str = "DWMQY") -> Scenario:
    """The scenario with some item fields changed (``{"reorder_point": 30}``; periods as text
    such as ``"1W"``), built with ``dataclasses.replace`` so it stays frozen; raises
    ScenarioError for an unknown field or a value out of range."""
    item = scenario.item
    values = {name: _item_value(item, name, value, units) for name, value in changes.items()}
    return dataclasses.replace(scenario, item=dataclasses.replace(item, **values))


def date_bounds(scenario: Scenario) -> tuple[date, date]:
    """The dates a control may take: the planning period plus a month either side, widened to
    any date the scenario already uses."""
    days = [o.due for o in (*scenario.demand, *scenario.supply)]
    lo = min([scenario.planning.start - DATE_SLACK, *days])
    hi = max([scenario.planning.end + DATE_SLACK, *days])
    return lo, hi


def scenario_from_controls(base: Scenario, *, item: Mapping[str, Any] | None = None,
                           inventory: float | None = None,
                           demand: Mapping[str, Mapping[str, Any]] | None = None,
                           supply: Mapping[str, Mapping[str, Any]] | None = None,
                           units: str = "DW") -> Scenario:
    """The scenario the controls describe: ``item`` maps item fields (and
    ``reordering_policy``) to control values, ``demand``/``supply`` map an order id to
    ``{"qty": ..., "due": ...}``. Values equal to the base's are left alone (so untouched
    controls give back the base scenario); Include Inventory equal to the chosen policy's
    default stays blank. Raises ScenarioError with the caption, the value and what is expected.
    """
    item = dict(item or {})
    base_item = base.item
    units = units + "".join({f.unit for name in FORMULA_FIELDS
                             if (f := getattr(base_item, name)) is not None})
    changes: dict[str, Any] = {}
    for name, raw in item.items():
        if name == "include_inventory":
            continue
        value = _item_value(base_item, name, raw, units)
        if value != getattr(base_item, name):
            changes[name] = value
    if item.get("include_inventory") is not None:
        wanted = bool(item["include_inventory"])
        policy = changes.get("reordering_policy", base_item.reordering_policy)
        keep_blank = (base_item.include_inventory is None
                      and wanted == include_inventory_for_policy(policy))
        value = None if keep_blank else wanted
        if value != base_item.include_inventory:
            changes["include_inventory"] = value
    new_item = dataclasses.replace(base_item, **changes) if changes else base_item

    lo, hi = date_bounds(base)
    new_inventory = base.inventory if inventory is None else _quantity(
        inventory, "Inventory", "inventory")
    new_demand = tuple(_order(o, (demand or {}).get(o.id), "demand", i, lo, hi)
                       for i, o in enumerate(base.demand))
    new_supply = tuple(_order(o, (supply or {}).get(o.id), "supply", i, lo, hi)
                       for i, o in enumerate(base.supply))
    if (new_item is base_item and new_inventory == base.inventory
            and new_demand == base.demand and new_supply == base.supply):
        return base
    return dataclasses.replace(base, item=new_item, inventory=new_inventory,
                               demand=new_demand, supply=new_supply)


def _order(order: Any, values: Mapping[str, Any] | None, kind: str, index: int, lo: date,
           hi: date) -> Any:
    if not values:
        return order
    changes: dict[str, Any] = {}
    if "qty" in values:
        changes["qty"] = _quantity(values["qty"], f"{order.id} quantity", f"{kind}[{index}].qty")
    if "due" in values:
        due = values["due"]
        if not isinstance(due, date) or not lo <= due <= hi:
            raise ScenarioError(f"{order.id} due date: expected a date from {lo} to {hi}, "
                                f"got {due!r}", key=f"{kind}[{index}].due", value=due,
                                expected=f"a date from {lo} to {hi}")
        changes["due"] = due
    changes = {k: v for k, v in changes.items() if v != getattr(order, k)}
    return dataclasses.replace(order, **changes) if changes else order


def variant_scenarios(scenario: Scenario, variants: Mapping[str, Mapping[str, Any]]
                      ) -> dict[str, Scenario]:
    """``{"as is": scenario, name: scenario with that variant's item changes, ...}``."""
    if not variants:
        raise ValueError("compare needs at least one variant, e.g. rop_30={'reorder_point': 30}")
    out = {"as is": scenario}
    for name, changes in variants.items():
        if not isinstance(changes, Mapping):
            raise ValueError(f"variant {name!r}: expected a dict of item fields, got {changes!r}")
        out[name] = apply_item_changes(scenario, changes)
    return out


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return html.escape(str(value))


_LINE_HEADINGS = ("Action", "Supply", "Due", "Orig. due", "Qty", "Orig. qty", "Warning",
                  "Reason")


def lines_html(result: PlanResult, *, max_rows: int = TABLE_ROWS) -> str:
    """The planning lines as an HTML table (the columns of ``result.lines``, reasons and
    warning messages included); each action's cell carries its plot colour and marker name."""
    lines = result.planning_lines
    if not lines:
        return "<p><b>No planning lines</b>: planning suggests nothing for this scenario.</p>"
    head = "".join(f"<th style='text-align:left;padding:2px 6px'>{h}</th>"
                   for h in _LINE_HEADINGS)
    body = []
    for line in lines[:max_rows]:
        style = ACTION_STYLES[line.action]
        reason = _cell(line.reason)
        if line.message:
            reason += f"<br><i>{_cell(line.message)}</i>"
        cells = (
            f"<span style='border-left:6px solid {style.color};padding-left:4px'>"
            f"{_cell(line.action.value)}</span>",
            _cell(line.supply), _nowrap(line.due), _nowrap(line.original_due), _cell(line.qty),
            _cell(line.original_qty), f"<b>{_cell(line.warning.value)}</b>" if line.warning
            else "", reason)
        body.append("<tr>" + "".join(f"<td style='padding:2px 6px;vertical-align:top'>{c}</td>"
                                     for c in cells) + "</tr>")
    more = len(lines) - max_rows
    tail = (f"<p>… and {more} more lines (see <code>result.lines</code>).</p>"
            if more > 0 else "")
    return (f"<p><b>{len(lines)} planning line{'s' if len(lines) != 1 else ''}</b></p>"
            f"<table style='border-collapse:collapse;font-size:90%'><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(body)}</tbody></table>{tail}")


def _nowrap(value: Any) -> str:
    """A cell that never breaks (a date split as "2026-10-" / "08" reads badly)."""
    text = _cell(value)
    return f"<span style='white-space:nowrap'>{text}</span>" if text else ""


def warnings_html(result: PlanResult) -> str:
    """The lines with a warning and the planning errors BC would log, as an HTML list."""
    items = [f"<li><b>{_cell(line.warning.value)}</b> on {_cell(line.supply or line.line_id)} "
             f"({_cell(line.action.value)}, due {_cell(line.due)}): {_cell(line.message)}</li>"
             for line in result.planning_lines if line.warning is not None]
    items += [f"<li><b>Planning error</b>: {_cell(e)}</li>" for e in result.errors]
    if not items:
        return "<p>No warnings.</p>"
    count = f"<b>{len(items)} warning{'s' if len(items) != 1 else ''}</b>"
    return f"{count}<ul style='margin:0'>{''.join(items)}</ul>"


def problem_html(title: str, text: str) -> str:
    return (f"<div style='border-left:6px solid #D55E00;padding:4px 8px;background:#FFF4EC'>"
            f"<b>{html.escape(title)}</b><br>{html.escape(text)}</div>")


def render_png(figure: Figure, *, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (fast zlib level; metadata without the Matplotlib version so
    the bytes don't change with it)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi or figure.dpi, metadata={"Software": None},
                   pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _default_planner(scenario: Scenario) -> PlanResult:
    from . import plan

    return plan(scenario)


def _run(planner: Planner, scenario: Scenario) -> tuple[PlanResult | None, str | None]:
    """Plan, turning an engine refusal into a message instead of a traceback."""
    try:
        return planner(scenario), None
    except PlanningError as error:
        return None, f"Business Central would not plan this item: {error}"
    except MrpLabError as error:
        return None, str(error)
    except Exception as error:  # a widget must show engine bugs, not swallow them
        return None, f"Unexpected {type(error).__name__} while planning: {error}"


def _new_figure(figsize: tuple[float, float], dpi: float) -> Figure:
    figure = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(figure)
    # Fixed margins instead of a layout engine: the size never changes, and re-running
    # constrained layout on every redraw would cost more than the drawing itself.
    figure.subplots_adjust(left=0.075, right=0.74, bottom=0.12, top=0.92)
    return figure


class FigureBlitter:
    """Renders a figure whose ``PlanDrawing`` changes, re-rasterising only what did change.

    The figure's static parts (frame, the complete legend) are drawn once; then each of the
    drawing's layers (axes, level labels, plot: ``PlanDrawing.layers``) is drawn over the
    pixels kept from the layer below, and its own pixels kept in turn, unless its key and the
    keys below it are unchanged, in which case its kept pixels are restored. The last layer
    (the plot) is drawn every time. Text is most of Agg's drawing time, and the legend, ticks
    and labels are most of the text, so a re-plan costs a fraction of a full redraw.
    """

    def __init__(self, figure: Figure, drawing: PlanDrawing) -> None:
        self.figure = figure
        self.drawing = drawing
        self.full_draws = 0
        self.layer_draws: list[int] = []
        self._size: tuple[int, int] | None = None
        self._saved: list[Any] = []      # pixels: static parts, then after each kept layer
        self._keys: list[Any] = []       # the key each kept layer was drawn with

    def png(self) -> bytes:
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        size = (int(renderer.width), int(renderer.height))
        layers = self.drawing.layers()
        if not self._saved or size != self._size:
            artists = [a for _, layer in layers for a in layer]
            for artist in artists:
                artist.set_animated(True)
            try:
                canvas.draw()
            finally:
                for artist in artists:          # a full draw (savefig) must show everything
                    artist.set_animated(False)
            renderer = canvas.get_renderer()
            self._saved, self._keys, self._size = [canvas.copy_from_bbox(self.figure.bbox)], [], size
            self.layer_draws = [0] * len(layers)
            self.full_draws += 1
        kept = 0
        while kept < len(self._keys) and self._keys[kept] == layers[kept][0]:
            kept += 1
        del self._keys[kept:], self._saved[kept + 1:]
        canvas.restore_region(self._saved[-1])
        for index, (key, artists) in enumerate(layers):
            if index < kept:
                continue
            for artist in artists:
                artist.draw(renderer)
            self.layer_draws[index] += 1
            if index < len(layers) - 1:
                self._saved.append(canvas.copy_from_bbox(self.figure.bbox))
                self._keys.append(key)
        return _encode_png(canvas.buffer_rgba(), size)


def _encode_png(rgba: Any, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    # RGB at zlib level 1: a third faster than matplotlib's savefig defaults, same pixels.
    PILImage.frombuffer("RGBA", size, rgba, "raw", "RGBA", 0, 1).convert("RGB").save(
        buffer, format="png", compress_level=1)
    return buffer.getvalue()


# --- widgets ------------------------------------------------------------------------------


class Explorer(widgets.VBox):
    """Controls for the reordering policy, the parameters it uses and every order; each
    change re-plans and redraws the same ``figure``. Build one with ``explore(scenario)``.

    ``controls`` maps item fields (and ``"reordering_policy"``, ``"inventory"``) to their
    widgets; ``order_controls[("demand", id)]`` holds an order's ``qty`` and ``due`` widgets
    (for a long order list, one pair edits the order picked in ``order_selector``).
    ``scenario``, ``result`` and ``error`` describe the latest change; ``timings`` how long
    its steps took (seconds).
    """

    def __init__(self, scenario: Scenario, *, planner: Planner | None = None,
                 figsize: tuple[float, float] = (9.5, 4.6), dpi: float = 80) -> None:
        self.base = scenario
        self.scenario = scenario
        self.result: PlanResult | None = None
        self.error: str | None = None
        self.timings: dict[str, float] = {}
        self.redraws = 0
        self._planner = planner or _default_planner
        self._hold = False
        self.figure = _new_figure(figsize, dpi)
        self.ax = self.figure.add_subplot()
        self.drawing = PlanDrawing(self.ax)
        self.drawing.sticky = True
        self.drawing.add_legend(everything=True)     # the same key whatever is drawn
        self._blitter = FigureBlitter(self.figure, self.drawing)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%",
                                                                       max_width="1000px"))
        self.message = widgets.HTML()
        # Scroll boxes: a year of warnings or lines must not push the controls far below the
        # figure (and the browser repaints only what is in view).
        self.warnings = widgets.HTML(layout=widgets.Layout(max_height=WARNINGS_HEIGHT,
                                                           overflow="auto"))
        self.table = widgets.HTML(layout=widgets.Layout(max_height=TABLE_HEIGHT,
                                                        overflow="auto"))
        self.view = widgets.ToggleButtons(
            options=[("with suggestions", True), ("as it stands", False)], value=True,
            description="Plan:", tooltip="projected inventory after or before the suggestions")

        self.controls: dict[str, widgets.Widget] = {}
        self._build_item_controls(scenario)
        self.order_controls: dict[tuple[str, str], dict[str, widgets.Widget]] = {}
        self.order_values: dict[tuple[str, str], dict[str, Any]] = {
            ("demand", o.id): {"qty": o.qty, "due": o.due} for o in scenario.demand}
        self.order_values.update({("supply", o.id): {"qty": o.qty, "due": o.due}
                                  for o in scenario.supply})
        self.order_selector: widgets.Dropdown | None = None
        orders = self._build_order_controls(scenario)

        self._update_visibility()
        for name, control in self.controls.items():
            control.observe(self._on_policy if name == "reordering_policy" else self._on_change,
                            names="value")
        self.view.observe(self._on_change, names="value")

        title = html.escape(scenario.title or scenario.id)
        heading = widgets.HTML(f"<h3 style='margin:2px 0'>{title}</h3>"
                               f"<p style='margin:0'>{html.escape(scenario.what)}</p>")
        parameters = widgets.VBox([widgets.HTML("<b>Item card</b>"),
                                   *self.controls.values()],
                                  layout=widgets.Layout(width="380px"))
        super().__init__([heading, self.view, self.image, self.message, self.warnings,
                          widgets.HBox([parameters, orders]), self.table])
        self.refresh()

    def __repr__(self) -> str:
        policy = self.scenario.item.reordering_policy.value or "not planned"
        return f"<Explorer of {self.base.id!r}: {policy}>"

    # controls ---------------------------------------------------------------------------

    def _build_item_controls(self, scenario: Scenario) -> None:
        item = scenario.item
        style = {"description_width": "170px"}
        def wide() -> widgets.Layout:      # one Layout each: visibility is set per control
            return widgets.Layout(width="360px")

        policies = [p for p in ReorderingPolicy if p != ReorderingPolicy.BLANK or
                    item.reordering_policy == ReorderingPolicy.BLANK]
        self.controls["reordering_policy"] = widgets.Dropdown(
            options=[(p.value or "(blank: not planned)", p) for p in policies],
            value=item.reordering_policy, description="Reordering Policy", style=style,
            layout=wide())
        for name, caption in CAPTIONS.items():
            value = getattr(item, name)
            if name in QUANTITY_FIELDS:
                control: widgets.Widget = widgets.BoundedFloatText(
                    value=value, min=0, max=QTY_MAX, step=1, description=caption, style=style,
                    layout=wide(), continuous_update=False)
            elif name in FORMULA_FIELDS:
                control = widgets.Combobox(
                    value=format_formula(value), options=FORMULA_CHOICES, ensure_option=False,
                    placeholder="blank", description=caption, style=style, layout=wide(),
                    continuous_update=False, tooltip="<n>D or <n>W; blank for none")
            else:
                control = widgets.Checkbox(value=item.effective_include_inventory,
                                           description=caption, style=style, indent=True,
                                           layout=wide())   # room for the whole caption
            self.controls[name] = control
        self.controls["inventory"] = widgets.BoundedFloatText(
            value=scenario.inventory, min=0, max=QTY_MAX, step=1, description="Inventory (on hand)",
            style=style, layout=wide(), continuous_update=False)

    def _build_order_controls(self, scenario: Scenario) -> widgets.Widget:
        lo, hi = date_bounds(scenario)
        orders = [("demand", o) for o in scenario.demand] + [("supply", o) for o in scenario.supply]

        def pair(qty: float, due: date) -> dict[str, widgets.Widget]:
            return {"qty": widgets.BoundedFloatText(value=qty, min=0, max=QTY_MAX, step=1,
                                                    continuous_update=False,
                                                    layout=widgets.Layout(width="90px")),
                    "due": widgets.DatePicker(value=due, min=lo, max=hi,
                                              layout=widgets.Layout(width="150px"))}

        if len(orders) <= ORDER_ROWS:
            rows = [widgets.HTML("<b>Demand and supply</b> (quantity, due date)")]
            for kind, order in orders:
                controls = pair(order.qty, order.due)
                self.order_controls[(kind, order.id)] = controls
                for name, control in controls.items():
                    control.observe(self._order_handler(kind, order.id, name), names="value")
                label = f"{order.id} ({order.kind.value.replace('_', ' ')})"
                rows.append(widgets.HBox([widgets.Label(label, layout=widgets.Layout(
                    width="190px")), controls["qty"], controls["due"]]))
            return widgets.VBox(rows)

        first_kind, first = orders[0]
        controls = pair(first.qty, first.due)
        self.order_selector = widgets.Dropdown(
            options=[(f"{o.id} ({o.kind.value.replace('_', ' ')}, {o.due})", (k, o.id))
                     for k, o in orders], value=(first_kind, first.id), description="Order",
            layout=widgets.Layout(width="360px"))
        for kind, order in orders:
            self.order_controls[(kind, order.id)] = controls   # one pair edits them all
        self.order_selector.observe(self._on_select, names="value")
        for name, control in controls.items():
            control.observe(self._order_handler(None, None, name), names="value")
        return widgets.VBox([widgets.HTML(f"<b>Demand and supply</b> ({len(orders)} orders: "
                                          "pick one, then change its quantity or due date)"),
                             self.order_selector, widgets.HBox([controls["qty"], controls["due"]])])

    def _order_handler(self, kind: str | None, order_id: str | None, name: str
                       ) -> Callable[[dict[str, Any]], None]:
        def handle(change: dict[str, Any]) -> None:
            if self._hold:
                return
            key = (kind, order_id) if kind is not None else self.order_selector.value
            self.order_values[key][name] = change["new"]
            self.refresh()
        return handle

    def _on_select(self, change: dict[str, Any]) -> None:
        values = self.order_values[change["new"]]
        controls = self.order_controls[change["new"]]
        with self._holding():
            controls["qty"].value = values["qty"]
            controls["due"].value = values["due"]

    def _on_policy(self, change: dict[str, Any]) -> None:
        if self._hold:
            return
        # Choosing a policy sets Include Inventory, as the item card does (§1.3).
        with self._holding():
            self.controls["include_inventory"].value = include_inventory_for_policy(change["new"])
        self.refresh()

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._hold:
            self.refresh()

    def _holding(self) -> _Hold:
        return _Hold(self)

    def _update_visibility(self) -> None:
        policy = self.controls["reordering_policy"].value
        shown = set(visible_parameters(policy,
                                       include_inventory=self.controls["include_inventory"].value))
        shown |= {"reordering_policy", "inventory"}
        for name, control in self.controls.items():
            control.layout.display = None if name in shown else "none"

    def item_values(self) -> dict[str, Any]:
        """The item-card controls' current values (hidden ones included: BC keeps them too)."""
        return {name: control.value for name, control in self.controls.items()
                if name != "inventory"}

    def current_scenario(self) -> Scenario:
        """The scenario the controls describe (raises ScenarioError for an invalid entry)."""
        return scenario_from_controls(
            self.base, item=self.item_values(), inventory=self.controls["inventory"].value,
            demand={i: v for (k, i), v in self.order_values.items() if k == "demand"},
            supply={i: v for (k, i), v in self.order_values.items() if k == "supply"})

    # re-plan and redraw ---------------------------------------------------------------

    def refresh(self) -> None:
        """Build the scenario from the controls, plan it, redraw the figure and the tables."""
        t0 = time.perf_counter()
        self._update_visibility()
        try:
            scenario = self.current_scenario()
        except ScenarioError as error:
            # Keep the last good plan on screen; say what to fix.
            self.error = str(error)
            self.message.value = problem_html("Not a valid entry", self.error)
            return
        t1 = time.perf_counter()
        result, error = _run(self._planner, scenario)
        t2 = time.perf_counter()
        self.scenario, self.result, self.error = scenario, result, error
        policy = scenario.item.reordering_policy.value or "not planned"
        if result is None:
            self.drawing.show_message(f"{policy}: no plan", error or "")
        else:
            state = "with the suggestions applied" if self.view.value else "as it stands"
            self.drawing.update(result, after=self.view.value, title=f"{policy}, {state}")
        t3 = time.perf_counter()
        # The figure goes out first: the browser shows it before it lays out the tables.
        self.image.value = self._blitter.png()
        t4 = time.perf_counter()
        if result is None:
            self.message.value = problem_html("No plan", error or "")
            self.warnings.value = ""
            self.table.value = ""
        else:
            # Errors BC logs for the SKU (and plans nothing for it) are the headline.
            self.message.value = (problem_html("Planning error", " ".join(result.errors))
                                  if result.errors else "")
            self.warnings.value = warnings_html(result)
            self.table.value = lines_html(result)
        t5 = time.perf_counter()
        self.redraws += 1
        self.timings = {"scenario": t1 - t0, "plan": t2 - t1, "draw": t3 - t2,
                        "encode": t4 - t3, "figure": t4 - t0, "tables": t5 - t4,
                        "total": t5 - t0}


class _Hold:
    """While active, control changes made by the explorer itself don't re-plan."""

    def __init__(self, explorer: Explorer) -> None:
        self._explorer = explorer

    def __enter__(self) -> None:
        self._previous = self._explorer._hold
        self._explorer._hold = True

    def __exit__(self, *exc: object) -> None:
        self._explorer._hold = self._previous


def explore(scenario: Scenario, *, planner: Planner | None = None,
            figsize: tuple[float, float] = (9.5, 4.6), dpi: float = 80) -> Explorer:
    """A widget to change the reordering policy, the parameters it uses (the others hidden, as
    on the item card) and each order's quantity and date, re-planning on every change.
    ``planner`` defaults to ``mrp_lab.plan``."""
    return Explorer(scenario, planner=planner, figsize=figsize, dpi=dpi)


class VariantComparison(widgets.VBox):
    """The base scenario ("as is") and each variant planned, drawn in panels sharing both
    axes, with each one's planning lines. Build one with ``compare(scenario, **variants)``."""

    def __init__(self, scenario: Scenario, variants: Mapping[str, Mapping[str, Any]], *,
                 planner: Planner | None = None, dpi: float = 80) -> None:
        planner = planner or _default_planner
        self.scenarios = variant_scenarios(scenario, variants)
        self.results: dict[str, PlanResult | None] = {}
        self.errors: dict[str, str] = {}
        for name, variant in self.scenarios.items():
            self.results[name], error = _run(planner, variant)
            if error:
                self.errors[name] = error
        count = len(self.scenarios)
        columns = 2 if count > 1 else 1
        rows = -(-count // columns)
        self.figure = Figure(figsize=(7.5 * columns, 4.2 * rows), dpi=dpi,
                             layout="constrained")
        FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(rows, columns, squeeze=False)
        flat = [ax for row in axes for ax in row]
        self.drawings: dict[str, PlanDrawing] = {}
        for ax, name in zip(flat, self.scenarios, strict=False):
            drawing = self.drawings[name] = PlanDrawing(ax)
            result = self.results[name]
            label = _variant_label(name, scenario, variants.get(name, {}))
            if result is None:
                drawing.show_message(label, self.errors[name])
            else:
                drawing.update(result, title=label)
        share_limits(list(self.drawings.values()))
        for ax in flat[count:]:
            ax.set_axis_off()
        key = self.drawings["as is"].legend_handles(everything=True)
        self.figure.legend(handles=key, loc="outside right upper", fontsize=9, frameon=False)
        self.figure.suptitle(scenario.title or scenario.id, fontsize=12, x=0.01, ha="left")
        self.image = widgets.Image(value=render_png(self.figure), format="png",
                                   layout=widgets.Layout(width="100%"))
        self.tables = {}
        for name in self.scenarios:
            result = self.results[name]
            body = (lines_html(result) + warnings_html(result) if result is not None
                    else problem_html("No plan", self.errors[name]))
            self.tables[name] = widgets.HTML(
                f"<h4 style='margin:2px 0'>{html.escape(name)}</h4>" + body,
                layout=widgets.Layout(max_height=TABLE_HEIGHT, overflow="auto"))
        grid = widgets.GridBox(list(self.tables.values()), layout=widgets.Layout(
            grid_template_columns=" ".join(["1fr"] * columns), grid_gap="8px 16px"))
        super().__init__([self.image, grid])

    def __repr__(self) -> str:
        base = self.scenarios["as is"]
        return f"<VariantComparison of {base.id!r}: {', '.join(self.scenarios)}>"


def _variant_label(name: str, base: Scenario, changes: Mapping[str, Any]) -> str:
    if not changes:
        return f"{name}"
    shown = ", ".join(f"{CAPTIONS.get(k, k.replace('_', ' ').title())} "
                      f"{_shown(getattr(base.item, k, None))} → {_shown(v)}"
                      for k, v in changes.items())
    return f"{name}: {shown}"


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if hasattr(value, "value"):
        return str(value.value)
    return "blank" if value is None else str(value)


def compare(scenario: Scenario, *, planner: Planner | None = None, dpi: float = 80,
            **variants: Mapping[str, Any]) -> VariantComparison:
    """Plan the scenario as is and with each variant's item changes, side by side:
    ``compare(s, rop_30={"reorder_point": 30}, rop_60={"reorder_point": 60})``."""
    return VariantComparison(scenario, variants, planner=planner, dpi=dpi)
