"""Tests of analysis.indicators.events: Goldstein scores, QuadClass shares, net cooperation.

Every expectation is computed by hand on a frame built here; the arithmetic is in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.indicators import (
    IndicatorError,
    attach_goldstein,
    event_scores,
    rolling_event_scores,
    significant_events,
)

PROPERTY = settings(max_examples=50, deadline=None)

#: A tiny CAMEO lookup: code, Goldstein weight, QuadClass.
CAMEO = pd.DataFrame(
    {
        "cameo_code": ["042", "057", "111", "190"],
        "goldstein": [1.9, 8.0, -2.0, -10.0],
        "quad_class": [1, 2, 3, 4],
    }
)


def coded(rows: list[tuple[str, str]]) -> pd.DataFrame:
    events = pd.DataFrame(
        {"date": pd.to_datetime([r[0] for r in rows]), "cameo_code": [r[1] for r in rows]}
    )
    return attach_goldstein(events, CAMEO)


EVENTS = [
    ("2020-01-15", "042"),  # QuadClass 1, +1.9
    ("2020-01-20", "057"),  # QuadClass 2, +8.0
    ("2020-03-03", "111"),  # QuadClass 3, −2.0
    # 2021: no event
    ("2022-05-05", "190"),  # QuadClass 4, −10.0
    ("2022-06-06", "042"),  # QuadClass 1, +1.9
]


def by_period(frame: pd.DataFrame, indicator: str, column: str = "value", fmt: str = "%Y"):
    rows = frame[frame["indicator"] == indicator]
    return {p.strftime(fmt): float(v) for p, v in zip(rows["period"], rows[column], strict=True)}


def test_attach_goldstein_adds_weight_and_class_from_table():
    events = pd.DataFrame(
        {"date": pd.to_datetime(["2020-01-01"]), "cameo_code": ["057"], "goldstein": [99.0]}
    )
    out = attach_goldstein(events, CAMEO)
    assert out["goldstein"].tolist() == [8.0]  # a typed weight is replaced by the table's
    assert out["quad_class"].tolist() == [2]


def test_attach_goldstein_refuses_unknown_code():
    events = pd.DataFrame({"date": pd.to_datetime(["2020-01-01"]), "cameo_code": ["999"]})
    with pytest.raises(IndicatorError, match=r"\['999'\].*fix the events' cameo_code"):
        attach_goldstein(events, CAMEO)


def test_event_scores_per_year():
    out = event_scores(coded(EVENTS))
    # 2020: N 3, Σ = 1.9 + 8 − 2 = 7.9, mean 7.9/3; one event each of Q1, Q2, Q3;
    #       net = (coop 2 − conflict 1)/3 = 1/3
    # 2021: N 0 -> sum 0, every ratio NaN
    # 2022: N 2, Σ = −10 + 1.9 = −8.1, mean −4.05; Q1 1/2, Q4 1/2; net = (1 − 1)/2 = 0
    assert by_period(out, "event_count") == {"2020": 3, "2021": 0, "2022": 2}
    assert by_period(out, "goldstein_sum") == pytest.approx({"2020": 7.9, "2021": 0, "2022": -8.1})
    mean = by_period(out, "goldstein_mean")
    assert mean["2020"] == pytest.approx(7.9 / 3) and mean["2022"] == pytest.approx(-4.05)
    assert math.isnan(mean["2021"])
    net = by_period(out, "net_cooperation")
    assert net["2020"] == pytest.approx(1 / 3) and net["2022"] == 0.0 and math.isnan(net["2021"])
    assert by_period(out, "share_verbal_cooperation")["2022"] == 0.5
    assert by_period(out, "share_material_cooperation")["2020"] == pytest.approx(1 / 3)
    assert by_period(out, "share_verbal_conflict")["2020"] == pytest.approx(1 / 3)
    assert by_period(out, "share_material_conflict")["2022"] == 0.5
    assert by_period(out, "net_cooperation", "n") == {"2020": 3, "2021": 0, "2022": 2}


def test_quad_shares_sum_to_one_where_there_are_events():
    out = event_scores(coded(EVENTS))
    shares = (
        out[out["indicator"].str.startswith("share_")].groupby("period")["value"].sum(min_count=1)
    )
    assert shares.dropna().tolist() == pytest.approx([1.0, 1.0])


def test_event_scores_per_month():
    out = event_scores(coded(EVENTS), freq="MS", start="2020-01-01", end="2020-03-31")
    # Jan: 1.9 + 8 -> Σ 9.9, mean 4.95, net (2 − 0)/2 = 1; Feb: none; Mar: −2, net −1
    assert by_period(out, "goldstein_sum", fmt="%m") == pytest.approx(
        {"01": 9.9, "02": 0, "03": -2.0}
    )
    net = by_period(out, "net_cooperation", fmt="%m")
    assert net["01"] == 1.0 and math.isnan(net["02"]) and net["03"] == -1.0


def test_no_conflictual_events():
    out = event_scores(coded([("2020-01-15", "042"), ("2020-02-01", "057")]))
    assert by_period(out, "net_cooperation") == {"2020": 1.0}  # (2 − 0)/2
    assert by_period(out, "share_verbal_conflict") == {"2020": 0.0}
    assert by_period(out, "share_material_conflict") == {"2020": 0.0}


def test_single_event():
    out = event_scores(coded([("2020-03-03", "111")]))
    assert by_period(out, "net_cooperation") == {"2020": -1.0}
    assert by_period(out, "goldstein_mean") == {"2020": -2.0}


def test_empty_range_and_no_events():
    out = event_scores(coded(EVENTS), start="2021-01-01", end="2021-12-31")
    assert by_period(out, "event_count") == {"2021": 0}
    assert by_period(out, "goldstein_sum") == {"2021": 0.0}
    ratios = out[~out["indicator"].isin(["event_count", "goldstein_sum"])]
    assert len(ratios) == 6 and ratios["value"].isna().all()  # mean, net, four shares
    assert event_scores(coded(EVENTS).iloc[:0]).empty
    assert rolling_event_scores(coded(EVENTS).iloc[:0]).empty


def test_rolling_scores_pool_events_and_look_back_before_start():
    out = rolling_event_scores(coded(EVENTS), window=3, start="2020-03-01", end="2020-04-30")
    # March window = Jan–Mar 2020 (before start): N 3, net (2 − 1)/3, mean 7.9/3
    # April window = Feb–Apr: only the March event: net −1, mean −2
    net = by_period(out, "net_cooperation_3m", fmt="%Y-%m")
    mean = by_period(out, "goldstein_mean_3m", fmt="%Y-%m")
    assert net == pytest.approx({"2020-03": 1 / 3, "2020-04": -1.0})
    assert mean == pytest.approx({"2020-03": 7.9 / 3, "2020-04": -2.0})
    assert by_period(out, "net_cooperation_3m", "n", fmt="%Y-%m") == {"2020-03": 3, "2020-04": 1}


def test_rolling_scores_nan_while_window_is_empty():
    out = rolling_event_scores(coded(EVENTS), window=2, start="2021-01-01", end="2021-02-28")
    assert out["value"].isna().all() and (out["n"] == 0).all()


def test_rolling_default_window_is_twelve_months():
    out = rolling_event_scores(coded(EVENTS), start="2020-12-01", end="2020-12-31")
    # Jan–Dec 2020: all three 2020 events, net 1/3
    assert by_period(out, "net_cooperation_12m", fmt="%Y-%m") == pytest.approx({"2020-12": 1 / 3})


def test_rolling_window_with_mid_month_start_covers_whole_months():
    """A window of 3 months for March 2020 spans January–March in full, whatever day start is.

    Fails at present: ``rolling_event_scores`` subtracts window−1 months from the *day* of
    ``start`` (2020-03-15 → 2020-01-15) and drops the events of 1–14 January, so the March value
    rests on 1 event instead of 2.
    """
    events = coded([("2020-01-05", "042"), ("2020-03-20", "111")])
    out = rolling_event_scores(events, window=3, start="2020-03-15", end="2020-03-31")
    # Jan–Mar: one cooperative, one conflictual -> N 2, net 0, mean (1.9 − 2)/2 = −0.05
    assert by_period(out, "net_cooperation_3m", "n", fmt="%Y-%m") == {"2020-03": 2}
    assert by_period(out, "net_cooperation_3m", fmt="%Y-%m") == {"2020-03": 0.0}


def test_significant_events_order_and_limit():
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01", "2021-01-01"]),
            "significance": [1, 3, 3, 3],
            "description": ["a", "b", "c", "d"],
        }
    )
    out = significant_events(events, end="2020-12-31", limit=2)
    assert out["description"].tolist() == ["b", "c"]  # most significant, then oldest first


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_unknown_freq_and_bad_window():
    with pytest.raises(IndicatorError, match=r"use 'YS' .* or 'MS'"):
        event_scores(coded(EVENTS), freq="QS")
    with pytest.raises(IndicatorError, match="positive number of months"):
        rolling_event_scores(coded(EVENTS), window=0)


def test_missing_columns():
    with pytest.raises(IndicatorError, match="use attach_goldstein"):
        event_scores(coded(EVENTS).drop(columns="quad_class"))
    with pytest.raises(IndicatorError, match="needs the column"):
        attach_goldstein(pd.DataFrame({"date": pd.to_datetime(["2020-01-01"])}), CAMEO)
    with pytest.raises(IndicatorError, match="needs the column"):
        attach_goldstein(coded(EVENTS)[["date", "cameo_code"]], CAMEO.drop(columns="goldstein"))


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

RANDOM_EVENTS = st.lists(
    st.tuples(
        st.dates(
            min_value=pd.Timestamp("2018-01-01").date(), max_value=pd.Timestamp("2020-12-31").date()
        ),
        st.sampled_from(list(CAMEO["cameo_code"])),
    ),
    min_size=1,
    max_size=40,
)


@PROPERTY
@given(rows=RANDOM_EVENTS)
def test_net_cooperation_and_shares_in_range(rows):
    events = coded([(d.isoformat(), c) for d, c in rows])
    out = event_scores(events, freq="MS")
    net = out.loc[out["indicator"] == "net_cooperation", "value"].dropna()
    assert ((net >= -1) & (net <= 1)).all()
    shares = out[out["indicator"].str.startswith("share_")]
    assert shares["value"].dropna().between(0, 1).all()
    mean = out.loc[out["indicator"] == "goldstein_mean", "value"].dropna()
    assert mean.between(-10, 10).all()  # the Goldstein scale's bounds
    roll = rolling_event_scores(events, window=12)
    r = roll.loc[roll["indicator"] == "net_cooperation_12m", "value"].dropna()
    assert ((r >= -1 - 1e-12) & (r <= 1 + 1e-12)).all()


@settings(max_examples=30, deadline=None)  # two monthly computations a case: the slowest here
@given(rows=RANDOM_EVENTS, data=st.data())
def test_scores_do_not_depend_on_row_order(rows, data):
    events = coded([(d.isoformat(), c) for d, c in rows])
    order = data.draw(st.permutations(range(len(events))))
    shuffled = events.iloc[list(order)].reset_index(drop=True)
    a, b = event_scores(events), event_scores(shuffled)
    # sums of floats may differ in the last bit with the order of addition
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-12)
    pd.testing.assert_frame_equal(
        rolling_event_scores(events, start="2019-01-01"),
        rolling_event_scores(shuffled, start="2019-01-01"),
        check_exact=False,
        rtol=1e-9,
        atol=1e-12,
    )
    assert np.isfinite(a.loc[a["indicator"] == "event_count", "value"]).all()


def test_spread_key_events_takes_a_tier_whole_or_round_robin_across_bins():
    from analysis.indicators import spread_key_events

    dates = pd.to_datetime(
        ["2020-01-05", "2020-01-10", "2020-01-20", "2020-12-01", "2020-12-20", "2020-06-01"]
    )
    coded = pd.DataFrame(
        {
            "date": dates,
            "significance": [3, 3, 3, 3, 3, 1],
            "goldstein": [1.0, 8.0, -9.0, 2.0, 0.5, 10.0],
        }
    )
    # 4 rows, 2 bins: landmarks don't fit, so the best |Goldstein| of each bin, then the next
    out = spread_key_events(coded, start="2020-01-01", end="2020-12-31", limit=4, bins=2)
    assert out["goldstein"].tolist() == [8.0, -9.0, 2.0, 0.5]
    # room for all landmarks and one routine event
    out = spread_key_events(coded, start="2020-01-01", end="2020-12-31", limit=6, bins=2)
    assert len(out) == 6 and out["date"].is_monotonic_increasing


def test_spread_key_events_keeps_the_latest_landmarks_and_breaks_ties_by_recency():
    """Six landmarks of equal |Goldstein| in one bin and one later notable: with room for four,
    the three latest landmarks are always in; the fourth row is the next most recent landmark
    (a tie goes to the more recent), not the earliest."""
    from analysis.indicators import spread_key_events

    dates = pd.to_datetime(
        ["2020-01-05", "2020-02-05", "2020-03-05", "2020-04-05", "2020-05-05", "2020-06-05",
         "2020-12-01"]
    )  # fmt: skip
    coded = pd.DataFrame(
        {"date": dates, "significance": [3, 3, 3, 3, 3, 3, 2], "goldstein": [5.0] * 6 + [9.0]}
    )
    out = spread_key_events(coded, start="2020-01-01", end="2020-12-31", limit=4, bins=1)
    assert out["date"].dt.strftime("%m-%d").tolist() == ["03-05", "04-05", "05-05", "06-05"]
    # with the latest three forced in, a round-robin over two bins still reaches the other half
    out = spread_key_events(coded, start="2020-01-01", end="2020-12-31", limit=5, bins=2)
    assert "2020-01-05" not in out["date"].dt.strftime("%Y-%m-%d").tolist()
    assert len(out) == 5 and out["date"].max() == pd.Timestamp("2020-06-05")
    # no landmark forced in beyond the limit
    assert len(spread_key_events(coded, limit=2, bins=2)) == 2
