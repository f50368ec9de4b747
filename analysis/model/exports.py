"""The composite as data: the two CSV files every briefing writes beside its PDF.

- ``composite.csv``: ``dyad,period,value,lo80,hi80,lo95,hi95`` — one row per dyad and period of
  the range (``YYYY`` for the years wholly inside a range of five years or more, ``YYYY-MM`` for
  the months wholly inside a shorter one); the bands are the draws' 10th–90th and
  2.5th–97.5th percentiles (empty for months: the monthly composite has no draws);
- ``components.csv``: ``dyad,period,component,raw,normalised,weight`` — what each value is made
  of (raw in the component's unit, normalised 0–1 on the joint scale, the default weight).
"""

from __future__ import annotations

import pandas as pd

from analysis.model.composite import Measure
from analysis.model.dyads import DYADS
from analysis.model.periods import Period, is_monthly, whole_months, whole_years
from analysis.model.uncertainty import bands

COMPOSITE_COLUMNS = ("dyad", "period", "value", "lo80", "hi80", "lo95", "hi95")
COMPONENT_COLUMNS = ("dyad", "period", "component", "raw", "normalised", "weight")


def _periods(index: pd.Index, period: Period, monthly: bool) -> list:
    if monthly:
        months = whole_months(period)
        return [] if months is None else [p for p in index if months[0] <= p <= months[1]]
    years = whole_years(period)
    return [] if years is None else [p for p in index if years[0] <= p <= years[1]]


def _label(p) -> str:
    return f"{p:%Y-%m}" if isinstance(p, pd.Timestamp) else f"{int(p)}"


def composite_rows(yearly: Measure, monthly: Measure | None, period: Period) -> pd.DataFrame:
    """The rows of ``composite.csv`` for ``period`` (monthly when the range is short and a
    monthly measure is given)."""
    by_month = monthly is not None and is_monthly(period)
    measure = monthly if by_month else yearly
    rows = []
    for d in DYADS:
        index = measure.index[d]["composite"]
        keep = [p for p in _periods(index.index, period, by_month) if pd.notna(index[p])]
        q = None if by_month or not keep else bands(measure.draws[d][keep])
        for p in keep:
            b = q.loc[p] if q is not None else {}
            rows.append(
                {
                    "dyad": d,
                    "period": _label(p),
                    "value": round(float(index[p]), 4),
                    "lo80": round(float(b["q10"]), 4) if q is not None else None,
                    "hi80": round(float(b["q90"]), 4) if q is not None else None,
                    "lo95": round(float(b["q025"]), 4) if q is not None else None,
                    "hi95": round(float(b["q975"]), 4) if q is not None else None,
                }
            )
    return pd.DataFrame(rows, columns=list(COMPOSITE_COLUMNS))


def component_rows(yearly: Measure, monthly: Measure | None, period: Period) -> pd.DataFrame:
    """The rows of ``components.csv`` for ``period``: every component present in a period that
    has a composite value, per dyad."""
    by_month = monthly is not None and is_monthly(period)
    measure = monthly if by_month else yearly
    rows = []
    for d in DYADS:
        index = measure.index[d]["composite"]
        raw, norm = measure.raw[d], measure.normalised[d]
        for p in _periods(index.index, period, by_month):
            if pd.isna(index[p]):
                continue
            for key, weight in measure.weights.items():
                if pd.isna(raw.at[p, key]):
                    continue
                rows.append(
                    {
                        "dyad": d,
                        "period": _label(p),
                        "component": key,
                        "raw": round(float(raw.at[p, key]), 6),
                        "normalised": round(float(norm.at[p, key]), 6),
                        "weight": weight,
                    }
                )
    return pd.DataFrame(rows, columns=list(COMPONENT_COLUMNS))


def csv_files(yearly: Measure, monthly: Measure | None, period: Period) -> dict[str, str]:
    """``{"composite.csv": text, "components.csv": text}`` for ``period``."""
    return {
        "composite.csv": composite_rows(yearly, monthly, period).to_csv(index=False),
        "components.csv": component_rows(yearly, monthly, period).to_csv(index=False),
    }
