"""Economic ties: China–Russia merchandise trade.

Source: ``trade.csv`` (China's customs statistics, GACC, as the primary reporter; other
reporters kept apart). Values are current US dollars.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators._common import (
    DateLike,
    IndicatorError,
    check_range,
    empty_tidy,
    require_columns,
    tidy,
    year_grid,
    year_to_period,
)

FLOWS = {
    "chn_exports_to_rus": "trade_exports",
    "chn_imports_from_rus": "trade_imports",
    "total": "trade_total",
}


def trade_indicators(
    trade: pd.DataFrame, *, reporter: str = "CHN", start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Yearly trade total, China's exports, imports, balance and growth, for one reporter.

    - ``trade_total``: the reported total; where a year has no reported total but both flows,
      exports + imports (``n`` = 2 then, 1 when reported).
    - ``trade_exports`` (China → Russia), ``trade_imports`` (Russia → China), in US dollars.
    - ``trade_balance`` = exports − imports (China's surplus when positive).
    - ``trade_growth`` = total(t) / total(t−1) − 1 (NaN when either year is missing).
    Years of [start, end] without data are returned as NaN with ``n`` 0.
    """
    require_columns(trade, ["year", "reporter", "flow", "value_usd"], "trade")
    s, e = check_range(start, end)
    rows = trade[trade["reporter"] == reporter]
    if rows.empty and not trade.empty:  # an empty frame is a vintage before the first year
        raise IndicatorError(
            f"no trade rows reported by {reporter!r}; reporters: {sorted(trade['reporter'].unique())}"
        )
    wide = rows.pivot_table(index="year", columns="flow", values="value_usd", aggfunc="first")
    wide = wide.reindex(columns=list(FLOWS))
    years = year_grid(s, e, wide.index)
    # growth needs the year before the range too
    full = wide.reindex(range(min(years) - 1, max(years) + 1)) if years else wide
    derived = full["chn_exports_to_rus"] + full["chn_imports_from_rus"]
    total = full["total"].fillna(derived)
    n_total = np.where(full["total"].notna(), 1, np.where(derived.notna(), 2, 0))
    growth = total / total.shift(1) - 1
    table = pd.DataFrame(
        {
            "trade_total": total,
            "trade_exports": full["chn_exports_to_rus"],
            "trade_imports": full["chn_imports_from_rus"],
            "trade_balance": full["chn_exports_to_rus"] - full["chn_imports_from_rus"],
            "trade_growth": growth,
        }
    ).reindex(years)
    if not years:
        return empty_tidy()
    counts = {
        "trade_total": pd.Series(n_total, index=full.index).reindex(years),
        "trade_exports": table["trade_exports"].notna().astype(int),
        "trade_imports": table["trade_imports"].notna().astype(int),
        "trade_balance": table["trade_balance"].notna().astype(int),
        "trade_growth": table["trade_growth"].notna().astype(int),
    }
    parts = [
        pd.DataFrame(
            {
                "period": year_to_period(years),
                "indicator": name,
                "value": table[name].to_numpy(dtype=float),
                "n": counts[name].to_numpy(),
            }
        )
        for name in table.columns
    ]
    return tidy(pd.concat(parts, ignore_index=True))


def cagr(values: pd.Series) -> float:
    """Compound annual growth rate between the first and last non-missing values of a yearly
    series indexed by year: (last / first) ** (1 / (last_year − first_year)) − 1."""
    series = values.dropna()
    series = series[series > 0]
    if len(series) < 2:
        return float("nan")
    first_year, last_year = int(series.index.min()), int(series.index.max())
    if last_year == first_year:
        return float("nan")
    return float(
        (series.loc[last_year] / series.loc[first_year]) ** (1 / (last_year - first_year)) - 1
    )


def trade_cagr(
    trade: pd.DataFrame, *, reporter: str = "CHN", start: DateLike = None, end: DateLike = None
) -> dict[str, float | int | None]:
    """CAGR of the trade total over the years of [start, end] that have a total.

    Returns ``cagr``, ``first_year``, ``last_year``, ``first_value``, ``last_value`` and
    ``multiple`` (last / first); NaN/None when fewer than two years have data.
    """
    ind = trade_indicators(trade, reporter=reporter, start=start, end=end)
    tot = ind[ind["indicator"] == "trade_total"].dropna(subset=["value"])
    series = pd.Series(tot["value"].to_numpy(), index=tot["period"].dt.year)
    if len(series) < 2:
        return {
            "cagr": float("nan"),
            "first_year": None,
            "last_year": None,
            "first_value": float("nan"),
            "last_value": float("nan"),
            "multiple": float("nan"),
        }
    return {
        "cagr": cagr(series),
        "first_year": int(series.index.min()),
        "last_year": int(series.index.max()),
        "first_value": float(series.iloc[0]),
        "last_value": float(series.iloc[-1]),
        "multiple": float(series.iloc[-1] / series.iloc[0]),
    }


def trade_monthly_indicators(
    monthly: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """China's customs trade by release period, from ``trade_monthly.csv``.

    A year's value for month m is its year-to-date value at m minus that at m − 1 (both
    published); the first release of a year covers January and February together, so it is one
    two-month period (``n`` = 2). Where no pair of consecutive ytd values exists, a single-month
    figure the page states is used. ``period`` is the first day of the period (1 January for
    January–February); only periods lying wholly inside [start, end] are returned.
    Indicators: ``trade_total``, ``trade_exports``, ``trade_imports`` (US dollars).
    """
    require_columns(monthly, ["year", "month_end", "period", "flow", "value_usd"], "trade_monthly")
    s, e = check_range(start, end)
    rows = []
    for (year, flow), group in monthly.groupby(["year", "flow"]):
        ytd = group[group["period"] == "ytd"].set_index("month_end")["value_usd"]
        stated = group[group["period"] == "month"].set_index("month_end")["value_usd"]
        for m in range(2, 13):
            if m == 2 and 2 in ytd.index:
                value, first, months = ytd[2], 1, 2
            elif m > 2 and m in ytd.index and m - 1 in ytd.index:
                value, first, months = ytd[m] - ytd[m - 1], m, 1
            elif m > 2 and m in stated.index:
                value, first, months = stated[m], m, 1
            else:
                continue
            rows.append((pd.Timestamp(int(year), first, 1), FLOWS[flow], float(value), months))
    if not rows:
        return empty_tidy()
    out = pd.DataFrame(rows, columns=["period", "indicator", "value", "n"])
    last_day = pd.to_datetime(
        [
            p + pd.DateOffset(months=int(n)) - pd.Timedelta(days=1)
            for p, n in zip(*out[["period", "n"]].T.values, strict=True)
        ]
    )
    keep = pd.Series(True, index=out.index)
    if s is not None:
        keep &= out["period"] >= s
    if e is not None:
        keep &= last_day <= e
    return tidy(out[keep.to_numpy()])
