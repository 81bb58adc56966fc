"""Many short text labels on one Axes, drawn as a single artist.

A plan's picture carries dozens of small labels ("New 219", "Exception", "reorder point 60").
Matplotlib lays out and rasterises every Text from scratch on every draw, about 1.5 ms each,
which made labels the largest part of a widget redraw. ``LabelLayer`` keeps the labels as
data and, on the Agg renderer (screen, PNG), rasterises each distinct (text, style, dpi) once
into a small RGBA sprite that later draws copy into place (a few microseconds). Every other
renderer (PDF, SVG, PGF) gets real ``Annotation`` text, so printed handouts stay vector.

A sprite is the same text drawn by the same renderer class on a transparent scratch canvas,
so its pixels match a direct draw except for sub-pixel placement of the glyphs.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox, IdentityTransform

__all__ = ["Label", "LabelLayer", "LabelStyle", "clear_sprite_cache"]

SPRITE_CACHE_SIZE = 4096        # distinct label images kept (a few KB each)


@dataclass(frozen=True)
class LabelStyle:
    """How a label is written: font size and weight, colour, alignment around its anchor,
    and whether a white rounded box sits behind it."""

    fontsize: float
    color: str = "#000000"
    fontweight: str = "normal"
    ha: str = "left"
    va: str = "baseline"
    box: bool = False

    def text_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"fontsize": self.fontsize, "color": self.color,
                                  "fontweight": self.fontweight, "ha": self.ha, "va": self.va}
        if self.box:
            kwargs["bbox"] = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.8}
        return kwargs


@dataclass(frozen=True)
class Label:
    """One label: ``text`` at ``xy`` moved by ``offset`` points. ``xy`` is in data
    coordinates, or with ``x_in_axes`` its x is a fraction of the Axes' width (a label at the
    right edge, whatever the dates). Like an Annotation, a label whose data point lies outside
    the Axes is not drawn."""

    text: str
    xy: tuple[float, float]
    offset: tuple[float, float]
    style: LabelStyle
    x_in_axes: bool = False


class LabelLayer(Artist):
    """The labels of one Axes as one artist; ``set_labels`` replaces them.

    Labels are placed in order, so earlier ones win: a label that would overlap one already
    placed, or run past the Axes' left or right edge, moves to the other side of its point
    (left of an arrow; below a level line for labels at the right edge), and is left out if
    it fits there neither (a crowded year of suggestions stays readable; the planning-lines
    table has every line). Labels of the layer named by ``avoid`` count as already placed.
    ``drawn`` says which were drawn last time.
    """

    def __init__(self, ax: Any, *, zorder: float = 6, avoid: LabelLayer | None = None) -> None:
        super().__init__()
        self.avoid = avoid
        self.axes = ax
        self.set_figure(ax.figure)
        self.set_zorder(zorder)
        self._labels: tuple[Label, ...] = ()
        self.drawn: tuple[Label, ...] = ()       # as placed by the last draw
        self.stale = True

    # -- data ------------------------------------------------------------------------------

    def set_labels(self, labels: Iterable[Label]) -> None:
        self._labels = tuple(labels)
        self.drawn = ()
        self.stale = True

    @property
    def labels(self) -> tuple[Label, ...]:
        return self._labels

    @property
    def texts(self) -> list[str]:
        """What the labels say, in placing order (crowded ones may be left out when drawn)."""
        return [label.text for label in self._labels]

    # -- placing ---------------------------------------------------------------------------

    def place(self) -> list[tuple[Label, tuple[float, float], Bbox]]:
        """Each label that gets drawn, as placed (possibly on the other side of its point),
        with its anchor and its box in display pixels."""
        if not self._labels:
            return []
        ax = self.axes
        dpi = self.figure.dpi
        scale = dpi / 72.0
        data = np.array([label.xy for label in self._labels], dtype=float)
        points = ax.transData.transform(data)
        frac_x = ax.transAxes.transform(np.column_stack([data[:, 0], np.zeros(len(data))]))
        frame = ax.bbox
        placed: list[tuple[Label, tuple[float, float], Bbox]] = []
        taken = [box for _, _, box in self.avoid.place()] if self.avoid is not None else []
        fonts = _font_signature()
        for i, label in enumerate(self._labels):
            if label.x_in_axes:
                x, y = frac_x[i, 0], points[i, 1]
            else:
                x, y = points[i]
                if not (frame.x0 <= x <= frame.x1 and frame.y0 <= y <= frame.y1):
                    continue            # like an Annotation: a point outside is not labelled
            for option in (label, _other_side(label)):
                if option is None:
                    continue
                anchor = (x + option.offset[0] * scale, y + option.offset[1] * scale)
                box = _box(option.text, option.style, dpi, anchor, fonts)
                if box.x0 < frame.x0 - 1 or box.x1 > frame.x1 + 1:
                    continue            # into the tick labels or the legend
                if any(_collide(box, other) for other in taken):
                    continue
                placed.append((option, anchor, box))
                taken.append(box)
                break
        return placed

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, renderer: Any) -> None:
        placed = self.place() if self.get_visible() else []
        self.drawn = tuple(label for label, _, _ in placed)
        if placed and type(renderer) is RendererAgg:
            dpi, fonts = self.figure.dpi, _font_signature()
            gc = renderer.new_gc()
            try:
                for label, anchor, _ in placed:
                    sprite = _sprite(label.text, label.style, dpi, fonts)
                    if sprite is None:          # too large for a sprite: draw it directly
                        self._annotation(label).draw(renderer)
                        continue
                    renderer.draw_image(gc, round(anchor[0]) + sprite.dx,
                                        round(anchor[1]) + sprite.dy, sprite.pixels)
            finally:
                gc.restore()
        else:
            for label, _, _ in placed:
                self._annotation(label).draw(renderer)
        self.stale = False

    def _annotation(self, label: Label) -> Annotation:
        xycoords: Any = ("axes fraction", "data") if label.x_in_axes else "data"
        annotation = Annotation(label.text, label.xy, xytext=label.offset,
                                xycoords=xycoords, textcoords="offset points",
                                annotation_clip=False, **label.style.text_kwargs())
        annotation.axes = self.axes
        annotation.set_figure(self.figure)
        annotation.set_zorder(self.get_zorder())
        return annotation

    def get_window_extent(self, renderer: Any = None) -> Bbox:
        """The union of the placed labels' boxes (layout engines and tight bounding boxes
        make room for labels that stick out of the Axes)."""
        boxes = [box for _, _, box in self.place()]
        return Bbox.union(boxes) if boxes else Bbox([[0, 0], [0, 0]])

    def get_tightbbox(self, renderer: Any = None) -> Bbox | None:
        return self.get_window_extent(renderer) if self._labels else None


def _other_side(label: Label) -> Label | None:
    """Where else the label may go: left of its point instead of right (or the reverse);
    for a label held at the right edge (``x_in_axes``), below its point instead of above."""
    style = label.style
    if label.x_in_axes:
        flip = {"bottom": "top", "top": "bottom"}.get(style.va)
        if flip is None:
            return None
        return dataclasses.replace(label, offset=(label.offset[0], -label.offset[1]),
                                   style=dataclasses.replace(style, va=flip))
    flip = {"left": "right", "right": "left"}.get(style.ha)
    if flip is None:
        return None
    return dataclasses.replace(label, offset=(-label.offset[0], label.offset[1]),
                               style=dataclasses.replace(style, ha=flip))


# -- sizes -----------------------------------------------------------------------------------

_ADVANCES: dict[tuple[Any, ...], dict[str, float]] = {}


def _font(style: LabelStyle, dpi: float) -> Any:
    font = get_font(findfont(FontProperties(size=style.fontsize, weight=style.fontweight)))
    font.set_size(style.fontsize, dpi)
    return font


def _width(text: str, style: LabelStyle, dpi: float, fonts: tuple[Any, ...]) -> float:
    """The text's advance width in pixels, from the font's glyph advances (no kerning: a
    pixel or two off, which only matters for deciding overlaps)."""
    key = (style.fontsize, style.fontweight, dpi, fonts)
    advances = _ADVANCES.setdefault(key, {})
    missing = [c for c in set(text) if c not in advances]
    if missing:
        font = _font(style, dpi)
        for c in missing:
            advances[c] = font.load_char(ord(c), flags=LoadFlags.NO_HINTING
                                         ).linearHoriAdvance / 65536
    return sum(advances[c] for c in text)


def _box(text: str, style: LabelStyle, dpi: float, anchor: tuple[float, float],
         fonts: tuple[Any, ...]) -> Bbox:
    """The label's box in display pixels, box padding included."""
    size = style.fontsize * dpi / 72.0
    width = _width(text, style, dpi, fonts)
    ascent, descent = 0.93 * size, 0.24 * size      # DejaVu Sans: 1901 and 483 of 2048
    pad = 0.15 * size if style.box else 0.0
    x0 = {"left": 0.0, "right": -width}.get(style.ha, -width / 2)
    y0 = {"baseline": -descent, "bottom": 0.0, "top": -(ascent + descent)}.get(
        style.va, -(ascent + descent) / 2)
    return Bbox.from_bounds(anchor[0] + x0 - pad, anchor[1] + y0 - pad,
                            width + 2 * pad, ascent + descent + 2 * pad)


def _collide(a: Bbox, b: Bbox) -> bool:
    """Whether two label boxes overlap by more than a pixel each way (boxes that merely touch
    read fine; the estimate of a box is good to about a pixel)."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > 1.0 and
            min(a.y1, b.y1) - max(a.y0, b.y0) > 1.0)


# -- sprites ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sprite:
    pixels: Any          # (rows, columns, 4) uint8 RGBA, bottom row first
    dx: int              # lower-left corner relative to the anchor, in pixels
    dy: int


_SPRITES: OrderedDict[tuple[Any, ...], _Sprite | None] = OrderedDict()
_SCRATCH: dict[float, tuple[Figure, RendererAgg]] = {}
_SCRATCH_SIZE = (900, 150)        # pixels; a label that does not fit is drawn as real text
_MARGIN = 20                      # pixels between the anchor and the scratch edge it faces


def clear_sprite_cache() -> None:
    """Forget every rasterised label and measured glyph (they are keyed on the font
    settings in ``rcParams`` too, so this only frees memory)."""
    _SPRITES.clear()
    _SCRATCH.clear()
    _ADVANCES.clear()


def _font_signature() -> tuple[Any, ...]:
    """The font settings a label's look depends on besides its own style (cache keys)."""
    return tuple(tuple(v) if isinstance(v := rcParams[k], list) else v
                 for k in ("font.family", "font.sans-serif", "font.serif", "font.monospace",
                           "text.antialiased", "text.hinting", "text.usetex",
                           "mathtext.fontset"))


def _sprite(text: str, style: LabelStyle, dpi: float, fonts: tuple[Any, ...]) -> _Sprite | None:
    key = (text, style, dpi, fonts)
    try:
        sprite = _SPRITES[key]
    except KeyError:
        sprite = _SPRITES[key] = _render(text, style, dpi)
        if len(_SPRITES) > SPRITE_CACHE_SIZE:
            _SPRITES.popitem(last=False)
    else:
        _SPRITES.move_to_end(key)
    return sprite


def _scratch(dpi: float) -> tuple[Figure, RendererAgg]:
    if dpi not in _SCRATCH:
        width, height = _SCRATCH_SIZE
        figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        figure.patch.set_visible(False)
        canvas = FigureCanvasAgg(figure)
        _SCRATCH[dpi] = (figure, canvas.get_renderer())
    return _SCRATCH[dpi]


def _render(text: str, style: LabelStyle, dpi: float) -> _Sprite | None:
    """Draw the label on the transparent scratch canvas, anchored where its alignment leaves
    the most room, and keep the pixels it covered (found from the alpha channel, so no text
    is measured twice). None if it touches the edge (too large to be sure it fits)."""
    figure, renderer = _scratch(dpi)
    width, height = int(renderer.width), int(renderer.height)
    ax = {"left": _MARGIN, "right": width - _MARGIN}.get(style.ha, width // 2)
    ay = {"bottom": _MARGIN, "top": height - _MARGIN}.get(style.va, height // 2)
    artist = Text(ax, ay, text, transform=IdentityTransform(), **style.text_kwargs())
    artist.set_figure(figure)
    renderer.clear()
    artist.draw(renderer)
    alpha = np.asarray(renderer.buffer_rgba())[:, :, 3]
    rows = np.flatnonzero(alpha.any(axis=1))
    cols = np.flatnonzero(alpha.any(axis=0))
    if not len(rows):            # nothing visible (blank text)
        return _Sprite(pixels=np.zeros((1, 1, 4), np.uint8), dx=0, dy=0)
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    if top == 0 or left == 0 or bottom == height or right == width:
        return None
    # The buffer's rows run top to bottom; draw_image wants them bottom to top.
    pixels = np.ascontiguousarray(np.asarray(renderer.buffer_rgba())[top:bottom, left:right][::-1])
    return _Sprite(pixels=pixels, dx=int(left) - ax, dy=(height - int(bottom)) - ay)
