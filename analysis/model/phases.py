"""Composite relationship index and phase classification.

The composite combines yearly components, each min–max normalised over the *full* history of
the data (1989 to the end of the data, never the requested window, so that two briefings for
different ranges put the same year at the same value), into a weighted mean rescaled to the
−9..+9 range of the Tsinghua University index of China's relations with major powers:

    index_t = −9 + 18 · Σ_i w_i · x_it / Σ_i w_i     (sums over the components present in t)

where x_it ∈ [0, 1] is component i in year t after normalisation. Because the normalisation
is relative to this relationship's own post-1989 history, −9 marks the coolest year observed
and +9 the warmest; the band names follow Tsinghua's labels on that relative scale.

Phases: (a) official phases from the designation ladder; (b) bands on the composite;
(c) change points found by PELT (``ruptures``); (d) the Theil–Sen trend inside a range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import ruptures
from scipy import stats

from analysis.data.loader import Datasets
from analysis.indicators import (
    agreements_per_year,
    attach_goldstein,
    event_scores,
    exercises_per_year,
    meetings_per_year,
    partnership_level,
    trade_indicators,
    unga_agreement,
    vetoes_per_year,
    votes_long,
)
from analysis.indicators._common import DateLike, IndicatorError, check_range

#: Default component weights (sum 1). Overridable: ``composite_index(..., weights={...})``.
DEFAULT_WEIGHTS: dict[str, float] = {
    "partnership_level": 0.20,  # official designation ladder (step function)
    "leader_meetings": 0.15,  # leader-level meetings per year
    "net_cooperation": 0.10,  # (cooperative − conflictual) / N of coded events, 3-year pooled
    "unga_s_score": 0.15,  # Signorino–Ritter S of CHN and USSR/RUS UNGA votes, 3-year pooled
    "joint_vetoes_3y": 0.10,  # drafts vetoed by both, summed over 3 years
    "log_trade": 0.15,  # log10 of the trade total (China's customs), US dollars
    "military_activities": 0.15,  # joint exercises and patrols per year
}

COMPONENT_LABELS: dict[str, str] = {
    "partnership_level": "Partnership level",
    "leader_meetings": "Leader-level meetings",
    "net_cooperation": "Net cooperation (events, 3-year)",
    "unga_s_score": "UNGA voting similarity (S, 3-year)",
    "joint_vetoes_3y": "Joint vetoes (3-year sum)",
    "log_trade": "Trade (log)",
    "military_activities": "Joint exercises and patrols",
}

#: Half-open bands on the composite (Tsinghua labels): [lo, hi), the last one closed.
BANDS: list[tuple[float, float, str]] = [
    (-9, -6, "hostile"),
    (-6, -3, "tense"),
    (-3, 0, "bad"),
    (0, 3, "ordinary"),
    (3, 6, "good"),
    (6, 9, "friendly"),
]

#: Components that count events in a year: blank in years their dataset covers only in part.
COUNT_COMPONENTS = ("leader_meetings", "joint_vetoes_3y", "military_activities")
#: Ratio components pooled over this many years (the current and the earlier ones).
POOL_YEARS = 3
#: A year gets a composite value only when at least this many components are present.
MIN_COMPONENTS = 4

#: Theil–Sen slope (index points per year) beyond which a range is warming or cooling.
TREND_THRESHOLD = 0.15
#: Fewest yearly values on which a trend is estimated.
TREND_MIN_POINTS = 3


# --------------------------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------------------------


def _series(tidy_frame: pd.DataFrame, indicator: str, column: str = "value") -> pd.Series:
    rows = tidy_frame[tidy_frame["indicator"] == indicator]
    return pd.Series(rows[column].to_numpy(dtype=float), index=rows["period"].dt.year.to_numpy())


def pooled(values: pd.Series, counts: pd.Series, window: int = POOL_YEARS) -> pd.Series:
    """A ratio pooled over ``window`` years: Σ(value·n) / Σn over the current and earlier years.

    Used for ratios resting on few observations a year (key UNGA votes, coded events) so that
    one vote or one event does not swing the component. NaN where the window holds no observation.
    """
    num = (values.fillna(0) * counts.fillna(0)).rolling(window, min_periods=1).sum()
    den = counts.fillna(0).rolling(window, min_periods=1).sum()
    return num / den.where(den > 0)


def components(
    ds: Datasets, *, first_year: int = 1989, last_year: int | None = None
) -> pd.DataFrame:
    """Raw yearly components (one column each, indexed by year) over the full history.

    A component is NaN in the years its dataset does not cover (e.g. joint exercises before the
    military dataset begins), so that missing data is never read as a cold year.
    """
    from analysis.data.loader import coverage

    if last_year is None:
        last_year = max(
            ds.events["date"].max().year,
            ds.unsc_vetoes["date"].max().year,
            int(ds.trade["year"].max()),
        )
    years = list(range(first_year, last_year + 1))
    start, end = f"{first_year}-01-01", f"{last_year}-12-31"
    cols: dict[str, pd.Series] = {}

    cols["partnership_level"] = _series(
        partnership_level(ds.partnership_designations, start=start, end=end), "partnership_level"
    )
    cols["leader_meetings"] = _series(
        meetings_per_year(ds.events, start=start, end=end), "leader_meetings"
    )
    coded = attach_goldstein(ds.events, ds.cameo_goldstein)
    ev = event_scores(coded, start=start, end=end)
    cols["net_cooperation"] = pooled(
        _series(ev, "net_cooperation"), _series(ev, "net_cooperation", "n")
    )
    votes = votes_long(ds.unga_roll_calls, ds.unga_votes)
    ga = unga_agreement(votes, start=start, end=end)
    # S = 1 − Σd/n, so pooling S weighted by n pools the distances.
    cols["unga_s_score"] = pooled(_series(ga, "unga_s_score"), _series(ga, "unga_s_score", "n"))
    joint = _series(vetoes_per_year(ds.unsc_vetoes, start=start, end=end), "vetoes_joint")
    cols["joint_vetoes_3y"] = joint.rolling(3, min_periods=1).sum()
    total = _series(trade_indicators(ds.trade, start=start, end=end), "trade_total")
    cols["log_trade"] = np.log10(total.where(total > 0))
    cols["military_activities"] = _series(
        exercises_per_year(ds.military_cooperation, start=start, end=end), "military_activities"
    )
    table = pd.DataFrame(cols).reindex(years)

    # Blank the years outside each dataset's declared coverage.
    covered = {
        "leader_meetings": "events",
        "net_cooperation": "events",
        "unga_s_score": "unga_roll_calls",
        "joint_vetoes_3y": "unsc_vetoes",
        "log_trade": "trade",
        "military_activities": "military_cooperation",
    }
    for col, name in covered.items():
        cov_start, cov_end = coverage(name, ds.data_dir)
        if cov_start is None:
            continue
        first, last = cov_start.year, cov_end.year
        if col in COUNT_COMPONENTS:  # a partly covered year would read as a quiet year
            first += cov_start > pd.Timestamp(f"{first}-01-01")
            last -= cov_end < pd.Timestamp(f"{last}-12-31")
        table.loc[(table.index < first) | (table.index > last), col] = np.nan
    table.index.name = "year"
    return table


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
    w = pd.Series({c: weights[c] for c in cols})
    present = norm[cols].notna()
    wsum = present.mul(w, axis=1).sum(axis=1)
    mean = norm[cols].fillna(0).mul(w, axis=1).sum(axis=1) / wsum.replace(0, np.nan)
    n = present.sum(axis=1)
    needed = min(MIN_COMPONENTS, len(cols))
    return pd.DataFrame({"composite": (-9 + 18 * mean).where(n >= needed), "n_components": n})


def composite_from_normalised(
    norm: pd.DataFrame, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """Composite index (−9..+9) per year from normalised components; ``n_components`` present."""
    return _weighted(norm, dict(weights or DEFAULT_WEIGHTS))


@dataclass(frozen=True)
class CompositeResult:
    """The composite over the full history, with what it was built from."""

    raw: pd.DataFrame  # raw components by year
    normalised: pd.DataFrame  # components in [0, 1]
    index: pd.DataFrame  # columns composite, n_components; by year
    weights: dict[str, float]

    def series(self) -> pd.Series:
        return self.index["composite"].dropna()


def composite_index(ds: Datasets, *, weights: dict[str, float] | None = None) -> CompositeResult:
    """Build the composite index over the full history of ``ds`` (see the module docstring)."""
    raw = components(ds)
    norm = normalise(raw)
    w = dict(weights or DEFAULT_WEIGHTS)
    return CompositeResult(
        raw=raw, normalised=norm, index=composite_from_normalised(norm, w), weights=w
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
        alt = composite_from_normalised(result.normalised, others)["composite"][mask]
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


def agreements_between(ds: Datasets, *, start: DateLike = None, end: DateLike = None) -> int:
    """Treaties, agreements and joint statements signed inside [start, end]."""
    frame = agreements_per_year(ds.events, start=start, end=end)
    return int(frame.loc[frame["indicator"] == "agreements", "value"].sum())
