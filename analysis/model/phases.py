"""Phases of the relationship: bands on the composite, the official phases of the designation
ladder and the Theil–Sen trend inside a range; with the draws of
:mod:`analysis.model.uncertainty`, which trends survive them. Change points (PELT) are in
:mod:`analysis.model.change_points`.

The composite itself is built in :mod:`analysis.model.composite` from the component registry.
The bands say where a value stands on the −9..+9 scale of the three pairs (−9: every component
at the lowest value any pair had since 1989; +9: every one at the highest), in fifths; they are not Tsinghua University's
absolute bands, whose words (hostile … friendly) would misdescribe a relative scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from analysis.indicators._common import DateLike, IndicatorError, check_range
from analysis.model.composite import CompositeResult

#: The one declaration of the bands: equal parts of the −9..+9 scale, lowest first.
BAND_NAMES: tuple[str, ...] = (
    "lowest fifth",
    "second-lowest fifth",
    "middle fifth",
    "second-highest fifth",
    "highest fifth",
)
_EDGES = np.linspace(-9.0, 9.0, len(BAND_NAMES) + 1).round(6)
#: Half-open bands on the composite, [lo, hi), the last one closed; derived from BAND_NAMES.
BANDS: list[tuple[float, float, str]] = [
    (float(lo), float(hi), name)
    for lo, hi, name in zip(_EDGES[:-1], _EDGES[1:], BAND_NAMES, strict=True)
]

#: The smallest change over a range (index points, whatever the range's length) that counts as
#: a move: the trend's implied change (Theil–Sen slope × the years between the range's first and
#: last yearly value), median over the draws.
MIN_CHANGE = 1.0
#: Fewest yearly values on which a trend is estimated.
TREND_MIN_POINTS = 3
#: A trend is warming (cooling) only when at least this share of the draws implies a rise (a
#: fall) over the range; when neither sign has that share the draws are split: "no clear trend".
TREND_DRAW_SHARE = 0.90
#: The verdicts of :func:`trend`, in words.
VERDICTS = ("warming", "cooling", "stable", "no clear trend", "not measurable")


# --------------------------------------------------------------------------------------------
# Phases
# --------------------------------------------------------------------------------------------


def band(value: float) -> str:
    """The band of a composite value: [−9, −5.4) lowest fifth … [5.4, 9] highest fifth."""
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
    if ordered.empty:  # a vintage before the first designation
        return pd.DataFrame(columns=["start", "end", "level", "designation_en", "document"])
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


def _period_ends(index: pd.Index) -> pd.DatetimeIndex:
    """The last day of each value's period: 31 December of a year, or the month end itself."""
    if isinstance(index, pd.DatetimeIndex):
        return index
    return pd.to_datetime(index.astype(int).astype(str) + "-12-31")


def phase_summary(
    result: CompositeResult,
    designations: pd.DataFrame,
    breaks: list,
    *,
    start: DateLike = None,
    end: DateLike = None,
    series: pd.Series | None = None,
) -> pd.DataFrame:
    """Each official phase with the composite over its years (or months): mean, band of the
    mean, and the change points that fall inside it (a check of the official view against the
    data). With ``start``/``end`` the phases are cut to the range: the first row is the phase in
    force at the start (``in_force_at_start``), clipped, and ``series`` (default: the whole
    composite) holds the values that count in the range."""
    series = result.series() if series is None else series.dropna()
    s, e = check_range(start, end)
    until = e if e is not None else _period_ends(result.series().index).max()
    phases = official_phases(designations, until=until)
    if s is not None:
        phases = phases[phases["end"] >= s].reset_index(drop=True)
    if e is not None:
        phases = phases[phases["start"] <= e].reset_index(drop=True)
    value_ends = _period_ends(series.index)
    rows = []
    for i, ph in phases.iterrows():
        lo = ph["start"] if s is None else max(ph["start"], s)
        hi = ph["end"] if e is None else min(ph["end"], e)
        # a year (month) belongs to the phase in force on its last day (as in partnership_level)
        inside = series[(value_ends >= lo) & (value_ends <= hi)]
        mean = float(inside.mean()) if len(inside) else float("nan")
        labels = set(inside.index)
        rows.append(
            {
                "start": lo,
                "end": hi,
                "level": int(ph["level"]),
                "designation_en": ph["designation_en"],
                "in_force_at_start": bool(s is not None and i == 0 and ph["start"] < s),
                "years": len(inside),
                "mean": mean,
                "band": band(round(mean, 1)) if len(inside) else None,  # as printed
                "breaks": [b for b in breaks if b in labels],
            }
        )
    return pd.DataFrame(rows)


def theil_sen(y: np.ndarray, x: np.ndarray, alpha: float = 0.95) -> tuple[float, float, float]:
    """Theil–Sen slope of ``y`` on ``x`` with its ``alpha`` confidence interval (Sen 1968,
    eq. 2.6: the interval's ranks among the sorted pairwise slopes from the normal
    approximation of Kendall's statistic, with the tie correction over repeated x and y).

    The same numbers as ``scipy.stats.theilslopes(y, x, alpha)`` (tested against it); computed
    here because importing ``scipy.stats`` for this one function put about half a second on
    every briefing's critical path."""
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    dx, dy = x[:, None] - x, y[:, None] - y
    slopes = np.sort(dy[dx > 0] / dx[dx > 0])
    slope = float(np.median(slopes))
    z = NormalDist().inv_cdf((1 - alpha) / 2 if alpha > 0.5 else alpha / 2)
    n, pairs = len(y), len(slopes)

    def ties(values: np.ndarray) -> float:
        _, counts = np.unique(values, return_counts=True)
        k = counts[counts > 1].astype(float)
        return float(np.sum(k * (k - 1) * (2 * k + 5)))

    variance = (n * (n - 1) * (2 * n + 5) - ties(x) - ties(y)) / 18.0
    if pairs == 0 or not variance >= 0:
        return slope, float("nan"), float("nan")
    sigma = math.sqrt(variance)
    upper = min(int(np.round((pairs - z * sigma) / 2.0)), pairs - 1)
    lower = max(int(np.round((pairs + z * sigma) / 2.0)) - 1, 0)
    return slope, float(slopes[lower]), float(slopes[upper])


def _theil_sen_slopes(y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The Theil–Sen slope (median of pairwise slopes) of every row of ``y``."""
    i, j = np.triu_indices(len(t), k=1)
    return np.median((y[:, j] - y[:, i]) / (t[j] - t[i]), axis=1)


@dataclass(frozen=True)
class Trend:
    """Theil–Sen trend of the composite inside a range, and what the draws make of it."""

    slope: float  # index points per year
    low: float  # 95 % confidence bounds of the slope
    high: float
    n: int  # yearly (or monthly) values used
    verdict: str  # one of VERDICTS
    reason: str
    share_up: float = float("nan")  # share of draws implying a rise over the range
    share_down: float = float("nan")  # share of draws implying a fall
    change: float = float("nan")  # implied change over the range (median of the draws)
    span: float = float("nan")  # years between the first and the last value


def verdict_of(share_up: float, share_down: float, change: float) -> str:
    """The trend's verdict from the shares of draws implying a rise and a fall and the median
    implied change: one sign in at least TREND_DRAW_SHARE of the draws is a move, warming or
    cooling when it is at least MIN_CHANGE points, "stable" when smaller; otherwise the draws
    are split, "no clear trend". The size threshold is on the change over the whole range, so
    it does not grow with the range's length."""
    if share_up >= TREND_DRAW_SHARE or share_down >= TREND_DRAW_SHARE:
        if abs(change) < MIN_CHANGE:
            return "stable"
        return "warming" if change > 0 else "cooling"
    return "no clear trend"


def trend(
    series: pd.Series,
    *,
    start: DateLike = None,
    end: DateLike = None,
    draws: pd.DataFrame | None = None,
) -> Trend:
    """Theil–Sen slope of a yearly (index: years) or monthly (index: month ends; slope in points
    a year, no draws) series over [start, end], and its verdict (:func:`verdict_of`).

    With ``draws`` (the composite's draws, columns = years) each draw's Theil–Sen slope times the
    span gives its implied change over the range. Without draws, the slope's 95 % interval
    stands in for them: a sign is clear when the interval excludes 0. Fewer than
    TREND_MIN_POINTS values: "not measurable".
    """
    s, e = check_range(start, end)
    clean = series.dropna()
    monthly = isinstance(clean.index, pd.DatetimeIndex)  # month ends: slope still per year
    if monthly:
        draws = None  # the draws are yearly
        clean = clean[(clean.index >= s) if s is not None else slice(None)]
        clean = clean[(clean.index <= e) if e is not None else slice(None)]
        x = (clean.index.year + (clean.index.month - 0.5) / 12).to_numpy(dtype=float)
    else:
        if s is not None:
            clean = clean[clean.index >= s.year]
        if e is not None:
            clean = clean[clean.index <= e.year]
        x = clean.index.to_numpy(dtype=float)
    unit = "monthly" if monthly else "yearly"
    n = len(clean)
    if n < TREND_MIN_POINTS:
        return Trend(
            np.nan,
            np.nan,
            np.nan,
            n,
            "not measurable",
            f"a trend needs at least {TREND_MIN_POINTS} {unit} values; the range has {n}",
        )
    slope, low, high = theil_sen(clean.to_numpy(dtype=float), x, alpha=0.95)
    span = float(x[-1] - x[0])
    if draws is not None:
        y = draws[list(clean.index)].to_numpy(dtype=float)
        y = y[np.isfinite(y).all(axis=1)]
        changes = _theil_sen_slopes(y, x) * span
        up = float(np.mean(changes > 0)) if len(changes) else float("nan")
        down = float(np.mean(changes < 0)) if len(changes) else float("nan")
        change = float(np.median(changes)) if len(changes) else float("nan")
        rule = f"{up:.0%} of the draws imply a rise, {down:.0%} a fall"
    else:
        up, down = float(low > 0), float(high < 0)
        change = slope * span
        rule = "the slope's 95% interval " + ("excludes 0" if up or down else "includes 0")
    verdict = verdict_of(up, down, change)
    over = f"{n} months (autocorrelated: the interval is too narrow)" if monthly else f"{n} years"
    reason = (
        f"Theil–Sen slope {slope:+.2f} points/year (95% CI {low:+.2f} to {high:+.2f}) over "
        f"{over}, an implied change of {change:+.1f} points; {rule}; a move needs one sign in "
        f"{TREND_DRAW_SHARE:.0%} and at least {MIN_CHANGE:g} point"
    )
    return Trend(slope, low, high, n, verdict, reason, up, down, change, span)
