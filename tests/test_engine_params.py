"""Parameter forcing, clean-up and derived values (reference §1.3–§1.5, §7.1)."""

from datetime import date

import pytest

from mrp_lab import Scenario
from mrp_lab.engine import resolve


def scenario(policy, setup=None, today=None, **item):
    planning = {"start": date(2026, 1, 5), "end": date(2026, 3, 31)}
    if today:
        planning["today"] = today
    return Scenario.from_dict({"id": "p", "planning": planning, "setup": setup or {},
                               "item": {"reordering_policy": policy, **item}})


ALL = dict(reorder_point=10, reorder_quantity=20, maximum_inventory=50, safety_stock_quantity=5,
           time_bucket="1W", rescheduling_period="1W", lot_accumulation_period="2W",
           dampener_period="1W", dampener_quantity=3, minimum_order_quantity=4,
           maximum_order_quantity=40, order_multiple=2, overflow_level=60)


def test_fixed_keeps_reorder_fields_and_drops_lot_for_lot_periods():
    p = resolve(scenario("Fixed Reorder Qty.", **ALL))
    assert (p.reorder_point, p.reorder_quantity, p.maximum_inventory) == (10, 20, 0)
    assert p.bucket_days == 7
    assert str(p.rescheduling_period) == "0D" and str(p.lot_accumulation_period) == "0D"
    assert p.dampener_days == 0 and p.dampener_quantity == 3
    assert p.overflow_level == 60


def test_maximum_uses_maximum_inventory_not_reorder_quantity():
    p = resolve(scenario("Maximum Qty.", **ALL))
    assert (p.reorder_quantity, p.maximum_inventory) == (0, 50)


def test_order_ignores_modifiers_safety_stock_and_bucket():
    p = resolve(scenario("Order", **ALL))
    assert (p.minimum_order_quantity, p.maximum_order_quantity, p.order_multiple) == (0, 0, 0)
    assert p.safety_stock == 0 and p.reorder_point == 0 and p.bucket_days == 1
    assert p.dampener_quantity == 0 and not p.include_inventory


def test_lot_for_lot_ignores_time_bucket_and_caps_dampener_at_lap():
    p = resolve(scenario("Lot-for-Lot", **{**ALL, "dampener_period": "3W"}))
    assert p.bucket_days == 1
    assert p.dampener_days == 14  # capped at the 2W lot accumulation period (§1.5)
    assert p.overflow_level == 0 and p.reorder_point == 0


def test_lot_for_lot_with_blank_lap_has_no_dampener_days():
    p = resolve(scenario("Lot-for-Lot", dampener_period="1W"))
    assert p.dampener_days == 0


def test_lot_for_lot_without_include_inventory_drops_safety_stock():
    assert resolve(scenario("Lot-for-Lot", safety_stock_quantity=5)).safety_stock == 5
    assert resolve(scenario("Lot-for-Lot", safety_stock_quantity=5,
                            include_inventory=False)).safety_stock == 0


def test_blank_dampener_period_takes_setup_default_but_explicit_zero_does_not():
    setup = {"default_dampener_period": "1W"}
    blank = resolve(scenario("Lot-for-Lot", setup, lot_accumulation_period="2W"))
    zero = resolve(scenario("Lot-for-Lot", setup, lot_accumulation_period="2W",
                            dampener_period="0D"))
    assert (blank.dampener_days, zero.dampener_days) == (7, 0)


def test_blank_safety_lead_time_takes_setup_default():
    setup = {"default_safety_lead_time": "1D"}
    assert str(resolve(scenario("Lot-for-Lot", setup)).safety_lead_time) == "1D"
    assert str(resolve(scenario("Lot-for-Lot", setup, safety_lead_time="0D")).safety_lead_time) == "0D"


def test_month_bucket_is_counted_from_the_system_date():
    feb = resolve(scenario("Fixed Reorder Qty.", today=date(2026, 2, 1), time_bucket="1M",
                           reorder_quantity=1))
    jan = resolve(scenario("Fixed Reorder Qty.", today=date(2026, 1, 1), time_bucket="1M",
                           reorder_quantity=1))
    assert (feb.bucket_days, jan.bucket_days) == (28, 31)


def test_clean_up_raises_reorder_point_to_safety_stock_and_max_order_to_min_order():
    p = resolve(scenario("Fixed Reorder Qty.", reorder_point=2, safety_stock_quantity=5,
                         reorder_quantity=10, minimum_order_quantity=30, maximum_order_quantity=20))
    assert p.reorder_point == 5 and p.maximum_order_quantity == 30
    assert any("§1.4" in note for note in p.adjustments)


def test_maximum_inventory_below_reorder_point_is_cleared():
    assert resolve(scenario("Maximum Qty.", reorder_point=60, maximum_inventory=50)
                   ).maximum_inventory == 0


@pytest.mark.parametrize("policy, item, setup, level", [
    ("Maximum Qty.", dict(maximum_inventory=100, reorder_point=50), {}, 0),
    ("Maximum Qty.", dict(maximum_inventory=100, reorder_point=50, minimum_order_quantity=15),
     {"blank_overflow_level": "allow_default_calculation"}, 115),
    ("Fixed Reorder Qty.", dict(reorder_point=20, reorder_quantity=30, minimum_order_quantity=40),
     {"blank_overflow_level": "allow_default_calculation"}, 60),
    ("Fixed Reorder Qty.", dict(reorder_point=20, reorder_quantity=30, order_multiple=40),
     {"blank_overflow_level": "allow_default_calculation"}, 80),
    ("Maximum Qty.", dict(maximum_inventory=100, reorder_point=50, overflow_level=70), {}, 100),
    ("Fixed Reorder Qty.", dict(reorder_point=20, reorder_quantity=30, overflow_level=90), {}, 90),
    ("Lot-for-Lot", dict(overflow_level=90), {"blank_overflow_level": "allow_default_calculation"}, 0),
])
def test_overflow_level(policy, item, setup, level):
    """§7.1: explicit (floored by §1.4), blank with either setup option, rounded to the multiple."""
    assert resolve(scenario(policy, setup, **item)).overflow_level == level
