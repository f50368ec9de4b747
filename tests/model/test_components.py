"""Tests of analysis.model.components: the registry and the windowed evaluation of a component.

Hand-computed expectations on tiny frames: observations are a handful of dates, the evaluation
dates a few year ends or month ends, and the arithmetic is in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.data import dataset_names, load_all
from analysis.model import components as C
from analysis.model.composite import coverage_map, year_ends, yearly_components

T = pd.Timestamp
ENDS = year_ends(2000, 2003)  # 2000-12-31 … 2003-12-31
NO_COVERAGE: dict = {}


def comp(kind: str, frame: pd.DataFrame, window=12, datasets=("x",), transform=None):
    return C.Component(
        key="k",
        label="K",
        noun="k",
        weight=1.0,
        datasets=datasets,
        kind=kind,
        window_months=window,
        definition="",
        observe=lambda ds: frame,
        transform=transform,
    )


def test_count_sums_the_observations_in_each_trailing_window():
    obs = pd.DataFrame(
        {
            "date": pd.to_datetime(["2000-03-01", "2000-12-31", "2001-01-01", "2003-06-30"]),
            "value": 1.0,
        }
    )
    got = C.evaluate(comp("count", obs), None, ENDS, NO_COVERAGE)
    # (1999-12-31, 2000-12-31]: 2; 2001: 1 (2001-01-01); 2002: 0; 2003: 1
    assert got.tolist() == [2, 1, 0, 1]
    three = C.evaluate(comp("count", obs, window=36), None, ENDS, NO_COVERAGE)
    # 36 months to 2002-12-31 hold all three first observations; to 2003-12-31: 2001-01-01, 2003-06-30
    assert three.tolist() == [2, 3, 3, 2]


def test_ratio_pools_numerators_and_denominators_over_the_window():
    obs = pd.DataFrame(
        {
            "date": pd.to_datetime(["2000-06-01", "2000-07-01", "2001-06-01", "2003-01-01"]),
            "num": [1.0, -1.0, 1.0, 0.0],
            "den": 1.0,
        }
    )
    got = C.evaluate(comp("ratio", obs, window=24), None, ENDS, NO_COVERAGE)
    # 2000: (1 − 1)/2 = 0; 2001: (1 − 1 + 1)/3; 2002: 2001 only: 1/1; 2003: (0)/1 = 0 (2001-06 is out)
    assert got.tolist() == pytest.approx([0.0, 1 / 3, 1.0, 0.0])
    empty = C.evaluate(comp("ratio", obs.iloc[:0], window=12), None, ENDS, NO_COVERAGE)
    assert empty.isna().all()  # no observation: not measurable, never 0


def test_level_takes_the_latest_value_inside_the_window_and_state_persists():
    obs = pd.DataFrame(
        {"date": pd.to_datetime(["2000-12-31", "2002-12-31"]), "value": [10.0, 1000.0]}
    )
    level = C.evaluate(comp("level", obs, transform="log10"), None, ENDS, NO_COVERAGE)
    # 2001 has no value of its own (a missing year is NaN, not last year's value)
    assert level.iloc[[0, 2]].tolist() == [1.0, 3.0] and level.iloc[[1, 3]].isna().all()
    months = pd.DatetimeIndex([T("2001-06-30"), T("2003-03-31")])
    monthly = C.evaluate(comp("level", obs), None, months, NO_COVERAGE, period_months=1)
    # mid-year: the last year that has ended, if within 12 months
    assert monthly.tolist() == [10.0, 1000.0]
    state = C.evaluate(comp("state", obs, window=None), None, ENDS, NO_COVERAGE)
    assert state.tolist() == [10.0, 10.0, 1000.0, 1000.0]  # in force until the next document


def test_coverage_blanks_counts_on_partly_covered_windows_and_ratios_outside():
    obs = pd.DataFrame(
        {"date": pd.to_datetime(["2001-06-01"]), "value": 1.0, "num": 1.0, "den": 1.0}
    )
    cover = {"x": (T("2000-05-15"), T("2002-12-31"))}
    count = C.evaluate(comp("count", obs), None, ENDS, cover)
    # 2000 only partly covered -> blank; 2001: 1; 2002: 0 (covered, nothing happened); 2003 blank
    assert math.isnan(count.iloc[0]) and count.iloc[1:3].tolist() == [1, 0]
    assert math.isnan(count.iloc[3])
    ratio = C.evaluate(comp("ratio", obs, window=36), None, ENDS, cover)
    # a ratio is measurable in any period the coverage touches: 2000 has no observation yet
    assert math.isnan(ratio.iloc[0]) and ratio.iloc[1:3].tolist() == [1.0, 1.0]
    assert math.isnan(ratio.iloc[3])  # 2003 lies wholly after the coverage


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        comp("average", pd.DataFrame())


# ---- the registry -----------------------------------------------------------------------------


def test_registry_is_consistent():
    keys = [c.key for c in C.COMPONENTS]
    assert len(keys) == len(set(keys))
    assert sum(C.DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert 1 <= C.MIN_COMPONENTS <= len(C.COMPONENTS)
    names = set(dataset_names())
    for c in C.COMPONENTS:
        assert set(c.datasets) <= names, c.key
        assert c.definition and c.label and c.noun
    assert C.datasets_of() == list(dict.fromkeys(n for c in C.COMPONENTS for n in c.datasets))


def test_method_line_is_derived_from_the_registry():
    line = C.method_line()
    assert line.startswith(f"Composite of {C.number_word(len(C.COMPONENTS))} ")
    assert all(c.noun in line for c in C.COMPONENTS)
    fewer = C.method_line(C.COMPONENTS[:2])
    assert fewer.startswith("Composite of two ") and C.COMPONENTS[3].noun not in fewer


def test_number_words():
    assert [C.number_word(x) for x in (1, 3, 7, 12, 13, 2.5)] == [
        "one",
        "three",
        "seven",
        "twelve",
        "13",
        "2.5",
    ]


@pytest.fixture(scope="module")
def ds():
    return load_all()


def test_yearly_series_is_the_december_value_of_the_monthly_evaluation(ds):
    yearly = yearly_components(ds)
    months = pd.date_range(
        f"{config.FIRST_DAY.year}-01-31", f"{yearly.index.max()}-12-31", freq="ME"
    )
    monthly = C.component_table(ds, months, coverage_map(ds), period_months=12)
    december = monthly[monthly.index.month == 12]
    december.index = december.index.year
    pd.testing.assert_frame_equal(december, yearly, check_names=False, check_index_type=False)


def test_yearly_components_count_what_the_data_hold(ds):
    """Leader visits in 2014, counted directly on the chronology (one visit_id = one visit)."""
    from analysis.indicators.diplomatic import MEETING_CATEGORIES

    ev = ds.events
    meeting = ev[(ev["leader_level"] == "yes") & ev["category"].isin(MEETING_CATEGORIES)]
    first = meeting.groupby(meeting["visit_id"].fillna(meeting["event_id"]))["date"].min()
    direct = int((first.dt.year == 2014).sum())
    assert yearly_components(ds).loc[2014, "leader_meetings"] == direct
    assert np.isnan(yearly_components(ds).loc[config.FIRST_DAY.year, "military_activities"])
