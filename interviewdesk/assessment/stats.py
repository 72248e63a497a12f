"""Rater agreement and score statistics in plain Python (formulas: docs/assessment-statistics.md).

Intraclass correlations after Shrout & Fleiss (1979), from the mean squares of an
n targets x k judges table without missing cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean


@dataclass(frozen=True)
class MeanSquares:
    n: int
    k: int
    bms: float  # between targets
    wms: float  # within targets (one-way)
    jms: float  # between judges
    ems: float  # residual (two-way)


def mean_squares(table: Sequence[Sequence[float]]) -> MeanSquares:
    """Mean squares of a complete n x k table (rows: targets, columns: judges)."""
    n = len(table)
    if n < 2:
        raise ValueError("at least two targets are needed")
    k = len(table[0])
    if k < 2 or any(len(row) != k for row in table):
        raise ValueError("every target needs the same number (≥ 2) of ratings")
    grand = fmean(x for row in table for x in row)
    row_means = [fmean(row) for row in table]
    col_means = [fmean(row[j] for row in table) for j in range(k)]
    ss_between = k * sum((m - grand) ** 2 for m in row_means)
    ss_judges = n * sum((m - grand) ** 2 for m in col_means)
    ss_within = sum((x - row_means[i]) ** 2 for i, row in enumerate(table) for x in row)
    ss_error = ss_within - ss_judges
    return MeanSquares(
        n=n, k=k,
        bms=ss_between / (n - 1),
        wms=ss_within / (n * (k - 1)),
        jms=ss_judges / (k - 1),
        ems=ss_error / ((n - 1) * (k - 1)),
    )


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def icc(table: Sequence[Sequence[float]]) -> dict[str, float | None]:
    """All six Shrout & Fleiss coefficients; None where a denominator is zero (no variance)."""
    ms = mean_squares(table)
    n, k, bms, wms, jms, ems = ms.n, ms.k, ms.bms, ms.wms, ms.jms, ms.ems
    return {
        "ICC(1,1)": _ratio(bms - wms, bms + (k - 1) * wms),
        "ICC(2,1)": _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC(3,1)": _ratio(bms - ems, bms + (k - 1) * ems),
        "ICC(1,k)": _ratio(bms - wms, bms),
        "ICC(2,k)": _ratio(bms - ems, bms + (jms - ems) / n),
        "ICC(3,k)": _ratio(bms - ems, bms),
    }


def four_fifths(pass_rates: dict[str, float]) -> dict[str, float | None]:
    """Each group's pass rate divided by the highest group's rate (adverse impact below 0.8)."""
    best = max(pass_rates.values(), default=0)
    return {group: (rate / best if best else None) for group, rate in pass_rates.items()}


def histogram(values: Sequence[float], width: float = 10, top: float = 100) -> list[tuple[float, float, int]]:
    """Counts per band [low, low + width), the last band closed at `top`."""
    bands = []
    low = 0.0
    while low < top:
        high = min(low + width, top)
        last = high >= top
        count = sum(1 for v in values if low <= v < high or (last and v == top))
        bands.append((low, high, count))
        low = high
    return bands
