"""The facts of the "Energy and money" section over one period (range or preceding period).

Same contract as :mod:`analysis.model.metrics`: ``(ds, period, inputs) -> dict`` of plain values,
None where the data hold no figure for the period. Yearly figures count only for years wholly
inside the period (as trade does); the monthly currency shares for months dated inside it.
Every value is the first or last *figure present* in the period, with its year or month, and the
years without a figure are listed, so a sentence can say what it rests on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.data.loader import Datasets, coverage
from analysis.indicators import dependence_indicators, energy_indicators, yuan_shares
from analysis.model.metrics import MetricInputs
from analysis.model.periods import NONE, Period, combined_state, whole_years

DATASETS = ("energy", "trade_dependence", "yuan_settlements")


def _series(tidy: pd.DataFrame, indicator: str) -> pd.Series:
    rows = tidy[tidy["indicator"] == indicator].dropna(subset=["value"])
    return pd.Series(rows["value"].to_numpy(), index=rows["period"].to_numpy())


def _ends(series: pd.Series, key: str, out: dict[str, Any], fmt: str = "%Y") -> None:
    """``key_first``/``key_last`` values with their dates (``key_first_when`` ...), ``key_n``."""
    out[f"{key}_n"] = len(series)
    if not len(series):
        out[f"{key}_first"] = out[f"{key}_last"] = None
        return
    out[f"{key}_first"], out[f"{key}_last"] = float(series.iloc[0]), float(series.iloc[-1])
    out[f"{key}_first_when"] = pd.Timestamp(series.index[0]).strftime(fmt)
    out[f"{key}_last_when"] = pd.Timestamp(series.index[-1]).strftime(fmt)


def crude_share(tidy: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Russia's share of China's crude imports by year: computed from the two volumes where both
    exist, else the share a source states; and a flag series (True = computed)."""
    computed, stated = _series(tidy, "crude_share_rus"), _series(tidy, "crude_share_rus_stated")
    share = computed.combine_first(stated).sort_index()
    return share, pd.Series(share.index.isin(computed.index), index=share.index)


def energy_money(ds: Datasets, period: Period, inputs: MetricInputs | None = None) -> dict:
    """Crude from Russia (volume and share), Power of Siberia, the two trade shares, the yuan."""
    out: dict[str, Any] = {"coverage": combined_state(DATASETS, period, ds.data_dir)}
    if out["coverage"] == NONE:
        return out
    years = whole_years(period)
    if years is not None:
        s, e = f"{years[0]}-01-01", f"{years[1]}-12-31"
        energy = energy_indicators(ds.energy, start=s, end=e)
        dep = dependence_indicators(ds.trade_dependence, ds.trade, start=s, end=e)
        crude = _series(energy, "crude_from_rus_mt")
        _ends(crude, "crude_mt", out)
        first, last = coverage("energy", ds.data_dir)  # gaps only inside the data's span
        lo, hi = max(years[0], first.year), min(years[1], last.year)
        have = {pd.Timestamp(t).year for t in crude.index}
        out["crude_missing"] = [y for y in range(lo, hi + 1) if y not in have]
        share, computed = crude_share(energy)
        _ends(share, "crude_share", out)
        if len(share):
            out["crude_share_first_computed"] = bool(computed.iloc[0])
            out["crude_share_last_computed"] = bool(computed.iloc[-1])
        _ends(_series(energy, "pos_gas_bcm"), "pos_bcm", out)
        for key in ("chn_share_of_rus_trade", "rus_share_of_chn_trade"):
            _ends(_series(dep, key), key, out)
        both = _series(dep, "chn_share_of_rus_trade").index.intersection(
            _series(dep, "rus_share_of_chn_trade").index
        )
        if len(both):  # the latest year with both sides' shares: the asymmetry
            year = both.max()
            a = float(_series(dep, "chn_share_of_rus_trade")[year])
            b = float(_series(dep, "rus_share_of_chn_trade")[year])
            out.update(asym_year=pd.Timestamp(year).year, asym_chn=a, asym_rus=b, asym_ratio=a / b)
    money = yuan_shares(ds.yuan_settlements, start=period.start, end=period.end)
    for key in ("cny_share_rus_exports", "cny_share_rus_imports", "cny_share_moex_fx"):
        _ends(_series(money, key), key, out, fmt="%B %Y")
    return out
