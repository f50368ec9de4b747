"""Energy, dependence and money: what Russia sells China, how much each weighs in the other's
trade, and the currency Russia settles in.

Sources: ``energy.csv`` (China's customs crude and LNG figures, Gazprom's Power of Siberia
volumes, as reported), ``trade_dependence.csv`` (shares a source states, and the totals that
let a share be computed), ``trade.csv`` (the bilateral total) and ``yuan_settlements.csv`` (Bank
of Russia currency shares, as reported). Nothing here fills a gap: a year without a figure is
absent (or NaN), never interpolated.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators._common import (
    DateLike,
    check_range,
    empty_tidy,
    require_columns,
    tidy,
    within,
    year_to_period,
)

#: energy.csv indicator -> the tidy indicator name.
ENERGY = {
    "crude_imports_from_rus_mt": "crude_from_rus_mt",
    "crude_imports_total_mt": "crude_total_mt",
    "crude_share_rus": "crude_share_rus_stated",
    "pos_gas_bcm": "pos_gas_bcm",
    "lng_imports_from_rus_mt": "lng_from_rus_mt",
}


def _years_within(frame: pd.DataFrame, s, e) -> pd.DataFrame:
    """Rows whose year lies wholly inside [s, e] (a yearly value counts for whole years only)."""
    keep = pd.Series(True, index=frame.index)
    if s is not None:
        keep &= pd.to_datetime(frame["year"].astype(str) + "-01-01") >= s
    if e is not None:
        keep &= pd.to_datetime(frame["year"].astype(str) + "-12-31") <= e
    return frame[keep]


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.pivot_table(index="year", columns="indicator", values="value", aggfunc="first")


def energy_indicators(
    energy: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Yearly energy indicators, only for years with a figure and wholly inside [start, end].

    - ``crude_from_rus_mt``, ``crude_total_mt``: China's crude imports from Russia and in all
      (million tonnes); ``pos_gas_bcm``: Power of Siberia deliveries; ``lng_from_rus_mt``.
    - ``crude_share_rus``: from_rus / total, computed where both volumes exist (``n`` = 2);
    - ``crude_share_rus_stated``: the share as a source states it (``n`` = 1).
    """
    require_columns(energy, ["year", "indicator", "value"], "energy")
    s, e = check_range(start, end)
    rows = _years_within(energy, s, e)
    if rows.empty:
        return empty_tidy()
    parts = []
    for raw, name in ENERGY.items():
        sub = rows[rows["indicator"] == raw]
        if len(sub):
            parts.append(
                pd.DataFrame(
                    {
                        "period": year_to_period(sub["year"]).to_numpy(),
                        "indicator": name,
                        "value": sub["value"].to_numpy(dtype=float),
                        "n": 1,
                    }
                )
            )
    wide = _wide(rows)
    if {"crude_imports_from_rus_mt", "crude_imports_total_mt"} <= set(wide.columns):
        share = (wide["crude_imports_from_rus_mt"] / wide["crude_imports_total_mt"]).dropna()
        if len(share):
            parts.append(
                pd.DataFrame(
                    {
                        "period": year_to_period(share.index).to_numpy(),
                        "indicator": "crude_share_rus",
                        "value": share.to_numpy(),
                        "n": 2,
                    }
                )
            )
    return tidy(pd.concat(parts, ignore_index=True)) if parts else empty_tidy()


def dependence_indicators(
    dependence: pd.DataFrame,
    trade: pd.DataFrame,
    *,
    start: DateLike = None,
    end: DateLike = None,
) -> pd.DataFrame:
    """The asymmetry: China's share of Russia's trade beside Russia's share of China's, by year.

    Each share is the one a source states (``n`` = 1) where a page gives it, else computed
    (``n`` = 2) as China's customs bilateral total (``trade.csv``, reporter CHN) over the other
    side's total trade (``trade_dependence.csv``: Russia's from its customs, exports + imports
    where only the two flows are given; China's from its customs). A computed Russian-side share
    mixes two reporters' statistics (the README says so). Indicators ``chn_share_of_rus_trade``
    and ``rus_share_of_chn_trade``; years without either figure are absent.
    """
    require_columns(dependence, ["year", "indicator", "value"], "trade_dependence")
    require_columns(trade, ["year", "reporter", "flow", "value_usd"], "trade")
    s, e = check_range(start, end)
    dep = _wide(_years_within(dependence, s, e))
    bilateral = trade[(trade["reporter"] == "CHN") & (trade["flow"] == "total")]
    bilateral = bilateral.set_index("year")["value_usd"].astype(float)

    def total(prefix: str) -> pd.Series:
        cols = dep.columns
        whole = dep[f"{prefix}_total_trade_usd"] if f"{prefix}_total_trade_usd" in cols else None
        both = (
            dep[f"{prefix}_total_exports_usd"] + dep[f"{prefix}_total_imports_usd"]
            if {f"{prefix}_total_exports_usd", f"{prefix}_total_imports_usd"} <= set(cols)
            else None
        )
        out = pd.Series(float("nan"), index=dep.index)
        if both is not None:
            out = out.fillna(both)
        if whole is not None:
            out = whole.combine_first(out)
        return out

    parts = []
    for name, stated, prefix in (
        ("chn_share_of_rus_trade", "china_share_of_rus_trade", "rus"),
        ("rus_share_of_chn_trade", "rus_share_of_chn_trade", "chn"),
    ):
        if dep.empty:
            break
        computed = (bilateral.reindex(dep.index) / total(prefix)).dropna()
        given = dep[stated].dropna() if stated in dep.columns else pd.Series(dtype=float)
        years = sorted(set(computed.index) | set(given.index))
        for year in years:
            from_source = year in given.index
            value = given[year] if from_source else computed[year]
            parts.append(
                {
                    "period": pd.Timestamp(f"{int(year)}-01-01"),
                    "indicator": name,
                    "value": float(value),
                    "n": 1 if from_source else 2,
                }
            )
    return tidy(pd.DataFrame(parts)) if parts else empty_tidy()


#: yuan_settlements.csv indicators drawn and quoted (the yuan, and the rouble beside it).
MONEY = (
    "cny_share_rus_exports",
    "cny_share_rus_imports",
    "cny_share_moex_fx",
    "rub_share_rus_exports",
    "usd_eur_share_rus_exports",
)


def yuan_shares(
    yuan: pd.DataFrame,
    *,
    start: DateLike = None,
    end: DateLike = None,
    indicators: tuple[str, ...] = MONEY,
) -> pd.DataFrame:
    """Currency shares by month (``period`` = the first day of the month the value refers to),
    monthly and quarter-end values only (a whole-year value is another measure and is left out);
    ``n`` = 1. Rows dated inside [start, end]."""
    require_columns(yuan, ["date", "period", "indicator", "value"], "yuan_settlements")
    s, e = check_range(start, end)
    rows = within(yuan, "date", s, e)
    rows = rows[rows["indicator"].isin(indicators) & rows["period"].isin(["month", "quarter"])]
    # one value a month and indicator: the monthly one where a quarter ends on the same day
    rows = rows.sort_values("period").drop_duplicates(["date", "indicator"], keep="first")
    if rows.empty:
        return empty_tidy()
    return tidy(
        pd.DataFrame(
            {
                "period": rows["date"].dt.to_period("M").dt.to_timestamp().to_numpy(),
                "indicator": rows["indicator"].to_numpy(),
                "value": rows["value"].to_numpy(dtype=float),
                "n": 1,
            }
        )
    )
