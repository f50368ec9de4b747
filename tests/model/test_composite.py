"""The monthly composite: the yearly components evaluated at every month's end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data import load_all
from analysis.model.components import COMPONENTS
from analysis.model.composite import (
    last_complete_month,
    measure_dyads_by_month,
    monthly_composite_index,
    yearly_components,
)


def monthly_components(ds, dyad="CHN-RUS"):
    return measure_dyads_by_month(ds).raw[dyad]


@pytest.fixture(scope="module")
def ds():
    return load_all()


def test_monthly_runs_from_january_1989_to_the_last_complete_month(ds):
    raw = monthly_components(ds)
    assert raw.index[0] == pd.Timestamp("1989-01-31")
    assert raw.index[-1] == last_complete_month(ds)
    assert (raw.index + pd.offsets.MonthEnd(0) == raw.index).all()
    cut = ds.cut("2023-02-22")
    assert last_complete_month(cut) == pd.Timestamp("2023-01-31")
    assert last_complete_month(ds.cut("2023-02-28")) == pd.Timestamp("2023-02-28")


@pytest.mark.parametrize("dyad", ["CHN-RUS", "RUS-USA"])
def test_december_values_equal_the_yearly_components(ds, dyad):
    """At 31 December a count, level or state component has the yearly value (same window)."""
    monthly = monthly_components(ds, dyad)
    yearly = yearly_components(ds, dyad)
    dec = monthly[monthly.index.month == 12]
    dec.index = dec.index.year
    for c in COMPONENTS:
        if c.kind in ("ratio", "kappa"):  # blanking differs: a month, not a year, is covered
            continue
        both = pd.concat([dec[c.key], yearly[c.key]], axis=1, keys=["m", "y"]).dropna()
        assert len(both) > 10, c.key
        np.testing.assert_allclose(both["m"], both["y"], err_msg=c.key)


def test_monthly_composite_is_normalised_over_the_monthly_history_of_the_three_dyads(ds):
    result = monthly_composite_index(ds)
    pooled = pd.concat(measure_dyads_by_month(ds).normalised)
    for c in COMPONENTS:
        col = pooled[c.key].dropna()
        assert col.min() == pytest.approx(0) and col.max() == pytest.approx(1), c.key
    series = result.series()
    assert (result.index.loc[series.index, "n_components"] >= 4).all()
    # the plain weighted mean, on the −9..+9 scale (monthly chain-linking would drift past it)
    assert series.between(-9, 9).all()
    assert series.equals(result.index["plain"].dropna())
    # the joint statement of 4 February 2022 and the invasion three weeks later fall in
    # different months; the yearly point blends them
    assert pd.Timestamp("2022-01-31") in series.index and pd.Timestamp("2022-02-28") in series.index


def test_a_vintage_has_no_month_after_it(ds):
    series = monthly_composite_index(ds.cut("2023-02-22")).series()
    assert series.index.max() == pd.Timestamp("2023-01-31")


def test_russia_usa_falls_in_february_and_march_2022_by_month(ds):
    series = monthly_composite_index(ds, dyad="RUS-USA").series()
    jan, feb, mar, jun = (
        series[pd.Timestamp(f"2022-{m}")] for m in ("01-31", "02-28", "03-31", "06-30")
    )
    assert jan > feb > mar and jun < jan - 1.5, (jan, feb, mar, jun)
