"""The composite of the three dyads on the bundled data: what must not move it (repeated rows of
an event source, a price level), the episodes the literature agrees on, no component taking it
over, and the series written as data."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data.loader import Datasets, load_all
from analysis.model import exports
from analysis.model.components import COMPONENTS
from analysis.model.composite import coverage_map, measure_dyads, measure_from_raw, year_ends
from analysis.model.dyads import DYADS
from analysis.model.evaluation import component_table
from analysis.model.periods import Period
from analysis.model.validation import (
    MAX_COMPONENT_SHARE,
    MIN_EPISODE_AGREEMENT,
    check_episodes,
    component_shares,
    episode_agreement,
    episode_table,
)


@pytest.fixture(scope="module")
def ds() -> Datasets:
    return load_all()


@pytest.fixture(scope="module")
def measure(ds):
    return measure_dyads(ds)


def plain_index(ds: Datasets) -> dict[str, pd.Series]:
    """The three indices without draws (what the properties compare)."""
    ends = year_ends(1989, 2025)
    cov = coverage_map(ds)
    raw = {d: component_table(ds, d, ends, cov) for d in DYADS}
    for t in raw.values():
        t.index = t.index.year
    m = measure_from_raw(raw, n_draws=0)
    return {d: m.index[d]["composite"] for d in DYADS}


EVENT_SOURCES = ("leader_contacts", "official_acts", "unsc_contested_votes", "military_cooperation")


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=st.sampled_from(EVENT_SOURCES), seed=st.integers(0, 2**16), price=st.floats(0.2, 5))
def test_repeated_rows_and_a_price_level_do_not_move_the_index(ds, source, seed, price):
    base = plain_index(ds)
    frames = dict(ds.items())
    rng = np.random.default_rng(seed)
    frame = frames[source]
    extra = frame.iloc[rng.choice(len(frame), size=max(1, len(frame) // 3), replace=True)]
    frames[source] = pd.concat([frame, extra], ignore_index=True)
    trade = frames["goods_trade"]
    frames["goods_trade"] = trade.assign(value_usd=trade["value_usd"] * price)
    old = frames["trade"]
    frames["trade"] = old.assign(value_usd=old["value_usd"] * price)
    changed = plain_index(Datasets(frames, ds.data_dir))
    for d in DYADS:
        pd.testing.assert_series_equal(changed[d], base[d], check_exact=False, atol=1e-9)


def _agreement(ds, measure):
    table = episode_table(measure, check_episodes(ds))
    agree, measured = episode_agreement(table)
    wrong = table[table["agrees"].eq(False)][["dyad", "from_year", "to_year", "label"]]
    return agree, measured, wrong


def test_the_index_agrees_with_most_episodes_the_literature_agrees_on(ds, measure):
    """A regression floor: the share the index reaches today (26 of 33, 79 %), which the method
    section and the closing note report with the list of the episodes it gets wrong."""
    agree, measured, wrong = _agreement(ds, measure)
    assert measured >= 30
    assert agree / measured >= 0.75, wrong.to_string()


@pytest.mark.xfail(
    strict=True,
    reason="the bar of the measures issue (90 % of the episodes) is not met: the index reads "
    "leader contacts and exercises, which rise in some cool years (Trump–Putin 2017, the 2015 "
    "US–China military drills, the 2008 Sochi summit before the Georgia war) and barely move "
    "when a relationship at its ceiling deepens (China–Russia 2014, 2018), and no measure sees "
    "the 1995–96 and 2001 US–China crises; see the Validation annex's episode table",
)
def test_the_index_agrees_with_nine_in_ten_episodes(ds, measure):
    agree, measured, wrong = _agreement(ds, measure)
    assert agree / measured >= MIN_EPISODE_AGREEMENT, wrong.to_string()


def test_no_component_supplies_most_of_the_change_of_the_main_index(ds, measure):
    from analysis.model.validation import default_years

    first, last = default_years(ds)
    assert (first, last) == (1990, 2025)
    shares = component_shares(measure, first, last)
    assert shares.iloc[0] <= MAX_COMPONENT_SHARE, shares.to_string()


def test_every_year_of_1990_to_2025_has_a_value_for_every_dyad(measure):
    for d in DYADS:
        got = measure.series(d)
        missing = sorted(set(range(1990, 2026)) - set(got.index))
        assert not missing, f"{d}: no value in {missing}"


def test_composite_csv_has_one_row_per_dyad_and_year_of_the_range(measure):
    period = Period(pd.Timestamp("2012-01-01"), pd.Timestamp("2023-02-22"))
    text = exports.csv_files(measure, None, period)
    comp = pd.read_csv(io.StringIO(text["composite.csv"]), dtype={"period": str})
    assert tuple(comp.columns) == exports.COMPOSITE_COLUMNS
    assert sorted(set(comp["dyad"])) == list(DYADS)
    assert comp.groupby("dyad")["period"].apply(list).map(len).eq(11).all()  # 2012–2022
    assert (comp["lo95"] <= comp["lo80"]).all() and (comp["hi80"] <= comp["hi95"]).all()
    parts = pd.read_csv(io.StringIO(text["components.csv"]), dtype={"period": str})
    assert tuple(parts.columns) == exports.COMPONENT_COLUMNS
    assert set(parts["component"]) <= {c.key for c in COMPONENTS}
    assert parts["normalised"].between(0, 1).all()


def test_a_short_range_is_written_by_month(ds, measure):
    from analysis.model.composite import measure_dyads_by_month

    period = Period(pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"))
    text = exports.csv_files(measure, measure_dyads_by_month(ds), period)
    comp = pd.read_csv(io.StringIO(text["composite.csv"]), dtype={"period": str})
    assert comp["period"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert comp.groupby("dyad").size().eq(12).all() and comp["lo80"].isna().all()
