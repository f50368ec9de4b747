"""Evaluate a component at a run of dates: its raw value over the trailing window ending at
each date, by the component's kind (:mod:`analysis.model.components` declares them), blank
where the datasets it rests on do not cover the window."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets
from analysis.model import observations as O
from analysis.model.components import COMPONENTS, Component
from analysis.model.dyads import check_dyad


def _months_before(ends: pd.DatetimeIndex, months: int) -> pd.DatetimeIndex:
    """The day ``months`` before each end, at the end of that month (window = (this, end])."""
    return (ends - pd.DateOffset(months=months)) + pd.offsets.MonthEnd(0)


def _window_sums(dates: np.ndarray, values: np.ndarray, lo, hi) -> np.ndarray:
    """Σ values with lo < date ≤ hi, for each (lo, hi): two binary searches on cumulated sums."""
    order = np.argsort(dates, kind="stable")
    d, v = dates[order], values[order]
    cum = np.concatenate([[0.0], np.cumsum(v)])
    return cum[np.searchsorted(d, hi, side="right")] - cum[np.searchsorted(d, lo, side="right")]


Coverage = Mapping[str, tuple[pd.Timestamp | None, pd.Timestamp | None]]


def _blank(
    component: Component, dyad: str, ends: pd.DatetimeIndex, coverage: Coverage, months: int
) -> np.ndarray:
    """True where the component must be blank for lack of coverage (see the module docstring)."""
    blank = np.zeros(len(ends), dtype=bool)
    if component.kind == "state":
        return blank
    window = component.window_months if component.kind == "count" else months
    lo = _months_before(ends, window)
    covered = [coverage.get(n, (None, None)) for n in component.datasets_for(dyad)]
    covered = [(s, e) for s, e in covered if s is not None]
    if not covered:
        return blank
    if component.kind == "count":  # the whole window must be covered by every dataset
        for start, end in covered:
            blank |= np.asarray((lo + pd.Timedelta(days=1) < start) | (ends > end))
    else:  # the evaluation period must overlap the coverage of every dataset
        for start, end in covered:
            blank |= np.asarray((ends < start) | (lo >= end))
    return blank


#: Fewest votes in a window for κ to be computed (one vote gives a κ of 0 or 1).
MIN_KAPPA_VOTES = 10


def kappa_of(sums: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """κ, p_o and p_e from window sums of ``ident`` and the six vote indicators (NaN where the
    window holds fewer than MIN_KAPPA_VOTES votes, or where chance agreement is complete)."""
    n = sum(sums[f"a_{v}"] for v in O.VOTES)
    n = np.where(n >= MIN_KAPPA_VOTES, n, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        po = np.where(n > 0, sums["ident"] / n, np.nan)
        pe = sum(sums[f"a_{v}"] * sums[f"b_{v}"] for v in O.VOTES) / np.where(n > 0, n * n, 1)
        pe = np.where(n > 0, pe, np.nan)
        kappa = np.where(np.isclose(pe, 1.0), np.nan, (po - pe) / (1 - pe))
    return kappa, po, pe


KAPPA_COLUMNS = ("ident", *(f"{w}_{v}" for w in ("a", "b") for v in O.VOTES))


def window_lows(component: Component, ends: pd.DatetimeIndex) -> np.ndarray:
    """The exclusive start of each evaluation window (the window is (low, end])."""
    if component.window_months is None:
        return np.full(len(ends), np.datetime64("1700-01-01", "ns"))
    return _months_before(ends, component.window_months).to_numpy(dtype="datetime64[ns]")


def evaluate(
    component: Component,
    ds: Datasets,
    dyad: str,
    ends: pd.DatetimeIndex,
    coverage: Coverage,
    *,
    period_months: int = 12,
    obs: pd.DataFrame | None = None,
) -> pd.Series:
    """The component's raw value for ``dyad`` at each evaluation date ``ends`` (NaN where not
    measurable). ``period_months`` is the resolution (12: a value per year, 1: per month);
    ``coverage`` maps each dataset to its (start, end), already cut at the vintage; ``obs``
    the observations when the caller already has them."""
    check_dyad(dyad)
    obs = component.observe(ds, dyad) if obs is None else obs
    dates = pd.to_datetime(obs["date"]).to_numpy(dtype="datetime64[ns]")
    hi = ends.to_numpy(dtype="datetime64[ns]")
    lo = window_lows(component, ends)
    if component.kind == "count":
        out = _window_sums(dates, obs["value"].to_numpy(dtype=float), lo, hi)
    elif component.kind == "ratio":
        num = _window_sums(dates, obs["num"].to_numpy(dtype=float), lo, hi)
        den = _window_sums(dates, obs["den"].to_numpy(dtype=float), lo, hi)
        out = np.divide(num, den, out=np.full(len(hi), np.nan), where=den > 0)
    elif component.kind == "kappa":
        sums = {c: _window_sums(dates, obs[c].to_numpy(dtype=float), lo, hi) for c in KAPPA_COLUMNS}
        out = kappa_of(sums)[0]
    else:  # level / state: the latest observation in the window
        order = np.argsort(dates, kind="stable")
        d, v = dates[order], obs["value"].to_numpy(dtype=float)[order]
        idx = np.searchsorted(d, hi, side="right") - 1
        out = np.full(len(hi), np.nan)
        ok = idx >= 0
        ok[ok] = d[idx[ok]] > lo[ok]  # the latest observation must lie inside the window
        out[ok] = v[idx[ok]]
    out[_blank(component, dyad, ends, coverage, period_months)] = np.nan
    return pd.Series(out, index=ends, name=component.key)


def component_table(
    ds: Datasets,
    dyad: str,
    ends: pd.DatetimeIndex,
    coverage: Coverage,
    *,
    period_months: int = 12,
    components: tuple[Component, ...] = COMPONENTS,
) -> pd.DataFrame:
    """Every component's raw series for ``dyad`` at ``ends``, one column each."""
    return pd.DataFrame(
        {
            c.key: evaluate(c, ds, dyad, ends, coverage, period_months=period_months)
            for c in components
        },
        index=ends,
    )
