"""The composite relationship index, built from the component registry.

Each component (see :mod:`analysis.model.components`) is evaluated by year over the *full*
history of the data (1989 to the end of the data, never the requested window, so that two
briefings for different ranges put the same year at the same value), min–max normalised over
that history, and combined into a weighted mean rescaled to −9..+9:

    index_t = −9 + 18 · Σ_i w_i · x_it / Σ_i w_i     (sums over the components present in t)

where x_it ∈ [0, 1] is component i in year t after normalisation, and a year needs at least
:data:`~analysis.model.components.MIN_COMPONENTS` components. −9 would be a year with every
component at its post-1989 low, +9 one with every component at its high.

**The headline is chain-linked** (:data:`HEADLINE`). The plain weighted mean above moves when a
component enters, leaves or misses a year (joint exercises enter in 2004 at their minimum: −1.9
points; trade is missing for 1993 and 1995), so the printed index cumulates each year's change
computed from the components present in both years (:func:`~analysis.model.uncertainty.
chain_linked`), anchored at the last year with a value, where the two agree. The plain mean is
kept in the column ``plain`` and shown in the method section.

The monthly composite (:func:`monthly_composite_index`) evaluates the same components at every
month's end from January 1989 to the last complete month of the data (or of the vintage), each
over its own trailing window, and is normalised over that monthly history in the same way
(the plain weighted mean: not chain-linked). It is what short ranges are drawn and described with; the yearly API is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import config
from analysis.data.loader import Datasets, data_end
from analysis.indicators._common import DateLike, IndicatorError, check_range
from analysis.model import memo
from analysis.model.components import (
    DEFAULT_WEIGHTS,
    MIN_COMPONENTS,
    component_table,
)
from analysis.model.uncertainty import chain_linked

#: Which composite the briefing prints: "chain-linked" (see the module docstring) or "plain".
HEADLINE = "chain-linked"


def normalise(raw: pd.DataFrame) -> pd.DataFrame:
    """Min–max normalise each column over all its non-missing values: (x − min) / (max − min).

    A constant column becomes 0.5 (no information either way). Result in [0, 1] or NaN.
    """
    lo, hi = raw.min(), raw.max()
    span = (hi - lo).replace(0, np.nan)
    out = (raw - lo) / span
    for col in raw.columns[span.isna()]:
        out[col] = np.where(raw[col].notna(), 0.5, np.nan)
    return out.clip(0, 1)


def _weighted(norm: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    unknown = sorted(set(weights) - set(norm.columns))
    if unknown:
        raise IndicatorError(f"unknown component(s) {unknown}; choose from {list(norm.columns)}")
    if any(w < 0 for w in weights.values()) or not any(w > 0 for w in weights.values()):
        raise IndicatorError("weights must be non-negative with at least one positive weight")
    cols = [c for c, w in weights.items() if w > 0]
    w = np.array([weights[c] for c in cols], dtype=float)
    x = norm[cols].to_numpy(dtype=float)
    present = ~np.isnan(x)
    wsum = (present * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (np.where(present, x, 0.0) * w).sum(axis=1) / np.where(wsum == 0, np.nan, wsum)
    n = present.sum(axis=1)
    needed = min(MIN_COMPONENTS, len(cols))
    composite = np.where(n >= needed, -9 + 18 * mean, np.nan)
    return pd.DataFrame({"composite": composite, "n_components": n}, index=norm.index)


def composite_from_normalised(
    norm: pd.DataFrame, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """Composite index (−9..+9) per year from normalised components; ``n_components`` present."""
    return _weighted(norm, dict(weights or DEFAULT_WEIGHTS))


def headline_from_normalised(
    norm: pd.DataFrame, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """The printed composite (column ``composite``: chain-linked when :data:`HEADLINE` says so),
    the plain weighted mean (``plain``) and ``n_components``."""
    w = dict(weights or DEFAULT_WEIGHTS)
    out = _weighted(norm, w)
    out["plain"] = out["composite"]
    if HEADLINE == "chain-linked":
        out["composite"] = chain_linked(norm, w)
    return out[["composite", "plain", "n_components"]]


@dataclass(frozen=True)
class CompositeResult:
    """The composite over the full history, with what it was built from."""

    raw: pd.DataFrame  # raw components by year
    normalised: pd.DataFrame  # components in [0, 1]
    index: pd.DataFrame  # columns composite, n_components; by year
    weights: dict[str, float]

    def series(self) -> pd.Series:
        return self.index["composite"].dropna()


def coverage_map(ds: Datasets) -> dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None]]:
    """Every dataset's declared (start, end), as timestamps: what blanks a component."""
    return {name: ds.coverage(name) for name in ds.names()}


def year_ends(first_year: int, last_year: int) -> pd.DatetimeIndex:
    return pd.DatetimeIndex([pd.Timestamp(f"{y}-12-31") for y in range(first_year, last_year + 1)])


def yearly_components(
    ds: Datasets, *, first_year: int | None = None, last_year: int | None = None
) -> pd.DataFrame:
    """Every registered component by year (index: the year), from the first year of the index to
    the last year the data cover. A component is NaN in the years its datasets do not cover."""
    first_year = first_year or config.FIRST_DAY.year
    end = data_end(ds.data_dir) if ds.as_of is None else min(data_end(ds.data_dir), ds.as_of)
    last_year = last_year or end.year

    def compute() -> pd.DataFrame:
        table = component_table(ds, year_ends(first_year, last_year), coverage_map(ds))
        table.index = pd.Index(table.index.year, name="year")
        return table

    return memo.remember(ds, "yearly_components", (first_year, last_year), compute)


def month_ends(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Every month's last day from ``first``'s month to ``last``'s month."""
    return pd.date_range(first + pd.offsets.MonthEnd(0), last + pd.offsets.MonthEnd(0), freq="ME")


def last_complete_month(ds: Datasets) -> pd.Timestamp:
    """The last day of the last month wholly covered by the data (or the vintage)."""
    end = data_end(ds.data_dir) if ds.as_of is None else min(data_end(ds.data_dir), ds.as_of)
    month_end = end + pd.offsets.MonthEnd(0)
    return month_end if month_end == end else end - pd.offsets.MonthEnd(1)


def monthly_components(ds: Datasets) -> pd.DataFrame:
    """Every registered component at each month's end (index: the month's last day), from
    January of the index's first year to the last complete month (see the module docstring)."""
    ends = month_ends(pd.Timestamp(f"{config.FIRST_DAY.year}-01-31"), last_complete_month(ds))

    def compute() -> pd.DataFrame:
        table = component_table(ds, ends, coverage_map(ds), period_months=1)
        table.index.name = "month"
        return table

    return memo.remember(ds, "monthly_components", (), compute)


def monthly_composite_index(
    ds: Datasets, *, weights: dict[str, float] | None = None
) -> CompositeResult:
    """The composite at every month's end, normalised over the monthly history: the plain
    weighted mean (on the −9..+9 scale by construction). It is not chain-linked: linking 440
    month-to-month changes cumulates their drift past the scale's ends (to −10.4 in 1989)."""
    raw = monthly_components(ds)
    norm = normalise(raw)
    w = dict(weights or DEFAULT_WEIGHTS)
    index = composite_from_normalised(norm, w)
    index.insert(1, "plain", index["composite"])
    return CompositeResult(raw=raw, normalised=norm, index=index, weights=w)


def composite_index(ds: Datasets, *, weights: dict[str, float] | None = None) -> CompositeResult:
    """Build the composite index over the full history of ``ds`` (see the module docstring)."""
    raw = yearly_components(ds)
    norm = normalise(raw)
    w = dict(weights or DEFAULT_WEIGHTS)
    return CompositeResult(
        raw=raw, normalised=norm, index=headline_from_normalised(norm, w), weights=w
    )


def leave_one_out(
    result: CompositeResult, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """How the composite moves when each weighted component is dropped, over [start, end].

    Columns: ``component``, ``mean_shift`` (mean of index without − index with, in points),
    ``max_abs_shift``, ``end_value`` (index in the last year without the component).
    """
    s, e = check_range(start, end)
    years = result.index.index
    mask = np.ones(len(years), dtype=bool)
    if s is not None:
        mask &= years >= s.year
    if e is not None:
        mask &= years <= e.year
    base = result.index["composite"][mask]
    rows = []
    for comp, w in result.weights.items():
        if w <= 0:
            continue
        others = {c: v for c, v in result.weights.items() if c != comp}
        if not any(v > 0 for v in others.values()):
            continue
        alt = headline_from_normalised(result.normalised, others)["composite"][mask]
        diff = (alt - base).dropna()
        rows.append(
            {
                "component": comp,
                "mean_shift": float(diff.mean()) if len(diff) else np.nan,
                "max_abs_shift": float(diff.abs().max()) if len(diff) else np.nan,
                "end_value": float(alt.dropna().iloc[-1]) if alt.notna().any() else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["component", "mean_shift", "max_abs_shift", "end_value"])
