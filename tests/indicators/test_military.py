"""Tests of analysis.indicators.military: joint exercises and patrols, SIPRI arms transfers.

Every expectation is computed by hand on a frame built here; the arithmetic is in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.indicators import IndicatorError, arms_tiv, exercises_per_year

PROPERTY = settings(max_examples=50, deadline=None)

#: start_date, activity_type, domain
ACTIVITIES = [
    ("2018-05-01", "exercise", "land"),
    ("2018-07-01", "exercise", "sea"),
    ("2018-09-01", "exercise", "sea"),
    ("2018-12-31", "joint_patrol", "air"),  # a patrol: not an air exercise
    # 2019: nothing
    ("2020-02-01", "exercise", "multi"),
    ("2020-03-01", "joint_patrol", "sea"),
]


def military_frame(rows=ACTIVITIES) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start_date": pd.to_datetime([r[0] for r in rows]),
            "activity_type": [r[1] for r in rows],
            "domain": [r[2] for r in rows],
        }
    )


def by_year(frame: pd.DataFrame, indicator: str, column: str = "value") -> dict[int, float]:
    rows = frame[frame["indicator"] == indicator]
    return {int(p.year): float(v) for p, v in zip(rows["period"], rows[column], strict=True)}


def test_exercises_per_year_by_domain_and_patrols():
    out = exercises_per_year(military_frame())
    assert by_year(out, "exercises_land") == {2018: 1, 2019: 0, 2020: 0}
    assert by_year(out, "exercises_sea") == {2018: 2, 2019: 0, 2020: 0}
    assert by_year(out, "exercises_air") == {2018: 0, 2019: 0, 2020: 0}
    assert by_year(out, "exercises_multi") == {2018: 0, 2019: 0, 2020: 1}
    assert by_year(out, "exercises_total") == {2018: 3, 2019: 0, 2020: 1}  # 1 + 2; 1
    assert by_year(out, "joint_patrols") == {2018: 1, 2019: 0, 2020: 1}
    assert by_year(out, "military_activities") == {2018: 4, 2019: 0, 2020: 2}  # 3 + 1; 1 + 1
    assert by_year(out, "exercises_total", "n") == {2018: 3, 2019: 0, 2020: 1}


def test_exercises_range_by_start_date():
    out = exercises_per_year(military_frame(), start="2018-08-01", end="2018-12-31")
    assert by_year(out, "exercises_sea") == {2018: 1}  # only 2018-09-01
    assert by_year(out, "joint_patrols") == {2018: 1}


def test_exercises_empty_range_and_no_rows():
    out = exercises_per_year(military_frame(), start="2019-01-01", end="2019-12-31")
    assert len(out) == 7 and (out["value"] == 0).all()
    assert exercises_per_year(military_frame().iloc[:0]).empty


def test_exercises_single_row():
    out = exercises_per_year(military_frame(ACTIVITIES[:1]))
    assert by_year(out, "exercises_land") == {2018: 1}
    assert by_year(out, "joint_patrols") == {2018: 0}


# --------------------------------------------------------------------------------------------
# Arms transfers
# --------------------------------------------------------------------------------------------

#: year, supplier, recipient, TIV (millions), series
ARMS = [
    (2000, "RUS", "CHN", 100.0, "A"),
    (2001, "RUS", "CHN", 200.0, "A"),
    # 2002: no delivery in series A -> 0
    (2003, "RUS", "CHN", 50.0, "A"),
    (2003, "CHN", "RUS", 7.0, "A"),  # the other direction: not counted
    (2004, "RUS", "CHN", 10.0, "A"),
    (2000, "RUS", "CHN", 999.0, "B"),  # another vintage: never mixed in
]


def arms_frame(rows=ARMS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "supplier", "recipient", "tiv_million", "series"])
    frame["year"] = frame["year"].astype("Int64")
    return frame


def test_arms_tiv_per_year_and_rolling_sum():
    out = arms_tiv(arms_frame(), series="A", window=3)
    assert by_year(out, "arms_tiv") == {2000: 100, 2001: 200, 2002: 0, 2003: 50, 2004: 10}
    # 3-year sums: 100; 100+200; 100+200+0; 200+0+50; 0+50+10
    assert by_year(out, "arms_tiv_rolling") == {
        2000: 100,
        2001: 300,
        2002: 300,
        2003: 250,
        2004: 60,
    }
    assert by_year(out, "arms_tiv_rolling", "n") == {2000: 1, 2001: 2, 2002: 3, 2003: 3, 2004: 3}


def test_arms_tiv_default_window_is_five_years():
    out = arms_tiv(arms_frame(), series="A")
    assert by_year(out, "arms_tiv_rolling")[2004] == 360  # 100 + 200 + 0 + 50 + 10


def test_arms_tiv_sums_ussr_and_russia():
    rows = [(1991, "SUN", "CHN", 5.0, "A"), (1992, "RUS", "CHN", 7.0, "A")]
    out = arms_tiv(arms_frame(rows), series="A", window=2)
    assert by_year(out, "arms_tiv") == {1991: 5, 1992: 7}
    assert by_year(out, "arms_tiv_rolling") == {1991: 5, 1992: 12}


def test_arms_tiv_other_series():
    assert by_year(arms_tiv(arms_frame(), series="B"), "arms_tiv") == {2000: 999}


def test_arms_tiv_range_inside_and_outside_the_series():
    out = arms_tiv(arms_frame(), series="A", window=3, start="2003-01-01", end="2010-12-31")
    # only the series' years (to 2004); the rolling sum still looks back before start
    assert by_year(out, "arms_tiv_rolling") == {2003: 250, 2004: 60}
    assert arms_tiv(arms_frame(), series="A", start="2010-01-01").empty


def test_arms_tiv_single_row():
    out = arms_tiv(arms_frame(ARMS[:1]), series="A")
    assert by_year(out, "arms_tiv") == {2000: 100}
    assert by_year(out, "arms_tiv_rolling", "n") == {2000: 1}


def test_arms_tiv_refuses_unknown_series():
    with pytest.raises(
        IndicatorError, match=r"unknown SIPRI series 'C'; choose one of \['A', 'B'\]"
    ):
        arms_tiv(arms_frame(), series="C")


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_missing_columns():
    with pytest.raises(IndicatorError, match=r"\['domain'\]"):
        exercises_per_year(military_frame().drop(columns="domain"))
    with pytest.raises(IndicatorError, match=r"\['series'\]"):
        arms_tiv(arms_frame().drop(columns="series"), series="A")


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@PROPERTY
@given(
    rows=st.lists(
        st.tuples(
            st.dates(
                min_value=pd.Timestamp("2015-01-01").date(),
                max_value=pd.Timestamp("2019-12-31").date(),
            ),
            st.sampled_from(["exercise", "joint_patrol"]),
            st.sampled_from(["land", "sea", "air", "multi"]),
        ),
        min_size=1,
        max_size=30,
    ),
    data=st.data(),
)
def test_exercises_do_not_depend_on_row_order(rows, data):
    frame = military_frame([(d.isoformat(), t, dom) for d, t, dom in rows])
    order = data.draw(st.permutations(range(len(frame))))
    a = exercises_per_year(frame)
    pd.testing.assert_frame_equal(
        a, exercises_per_year(frame.iloc[list(order)].reset_index(drop=True))
    )
    # domains add up to the total, and exercises + patrols to all activities
    doms = sum(pd.Series(by_year(a, f"exercises_{d}")) for d in ("land", "sea", "air", "multi"))
    assert doms.to_dict() == by_year(a, "exercises_total")
    both = pd.Series(by_year(a, "exercises_total")) + pd.Series(by_year(a, "joint_patrols"))
    assert both.to_dict() == by_year(a, "military_activities")


@PROPERTY
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=1990, max_value=2000),
            st.sampled_from(["SUN", "RUS"]),
            st.just("CHN"),
            st.floats(min_value=0, max_value=5000, allow_nan=False),
            st.sampled_from(["A", "B"]),
        ),
        min_size=1,
        max_size=25,
        unique_by=lambda r: (r[0], r[1], r[4]),
    ),
    data=st.data(),
)
def test_arms_tiv_does_not_depend_on_row_order(rows, data):
    frame = arms_frame(rows)
    series = frame["series"].iloc[0]
    order = data.draw(st.permutations(range(len(frame))))
    shuffled = frame.iloc[list(order)].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        arms_tiv(frame, series=series),
        arms_tiv(shuffled, series=series),
        check_exact=False,
        rtol=1e-9,
        atol=1e-9,
    )


def test_choose_arms_series_by_reach_then_coverage_then_newest():
    arms = pd.DataFrame(
        {
            "year": [1990, 1991, 1992, 1995, 1996],
            "series": ["old", "old", "old", "new", "new"],
            "sipri_generated": pd.to_datetime(["2022-07-28"] * 3 + ["2026-02-12"] * 2),
        }
    )
    from analysis.indicators import choose_arms_series

    # 1990-1993: 'old' covers 1990-1992 (3 years), 'new' covers none
    assert choose_arms_series(arms, start="1990-01-01", end="1993-12-31") == "old"
    # 1995-1996: 'new' covers both years, 'old' none
    assert choose_arms_series(arms, start="1995-01-01", end="1996-12-31") == "new"
    # 1992-1995: 'new' reaches 1995, 'old' only 1992 -> the one reaching later
    assert choose_arms_series(arms, start="1992-01-01", end="1995-12-31") == "new"
    # 1989-1996: 'old' covers three years, 'new' two, but 'new' reaches 1996
    assert choose_arms_series(arms, start="1989-01-01", end="1996-12-31") == "new"
    # two vintages reaching the same year: the one covering more of the range, then the newest
    same = pd.DataFrame({"year": [1995, 1996, 1996], "series": ["a", "a", "b"],
                         "sipri_generated": pd.to_datetime(["2020-01-01"] * 2 + ["2026-01-01"])})  # fmt: skip
    assert choose_arms_series(same, start="1990-01-01", end="1996-12-31") == "a"
