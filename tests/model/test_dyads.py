"""Tests of analysis.model.dyads and Component.dyad_observe / for_dyad: one measure per dyad."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data import load_all
from analysis.model import components as C
from analysis.model import dyads as D
from analysis.model.composite import yearly_components
from analysis.model.triangle import dyad_components


@pytest.fixture(scope="module")
def ds():
    return load_all()


def test_us_trade_totals_prefer_the_stated_total_then_sum_one_reporters_flows():
    rows = pd.DataFrame(
        [
            (2001, "CHN-USA", "USA", "exports_to_usa", 10.0),
            (2001, "CHN-USA", "USA", "imports_from_usa", 5.0),  # 2001: 10 + 5
            (2002, "CHN-USA", "USA", "total", 20.0),
            (2002, "CHN-USA", "USA", "exports_to_usa", 1.0),  # the total wins: 20
            (2003, "CHN-USA", "USA", "exports_to_usa", 7.0),  # one flow only: no value
            (2003, "CHN-USA", "CHN", "total", 99.0),  # the other reporter, fewer years
            (2001, "RUS-USA", "USA", "total", 3.0),
        ],
        columns=["year", "dyad", "reporter", "flow", "value_usd"],
    )
    out = D.us_trade_totals(rows, "CHN-USA")
    assert out[["year", "value"]].values.tolist() == [[2001, 15.0], [2002, 20.0]]
    assert set(out["reporter"]) == {"USA"}  # never two reporters in one series
    assert D.us_trade_totals(rows, "RUS-USA")["value"].tolist() == [3.0]


def test_dyad_events_take_the_pair_from_us_events_with_sun_as_russia(ds):
    ru = D.dyad_events(ds, "RUS-USA")
    cu = D.dyad_events(ds, "CHN-USA")
    assert len(ru) + len(cu) == len(ds.us_events)
    assert set(ru["actor1"]) | set(ru["actor2"]) <= {"RUS", "SUN", "USA"}
    assert "SUN" in set(ru["actor1"]) | set(ru["actor2"])
    assert D.dyad_events(ds, "CHN-RUS") is ds.events
    with pytest.raises(ValueError, match="unknown dyad"):
        D.dyad_events(ds, "CHN-FRA")


def test_china_russia_ladder_is_put_on_the_shared_framing_scale(ds):
    f = D.framing(ds, "CHN-RUS")
    levels = dict(zip(ds.partnership_designations["level"], f["value"], strict=True))
    assert levels[1] == 3 and levels[2] == 4 and {levels[k] for k in range(3, 8)} == {5}
    us = D.framing(ds, "RUS-USA")
    assert us["value"].between(1, 5).all() and len(us) == 11


def test_for_dyad_swaps_observations_and_datasets_and_refuses_china_russia_only_components():
    leader = C.BY_KEY["leader_meetings"]
    assert C.for_dyad(leader, "CHN-USA").datasets == ("us_events",)
    assert C.for_dyad(leader, "CHN-RUS").datasets == ("events",)
    with pytest.raises(ValueError, match="China–Russia only"):
        C.for_dyad(C.BY_KEY["military_activities"], "CHN-USA")


def test_china_russia_through_the_dyad_path_equals_the_main_components(ds):
    main = yearly_components(ds)
    tri = dyad_components(ds, "CHN-RUS", main.index)
    for key in ("leader_meetings", "net_cooperation", "unga_agreement", "log_trade"):
        assert np.allclose(main[key], tri[key], equal_nan=True), key


def test_us_dyads_have_every_shared_component_somewhere(ds):
    for dyad in ("CHN-USA", "RUS-USA"):
        table = dyad_components(ds, dyad)
        assert table.notna().any().all(), dyad
        # the General Assembly pair share of the USA with China is far below China–Russia's
        assert table["unga_agreement"].mean() < 0.5
