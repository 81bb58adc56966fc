"""Order modifiers (reference §9)."""

import pytest

from mrp_lab.engine.modifiers import apply_modifiers, round_up_to_multiple


def mods(qty, **kw):
    return apply_modifiers(qty, **kw)


def test_no_modifiers_keep_the_quantity():
    assert mods(37.5) == 37.5


@pytest.mark.parametrize("qty", [0, -5])
def test_nothing_to_order_is_left_alone(qty):
    assert mods(qty, minimum_order_quantity=30, order_multiple=25) == qty


def test_maximum_caps_above_the_floor_only():
    assert mods(230, maximum_order_quantity=100) == 100
    # the supply's own floor (committed quantity) is above the maximum: no cap
    assert mods(230, maximum_order_quantity=100, min_qty=150) == 230


def test_minimum_raises_then_multiple_rounds_up():
    # E7's last lot: 30 -> min 30 -> multiple 25 -> 50
    assert mods(30, maximum_order_quantity=100, minimum_order_quantity=30, order_multiple=25) == 50


def test_multiple_may_push_above_the_maximum():
    assert mods(100, maximum_order_quantity=90, order_multiple=40) == 120


def test_round_up_tolerates_float_noise():
    assert round_up_to_multiple(75.0000000001, 25) == 75
    assert round_up_to_multiple(75.01, 25) == 100
    assert round_up_to_multiple(0.3, 0.1) == pytest.approx(0.3)
