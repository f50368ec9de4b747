"""Constant dollars with the CPI-U (analysis/indicators/prices.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.indicators import IndicatorError
from analysis.indicators.prices import constant_dollars

CPI = pd.DataFrame({"year": [2000, 2001, 2002], "cpi_u": [100.0, 110.0, 125.0]})


def test_hand_computed_in_dollars_of_the_last_common_year():
    values = pd.Series([10.0, 11.0, 20.0], index=[2000, 2001, 2002])
    real = constant_dollars(values, CPI)
    assert real.tolist() == pytest.approx([12.5, 12.5, 20.0])


def test_explicit_base_and_a_year_without_cpi():
    values = pd.Series([10.0, 5.0], index=[2000, 2003])
    real = constant_dollars(values, CPI, base_year=2001)
    assert real[2000] == pytest.approx(11.0) and math.isnan(real[2003])


def test_unknown_base_year_says_what_is_covered():
    with pytest.raises(IndicatorError, match="covers 2000–2002"):
        constant_dollars(pd.Series([1.0], index=[2000]), CPI, base_year=1999)


def test_real_trade_on_the_bundled_data():
    from analysis.data import load
    from analysis.indicators import trade_indicators

    trade = trade_indicators(load("trade"))
    total = trade[trade["indicator"] == "trade_total"].set_index("period")["value"]
    total.index = total.index.year
    real = constant_dollars(total, load("us_cpi"), base_year=2025)
    # a 2015 dollar is worth more 2025 dollars: real > nominal before the base year
    assert real[2015] > total[2015] and real[2025] == pytest.approx(total[2025])


def test_the_economic_metrics_give_growth_in_constant_dollars():
    from analysis.data import load_all
    from analysis.model.periods import Period
    from analysis.sections import economic

    ds = load_all()
    period = Period(pd.Timestamp("2012-01-01"), pd.Timestamp("2022-12-31"))
    eco = economic.metrics(ds, period, None)
    cpi = ds.us_cpi.set_index("year")["cpi_u"]
    real_first = eco["first_value"] * cpi[2022] / cpi[2012]
    assert eco["real_first_value"] == pytest.approx(real_first)
    assert eco["cagr_real"] == pytest.approx((eco["last_value"] / real_first) ** 0.1 - 1)
    assert eco["cagr_real"] < eco["cagr"]  # prices rose over 2012–2022
