"""Tests of analysis.model.triangle: joint normalisation, the per-dyad composite, the weight
draws, the movement and shape rules, and a dyad without data. Tiny frames, hand-computed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.data import load_all
from analysis.model import triangle as T
from analysis.model.periods import Period

P = pd.Timestamp


def frame(values: dict, years=(2000, 2001, 2002)) -> pd.DataFrame:
    return pd.DataFrame(values, index=pd.Index(list(years), name="year"), dtype=float)


def test_joint_normalisation_uses_the_pooled_min_and_max_of_the_three_dyads():
    raw = {
        "CHN-RUS": frame({"a": [0, 2, 4], "b": [1, 1, 1]}),
        "CHN-USA": frame({"a": [8, np.nan, 6], "b": [1, 1, 1]}),
        "RUS-USA": frame({"a": [2, 2, 2], "b": [1, np.nan, 1]}),
    }
    norm = T.normalise_jointly(raw)
    # a: pooled min 0, max 8 -> x / 8 in every dyad (not each dyad's own min and max)
    assert norm["CHN-RUS"]["a"].tolist() == [0.0, 0.25, 0.5]
    assert norm["CHN-USA"]["a"].tolist()[0] == 1.0 and math.isnan(norm["CHN-USA"]["a"].iloc[1])
    assert norm["CHN-USA"]["a"].iloc[2] == 0.75
    assert norm["RUS-USA"]["a"].tolist() == [0.25, 0.25, 0.25]  # constant here, not 0.5
    # b is constant over the pool: 0.5 where present, NaN where missing
    assert norm["RUS-USA"]["b"].iloc[0] == 0.5 and math.isnan(norm["RUS-USA"]["b"].iloc[1])
    assert list(norm["CHN-USA"].index) == [2000, 2001, 2002]


def test_the_composite_per_dyad_is_built_as_composite_py_does():
    raw = {
        "CHN-RUS": frame({"a": [0, 8], "b": [0, 4]}, years=(2000, 2001)),
        "CHN-USA": frame({"a": [4, 2], "b": [2, np.nan]}, years=(2000, 2001)),
        "RUS-USA": frame({"a": [8, 0], "b": [4, 0]}, years=(2000, 2001)),
    }
    res = T.triangle_from_raw(raw, {"a": 3.0, "b": 1.0}, n_draws=50)
    # CHN-USA 2000: a = 4/8 = 0.5, b = 2/4 = 0.5 -> mean 0.5 -> −9 + 18·0.5 = 0
    assert res.index["CHN-USA"].loc[2000, "composite"] == pytest.approx(0.0)
    # CHN-USA 2001: only a present (2/8 = 0.25) -> 2 components needed (min(4, 2)) -> blank
    assert math.isnan(res.index["CHN-USA"].loc[2001, "composite"])
    # CHN-RUS 2001: a = 1, b = 1 -> +9; RUS-USA 2001: both 0 -> −9
    assert res.index["CHN-RUS"].loc[2001, "composite"] == pytest.approx(9.0)
    assert res.index["RUS-USA"].loc[2001, "composite"] == pytest.approx(-9.0)
    # weights: (3·0.25·… ) RUS-USA 2000 both 1 -> +9 whatever the weights, in every draw
    assert np.allclose(res.draws["RUS-USA"][2000], 9.0)
    assert res.draws["CHN-USA"][2001].isna().all()


def test_a_component_sparse_in_one_dyad_is_left_out():
    years = tuple(range(2000, 2010))
    dense = list(range(10))
    sparse = [1.0] * 4 + [np.nan] * 6  # 40 % of the years < MIN_YEAR_SHARE
    raw = {
        "CHN-RUS": frame({"a": dense, "b": dense, "t": dense}, years),
        "CHN-USA": frame({"a": dense, "b": dense, "t": sparse}, years),
        "RUS-USA": frame({"a": dense, "b": dense, "t": dense}, years),
    }
    assert T.dense_components(raw) == ["a", "b"]


def test_real_triangle_leaves_out_the_china_russia_only_and_sparse_components():
    res = T.triangle_index(load_all())
    keys = set(res.weights)
    assert {c.key for c in T.LEFT_OUT} == {"joint_vetoes_3y", "military_activities"}
    assert not keys & {c.key for c in T.LEFT_OUT}
    assert "log_trade" not in keys  # the cited US-dyad trade series cover 7-8 years
    assert keys == {"partnership_level", "leader_meetings", "net_cooperation", "unga_agreement"}
    for d in T.DYADS:
        values = res.series(d)
        assert len(values) > 10 and values.between(-9, 9).all()
    # joint scale: the extreme values of each normalised component are spread over the dyads
    pooled = pd.concat(res.normalised)
    assert (pooled.min() == 0).all() and (pooled.max() == 1).all()


def test_draws_use_the_pooled_scale_and_collapse_to_the_point_composite_without_noise():
    raw = {
        "CHN-RUS": frame({"a": [0, 8, 4], "b": [0, 4, 4]}),
        "CHN-USA": frame({"a": [4, 2, 2], "b": [2, 0, np.nan]}),
        "RUS-USA": frame({"a": [2, 2, 2], "b": [1, 1, 1]}),
    }
    res = T.triangle_from_raw(raw, {"a": 1.0, "b": 1.0}, n_draws=20, concentration=np.inf)
    for d in T.DYADS:
        point = res.index[d]["composite"]
        assert np.allclose(res.draws[d].iloc[0], point, equal_nan=True), d
    # RUS-USA 2000: a = 2/8, b = 1/4 -> 0.25 -> −9 + 18·0.25 = −4.5 (its own scale would say 0)
    assert res.draws["RUS-USA"][2000].iloc[0] == pytest.approx(-4.5)
    assert res.draws["CHN-USA"][2002].isna().all()  # one component of two: blank
    band = T.band_of(res.draws["RUS-USA"])
    assert band.loc[2000, "low"] == pytest.approx(-4.5) == band.loc[2000, "high"]
    # with Dirichlet weights the three dyads share each draw's weights: CHN-RUS 2001 (both 1)
    # stays +9 in every draw, and CHN-USA 2000 (0.5, 0.5) stays 0
    res = T.triangle_from_raw(raw, {"a": 1.0, "b": 1.0}, n_draws=200)
    assert np.allclose(res.draws["CHN-RUS"][2001], 9.0)
    assert np.allclose(res.draws["CHN-USA"][2000], 0.0)
    assert res.draws["CHN-USA"][2001].std() > 0  # a = 0.25, b = 0: the weights matter


def test_real_draws_resample_counts_and_shares_per_dyad():
    ds = load_all()
    res = T.triangle_index(ds)
    spec = T.resampling(ds, res.raw)
    assert spec["leader_meetings"].method == "poisson"
    assert spec["unga_agreement"].method == "share" and spec["net_cooperation"].method == "net"
    assert spec["unga_agreement"].n.index.names == ["dyad", "year"]
    assert set(spec["unga_agreement"].n.index.get_level_values("dyad")) == set(T.DYADS)
    for d in T.DYADS:
        assert res.draws[d].shape == (T.N_DRAWS, len(res.raw[d]))


def test_theil_sen_slope_of_each_draw():
    draws = pd.DataFrame([[0.0, 1.0, 2.0], [3.0, 0.0, 3.0]], columns=[2000, 2001, 2002])
    # row 1: pairwise slopes 1, 1, 1 -> 1; row 2: −3, 0, +3 -> median 0
    assert T.theil_sen_slopes(draws).tolist() == [1.0, 0.0]


def _result(series: dict[str, list[float]], years) -> T.TriangleResult:
    raw = {d: frame({"a": v, "b": v}, years) for d, v in series.items()}
    return T.triangle_from_raw(raw, {"a": 1.0, "b": 1.0}, n_draws=200)


YEARS = tuple(range(2000, 2010))


def test_movement_and_shape_rules_on_a_made_up_triangle():
    res = _result(
        {
            "CHN-RUS": list(range(10)),  # rising
            "CHN-USA": list(range(10, 0, -1)),  # falling
            "RUS-USA": [np.nan] * 3 + list(range(7, 0, -1)),  # falling, from 2003
        },
        YEARS,
    )
    period = Period(P("2000-01-01"), P("2009-12-31"))
    facts = T.triangle_facts(res, period)
    assert facts["CHN-RUS"]["verdict"] == "warmed" and facts["CHN-RUS"]["p_up"] == 1.0
    assert facts["CHN-USA"]["verdict"] == "cooled" and facts["RUS-USA"]["n"] == 7
    assert T.shape(facts) == "drew_together_against_usa"
    count, _ = T.us_dyads_cooled(res, period)
    assert count == 2
    # over 2003-2004 only two years: not measurable, so nothing moved
    short = T.triangle_facts(res, Period(P("2003-01-01"), P("2004-12-31")))
    assert {f["verdict"] for f in short.values()} == {"not measurable"}
    assert T.shape(short) == "unchanged"


def test_a_dyad_without_data_in_the_range_gives_no_data_not_an_error():
    res = _result(
        {
            "CHN-RUS": list(range(10)),
            "CHN-USA": [np.nan] * 6 + [1, 2, 3, 4],
            "RUS-USA": list(range(10)),
        },
        YEARS,
    )
    facts = T.triangle_facts(res, Period(P("2000-01-01"), P("2004-12-31")))
    assert facts["CHN-USA"] == {
        "dyad": "CHN-USA",
        "name": "China–USA",
        "n": 0,
        "verdict": "no data",
    }
    assert T.shape(facts) == "drew_together"  # CHN-RUS rose, RUS-USA rose: no US cooling
