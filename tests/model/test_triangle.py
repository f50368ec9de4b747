"""Tests of the composite of the three dyads (analysis.model.composite's joint normalisation and
draws) and of analysis.model.triangle's movement and shape rules. Tiny frames, hand-computed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.data import load_all
from analysis.model import triangle as T
from analysis.model.composite import measure_dyads, measure_from_raw, normalise_jointly
from analysis.model.dyads import DYADS
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
    norm = normalise_jointly(raw, {})
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
    res = measure_from_raw(raw, {"a": 3.0, "b": 1.0}, n_draws=50)
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


def test_a_cooler_is_higher_component_is_turned_round_in_the_pool():
    from analysis.model.composite import normalise

    raw = pd.DataFrame({"ideal_point_distance": [0.5, 1.5, 4.5]})
    assert normalise(raw)["ideal_point_distance"].tolist() == [1.0, 0.75, 0.0]


def test_real_composite_measures_every_component_for_every_dyad_on_one_scale():
    res = measure_dyads(load_all())
    for d in DYADS:
        values = res.series(d)
        assert len(values) > 30 and values.between(-9, 9).all()
        assert res.raw[d].notna().any().all(), d
    # joint scale: the extreme values of each normalised component are spread over the dyads
    pooled = pd.concat(res.normalised)
    assert (pooled.min() == 0).all() and (pooled.max() == 1).all()


def test_draws_use_the_pooled_scale_and_collapse_to_the_point_composite_without_noise():
    raw = {
        "CHN-RUS": frame({"a": [0, 8, 4], "b": [0, 4, 4]}),
        "CHN-USA": frame({"a": [4, 2, 2], "b": [2, 0, np.nan]}),
        "RUS-USA": frame({"a": [2, 2, 2], "b": [1, 1, 1]}),
    }
    res = measure_from_raw(raw, {"a": 1.0, "b": 1.0}, n_draws=20, chain=False)
    from analysis.model import uncertainty as U

    res = type(res)(
        res.raw,
        res.normalised,
        res.index,
        res.weights,
        U.draw_measure(raw, res.weights, {}, n_draws=20, concentration=np.inf),
    )
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
    res = measure_from_raw(raw, {"a": 1.0, "b": 1.0}, n_draws=200, chain=False)
    assert np.allclose(res.draws["CHN-RUS"][2001], 9.0)
    assert np.allclose(res.draws["CHN-USA"][2000], 0.0)
    assert res.draws["CHN-USA"][2001].std() > 0  # a = 0.25, b = 0: the weights matter


def test_real_draws_resample_counts_shares_and_kappa_per_dyad():
    from analysis.model import uncertainty as U

    ds = load_all()
    res = measure_dyads(ds)
    years = res.raw["CHN-USA"].index
    ends = pd.DatetimeIndex([P(f"{y}-12-31") for y in years])
    spec = U.resampling_for(ds, "CHN-USA", ends, index=years)
    assert spec["leader_contacts"].method == "poisson"
    assert spec["council_alignment"].method == "share"
    assert spec["vote_kappa"].method == "kappa" and (spec["vote_kappa"].se.dropna() > 0).all()
    assert "trade_share" not in spec and "official_framing" not in spec  # reported figures
    for d in DYADS:
        assert res.draws[d].shape == (U.N_DRAWS, len(res.raw[d]))


def _result(series: dict[str, list[float]], years):
    raw = {d: frame({"a": v, "b": v}, years) for d, v in series.items()}
    return measure_from_raw(raw, {"a": 1.0, "b": 1.0}, n_draws=200)


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


def test_a_small_move_the_draws_agree_on_is_held_steady_not_no_clear_move():
    res = _result(
        {
            "CHN-RUS": list(np.linspace(0, 0.1, 10)),  # a tiny, steady rise
            "CHN-USA": [0, 9, 0, 9, 0, 9, 0, 9, 0, 9],  # noise
            "RUS-USA": list(range(10)),
        },
        YEARS,
    )
    facts = T.triangle_facts(res, Period(P("2000-01-01"), P("2009-12-31")))
    assert facts["CHN-RUS"]["verdict"] == "held steady"
    assert facts["CHN-USA"]["verdict"] == "no clear move"
