"""Shared helpers of the indicator modules: date parameters, period grids, the tidy shape.

Every indicator returns a *tidy* frame with the columns of :data:`TIDY_COLUMNS`:
``period`` (timestamp of the period's first day), ``indicator`` (a stable name),
``value`` (float) and ``n`` (the number of observations behind the value, where relevant).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import pandas as pd

TIDY_COLUMNS = ["period", "indicator", "value", "n"]

#: pandas offset aliases accepted as ``freq``: annual or monthly periods.
FREQS = {"YS": "year", "MS": "month"}

DateLike = str | date | datetime | pd.Timestamp | None


class IndicatorError(ValueError):
    """An indicator was called with input it cannot use; the message says what to change."""


def as_timestamp(value: DateLike, name: str) -> pd.Timestamp | None:
    """Parse an ISO date parameter; ``None`` stays ``None``."""
    if value is None:
        return None
    if not isinstance(value, str | date | datetime):  # pd.Timestamp is a datetime
        raise IndicatorError(
            f"{name}={value!r} is not a date; pass an ISO date string YYYY-MM-DD or a datetime"
        )
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T].*)?", value.strip()):
        raise IndicatorError(f"{name}={value!r} is not an ISO date; pass YYYY-MM-DD")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise IndicatorError(
            f"{name}={value!r} is not a date; pass an ISO date YYYY-MM-DD"
        ) from exc
    if pd.isna(ts):
        raise IndicatorError(f"{name} is missing; pass an ISO date YYYY-MM-DD")
    return ts.normalize()


def check_range(start: DateLike, end: DateLike) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Parse ``start``/``end`` and check their order."""
    s, e = as_timestamp(start, "start"), as_timestamp(end, "end")
    if s is not None and e is not None and s > e:
        raise IndicatorError(f"start {s:%Y-%m-%d} is after end {e:%Y-%m-%d}; swap them")
    return s, e


def check_freq(freq: str) -> str:
    if freq not in FREQS:
        raise IndicatorError(f"freq={freq!r} is not supported; use 'YS' (annual) or 'MS' (monthly)")
    return freq


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise a helpful error when ``frame`` lacks a column an indicator needs."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IndicatorError(
            f"{what} needs the column(s) {missing}; got {list(frame.columns)}. "
            "Load it with analysis.data.load() or rename your columns."
        )


def within(frame: pd.DataFrame, column: str, start: pd.Timestamp | None, end: pd.Timestamp | None):
    """Rows of ``frame`` whose ``column`` lies in the closed interval [start, end]."""
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= frame[column] >= start
    if end is not None:
        mask &= frame[column] <= end
    return frame[mask]


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """The first day of the year (``YS``) or month (``MS``) of each date."""
    dates = pd.to_datetime(dates)
    unit = "datetime64[Y]" if freq == "YS" else "datetime64[M]"
    starts = dates.to_numpy(dtype="datetime64[ns]").astype(unit).astype("datetime64[ns]")
    return pd.Series(starts, index=dates.index, name=dates.name)


def period_grid(
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    freq: str,
    observed: pd.Series | None = None,
) -> pd.DatetimeIndex:
    """Every period from ``start`` to ``end``; missing bounds come from the observed dates."""
    if observed is not None and len(observed):
        obs = pd.to_datetime(observed)
        start = start if start is not None else obs.min()
        end = end if end is not None else obs.max()
    if start is None or end is None:
        return pd.DatetimeIndex([], name="period")
    first = period_start(pd.Series([start]), freq).iloc[0]
    return pd.date_range(first, end, freq=freq, name="period")


def year_grid(start: pd.Timestamp | None, end: pd.Timestamp | None, observed_years) -> list[int]:
    """Every year from ``start`` to ``end`` (bounds default to the observed years)."""
    years = pd.Series(observed_years, dtype="float64").dropna() if len(observed_years) else None
    lo = (
        start.year
        if start is not None
        else (int(years.min()) if years is not None and len(years) else None)
    )
    hi = (
        end.year
        if end is not None
        else (int(years.max()) if years is not None and len(years) else None)
    )
    if lo is None or hi is None:
        return []
    return list(range(lo, hi + 1))


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Order columns and rows the way every indicator returns them."""
    out = frame.copy()
    if "n" not in out.columns:
        out["n"] = pd.NA
    out["period"] = pd.to_datetime(out["period"])
    out["value"] = out["value"].astype(float)
    out["n"] = out["n"].astype("Int64")
    out["indicator"] = out["indicator"].astype(str)
    out = out[TIDY_COLUMNS].sort_values(["indicator", "period"], kind="stable")
    return out.reset_index(drop=True)


def empty_tidy() -> pd.DataFrame:
    return tidy(pd.DataFrame({"period": [], "indicator": [], "value": [], "n": []}))


def year_to_period(years) -> pd.Series:
    return pd.to_datetime(pd.Series(years).astype(int).astype(str) + "-01-01")


def safe_ratio(num, den) -> np.ndarray:
    """num / den with NaN (not inf, not an error) where den is 0."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def per_month(
    dates: pd.Series, indicator: str, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """How many of ``dates`` fall in each calendar month of [start, end] (tidy; every month of
    the grid appears, 0 where none). The monthly counterpart of the ``*_per_year`` counters."""
    s, e = check_range(start, end)
    dates = pd.to_datetime(dates).dropna()
    if s is not None:
        dates = dates[dates >= s]
    if e is not None:
        dates = dates[dates <= e]
    grid = period_grid(s, e, "MS", dates)
    counts = period_start(dates, "MS").value_counts().reindex(grid, fill_value=0)
    return tidy(pd.DataFrame({"period": grid, "indicator": indicator, "value": counts.to_numpy()}))
