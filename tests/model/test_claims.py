"""Tests of analysis.model.claims: verdicts on a tiny hand-built dataset, and two facts of the real data.

The fixture is a ``Datasets``-like namespace (only the frames the claim tests read) with a
``data_dir`` that holds a minimal ``unsc_vetoes.meta.yaml``, since the veto tests read the veto
list's declared coverage from it.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.data import DataError
from analysis.model.claims import (
    NOT_CHECKABLE,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    TESTS,
)
from analysis.model.claims_check import COMPARE, check_claims, load_claims

#: date, draft, member
VETOES = [
    ("1950-01-13", "S/1", "SUN"),
    ("1972-08-25", "S/2", "CHN"),
    ("1990-05-31", "S/3", "USA"),
    ("2011-10-04", "S/4", "CHN"),  # joint
    ("2011-10-04", "S/4", "RUS"),
    ("2012-02-04", "S/5", "CHN"),  # joint
    ("2012-02-04", "S/5", "RUS"),
    ("2017-04-12", "S/6", "RUS"),
    ("2017-12-18", "S/7", "USA"),
    ("2018-06-01", "S/8", "USA"),
    ("1956-10-30", "S/9", "GBR"),
    ("1956-10-30", "S/9", "FRA"),
]


@pytest.fixture
def ds(tmp_path: Path) -> SimpleNamespace:
    (tmp_path / "unsc_vetoes.meta.yaml").write_text(
        "title: test vetoes\ncolumns: {}\nprimary_key: []\n"
        "coverage: {start: 1946-01-01, end: 2020-12-31}\n",
        encoding="utf-8",
    )
    vetoes = pd.DataFrame(VETOES, columns=["date", "draft", "member"])
    vetoes["date"] = pd.to_datetime(vetoes["date"])
    designations = pd.DataFrame(
        {
            "date": pd.to_datetime(["2001-07-16", "1996-04-25", "2011-06-16"]),
            "change": ["treaty", "upgrade", "reaffirmation"],
            "designation_en": [
                "Treaty of Good-Neighbourliness and Friendly Cooperation",
                "strategic partnership of coordination",
                "comprehensive strategic partnership of coordination",
            ],
        }
    )
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["1989-05-15", "2012-12-01", "2013-03-22", "2001-06-15"]),
            "actor1": ["SUN", "CHN", "CHN", "CHN"],
            "category": ["state_visit", "summit_meeting", "state_visit", "multilateral"],
            "description": [
                "Gorbachev begins a state visit to Beijing",
                "Xi Jinping meets a Russian delegation",  # not a state visit
                "XI JINPING arrives in Moscow on a state visit",  # case differs on purpose
                "Six states found the Shanghai Cooperation Organisation (SCO)",
            ],
        }
    )
    roll_calls = pd.DataFrame({"symbol": ["A/RES/ES-11/1"], "date": pd.to_datetime(["2022-03-02"])})
    votes = pd.DataFrame(
        {"symbol": ["A/RES/ES-11/1"] * 2, "member": ["CHN", "RUS"], "vote": ["abstain", "no"]}
    )
    return SimpleNamespace(
        unsc_vetoes=vetoes,
        partnership_designations=designations,
        events=events,
        unga_roll_calls=roll_calls,
        unga_votes=votes,
        data_dir=tmp_path,
    )


CLAIMS_YAML = """\
sources:
  paper:
    publisher: A Paper
    title: An article
    url: https://example.org/article
    date: 2021-01-01
claims:
  - id: vetoes_right
    source: paper
    text: >-
      they vetoed
      7 times
    test: veto_count
    params: {members: [CHN, SUN, RUS], end: 2020-12-31}
    stated: 7
    reading: all vetoes
  - id: vetoes_wrong
    source: paper
    text: they vetoed 8 times
    test: veto_count
    params: {members: [CHN, SUN, RUS], end: 2020-12-31}
    stated: 8
  - id: vetoes_after_the_list
    source: paper
    text: they vetoed 9 times by 2030
    test: veto_count
    params: {members: [CHN, SUN, RUS], end: 2030-01-01}
    stated: 9
  - id: the_most
    source: paper
    text: they vetoed the most
    test: veto_group_rank
    params: {members: [CHN, SUN, RUS], end: 2020-12-31}
    stated: 1
  - id: ussr_alone_rank
    source: paper
    text: the USSR alone vetoed the most
    test: veto_group_rank
    params: {members: [SUN]}
    stated: 1
  - id: joint
    source: paper
    text: twice together since 2007
    test: joint_veto_count
    params: {start: 2007-01-01, end: 2020-12-31}
    stated: 2
  - id: partnership
    source: paper
    text: strategic partnership in 1996
    test: designation_year
    params: {contains: strategic partnership, change: upgrade}
    stated: 1996
  - id: no_such_designation
    source: paper
    text: an alliance
    test: designation_year
    params: {contains: military alliance}
    stated: 2020
  - id: treaty_later
    source: paper
    text: a treaty five years later
    test: years_between_designations
    params:
      first: {contains: strategic partnership, change: upgrade}
      second: {change: treaty}
    stated: 5
  - id: xi_2012
    source: paper
    text: Xi went to Moscow in 2012
    test: first_event_year
    params: {actor1: CHN, categories: [state_visit], description: Xi Jinping}
    stated: 2012
  - id: gorbachev
    source: paper
    text: Gorbachev went to Beijing in 1989
    test: first_event_year
    params: {actor1: SUN, categories: [state_visit, official_visit], description: Gorbachev}
    stated: 1989
  - id: sco
    source: paper
    text: the SCO was founded in 2001
    test: first_event_year
    params: {categories: [multilateral], pattern: 'Shanghai Cooperation Organi[sz]ation|\\bSCO\\b'}
    stated: 2001
  - id: no_event
    source: paper
    text: Yeltsin never went
    test: first_event_year
    params: {description: Yeltsin}
    stated: 1996
  - id: abstained
    source: paper
    text: China abstained
    test: unga_vote
    params: {symbol: A/RES/ES-11/1, member: CHN}
    stated: abstain
  - id: unknown_roll_call
    source: paper
    text: China abstained on another
    test: unga_vote
    params: {symbol: A/RES/99/1, member: CHN}
    stated: abstain
"""


@pytest.fixture
def claims_file(tmp_path: Path) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(CLAIMS_YAML, encoding="utf-8")
    return path


@pytest.fixture
def verdicts(ds, claims_file) -> pd.DataFrame:
    return check_claims(ds, claims_file).set_index("id")


def test_veto_count_supported_and_not_supported(verdicts):
    # SUN 1 (S/1) + CHN 3 (S/2, S/4, S/5) + RUS 3 (S/4, S/5, S/6) = 7
    assert verdicts.loc["vetoes_right", ["computed", "verdict"]].tolist() == [7, SUPPORTED]
    assert verdicts.loc["vetoes_wrong", ["computed", "verdict"]].tolist() == [7, NOT_SUPPORTED]
    assert verdicts.loc["vetoes_right", "evidence"] == (
        "China + USSR + Russia: 7 vetoes (China 3, USSR 1, Russia 3)"
    )


def test_claim_beyond_the_veto_list_is_not_checkable(verdicts):
    row = verdicts.loc["vetoes_after_the_list"]
    assert row["verdict"] == NOT_CHECKABLE and row["computed"] is None
    assert "ends 2020-12-31, before 2030-01-01" in row["evidence"]


def test_veto_group_rank_compares_like_with_like(verdicts):
    # Two seats (China 3; USSR/Russia 1 + 3 = 4) = 7 against each pair of the other seats:
    # FRA + GBR 2, FRA + USA 4, GBR + USA 4 -> rank 1, the best pair named.
    assert verdicts.loc["the_most", ["computed", "verdict"]].tolist() == [1, SUPPORTED]
    assert "vs UK + USA 4 (the most of any other 2 seats)" in verdicts.loc["the_most", "evidence"]
    # One seat (the USSR's, Russia's since 1991: 4) against each other seat (CHN 3, USA 3, ...)
    assert verdicts.loc["ussr_alone_rank", ["computed", "verdict"]].tolist() == [1, SUPPORTED]


def test_joint_veto_count(verdicts):
    assert verdicts.loc["joint", ["computed", "verdict"]].tolist() == [2, SUPPORTED]  # S/4, S/5


def test_designation_claims(verdicts):
    assert verdicts.loc["partnership", ["computed", "verdict"]].tolist() == [1996, SUPPORTED]
    treaty = verdicts.loc["treaty_later"]
    assert (treaty["computed"], treaty["verdict"]) == (5, SUPPORTED)  # 2001 − 1996
    assert verdicts.loc["no_such_designation", "verdict"] == NOT_CHECKABLE


def test_first_event_year_claims(verdicts):
    # the 2012 meeting is not a state visit; the first state visit is 2013-03-22
    assert verdicts.loc["xi_2012", ["computed", "verdict"]].tolist() == [2013, NOT_SUPPORTED]
    assert verdicts.loc["xi_2012", "evidence"].startswith("2013-03-22: ")
    assert verdicts.loc["gorbachev", ["computed", "verdict"]].tolist() == [1989, SUPPORTED]
    assert verdicts.loc["sco", ["computed", "verdict"]].tolist() == [2001, SUPPORTED]
    assert verdicts.loc["no_event", "verdict"] == NOT_CHECKABLE
    assert "'Yeltsin'" in verdicts.loc["no_event", "evidence"]


def test_unga_vote_claims(verdicts):
    assert verdicts.loc["abstained", ["computed", "verdict"]].tolist() == ["abstain", SUPPORTED]
    assert verdicts.loc["abstained", "evidence"] == "A/RES/ES-11/1 (2022-03-02): CHN abstain"
    assert verdicts.loc["unknown_roll_call", "verdict"] == NOT_CHECKABLE


def test_claims_table_layout(verdicts):
    assert list(verdicts.reset_index().columns) == [
        "id",
        "claim",
        "source",
        "source_url",
        "as_of",
        "reading",
        "stated",
        "compare",
        "computed",
        "verdict",
        "evidence",
        "forecast",
        "wording_from",
    ]
    assert verdicts.loc["vetoes_right", "claim"] == "they vetoed 7 times"  # whitespace folded
    assert verdicts.loc["vetoes_right", "source"] == 'A Paper, "An article" (2021-01-01)'
    assert verdicts.loc["vetoes_right", "source_url"] == "https://example.org/article"
    assert verdicts.loc["vetoes_wrong", "reading"] == ""
    assert set(verdicts["verdict"]) == {SUPPORTED, NOT_SUPPORTED, NOT_CHECKABLE}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("test: unga_vote", "test: no_such_test"), "unknown test 'no_such_test'"),
        (
            (
                "source: paper\n    text: China abstained\n",
                "source: blog\n    text: China abstained\n",
            ),
            "unknown source 'blog'",
        ),
        (("id: vetoes_wrong", "id: vetoes_right"), "'vetoes_right' is used twice"),
        (("    stated: 5\n", ""), "has no 'stated'"),
    ],
)
def test_load_claims_rejects_bad_files(tmp_path, change, message):
    old, new = change
    assert old in CLAIMS_YAML
    path = tmp_path / "bad.yaml"
    path.write_text(CLAIMS_YAML.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_claims(path)


def test_every_claim_of_the_bundled_file_names_a_known_test():
    doc = load_claims()
    assert doc["claims"] and all(c["test"] in TESTS for c in doc["claims"])


# --------------------------------------------------------------------------------------------
# The bundled claims on the bundled data
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_verdicts() -> pd.DataFrame:
    from analysis.data import load_all

    return check_claims(load_all()).set_index("id")


def test_real_data_vetoes_118_claim(real_verdicts):
    # China + USSR + Russia vetoes in the curated veto list from 1946 to 2023-02-22: 139
    row = real_verdicts.loc["vetoes_118"]
    assert (row["stated"], row["computed"], row["verdict"]) == (118, 139, NOT_SUPPORTED)


def test_real_data_xi_first_trip_claim(real_verdicts):
    # Xi Jinping's first state visit to Russia in the chronology: 2013-03-22
    row = real_verdicts.loc["xi_first_trip_2012"]
    assert (row["stated"], row["computed"], row["verdict"]) == (2012, 2013, NOT_SUPPORTED)
    assert row["evidence"].startswith("2013-03-22")


def test_real_data_verdicts_are_well_formed(real_verdicts):
    assert set(real_verdicts["verdict"]) <= {SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_CHECKABLE}
    assert real_verdicts["evidence"].str.len().gt(0).all()
    decided = real_verdicts[real_verdicts["verdict"] != NOT_CHECKABLE]
    holds = [
        COMPARE[c](v, s)
        for v, s, c in zip(decided["computed"], decided["stated"], decided["compare"], strict=True)
    ]
    held = decided["verdict"].isin([SUPPORTED, PARTLY])
    assert (held == pd.Series(holds, index=decided.index)).all()
    # "supported" only when the data hold all the claim says
    assert (decided["verdict"] == PARTLY).sum() >= 1  # the 2008 "fundamental interests" wording


def test_partly_forecast_and_wording_rules(ds, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        CLAIMS_YAML.split("claims:")[0]
        + """claims:
  - id: partly
    source: paper
    text: they vetoed twice together, to protect their core interests
    test: joint_veto_count
    params: {start: 2007-01-01, end: 2020-12-31}
    stated: 2
    unchecked: the motive
    wording_from: a secondary text
  - id: forecast
    source: paper
    text: they will veto together twice after the paper
    test: joint_veto_count
    params: {start: 2007-01-01, end: 2020-12-31}
    stated: 2
    forecast: true
""",
        encoding="utf-8",
    )
    rows = check_claims(ds, path).set_index("id")
    assert rows.loc["partly", "verdict"] == PARTLY
    assert rows.loc["partly", "evidence"].endswith("not in the data: the motive")
    assert rows.loc["forecast", "as_of"] is None and rows.loc["forecast", "verdict"] == SUPPORTED
    from analysis.sections.claims import WORDING_MARK, claims_table

    table = claims_table(rows.reset_index())
    assert table["Claim"].iloc[0].endswith(WORDING_MARK)
    assert table["Claim"].iloc[1].endswith("(a forecast)")
    bad = path.read_text().replace("forecast: true", "forecast: maybe")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError, match="field 'forecast' must be true or false"):
        load_claims(path)


@pytest.fixture(scope="module")
def real_ds():
    from analysis.data import load_all

    return load_all()


def test_us_dyads_trend_counts_the_cooled_us_dyads_and_says_how(real_ds):
    from analysis.model.claims import NotCheckable, check_us_dyads_trend

    count, evidence = check_us_dyads_trend(real_ds, start="2012-01-01", end="2023-02-22")
    assert count in (0, 1, 2)
    assert evidence.startswith("2012–2022: China–USA a change of ")
    assert "Russia–USA" in evidence and "draws" in evidence and "cooled =" in evidence
    # the whole record: Russia–USA cooled (slope about −0.34 a year, CI below zero)
    count_all, text = check_us_dyads_trend(
        real_ds, start="1992-01-01", end="2025-12-31", dyads=["RUS-USA"]
    )
    assert count_all == 1 and "Russia–USA" in text and "cooled" in text
    # a period with fewer than three whole years: not checkable, with a reason
    with pytest.raises(NotCheckable, match="China–USA"):
        check_us_dyads_trend(real_ds, start="1994-01-01", end="1995-12-31")


def test_the_article_claim_on_the_us_dyads_is_in_the_claims_file(real_ds):
    checked = check_claims(real_ds)
    row = checked[checked["id"] == "us_dyads_deteriorated"].iloc[0]
    assert row["stated"] == 2 and row["verdict"] in ("supported", "not supported")
    assert "each of the two countries with the United States" in row["claim"]
    assert (
        "90% of the draws" in row["evidence"] and "90% of the uncertainty draws" in row["reading"]
    )


def test_claims_are_checked_on_the_data_as_of_the_article_date():
    """The Time News claims run on the data cut at 22 February 2023 (the same mechanism as
    --as-of): a veto cast after that day cannot change their computed values."""
    from analysis.data import load_all
    from analysis.model.claims_check import as_of_source

    ds = load_all()
    article = as_of_source(ds, "2023-02-22")
    assert article.as_of == pd.Timestamp("2023-02-22")
    assert article.unsc_vetoes["date"].max() <= pd.Timestamp("2023-02-22")
    checked = check_claims(ds).set_index("id")
    time_news = checked[
        checked["source_url"].str.contains("time.news") & checked["forecast"].eq(False)
    ]
    assert len(time_news) and (time_news["as_of"] == "2023-02-22").all()
    # a forecast ("should this week publish") is checked on the data after the date
    assert checked.loc["position_paper_this_week", "as_of"] is None
    on_cut = check_claims(article).set_index("id")
    assert time_news["computed"].tolist() == on_cut.loc[time_news.index, "computed"].tolist()
    # a vintage earlier than the article stays as it is
    early = ds.cut("2020-01-01")
    assert as_of_source(early, "2023-02-22") is early


def test_a_claim_without_an_end_date_counts_only_to_its_source_date(tmp_path):
    from analysis.data import load_all
    from analysis.indicators import veto_counts

    path = tmp_path / "claims.yaml"
    path.write_text(
        "sources:\n  old: {publisher: P, title: T, url: 'https://example.org', date: 2000-01-01}\n"
        "claims:\n  - {id: v, source: old, text: t, test: veto_count, "
        "params: {members: [CHN]}, stated: 5}\n",
        encoding="utf-8",
    )
    ds = load_all()
    computed = check_claims(ds, path).set_index("id").loc["v", "computed"]
    assert computed == veto_counts(ds.unsc_vetoes, members=("CHN",), end="2000-01-01")
    assert computed < veto_counts(ds.unsc_vetoes, members=("CHN",))
