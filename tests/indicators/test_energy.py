"""Energy, dependence and money indicators on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.indicators import dependence_indicators, energy_indicators, yuan_shares


def _energy(rows):
    return pd.DataFrame(rows, columns=["year", "indicator", "value"])


def _value(tidy, indicator, year):
    rows = tidy[(tidy["indicator"] == indicator) & (tidy["period"].dt.year == year)]
    return None if rows.empty else float(rows["value"].iloc[0])


def test_crude_share_is_computed_only_where_both_volumes_exist():
    energy = _energy(
        [
            (2018, "crude_imports_from_rus_mt", 70.0),
            (2018, "crude_imports_total_mt", 350.0),
            (2019, "crude_imports_from_rus_mt", 80.0),  # no total: no computed share
            (2019, "crude_share_rus", 0.15),
        ]
    )
    out = energy_indicators(energy)
    assert _value(out, "crude_share_rus", 2018) == pytest.approx(0.2)
    assert _value(out, "crude_share_rus", 2019) is None
    assert _value(out, "crude_share_rus_stated", 2019) == 0.15
    assert _value(out, "crude_from_rus_mt", 2019) == 80.0


def test_a_year_counts_only_when_wholly_inside_the_range():
    energy = _energy([(2022, "pos_gas_bcm", 15.4), (2023, "pos_gas_bcm", 22.7)])
    out = energy_indicators(energy, start="2022-02-24", end="2023-12-31")
    assert list(out["period"].dt.year) == [2023]
    assert energy_indicators(energy, start="2023-01-01", end="2023-06-30").empty


def test_dependence_prefers_a_stated_share_and_computes_the_rest():
    dep = _energy(
        [
            (2017, "china_share_of_rus_trade", 0.147),
            (2017, "rus_total_trade_usd", 600e9),  # would compute 0.15: the stated share wins
            (2023, "rus_total_exports_usd", 400e9),
            (2023, "rus_total_imports_usd", 300e9),
            (2023, "chn_total_trade_usd", 6000e9),
        ]
    )
    trade = pd.DataFrame(
        {
            "year": [2017, 2023],
            "reporter": ["CHN", "CHN"],
            "flow": ["total", "total"],
            "value_usd": [90e9, 210e9],
        }
    )
    out = dependence_indicators(dep, trade)
    assert _value(out, "chn_share_of_rus_trade", 2017) == 0.147
    assert _value(out, "chn_share_of_rus_trade", 2023) == pytest.approx(0.3)  # 210 / (400 + 300)
    assert _value(out, "rus_share_of_chn_trade", 2023) == pytest.approx(0.035)
    assert set(out.loc[out["period"].dt.year == 2023, "n"]) == {2}


def test_yuan_shares_keep_monthly_values_and_drop_whole_years():
    yuan = pd.DataFrame(
        {
            "date": pd.to_datetime(["2023-12-31", "2023-12-31", "2024-01-31"]),
            "period": ["month", "year", "month"],
            "indicator": ["cny_share_moex_fx", "cny_share_moex_fx", "cny_share_moex_fx"],
            "value": [0.446, 0.42, 0.506],
        }
    )
    out = yuan_shares(yuan, start="2023-12-01")
    assert list(out["value"]) == [0.446, 0.506]
    assert list(out["period"].dt.month) == [12, 1]
