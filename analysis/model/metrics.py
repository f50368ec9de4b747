"""The headline metrics of each briefing section over one period (range or preceding period).

One function per section, all with the same contract: ``(ds, period, inputs) -> dict`` of plain
values (None where the data do not cover the period), computed through the indicator functions.
The section registry (:mod:`analysis.render.sections`) names the function of each section, and
:func:`analysis.model.facts.range_facts` calls them for the range and the preceding period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import (
    agreement_overall,
    agreements_per_year,
    arms_tiv,
    attach_goldstein,
    designation_in_force,
    designations_within,
    events_summary,
    exercises_per_year,
    meetings_per_year,
    pair_agreement,
    pair_votes,
    record_votes_long,
    trade_cagr,
    trade_indicators,
    trade_monthly_indicators,
    vetoes_per_year,
)
from analysis.model.periods import NONE, Period, coverage_state, is_monthly, whole_years

#: The pairs whose General Assembly alignment the UN section measures (the triangle).
PAIRS = (("CHN", "RUS"), ("CHN", "USA"), ("RUS", "USA"))


@dataclass(frozen=True)
class MetricInputs:
    """What several sections share, computed once per briefing."""

    votes: (
        pd.DataFrame
    )  # the curated key votes in long form (the annex of votes that drew attention)
    arms_series: str  # the one SIPRI vintage of the briefing
    coded_events: pd.DataFrame  # events with Goldstein weights and QuadClass
    record: pd.DataFrame  # every recorded General Assembly vote of CHN, RUS and USA, long form
    pairs: dict[tuple[str, str], pd.DataFrame]  # the record's votes of each pair (pair_votes)

    @classmethod
    def build(cls, ds: Datasets, votes: pd.DataFrame, arms_series: str) -> MetricInputs:
        record = record_votes_long(ds.unga_record_roll_calls, ds.unga_record_votes)
        return cls(
            votes,
            arms_series,
            attach_goldstein(ds.events, ds.cameo_goldstein),
            record,
            {(a, b): pair_votes(record, a, b) for a, b in PAIRS},
        )


def pair_key(a: str, b: str) -> str:
    return f"{a.lower()}_{b.lower()}"


def record_agreement(
    inputs: MetricInputs, a: str, b: str, start, end, target: str | None = None
) -> dict[str, Any]:
    """Identical share, half-credit agreement, Cohen's κ and n of a pair on the full record
    (votes on resolutions as a whole), pooled over [start, end]; None where no vote both cast."""
    rows = pair_agreement(
        inputs.record,
        a,
        b,
        by="range",
        start=start,
        end=end,
        target=target,
        whole_only=True,
        pairs=inputs.pairs[(a, b)],
    )
    values = dict(zip(rows["indicator"], rows["value"], strict=True))
    n = int(rows["n"].max()) if len(rows) else 0
    return {
        "identical": none_if_nan(values.get("identical_share")) if n else None,
        "half": none_if_nan(values.get("agreement_half")) if n else None,
        "kappa": none_if_nan(values.get("kappa")) if n else None,
        "n": n,
    }


def _total(frame: pd.DataFrame, indicator: str) -> float:
    return float(frame.loc[frame["indicator"] == indicator, "value"].sum())


def none_if_nan(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else x


def diplomatic(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    s, e = period.start, period.end
    dip: dict[str, Any] = {"coverage": coverage_state("events", period, ds.data_dir)}
    if dip["coverage"] != NONE:
        meet = meetings_per_year(ds.events, start=s, end=e)
        agr = agreements_per_year(ds.events, start=s, end=e)
        dip.update(
            leader_meetings=int(_total(meet, "leader_meetings")),
            official_visits=int(_total(meet, "official_visits")),
            leader_calls=int(_total(meet, "leader_calls")),
            agreements=int(_total(agr, "agreements")),
        )
    designations = ds.partnership_designations
    row = designation_in_force(designations[designations["change"] != "reaffirmation"], e)
    dip["level_end"] = None if row is None else int(row["level"])
    dip["designation_end"] = None if row is None else str(row["designation_en"])
    dip["designation_end_date"] = None if row is None else f"{row['date']:%Y-%m-%d}"
    dip["designation_changes"] = int(
        (designations_within(designations, start=s, end=e)["change"] != "reaffirmation").sum()
    )
    return dip


def un(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    s, e = period.start, period.end
    out: dict[str, Any] = {"coverage": coverage_state("unsc_vetoes", period, ds.data_dir)}
    if out["coverage"] != NONE:
        vet = vetoes_per_year(ds.unsc_vetoes, start=s, end=e)
        out.update(
            vetoes_chn=int(_total(vet, "vetoes_chn")),
            vetoes_rus=int(_total(vet, "vetoes_rus")),
            vetoes_joint=int(_total(vet, "vetoes_joint")),
            vetoed_drafts=int(_total(vet, "vetoed_drafts")),
        )
        out["joint_share"] = out["vetoes_joint"] / out["vetoes_chn"] if out["vetoes_chn"] else None
    for a, b in PAIRS:
        rec = record_agreement(inputs, a, b, s, e)
        for k, v in rec.items():
            out[f"rec_{pair_key(a, b)}_{k}"] = v
    for target, label in (("ukraine", "ukr"), ("none", "rest")):
        rec = record_agreement(inputs, "CHN", "RUS", s, e, target=target)
        out[f"rec_{label}_identical"], out[f"rec_{label}_n"] = rec["identical"], rec["n"]
    out["rec_dates"] = _record_dates(inputs.record, s, e)
    out["unga_coverage"] = coverage_state("unga_roll_calls", period, ds.data_dir)
    agree = agreement_overall(inputs.votes, start=s, end=e)
    out.update(
        unga_agreement=none_if_nan(agree["unga_agreement"]),
        unga_agreement_half=none_if_nan(agree["unga_agreement_half"]),
        unga_s_score=none_if_nan(agree["unga_s_score"]),
        unga_n=int(agree["n"]),
    )
    return out


def _record_dates(record: pd.DataFrame, s, e) -> str | None:
    """The first and last day of the per-vote record inside [s, e] ("2025-02-24 to 2025-12-18")."""
    inside = record[(record["date"] >= s) & (record["date"] <= e)]["date"]
    if inside.empty:
        return None
    return f"{inside.min():%Y-%m-%d} to {inside.max():%Y-%m-%d}"


def _month_name(ts: pd.Timestamp, months: int) -> str:
    """'March 2022', or 'January–February 2023' for the combined first release."""
    if months == 2:
        return f"January–February {ts.year}"
    return f"{ts:%B %Y}"


def economic_monthly(ds: Datasets, period: Period) -> dict[str, Any]:
    """Trade of a short range from China's customs' monthly releases: the periods (months, and
    January–February as published) lying wholly inside it."""
    eco: dict[str, Any] = {
        "coverage": coverage_state("trade_monthly", period, ds.data_dir),
        "resolution": "month",
    }
    if eco["coverage"] == NONE:
        return eco
    ind = trade_monthly_indicators(ds.trade_monthly, start=period.start, end=period.end)
    total = ind[ind["indicator"] == "trade_total"].dropna(subset=["value"])
    if total.empty:
        return eco
    months = int(total["n"].sum())
    first, last = total.iloc[0], total.iloc[-1]
    eco.update(
        months_with_data=months,
        trade_month_sum=float(total["value"].sum()),
        trade_month_mean=float(total["value"].sum()) / months,
        month_first=_month_name(first["period"], int(first["n"])),
        month_first_value=float(first["value"]),
        month_last=_month_name(last["period"], int(last["n"])),
        month_last_value=float(last["value"]),
    )
    return eco


def _constant_dollars(ds: Datasets, eco: dict[str, Any]) -> dict[str, Any]:
    """The first year's trade in dollars of the last year (US CPI-U, us_cpi.csv) and the
    compound growth in constant dollars; nothing when a year has no CPI."""
    from analysis.indicators.prices import constant_dollars

    first, last = eco.get("first_year"), eco.get("last_year")
    if first is None or last is None or first == last or eco.get("first_value") is None:
        return {}
    cpi = ds.us_cpi
    if not {first, last} <= set(cpi["year"]):
        return {}
    real = constant_dollars(pd.Series({first: eco["first_value"]}), cpi, base_year=last)
    real_first = float(real[first])
    return {
        "real_first_value": real_first,
        "cagr_real": (eco["last_value"] / real_first) ** (1 / (last - first)) - 1,
    }


def economic(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    if is_monthly(period):  # the monthly releases; by whole years where they have no month
        monthly = economic_monthly(ds, period)
        if monthly.get("months_with_data") or whole_years(period) is None:
            return monthly
    s, e = period.start, period.end
    eco: dict[str, Any] = {"coverage": coverage_state("trade", period, ds.data_dir)}
    years = whole_years(period)
    if eco["coverage"] == NONE or years is None:
        return {**eco, "coverage": NONE} if years is None else eco
    s, e = f"{years[0]}-01-01", f"{years[1]}-12-31"  # yearly values: whole years only
    growth = trade_cagr(ds.trade, start=s, end=e)
    ind = trade_indicators(ds.trade, start=s, end=e)
    totals = ind[(ind["indicator"] == "trade_total")].dropna(subset=["value"])
    balance = ind[(ind["indicator"] == "trade_balance")].dropna(subset=["value"])
    eco.update(
        years_with_data=len(totals),
        trade_mean=float(totals["value"].mean()) if len(totals) else None,
        first_year=growth["first_year"],
        last_year=growth["last_year"],
        first_value=none_if_nan(growth["first_value"]),
        last_value=none_if_nan(growth["last_value"]),
        multiple=none_if_nan(growth["multiple"]),
        cagr=none_if_nan(growth["cagr"]),
        balance_year=int(balance["period"].dt.year.iloc[-1]) if len(balance) else None,
        balance_last=float(balance["value"].iloc[-1]) if len(balance) else None,
    )
    eco.update(_constant_dollars(ds, eco))
    return eco


def military(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    s, e = period.start, period.end
    mil: dict[str, Any] = {"coverage": coverage_state("military_cooperation", period, ds.data_dir)}
    if mil["coverage"] != NONE:
        ex = exercises_per_year(ds.military_cooperation, start=s, end=e)
        mil.update(
            exercises=int(_total(ex, "exercises_total")),
            patrols=int(_total(ex, "joint_patrols")),
            activities=int(_total(ex, "military_activities")),
        )
    series = inputs.arms_series
    years = ds.arms_transfers.loc[ds.arms_transfers["series"] == series, "year"]
    mil["arms_series"] = series
    mil["arms_tiv"] = None
    whole = whole_years(period)  # SIPRI's yearly deliveries: whole years only
    if whole and len(years) and not (whole[1] < years.min() or whole[0] > years.max()):
        tiv = arms_tiv(
            ds.arms_transfers, series=series, start=f"{whole[0]}-01-01", end=f"{whole[1]}-12-31"
        )
        rows = tiv[tiv["indicator"] == "arms_tiv"]
        mil["arms_tiv"] = float(rows["value"].sum())
        mil["arms_years"] = f"{rows['period'].dt.year.min()}–{rows['period'].dt.year.max()}"
    return mil


def events(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    ev: dict[str, Any] = {"coverage": coverage_state("events", period, ds.data_dir)}
    if ev["coverage"] != NONE:
        ev.update(events_summary(inputs.coded_events, start=period.start, end=period.end))
    return ev
