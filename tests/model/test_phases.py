"""Tests of analysis.model.composite and .phases: normalisation, composite, bands, phases, change
points, trend.

Hand-computed expectations on tiny frames (the arithmetic is in the comments), hypothesis
properties of the composite, and one check of the composite built from the bundled data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from analysis.indicators import IndicatorError
from analysis.model.change_points import (
    ROBUST_DRAW_SHARE,
    change_points,
    optimal_breaks,
    penalty_sensitivity,
    robust_change_points,
)
from analysis.model.components import DEFAULT_WEIGHTS, MIN_COMPONENTS
from analysis.model.composite import (
    CompositeResult,
    composite_from_normalised,
    composite_index,
    leave_one_out,
    normalise,
)
from analysis.model.phases import (
    BAND_NAMES,
    BANDS,
    TREND_MIN_POINTS,
    band,
    official_phases,
    trend,
    verdict_of,
)

PROPERTY = settings(max_examples=60, deadline=None)


# --------------------------------------------------------------------------------------------
# Components: pooling and normalisation
# --------------------------------------------------------------------------------------------


def test_default_weights_sum_to_one():
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert MIN_COMPONENTS == 4


def test_normalise_min_max_constant_and_empty_columns():
    raw = pd.DataFrame(
        {"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, np.nan], "c": [np.nan] * 3, "d": [-4.0, 0.0, 4.0]},
        index=[2000, 2001, 2002],
    )
    out = normalise(raw)
    assert out["a"].tolist() == [0.0, 0.5, 1.0]  # (x − 1) / (3 − 1)
    assert out["b"].iloc[:2].tolist() == [0.5, 0.5] and math.isnan(out["b"].iloc[2])  # constant
    assert out["c"].isna().all()
    assert out["d"].tolist() == [0.0, 0.5, 1.0]  # (x + 4) / 8


# --------------------------------------------------------------------------------------------
# Composite
# --------------------------------------------------------------------------------------------

WEIGHTS = {"a": 0.4, "b": 0.15, "c": 0.15, "d": 0.15, "e": 0.15, "f": 0.0}


def norm_frame() -> pd.DataFrame:
    nan = np.nan
    return pd.DataFrame(
        {
            "a": [1.0, nan, 1.0, 1.0, 0.0],
            "b": [0.0, 1.0, nan, 1.0, 0.0],
            "c": [0.0, 1.0, nan, 1.0, 0.0],
            "d": [0.0, 0.0, 1.0, 1.0, 0.0],
            "e": [0.0, 0.0, 1.0, 1.0, 0.0],
            "f": [0.5] * 5,  # weight 0: never counted
        },
        index=pd.Index([2000, 2001, 2002, 2003, 2004], name="year"),
    )


def test_composite_is_the_weighted_mean_over_present_components_rescaled():
    out = composite_from_normalised(norm_frame(), WEIGHTS)
    comp = out["composite"]
    # 2000: (.4·1) / 1 = .4 -> −9 + 18·.4 = −1.8
    assert comp[2000] == pytest.approx(-1.8)
    # 2001: a missing; (.15 + .15) / (.15·4) = .5 -> 0 (4 components present)
    assert comp[2001] == pytest.approx(0.0)
    # 2002: only a, d, e present: 3 < MIN_COMPONENTS -> no value
    assert math.isnan(comp[2002])
    assert comp[2003] == pytest.approx(9.0) and comp[2004] == pytest.approx(-9.0)
    assert out["n_components"].tolist() == [5, 4, 3, 5, 5]  # f (weight 0) is not counted


def test_composite_with_fewer_weights_than_min_components():
    # two components only: a year needs both (min(MIN_COMPONENTS, 2) = 2)
    out = composite_from_normalised(norm_frame(), {"a": 1.0, "d": 1.0})
    # 2000: (1 + 0)/2 = .5 -> 0; 2001: a missing -> NaN; 2002: (1 + 1)/2 -> 9
    assert out["composite"][2000] == pytest.approx(0.0)
    assert math.isnan(out["composite"][2001])
    assert out["composite"][2002] == pytest.approx(9.0)


@pytest.mark.parametrize(
    ("weights", "hint"),
    [
        ({"zzz": 1.0}, "unknown component"),
        ({"a": -1.0, "b": 2.0}, "non-negative"),
        ({"a": 0.0, "b": 0.0}, "at least one positive"),
    ],
)
def test_composite_refuses_bad_weights(weights, hint):
    with pytest.raises(IndicatorError, match=hint):
        composite_from_normalised(norm_frame(), weights)


def result_from(norm: pd.DataFrame, weights: dict[str, float]) -> CompositeResult:
    return CompositeResult(
        raw=norm, normalised=norm, index=composite_from_normalised(norm, weights), weights=weights
    )


def test_leave_one_out():
    table = leave_one_out(result_from(norm_frame(), WEIGHTS)).set_index("component")
    assert list(table.index) == ["a", "b", "c", "d", "e"]  # f has weight 0
    # without a (b..e equal weights): 2000 −9 (shift −9 − (−1.8) = −7.2); 2001 .5 -> 0 (shift 0);
    # 2002 NaN both; 2003 9 (0); 2004 −9 (0) -> mean −7.2/4 = −1.8, max |7.2|, end value −9
    assert table.loc["a", "mean_shift"] == pytest.approx(-1.8)
    assert table.loc["a", "max_abs_shift"] == pytest.approx(7.2)
    assert table.loc["a", "end_value"] == pytest.approx(-9.0)
    # without b (a .4, c d e .15; Σ .85): 2000 .4/.85 -> −9 + 18·.4/.85 = −0.5294 (shift +1.2706);
    # 2001 a missing -> 3 components -> NaN; 2003, 2004 shift 0 -> mean 1.2706/3
    shift_2000 = -9 + 18 * 0.4 / 0.85 + 1.8
    assert table.loc["b", "mean_shift"] == pytest.approx(shift_2000 / 3)
    assert table.loc["b", "max_abs_shift"] == pytest.approx(shift_2000)


def test_leave_one_out_inside_a_range():
    table = leave_one_out(result_from(norm_frame(), WEIGHTS), start="2003-01-01", end="2004-12-31")
    assert (table["mean_shift"] == 0).all() and (table["end_value"] == -9).all()


# --------------------------------------------------------------------------------------------
# Bands and official phases
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-9, "lowest fifth"),  # fifths of −9..+9: edges −5.4, −1.8, 1.8, 5.4
        (-5.41, "lowest fifth"),
        (-5.4, "second-lowest fifth"),  # [−5.4, −1.8)
        (-1.8001, "second-lowest fifth"),
        (-1.8, "middle fifth"),
        (0, "middle fifth"),
        (1.8, "second-highest fifth"),
        (5.399, "second-highest fifth"),
        (5.4, "highest fifth"),
        (9, "highest fifth"),  # the last band is closed
        (np.float64(1.5), "middle fifth"),
    ],
)
def test_band_edges(value, expected):
    assert band(value) == expected


@pytest.mark.parametrize("value", [9.01, -9.01, 100.0])
def test_band_refuses_values_off_the_scale(value):
    with pytest.raises(IndicatorError, match="outside the scale"):
        band(value)


def test_band_refuses_nan():
    with pytest.raises(IndicatorError, match="NaN"):
        band(float("nan"))


def designations() -> pd.DataFrame:
    rows = [
        ("1989-05-18", 1, "normalisation"),
        ("1994-09-03", 2, "constructive partnership"),
        ("1996-04-25", 3, "strategic partnership"),
        ("2001-07-16", 4, "treaty"),
        ("2011-06-16", 4, "treaty reaffirmed"),  # a reaffirmation: no new phase
        ("2019-06-05", 5, "new era"),
    ]
    frame = pd.DataFrame(rows, columns=["date", "level", "designation_en"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["document"] = "doc " + frame["designation_en"]
    return frame.iloc[::-1].reset_index(drop=True)  # unsorted on purpose


def test_official_phases():
    phases = official_phases(designations(), until="2020-12-31")
    assert phases["level"].tolist() == [1, 2, 3, 4, 5]
    assert phases["start"].dt.strftime("%Y-%m-%d").tolist() == [
        "1989-05-18",
        "1994-09-03",
        "1996-04-25",
        "2001-07-16",
        "2019-06-05",
    ]
    # each phase ends the day before the next change; the last at `until`
    assert [e.strftime("%Y-%m-%d") for e in phases["end"]] == [
        "1994-09-02",
        "1996-04-24",
        "2001-07-15",
        "2019-06-04",
        "2020-12-31",
    ]
    assert phases.loc[3, "designation_en"] == "treaty"  # not the reaffirmation


def test_official_phases_without_until_end_at_last_designation():
    phases = official_phases(designations())
    assert phases["end"].iloc[-1] == pd.Timestamp("2019-06-05")


def test_official_phases_single_designation():
    phases = official_phases(designations().iloc[[0]], until="2020-01-01")
    assert len(phases) == 1 and phases["level"].tolist() == [5]


def test_official_phases_before_the_first_designation_are_none():
    # a vintage before 18 May 1989 holds no designation yet (#27: the phase table crashed)
    phases = official_phases(designations().iloc[0:0], until="1989-05-15")
    assert phases.empty and "designation_en" in phases.columns


# --------------------------------------------------------------------------------------------
# Change points
# --------------------------------------------------------------------------------------------

STEP = pd.Series([0.0] * 6 + [10.0] * 6, index=range(2000, 2012))


def test_change_points_find_an_obvious_step():
    assert change_points(STEP) == [2006]  # the first year of the new segment


def test_change_points_with_noise():
    noise = np.array([0.2, -0.1, 0.15, -0.2, 0.05, 0.1, -0.15, 0.0] * 2)
    series = pd.Series(np.r_[np.zeros(8), np.full(8, 5.0)] + noise, index=range(2000, 2016))
    assert change_points(series) == [2008]


def test_change_points_monthly_series():
    series = pd.Series(
        np.r_[np.zeros(12), np.full(12, 5.0)],
        index=pd.date_range("2020-01-01", periods=24, freq="MS"),
    )
    assert change_points(series, freq="MS") == [pd.Timestamp("2021-01-01")]


def test_change_points_none_on_flat_or_short_series():
    assert change_points(pd.Series([1.0] * 10, index=range(2000, 2010))) == []
    assert change_points(pd.Series([0.0, 0.0, 5.0], index=range(2000, 2003))) == []  # < 2·min_size
    assert change_points(pd.Series([5.0], index=[2000])) == []  # a single point


def test_change_points_huge_penalty_finds_nothing():
    assert change_points(STEP, penalty=1e6) == []


def test_penalty_sensitivity_table():
    table = penalty_sensitivity(STEP)
    assert list(table.columns) == ["multiplier", "penalty", "n_breaks", "breaks"]
    assert table["multiplier"].tolist() == [0.25, 0.5, 1, 2, 4, 8]
    base = table.loc[table["multiplier"] == 1, "penalty"].item()
    assert table["penalty"].tolist() == pytest.approx([base * m for m in table["multiplier"]])
    assert (table["n_breaks"] == 1).all()
    assert all(b == [2006] for b in table["breaks"])


def test_penalty_sensitivity_on_too_short_series():
    table = penalty_sensitivity(pd.Series([1.0, 2.0], index=[2000, 2001]))
    assert (table["n_breaks"] == 0).all() and table["penalty"].isna().all()


# --------------------------------------------------------------------------------------------
# Trend
# --------------------------------------------------------------------------------------------


def years(values) -> pd.Series:
    return pd.Series(values, index=range(2000, 2000 + len(values)), dtype=float)


def test_bands_are_equal_fifths_from_one_declaration():
    assert [b[2] for b in BANDS] == list(BAND_NAMES)
    assert [b[0] for b in BANDS] == [-9.0, -5.4, -1.8, 1.8, 5.4]
    assert BANDS[-1][1] == 9.0
    assert not {"hostile", "tense", "bad", "ordinary", "good", "friendly"} & set(BAND_NAMES)


def test_trend_warming_cooling_stable_no_clear_trend():
    up = trend(years([0, 1, 2, 3, 4]))  # every pairwise slope is 1 -> CI [1, 1]
    assert (up.verdict, up.slope, up.low, up.high, up.n) == ("warming", 1.0, 1.0, 1.0, 5)
    assert up.change == pytest.approx(4.0)  # slope × the four years between first and last
    assert trend(years([4, 3, 2, 1, 0])).verdict == "cooling"
    flat = trend(years([5, 5, 5, 5, 5]))
    assert (flat.verdict, flat.slope) == ("no clear trend", 0.0)
    small = trend(years([0, 0.1, 0.2, 0.3, 0.4]))  # a clear sign, but 0.4 points in all
    assert small.verdict == "stable" and small.change == pytest.approx(0.4)


def test_the_size_threshold_does_not_grow_with_the_range():
    # the same 1.2-point rise over 3 years and over 12: a move both times
    short = trend(years([0, 0.4, 0.8, 1.2]))
    long = trend(years(list(np.linspace(0, 1.2, 13))))
    assert short.verdict == long.verdict == "warming"


@pytest.mark.parametrize(
    ("up", "down", "change", "verdict"),
    [
        (0.90, 0.10, 1.0, "warming"),  # at the thresholds
        (0.89, 0.11, 3.0, "no clear trend"),  # a large change, but the draws are split
        (0.02, 0.98, -2.0, "cooling"),  # a fall in 98% of draws is a move
        (0.95, 0.05, 0.99, "stable"),  # one sign, under a point
        (0.5, 0.5, 0.0, "no clear trend"),
    ],
)
def test_verdict_of_reads_the_draws(up, down, change, verdict):
    assert verdict_of(up, down, change) == verdict


def test_trend_no_clear_trend_when_the_interval_includes_zero():
    noisy = trend(years([0, 1, -1, 2, 0, 3]))
    assert noisy.low < 0 < noisy.high
    assert noisy.verdict == "no clear trend"


def test_trend_inside_a_range():
    series = years([0, 1, 2, 3, 4, 3, 2, 1, 0])  # up 2000–2004, down 2004–2008
    assert trend(series, start="2000-01-01", end="2004-12-31").verdict == "warming"
    assert trend(series, start="2004-06-01", end="2008-12-31").verdict == "cooling"


@pytest.mark.parametrize("n", [0, 1, 2])
def test_trend_not_measurable_below_three_points(n):
    tr = trend(years(list(range(n))))
    assert tr.verdict == "not measurable" and tr.n == n and math.isnan(tr.slope)
    assert f"at least {TREND_MIN_POINTS} yearly values; the range has {n}" in tr.reason


def test_trend_ignores_missing_years():
    tr = trend(years([0, np.nan, 2, np.nan]))
    assert tr.verdict == "not measurable" and tr.n == 2


def test_trend_bad_dates():
    with pytest.raises(IndicatorError, match="YYYY-MM-DD"):
        trend(years([0, 1, 2]), start="2020-13-01")
    with pytest.raises(IndicatorError, match="swap"):
        trend(years([0, 1, 2]), start="2002-01-01", end="2001-01-01")
    with pytest.raises(IndicatorError, match="swap"):
        leave_one_out(result_from(norm_frame(), WEIGHTS), start="2002-01-01", end="2001-01-01")


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

CELL = st.one_of(st.just(np.nan), st.floats(min_value=-1e6, max_value=1e6))


@PROPERTY
@given(
    arr=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=8), elements=CELL)
)
def test_normalised_components_stay_in_unit_interval(arr):
    raw = pd.DataFrame(arr, columns=[f"c{i}" for i in range(arr.shape[1])])
    out = normalise(raw)
    values = out.to_numpy()
    assert np.all((values[~np.isnan(values)] >= 0) & (values[~np.isnan(values)] <= 1))
    assert (out.isna() == raw.isna()).all().all()  # missing stays missing, present stays present


@PROPERTY
@given(
    arr=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 10), st.just(5)),
        elements=st.one_of(st.just(np.nan), st.floats(min_value=0, max_value=1)),
    ),
    weights=st.lists(st.floats(min_value=0, max_value=1), min_size=5, max_size=5).filter(
        lambda w: any(x > 0 for x in w)
    ),
)
def test_composite_stays_on_the_scale(arr, weights):
    norm = pd.DataFrame(arr, columns=list("abcde"))
    w = dict(zip("abcde", weights, strict=True))
    out = composite_from_normalised(norm, w)
    comp = out["composite"].dropna()
    assert ((comp >= -9 - 1e-9) & (comp <= 9 + 1e-9)).all()
    positive = [c for c, x in w.items() if x > 0]
    present = norm[positive].notna().sum(axis=1)
    needed = min(MIN_COMPONENTS, len(positive))
    assert (out["composite"].notna() == (present >= needed)).all()


# --------------------------------------------------------------------------------------------
# The composite of the bundled data
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_result() -> CompositeResult:
    from analysis.data import load_all

    return composite_index(load_all())


def test_real_composite_is_on_the_scale(real_result):
    assert list(real_result.raw.columns) == list(DEFAULT_WEIGHTS)
    assert real_result.index.index[0] == 1989
    norm = real_result.normalised.to_numpy()
    assert np.nanmin(norm) >= 0 and np.nanmax(norm) <= 1
    comp = real_result.index["composite"]
    assert comp.dropna().between(-9, 9).all()
    # a value exactly where at least MIN_COMPONENTS components are present
    assert (comp.notna() == (real_result.index["n_components"] >= MIN_COMPONENTS)).all()
    for value in real_result.series():
        band(value)  # every value has a band


def test_real_leave_one_out_has_a_row_per_component(real_result):
    table = leave_one_out(real_result, start="2000-01-01", end="2020-12-31")
    assert table["component"].tolist() == list(DEFAULT_WEIGHTS)
    assert table["max_abs_shift"].between(0, 18).all()


def test_phase_summary_assigns_each_year_to_the_phase_in_force_at_year_end():
    from analysis.model.composite import CompositeResult
    from analysis.model.phases import phase_summary

    index = pd.DataFrame(
        {"composite": [-4.0, -2.0, 2.0, 4.0], "n_components": [7, 7, 7, 7]},
        index=pd.Index([2000, 2001, 2002, 2003], name="year"),
    )
    result = CompositeResult(raw=index, normalised=index, index=index, weights={"x": 1.0})
    designations = pd.DataFrame(
        {
            "date": pd.to_datetime(["2000-03-01", "2001-06-30"]),
            "level": [1, 2],
            "change": ["normalisation", "upgrade"],
            "designation_en": ["first", "second"],
            "document": ["d1", "d2"],
        }
    )
    out = phase_summary(result, designations, breaks=[2002])
    # phase 1 holds 2000 (in force on 2000-12-31); 2001-12-31 already falls in phase 2,
    # which holds 2001-2003: mean (-2 + 2 + 4) / 3 = 4/3 -> middle fifth [−1.8, 1.8)
    assert out["years"].tolist() == [1, 3]
    assert out["mean"].tolist() == [-4.0, pytest.approx(4 / 3)]
    assert out["band"].tolist() == ["second-lowest fifth", "middle fifth"]
    assert out["breaks"].tolist() == [[], [2002]]


# --------------------------------------------------------------------------------------------
# Robust change points
# --------------------------------------------------------------------------------------------


def _draws_around(values, sd, n=200, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = range(1990, 1990 + len(values))
    return pd.DataFrame(np.asarray(values) + rng.normal(0, sd, size=(n, len(values))), columns=idx)


def test_optimal_breaks_agree_with_ruptures_on_a_clear_step():
    x = np.array([0.0, 0.1, -0.1, 0.0, 0.05, 5.0, 5.1, 4.9, 5.0, 5.05])
    assert optimal_breaks(x[None, :], np.array([1.0]), 2) == [[5]]
    assert change_points(pd.Series(x), penalty=1.0) == [5]


def test_robust_change_point_found_on_a_step():
    values = [0.0] * 10 + [4.0] * 10
    series = pd.Series(values, index=range(1990, 2010)) + np.tile([0.1, -0.1], 10)
    table = robust_change_points(series, _draws_around(series.to_numpy(), 0.5))
    assert table.loc[table["robust"], "break"].tolist() == [2000]
    assert table.loc[table["break"] == 2000, "draw_share"].iloc[0] > 0.9


def test_no_robust_change_point_in_noisy_flat_series():
    rng = np.random.default_rng(4)
    series = pd.Series(rng.normal(0, 1, 30), index=range(1990, 2020))
    table = robust_change_points(series, _draws_around(series.to_numpy(), 1.0, seed=1))
    assert not table["robust"].any() if len(table) else True
    assert (table["draw_share"] <= ROBUST_DRAW_SHARE).all() or not table["robust"].any()


def test_change_points_min_size_parameter():
    x = pd.Series([0.0] * 3 + [5.0] * 3 + [0.0] * 6)
    assert change_points(x, penalty=1.0) == [3, 6]
    assert change_points(x, penalty=1.0, min_size=4) == [6]  # 3-point segments not allowed
    assert change_points(x, penalty=1.0, freq="MS") == [6]  # monthly default: 6 points


def test_trend_from_draws_needs_most_draws_on_one_side():
    series = years([0, 0.3, 0.6, 0.9, 1.2, 1.5])  # slope .3, an implied change of 1.5
    tight = _draws_around(series.to_numpy(), 0.05)
    tight.columns = series.index
    wide = _draws_around(series.to_numpy(), 2.0)
    wide.columns = series.index
    got = trend(series, draws=tight)
    assert got.verdict == "warming" and got.share_up > 0.9
    loose = trend(series, draws=wide)
    assert loose.verdict == "no clear trend" and loose.share_up < 0.9


@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")  # scipy's
@settings(max_examples=200, deadline=None)
@given(
    y=st.lists(
        st.floats(-9, 9, allow_nan=False).map(lambda v: round(v, 2)), min_size=2, max_size=40
    ),
    ties_in_x=st.booleans(),
    alpha=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_theil_sen_gives_scipys_numbers(y, ties_in_x, alpha):
    """Our Theil–Sen slope and Sen's interval equal scipy.stats.theilslopes (the reference),
    ties in x and in y included."""
    from scipy import stats

    from analysis.model.phases import theil_sen

    x = np.arange(len(y), dtype=float)
    if ties_in_x:
        x = np.floor(x / 2)
    if len(np.unique(x)) < 2:
        return
    ref = stats.theilslopes(np.array(y), x, alpha=alpha)
    got = theil_sen(np.array(y), x, alpha=alpha)
    want = (float(ref.slope), float(ref.low_slope), float(ref.high_slope))
    assert got == pytest.approx(want, abs=0, rel=0, nan_ok=True)


def test_the_kernel_imports_neither_scipy_nor_ruptures_to_start_a_briefing():
    import subprocess
    import sys

    code = "import sys, analysis.render.briefing; print(sorted({'scipy', 'ruptures'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_model_step_holds_the_change_points_of_the_main_index():
    from analysis.data.loader import load_all
    from analysis.model.change_points import robust_change_points
    from analysis.model.step import model_step

    ds = load_all()
    step = model_step(ds)
    series = step.yearly.series("CHN-RUS")
    pd.testing.assert_frame_equal(
        step.breaks, robust_change_points(series, step.yearly.draws["CHN-RUS"])
    )
    assert list(step.sensitivity["multiplier"]) == [0.25, 0.5, 1, 2, 4, 8]
