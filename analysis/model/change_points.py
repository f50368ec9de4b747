"""Change points of the composite: PELT (``ruptures``, l2 cost) on one series at a range of
penalties, the exact penalised segmentation of every draw at once (the minimiser PELT finds,
vectorised), and which breaks are findings: found at every penalty of :data:`ROBUST_MULTIPLIERS`
and in more than :data:`ROBUST_DRAW_SHARE` of the draws.

ruptures is imported only when a series is first segmented (it brings scipy, about 0.8 s), and
the change points are computed once per data vintage in the model step (:mod:`analysis.model.step`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: Penalty multipliers (× the default) a robust change point must be found at, every one of them.
ROBUST_MULTIPLIERS: tuple[float, ...] = (0.5, 1.0, 2.0)
#: ... and more than this share of the draws must have a break within ROBUST_TOLERANCE periods.
ROBUST_DRAW_SHARE = 0.5
ROBUST_TOLERANCE = 1


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


def change_points(
    series: pd.Series,
    *,
    penalty: float | None = None,
    freq: str = "YS",
    min_size: int | None = None,
) -> list:
    """Break dates of ``series`` (index = years or timestamps) found by PELT.

    ``ruptures.Pelt(model="l2", jump=1, min_size)``; ``min_size`` (points per segment) defaults
    to 2 for yearly series (``freq="YS"``) and 6 otherwise; penalty σ̂²·log n by default. Returns
    the index labels where a new segment starts (empty when none, or when the series is shorter
    than two minimum segments).
    """
    clean = series.dropna()
    if min_size is None:
        min_size = 2 if freq == "YS" else 6
    if len(clean) < 2 * min_size:
        return []
    signal = clean.to_numpy(dtype=float).reshape(-1, 1)
    pen = default_penalty(signal.ravel()) if penalty is None else float(penalty)
    if not np.isfinite(pen):
        return []
    ends = _pelt_ends(signal, pen, min_size)
    return [clean.index[i] for i in ends[:-1]]


def _pelt_ends(signal: np.ndarray, pen: float, min_size: int) -> list[int]:
    """ruptures' PELT segment ends (imported here: ruptures brings scipy, about 0.8 s, and the
    change points are part of the model step, so a rebuild on the same data never needs it)."""
    import ruptures

    algo = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal)
    return [int(i) for i in algo.predict(pen=pen)]


def penalty_sensitivity(
    series: pd.Series,
    *,
    multipliers: tuple[float, ...] = (0.25, 0.5, 1, 2, 4, 8),
    freq: str = "YS",
    min_size: int | None = None,
) -> pd.DataFrame:
    """Break dates over a range of penalties (multiples of the default σ̂²·log n)."""
    clean = series.dropna()
    base = default_penalty(clean.to_numpy(dtype=float))
    rows = []
    for m in multipliers:
        pen = base * m if np.isfinite(base) else float("nan")
        breaks = (
            change_points(clean, penalty=pen, freq=freq, min_size=min_size)
            if np.isfinite(pen)
            else []
        )
        rows.append({"multiplier": m, "penalty": pen, "n_breaks": len(breaks), "breaks": breaks})
    return pd.DataFrame(rows)


def _default_penalties(x: np.ndarray) -> np.ndarray:
    """:func:`default_penalty` of each row of ``x`` (draws, periods)."""
    d = np.diff(x, axis=1)
    mad = np.median(np.abs(d - np.median(d, axis=1, keepdims=True)), axis=1)
    sigma = mad / 0.6745 / math.sqrt(2)
    fallback = np.std(d, axis=1) / math.sqrt(2)
    sigma = np.where(sigma == 0, np.where(fallback == 0, 1e-9, fallback), sigma)
    return sigma**2 * math.log(x.shape[1])


def optimal_breaks(x: np.ndarray, pen: np.ndarray, min_size: int) -> list[list[int]]:
    """Exact penalised l2 segmentation of every row of ``x`` (draws, periods) at once (optimal
    partitioning, the minimiser PELT finds): for each row, the positions where a new segment
    starts. Segments hold at least ``min_size`` points. Vectorised over the rows."""
    n_rows, n = x.shape
    if n < 2 * min_size:
        return [[] for _ in range(n_rows)]
    s1 = np.concatenate([np.zeros((n_rows, 1)), np.cumsum(x, axis=1)], axis=1)
    s2 = np.concatenate([np.zeros((n_rows, 1)), np.cumsum(x**2, axis=1)], axis=1)
    best = np.full((n_rows, n + 1), np.inf)
    best[:, 0] = 0.0
    start = np.zeros((n_rows, n + 1), dtype=int)
    rows = np.arange(n_rows)
    for t in range(min_size, n + 1):
        cand = np.array([0, *range(min_size, t - min_size + 1)])
        length = t - cand
        seg1 = s1[:, [t]] - s1[:, cand]
        cost = (s2[:, [t]] - s2[:, cand]) - seg1**2 / length
        total = best[:, cand] + cost + pen[:, None]
        j = np.argmin(total, axis=1)
        best[:, t] = total[rows, j]
        start[:, t] = cand[j]
    out = []
    for r in range(n_rows):
        found, t = [], n
        while (t := start[r, t]) > 0:
            found.append(int(t))
        out.append(sorted(found))
    return out


def robust_change_points(
    series: pd.Series,
    draws: pd.DataFrame | None,
    *,
    multipliers: tuple[float, ...] = (0.25, 0.5, 1, 2, 4, 8),
    min_size: int = 2,
) -> pd.DataFrame:
    """Every change point the series shows at some penalty, and whether it is a finding.

    Columns: ``break`` (the first period of the new segment), ``penalties`` (the multipliers of
    the default penalty at which it is found), ``draw_share`` (share of the draws — each
    segmented at its own default penalty — with a break within ±ROBUST_TOLERANCE periods) and
    ``robust``: found at every multiplier of ROBUST_MULTIPLIERS and in more than
    ROBUST_DRAW_SHARE of the draws (without draws: at every multiplier; ``draw_share`` NaN).
    """
    clean = series.dropna()
    cols = list(clean.index)
    sens = penalty_sensitivity(clean, multipliers=multipliers, min_size=min_size)
    found: dict = {}
    for _, row in sens.iterrows():
        for b in row["breaks"]:
            found.setdefault(b, []).append(float(row["multiplier"]))
    if not found:
        return pd.DataFrame(columns=["break", "penalties", "draw_share", "robust"])
    per_draw = None
    if draws is not None:
        x = draws[cols].to_numpy(dtype=float)
        x = x[np.isfinite(x).all(axis=1)]
        per_draw = optimal_breaks(x, _default_penalties(x), min_size) if len(x) else []
    position = {label: i for i, label in enumerate(cols)}
    rows = []
    for b in sorted(found, key=position.get):
        i = position[b]
        share = float("nan")
        if per_draw:
            hits = sum(any(abs(j - i) <= ROBUST_TOLERANCE for j in bs) for bs in per_draw)
            share = hits / len(per_draw)
        everywhere = all(m in found[b] for m in ROBUST_MULTIPLIERS)
        in_draws = per_draw is None or share > ROBUST_DRAW_SHARE
        rows.append(
            {
                "break": b,
                "penalties": found[b],
                "draw_share": share,
                "robust": bool(everywhere and in_draws),
            }
        )
    return pd.DataFrame(rows)


#: The shortest segment of a change-point search on the monthly composite (months).
MONTHLY_MIN_SEGMENT = 6

#: The penalties (× the default) a monthly change point must be found at to count.
MONTHLY_PENALTY_FACTORS = (0.5, 1.0, 2.0)


def monthly_breaks(series: pd.Series) -> tuple[list, list]:
    """Change points of the monthly composite (segments of at least
    :data:`MONTHLY_MIN_SEGMENT` months): those found at every penalty of
    :data:`MONTHLY_PENALTY_FACTORS` × the default (the monthly composite has no uncertainty
    draws, so survival across the penalty range is the only test), and all found at the
    default."""
    base = default_penalty(series.dropna().to_numpy())
    runs = [
        set(change_points(series, penalty=base * k, freq="MS", min_size=MONTHLY_MIN_SEGMENT))
        for k in MONTHLY_PENALTY_FACTORS
    ]
    found = sorted(change_points(series, freq="MS", min_size=MONTHLY_MIN_SEGMENT))
    return sorted(set.intersection(*runs)), found
