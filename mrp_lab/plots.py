"""Matplotlib pictures of a PlanResult: projected inventory, levels, orders and suggestions.

``PlanDrawing`` owns one Axes' artists and updates their data in place (the widgets redraw the
same artists on every change); ``plot_plan`` and ``plot_before_after`` are the one-shot
helpers. Nothing here touches pyplot's global state.
"""

from __future__ import annotations

import bisect
import math
import textwrap
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import matplotlib.dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from .model import ActionMessage, PlanningWarning
from .plot_text import Label, LabelLayer, LabelStyle
from .result import PlanLine, PlanResult, TimelineRow

__all__ = [
    "ACTION_STYLES", "DEMAND_STYLE", "LEVEL_STYLES", "SUPPLY_STYLE", "WARNING_STYLES",
    "PlanDrawing", "change_text", "plot_before_after", "plot_plan", "share_limits",
]


@dataclass(frozen=True)
class Style:
    """How one kind of arrow or mark is drawn: colour, marker (the arrow's head), shaft line
    style. Colours are Okabe-Ito (safe with the common colour-vision deficiencies), and every
    style also has its own marker and line style, so a black-and-white print tells them apart.
    """

    label: str
    color: str
    marker: str
    linestyle: Any
    filled: bool = True


DEMAND_STYLE = Style("demand", "#555555", "v", "-")
SUPPLY_STYLE = Style("existing supply", "#000000", "^", "-")

ACTION_STYLES: dict[ActionMessage, Style] = {
    ActionMessage.NEW: Style("New", "#0072B2", "^", (0, (4, 2)), filled=False),
    ActionMessage.CHANGE_QTY: Style("Change Qty.", "#E69F00", "D", (0, (6, 2, 1.5, 2))),
    ActionMessage.RESCHEDULE: Style("Reschedule", "#009E73", "s", (0, (1.5, 1.5))),
    ActionMessage.RESCHEDULE_AND_CHANGE_QTY: Style(
        "Resched. & Chg. Qty.", "#CC79A7", "p", (0, (5, 1.5, 1.5, 1.5, 1.5, 1.5))),
    ActionMessage.CANCEL: Style("Cancel", "#D55E00", "X", (0, (1, 2.5))),
}

WARNING_STYLES: dict[PlanningWarning, Style] = {
    PlanningWarning.EMERGENCY: Style("Emergency", "#000000", "*", "none"),
    PlanningWarning.EXCEPTION: Style("Exception", "#000000", "P", "none"),
    PlanningWarning.ATTENTION: Style("Attention", "#000000", "h", "none"),
}


@dataclass(frozen=True)
class LevelStyle:
    """A policy level (a TimelineRow field), drawn as a labelled horizontal step."""

    field: str
    label: str
    color: str
    linestyle: Any
    text_color: str


LEVEL_STYLES: tuple[LevelStyle, ...] = (
    LevelStyle("reorder_point", "reorder point", "#56B4E9", (0, (7, 2)), "#1F6F9F"),
    LevelStyle("safety_stock", "safety stock", "#777777", (0, (2, 2)), "#555555"),
    LevelStyle("maximum_inventory", "maximum inventory", "#000000", (0, (8, 2, 2, 2)),
               "#000000"),
    LevelStyle("overflow_level", "overflow level", "#882255", (0, (3, 1, 1, 1)), "#882255"),
)
# A zero safety stock or overflow level means "none" (reference §7.1), so it is not drawn.
_ZERO_MEANS_NONE = {"safety_stock", "overflow_level"}

PROJECTED_COLOR = "#000000"
AVAILABLE_COLOR = "#BBBBBB"
BUCKET_COLOR = "#DDDDDD"
MAX_BUCKET_LINES = 40       # above this (e.g. weekly buckets over a year) they are noise
DENSE_ORDERS = 60           # more demands than this: thinner shafts, smaller heads
FONT_SIZE = 10
NOTE_STYLE = LabelStyle(8.5, box=True)               # "PO1: 90 → 60" at an arrow's tip
WARNING_WORD_STYLE = LabelStyle(8.5, fontweight="bold", va="center")


def _level_style(color: str) -> LabelStyle:
    # On a light box: the label sits at the right edge, often over the inventory curve.
    return LabelStyle(FONT_SIZE - 2, color=color, ha="right", va="bottom", box=True)


def plot_plan(result: PlanResult, ax: Axes | None = None, *, after: bool = True,
              title: str | None = None, max_labels: int = 24, legend: bool = True) -> Axes:
    """Draw one plan: projected inventory (black) and projected available inventory (grey
    band) as steps, the levels the policy uses, time-bucket boundaries, demand (down arrows),
    existing supply (black up arrows) and, when ``after``, the suggestions coloured by action
    message with "original → new" notes and their warnings. ``max_labels`` caps the notes
    (the lines table has them all); a note that would overlap another, or run past an
    edge of the Axes, moves to the other side of its arrow, or is left out (changes to
    existing supply are placed first). Draws on ``ax`` if given, else on a new
    ``matplotlib.figure.Figure`` (never pyplot); returns the Axes.
    """
    if ax is None:
        ax = Figure(figsize=(10, 5), layout="constrained").add_subplot()
    drawing = PlanDrawing(ax)
    drawing.update(result, after=after, title=title, max_labels=max_labels)
    if legend:
        drawing.add_legend()
    return ax


def plot_before_after(result: PlanResult, *, max_labels: int = 24) -> Figure:
    """Two panels sharing both axes: the plan as it stands (before) and with the suggestions
    applied (after)."""
    fig = Figure(figsize=(11, 8.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, sharey=True)
    before = PlanDrawing(top)
    before.update(result, after=False, title="Before: the plan as it stands",
                  max_labels=max_labels)
    after = PlanDrawing(bottom)
    after.update(result, after=True, title="After: with the suggestions applied",
                 max_labels=max_labels)
    share_limits([before, after])
    before.add_legend()
    after.add_legend()
    top.set_xlabel("")
    scenario = result.scenario
    policy = scenario.item.reordering_policy.value or "not planned"
    fig.suptitle(f"{scenario.title or scenario.id} ({policy})", fontsize=FONT_SIZE + 3,
                 x=0.01, ha="left")
    return fig


def share_limits(drawings: Sequence[PlanDrawing]) -> None:
    """Give every drawing's Axes the union of their ranges (panels meant to be compared);
    drawings showing a message instead of a plan don't count."""
    drawn = [d for d in drawings if d.has_plan]
    if not drawn:
        return
    xlim = (min(d.xlim[0] for d in drawn), max(d.xlim[1] for d in drawn))
    ylim = (min(d.ylim[0] for d in drawn), max(d.ylim[1] for d in drawn))
    for drawing in drawings:
        drawing.ax.set_xlim(*xlim)
        drawing.ax.set_ylim(*ylim)


class PlanDrawing:
    """The artists that draw a plan on one Axes, created once; ``update`` replaces their data.

    One LineCollection (shafts) and one marker Line2D (heads) per arrow style, so a year of
    daily demand is two artists, not 365; the text labels are two ``LabelLayer`` artists
    (suggestion notes and warning words; level labels). Reschedule arrows and the no-plan
    message are the only artists re-created.
    """

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        self.xlim: tuple[float, float] = (0.0, 1.0)
        self.ylim: tuple[float, float] = (0.0, 1.0)
        self.present: set[str] = set()       # legend labels of what the last update drew
        self.has_plan = False
        # Keep the scale of earlier updates where the new plan fits it (see ``update``).
        self.sticky = False
        self._notes: list[Artist] = []          # re-created on each update
        self.level_labels = LabelLayer(ax, zorder=6)        # level values, at the right edge
        self.labels = LabelLayer(ax, zorder=6, avoid=self.level_labels)  # notes, warnings
        ax.add_artist(self.labels)
        ax.add_artist(self.level_labels)
        self.available = ax.plot([], [], drawstyle="steps-post", color=AVAILABLE_COLOR, lw=5,
                                 solid_capstyle="butt", zorder=1)[0]
        self.projected = ax.plot([], [], drawstyle="steps-post", color=PROJECTED_COLOR, lw=2,
                                 zorder=3)[0]
        self.zero = ax.axhline(0, color="#000000", lw=0.8, zorder=0.8)
        self.levels = {lv.field: ax.plot([], [], drawstyle="steps-post", color=lv.color,
                                         ls=lv.linestyle, lw=1.6, zorder=2)[0]
                       for lv in LEVEL_STYLES}
        self.buckets = LineCollection([], colors=BUCKET_COLOR, lw=1.0, zorder=0.6,
                                      transform=ax.get_xaxis_transform())
        ax.add_collection(self.buckets, autolim=False)
        self.shafts: dict[Style, LineCollection] = {}
        self.heads: dict[Style, Line2D] = {}
        self.ghost_shafts: dict[Style, LineCollection] = {}
        self.ghost_heads: dict[Style, Line2D] = {}
        for style in (DEMAND_STYLE, SUPPLY_STYLE, *ACTION_STYLES.values()):
            self.shafts[style] = _collection(ax, style.color, 2.0, style.linestyle, 4)
            self.heads[style] = ax.plot([], [], ls="none", marker=style.marker, ms=8,
                                        mec=style.color, mew=1.5, zorder=5,
                                        mfc=style.color if style.filled else "white")[0]
        for style in ACTION_STYLES.values():
            self.ghost_shafts[style] = _collection(ax, style.color, 1.2, (0, (1, 1.5)), 4)
            self.ghost_heads[style] = ax.plot([], [], ls="none", marker=style.marker, ms=8,
                                              mfc="white", mec=style.color, mew=1.2,
                                              zorder=4)[0]
        raised = offset_copy(ax.transData, fig=ax.figure, x=0, y=16, units="points")
        self.warning_marks = {w: ax.plot([], [], ls="none", marker=s.marker, ms=11,
                                         mfc="white", mec=s.color, mew=1.6, zorder=7,
                                         transform=raised)[0]
                              for w, s in WARNING_STYLES.items()}
        locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
            locator, formats=["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S"],
            zero_formats=["", "%Y", "%d %b", "%d %b", "%H:%M", "%H:%M"],
            offset_formats=["", "%Y", "%Y", "%Y", "%Y", "%Y"]))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.tick_params(labelsize=FONT_SIZE - 1)
        ax.set_xlabel("Date", fontsize=FONT_SIZE)
        ax.set_ylabel("Quantity", fontsize=FONT_SIZE)
        ax.grid(axis="y", color="#EEEEEE", lw=0.8)
        ax.set_axisbelow(True)
        # Our own title artist (not ax.set_title's), so a redraw can name it as dynamic.
        self.title = ax.text(0.0, 1.0, "", transform=offset_copy(
            ax.transAxes, fig=ax.figure, x=0, y=5, units="points"), ha="left", va="bottom",
            fontsize=FONT_SIZE + 1)

    # -- public ---------------------------------------------------------------------------

    def update(self, result: PlanResult, *, after: bool = True, title: str | None = None,
               max_labels: int = 24) -> None:
        """Show ``result`` (after or before its suggestions); see ``plot_plan``."""
        self._clear_notes()
        self.zero.set_visible(True)
        scenario = result.scenario
        rows = sorted(result.timeline_rows, key=lambda r: r.date)
        lines = tuple(result.planning_lines) if after else ()
        x_end = _num(scenario.planning.end + timedelta(days=1))
        self.present = {"projected inventory", "projected available inventory"}
        ys: list[float] = [0.0]

        xs, projected, available = _levels(rows, after)
        if xs:      # the last level holds to the end of the planning period
            self.projected.set_data([*xs, x_end], projected + projected[-1:])
            self.available.set_data([*xs, x_end], available + available[-1:])
        else:
            _empty(self.projected)
            _empty(self.available)
        ys += projected + available
        ys += self._update_levels(rows, xs, x_end)
        self._update_buckets(rows)

        arrows = _Arrows()
        events: set[float] = set()
        _collect_orders(scenario, lines, _Baseline(xs, projected, scenario.inventory), arrows,
                        events)
        ys += self._update_arrows(arrows, dense=len(scenario.demand) > DENSE_ORDERS)
        labels = [Label(text, (x, y), (5, 2), NOTE_STYLE)
                  for text, x, y in _suggestion_labels(lines, arrows.tops, max_labels)]
        labels += self._update_warnings(lines, arrows.tops, max_labels)
        self.labels.set_labels(labels)

        start = _num(scenario.planning.start)
        xlim = (min([start, *events]) - 1, max([x_end, *(x + 1 for x in events)]))
        ylim = _nice_ylim(min(ys), max(ys))
        if self.sticky and self.has_plan:
            # Successive plans on one scale are easier to compare (and the axes needn't be
            # drawn again): dates only ever widen; quantities keep the old range while the
            # new one fits in it and fills at least half of it.
            xlim = (min(xlim[0], self.xlim[0]), max(xlim[1], self.xlim[1]))
            old_low, old_high = self.ylim
            fits = old_low <= ylim[0] and ylim[1] <= old_high
            if fits and (ylim[1] - ylim[0]) >= 0.5 * (old_high - old_low):
                ylim = self.ylim
        self.xlim, self.ylim = xlim, ylim
        self.has_plan = True
        self.ax.set_xlim(*self.xlim)
        self.ax.set_ylim(*self.ylim)
        if title is None:
            policy = scenario.item.reordering_policy.value or "not planned"
            state = "with the suggestions applied" if after else "as it stands"
            title = f"{scenario.title or scenario.id}\n{policy}, {state}"
        self.title.set_text(title)

    def show_message(self, title: str, text: str) -> None:
        """Empty the plot and show ``text`` instead (e.g. why there is no plan)."""
        self._clear_notes()
        for artist in self.data_artists():
            _empty(artist)
        self.labels.set_labels(())
        self.level_labels.set_labels(())
        self.zero.set_visible(False)
        self.has_plan = False
        self.title.set_text(title)
        self._notes.append(self.ax.text(
            0.5, 0.5, textwrap.fill(text, 60), ha="center", va="center", fontsize=FONT_SIZE + 1,
            transform=self.ax.transAxes, zorder=8,
            bbox={"boxstyle": "round,pad=0.5", "fc": "#FFF4EC", "ec": "#D55E00"}))
        self.present = set()

    def data_artists(self) -> list[Artist]:
        """The persistent artists whose data ``update`` replaces."""
        return [self.available, self.projected, self.buckets,
                *self.levels.values(), *self.shafts.values(), *self.heads.values(),
                *self.ghost_shafts.values(), *self.ghost_heads.values(),
                *self.warning_marks.values()]

    def layers(self) -> list[tuple[Any, list[Artist]]]:
        """Everything ``update`` touches, as layers to draw in order, each with a key that
        changes when its artists need drawing again: the date axis and the title (with the
        date range or the title); the quantity axis, its grid and the frame's spines (with the
        quantity range); the plot (data, labels and notes in zorder, key ``None``) with every
        update. The rest of the figure (background, legend) never changes, so a caller may
        render each layer once and blit (see ``mrp_lab.widgets.FigureBlitter``): a re-plan
        that moves no limit redraws only the plot, and one that moves the quantity range
        leaves the dates alone. The labels belong to the plot layer so that they stay on top
        of the curves (they cost microseconds to draw, see ``mrp_lab.plot_text``)."""
        ax = self.ax
        plot = sorted([self.zero, *self.data_artists(), self.level_labels, self.labels,
                       *self._notes], key=lambda a: a.get_zorder())
        return [((tuple(ax.get_xlim()), self.title.get_text()), [ax.xaxis, self.title]),
                (tuple(ax.get_ylim()), [ax.yaxis, *ax.spines.values()]),
                (None, plot)]

    def legend_handles(self, *, everything: bool = False) -> list[Any]:
        """Legend proxies for what the last update drew (or for every style)."""
        handles: list[Any] = [
            Line2D([], [], color=PROJECTED_COLOR, lw=2, label="projected inventory"),
            Line2D([], [], color=AVAILABLE_COLOR, lw=5, label="projected available inventory")]
        handles += [Line2D([], [], color=lv.color, ls=lv.linestyle, lw=1.6, label=lv.label)
                    for lv in LEVEL_STYLES]
        handles.append(Patch(facecolor="white", edgecolor=BUCKET_COLOR,
                             label="time-bucket boundary"))
        handles += [Line2D([], [], color=s.color, ls=s.linestyle, lw=2, marker=s.marker, ms=8,
                           mec=s.color, mfc=s.color if s.filled else "white", label=s.label)
                    for s in (DEMAND_STYLE, SUPPLY_STYLE, *ACTION_STYLES.values())]
        handles += [Line2D([], [], ls="none", marker=s.marker, ms=11, mfc="white", mec=s.color,
                           mew=1.6, label=f"{s.label} warning")
                    for s in WARNING_STYLES.values()]
        return [h for h in handles if everything or h.get_label() in self.present]

    def add_legend(self, *, everything: bool = False) -> Any:
        """A legend to the right of the axes."""
        return self.ax.legend(handles=self.legend_handles(everything=everything),
                              loc="upper left", bbox_to_anchor=(1.01, 1.0),
                              fontsize=FONT_SIZE - 1, frameon=False, borderaxespad=0.0)

    # -- parts ----------------------------------------------------------------------------

    def _note(self, text: str, xy: tuple[float, float], offset: tuple[float, float],
              textcoords: str = "offset points", **kwargs: Any) -> None:
        self._notes.append(self.ax.annotate(text, xy, xytext=offset, textcoords=textcoords,
                                            zorder=6, **kwargs))

    def _clear_notes(self) -> None:
        for artist in self._notes:
            artist.remove()
        self._notes = []

    def _update_levels(self, rows: Sequence[TimelineRow], xs: list[float], x_end: float
                       ) -> list[float]:
        ys = []
        labels: dict[float, list[LevelStyle]] = defaultdict(list)   # end value -> levels
        for lv in LEVEL_STYLES:
            line = self.levels[lv.field]
            points = [(x, v) for x, r in zip(xs, rows, strict=True)
                      if (v := getattr(r, lv.field)) is not None]
            if not points or (lv.field in _ZERO_MEANS_NONE and all(v == 0 for _, v in points)):
                _empty(line)
                continue
            last = points[-1][1]
            line.set_data([x for x, _ in points] + [x_end], [v for _, v in points] + [last])
            ys += [v for _, v in points]
            self.present.add(lv.label)
            labels[last].append(lv)
        self.level_labels.set_labels(   # levels at the same height share one label
            Label(f"{' = '.join(lv.label for lv in levels)} {_qty(value)}", (1.0, value),
                  (-3, 2), _level_style(levels[0].text_color), x_in_axes=True)
            for value, levels in labels.items())
        return ys

    def _update_buckets(self, rows: Sequence[TimelineRow]) -> None:
        starts = sorted({r.bucket_start for r in rows if r.bucket_start is not None})
        boundaries = starts[1:]
        if not boundaries or len(boundaries) > MAX_BUCKET_LINES:
            self.buckets.set_segments([])
            return
        self.buckets.set_segments([((x, 0), (x, 1)) for x in map(_num, boundaries)])
        self.present.add("time-bucket boundary")

    def _update_arrows(self, arrows: _Arrows, *, dense: bool) -> list[float]:
        size = 4.5 if dense else 8
        ys: list[float] = []
        for style, shaft in self.shafts.items():
            segments = arrows.segments.get(style, [])
            shaft.set_segments([((x, y0), (x, y1)) for x, y0, y1 in segments])
            shaft.set_linewidth(1.0 if dense and style is DEMAND_STYLE else 2.0)
            self.heads[style].set_data([x for x, _, _ in segments], [y for _, _, y in segments])
            self.heads[style].set_markersize(size)
            ys += [y for _, y0, y1 in segments for y in (y0, y1)]
            if segments:
                self.present.add(style.label)
        for style, shaft in self.ghost_shafts.items():
            segments = arrows.ghosts.get(style, [])
            shaft.set_segments([((x, y0), (x, y1)) for x, y0, y1 in segments])
            self.ghost_heads[style].set_data([x for x, _, _ in segments],
                                             [y for _, _, y in segments])
            ys += [y for _, y0, y1 in segments for y in (y0, y1)]
            if segments:
                self.present.add(style.label)
        for style, x0, x1, y in arrows.reschedules:
            self._note("", (x1, y), (x0, y), textcoords="data",
                       arrowprops={"arrowstyle": "-|>", "color": style.color, "lw": 1.8,
                                   "linestyle": "--", "shrinkA": 0, "shrinkB": 0,
                                   "mutation_scale": 14})
        return ys

    def _update_warnings(self, lines: Sequence[PlanLine], tops: dict[str, tuple[float, float]],
                         max_labels: int) -> list[Label]:
        """A black symbol above the warned line's arrow and, while there is room, the word
        (returned as labels)."""
        words: list[Label] = []
        warned = [line for line in lines if line.warning is not None and line.line_id in tops]
        for warning, style in WARNING_STYLES.items():
            points = [tops[line.line_id] for line in warned if line.warning == warning]
            self.warning_marks[warning].set_data([x for x, _ in points], [y for _, y in points])
            self.warning_marks[warning].set_markersize(11 if len(warned) <= max_labels else 7)
            if not points:
                continue
            self.present.add(f"{style.label} warning")
            if len(warned) <= max_labels:
                words += [Label(style.label, xy, (9, 16), WARNING_WORD_STYLE) for xy in points]
        return words


def _nice_ylim(low: float, high: float) -> tuple[float, float]:
    """Limits on tick-step boundaries, with room on top for warning marks: they only change
    when the data crosses a step, so a re-planned picture keeps its scale (and its ticks)."""
    span = (high - low) or 1.0
    top = high + 0.14 * span
    ticks = MaxNLocator(nbins=6).tick_values(low, top)
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    bottom, top = math.floor(low / step) * step, math.ceil(top / step) * step
    return bottom - 0.04 * (top - bottom), top


def _collection(ax: Axes, color: str, lw: float, linestyle: Any, zorder: float) -> LineCollection:
    collection = LineCollection([], colors=color, lw=lw, linestyles=linestyle, zorder=zorder)
    ax.add_collection(collection, autolim=False)
    return collection


def _empty(artist: Artist) -> None:
    if isinstance(artist, LineCollection):
        artist.set_segments([])
    elif isinstance(artist, Line2D):
        artist.set_data([], [])


_epoch: list[Any] = [None, 0.0]


def _num(day: date) -> float:
    """Matplotlib's date number for a date: days since its epoch (what ``date2num`` gives,
    without numpy per call; a plan has a few hundred dates per redraw)."""
    epoch = mdates.get_epoch()
    if epoch != _epoch[0]:
        _epoch[:] = [epoch, float(mdates.date2num(date(1, 1, 1))) - 1.0]
    return day.toordinal() + _epoch[1]


def _levels(rows: Sequence[TimelineRow], after: bool) -> tuple[list[float], list[float],
                                                                    list[float]]:
    xs = [_num(r.date) for r in rows]
    if after:
        return (xs, [r.projected_inventory_after for r in rows],
                [r.projected_available_after for r in rows])
    return (xs, [r.projected_inventory_before for r in rows],
            [r.projected_available_before for r in rows])


class _Baseline:
    """Projected inventory at the end of the day before a date: where that date's arrows start."""

    def __init__(self, xs: list[float], values: list[float], inventory: float) -> None:
        self._xs, self._values, self._inventory = xs, values, inventory

    def before(self, x: float) -> float:
        i = bisect.bisect_left(self._xs, x)
        return self._values[i - 1] if i > 0 else self._inventory


class _Arrows:
    """Vertical arrows (x, y0, y1) grouped by style, dotted "ghosts" of original positions,
    reschedule arrows, and each line's arrow tip (for its note and warning)."""

    def __init__(self) -> None:
        self.segments: dict[Style, list[tuple[float, float, float]]] = defaultdict(list)
        self.ghosts: dict[Style, list[tuple[float, float, float]]] = defaultdict(list)
        self.reschedules: list[tuple[Style, float, float, float]] = []
        self.tops: dict[str, tuple[float, float]] = {}


def _collect_orders(scenario: Any, lines: Sequence[PlanLine], baseline: _Baseline,
                    arrows: _Arrows, events: set[float]) -> None:
    """Stack each date's arrows from the day-before level: supply up first, then demand down,
    so the arrows land where the projected-inventory step lands."""
    by_supply = {line.supply: line for line in lines if line.supply}
    ups: dict[float, list[tuple[Style, float, str | None]]] = defaultdict(list)
    downs: dict[float, list[float]] = defaultdict(list)
    known = set()
    for supply in scenario.supply:
        known.add(supply.id)
        events.add(_num(supply.due))
        line = by_supply.get(supply.id)
        if line is None:
            ups[_num(supply.due)].append((SUPPLY_STYLE, supply.qty, None))
        else:
            _place_changed(line, supply.due, supply.qty, ups, baseline, arrows, events)
    for line in lines:
        if line.supply and line.supply not in known:     # a line for supply we don't know
            _place_changed(line, line.original_due or line.due,
                           line.original_qty if line.original_qty is not None else line.qty,
                           ups, baseline, arrows, events)
        elif not line.supply:
            events.add(_num(line.due))
            ups[_num(line.due)].append((ACTION_STYLES[line.action], line.qty, line.line_id))
    for demand in scenario.demand:
        events.add(_num(demand.due))
        downs[_num(demand.due)].append(demand.qty)
    for x in sorted(set(ups) | set(downs)):
        level = baseline.before(x)
        for style, qty, line_id in ups.get(x, ()):
            arrows.segments[style].append((x, level, level + qty))
            level += qty
            if line_id is not None:
                arrows.tops[line_id] = (x, level)
        for qty in downs.get(x, ()):
            arrows.segments[DEMAND_STYLE].append((x, level, level - qty))
            level -= qty


def _place_changed(line: PlanLine, original_due: date, original_qty: float,
                   ups: dict[float, list[tuple[Style, float, str | None]]], baseline: _Baseline,
                   arrows: _Arrows, events: set[float]) -> None:
    style = ACTION_STYLES[line.action]
    x_old = _num(line.original_due or original_due)
    old_qty = line.original_qty if line.original_qty is not None else original_qty
    events.add(x_old)
    if line.action == ActionMessage.CANCEL:
        base = baseline.before(x_old)
        arrows.ghosts[style].append((x_old, base, base + old_qty))
        arrows.tops[line.line_id] = (x_old, base + old_qty)
        return
    x_new = _num(line.due)
    events.add(x_new)
    ups[x_new].append((style, line.qty, line.line_id))
    if line.action in (ActionMessage.RESCHEDULE, ActionMessage.RESCHEDULE_AND_CHANGE_QTY):
        base = baseline.before(x_old)
        arrows.ghosts[style].append((x_old, base, base + old_qty))
        arrows.reschedules.append((style, x_old, x_new, base + old_qty))
    elif old_qty > line.qty:       # Change Qty. down: the part cut off, as a ghost
        base = baseline.before(x_new)
        arrows.ghosts[style].append((x_new, base, base + old_qty))


def _suggestion_labels(lines: Sequence[PlanLine], tops: dict[str, tuple[float, float]],
                       max_labels: int) -> list[tuple[str, float, float]]:
    """The "original → new" note of each suggestion, placed at its arrow's tip: changes to
    existing supply first (at most ``max_labels``), New lines only if they all fit too."""
    changes = [line for line in lines if line.supply and line.line_id in tops]
    new = [line for line in lines if not line.supply and line.line_id in tops]
    chosen = changes[:max_labels]
    if len(chosen) + len(new) <= max_labels:
        chosen += new
    return [(change_text(line), *tops[line.line_id]) for line in chosen]


def change_text(line: PlanLine) -> str:
    """A line's change in a few characters: ``PO1: 90 → 60``, ``PO2: 12 Jan → 8 Jan``."""
    who = line.supply or line.line_id
    qty_change = (f"{_qty(line.original_qty)} → {_qty(line.qty)}"
                  if line.original_qty is not None else _qty(line.qty))
    date_change = (f"{_day(line.original_due)} → {_day(line.due)}"
                   if line.original_due and line.original_due != line.due else _day(line.due))
    if line.action == ActionMessage.NEW:
        return f"New {_qty(line.qty)}"
    if line.action == ActionMessage.CANCEL:
        return f"Cancel {who}: {qty_change}"
    if line.action == ActionMessage.CHANGE_QTY:
        return f"{who}: {qty_change}"
    if line.action == ActionMessage.RESCHEDULE:
        return f"{who}: {date_change}"
    return f"{who}: {date_change}, {qty_change}"


def _qty(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0")


def _day(day: date | None) -> str:
    return "" if day is None else f"{day.day} {day:%b}"
