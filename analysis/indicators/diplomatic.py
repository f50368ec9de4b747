"""Diplomatic ties: leader-level meetings, visits, agreements, and the partnership ladder.

Sources: the coded chronology ``events.csv`` and the official designations
``partnership_designations.csv`` (joint statements and the 2001 treaty).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators._common import (
    DateLike,
    IndicatorError,
    check_freq,
    check_range,
    empty_tidy,
    period_grid,
    require_columns,
    tidy,
    within,
    year_grid,
    year_to_period,
)

MEETING_CATEGORIES = ("state_visit", "official_visit", "summit_meeting")
VISIT_CATEGORIES = ("state_visit", "official_visit")
AGREEMENT_CATEGORIES = ("treaty", "agreement", "joint_statement")
SIGN_AGREEMENT_CODE = "057"  # CAMEO: sign formal agreement


def is_leader_meeting(events: pd.DataFrame) -> pd.Series:
    """Rows that are leader-level meetings: ``leader_level`` = yes in the categories state visit,
    official visit or summit meeting (sideline meetings at SCO/BRICS/G20/APEC included)."""
    require_columns(events, ["category", "leader_level"], "events")
    return events["leader_level"].eq("yes") & events["category"].isin(MEETING_CATEGORIES)


def leader_visits(events: pd.DataFrame) -> pd.Series:
    """Rows that open a leader-level visit: one visit counts once, on its first day.

    Rows of one visit or summit encounter share a ``visit_id`` in events.csv (e.g. the arrival,
    the talks and the signing of one state visit); a leader meeting without one counts alone.
    """
    meeting = is_leader_meeting(events)
    if "visit_id" not in events.columns:
        return meeting
    rows = events[meeting]
    ids = rows["visit_id"].where(rows["visit_id"].notna(), "row-" + rows.index.astype(str))
    first = rows.assign(_id=ids).sort_values("date", kind="stable").drop_duplicates("_id")
    return pd.Series(events.index.isin(first.index), index=events.index)


def leader_calls(events: pd.DataFrame) -> pd.Series:
    """Rows that are leader-level telephone or video calls (``leader_level`` = yes, category
    ``phone_call``; video summits are coded as calls)."""
    require_columns(events, ["category", "leader_level"], "events")
    return events["leader_level"].eq("yes") & events["category"].eq("phone_call")


def _yearly_counts(mask: pd.Series, dates: pd.Series, years: list[int]) -> pd.Series:
    """How many rows where ``mask`` holds fall in each of ``years`` (0 for years without)."""
    if not years:
        return pd.Series([], dtype=int)
    year = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[Y]").astype(int) + 1970
    picked = year[mask.to_numpy(dtype=bool)] - years[0]
    picked = picked[(picked >= 0) & (picked < len(years))]
    return pd.Series(np.bincount(picked, minlength=len(years)), index=years)


def meetings_per_year(
    events: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Leader-level meetings, official visits and leader phone calls per year.

    - ``leader_meetings``: leader-level visits and summit encounters (``leader_level`` = yes, i.e.
      heads of state or government on both sides, in the categories state visit, official visit
      or summit meeting; sideline meetings at SCO/BRICS/G20/APEC included), one visit counted
      once on its first day (:func:`leader_visits`).
    - ``official_visits``: state and official visits at any level.
    - ``leader_calls``: leader-level telephone or video calls.
    Every year of [start, end] appears, 0 where there was none.
    """
    require_columns(events, ["date", "category", "leader_level"], "events")
    s, e = check_range(start, end)
    inside = within(events, "date", s, e)
    years = year_grid(s, e, events["date"].dt.year if s is None or e is None else [])
    if not years:
        return empty_tidy()
    category = inside["category"].astype("category")  # one pass over the strings, not three
    counts = {
        "leader_meetings": _yearly_counts(
            leader_visits(events).reindex(inside.index), inside["date"], years
        ),
        "official_visits": _yearly_counts(category.isin(VISIT_CATEGORIES), inside["date"], years),
        "leader_calls": _yearly_counts(
            leader_calls(events).reindex(inside.index), inside["date"], years
        ),
    }
    parts = [
        pd.DataFrame(
            {
                "period": year_to_period(years),
                "indicator": k,
                "value": v.to_numpy(),
                "n": v.to_numpy(),
            }
        )
        for k, v in counts.items()
    ]
    return tidy(pd.concat(parts, ignore_index=True))


def agreements_per_year(
    events: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Treaties, agreements and joint statements per year and cumulated since the data begin.

    An event counts when its category is treaty, agreement or joint statement, or its CAMEO
    code is 057 (sign formal agreement, e.g. border protocols). ``agreements_cumulative``
    counts from the first event in the data, not from ``start``, so levels compare across runs.
    """
    require_columns(events, ["date", "category", "cameo_code"], "events")
    s, e = check_range(start, end)
    is_agreement = events["category"].isin(AGREEMENT_CATEGORIES) | events["cameo_code"].eq(
        SIGN_AGREEMENT_CODE
    )
    dates = events.loc[is_agreement, "date"].sort_values()
    years = year_grid(s, e, events["date"].dt.year if s is None or e is None else [])
    if not years:
        return empty_tidy()
    inside = within(dates.to_frame(), "date", s, e)["date"]
    yearly = _yearly_counts(pd.Series(True, index=inside.index), inside, years)
    # cumulative: every agreement from the start of the data to the end of each year (or to
    # ``end`` in the range's last year)
    cutoffs = [
        min(pd.Timestamp(f"{y}-12-31"), e) if e is not None else pd.Timestamp(f"{y}-12-31")
        for y in years
    ]
    cumulative = dates.searchsorted(pd.DatetimeIndex(cutoffs), side="right").astype(int)
    return tidy(
        pd.concat(
            [
                pd.DataFrame(
                    {
                        "period": year_to_period(years),
                        "indicator": "agreements",
                        "value": yearly.to_numpy(),
                        "n": yearly.to_numpy(),
                    }
                ),
                pd.DataFrame(
                    {
                        "period": year_to_period(years),
                        "indicator": "agreements_cumulative",
                        "value": cumulative,
                        "n": cumulative,
                    }
                ),
            ],
            ignore_index=True,
        )
    )


def partnership_level(
    designations: pd.DataFrame, *, freq: str = "YS", start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """The official designation level in force at the end of each period (a step function).

    The level is the ordinal ``level`` of the latest designation dated on or before the last
    day of the period; NaN before the first designation. ``n`` = designations in force so far.
    """
    require_columns(designations, ["date", "level"], "partnership_designations")
    check_freq(freq)
    s, e = check_range(start, end)
    if designations.empty:
        raise IndicatorError("no designations given; load partnership_designations.csv")
    grid = period_grid(s, e, freq, designations["date"] if s is None or e is None else None)
    if len(grid) == 0:
        return empty_tidy()
    ordered = designations.sort_values("date")
    period_end = grid + (pd.offsets.YearEnd(0) if freq == "YS" else pd.offsets.MonthEnd(0))
    idx = ordered["date"].searchsorted(period_end, side="right")
    levels = ordered["level"].astype(float).to_numpy()
    values = [levels[i - 1] if i > 0 else float("nan") for i in idx]
    return tidy(
        pd.DataFrame({"period": grid, "indicator": "partnership_level", "value": values, "n": idx})
    )


def designation_in_force(designations: pd.DataFrame, when: DateLike) -> pd.Series | None:
    """The designation row in force on ``when`` (None before the first one)."""
    ts = check_range(when, None)[0]
    earlier = designations[designations["date"] <= ts].sort_values("date")
    return None if earlier.empty else earlier.iloc[-1]


def designations_within(
    designations: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Designation documents dated inside [start, end], oldest first."""
    s, e = check_range(start, end)
    return within(designations, "date", s, e).sort_values("date")


SUMMIT_SIDES = {"CHN": "chn", "RUS": "rus"}


def summit_attendance(
    summits: pd.DataFrame, organisation: str, start: DateLike, end: DateLike
) -> pd.DataFrame:
    """Who came to the ``organisation``'s summits held in [start, end], per head of state.

    One row per (country, head_of_state): ``summits`` held while he was head of state (a leader
    is counted only over his own tenure, so Xi Jinping has no summit before March 2013),
    ``in_person``, ``video``, ``absent`` and ``unknown`` (no cited page says). A last row,
    country ``both``, counts the summits where both heads of state came in person
    (``both_heads_in_person`` yes), with ``unknown`` the summits where one side is not recorded.
    """
    require_columns(
        summits,
        ["organisation", "date", "both_heads_in_person"]
        + [f"{p}_{c}" for p in SUMMIT_SIDES.values() for c in ("head_of_state", "attendance")],
        "summits",
    )
    start, end = check_range(start, end)
    held = within(summits[summits["organisation"] == organisation], "date", start, end)
    rows = []
    for country, prefix in SUMMIT_SIDES.items():
        mode = held[f"{prefix}_attendance"].fillna("").replace("", "unknown")
        for leader, modes in mode.groupby(held[f"{prefix}_head_of_state"], sort=False):
            tally = modes.value_counts()
            rows.append(
                {"country": country, "head_of_state": leader, "summits": len(modes)}
                | {k: int(tally.get(k, 0)) for k in ("in_person", "video", "absent", "unknown")}
            )
    both = held["both_heads_in_person"].fillna("")
    rows.append(
        {"country": "both", "head_of_state": "", "summits": len(held),
         "in_person": int((both == "yes").sum()), "video": 0, "absent": int((both == "no").sum()),
         "unknown": int((both == "").sum())}
    )  # fmt: skip
    return pd.DataFrame(rows)
