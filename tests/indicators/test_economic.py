"""Tests of analysis.indicators.economic: trade total, flows, balance, growth and CAGR.

Every expectation is computed by hand on a frame built here; the arithmetic is in the comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.indicators import IndicatorError, cagr, trade_cagr, trade_indicators

PROPERTY = settings(max_examples=50, deadline=None)
B = 1e9

#: year, reporter, flow, value (US dollars)
TRADE = [
    (2018, "CHN", "total", 100 * B),
    (2018, "CHN", "chn_exports_to_rus", 60 * B),
    (2018, "CHN", "chn_imports_from_rus", 40 * B),
    (2019, "CHN", "chn_exports_to_rus", 70 * B),  # no total: derived from the two flows
    (2019, "CHN", "chn_imports_from_rus", 50 * B),
    # 2020: no row
    (2021, "CHN", "total", 150 * B),
    (2022, "CHN", "total", 180 * B),
    (2023, "CHN", "chn_exports_to_rus", 80 * B),  # one flow only: no total
    (2019, "RUS", "total", 999 * B),  # another reporter: never mixed in
]


def trade_frame(rows=TRADE) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "reporter", "flow", "value_usd"])
    frame["year"] = frame["year"].astype("Int64")
    return frame


def by_year(frame: pd.DataFrame, indicator: str, column: str = "value") -> dict[int, float]:
    rows = frame[frame["indicator"] == indicator]
    return {int(p.year): float(v) for p, v in zip(rows["period"], rows[column], strict=True)}


def nan_or(d: dict[int, float]) -> dict[int, float | str]:
    """NaN as the string 'nan' so that dicts compare."""
    return {k: "nan" if math.isnan(v) else v for k, v in d.items()}


def test_trade_indicators():
    out = trade_indicators(trade_frame())
    # total: 2018 reported 100; 2019 derived 70 + 50 = 120 (n 2); 2020 none; 2021 150; 2022 180;
    #        2023 only exports -> no total
    assert nan_or(by_year(out, "trade_total")) == {
        2018: 100 * B,
        2019: 120 * B,
        2020: "nan",
        2021: 150 * B,
        2022: 180 * B,
        2023: "nan",
    }
    assert by_year(out, "trade_total", "n") == {
        2018: 1,
        2019: 2,
        2020: 0,
        2021: 1,
        2022: 1,
        2023: 0,
    }
    # balance = exports − imports: 2018 60 − 40 = 20; 2019 70 − 50 = 20
    balance = by_year(out, "trade_balance")
    assert balance[2018] == 20 * B and balance[2019] == 20 * B and math.isnan(balance[2021])
    # growth = total(t)/total(t−1) − 1: 2019 120/100 − 1 = .2; 2021 (2020 missing) NaN; 2022 .2
    growth = by_year(out, "trade_growth")
    assert growth[2019] == pytest.approx(0.2) and growth[2022] == pytest.approx(0.2)
    assert math.isnan(growth[2018]) and math.isnan(growth[2021]) and math.isnan(growth[2020])
    assert by_year(out, "trade_exports")[2023] == 80 * B
    assert by_year(out, "trade_imports", "n")[2023] == 0


def test_reported_total_wins_over_the_sum_of_flows():
    rows = [
        (2018, "CHN", "total", 101 * B),
        (2018, "CHN", "chn_exports_to_rus", 60 * B),
        (2018, "CHN", "chn_imports_from_rus", 40 * B),
    ]
    out = trade_indicators(trade_frame(rows))
    assert by_year(out, "trade_total") == {2018: 101 * B}  # not 100
    assert by_year(out, "trade_total", "n") == {2018: 1}


def test_growth_uses_the_year_before_the_range():
    out = trade_indicators(trade_frame(), start="2019-01-01", end="2019-12-31")
    assert by_year(out, "trade_growth") == pytest.approx({2019: 0.2})  # 120 / 100 − 1
    assert set(by_year(out, "trade_total")) == {2019}


def test_other_reporter_is_kept_apart():
    out = trade_indicators(trade_frame(), reporter="RUS")
    assert by_year(out, "trade_total") == {2019: 999 * B}


def test_empty_range_gives_nan_years():
    out = trade_indicators(trade_frame(), start="2020-01-01", end="2020-12-31")
    assert len(out) == 5 and out["value"].isna().all() and (out["n"] == 0).all()


def test_single_data_point():
    out = trade_indicators(trade_frame([(2018, "CHN", "total", 100 * B)]))
    assert by_year(out, "trade_total") == {2018: 100 * B}
    assert math.isnan(by_year(out, "trade_growth")[2018])
    assert math.isnan(trade_cagr(trade_frame([(2018, "CHN", "total", 100 * B)]))["cagr"])


def test_cagr_formula():
    series = pd.Series({2018: 100.0, 2019: None, 2022: 180.0})
    # (180 / 100) ** (1 / (2022 − 2018)) − 1 = 1.8 ** 0.25 − 1
    assert cagr(series) == pytest.approx(1.8**0.25 - 1)
    assert cagr(pd.Series({2010: 50.0, 2012: 200.0})) == pytest.approx(1.0)  # ×4 in 2 years
    assert math.isnan(cagr(pd.Series({2018: 100.0})))
    assert math.isnan(cagr(pd.Series({2018: 0.0, 2019: 10.0})))  # a zero cannot be a base


def test_trade_cagr():
    got = trade_cagr(trade_frame(), start="2018-01-01", end="2022-12-31")
    # totals 2018 100, 2019 120, 2021 150, 2022 180 -> CAGR 1.8 ** (1/4) − 1, multiple 1.8
    assert got["first_year"] == 2018 and got["last_year"] == 2022
    assert got["first_value"] == 100 * B and got["last_value"] == 180 * B
    assert got["multiple"] == pytest.approx(1.8)
    assert got["cagr"] == pytest.approx(1.8**0.25 - 1)  # ≈ 0.1583


def test_trade_cagr_empty_range():
    got = trade_cagr(trade_frame(), start="2020-01-01", end="2020-12-31")
    assert got["first_year"] is None and math.isnan(got["cagr"]) and math.isnan(got["multiple"])


def test_unknown_reporter_names_the_known_ones():
    with pytest.raises(IndicatorError, match=r"reporters: \['CHN', 'RUS'\]"):
        trade_indicators(trade_frame(), reporter="IMF")


def test_no_trade_yet_is_an_empty_record_not_an_error():
    # a vintage before the first trade year holds no row at all (#27: as-of 1990 crashed)
    got = trade_indicators(trade_frame().iloc[0:0], start="1990-01-01", end="1990-12-31")
    assert got["value"].isna().all() and (got["n"] == 0).all()


def test_missing_columns():
    with pytest.raises(IndicatorError, match=r"\['flow'\].*analysis.data.load"):
        trade_indicators(trade_frame().drop(columns="flow"))


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@PROPERTY
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=2010, max_value=2016),
            st.sampled_from(["CHN", "RUS"]),
            st.sampled_from(["total", "chn_exports_to_rus", "chn_imports_from_rus"]),
            st.floats(min_value=1e6, max_value=1e12),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda r: r[:3],
    ).filter(lambda rows: any(r[1] == "CHN" for r in rows)),
    data=st.data(),
)
def test_trade_does_not_depend_on_row_order(rows, data):
    frame = trade_frame(rows)
    order = data.draw(st.permutations(range(len(frame))))
    shuffled = frame.iloc[list(order)].reset_index(drop=True)
    a = trade_indicators(frame)
    pd.testing.assert_frame_equal(a, trade_indicators(shuffled))
    total = by_year(a, "trade_total")
    exports, imports = by_year(a, "trade_exports"), by_year(a, "trade_imports")
    n = by_year(a, "trade_total", "n")
    for y, v in total.items():  # n = 2 exactly where the total is exports + imports
        if n[y] == 2:
            assert v == pytest.approx(exports[y] + imports[y])


def test_trade_monthly_differences_ytd_and_keeps_jan_feb_together():
    from analysis.indicators import trade_monthly_indicators

    rows = pd.DataFrame(
        {
            "year": [2022, 2022, 2022, 2022],
            "month_end": [2, 3, 4, 6],
            "period": ["ytd", "ytd", "ytd", "month"],
            "flow": ["total"] * 4,
            "value_usd": [20.0, 32.0, 45.0, 7.0],
        }
    )
    out = trade_monthly_indicators(rows)
    assert out["period"].dt.strftime("%Y-%m").tolist() == [
        "2022-01",
        "2022-03",
        "2022-04",
        "2022-06",
    ]
    assert out["value"].tolist() == [20.0, 12.0, 13.0, 7.0]  # Jan–Feb as published; 32 − 20; ...
    assert out["n"].tolist() == [2, 1, 1, 1]
    # only periods wholly inside the range: Jan–Feb ends 28 February, after 22 February
    inside = trade_monthly_indicators(rows, start="2022-01-01", end="2022-02-22")
    assert inside.empty
    assert trade_monthly_indicators(rows, start="2022-02-24", end="2022-04-30")[
        "value"
    ].tolist() == [
        12.0,
        13.0,
    ]
