"""Order modifiers (reference §9): Maximum, then Minimum Order Quantity, then Order Multiple."""

from __future__ import annotations

import math

EPS = 1e-9


def round_up_to_multiple(qty: float, multiple: float) -> float:
    """``qty`` rounded up to the next multiple (tolerant of float noise: 75.0000000001 stays 75)."""
    if multiple <= 0:
        return qty
    return math.ceil(round(qty / multiple, 9)) * multiple


def apply_modifiers(qty: float, *, min_qty: float = 0.0, maximum_order_quantity: float = 0.0,
                    minimum_order_quantity: float = 0.0, order_multiple: float = 0.0) -> float:
    """The order quantity after Business Central's modifiers, applied to a total ``qty``.

    ``min_qty`` is the supply's own floor (reserved or already-committed quantity): the maximum
    only caps a quantity when it is above that floor. The multiple is applied last, so it may
    push the result above the maximum (reference §9, pitfall 7).
    """
    if qty <= 0:
        return qty
    delta = 0.0
    if maximum_order_quantity and maximum_order_quantity < qty and maximum_order_quantity > min_qty:
        delta = maximum_order_quantity - qty
    if minimum_order_quantity > qty + delta:
        delta = minimum_order_quantity - qty
    result = qty + delta
    if order_multiple:
        result = round_up_to_multiple(result, order_multiple)
    return result
