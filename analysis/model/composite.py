"""One composite index, measured alike for China–Russia, China–USA and Russia–USA.

Each component of the registry (:mod:`analysis.model.components`) is evaluated for every dyad by
year over the *full* history of the data (1989 to the end of the data, never the requested
range, so that two briefings put the same year at the same value). The three dyads' values are
pooled and each component is min–max normalised over the pool, turned round where a higher
value is cooler (``sign`` −1), so that a normalised value means the same in each dyad:

    x_dit = (v_dit − min) / (max − min)     (min and max over every dyad and year)
    index_dt = −9 + 18 · Σ_i w_i · x_dit / Σ_i w_i     (over the components present in t)

−9 would be a year with every component at the lowest value any of the three pairs had since
1989, +9 one with every component at the highest. A year needs at least
:data:`~analysis.model.components.MIN_COMPONENTS` components. The China–Russia index of the
briefing and the triangle's three indices are therefore one measure on one scale.

**The headline is chain-linked**: each year's change is computed from the components present in
both years, so a component that enters, leaves or misses a year (the General Assembly's per-vote
record is missing for 2020–24, its ideal points after 2023) does not move the index by doing so
(:func:`~analysis.model.uncertainty.chain_linked`); the plain weighted mean is kept as ``plain``.

The same is done at every month's end (:func:`measure_dyads_by_month`), each component over its own
trailing window and normalised over the monthly history; short ranges are drawn with it.

A :class:`Measure` holds the whole step for one resolution: the raw and normalised components of
each dyad, the three indices and their uncertainty draws (:mod:`analysis.model.uncertainty`). It
is computed once per data vintage, with the rest of the model step (:mod:`analysis.model.step`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import config
from analysis.data.loader import Datasets, data_end
from analysis.indicators._common import DateLike, IndicatorError, check_range
from analysis.model import memo
from analysis.model import uncertainty as U
from analysis.model.components import COMPONENTS, DEFAULT_WEIGHTS
from analysis.model.dyads import DYADS, MAIN, check_dyad
from analysis.model.evaluation import component_table
from analysis.model.uncertainty import chain_linked

#: Which composite the briefing prints: "chain-linked" (see the module docstring) or "plain".
HEADLINE = "chain-linked"
SIGNS: dict[str, int] = {c.key: c.sign for c in COMPONENTS}


def normalise(raw: pd.DataFrame, signs: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Min–max normalise each column over all its non-missing values, (x − min)/(max − min),
    then 1 − that for a column whose sign is −1 (a higher value is cooler). A constant column
    becomes 0.5 (no information either way). Result in [0, 1] or NaN."""
    signs = SIGNS if signs is None else signs
    lo, hi = raw.min(), raw.max()
    span = (hi - lo).replace(0, np.nan)
    out = (raw - lo) / span
    for col in raw.columns[span.isna()]:
        out[col] = np.where(raw[col].notna(), 0.5, np.nan)
    for col in raw.columns:
        if signs.get(col, 1) == -1:
            out[col] = 1.0 - out[col]
    return out.clip(0, 1)


def normalise_jointly(
    raw: Mapping[str, pd.DataFrame], signs: Mapping[str, int] | None = None
) -> dict[str, pd.DataFrame]:
    """:func:`normalise` over the pooled values of every dyad's frame, split back per dyad."""
    if not raw:
        return {}
    pooled = pd.concat(raw, names=["dyad"])
    norm = normalise(pooled, signs)
    return {d: norm.xs(d, level="dyad") for d in raw}


def checked_weights(weights: Mapping[str, float] | None, columns) -> dict[str, float]:
    """The weights (default: the registry's), checked against the columns; zeros dropped."""
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = sorted(set(w) - set(columns))
    if unknown:
        raise IndicatorError(f"unknown component(s) {unknown}; choose from {list(columns)}")
    if any(v < 0 for v in w.values()) or not any(v > 0 for v in w.values()):
        raise IndicatorError("weights must be non-negative with at least one positive weight")
    return {c: float(v) for c, v in w.items() if v > 0}


def composite_from_normalised(
    norm: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """The plain composite (−9..+9) per period from normalised components, and
    ``n_components`` present (a period needs ``min(MIN_COMPONENTS, components)``)."""
    w = checked_weights(weights, norm.columns)
    cols = list(w)
    wv = np.array([w[c] for c in cols])
    x = norm[cols].to_numpy(dtype=float)
    out = U.combine(x[None, :, :], wv[None, :])[0]
    n = (~np.isnan(x)).sum(axis=1)
    return pd.DataFrame({"composite": out, "n_components": n}, index=norm.index)


def headline_from_normalised(
    norm: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """The printed composite (``composite``: chain-linked when :data:`HEADLINE` says so), the
    plain weighted mean (``plain``) and ``n_components``."""
    out = composite_from_normalised(norm, weights)
    out.insert(1, "plain", out["composite"])
    if HEADLINE == "chain-linked":
        out["composite"] = chain_linked(norm, checked_weights(weights, norm.columns))
    return out[["composite", "plain", "n_components"]]


@dataclass(frozen=True)
class CompositeResult:
    """One dyad's composite over the full history, with what it was built from."""

    raw: pd.DataFrame  # raw components by period
    normalised: pd.DataFrame  # components in [0, 1], normalised jointly with the other dyads
    index: pd.DataFrame  # columns composite, plain, n_components; by period
    weights: dict[str, float]
    dyad: str = MAIN

    def series(self) -> pd.Series:
        return self.index["composite"].dropna()


@memo.register
@dataclass(frozen=True)
class Measure:
    """The composite of the three dyads at one resolution, with its draws."""

    raw: dict[str, pd.DataFrame]  # per dyad: raw components by period
    normalised: dict[str, pd.DataFrame]
    index: dict[str, pd.DataFrame]  # per dyad: composite, plain, n_components
    weights: dict[str, float]
    draws: dict[str, pd.DataFrame] = field(default_factory=dict)  # per dyad: draws × periods

    def result(self, dyad: str = MAIN) -> CompositeResult:
        check_dyad(dyad)
        return CompositeResult(
            self.raw[dyad], self.normalised[dyad], self.index[dyad], dict(self.weights), dyad
        )

    def series(self, dyad: str = MAIN) -> pd.Series:
        return self.index[check_dyad(dyad)]["composite"].dropna()


def measure_from_raw(
    raw: Mapping[str, pd.DataFrame],
    weights: Mapping[str, float] | None = None,
    *,
    resample: Mapping[str, Mapping[str, U.Resampling]] | None = None,
    n_draws: int = U.N_DRAWS,
    seed: int = U.SEED,
    chain: bool = HEADLINE == "chain-linked",
) -> Measure:
    """Joint normalisation, the composite per dyad and its draws, from raw component tables
    (``resample`` None: only the weights vary in the draws; ``n_draws`` 0: no draws)."""
    first = next(iter(raw.values()))
    w = checked_weights(weights, first.columns)
    norm = normalise_jointly(raw)
    index = {d: headline_from_normalised(n, w) for d, n in norm.items()}
    if not chain:
        for frame in index.values():
            frame["composite"] = frame["plain"]
    draws = {}
    if n_draws:
        signs = {c: SIGNS.get(c, 1) for c in w}
        draws = U.draw_measure(
            raw, w, signs, resample=resample, n_draws=n_draws, seed=seed, chain=chain
        )
    return Measure(dict(raw), norm, index, w, draws)


def coverage_map(ds: Datasets) -> dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None]]:
    """Every dataset's declared (start, end), as timestamps: what blanks a component."""
    return {name: ds.coverage(name) for name in ds.names()}


def year_ends(first_year: int, last_year: int) -> pd.DatetimeIndex:
    return pd.DatetimeIndex([pd.Timestamp(f"{y}-12-31") for y in range(first_year, last_year + 1)])


def month_ends(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Every month's last day from ``first``'s month to ``last``'s month."""
    return pd.date_range(first + pd.offsets.MonthEnd(0), last + pd.offsets.MonthEnd(0), freq="ME")


def vintage_end(ds: Datasets) -> pd.Timestamp:
    """The last day the data (or the vintage) cover."""
    end = data_end(ds.data_dir)
    return end if ds.as_of is None else min(end, ds.as_of)


def last_complete_month(ds: Datasets) -> pd.Timestamp:
    """The last day of the last month wholly covered by the data (or the vintage)."""
    end = vintage_end(ds)
    month_end = end + pd.offsets.MonthEnd(0)
    return month_end if month_end == end else end - pd.offsets.MonthEnd(1)


def _tables(ds: Datasets, ends: pd.DatetimeIndex, months: int) -> dict[str, pd.DataFrame]:
    cov = coverage_map(ds)
    return {d: component_table(ds, d, ends, cov, period_months=months) for d in DYADS}


def measure_dyads(ds: Datasets) -> Measure:
    """The yearly composite of the three dyads with draws, 1989 to the last year the data (or
    the vintage) reach."""
    first, last = config.FIRST_DAY.year, vintage_end(ds).year

    def compute() -> Measure:
        ends = year_ends(first, last)
        years = pd.Index(ends.year, name="year")
        tables = _tables(ds, ends, 12)
        resample = {d: U.resampling_for(ds, d, ends, index=years) for d in DYADS}
        for t in tables.values():
            t.index = years
        return measure_from_raw(tables, resample=resample)

    return compute()


def measure_dyads_by_month(ds: Datasets) -> Measure:
    """The composite of the three dyads at every month's end, from January of the index's first
    year to the last complete month, normalised over the monthly history (no draws: the
    uncertainty bands are yearly)."""
    ends = month_ends(pd.Timestamp(f"{config.FIRST_DAY.year}-01-31"), last_complete_month(ds))

    def compute() -> Measure:
        tables = _tables(ds, ends, 1)
        for t in tables.values():
            t.index.name = "month"
        return measure_from_raw(tables, n_draws=0, chain=False)

    return compute()


def composite_index(
    ds: Datasets, *, weights: Mapping[str, float] | None = None, dyad: str = MAIN
) -> CompositeResult:
    """One dyad's yearly composite over the full history of ``ds`` (default weights: the
    remembered measure; other weights: recomputed without draws)."""
    m = measure_dyads(ds)
    if weights is not None:
        m = measure_from_raw(m.raw, weights, n_draws=0)
    return m.result(dyad)


def monthly_composite_index(
    ds: Datasets, *, weights: Mapping[str, float] | None = None, dyad: str = MAIN
) -> CompositeResult:
    """One dyad's monthly composite (the plain weighted mean on the joint monthly scale)."""
    m = measure_dyads_by_month(ds)
    if weights is not None:
        m = measure_from_raw(m.raw, weights, n_draws=0, chain=False)
    return m.result(dyad)


def yearly_components(ds: Datasets, dyad: str = MAIN) -> pd.DataFrame:
    """One dyad's raw components by year (index: the year)."""
    return measure_dyads(ds).raw[check_dyad(dyad)]


def contributions(result: CompositeResult, first, last) -> dict[str, float]:
    """Each component's contribution to the change of the chain-linked index from ``first`` to
    ``last`` (index points): the sum over the years between of each year's change,
    18·wᵢ·(xᵢ,t − xᵢ,t−1)/Σw over the components present in both t and t−1, which adds up to the
    headline's change wherever the chain is unbroken. A component present in neither pair of a
    year contributes nothing that year."""
    norm = result.normalised
    if first not in norm.index or last not in norm.index:
        return {}
    w = result.weights
    steps = norm.loc[first:last]
    out = {c: 0.0 for c in w}
    seen = set()
    for prev, year in zip(steps.index[:-1], steps.index[1:], strict=True):
        a, b = steps.loc[prev], steps.loc[year]
        both = [c for c in w if pd.notna(a[c]) and pd.notna(b[c])]
        total = sum(w[c] for c in both)
        if total <= 0:
            continue
        for c in both:
            out[c] += 18.0 * w[c] * float(b[c] - a[c]) / total
            seen.add(c)
    return {c: v for c, v in out.items() if c in seen}


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
    for comp, weight in result.weights.items():
        others = {c: v for c, v in result.weights.items() if c != comp and v > 0}
        if weight <= 0 or not others:
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
