"""The numbers of a briefing: every section's metrics over a range and its preceding period.

:func:`range_facts` measures the requested range and the preceding period of equal length with
the metric function of each section (the section registry passes them in), and adds the
composite-index facts. The narrative, tables and ``figures.json`` read these values and never
compute their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import choose_arms_series, votes_long
from analysis.model.change_points import (
    monthly_breaks,
    robust_change_points,
)
from analysis.model.composite import CompositeResult, measure_dyads
from analysis.model.dyads import MAIN
from analysis.model.inputs import MetricInputs, none_if_nan
from analysis.model.periods import Period, is_monthly, preceding, whole_months, whole_years
from analysis.model.phases import band, trend
from analysis.model.uncertainty import bands, prob_greater

if TYPE_CHECKING:
    from analysis.model.step import ModelStep

MetricFn = Callable[[Datasets, Period, MetricInputs], dict[str, Any]]


@dataclass
class RangeFacts:
    """What a briefing says about one range, with the preceding period for comparison."""

    period: Period
    previous: Period
    current: dict[str, dict[str, Any]]
    prior: dict[str, dict[str, Any]]
    composite: dict[str, Any] = field(default_factory=dict)
    arms_series: str = ""
    monthly: bool = False  # drawn and described month by month (a short range)
    inputs: MetricInputs | None = None  # what the metrics shared (votes, SIPRI vintage, events)
    draws: pd.DataFrame | None = None  # draws of the yearly composite (rows = draws)


def composite_in_range(
    result: CompositeResult, period: Period, monthly: CompositeResult | None = None
) -> pd.Series:
    """The composite values that count in ``period``: by month (months wholly inside) when the
    range is short (:func:`~analysis.model.periods.is_monthly`) and a monthly composite is
    given, else by year (years wholly inside)."""
    if monthly is not None and is_monthly(period):
        series = monthly.series()
        months = whole_months(period)
        if months is None:
            return series.iloc[0:0]
        return series[(series.index >= months[0]) & (series.index <= months[1])]
    series = result.series()
    years = whole_years(period)  # a yearly value counts only for a year wholly in the range
    if years is None:
        return series.iloc[0:0]
    return series[series.index.to_series().between(*years).to_numpy()]


def point_label(label) -> str:
    """'2012' for a year, 'March 2022' for a month end."""
    return f"{label:%B %Y}" if isinstance(label, pd.Timestamp) else str(int(label))


def monthly_composite_facts(
    monthly: CompositeResult, period: Period, breaks: dict[str, list] | None = None
) -> dict[str, Any]:
    """A short range's composite facts on the monthly composite: first and last month wholly
    inside, Theil–Sen trend in points a year, change points with segments of at least
    :data:`MONTHLY_MIN_SEGMENT` months (no draws: the uncertainty bands are yearly)."""
    series = monthly.series()
    in_range = composite_in_range(monthly, period, monthly)
    facts: dict[str, Any] = {"years": len(in_range), "resolution": "month"}
    if len(in_range):
        first, last = in_range.index[0], in_range.index[-1]
        facts.update(
            first_year=int(first.year),
            first_label=point_label(first),
            first_value=float(in_range.iloc[0]),
            first_band=band(round(float(in_range.iloc[0]), 1)),
            last_year=int(last.year),
            last_label=point_label(last),
            last_value=float(in_range.iloc[-1]),
            last_band=band(round(float(in_range.iloc[-1]), 1)),
            mean=float(in_range.mean()),
        )
    facts["trend"] = {**trend_facts(trend(in_range)), "unit": "monthly"}
    robust, found = (breaks["robust"], breaks["found"]) if breaks else monthly_breaks(series)
    inside = set(in_range.index)
    facts["breaks_all"] = [f"{b:%Y-%m}" for b in robust]
    facts["breaks_in_range"] = [f"{b:%Y-%m}" for b in robust if b in inside]
    facts["break_dates_in_range"] = [b for b in robust if b in inside]
    facts["breaks_not_robust"] = [f"{b:%Y-%m}" for b in found if b not in robust and b in inside]
    facts["break_table"] = pd.DataFrame()
    return facts


def trend_facts(tr) -> dict[str, Any]:
    """A :class:`~analysis.model.phases.Trend` as plain facts (None where not measured)."""
    return {
        "slope": none_if_nan(tr.slope),
        "low": none_if_nan(tr.low),
        "high": none_if_nan(tr.high),
        "n": tr.n,
        "verdict": tr.verdict,
        "reason": tr.reason,
        "share_up": none_if_nan(tr.share_up),
        "share_down": none_if_nan(tr.share_down),
    }


def _quantiles(draws: pd.DataFrame, year: int) -> dict[str, float]:
    return {k: float(v) for k, v in bands(draws[[year]]).loc[year].items()}


def composite_facts(
    result: CompositeResult,
    period: Period,
    draws: pd.DataFrame | None = None,
    monthly: CompositeResult | None = None,
    *,
    breaks: pd.DataFrame | None = None,
    monthly_breaks: dict[str, list] | None = None,
) -> dict[str, Any]:
    """Composite value and band at the range's first and last year, trend, change points; with
    ``draws`` (of :mod:`analysis.model.uncertainty`) their bands, the probability that the last
    year is above the first and that the range's highest year is above its runner-up, a trend
    verdict read from the draws, and which change points survive them. A short range with a
    ``monthly`` composite is described by month (:func:`monthly_composite_facts`)."""
    yearly = _yearly_composite_facts(result, period, draws, breaks)
    if monthly is None or not is_monthly(period):
        return yearly
    out = monthly_composite_facts(monthly, period, monthly_breaks)
    # the method section's robustness table and the yearly chart's breaks stay yearly
    out.update(
        break_table=yearly["break_table"],
        breaks_not_robust=yearly["breaks_not_robust"],
        yearly_breaks_all=yearly["breaks_all"],
    )
    return out


def _yearly_composite_facts(
    result: CompositeResult,
    period: Period,
    draws: pd.DataFrame | None,
    breaks: pd.DataFrame | None = None,
) -> dict[str, Any]:
    series = result.series()
    years = whole_years(period)  # a yearly value counts only for a year wholly in the range
    in_range = (
        series.iloc[0:0]
        if years is None
        else series[series.index.to_series().between(*years).to_numpy()]
    )
    facts: dict[str, Any] = {"years": len(in_range), "resolution": "year"}
    if len(in_range):
        first, last = int(in_range.index[0]), int(in_range.index[-1])
        facts.update(
            first_year=first,
            first_label=str(first),
            last_label=str(last),
            first_value=float(in_range.iloc[0]),
            first_band=band(round(float(in_range.iloc[0]), 1)),  # as printed
            last_year=last,
            last_value=float(in_range.iloc[-1]),
            last_band=band(round(float(in_range.iloc[-1]), 1)),
            mean=float(in_range.mean()),
        )
        if draws is not None:
            facts.update(_uncertain(in_range, draws))
    tr = (
        trend(series, start=f"{years[0]}-01-01", end=f"{years[1]}-12-31", draws=draws)
        if years
        else trend(series.iloc[0:0])
    )
    facts["trend"] = trend_facts(tr)
    table = robust_change_points(series, draws) if breaks is None else breaks
    robust = table[table["robust"]] if len(table) else table
    breaks = [int(b) for b in robust["break"]] if len(robust) else []
    facts["breaks_all"] = breaks
    facts["breaks_in_range"] = [b for b in breaks if years and years[0] <= b <= years[1]]
    facts["breaks_not_robust"] = [int(b) for b in table["break"] if int(b) not in breaks]
    facts["break_table"] = table
    return facts


def _uncertain(in_range: pd.Series, draws: pd.DataFrame) -> dict[str, Any]:
    """Bands of the first and last year, P(last > first), the change verdict, and the range's
    highest year against its runner-up."""
    first, last = int(in_range.index[0]), int(in_range.index[-1])
    out: dict[str, Any] = {
        "first_q": _quantiles(draws, first),
        "last_q": _quantiles(draws, last),
        "p_last_above_first": prob_greater(draws, last, first) if first != last else None,
    }
    if len(in_range) >= 2:
        ranked = in_range.sort_values(ascending=False)
        top, second = int(ranked.index[0]), int(ranked.index[1])
        out.update(peak_year=top, runner_up=second, p_peak=prob_greater(draws, top, second))
    return out


def range_facts(
    ds: Datasets,
    result: CompositeResult,
    start: pd.Timestamp,
    end: pd.Timestamp,
    metrics: Mapping[str, MetricFn],
    votes: pd.DataFrame | None = None,
    monthly: CompositeResult | None = None,
    step: ModelStep | None = None,
) -> RangeFacts:
    """Measure [start, end] and its preceding period with each section's metric function; the
    composite's draws and change points come from the model ``step`` when given."""
    period = Period(pd.Timestamp(start), pd.Timestamp(end))
    prev = preceding(period)
    arms_series = choose_arms_series(ds.arms_transfers, start=prev.start, end=period.end)
    if votes is None:
        votes = votes_long(ds.unga_roll_calls, ds.unga_votes)
    inputs = MetricInputs.build(ds, votes, arms_series)
    draws = (step.yearly if step else measure_dyads(ds)).draws.get(result.dyad)
    breaks = step.breaks if step and result.dyad == MAIN else None
    return RangeFacts(
        period=period,
        previous=prev,
        current={key: fn(ds, period, inputs) for key, fn in metrics.items()},
        prior={key: fn(ds, prev, inputs) for key, fn in metrics.items()},
        arms_series=arms_series,
        monthly=is_monthly(period),
        composite=composite_facts(
            result,
            period,
            draws,
            monthly,
            breaks=breaks,
            monthly_breaks=step.monthly_breaks if step else None,
        ),
        inputs=inputs,
        draws=draws,
    )
