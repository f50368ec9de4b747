"""Military cooperation: joint exercises and patrols, and arms transfers (SIPRI TIV).

Sources: ``military_cooperation.csv`` (curated from defence ministries and news agencies) and
``arms_transfers.csv`` (SIPRI Arms Transfers Database, one vintage per series).
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators._common import (
    DateLike,
    IndicatorError,
    check_range,
    empty_tidy,
    require_columns,
    tidy,
    within,
    year_grid,
    year_to_period,
)

DOMAINS = ("land", "sea", "air", "multi")


def exercises_per_year(
    military: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Joint exercises per year by domain, all exercises, and joint patrols.

    Counted by the year of ``start_date``. Indicators: ``exercises_land``, ``exercises_sea``,
    ``exercises_air``, ``exercises_multi``, ``exercises_total`` (activity_type ``exercise``) and
    ``joint_patrols`` (activity_type ``joint_patrol``), and ``military_activities`` (both).
    Every year of [start, end] appears, 0 where nothing happened.
    """
    require_columns(military, ["start_date", "activity_type", "domain"], "military_cooperation")
    s, e = check_range(start, end)
    inside = within(military, "start_date", s, e)
    years = year_grid(s, e, military["start_date"].dt.year if s is None or e is None else [])
    if not years:
        return empty_tidy()
    year = inside["start_date"].dt.year
    ex = inside["activity_type"] == "exercise"
    counts = {f"exercises_{d}": (ex & (inside["domain"] == d)).groupby(year).sum() for d in DOMAINS}
    counts["exercises_total"] = ex.groupby(year).sum()
    counts["joint_patrols"] = (inside["activity_type"] == "joint_patrol").groupby(year).sum()
    counts["military_activities"] = pd.Series(1, index=inside.index).groupby(year).sum()
    parts = []
    for name, series in counts.items():
        vals = series.reindex(years, fill_value=0).astype(int).to_numpy()
        parts.append(
            pd.DataFrame(
                {"period": year_to_period(years), "indicator": name, "value": vals, "n": vals}
            )
        )
    return tidy(pd.concat(parts, ignore_index=True))


def arms_tiv(
    arms: pd.DataFrame,
    *,
    series: str,
    supplier: tuple[str, ...] = ("SUN", "RUS"),
    recipient: str = "CHN",
    start: DateLike = None,
    end: DateLike = None,
    window: int = 5,
) -> pd.DataFrame:
    """SIPRI TIV of arms deliveries per year and its ``window``-year rolling sum, one vintage.

    ``series`` picks one SIPRI vintage (never mix two: SIPRI revises values). Years of
    [start, end] within the series' years without a row count as 0 (SIPRI tables leave years
    without deliveries empty). ``arms_tiv_rolling`` sums the current and the window−1 earlier
    years (``n`` = years in the window with data in the series' span).
    """
    require_columns(
        arms, ["year", "supplier", "recipient", "tiv_million", "series"], "arms_transfers"
    )
    known = sorted(arms["series"].unique())
    if series not in known:
        raise IndicatorError(f"unknown SIPRI series {series!r}; choose one of {known}")
    s, e = check_range(start, end)
    rows = arms[
        (arms["series"] == series)
        & arms["supplier"].isin(supplier)
        & (arms["recipient"] == recipient)
    ]
    span = arms.loc[arms["series"] == series, "year"]
    first, last = int(span.min()), int(span.max())
    per_year = (
        rows.groupby("year")["tiv_million"].sum().reindex(range(first, last + 1), fill_value=0.0)
    )
    rolling = per_year.rolling(window, min_periods=1).sum()
    n_roll = pd.Series(1, index=per_year.index).rolling(window, min_periods=1).sum()
    years = [y for y in year_grid(s, e, per_year.index) if first <= y <= last]
    if not years:
        return empty_tidy()
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "period": year_to_period(years),
                    "indicator": "arms_tiv",
                    "value": per_year.reindex(years).to_numpy(),
                    "n": 1,
                }
            ),
            pd.DataFrame(
                {
                    "period": year_to_period(years),
                    "indicator": "arms_tiv_rolling",
                    "value": rolling.reindex(years).to_numpy(),
                    "n": n_roll.reindex(years).astype(int).to_numpy(),
                }
            ),
        ],
        ignore_index=True,
    )
    return tidy(frame)


def choose_arms_series(arms: pd.DataFrame, *, start: DateLike = None, end: DateLike = None) -> str:
    """The SIPRI vintage that reaches the latest year up to the end of [start, end]; among those,
    the one whose span covers most of the range, then the newest.

    One briefing draws every TIV number from this one vintage, so that no series mixes two
    SIPRI releases; the latest release wins so that the text reaches the register's last year.
    """
    require_columns(arms, ["year", "series", "sipri_generated"], "arms_transfers")
    s, e = check_range(start, end)
    best: tuple[int, pd.Timestamp, str] | None = None
    for series, rows in arms.groupby("series"):
        first, last = int(rows["year"].min()), int(rows["year"].max())
        lo = s.year if s is not None else first
        hi = e.year if e is not None else last
        covered = max(0, min(hi, last) - max(lo, first) + 1)
        reach = min(hi, last) if covered else -1
        key = (reach, covered, pd.Timestamp(rows["sipri_generated"].max()), str(series))
        if best is None or key > best:
            best = key
    if best is None:
        raise IndicatorError("arms_transfers holds no series")
    return best[3]
