"""The triangle's datasets (us_events, us_designations, us_trade, unsc_us_votes): the rules their
sidecars and data/README.md state beyond the generic schema, key, coverage and source tests of
test_loader.py (which run on every dataset, these included)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import load, load_all


@pytest.fixture(scope="module")
def ds():
    return load_all()


def test_us_events_pairs_are_china_usa_or_ussr_russia_usa_and_codes_are_in_the_table(ds):
    ev = ds.us_events
    pairs = {frozenset((a, b)) for a, b in zip(ev["actor1"], ev["actor2"], strict=True)}
    assert pairs <= {frozenset(p) for p in (("CHN", "USA"), ("RUS", "USA"), ("SUN", "USA"))}
    assert set(ev["cameo_code"]) <= set(ds.cameo_goldstein["cameo_code"])
    sun = ev[(ev["actor1"] == "SUN") | (ev["actor2"] == "SUN")]
    rus = ev[(ev["actor1"] == "RUS") | (ev["actor2"] == "RUS")]
    assert (sun["date"] <= pd.Timestamp("1991-12-24")).all()
    assert (rus["date"] >= pd.Timestamp("1991-12-25")).all()
    # the frictions the issue names are in
    text = " ".join(ev["description"]).lower()
    for word in ("belgrade", "ep-3", "balloon", "tariff", "sanction"):
        assert word in text, word


def test_us_designations_one_scale_and_both_dyads_fall_from_their_1990s_framing(ds):
    des = ds.us_designations.sort_values("date")
    assert set(des["dyad"]) == {"CHN-USA", "RUS-USA"}
    assert des["level"].between(1, 5).all()
    for dyad in ("CHN-USA", "RUS-USA"):
        rows = des[des["dyad"] == dyad]
        assert rows["level"].iloc[0] > rows["level"].min()  # the level can fall


def test_us_trade_has_one_value_per_year_dyad_reporter_flow_and_no_derived_rows():
    trade = load("us_trade")
    assert not trade.duplicated(["year", "dyad", "reporter", "flow"]).any()
    assert (trade["value_usd"] > 1e8).all()  # written out in full, not in billions
    # a stated total is at least each stated flow of the same year, dyad and reporter
    wide = trade.pivot_table(
        index=["year", "dyad", "reporter"], columns="flow", values="value_usd", aggfunc="first"
    )
    both = wide.dropna(subset=["total"])
    for flow in ("exports_to_usa", "imports_from_usa"):
        rows = both.dropna(subset=[flow])
        assert (rows["total"] >= rows[flow]).all(), flow


def test_unsc_us_votes_join_the_veto_list_and_record_only_non_vetoing_members(ds):
    votes, vetoes = ds.unsc_us_votes, ds.unsc_vetoes
    keys = set(zip(vetoes["date"], vetoes["draft"], strict=True))
    assert set(zip(votes["date"], votes["draft"], strict=True)) <= keys
    for member, vetoed_by in zip(votes["member"], votes["vetoed_by"], strict=True):
        assert member not in vetoed_by.split(";")
    assert set(votes["vote"]) <= {"yes", "no", "abstain"}
