"""From consensus levels to one final percentage (the procedure's aggregation)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from interviewdesk.procedures.models import ScaleLevel

from .models import AssessmentSettings

Aggregation = AssessmentSettings.Aggregation
CENT = Decimal("0.01")


def level_value(level: ScaleLevel, scale_levels: Sequence[ScaleLevel], method: str) -> Decimal:
    """The percentage one level stands for under the aggregation `method`."""
    if method == Aggregation.MIDPOINT_MEAN:
        return (Decimal(str(level.min_pct)) + Decimal(str(level.max_pct))) / 2
    if method == Aggregation.LOWER_BOUND_MEAN:
        return Decimal(str(level.min_pct))
    if method == Aggregation.LINEAR_MEAN:
        orders = [lv.order for lv in scale_levels]
        low, high = min(orders), max(orders)
        return Decimal(100) * (level.order - low) / (high - low) if high > low else Decimal(100)
    raise ValueError(f"unknown aggregation {method!r}")


def final_percentage(
    rated: Iterable[tuple[ScaleLevel, Decimal]], scale_levels: Sequence[ScaleLevel], method: str
) -> Decimal:
    """Weighted mean of the levels' values, rounded half-up to two decimals.

    `rated` holds (level, weight) per competency; weights default to 1 in the profile.
    """
    pairs = list(rated)
    if not pairs:
        raise ValueError("no levels to aggregate")
    total_weight = sum((Decimal(w) for _lv, w in pairs), Decimal(0))
    weighted = sum((level_value(lv, scale_levels, method) * Decimal(w) for lv, w in pairs), Decimal(0))
    return (weighted / total_weight).quantize(CENT, rounding=ROUND_HALF_UP)


def passes(final_pct: Decimal, pass_mark_pct: Decimal) -> bool:
    return final_pct >= pass_mark_pct
