"""Tests of analysis.indicators.diplomatic: meetings, visits, calls, agreements, partnership level.

Every expectation is computed by hand on a frame built here; the arithmetic is in the comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.indicators import (
    IndicatorError,
    agreements_per_year,
    designation_in_force,
    designations_within,
    is_leader_meeting,
    leader_visits,
    meetings_per_year,
    partnership_level,
)

PROPERTY = settings(max_examples=50, deadline=None)

#: date, category, leader_level, cameo_code
EVENTS = [
    ("2019-03-01", "state_visit", "yes", "042"),  # leader meeting + official visit
    ("2019-04-01", "official_visit", "no", "042"),  # official visit only (not leader level)
    ("2019-05-01", "summit_meeting", "yes", "043"),  # leader meeting
    ("2019-06-01", "phone_call", "yes", "040"),  # leader call
    ("2019-07-01", "phone_call", "no", "040"),  # not a leader call
    ("2019-08-01", "agreement", "no", "057"),  # agreement (category)
    ("2019-09-01", "border", "no", "057"),  # agreement (CAMEO 057)
    ("2019-10-01", "joint_statement", "yes", "057"),  # agreement, counted once
    # 2020: nothing
    ("2021-01-01", "treaty", "yes", "057"),  # agreement
    ("2021-02-01", "multilateral", "yes", "042"),  # none of the above
]


def events_frame(rows=EVENTS) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]),
            "category": [r[1] for r in rows],
            "leader_level": [r[2] for r in rows],
            "cameo_code": [r[3] for r in rows],
        }
    )


def by_year(frame: pd.DataFrame, indicator: str, column: str = "value") -> dict[int, float]:
    rows = frame[frame["indicator"] == indicator]
    return {int(p.year): float(v) for p, v in zip(rows["period"], rows[column], strict=True)}


def test_meetings_visits_calls_per_year():
    out = meetings_per_year(events_frame())
    assert by_year(out, "leader_meetings") == {2019: 2, 2020: 0, 2021: 0}  # state visit + summit
    assert by_year(out, "official_visits") == {2019: 2, 2020: 0, 2021: 0}  # state + official visit
    assert by_year(out, "leader_calls") == {2019: 1, 2020: 0, 2021: 0}
    assert by_year(out, "leader_meetings", "n") == {2019: 2, 2020: 0, 2021: 0}


def test_meetings_empty_range_outside_the_data():
    out = meetings_per_year(events_frame(), start="2017-01-01", end="2018-12-31")
    assert by_year(out, "leader_meetings") == {2017: 0, 2018: 0}


def test_meetings_range_cuts_by_day():
    out = meetings_per_year(events_frame(), start="2019-04-15", end="2019-12-31")
    assert by_year(out, "leader_meetings") == {2019: 1}  # only the 2019-05-01 summit
    assert by_year(out, "official_visits") == {2019: 0}


def test_meetings_single_event():
    out = meetings_per_year(events_frame(EVENTS[:1]))
    assert by_year(out, "leader_meetings") == {2019: 1}


def test_agreements_per_year_and_cumulative():
    out = agreements_per_year(events_frame())
    # 2019: agreement, border protocol (057), joint statement -> 3; 2020: 0; 2021: treaty -> 1
    assert by_year(out, "agreements") == {2019: 3, 2020: 0, 2021: 1}
    assert by_year(out, "agreements_cumulative") == {2019: 3, 2020: 3, 2021: 4}


def test_cumulative_agreements_count_from_the_data_start_not_from_start():
    out = agreements_per_year(events_frame(), start="2021-01-01")
    assert by_year(out, "agreements") == {2021: 1}
    assert by_year(out, "agreements_cumulative") == {2021: 4}  # 3 (2019) + 1


def test_agreements_before_the_data_begin_are_zero():
    out = agreements_per_year(events_frame(), start="2018-01-01", end="2019-12-31")
    assert by_year(out, "agreements") == {2018: 0, 2019: 3}
    assert by_year(out, "agreements_cumulative") == {2018: 0, 2019: 3}


def test_agreements_empty_range_before_the_data_gives_zero_years():
    """Like meetings_per_year, every year of [start, end] appears, 0 before the data begin.

    Fails at present: when ``end`` is before the first event, ``agreements_per_year`` returns an
    empty frame, while a range that reaches into the data gives zeros for the same early years.
    """
    out = agreements_per_year(events_frame(), start="2017-01-01", end="2018-12-31")
    assert by_year(out, "agreements") == {2017: 0, 2018: 0}


def test_agreements_respect_day_level_bounds():
    """Only agreements dated inside [start, end] count, as in meetings_per_year.

    Fails at present: ``agreements_per_year`` counts whole calendar years of the unfiltered
    events, so September 2019 gets all three 2019 agreements instead of the border protocol of
    2019-09-01 alone. facts.period_metrics and phases.agreements_between inherit the error.
    """
    out = agreements_per_year(events_frame(), start="2019-09-01", end="2019-09-30")
    assert by_year(out, "agreements") == {2019: 1}
    # agreements since the data begin, up to 2019-09-30: 2019-08-01 and 2019-09-01
    assert by_year(out, "agreements_cumulative") == {2019: 2}


# --------------------------------------------------------------------------------------------
# Partnership ladder
# --------------------------------------------------------------------------------------------


def designations_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2001-07-16", "1996-04-25", "2011-06-16", "2019-06-05"]),
            "level": [4, 3, 4, 6],  # deliberately unsorted
            "change": ["treaty", "upgrade", "reaffirmation", "upgrade"],
            "designation_en": ["treaty", "strategic partnership", "treaty reaffirmed", "new era"],
        }
    )


def test_partnership_level_is_a_step_function():
    out = partnership_level(designations_frame(), start="1995-01-01", end="2020-12-31")
    levels = by_year(out, "partnership_level")
    assert math.isnan(levels[1995])  # before the first designation
    assert levels[1996] == 3 and levels[2000] == 3  # in force at the end of the year
    assert levels[2001] == 4 and levels[2011] == 4 and levels[2018] == 4
    assert levels[2019] == 6 and levels[2020] == 6  # designated in June: in force on 31 Dec
    n = by_year(out, "partnership_level", "n")
    assert (n[1995], n[1996], n[2001], n[2011], n[2019]) == (0, 1, 2, 3, 4)


def test_partnership_level_monthly_uses_the_month_end():
    out = partnership_level(designations_frame(), freq="MS", start="2001-06-01", end="2001-08-31")
    months = out["value"].tolist()
    assert months == [3, 4, 4]  # June: 3; July: designated on 16 July -> 4 at the month's end


def test_partnership_level_without_bounds_starts_at_first_designation():
    out = partnership_level(designations_frame())
    years = sorted(by_year(out, "partnership_level"))
    assert years[0] == 1996 and years[-1] == 2019


def test_partnership_level_single_designation():
    out = partnership_level(designations_frame().iloc[[1]], start="1995-01-01", end="1997-12-31")
    levels = by_year(out, "partnership_level")
    assert math.isnan(levels[1995]) and levels[1996] == 3 and levels[1997] == 3


def test_partnership_level_without_designations_says_what_to_load():
    with pytest.raises(IndicatorError, match=r"partnership_designations\.csv"):
        partnership_level(designations_frame().iloc[:0])


def test_designation_in_force_and_within():
    des = designations_frame()
    assert designation_in_force(des, "1990-01-01") is None
    assert designation_in_force(des, "2001-07-16")["level"] == 4  # on the day itself
    assert designation_in_force(des, "2001-07-15")["level"] == 3
    within = designations_within(des, start="2000-01-01", end="2012-01-01")
    assert within["date"].dt.year.tolist() == [2001, 2011]  # oldest first


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_unknown_freq():
    with pytest.raises(IndicatorError, match="'YS'"):
        partnership_level(designations_frame(), freq="D")


def test_missing_columns():
    with pytest.raises(IndicatorError, match=r"\['leader_level'\]"):
        meetings_per_year(events_frame().drop(columns="leader_level"))
    with pytest.raises(IndicatorError, match=r"\['cameo_code'\]"):
        agreements_per_year(events_frame().drop(columns="cameo_code"))
    with pytest.raises(IndicatorError, match=r"\['level'\]"):
        partnership_level(designations_frame().drop(columns="level"))


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

RANDOM_EVENTS = st.lists(
    st.tuples(
        st.dates(
            min_value=pd.Timestamp("2015-01-01").date(), max_value=pd.Timestamp("2018-12-31").date()
        ),
        st.sampled_from(
            [
                "state_visit",
                "official_visit",
                "summit_meeting",
                "phone_call",
                "treaty",
                "agreement",
                "joint_statement",
                "border",
                "other",
            ]
        ),
        st.sampled_from(["yes", "no"]),
        st.sampled_from(["042", "057", "040"]),
    ),
    min_size=1,
    max_size=30,
)


@PROPERTY
@given(rows=RANDOM_EVENTS, data=st.data())
def test_counts_do_not_depend_on_row_order(rows, data):
    events = events_frame([(d.isoformat(), c, lvl, code) for d, c, lvl, code in rows])
    order = data.draw(st.permutations(range(len(events))))
    shuffled = events.iloc[list(order)].reset_index(drop=True)
    pd.testing.assert_frame_equal(meetings_per_year(events), meetings_per_year(shuffled))
    pd.testing.assert_frame_equal(agreements_per_year(events), agreements_per_year(shuffled))
    cum = by_year(agreements_per_year(events), "agreements_cumulative")
    assert list(cum.values()) == sorted(cum.values())  # never decreases


@PROPERTY
@given(
    rows=st.lists(
        st.tuples(
            st.dates(
                min_value=pd.Timestamp("1990-01-01").date(),
                max_value=pd.Timestamp("2020-12-31").date(),
            ),
            st.integers(min_value=1, max_value=6),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda r: r[0],
    ),
    data=st.data(),
)
def test_partnership_level_does_not_depend_on_row_order(rows, data):
    des = pd.DataFrame(
        {"date": pd.to_datetime([r[0] for r in rows]), "level": [r[1] for r in rows]}
    )
    order = data.draw(st.permutations(range(len(des))))
    shuffled = des.iloc[list(order)].reset_index(drop=True)
    a = partnership_level(des, start="1990-01-01", end="2020-12-31")
    pd.testing.assert_frame_equal(
        a, partnership_level(shuffled, start="1990-01-01", end="2020-12-31")
    )
    assert a["value"].dropna().isin(range(1, 7)).all()


def test_one_visit_counts_once_on_its_first_day():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2003-05-26", "2003-05-27", "2003-12-31", "2004-01-02", "2004-06-01"]
            ),
            "category": [
                "state_visit",
                "summit_meeting",
                "state_visit",
                "state_visit",
                "summit_meeting",
            ],
            "leader_level": ["yes", "yes", "yes", "yes", "yes"],
            "visit_id": ["2003-05-hu", "2003-05-hu", "2003-12-x", "2003-12-x", None],
            "cameo_code": ["042"] * 5,
        }
    )
    assert leader_visits(frame).tolist() == [True, False, True, False, True]
    got = meetings_per_year(frame, start="2003-01-01", end="2004-12-31")
    meetings = got[got["indicator"] == "leader_meetings"]["value"].tolist()
    assert meetings == [
        2,
        1,
    ]  # 2003: two visits; 2004: the one without an id (the Dec visit is 2003's)


def test_the_bundled_chronology_counts_each_visit_once():
    from analysis.data import load_all

    ev = load_all().events
    assert is_leader_meeting(ev).sum() > leader_visits(ev).sum()  # duplicate rows exist
    dup = ev[(ev["visit_id"] == ev.loc[leader_visits(ev), "visit_id"].mode()[0])]
    assert leader_visits(ev)[dup.index].sum() == 1


# ---- summit attendance, each leader over his own tenure ----------------------------------------


def _summits(rows):
    cols = ["organisation", "date", "chn_head_of_state", "chn_attendance",
            "rus_head_of_state", "rus_attendance", "both_heads_in_person"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=cols)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_summit_attendance_counts_each_leader_over_his_tenure_only():
    """Across Xi's accession (March 2013): the 2012 summit is Hu's, not Xi's, so Xi is 1 of 2;
    both came in person to 2 of 3; a summit with one side unrecorded counts as unknown."""
    from analysis.indicators.diplomatic import summit_attendance

    summits = _summits([
        ("SCO", "2012-06-06", "Hu Jintao", "in_person", "Vladimir Putin", "in_person", "yes"),
        ("SCO", "2013-09-13", "Xi Jinping", "in_person", "Vladimir Putin", "in_person", "yes"),
        ("SCO", "2019-06-13", "Xi Jinping", None, "Vladimir Putin", "in_person", None),
        ("BRICS", "2013-03-26", "Xi Jinping", "video", "Vladimir Putin", "in_person", "no"),
    ])  # fmt: skip
    out = summit_attendance(summits, "SCO", "2012-01-01", "2020-12-31").set_index("head_of_state")
    assert out.loc["Hu Jintao", ["summits", "in_person"]].tolist() == [1, 1]
    assert out.loc["Xi Jinping", ["summits", "in_person", "unknown"]].tolist() == [2, 1, 1]
    assert out.loc["Vladimir Putin", ["summits", "in_person"]].tolist() == [3, 3]
    both = out[out["country"] == "both"].iloc[0]
    assert (both["summits"], both["in_person"], both["unknown"]) == (3, 2, 1)
    later = summit_attendance(summits, "SCO", "2013-03-14", "2020-12-31")
    assert "Hu Jintao" not in set(later["head_of_state"])  # before the range: not counted
    brics = summit_attendance(summits, "BRICS", "2013-01-01", "2013-12-31").set_index("country")
    assert (brics.loc["CHN", "video"], brics.loc["both", "absent"]) == (1, 1)


def test_summit_attendance_refuses_the_old_columns():
    from analysis.indicators._common import IndicatorError
    from analysis.indicators.diplomatic import summit_attendance

    old = pd.DataFrame({"organisation": ["SCO"], "date": pd.to_datetime(["2014-09-11"]),
                        "xi_attended": ["yes"], "putin_attended": ["yes"]})  # fmt: skip
    with pytest.raises(IndicatorError, match="chn_head_of_state"):
        summit_attendance(old, "SCO", None, None)
