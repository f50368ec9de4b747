"""Tests of analysis.indicators.un: Security Council vetoes and UNGA voting agreement.

Every expectation is computed by hand on a frame built here; the arithmetic is in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.indicators import (
    IndicatorError,
    agreement_overall,
    dyad_scores,
    unga_agreement,
    veto_counts,
    veto_summary,
    vetoes_per_year,
    vote_of,
    votes_long,
)

PROPERTY = settings(max_examples=50, deadline=None)


def by_year(frame: pd.DataFrame, indicator: str, column: str = "value") -> dict[int, float]:
    rows = frame[frame["indicator"] == indicator]
    return {int(p.year): float(v) for p, v in zip(rows["period"], rows[column], strict=True)}


def same(a: float, b: float) -> bool:
    """Equality that treats NaN as equal to NaN."""
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


# --------------------------------------------------------------------------------------------
# Security Council vetoes
# --------------------------------------------------------------------------------------------


def vetoes_frame() -> pd.DataFrame:
    rows = [
        ("2019-01-10", "S/1", "CHN"),  # joint: same date, same draft
        ("2019-01-10", "S/1", "RUS"),
        ("2019-06-01", "S/2", "RUS"),  # Russia alone
        ("2019-09-01", "S/3", "USA"),  # another member
        # 2020: no veto at all
        ("2021-03-01", "S/4", "CHN"),  # China alone
        ("2021-05-01", "S/5", "CHN"),  # same day as S/6 but another draft: not joint
        ("2021-05-01", "S/6", "RUS"),
    ]
    frame = pd.DataFrame(rows, columns=["date", "draft", "member"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_vetoes_per_year_counts_by_member_joint_and_share():
    out = vetoes_per_year(vetoes_frame())
    # 2019: China S/1 -> 1; Russia S/1, S/2 -> 2; joint S/1 -> 1; drafts S/1, S/2, S/3 -> 3
    # 2020: nothing -> 0 everywhere; 2021: China S/4, S/5 -> 2; Russia S/6 -> 1; joint 0; drafts 3
    assert by_year(out, "vetoes_chn") == {2019: 1, 2020: 0, 2021: 2}
    assert by_year(out, "vetoes_rus") == {2019: 2, 2020: 0, 2021: 1}
    assert by_year(out, "vetoes_joint") == {2019: 1, 2020: 0, 2021: 0}
    assert by_year(out, "vetoed_drafts") == {2019: 3, 2020: 0, 2021: 3}
    share = by_year(out, "joint_share")
    assert share[2019] == 1.0  # 1 joint / 1 Chinese
    assert math.isnan(share[2020])  # China cast none: NaN, not 0 and not inf
    assert share[2021] == 0.0  # 0 joint / 2 Chinese
    assert by_year(out, "joint_share", "n") == {2019: 1, 2020: 0, 2021: 2}  # n = China's vetoes
    assert list(out.columns) == ["period", "indicator", "value", "n"]


def test_vetoes_ussr_counts_as_russia_and_joint():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["1990-05-31", "1990-05-31", "1991-02-01"]),
            "draft": ["S/21000", "S/21000", "S/22000"],
            "member": ["CHN", "SUN", "SUN"],
        }
    )
    out = vetoes_per_year(frame)
    # 1990: SUN + CHN on the same draft -> rus 1, chn 1, joint 1; 1991: SUN alone -> rus 1
    assert by_year(out, "vetoes_rus") == {1990: 1, 1991: 1}
    assert by_year(out, "vetoes_joint") == {1990: 1, 1991: 0}


def test_vetoes_empty_range_gives_zero_years_and_nan_share():
    out = vetoes_per_year(vetoes_frame(), start="2020-01-01", end="2020-12-31")
    assert by_year(out, "vetoes_chn") == {2020: 0}
    assert by_year(out, "vetoed_drafts") == {2020: 0}
    assert math.isnan(by_year(out, "joint_share")[2020])


def test_vetoes_no_rows_at_all_gives_empty_tidy():
    out = vetoes_per_year(vetoes_frame().iloc[:0])
    assert out.empty
    assert list(out.columns) == ["period", "indicator", "value", "n"]


def test_vetoes_single_data_point():
    out = vetoes_per_year(vetoes_frame().iloc[[2]])  # 2019-06-01, S/2, RUS
    assert by_year(out, "vetoes_rus") == {2019: 1}
    assert by_year(out, "vetoes_chn") == {2019: 0}
    assert math.isnan(by_year(out, "joint_share")[2019])


def test_veto_summary_shares():
    table = veto_summary(vetoes_frame())
    # CHN 3 (S/1, S/4, S/5), RUS 3 (S/1, S/2, S/6), USA 1 -> 7 vetoes cast in all
    assert table["member"].tolist() == ["CHN", "RUS", "USA"]  # by count, then by code
    assert table["vetoes"].tolist() == [3, 3, 1]
    assert table["share"].tolist() == pytest.approx([3 / 7, 3 / 7, 1 / 7])
    assert table["share"].sum() == pytest.approx(1.0)


def test_veto_summary_range_and_empty_range():
    table = veto_summary(vetoes_frame(), start="2021-01-01")
    # 2021: CHN 2, RUS 1 -> shares 2/3, 1/3
    assert dict(zip(table["member"], table["share"], strict=True)) == pytest.approx(
        {"CHN": 2 / 3, "RUS": 1 / 3}
    )
    assert veto_summary(vetoes_frame(), start="2020-01-01", end="2020-12-31").empty


def test_veto_counts_members_and_joint():
    v = vetoes_frame()
    assert veto_counts(v, members=("CHN", "RUS")) == 6  # 3 + 3
    assert veto_counts(v, members=("CHN",), end="2020-12-31") == 1  # S/1 only
    assert veto_counts(v, members=("CHN",), joint=True) == 1  # S/1
    assert veto_counts(v, members=("CHN",), start="2020-01-01", joint=True) == 0
    with pytest.raises(IndicatorError, match="unknown member"):
        veto_counts(v, members=("XXX",))


# --------------------------------------------------------------------------------------------
# General Assembly agreement
# --------------------------------------------------------------------------------------------

#: symbol, date, issue, CHN vote, RUS vote
ROLL_CALLS = [
    ("R1", "2019-03-01", "ukraine", "yes", "yes"),  # identical: d 0, half 1
    ("R2", "2019-06-01", "other", "yes", "abstain"),  # d 1, half 0.5
    ("R3", "2019-09-01", "other", "yes", "no"),  # d 2, half 0
    ("R4", "2019-10-01", "other", "abstain", "no"),  # d 1, half 0.5
    ("R5", "2019-11-01", "other", "yes", "absent"),  # excluded: Russia did not vote
    # 2020: no roll call
    ("R6", "2021-02-01", "ukraine", "abstain", "abstain"),  # identical: d 0, half 1
]


def roll_call_frames(rows=ROLL_CALLS, russia: str = "RUS") -> tuple[pd.DataFrame, pd.DataFrame]:
    rc = pd.DataFrame(
        {
            "symbol": [r[0] for r in rows],
            "date": pd.to_datetime([r[1] for r in rows]),
            "issue": [r[2] for r in rows],
        }
    )
    votes = pd.DataFrame(
        [(r[0], m, v) for r in rows for m, v in (("CHN", r[3]), (russia, r[4]))],
        columns=["symbol", "member", "vote"],
    )
    return rc, votes


def long_votes(rows=ROLL_CALLS) -> pd.DataFrame:
    return votes_long(*roll_call_frames(rows))


def test_votes_long_relabels_ussr_and_keeps_columns():
    rc, votes = roll_call_frames([("R0", "1990-12-01", "other", "yes", "no")], russia="SUN")
    out = votes_long(rc, votes)
    assert list(out.columns) == ["roll_call", "date", "issue", "member", "vote"]
    assert sorted(out["member"]) == ["CHN", "RUS"]  # SUN -> RUS
    assert vote_of(out, "R0", "RUS") == "no"
    assert vote_of(out, "R0", "SUN") is None
    assert vote_of(out, "R-missing", "CHN") is None


def test_votes_long_without_issue_column():
    rc, votes = roll_call_frames()
    out = votes_long(rc.drop(columns="issue"), votes)
    assert out["issue"].isna().all()
    assert len(out) == 12


def test_dyad_scores_identical_half_distance_and_absences():
    scores = dyad_scores(long_votes()).set_index("roll_call")
    assert sorted(scores.index) == ["R1", "R2", "R3", "R4", "R6"]  # R5 (absent) excluded
    assert scores["identical"].to_dict() == {"R1": 1, "R2": 0, "R3": 0, "R4": 0, "R6": 1}
    assert scores["half"].to_dict() == {"R1": 1, "R2": 0.5, "R3": 0, "R4": 0.5, "R6": 1}
    assert scores["distance"].to_dict() == {"R1": 0, "R2": 1, "R3": 2, "R4": 1, "R6": 0}


def test_unga_agreement_per_year():
    out = unga_agreement(long_votes())
    # 2019: R1-R4 (n 4): identical 1/4; half (1 + .5 + 0 + .5)/4 = .5;
    #       Σd = 0+1+2+1 = 4 -> S = 1 − 2·4/(4·2) = 0
    # 2020: no roll call -> NaN, n 0;  2021: R6 (n 1): 1, 1, S = 1 − 0 = 1
    assert by_year(out, "unga_agreement", "n") == {2019: 4, 2020: 0, 2021: 1}
    agree, half, s = (
        by_year(out, k) for k in ("unga_agreement", "unga_agreement_half", "unga_s_score")
    )
    assert agree[2019] == 0.25 and half[2019] == 0.5 and s[2019] == 0.0
    assert agree[2021] == 1.0 and half[2021] == 1.0 and s[2021] == 1.0
    assert all(math.isnan(x[2020]) for x in (agree, half, s))  # a year without votes


def test_unga_agreement_by_issue():
    out = unga_agreement(long_votes(), by_issue=True)
    rows = out[(out["indicator"] == "unga_s_score") & (out["period"].dt.year == 2019)]
    got = dict(zip(rows["issue"], rows["value"], strict=True))
    # 2019 ukraine: R1 -> S 1; other: R2, R3, R4, Σd = 4, n 3 -> S = 1 − 2·4/(3·2) = −1/3
    assert got == pytest.approx({"ukraine": 1.0, "other": -1 / 3})
    n21 = out[(out["indicator"] == "unga_agreement") & (out["period"].dt.year == 2021)]
    assert dict(zip(n21["issue"], n21["n"], strict=True)) == {"other": 0, "ukraine": 1}


def test_unga_agreement_monthly_grid():
    out = unga_agreement(long_votes(), freq="MS", start="2019-01-01", end="2019-04-30")
    months = out[out["indicator"] == "unga_agreement"]
    assert months["period"].dt.month.tolist() == [1, 2, 3, 4]
    assert months["n"].tolist() == [0, 0, 1, 0]  # only R1 (March)


def test_agreement_overall_pooled():
    got = agreement_overall(long_votes())
    # n 5 (R1-R4, R6): identical 2/5; half (1+.5+0+.5+1)/5 = .6; Σd 4 -> S = 1 − 2·4/(5·2) = .2
    assert got["n"] == 5
    assert got["unga_agreement"] == pytest.approx(0.4)
    assert got["unga_agreement_half"] == pytest.approx(0.6)
    assert got["unga_s_score"] == pytest.approx(0.2)


def test_agreement_empty_range():
    got = agreement_overall(long_votes(), start="2020-01-01", end="2020-12-31")
    assert got["n"] == 0 and math.isnan(got["unga_s_score"])
    out = unga_agreement(long_votes(), start="2020-01-01", end="2020-12-31")
    assert len(out) == 3 and out["value"].isna().all() and (out["n"] == 0).all()


def test_agreement_all_abstentions():
    both = [(f"R{i}", f"2019-0{i}-01", "other", "abstain", "abstain") for i in range(1, 4)]
    got = agreement_overall(long_votes(both))
    assert (got["unga_agreement"], got["unga_agreement_half"], got["unga_s_score"]) == (1, 1, 1)
    one = [(f"R{i}", f"2019-0{i}-01", "other", "yes", "abstain") for i in range(1, 4)]
    got = agreement_overall(long_votes(one))
    # every d = 1: identical 0, half .5, S = 1 − 2·3/(3·2) = 0
    assert (got["unga_agreement"], got["unga_agreement_half"], got["unga_s_score"]) == (0, 0.5, 0)


def test_agreement_always_opposite_is_minus_one():
    rows = [("R1", "2019-01-01", "other", "yes", "no"), ("R2", "2019-02-01", "other", "no", "yes")]
    assert agreement_overall(long_votes(rows))["unga_s_score"] == -1.0  # Σd 4, n 2: 1 − 8/4


def test_agreement_only_absences_gives_nan():
    rows = [("R1", "2019-01-01", "other", "yes", "absent")]
    out = unga_agreement(long_votes(rows))
    assert out["value"].isna().all() and (out["n"] == 0).all()


def test_agreement_single_roll_call():
    out = unga_agreement(long_votes(ROLL_CALLS[2:3]))  # R3: yes vs no
    assert by_year(out, "unga_s_score") == {2019: -1.0}
    assert by_year(out, "unga_agreement_half") == {2019: 0.0}


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_integer_year_is_not_taken_for_a_date():
    """``start=2019`` must be refused (or read as 2019), never read as 1970-01-01.

    Fails at present: ``_common.as_timestamp`` passes the int to ``pd.Timestamp``, which reads
    it as 2019 nanoseconds after the epoch, so the range silently starts on 1970-01-01.
    """
    with pytest.raises(IndicatorError, match="YYYY-MM-DD"):
        vetoes_per_year(vetoes_frame(), start=2019)


def test_unknown_freq():
    with pytest.raises(IndicatorError, match="'YS'"):
        unga_agreement(long_votes(), freq="W")


def test_missing_columns():
    with pytest.raises(IndicatorError, match=r"needs the column\(s\) \['member'\]"):
        vetoes_per_year(vetoes_frame().drop(columns="member"))
    with pytest.raises(IndicatorError, match="needs the column"):
        veto_summary(vetoes_frame().drop(columns="member"))
    rc, votes = roll_call_frames()
    with pytest.raises(IndicatorError, match="needs the column"):
        votes_long(rc.drop(columns="date"), votes)
    with pytest.raises(IndicatorError, match="needs the column"):
        unga_agreement(long_votes().drop(columns="vote"))


def test_missing_date_column_with_a_range_is_an_indicator_error():
    """A long-form frame without ``date`` must give IndicatorError, also when a range is given.

    Fails at present: ``unga_agreement``/``agreement_overall`` (and ``veto_counts``) call
    ``within(votes, "date", ...)`` before checking the columns, so pandas raises KeyError('date').
    """
    votes = long_votes().drop(columns="date")
    with pytest.raises(IndicatorError, match="needs the column"):
        unga_agreement(votes, start="2019-01-01")
    with pytest.raises(IndicatorError, match="needs the column"):
        agreement_overall(votes, start="2019-01-01")


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

VOTE = st.sampled_from(["yes", "abstain", "no", "absent"])


@st.composite
def random_roll_calls(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    rows = []
    for i in range(n):
        day = draw(
            st.dates(
                min_value=pd.Timestamp("2015-01-01").date(),
                max_value=pd.Timestamp("2018-12-31").date(),
            )
        )
        issue = draw(st.sampled_from(["ukraine", "other"]))
        rows.append((f"R{i}", day.isoformat(), issue, draw(VOTE), draw(VOTE)))
    return rows


@PROPERTY
@given(rows=random_roll_calls())
def test_scores_stay_in_range(rows):
    out = unga_agreement(long_votes(rows))
    s = out.loc[out["indicator"] == "unga_s_score", "value"].dropna()
    assert ((s >= -1 - 1e-12) & (s <= 1 + 1e-12)).all()
    ident = out.loc[out["indicator"] == "unga_agreement", "value"].to_numpy()
    half = out.loc[out["indicator"] == "unga_agreement_half", "value"].to_numpy()
    ok = ~np.isnan(ident)
    assert (ident[ok] <= half[ok] + 1e-12).all() and ((half[ok] >= 0) & (half[ok] <= 1)).all()
    overall = agreement_overall(long_votes(rows))
    if overall["n"]:
        assert -1 <= overall["unga_s_score"] <= 1


@PROPERTY
@given(rows=random_roll_calls(), data=st.data())
def test_agreement_does_not_depend_on_row_order(rows, data):
    votes = long_votes(rows)
    order = data.draw(st.permutations(range(len(votes))))
    shuffled = votes.iloc[list(order)].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        unga_agreement(votes, by_issue=True), unga_agreement(shuffled, by_issue=True)
    )
    a, b = agreement_overall(votes), agreement_overall(shuffled)
    assert a.keys() == b.keys() and all(same(float(a[k]), float(b[k])) for k in a)


@PROPERTY
@given(
    rows=st.lists(
        st.tuples(
            st.dates(
                min_value=pd.Timestamp("2000-01-01").date(),
                max_value=pd.Timestamp("2003-12-31").date(),
            ),
            st.integers(min_value=1, max_value=6),
            st.sampled_from(["CHN", "RUS", "SUN", "USA", "GBR"]),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda r: (r[0], r[1], r[2]),
    ),
    data=st.data(),
)
def test_vetoes_do_not_depend_on_row_order(rows, data):
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]),
            "draft": [f"S/{r[1]}" for r in rows],
            "member": [r[2] for r in rows],
        }
    )
    order = data.draw(st.permutations(range(len(frame))))
    shuffled = frame.iloc[list(order)].reset_index(drop=True)
    pd.testing.assert_frame_equal(vetoes_per_year(frame), vetoes_per_year(shuffled))
    pd.testing.assert_frame_equal(veto_summary(frame), veto_summary(shuffled))
    # joint never exceeds either member's count
    out = vetoes_per_year(frame)
    joint, chn = by_year(out, "vetoes_joint"), by_year(out, "vetoes_chn")
    assert all(joint[y] <= chn[y] for y in joint)
    share = by_year(out, "joint_share")
    assert all(same(share[y], joint[y] / chn[y] if chn[y] else float("nan")) for y in share)
