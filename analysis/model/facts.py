"""The numbers of a briefing: every dimension measured over a range and its preceding period.

:func:`period_metrics` measures one period; :func:`range_facts` measures the requested range,
the preceding period of equal length, and the composite-index facts. Everything here is
computed from :class:`~analysis.data.Datasets` through the indicator functions; the narrative,
tables and ``figures.json`` read these values and never compute their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets, coverage
from analysis.indicators import (
    agreement_overall,
    agreements_per_year,
    arms_tiv,
    attach_goldstein,
    choose_arms_series,
    designation_in_force,
    designations_within,
    exercises_per_year,
    meetings_per_year,
    trade_cagr,
    trade_indicators,
    vetoes_per_year,
    votes_long,
)
from analysis.model.phases import CompositeResult, band, change_points, trend

#: Dataset behind each dimension (for coverage notes).
DIMENSION_DATASETS = {
    "diplomatic": ["events", "partnership_designations"],
    "un": ["unsc_vetoes", "unga_roll_calls"],
    "economic": ["trade"],
    "military": ["military_cooperation", "arms_transfers"],
    "events": ["events"],
}


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"

    @property
    def short(self) -> str:
        if self.start.year == self.end.year:
            return f"{self.start.year}"
        return f"{self.start.year}–{self.end.year}"

    @property
    def days(self) -> int:
        return int((self.end - self.start).days) + 1


def preceding(period: Period) -> Period:
    """The period of equal length that ends the day before ``period`` starts."""
    end = period.start - pd.Timedelta(days=1)
    return Period(end - pd.Timedelta(days=period.days - 1), end)


def overlap(ds: Datasets, name: str, period: Period) -> str:
    """``full``, ``partial`` or ``none``: how much of ``period`` the dataset's coverage spans."""
    start, end = coverage(name, ds.data_dir)
    if start is None:
        return "full"
    if period.end < start or period.start > end:
        return "none"
    if period.start < start or period.end > end:
        return "partial"
    return "full"


def _total(frame: pd.DataFrame, indicator: str) -> float:
    return float(frame.loc[frame["indicator"] == indicator, "value"].sum())


def _none_if_nan(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else x


def period_metrics(
    ds: Datasets, period: Period, votes: pd.DataFrame | None = None, arms_series: str | None = None
) -> dict[str, dict[str, Any]]:
    """Every dimension's headline metrics over one period (None where the data do not cover it)."""
    s, e = period.start, period.end
    out: dict[str, dict[str, Any]] = {}

    dip: dict[str, Any] = {"coverage": overlap(ds, "events", period)}
    if dip["coverage"] != "none":
        meet = meetings_per_year(ds.events, start=s, end=e)
        agr = agreements_per_year(ds.events, start=s, end=e)
        dip.update(
            leader_meetings=int(_total(meet, "leader_meetings")),
            official_visits=int(_total(meet, "official_visits")),
            leader_calls=int(_total(meet, "leader_calls")),
            agreements=int(_total(agr, "agreements")),
        )
    official = ds.partnership_designations[ds.partnership_designations["change"] != "reaffirmation"]
    row = designation_in_force(official, e)
    dip["level_end"] = None if row is None else int(row["level"])
    dip["designation_end"] = None if row is None else str(row["designation_en"])
    dip["designation_end_date"] = None if row is None else f"{row['date']:%Y-%m-%d}"
    dip["designation_changes"] = int(
        (
            designations_within(ds.partnership_designations, start=s, end=e)["change"]
            != "reaffirmation"
        ).sum()
    )
    out["diplomatic"] = dip

    un: dict[str, Any] = {"coverage": overlap(ds, "unsc_vetoes", period)}
    if un["coverage"] != "none":
        vet = vetoes_per_year(ds.unsc_vetoes, start=s, end=e)
        un.update(
            vetoes_chn=int(_total(vet, "vetoes_chn")),
            vetoes_rus=int(_total(vet, "vetoes_rus")),
            vetoes_joint=int(_total(vet, "vetoes_joint")),
            vetoed_drafts=int(_total(vet, "vetoed_drafts")),
        )
        un["joint_share"] = un["vetoes_joint"] / un["vetoes_chn"] if un["vetoes_chn"] else None
    un["unga_coverage"] = overlap(ds, "unga_roll_calls", period)
    if votes is None:
        votes = votes_long(ds.unga_roll_calls, ds.unga_votes)
    agree = agreement_overall(votes, start=s, end=e)
    un.update(
        unga_agreement=_none_if_nan(agree["unga_agreement"]),
        unga_agreement_half=_none_if_nan(agree["unga_agreement_half"]),
        unga_s_score=_none_if_nan(agree["unga_s_score"]),
        unga_n=int(agree["n"]),
    )
    out["un"] = un

    eco: dict[str, Any] = {"coverage": overlap(ds, "trade", period)}
    if eco["coverage"] != "none":
        growth = trade_cagr(ds.trade, start=s, end=e)
        ind = trade_indicators(ds.trade, start=s, end=e)
        totals = ind[(ind["indicator"] == "trade_total")].dropna(subset=["value"])
        balance = ind[(ind["indicator"] == "trade_balance")].dropna(subset=["value"])
        eco.update(
            years_with_data=len(totals),
            trade_mean=float(totals["value"].mean()) if len(totals) else None,
            first_year=growth["first_year"],
            last_year=growth["last_year"],
            first_value=_none_if_nan(growth["first_value"]),
            last_value=_none_if_nan(growth["last_value"]),
            multiple=_none_if_nan(growth["multiple"]),
            cagr=_none_if_nan(growth["cagr"]),
            balance_year=int(balance["period"].dt.year.iloc[-1]) if len(balance) else None,
            balance_last=float(balance["value"].iloc[-1]) if len(balance) else None,
        )
    out["economic"] = eco

    mil: dict[str, Any] = {"coverage": overlap(ds, "military_cooperation", period)}
    if mil["coverage"] != "none":
        ex = exercises_per_year(ds.military_cooperation, start=s, end=e)
        mil.update(
            exercises=int(_total(ex, "exercises_total")),
            patrols=int(_total(ex, "joint_patrols")),
            activities=int(_total(ex, "military_activities")),
        )
    series = arms_series or choose_arms_series(ds.arms_transfers, start=s, end=e)
    arms = ds.arms_transfers[ds.arms_transfers["series"] == series]
    years = arms["year"]
    mil["arms_series"] = series
    if len(years) and not (e.year < years.min() or s.year > years.max()):
        tiv = arms_tiv(ds.arms_transfers, series=series, start=s, end=e)
        rows = tiv[tiv["indicator"] == "arms_tiv"]
        mil["arms_tiv"] = float(rows["value"].sum())
        mil["arms_years"] = f"{rows['period'].dt.year.min()}–{rows['period'].dt.year.max()}"
    else:
        mil["arms_tiv"] = None
    out["military"] = mil

    ev: dict[str, Any] = {"coverage": overlap(ds, "events", period)}
    if ev["coverage"] != "none":
        coded = attach_goldstein(ds.events, ds.cameo_goldstein)
        inside = coded[(coded["date"] >= s) & (coded["date"] <= e)]
        n = len(inside)
        conflict = int(inside["quad_class"].isin([3, 4]).sum())
        ev.update(
            n_events=n,
            goldstein_mean=float(inside["goldstein"].mean()) if n else None,
            net_cooperation=(n - 2 * conflict) / n if n else None,
            conflict_events=conflict,
        )
    out["events"] = ev
    return out


@dataclass
class RangeFacts:
    """What a briefing says about one range, with the preceding period for comparison."""

    period: Period
    previous: Period
    current: dict[str, dict[str, Any]]
    prior: dict[str, dict[str, Any]]
    composite: dict[str, Any] = field(default_factory=dict)
    coverage_notes: list[str] = field(default_factory=list)
    arms_series: str = ""


def composite_facts(result: CompositeResult, period: Period) -> dict[str, Any]:
    """Composite value and band at the range's first and last year, trend, change points."""
    series = result.series()
    in_range = series[(series.index >= period.start.year) & (series.index <= period.end.year)]
    facts: dict[str, Any] = {"years": len(in_range)}
    if len(in_range):
        first, last = int(in_range.index[0]), int(in_range.index[-1])
        facts.update(
            first_year=first,
            first_value=float(in_range.iloc[0]),
            first_band=band(float(in_range.iloc[0])),
            last_year=last,
            last_value=float(in_range.iloc[-1]),
            last_band=band(float(in_range.iloc[-1])),
            mean=float(in_range.mean()),
        )
    tr = trend(series, start=period.start, end=period.end)
    facts["trend"] = {
        "slope": _none_if_nan(tr.slope),
        "low": _none_if_nan(tr.low),
        "high": _none_if_nan(tr.high),
        "n": tr.n,
        "verdict": tr.verdict,
        "reason": tr.reason,
    }
    breaks = change_points(series)
    facts["breaks_all"] = [int(b) for b in breaks]
    facts["breaks_in_range"] = [int(b) for b in breaks if period.start.year <= b <= period.end.year]
    return facts


def range_facts(
    ds: Datasets,
    result: CompositeResult,
    start: pd.Timestamp,
    end: pd.Timestamp,
    votes: pd.DataFrame | None = None,
) -> RangeFacts:
    """Measure [start, end] and its preceding period; note where the data do not cover them."""
    period = Period(pd.Timestamp(start), pd.Timestamp(end))
    prev = preceding(period)
    arms_series = choose_arms_series(ds.arms_transfers, start=prev.start, end=period.end)
    facts = RangeFacts(
        period=period,
        previous=prev,
        current=period_metrics(ds, period, votes, arms_series),
        prior=period_metrics(ds, prev, votes, arms_series),
        arms_series=arms_series,
        composite=composite_facts(result, period),
    )
    words = {"partial": "partly covered", "none": "not covered"}
    names = dict.fromkeys(n for group in DIMENSION_DATASETS.values() for n in group)
    for name in names:
        cs, ce = coverage(name, ds.data_dir)
        states = [
            (label, overlap(ds, name, p))
            for label, p in (("range", period), ("preceding period", prev))
        ]
        gaps = [f"the {label} is {words[state]}" for label, state in states if state != "full"]
        if gaps:
            facts.coverage_notes.append(
                f"{name}.csv covers {cs:%Y-%m-%d} to {ce:%Y-%m-%d}: {' and '.join(gaps)}."
            )
    return facts
