"""Unit tests for mrp_lab.plot_text: labels drawn as cached sprites on Agg, as real text
elsewhere, placed so they never overlap."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mrp_lab import plot_text
from mrp_lab.plot_text import Label, LabelLayer, LabelStyle, clear_sprite_cache

BOX = LabelStyle(8.5, box=True)
BOLD = LabelStyle(8.5, fontweight="bold", va="center")
LEVEL = LabelStyle(8, color="#1F6F9F", ha="right", va="bottom")


def axes(dpi: float = 80):
    figure = Figure(figsize=(6, 3), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    return figure, ax


def layer_with(labels: list[Label], dpi: float = 80) -> tuple[Figure, LabelLayer]:
    figure, ax = axes(dpi)
    layer = LabelLayer(ax)
    ax.add_artist(layer)
    layer.set_labels(labels)
    return figure, layer


def apart(a, b) -> bool:
    """Two label boxes overlap by at most a pixel in one direction (they may touch)."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) <= 1.0 or
            min(a.y1, b.y1) - max(a.y0, b.y0) <= 1.0)


def pixels(figure: Figure) -> np.ndarray:
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).astype(int)


SPREAD = [Label("New 219", (0.3, 0.5), (5, 2), BOX),
          Label("Exception", (0.6, 0.3), (9, 16), BOLD),
          Label("reorder point 60", (1.0, 0.2), (-3, 2), LEVEL, x_in_axes=True),
          Label("PO3: 30 Jan → 23 Jan, 25 → 35", (0.1, 0.8), (5, 2), BOX)]


@pytest.mark.parametrize("dpi", [80, 100])
def test_sprites_look_like_real_text(dpi):
    figure, _ = layer_with(SPREAD, dpi)
    direct_figure, ax = axes(dpi)
    direct = LabelLayer(ax)
    for label in SPREAD:
        ax.add_artist(direct._annotation(label))
    ours, theirs = pixels(figure), pixels(direct_figure)
    ink = (theirs[..., :3].sum(axis=2) < 600)
    assert ink.sum() > 500                                   # there is text to compare
    # The same ink in the same places: glyphs may sit a fraction of a pixel apart.
    assert abs(int((ours[..., :3].sum(axis=2) < 600).sum()) - int(ink.sum())) < 0.1 * ink.sum()
    assert np.abs(ours - theirs).mean() < 1.0
    rows, cols = np.nonzero(ink)
    ours_rows, ours_cols = np.nonzero(ours[..., :3].sum(axis=2) < 600)
    assert abs(rows.min() - ours_rows.min()) <= 1 and abs(cols.max() - ours_cols.max()) <= 1


def test_a_label_is_rasterised_once_then_reused():
    clear_sprite_cache()
    figure, layer = layer_with(SPREAD)
    figure.canvas.draw()
    cached = len(plot_text._SPRITES)
    assert cached == len(SPREAD)
    layer.set_labels(list(reversed(SPREAD)))
    figure.canvas.draw()
    assert len(plot_text._SPRITES) == cached


def test_the_sprite_cache_is_bounded(monkeypatch):
    clear_sprite_cache()
    monkeypatch.setattr(plot_text, "SPRITE_CACHE_SIZE", 3)
    figure, _ = layer_with([Label(f"New {i}", (0.1 * i, 0.5), (5, 2), BOX)
                            for i in range(6)])
    figure.canvas.draw()
    assert len(plot_text._SPRITES) == 3


def test_font_settings_are_part_of_the_cache_key():
    clear_sprite_cache()
    figure, _ = layer_with(SPREAD[:1])
    figure.canvas.draw()
    with matplotlib.rc_context({"font.family": "serif"}):
        figure.canvas.draw()
    assert len(plot_text._SPRITES) == 2


def test_vector_output_gets_real_text():
    figure, _ = layer_with(SPREAD)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    for label in SPREAD:
        assert label.text.replace("→", "&#8594;") in svg or label.text in svg


def test_a_label_too_large_for_a_sprite_is_drawn_directly():
    clear_sprite_cache()
    tall = LabelStyle(120)          # taller than the scratch canvas leaves room for
    figure, layer = layer_with([Label("WW", (0.05, 0.3), (0, 0), tall)])
    ink = (pixels(figure)[..., :3].sum(axis=2) < 600).sum()
    assert plot_text._SPRITES[next(iter(plot_text._SPRITES))] is None
    assert ink > 1000
    assert layer.drawn and layer.drawn[0].text == "WW"


def test_a_point_outside_the_axes_is_not_labelled():
    figure, layer = layer_with([Label("gone", (1.5, 0.5), (5, 2), BOX),
                                Label("kept", (0.5, 0.5), (5, 2), BOX)])
    figure.canvas.draw()
    assert [label.text for label in layer.drawn] == ["kept"]


def test_overlapping_labels_move_left_then_drop_out():
    same = [Label(f"New {n}", (0.5, 0.5), (5, 2), BOX) for n in (100, 200, 300)]
    figure, layer = layer_with(same)
    figure.canvas.draw()
    assert [label.text for label in layer.drawn] == ["New 100", "New 200"]
    first, second = layer.drawn
    assert first.style.ha == "left" and first.offset == (5, 2)
    assert second.style.ha == "right" and second.offset == (-5, 2)     # mirrored
    boxes = [box for _, _, box in layer.place()]
    assert apart(boxes[0], boxes[1])


def test_a_label_past_the_right_edge_moves_left_of_its_point():
    figure, layer = layer_with([Label("PO4: 22 Oct → 27 Oct, 300 → 119", (0.98, 0.5), (5, 2),
                                      BOX)])
    figure.canvas.draw()
    (label,) = layer.drawn
    assert label.style.ha == "right"
    (_, _, box), = layer.place()
    assert box.x1 <= layer.axes.bbox.x1


def test_extent_covers_the_drawn_labels():
    figure, layer = layer_with(SPREAD)
    figure.canvas.draw()
    extent = layer.get_window_extent()
    ink_rows, ink_cols = np.nonzero(pixels(figure)[..., :3].sum(axis=2) < 600)
    height = figure.canvas.get_renderer().height
    # Every text pixel inside the axes frame's interior lies in the labels' extent.
    frame = layer.axes.bbox
    inside = [(c, height - r) for r, c in zip(ink_rows, ink_cols, strict=True)
              if frame.x0 + 2 < c < frame.x1 - 2 and frame.y0 + 2 < height - r < frame.y1 - 2]
    assert inside
    assert all(extent.x0 - 1 <= x <= extent.x1 + 1 and extent.y0 - 1 <= y <= extent.y1 + 1
               for x, y in inside)


def test_no_labels_means_no_extent():
    _, layer = layer_with([])
    assert layer.get_tightbbox() is None
    assert layer.get_window_extent().width == 0


def test_a_layout_engine_can_measure_the_layer():
    figure = Figure(figsize=(6, 3), dpi=80, layout="constrained")
    ax = figure.add_subplot()
    layer = LabelLayer(ax)
    ax.add_artist(layer)
    layer.set_labels(SPREAD)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_labels_keep_clear_of_the_layer_they_avoid():
    figure, ax = axes()
    levels = LabelLayer(ax)
    notes = LabelLayer(ax, avoid=levels)
    ax.add_artist(levels)
    ax.add_artist(notes)
    levels.set_labels([Label("reorder point 60", (1.0, 0.5), (-3, 2), LEVEL, x_in_axes=True)])
    notes.set_labels([Label("New 50", (0.72, 0.5), (5, 2), BOX),      # runs into the level label
                      Label("New 60", (0.2, 0.5), (5, 2), BOX)])      # clear of it
    figure.canvas.draw()
    level_box = levels.place()[0][2]
    placed = notes.place()
    assert [label.text for label, _, _ in placed] == ["New 50", "New 60"]
    assert placed[0][0].style.ha == "right"                           # moved left of its point
    assert all(apart(box, level_box) for _, _, box in placed)


def test_a_crowded_level_label_goes_below_its_line():
    figure, layer = layer_with([
        Label("reorder point 60", (1.0, 0.50), (-3, 2), LEVEL, x_in_axes=True),
        Label("safety stock 55", (1.0, 0.49), (-3, 2), LEVEL, x_in_axes=True)])
    figure.canvas.draw()
    first, second = layer.drawn
    assert first.style.va == "bottom"
    assert second.style.va == "top" and second.offset == (-3, -2)    # below its line
    boxes = [box for _, _, box in layer.place()]
    assert apart(boxes[0], boxes[1])
    assert all(box.x1 <= layer.axes.bbox.x1 + 1 for box in boxes)


def test_no_label_runs_past_the_left_edge():
    # The right side is taken, and the left side would reach into the tick labels.
    figure, layer = layer_with([Label("New 100", (0.02, 0.5), (5, 2), BOX),
                                Label("New 200", (0.02, 0.5), (5, 2), BOX)])
    figure.canvas.draw()
    assert [label.text for label in layer.drawn] == ["New 100"]
