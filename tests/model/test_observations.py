"""Tests of analysis.model.observations: each component's observations on tiny hand-made frames,
and what must not move them (a repeated row, a price level)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data.loader import Datasets
from analysis.model import components as C
from analysis.model import evaluation as E
from analysis.model import observations as O
from analysis.model.composite import year_ends

T = pd.to_datetime


def datasets(**frames) -> Datasets:
    return Datasets(frames, Path("/nonexistent"))


def yearly(key: str, ds: Datasets, dyad: str, first=2019, last=2021) -> list[float]:
    return E.evaluate(C.component(key), ds, dyad, year_ends(first, last), {}).tolist()


def contacts(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["dyad", "date", "kind", "leader_a", "leader_b"]).assign(
        date=lambda f: T(f["date"])
    )


def test_a_pandemic_year_of_calls_is_not_a_quiet_year():
    lc = contacts(
        [
            ("CHN-RUS", "2019-06-05", "visit", "Xi Jinping", "Vladimir Putin"),
            ("CHN-RUS", "2019-11-13", "meeting", "Xi Jinping", "Vladimir Putin"),
            ("CHN-RUS", "2020-02-04", "call", "Xi Jinping", "Vladimir Putin"),
            ("CHN-RUS", "2020-05-08", "call", "Xi Jinping", "Vladimir Putin"),
            ("CHN-RUS", "2020-11-17", "video_call", "Xi Jinping", "Vladimir Putin"),
            ("CHN-USA", "2020-01-15", "call", "Xi Jinping", "Donald Trump"),
        ]
    )
    assert yearly("leader_contacts", datasets(leader_contacts=lc), "CHN-RUS") == [2, 3, 0]


def test_a_repeated_contact_counts_once():
    lc = contacts([("RUS-USA", "2021-06-16", "meeting", "Vladimir Putin", "Joe Biden")] * 3)
    assert yearly("leader_contacts", datasets(leader_contacts=lc), "RUS-USA") == [0, 0, 1]


def framing_rows(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["dyad", "issuer", "date", "document_id", "level"])
    return frame.assign(date=T(frame["date"]))


def test_framing_is_the_mean_of_each_issuers_level_in_force_and_can_fall():
    fr = framing_rows(
        [
            ("RUS-USA", "USA", "2010-05-27", "us-nss-2010", 1),
            ("RUS-USA", "RUS", "2013-02-12", "ru-fpc-2013", 1),
            ("RUS-USA", "USA", "2017-12-18", "us-nss-2017", -2),
            ("RUS-USA", "RUS", "2023-03-31", "ru-fpc-2023", -2),
        ]
    )
    got = yearly("official_framing", datasets(official_framing=fr), "RUS-USA", 2010, 2023)
    # 2010–12: the US alone, +1; 2013–16: both +1; 2017–22: (−2 + 1)/2; 2023: −2
    assert got == [1, 1, 1] + [1] * 4 + [-0.5] * 6 + [-2]


def test_trade_share_is_the_mean_share_and_ignores_the_price_level():
    g = pd.DataFrame(
        [
            (2020, "USA", "RUS", "exports", 5.0),
            (2020, "USA", "RUS", "imports", 15.0),
            (2020, "USA", "WLD", "exports", 1000.0),
            (2020, "USA", "WLD", "imports", 1000.0),
            (2020, "RUS", "WLD", "total", 400.0),
        ],
        columns=["year", "reporter", "partner", "flow", "value_usd"],
    )
    got = O.trade_share(datasets(goods_trade=g), "RUS-USA")
    # shares: 20/2000 = 1 % of US trade, 20/400 = 5 % of Russia's: mean 3 %
    assert got["value"].tolist() == pytest.approx([3.0])
    inflated = g.assign(value_usd=g["value_usd"] * 1.37)
    again = O.trade_share(datasets(goods_trade=inflated), "RUS-USA")
    assert again["value"].tolist() == pytest.approx([3.0])


def test_council_alignment_counts_votes_alike_where_both_voted():
    votes = pd.DataFrame(
        {
            "date": T(["2020-01-10", "2020-02-10", "2020-03-10", "2020-03-10"]),
            "draft": ["S/1", "S/2", "S/3", "S/3"],  # a repeated row
            "vote_chn": ["no", "abstain", "yes", "yes"],
            "vote_rus": ["no", "no", "absent", "absent"],
            "vote_usa": ["yes", "yes", "yes", "yes"],
        }
    )
    obs = O.council_alignment(datasets(unsc_contested_votes=votes), "CHN-RUS")
    assert obs["num"].tolist() == [1.0, 0.0]  # S/3: Russia absent, not counted
    usa = O.council_alignment(datasets(unsc_contested_votes=votes), "CHN-USA")
    assert usa["num"].tolist() == [0.0, 0.0, 1.0]


def test_hostile_months_count_each_month_with_a_decision_once():
    acts = pd.DataFrame(
        {
            "dyad": ["CHN-USA"] * 3 + ["RUS-USA"],
            "date": T(["2018-03-22", "2018-03-29", "2019-05-10", "2014-03-06"]),
            "actor": ["USA", "USA", "CHN", "USA"],
            "stance": ["hostile"] * 4,
            "kind": ["tariffs", "tariffs", "tariffs", "sanctions"],
            "title": ["Section 301 action", "Section 301 action", "retaliation", "EO 13660"],
        }
    )
    got = yearly("hostile_months", datasets(official_acts=acts), "CHN-USA", 2017, 2020)
    assert got == [0, 1, 2, 2]  # three-year windows; March 2018 counts once


def test_exercises_count_bilateral_as_one_and_multilateral_as_a_half():
    cols = ["name", "activity_type", "start_date", "framework", "participants", "dyad"]
    mil = pd.DataFrame(
        [
            ("Joint Sea", "exercise", "2020-07-01", "bilateral", "CHN;RUS", None),
            ("Joint Sea", "exercise", "2020-07-01", "bilateral", "CHN;RUS", None),  # repeated
            ("Peace Mission", "exercise", "2020-08-01", "SCO", "CHN;KAZ;RUS", None),
            ("patrol", "joint_patrol", "2020-10-01", "bilateral", "CHN;RUS", None),
        ],
        columns=cols,
    ).drop(columns="dyad")
    us = pd.DataFrame(
        [
            ("RIMPAC", "exercise", "2020-09-01", "multilateral", "CHN;RUS;USA", "CHN-USA"),
            ("RIMPAC", "exercise", "2020-09-01", "multilateral", "CHN;RUS;USA", "RUS-USA"),
            ("DMX", "exercise", "2020-11-01", "bilateral", "CHN;USA", "CHN-USA"),
        ],
        columns=cols,
    )
    for frame in (mil, us):
        frame["start_date"] = T(frame["start_date"])
    ds = datasets(military_cooperation=mil, military_exercises_us=us)
    assert yearly("joint_exercises", ds, "CHN-RUS", 2020, 2020) == [2.0]  # 1 + ½ + ½ (RIMPAC)
    assert yearly("joint_exercises", ds, "CHN-USA", 2020, 2020) == [1.5]
    assert yearly("joint_exercises", ds, "RUS-USA", 2020, 2020) == [0.5]


def test_ideal_point_distance_is_dated_at_the_end_of_the_year_the_session_opened():
    scores = pd.DataFrame(
        {
            "session": [75, 75, 76],
            "member": ["CHN", "RUS", "CHN"],
            "ideal_point": [-0.5, -1.25, -0.6],
        }
    )
    obs = O.ideal_point_distance(datasets(unga_session_scores=scores), "CHN-RUS")
    assert obs["date"].tolist() == [T("2020-12-31")] and obs["value"].tolist() == [0.75]
