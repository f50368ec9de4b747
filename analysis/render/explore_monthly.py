"""A short range month by month for the explorer (shorter than ``MONTHLY_MAX_YEARS``): each
dimension's indicators counted by calendar month, from the same counts the briefing's monthly
figures draw (leader meetings and calls, vetoes and General Assembly votes, China's customs'
monthly releases, the yuan's shares, exercises and patrols, coded events)."""

from __future__ import annotations

import pandas as pd


def monthly_indicators(
    dimension: str, ds, inputs, s: pd.Timestamp, e: pd.Timestamp
) -> pd.DataFrame:
    """The tidy month-by-month indicators of one dimension over [s, e] (the first and last
    months count only the days inside the range), as the briefing's monthly figures count them."""
    from analysis.indicators import (
        event_scores,
        leader_visits,
        partnership_level,
        per_month,
        trade_monthly_indicators,
        veto_drafts,
        yuan_shares,
    )

    parts: list[pd.DataFrame] = []
    if dimension == "diplomatic":
        ev = ds.events
        calls = ev[(ev["category"] == "phone_call") & ev["leader_level"].eq("yes")]
        visits = ev[ev["category"].isin(["state_visit", "official_visit"])]
        agreements = ev[
            ev["category"].isin(["treaty", "agreement", "joint_statement"])
            | ev["cameo_code"].eq("057")
        ]
        parts = [
            per_month(ev.loc[leader_visits(ev), "date"], "leader_meetings", start=s, end=e),
            per_month(visits["date"], "official_visits", start=s, end=e),
            per_month(calls["date"], "leader_calls", start=s, end=e),
            per_month(agreements["date"], "agreements", start=s, end=e),
            partnership_level(ds.partnership_designations, freq="MS", start=s, end=e),
        ]
    elif dimension == "un":
        drafts = veto_drafts(ds.unsc_vetoes)
        votes = inputs.pairs[("CHN", "RUS")]
        same = votes[votes["identical"] == 1]
        parts = [
            per_month(drafts.loc[drafts["chn"], "date"], "vetoes_chn", start=s, end=e),
            per_month(drafts.loc[drafts["rus"], "date"], "vetoes_rus", start=s, end=e),
            per_month(drafts.loc[drafts["joint"], "date"], "vetoes_joint", start=s, end=e),
            per_month(votes["date"], "rec_n", start=s, end=e),
            per_month(same["date"], "rec_identical", start=s, end=e),
        ]
    elif dimension == "economic":
        parts = [trade_monthly_indicators(ds.trade_monthly, start=s, end=e)]
    elif dimension == "energy":
        parts = [yuan_shares(ds.yuan_settlements, start=s, end=e)]
    elif dimension == "military":
        mil = ds.military_cooperation
        for kind, key in (("exercise", "exercises_total"), ("joint_patrol", "joint_patrols")):
            dates = mil.loc[mil["activity_type"] == kind, "start_date"]
            parts.append(per_month(dates, key, start=s, end=e))
    elif dimension == "events":
        parts = [event_scores(inputs.coded_events, freq="MS", start=s, end=e)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["period", "indicator", "value", "n"])
    out = pd.concat(parts, ignore_index=True)
    if dimension == "un":  # the share of identical votes, where any vote was cast
        n = out[out["indicator"] == "rec_n"].set_index("period")["value"]
        same_n = out[out["indicator"] == "rec_identical"].set_index("period")["value"]
        ratio_ = (same_n / n.where(n > 0)).reset_index(name="value")
        out = pd.concat([out, ratio_.assign(indicator="rec_identical_share", n=n.to_numpy())])
    return out


#: What the monthly table of a dimension leaves to the yearly one, said under it.
MONTHLY_NOTES = {
    "energy": "Energy volumes and trade shares are yearly figures: see the range by year "
    "(five years or more) for them.",
    "military": "SIPRI's arms deliveries are yearly: see the range by year for them.",
    "un": "General Assembly agreement scores (κ, π) and the key votes are measured by session "
    "or year: see the range by year for them.",
}
