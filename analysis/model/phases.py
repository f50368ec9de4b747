"""Phases of the relationship: bands on the composite, the official phases of the designation
ladder, change points found by PELT (``ruptures``) and the Theil–Sen trend inside a range.

The composite itself is built in :mod:`analysis.model.composite` from the component registry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import ruptures
from scipy import stats

from analysis.indicators._common import DateLike, IndicatorError, check_range
from analysis.model.composite import CompositeResult

#: Half-open bands on the composite (Tsinghua labels): [lo, hi), the last one closed.
BANDS: list[tuple[float, float, str]] = [
    (-9, -6, "hostile"),
    (-6, -3, "tense"),
    (-3, 0, "bad"),
    (0, 3, "ordinary"),
    (3, 6, "good"),
    (6, 9, "friendly"),
]

#: Theil–Sen slope (index points per year) beyond which a range is warming or cooling.
TREND_THRESHOLD = 0.15
#: Fewest yearly values on which a trend is estimated.
TREND_MIN_POINTS = 3


# --------------------------------------------------------------------------------------------
# Phases
# --------------------------------------------------------------------------------------------


def band(value: float) -> str:
    """The band of a composite value: [−9,−6) hostile … [3,6) good, [6,9] friendly."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise IndicatorError("no composite value to classify (NaN)")
    if not -9 <= value <= 9:
        raise IndicatorError(f"composite value {value} is outside the scale −9..+9")
    for lo, hi, name in BANDS:
        if lo <= value < hi:
            return name
    return BANDS[-1][2]  # value == 9


def official_phases(designations: pd.DataFrame, *, until: DateLike = None) -> pd.DataFrame:
    """Official phases: intervals between changes of the designation level.

    Each row: ``start``, ``end`` (the day before the next change, or ``until``), ``level``,
    ``designation_en``, ``document``. Reaffirmations do not open a new phase.
    """
    ordered = designations.sort_values("date").reset_index(drop=True)
    changes = ordered[ordered["level"].diff().fillna(1) != 0]
    until_ts = check_range(until, None)[0]
    ends = list(changes["date"].iloc[1:] - pd.Timedelta(days=1))
    ends.append(until_ts if until_ts is not None else ordered["date"].max())
    return pd.DataFrame(
        {
            "start": changes["date"].to_numpy(),
            "end": ends,
            "level": changes["level"].astype(int).to_numpy(),
            "designation_en": changes["designation_en"].to_numpy(),
            "document": changes["document"].to_numpy(),
        }
    )


def phase_summary(
    result: CompositeResult, designations: pd.DataFrame, breaks: list
) -> pd.DataFrame:
    """Each official phase with the composite over its years: mean, band of the mean, and the
    change points that fall inside it (a check of the official view against the data)."""
    series = result.series()
    phases = official_phases(designations, until=pd.Timestamp(f"{int(series.index.max())}-12-31"))
    rows = []
    for _, ph in phases.iterrows():
        # a year belongs to the phase in force on its last day (as in partnership_level)
        year_end = pd.to_datetime(series.index.astype(str) + "-12-31")
        inside = series[(year_end >= ph["start"]) & (year_end <= ph["end"])]
        mean = float(inside.mean()) if len(inside) else float("nan")
        rows.append(
            {
                "start": ph["start"],
                "end": ph["end"],
                "level": int(ph["level"]),
                "designation_en": ph["designation_en"],
                "years": len(inside),
                "mean": mean,
                "band": band(mean) if len(inside) else None,
                "breaks": [int(b) for b in breaks if int(b) in set(inside.index)],
            }
        )
    return pd.DataFrame(rows)


def default_penalty(signal: np.ndarray) -> float:
    """σ̂² · log n, with σ̂ the robust noise scale from the first differences (MAD / 0.6745 / √2)."""
    x = np.asarray(signal, dtype=float)
    n = len(x)
    if n < 3:
        return float("nan")
    diffs = np.diff(x)
    mad = np.median(np.abs(diffs - np.median(diffs)))
    sigma = mad / 0.6745 / math.sqrt(2)
    if sigma == 0:
        sigma = np.std(diffs) / math.sqrt(2) or 1e-9
    return float(sigma**2 * math.log(n))


def change_points(series: pd.Series, *, penalty: float | None = None, freq: str = "YS") -> list:
    """Break dates of ``series`` (index = years or timestamps) found by PELT.

    ``ruptures.Pelt(model="l2", jump=1, min_size=2 years or 6 months)``, penalty σ̂²·log n by
    default. Returns the index labels where a new segment starts (empty when none, or when the
    series is shorter than two minimum segments).
    """
    clean = series.dropna()
    min_size = 2 if freq == "YS" else 6
    if len(clean) < 2 * min_size:
        return []
    signal = clean.to_numpy(dtype=float).reshape(-1, 1)
    pen = default_penalty(signal.ravel()) if penalty is None else float(penalty)
    if not np.isfinite(pen):
        return []
    algo = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal)
    ends = algo.predict(pen=pen)
    return [clean.index[i] for i in ends[:-1]]


def penalty_sensitivity(
    series: pd.Series, *, multipliers: tuple[float, ...] = (0.25, 0.5, 1, 2, 4, 8), freq: str = "YS"
) -> pd.DataFrame:
    """Break dates over a range of penalties (multiples of the default σ̂²·log n)."""
    clean = series.dropna()
    base = default_penalty(clean.to_numpy(dtype=float))
    rows = []
    for m in multipliers:
        pen = base * m if np.isfinite(base) else float("nan")
        breaks = change_points(clean, penalty=pen, freq=freq) if np.isfinite(pen) else []
        rows.append({"multiplier": m, "penalty": pen, "n_breaks": len(breaks), "breaks": breaks})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Trend:
    """Theil–Sen trend of the composite inside a range."""

    slope: float  # index points per year
    low: float  # 95 % confidence bounds of the slope
    high: float
    n: int  # yearly values used
    verdict: str  # warming / cooling / stable / not measurable
    reason: str


def trend(series: pd.Series, *, start: DateLike = None, end: DateLike = None) -> Trend:
    """Theil–Sen slope of a yearly series over [start, end] with a verdict.

    Warming when the slope ≥ +TREND_THRESHOLD points a year and its 95 % interval excludes 0;
    cooling when ≤ −TREND_THRESHOLD and the interval excludes 0; otherwise stable. Fewer than
    TREND_MIN_POINTS yearly values: "not measurable".
    """
    s, e = check_range(start, end)
    clean = series.dropna()
    if s is not None:
        clean = clean[clean.index >= s.year]
    if e is not None:
        clean = clean[clean.index <= e.year]
    n = len(clean)
    if n < TREND_MIN_POINTS:
        return Trend(
            np.nan,
            np.nan,
            np.nan,
            n,
            "not measurable",
            f"a trend needs at least {TREND_MIN_POINTS} yearly values; the range has {n}",
        )
    res = stats.theilslopes(
        clean.to_numpy(dtype=float), clean.index.to_numpy(dtype=float), alpha=0.95
    )
    slope, low, high = float(res.slope), float(res.low_slope), float(res.high_slope)
    if slope >= TREND_THRESHOLD and low > 0:
        verdict = "warming"
    elif slope <= -TREND_THRESHOLD and high < 0:
        verdict = "cooling"
    else:
        verdict = "stable"
    reason = (
        f"Theil–Sen slope {slope:+.2f} points/year (95% CI {low:+.2f} to {high:+.2f}) over {n} years; "
        f"threshold ±{TREND_THRESHOLD} with a CI excluding 0"
    )
    return Trend(slope, low, high, n, verdict, reason)
