"""Tests of analysis.model.artefacts: the composite without the designation ladder and the
chain-linked composite against the plain mean, on the bundled data."""

from __future__ import annotations

import pytest

from analysis.data import load_all
from analysis.model.artefacts import LADDER, artefacts, without
from analysis.model.composite import composite_index
from analysis.model.uncertainty import composite_draws


def test_without_drops_one_weight_and_keeps_the_others():
    assert without({"a": 0.2, "b": 0.3, "c": 0.5}, "b") == {"a": 0.2, "c": 0.5}


@pytest.fixture(scope="module")
def real():
    ds = load_all()
    result = composite_index(ds)
    return ds, result, artefacts(ds, result, composite_draws(ds, result.raw))


def test_the_headline_is_chain_linked_and_anchored_on_the_last_year(real):
    _, result, art = real
    series = result.series()
    last = series.index[-1]
    assert art.chained[last] == pytest.approx(art.plain[last])
    assert (art.chained.dropna() == series).all()


def test_the_exercises_entry_in_2004_moves_the_chain_less_than_the_plain_mean(real):
    _, _, art = real
    step = {s.year: s for s in art.steps}[2004]
    assert step.entered == ("military_activities",) and step.left == ()
    # the plain mean drops when the component enters at its minimum; the chain, computed on
    # the six components present in 2003 and 2004, does not carry that entry
    assert abs(step.chained) < abs(step.plain)
    assert abs(step.chained - step.plain) > 0.5


def test_the_composite_without_the_ladder_never_uses_it(real):
    _, result, art = real
    assert art.no_ladder.notna().sum() > 30
    assert art.no_ladder_trend.n == art.ladder_trend.n
    assert art.no_ladder_trend.verdict in ("warming", "cooling", "no clear trend")
    assert LADDER in result.weights
