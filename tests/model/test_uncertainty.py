"""Tests of analysis.model.uncertainty: the draws recombine as the composite does (hand-computed
on tiny frames), are seeded, and the band/probability rules read them as stated."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.model.composite import composite_from_normalised, normalise
from analysis.model.uncertainty import (
    QUANTILES,
    Resampling,
    bands,
    chain_linked,
    draw_composites,
    normalise_draws,
    prob_greater,
)

YEARS = pd.Index([2000, 2001, 2002], name="year")
W = {"a": 0.75, "b": 0.25}


def tiny() -> pd.DataFrame:
    return pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [4.0, 2.0, 0.0]}, index=YEARS)


def test_recombination_by_hand_without_noise():
    # a → 0, .5, 1; b → 1, .5, 0; .75·a + .25·b = .25, .5, .75; −9 + 18·that = −4.5, 0, 4.5
    out = draw_composites(tiny(), weights=W, n_draws=3, concentration=math.inf)
    assert out.shape == (3, 3) and list(out.columns) == list(YEARS)
    for _, row in out.iterrows():
        assert row.tolist() == pytest.approx([-4.5, 0.0, 4.5])


def test_min_components_rule_kept():
    raw = tiny()
    raw.loc[2002, "a"] = np.nan  # 2002 has one of two components: below min(4, 2) = 2
    out = draw_composites(raw, weights=W, n_draws=2, concentration=math.inf)
    assert out[2002].isna().all()
    # 2000: a → 0, b → 1 → .75·0 + .25·1 = .25 → −4.5 (a's span is 0..1 over 2000–01)
    assert out[2000].tolist() == pytest.approx([-4.5, -4.5])


def test_no_noise_reproduces_the_composite_on_random_tables():
    rng = np.random.default_rng(1)
    raw = pd.DataFrame(rng.normal(size=(12, 5)), columns=list("vwxyz"))
    raw.iloc[:3, 0] = np.nan
    raw.iloc[5, 1:4] = np.nan
    weights = {"v": 0.3, "w": 0.2, "x": 0.2, "y": 0.2, "z": 0.1}
    expected = composite_from_normalised(normalise(raw), weights)["composite"]
    for renorm in (False, True):
        out = draw_composites(
            raw, weights=weights, n_draws=2, concentration=math.inf, renormalise=renorm
        )
        np.testing.assert_allclose(out.iloc[1].to_numpy(), expected.to_numpy(), equal_nan=True)


def test_weight_draws_are_dirichlet_around_the_defaults():
    out = draw_composites(tiny(), weights=W, n_draws=4000, seed=3)
    # composite 2000 = −9 + 18·w_b (a at 0, b at 1): its mean is −9 + 18·.25 = −4.5
    assert out[2000].mean() == pytest.approx(-4.5, abs=0.1)
    # Var(w_b) = .25·.75 / (20 + 1): sd of the composite = 18·√that ≈ 1.70
    assert out[2000].std() == pytest.approx(18 * math.sqrt(0.25 * 0.75 / 21), rel=0.08)


def test_seeded_and_reproducible():
    spec = {"a": Resampling("poisson")}
    one = draw_composites(tiny() + 3, weights=W, n_draws=50, seed=7, resample=spec)
    two = draw_composites(tiny() + 3, weights=W, n_draws=50, seed=7, resample=spec)
    other = draw_composites(tiny() + 3, weights=W, n_draws=50, seed=8, resample=spec)
    pd.testing.assert_frame_equal(one, two)
    assert not one.equals(other)


def test_resampling_methods():
    rng = np.random.default_rng(0)
    x = np.array([4.0, np.nan, 0.0])
    pois = Resampling("poisson").draw(rng, x, 20000, YEARS)
    assert np.isnan(pois[:, 1]).all() and (pois[:, 2] == 0).all()
    assert pois[:, 0].mean() == pytest.approx(4, rel=0.03)
    assert pois[:, 0].var() == pytest.approx(4, rel=0.08)
    n = pd.Series([100, 50, 0], index=YEARS)
    share = Resampling("share", n).draw(rng, np.array([0.8, 0.5, 0.3]), 20000, YEARS)
    assert share[:, 0].std() == pytest.approx(math.sqrt(0.8 * 0.2 / 100), rel=0.05)
    assert (share[:, 2] == 0.3).all()  # no n: left undrawn
    net = Resampling("net", n).draw(rng, np.array([0.6, -1.0, 0.0]), 20000, YEARS)
    # r = 2k/n − 1, k ~ Bin(n, .8): sd = 2·√(.8·.2/100) = .08
    assert net[:, 0].mean() == pytest.approx(0.6, abs=0.005)
    assert net[:, 0].std() == pytest.approx(0.08, rel=0.05)
    assert (net[:, 1] == -1).all()
    with pytest.raises(ValueError):
        Resampling("share")


def test_fixed_scale_lets_draws_leave_the_record():
    values = np.array([[[0.0], [2.0], [4.0]]])  # one draw; observed range 0..2
    out = normalise_draws(values, observed=np.array([[0.0], [1.0], [2.0]]))
    assert out.ravel().tolist() == [0.0, 1.0, 2.0]
    assert normalise_draws(values).ravel().tolist() == [0.0, 0.5, 1.0]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(5, 60))
def test_bands_nested(seed, n):
    rng = np.random.default_rng(seed)
    draws = pd.DataFrame(
        rng.normal(size=(n, 4)) * rng.uniform(0.1, 5), columns=YEARS.append(pd.Index([2003]))
    )
    b = bands(draws)
    assert list(b.columns) == list(QUANTILES)
    cols = list(QUANTILES)
    for lo, hi in itertools.pairwise(cols):
        assert (b[lo] <= b[hi] + 1e-12).all()


def test_prob_greater():
    draws = pd.DataFrame({2000: [0.0, 1.0, 2.0, 3.0], 2001: [1.0, 1.0, 1.0, 1.0]})
    assert prob_greater(draws, 2000, 2000) == 0.5  # against itself: all ties
    # 2000 > 2001 in draws 2, 3; tie in draw 1 → (2 + .5) / 4
    assert prob_greater(draws, 2000, 2001) == pytest.approx(0.625)
    up = pd.DataFrame({1: np.zeros(10), 2: np.arange(1.0, 11.0)})
    assert prob_greater(up, 2, 1) == 1.0 and prob_greater(up, 1, 2) == 0.0
    gap = pd.DataFrame({1: [np.nan, np.nan], 2: [1.0, 2.0]})
    assert math.isnan(prob_greater(gap, 1, 2))


# ---- chain-linking ---------------------------------------------------------------------------


def test_chain_link_a_component_entering():
    # a, b, d, e present throughout (weights .1875 each, .75 in all), c (.25) enters in 2002 at
    # its minimum. Normalised: a = b = d = e: 0, .5, 1, 1; c: —, —, 0 (2002), 1 (2003)
    same4 = [0.0, 0.5, 1.0, 1.0]
    norm = pd.DataFrame(
        {"a": same4, "b": same4, "d": same4, "e": same4, "c": [np.nan, np.nan, 0.0, 1.0]},
        index=pd.Index([2000, 2001, 2002, 2003], name="year"),
    )
    w = {"a": 0.1875, "b": 0.1875, "d": 0.1875, "e": 0.1875, "c": 0.25}
    plain = composite_from_normalised(norm, w)["composite"]
    # plain: 2000 −9; 2001 0; 2002 −9 + 18·(.75/1) = 4.5 (c drags it from 9); 2003 9
    assert plain.tolist() == pytest.approx([-9.0, 0.0, 4.5, 9.0])
    chain = chain_linked(norm, w, anchor=2003)
    # changes from the components present in both years: 2001 +9, 2002 +9 (a, b, d, e:
    # .5 → 1), 2003: all five, 4.5 → 9 = +4.5. Anchored at 2003 = 9: 9 − 4.5 − 9 − 9
    assert chain.tolist() == pytest.approx([-13.5, -4.5, 4.5, 9.0])
    # anchored at the start instead: −9, 0, 9, 13.5 (the entry no longer pulls 2002 down)
    assert chain_linked(norm, w, anchor=2000).tolist() == pytest.approx([-9.0, 0.0, 9.0, 13.5])
    # no component enters or leaves: the chain is the plain composite
    full = norm[["a", "b", "d", "e"]].copy()
    full["a"] = [0.2, 0.4, 0.0, 1.0]
    w4 = {"a": 0.4, "b": 0.2, "d": 0.2, "e": 0.2}
    same = chain_linked(full, w4)
    expected = composite_from_normalised(full, w4)["composite"]
    assert same.tolist() == pytest.approx(expected.tolist())


def test_chain_link_restarts_after_a_gap():
    col = [0.0, np.nan, 1.0]
    norm = pd.DataFrame({"a": col, "b": col, "c": col, "d": col}, index=pd.Index([1, 2, 3]))
    out = chain_linked(norm, {"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0})
    assert out.iloc[0] == -9.0 and math.isnan(out.iloc[1]) and out.iloc[2] == 9.0


def test_chained_draws_without_noise_are_the_chain_linked_composite():
    rng = np.random.default_rng(2)
    raw = pd.DataFrame(rng.normal(size=(10, 5)), columns=list("vwxyz"))
    raw.iloc[:4, 4] = np.nan  # z enters in period 4
    weights = dict.fromkeys(raw.columns, 0.2)
    out = draw_composites(raw, weights=weights, n_draws=2, concentration=math.inf, chain=True)
    expected = chain_linked(normalise(raw), weights)
    np.testing.assert_allclose(out.iloc[0].to_numpy(), expected.to_numpy())
