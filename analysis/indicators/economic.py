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
    if rows.empty:
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
