"""Event-data indicators: Goldstein scores, QuadClass shares, net cooperation.

Source: the coded bilateral chronology ``events.csv`` (CAMEO codes) weighted with the
Goldstein scale from ``cameo_goldstein.csv``; the same functions take GDELT event exports
once brought to the same columns (see :mod:`analysis.data.external.gdelt`).
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators._common import (
    DateLike,
    IndicatorError,
    check_freq,
    check_range,
    empty_tidy,
    period_grid,
    period_start,
    require_columns,
    safe_ratio,
    tidy,
    within,
)

QUAD_NAMES = {
    1: "share_verbal_cooperation",
    2: "share_material_cooperation",
    3: "share_verbal_conflict",
    4: "share_material_conflict",
}


def attach_goldstein(events: pd.DataFrame, cameo: pd.DataFrame) -> pd.DataFrame:
    """Add ``goldstein`` and ``quad_class`` to each event from the CAMEO lookup table.

    Every event's ``cameo_code`` must be in the table; the weight is never typed per event.
    """
    require_columns(events, ["date", "cameo_code"], "events")
    require_columns(cameo, ["cameo_code", "goldstein", "quad_class"], "cameo_goldstein")
    coded = events.drop(columns=[c for c in ("goldstein", "quad_class") if c in events.columns])
    coded = coded.merge(
        cameo[["cameo_code", "goldstein", "quad_class"]],
        on="cameo_code",
        how="left",
        validate="many_to_one",
    )
    missing = coded.loc[coded["goldstein"].isna(), "cameo_code"].unique()
    if len(missing):
        raise IndicatorError(
            f"CAMEO code(s) {sorted(missing)[:5]} are not in the Goldstein table; fix the events' cameo_code"
        )
    coded["quad_class"] = coded["quad_class"].astype(int)
    return coded


COOPERATIVE = (1, 2)
CONFLICTUAL = (3, 4)


def cooperation_sign(coded: pd.DataFrame) -> pd.Series:
    """+1 for a cooperative event (QuadClass 1–2), −1 for a conflictual one (3–4): the terms whose
    mean is net cooperation = (cooperative − conflictual) / N."""
    require_columns(coded, ["quad_class"], "coded events (use attach_goldstein)")
    q = coded["quad_class"].astype(int)
    return q.isin(COOPERATIVE).astype(int) - q.isin(CONFLICTUAL).astype(int)


def events_summary(
    coded: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> dict[str, float | int | None]:
    """Events of [start, end] pooled: ``n_events``, ``conflict_events``, ``goldstein_mean`` and
    ``net_cooperation`` = (cooperative − conflictual) / N (None when N = 0)."""
    require_columns(
        coded, ["date", "goldstein", "quad_class"], "coded events (use attach_goldstein)"
    )
    s, e = check_range(start, end)
    inside = within(coded, "date", s, e)
    n = len(inside)
    sign = cooperation_sign(inside)
    return {
        "n_events": n,
        "conflict_events": int((sign < 0).sum()),
        "goldstein_mean": float(inside["goldstein"].mean()) if n else None,
        "net_cooperation": float(sign.mean()) if n else None,
    }


def _grouped(coded: pd.DataFrame, freq: str, start, end) -> pd.DataFrame:
    require_columns(
        coded, ["date", "goldstein", "quad_class"], "coded events (use attach_goldstein)"
    )
    inside = within(coded, "date", start, end)
    per = period_start(inside["date"], freq) if len(inside) else pd.Series(dtype="datetime64[ns]")
    q = inside["quad_class"].astype(int)
    frame = pd.DataFrame(
        {
            "period": per,
            "goldstein": inside["goldstein"].astype(float),
            "coop": q.isin(COOPERATIVE).astype(int),
            "conflict": q.isin(CONFLICTUAL).astype(int),
            **{name: (q == k).astype(int) for k, name in QUAD_NAMES.items()},
        }
    )
    agg = frame.groupby("period").agg(
        goldstein_sum=("goldstein", "sum"),
        n=("goldstein", "size"),
        coop=("coop", "sum"),
        conflict=("conflict", "sum"),
        **{name: (name, "sum") for name in QUAD_NAMES.values()},
    )
    grid = period_grid(start, end, freq, coded["date"] if start is None or end is None else None)
    return agg.reindex(grid, fill_value=0)


def event_scores(
    coded: pd.DataFrame, *, freq: str = "YS", start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Per year (``YS``) or month (``MS``): Goldstein sum and mean, QuadClass shares, net cooperation.

    - ``goldstein_sum`` = Σ weights; ``goldstein_mean`` = Σ / N (NaN when N = 0).
    - ``share_verbal_cooperation`` … ``share_material_conflict`` = events of that QuadClass / N.
    - ``net_cooperation`` = (cooperative − conflictual) / N ∈ [−1, 1], cooperative = QuadClass 1–2.
    - ``event_count`` = N. ``n`` is N for every indicator.
    Periods of [start, end] without events get N = 0 (sum 0, ratios NaN).
    Source: Goldstein (1992) weights via the GDELT CAMEO lookup.
    """
    check_freq(freq)
    s, e = check_range(start, end)
    agg = _grouped(coded, freq, s, e)
    if agg.empty:
        return empty_tidy()
    n = agg["n"].to_numpy()
    values = {
        "event_count": n.astype(float),
        "goldstein_sum": agg["goldstein_sum"].to_numpy(dtype=float),
        "goldstein_mean": safe_ratio(agg["goldstein_sum"], n),
        "net_cooperation": safe_ratio(agg["coop"] - agg["conflict"], n),
        **{name: safe_ratio(agg[name], n) for name in QUAD_NAMES.values()},
    }
    parts = [
        pd.DataFrame({"period": agg.index, "indicator": name, "value": vals, "n": n})
        for name, vals in values.items()
    ]
    return tidy(pd.concat(parts, ignore_index=True))


def rolling_event_scores(
    coded: pd.DataFrame, *, window: int = 12, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Monthly rolling means over ``window`` months (pooled over the events in the window).

    ``net_cooperation_12m`` = (Σ cooperative − Σ conflictual) / Σ N over the window and
    ``goldstein_mean_12m`` = Σ weights / Σ N; NaN while the window holds no event.
    The window looks back before ``start`` so that the first months of a range are complete.
    """
    if window < 1:
        raise IndicatorError(f"window={window} must be a positive number of months")
    s, e = check_range(start, end)
    first_month = s.to_period("M").to_timestamp() if s is not None else None
    lookback = first_month - pd.DateOffset(months=window - 1) if s is not None else None
    agg = _grouped(coded, "MS", lookback, e)
    if agg.empty:
        return empty_tidy()
    roll = agg[["n", "coop", "conflict", "goldstein_sum"]].rolling(window, min_periods=1).sum()
    if s is not None:
        roll = roll[roll.index >= s.to_period("M").to_timestamp()]
    n = roll["n"].to_numpy()
    label = f"{window}m"
    parts = [
        pd.DataFrame(
            {
                "period": roll.index,
                "indicator": f"net_cooperation_{label}",
                "value": safe_ratio(roll["coop"] - roll["conflict"], n),
                "n": n.astype(int),
            }
        ),
        pd.DataFrame(
            {
                "period": roll.index,
                "indicator": f"goldstein_mean_{label}",
                "value": safe_ratio(roll["goldstein_sum"], n),
                "n": n.astype(int),
            }
        ),
    ]
    return tidy(pd.concat(parts, ignore_index=True))


def significant_events(
    events: pd.DataFrame, *, start: DateLike = None, end: DateLike = None, limit: int | None = None
) -> pd.DataFrame:
    """Events of [start, end], most significant first, then by date (for the key-events table)."""
    require_columns(events, ["date", "significance", "description"], "events")
    s, e = check_range(start, end)
    inside = within(events, "date", s, e)
    ordered = inside.sort_values(["significance", "date"], ascending=[False, True], kind="stable")
    return ordered.head(limit) if limit is not None else ordered


#: The key-events table: at most this many rows, spread over this many equal time bins.
KEY_EVENTS_LIMIT = 14
KEY_EVENTS_BINS = 10
#: The range's latest landmark events are always shown, however the bins fall.
KEY_EVENTS_LATEST = 3
LANDMARK = 3


def spread_key_events(
    coded: pd.DataFrame,
    *,
    start: DateLike = None,
    end: DateLike = None,
    limit: int = KEY_EVENTS_LIMIT,
    bins: int = KEY_EVENTS_BINS,
    latest: int = KEY_EVENTS_LATEST,
) -> pd.DataFrame:
    """The most significant events of [start, end], spread across it, in date order.

    The ``latest`` most recent landmark events (significance 3) are always taken. Then events
    are taken by significance tier (3 landmark, 2 notable, 1 routine). A tier that fits in the
    rows left is taken whole; otherwise its events are split into ``bins`` equal time bins of
    the range and taken round-robin (the first of every bin, then the second, ...), each bin's
    events ranked by |Goldstein| (the intensity of the act); ties go to the more recent event,
    and at each round the later bins come first, until ``limit`` rows are filled. ``coded``
    carries ``goldstein`` (see :func:`attach_goldstein`).
    """
    require_columns(coded, ["date", "significance", "goldstein"], "events")
    s, e = check_range(start, end)
    inside = within(coded, "date", s, e)
    if inside.empty:
        return inside
    lo = s if s is not None else inside["date"].min()
    hi = e if e is not None else inside["date"].max()
    span = max((hi - lo).days + 1, 1)
    which = ((inside["date"] - lo).dt.days * bins // span).clip(0, bins - 1)
    ranked = inside.assign(_bin=which, _abs=inside["goldstein"].abs().fillna(0)).sort_values(
        ["_abs", "date"], ascending=[False, False], kind="stable"
    )
    landmarks = inside[inside["significance"] == LANDMARK].sort_values("date", kind="stable")
    chosen: list = list(landmarks.index[::-1][: min(latest, limit)])
    for tier in sorted(ranked["significance"].unique(), reverse=True):
        room = limit - len(chosen)
        if room <= 0:
            break
        rows = ranked[(ranked["significance"] == tier) & ~ranked.index.isin(chosen)]
        if len(rows) <= room:
            chosen.extend(rows.index)
            continue
        rank = rows.groupby("_bin").cumcount()
        order = rows.assign(_rank=rank).sort_values(
            ["_rank", "_bin"], ascending=[True, False], kind="stable"
        )
        chosen.extend(order.index[:room])
    out = inside.loc[chosen].sort_values(["date", "significance"], ascending=[True, False])
    return out
