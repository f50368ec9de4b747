"""Tests of analysis.model.components: the registry and the windowed evaluation of a component.

Hand-computed expectations on tiny frames: observations are a handful of dates, the evaluation
dates a few year ends or month ends, and the arithmetic is in the comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import config
from analysis.data import dataset_names, load_all
from analysis.model import components as C
from analysis.model import evaluation as E
from analysis.model.composite import coverage_map, year_ends, yearly_components

T = pd.Timestamp
ENDS = year_ends(2000, 2003)  # 2000-12-31 … 2003-12-31
NO_COVERAGE: dict = {}


def comp(kind: str, frame: pd.DataFrame, window=12, datasets=("x",), resampling=None):
    return C.Component(
        key="k",
        label="K",
        noun="k",
        dimension="d",
        section="un",
        weight=1.0,
        sign=1,
        datasets=C.same(*datasets),
        kind=kind,
        window_months=window,
        definition="",
        literature="",
        observe=lambda ds, dyad: frame,
        resampling=resampling,
    )


def ev(component, ends=ENDS, cover=NO_COVERAGE, **kw):
    return E.evaluate(component, None, "CHN-RUS", ends, cover, **kw)


def test_count_sums_the_observations_in_each_trailing_window():
    obs = pd.DataFrame(
        {
            "date": pd.to_datetime(["2000-03-01", "2000-12-31", "2001-01-01", "2003-06-30"]),
            "value": 1.0,
        }
    )
    got = ev(comp("count", obs))
    # (1999-12-31, 2000-12-31]: 2; 2001: 1 (2001-01-01); 2002: 0; 2003: 1
    assert got.tolist() == [2, 1, 0, 1]
    three = ev(comp("count", obs, window=36))
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
    got = ev(comp("ratio", obs, window=24))
    # 2000: (1 − 1)/2 = 0; 2001: (1 − 1 + 1)/3; 2002: 2001 only: 1/1; 2003: (0)/1 = 0 (2001-06 is out)
    assert got.tolist() == pytest.approx([0.0, 1 / 3, 1.0, 0.0])
    empty = ev(comp("ratio", obs.iloc[:0], window=12))
    assert empty.isna().all()  # no observation: not measurable, never 0


def test_level_takes_the_latest_value_inside_the_window_and_state_persists():
    obs = pd.DataFrame(
        {"date": pd.to_datetime(["2000-12-31", "2002-12-31"]), "value": [10.0, 1000.0]}
    )
    level = ev(comp("level", obs))
    # 2001 has no value of its own (a missing year is NaN, not last year's value)
    assert level.iloc[[0, 2]].tolist() == [10.0, 1000.0] and level.iloc[[1, 3]].isna().all()
    months = pd.DatetimeIndex([T("2001-06-30"), T("2003-03-31")])
    monthly = ev(comp("level", obs), months, period_months=1)
    # mid-year: the last year that has ended, if within 12 months
    assert monthly.tolist() == [10.0, 1000.0]
    state = ev(comp("state", obs, window=None))
    assert state.tolist() == [10.0, 10.0, 1000.0, 1000.0]  # in force until the next document


def test_coverage_blanks_counts_on_partly_covered_windows_and_ratios_outside():
    obs = pd.DataFrame(
        {"date": pd.to_datetime(["2001-06-01"]), "value": 1.0, "num": 1.0, "den": 1.0}
    )
    cover = {"x": (T("2000-05-15"), T("2002-12-31"))}
    count = ev(comp("count", obs), cover=cover)
    # 2000 only partly covered -> blank; 2001: 1; 2002: 0 (covered, nothing happened); 2003 blank
    assert math.isnan(count.iloc[0]) and count.iloc[1:3].tolist() == [1, 0]
    assert math.isnan(count.iloc[3])
    ratio = ev(comp("ratio", obs, window=36), cover=cover)
    # a ratio is measurable in any period the coverage touches: 2000 has no observation yet
    assert math.isnan(ratio.iloc[0]) and ratio.iloc[1:3].tolist() == [1.0, 1.0]
    assert math.isnan(ratio.iloc[3])  # 2003 lies wholly after the coverage


def test_kappa_is_cohens_kappa_of_the_votes_in_the_window():
    # forty votes in 2000, ten times: (yes, yes), (yes, yes), (no, no), (yes, abstain)
    pairs = [("yes", "yes"), ("yes", "yes"), ("no", "no"), ("yes", "abstain")] * 10
    obs = pd.DataFrame({"date": pd.to_datetime(["2000-03-01"] * 40)})
    obs["ident"] = [float(a == b) for a, b in pairs]
    for who, i in (("a", 0), ("b", 1)):
        for v in ("yes", "abstain", "no"):
            obs[f"{who}_{v}"] = [float(p[i] == v) for p in pairs]
    got = ev(comp("kappa", obs))
    # p_o = 3/4; a: yes 3, no 1; b: yes 2, abstain 1, no 1 (per four); p_e = (3·2 + 1·1)/16
    po, pe = 0.75, 7 / 16
    assert got.iloc[0] == pytest.approx((po - pe) / (1 - pe))
    assert got.iloc[1:].isna().all()  # no vote: not measurable
    few = ev(comp("kappa", obs.iloc[: E.MIN_KAPPA_VOTES - 1]))
    assert few.isna().all()  # too few votes for a chance-corrected agreement


def test_unknown_kind_sign_or_dyad_is_refused():
    with pytest.raises(ValueError, match="kind"):
        comp("average", pd.DataFrame())
    with pytest.raises(ValueError, match="unknown dyad"):
        E.evaluate(comp("count", pd.DataFrame()), None, "CHN-IND", ENDS, NO_COVERAGE)
    with pytest.raises(KeyError, match="known"):
        C.component("leader_meetings")


# ---- the registry -----------------------------------------------------------------------------


def test_registry_is_consistent():
    keys = [c.key for c in C.COMPONENTS]
    assert len(keys) == len(set(keys))
    assert sum(C.DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert 1 <= C.MIN_COMPONENTS <= len(C.COMPONENTS)
    names = set(dataset_names())
    for c in C.COMPONENTS:
        assert set(c.all_datasets) <= names, c.key
        assert c.definition and c.label and c.noun and c.literature and c.dimension
    assert C.datasets_of() == list(dict.fromkeys(n for c in C.COMPONENTS for n in c.all_datasets))


def test_every_component_points_to_a_section_of_the_briefing():
    from analysis.sections import BY_KEY

    for c in C.COMPONENTS:
        assert c.section in BY_KEY, c.key


def test_method_line_is_derived_from_the_registry():
    line = C.method_line()
    assert line.startswith(f"One composite of {C.number_word(len(C.COMPONENTS))} ")
    assert all(c.noun in line for c in C.COMPONENTS)
    fewer = C.method_line(C.COMPONENTS[:2])
    assert fewer.startswith("One composite of two ") and C.COMPONENTS[3].noun not in fewer


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
    yearly = yearly_components(ds, "RUS-USA")
    months = pd.date_range(
        f"{config.FIRST_DAY.year}-01-31", f"{yearly.index.max()}-12-31", freq="ME"
    )
    monthly = E.component_table(ds, "RUS-USA", months, coverage_map(ds), period_months=12)
    december = monthly[monthly.index.month == 12]
    december.index = december.index.year
    pd.testing.assert_frame_equal(december, yearly, check_names=False, check_index_type=False)


def test_yearly_components_count_what_the_data_hold(ds):
    """Leader contacts of 2020 (a pandemic year: calls, no visit), counted on the file."""
    lc = ds.leader_contacts
    rows = lc[(lc["dyad"] == "CHN-RUS") & (lc["date"].dt.year == 2020)]
    assert yearly_components(ds).loc[2020, "leader_contacts"] == len(rows) > 0
    assert set(rows["kind"]) <= {"call", "video_call"}
