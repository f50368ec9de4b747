"""UNGA roll calls in the unvotes layout: loader, issue rule, schema errors, cross-check by decade.

The cross-check reads ../shared/reference-data (skipped when absent) and recomputes China–Russia
agreement per decade straight from the raw CSVs with a plain pandas merge on rcid.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.data import DataError
from analysis.data.external.unvotes import (
    ISO2_TO_ISO3,
    find_files,
    issues,
    load_unvotes,
    roll_calls,
    votes_by_issue,
)
from analysis.indicators import unga_agreement

SHARED = Path(config.SHARED_REFERENCE_DIR)
SHARED_FILES = [
    "unvotes_un_votes_cn_ru_us.csv",
    "unvotes_un_roll_calls.csv",
    "unvotes_un_roll_call_issues.csv",
]
needs_shared = pytest.mark.skipif(
    not all((SHARED / f).exists() for f in SHARED_FILES),
    reason=f"reference data absent: {SHARED} lacks the unvotes CSVs ({', '.join(SHARED_FILES)})",
)

# --------------------------------------------------------------------------------------------
# Tiny hand-made tables in the TidyTuesday layout
# --------------------------------------------------------------------------------------------

ROLL_CALLS = """rcid,session,importantvote,date,unres,amend,para,short,descr
3,1,0,1946-01-01,R/1/66,1,0,"AMENDMENTS, RULES","TO ADOPT ""A"" PROPOSAL"
10,46,NA,1991-12-17,R/46/1,NA,NA,X,Y
20,47,1,1992-12-18,R/47/2,0,0,X,Y
30,48,0,1993-12-20,R/48/3,0,0,X,Y
"""
VOTES = """rcid,country,country_code,vote
3,Russia,RU,no
3,Namibia,NA,yes
3,Czechoslovakia,CS,yes
3,Kosovo,XK,abstain
10,China,CN,yes
10,Russia,RU,yes
20,China,CN,yes
20,Russia,RU,abstain
30,China,CN,no
30,Russia,RU,yes
30,United States,US,no
"""
ISSUES = """rcid,short_name,issue
20,nu,Nuclear weapons and nuclear material
20,di,Arms control and disarmament
30,hr,Human rights
"""


def write_tables(folder: Path, *, votes=VOTES, rolls=ROLL_CALLS, iss=ISSUES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "unvotes.csv").write_text(votes, encoding="utf-8")
    (folder / "roll_calls.csv").write_text(rolls, encoding="utf-8")
    (folder / "issues.csv").write_text(iss, encoding="utf-8")
    return folder


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "unvotes")


def test_long_form(tables):
    v = load_unvotes(tables)
    assert list(v.columns) == ["roll_call", "date", "issue", "member", "vote"]
    assert v["roll_call"].tolist() == ["3"] * 4 + ["10", "10", "20", "20", "30", "30", "30"]
    # ISO2 -> ISO3, Namibia's "NA" is not missing, former states by ISO 3166-3, unknown kept
    assert v.loc[v["roll_call"] == "3", "member"].tolist() == ["CSK", "NAM", "RUS", "XK"]
    assert v.attrs["unmapped"] == ["XK"]
    assert v["date"].dtype.kind == "M" and v["date"].iloc[-1] == pd.Timestamp("1993-12-20")
    # one row per roll call and member: the two issues of rcid 20 are joined, not duplicated
    row20 = v[v["roll_call"] == "20"]
    assert len(row20) == 2
    assert set(row20["issue"]) == {
        "Arms control and disarmament; Nuclear weapons and nuclear material"
    }
    assert v.loc[v["roll_call"] == "10", "issue"].isna().all()


def test_members_filter_and_ussr_label(tables):
    v = load_unvotes(tables, members=["CHN", "RUS"])
    assert set(v["member"]) == {"CHN", "RUS"} and len(v) == 7
    sun = load_unvotes(tables, members=["CHN", "RUS"], label_ussr=True)
    assert sun.loc[sun["date"] <= "1991-12-24", "member"].tolist() == ["SUN", "CHN", "SUN"]
    assert sun.loc[sun["date"] > "1991-12-24", "member"].tolist() == ["CHN", "RUS", "CHN", "RUS"]


def test_unga_agreement_on_the_tiny_tables(tables):
    # CHN-RUS both cast: rcid 10 (yes/yes), 20 (yes/abstain), 30 (no/yes)
    got = unga_agreement(load_unvotes(tables), start="1991-01-01", end="1993-12-31")
    value = got.pivot(index="period", columns="indicator", values="value")
    n = got.drop_duplicates("period").set_index("period")["n"]
    assert n.tolist() == [1, 1, 1]
    assert value["unga_agreement"].tolist() == [1.0, 0.0, 0.0]
    assert value["unga_agreement_half"].tolist() == [1.0, 0.5, 0.0]
    # Signorino-Ritter S = 1 - 2 d / d_max with d_max = 2 and d = 0, 1, 2
    assert value["unga_s_score"].tolist() == [1.0, 0.0, -1.0]


def test_roll_calls_and_issue_level_units(tables):
    rc = roll_calls(tables)
    assert rc["roll_call"].tolist() == ["3", "10", "20", "30"]
    assert rc["n_issues"].tolist() == [0, 0, 2, 1]
    assert rc["nu"].tolist() == [False, False, True, False]
    assert rc["amend"].isna().tolist() == [False, True, False, False]
    assert rc["session"].tolist() == [1, 46, 47, 48]
    assert rc.loc[0, "descr"] == 'TO ADOPT "A" PROPOSAL'
    units = votes_by_issue(load_unvotes(tables, members=["CHN", "RUS"]), issues(tables))
    assert sorted(set(units["roll_call"])) == ["20:di", "20:nu", "30:hr"]
    by_issue = unga_agreement(units, by_issue=True)
    half = by_issue[(by_issue["indicator"] == "unga_agreement_half") & (by_issue["n"] > 0)]
    assert dict(zip(half["issue"], half["value"], strict=True)) == {
        "Arms control and disarmament": 0.5,
        "Nuclear weapons and nuclear material": 0.5,
        "Human rights": 0.0,
    }


def test_iso_table_covers_the_codes_that_matter():
    assert ISO2_TO_ISO3["CN"] == "CHN" and ISO2_TO_ISO3["RU"] == "RUS"
    assert ISO2_TO_ISO3["US"] == "USA" and ISO2_TO_ISO3["TW"] == "TWN"
    assert len(ISO2_TO_ISO3) == 249 + 4
    assert all(len(k) == 2 and len(v) == 3 for k, v in ISO2_TO_ISO3.items())


# --------------------------------------------------------------------------------------------
# Errors: one line, naming file, row and column
# --------------------------------------------------------------------------------------------


def _error(folder: Path, **tables) -> DataError:
    write_tables(folder, **tables)
    with pytest.raises(DataError) as info:
        load_unvotes(folder)
    assert "\n" not in str(info.value)
    return info.value


def test_missing_column(tmp_path):
    err = _error(tmp_path, votes=VOTES.replace(",vote\n", ",ballot\n", 1))
    assert err.path.name == "unvotes.csv" and err.row is None
    assert "column 'vote' is missing" in str(err)


def test_bad_vote(tmp_path):
    err = _error(
        tmp_path, votes=VOTES.replace("3,Czechoslovakia,CS,yes", "3,Czechoslovakia,CS,maybe")
    )
    assert (err.path.name, err.row, err.column) == ("unvotes.csv", 3, "vote")
    assert "'maybe' is not one of yes, abstain, no" in str(err)
    assert "row 3 (line 4)" in str(err)


def test_empty_vote(tmp_path):
    err = _error(tmp_path, votes=VOTES.replace("10,China,CN,yes", "10,China,CN,"))
    assert (err.row, err.column) == (5, "vote") and "is empty" in str(err)


def test_unknown_rcid_in_votes(tmp_path):
    err = _error(tmp_path, votes=VOTES + "99,China,CN,yes\n")
    assert (err.path.name, err.row, err.column) == ("unvotes.csv", 12, "rcid")
    assert "rcid '99' is not in roll_calls.csv" in str(err)


def test_unknown_rcid_in_issues(tmp_path):
    err = _error(tmp_path, iss=ISSUES + "77,me,Palestinian conflict\n")
    assert (err.path.name, err.row, err.column) == ("issues.csv", 4, "rcid")


def test_bad_date_and_duplicate_rcid(tmp_path):
    err = _error(tmp_path / "a", rolls=ROLL_CALLS.replace("1992-12-18", "18/12/1992"))
    assert (err.path.name, err.row, err.column) == ("roll_calls.csv", 3, "date")
    err = _error(tmp_path / "b", rolls=ROLL_CALLS + "30,48,0,1993-12-21,R/48/4,0,0,X,Y\n")
    assert err.column == "rcid" and "duplicate rcid '30'" in str(err)


def test_bad_issue_code(tmp_path):
    err = _error(tmp_path, iss=ISSUES.replace("30,hr,", "30,xx,"))
    assert (err.path.name, err.row, err.column) == ("issues.csv", 3, "short_name")


def test_missing_or_ambiguous_files(tmp_path, tables):
    with pytest.raises(FileNotFoundError, match="no unvotes 'votes' table"):
        find_files(tmp_path)
    (tables / "unvotes_un_votes_cn_ru_us.csv").write_text(VOTES)
    with pytest.raises(ValueError, match="several files could be the 'votes' table"):
        find_files(tables)


# --------------------------------------------------------------------------------------------
# Cross-check on the shared copies of the real tables
# --------------------------------------------------------------------------------------------

CODES = {"yes": 1, "abstain": 2, "no": 3}


def _independent_by_decade() -> pd.DataFrame:
    """China–Russia agreement per decade from the raw CSVs: plain pandas, no library code."""
    raw = pd.read_csv(SHARED / SHARED_FILES[0], dtype=str, keep_default_na=False)
    rolls = pd.read_csv(SHARED / SHARED_FILES[1], dtype=str, keep_default_na=False)
    cn = raw[raw["country_code"] == "CN"][["rcid", "vote"]].rename(columns={"vote": "cn"})
    ru = raw[raw["country_code"] == "RU"][["rcid", "vote"]].rename(columns={"vote": "ru"})
    both = cn.merge(ru, on="rcid").merge(rolls[["rcid", "date"]], on="rcid")
    both["decade"] = both["date"].str[:3].astype(int) * 10
    d = (both["cn"].map(CODES) - both["ru"].map(CODES)).abs()
    both["identical"] = (d == 0).astype(float)
    both["half"] = np.where(
        d == 0, 1.0, np.where((both["cn"] == "abstain") | (both["ru"] == "abstain"), 0.5, 0.0)
    )
    both["d"] = d
    g = both.groupby("decade")
    return pd.DataFrame(
        {
            "n": g.size(),
            "unga_agreement": g["identical"].mean(),
            "unga_agreement_half": g["half"].mean(),
            "unga_s_score": 1 - 2 * g["d"].sum() / (2 * g.size()),
        }
    )


@pytest.mark.reference
@needs_shared
def test_agreement_by_decade_matches_an_independent_computation():
    votes = load_unvotes(SHARED, members=["CHN", "RUS"])
    yearly = unga_agreement(votes)
    yearly = yearly[yearly["n"] > 0].assign(decade=lambda f: f["period"].dt.year // 10 * 10)
    pooled = (
        yearly.assign(weighted=yearly["value"] * yearly["n"])
        .groupby(["decade", "indicator"])[["weighted", "n"]]
        .sum()
    )
    library = (pooled["weighted"] / pooled["n"]).unstack("indicator")
    library["n"] = pooled["n"].unstack("indicator")["unga_agreement"]
    expected = _independent_by_decade()
    assert library.index.tolist() == expected.index.tolist()
    assert library["n"].tolist() == expected["n"].tolist()
    for col in ("unga_agreement", "unga_agreement_half", "unga_s_score"):
        assert library[col].to_numpy() == pytest.approx(expected[col].to_numpy(), abs=1e-12), col
    # sanity on the data itself: five decades of joint voting from the 1970s on
    assert expected.index.min() == 1970 and expected["n"].sum() > 4000


@pytest.mark.reference
@needs_shared
def test_votes_agree_with_the_shared_wide_extract():
    wide_path = SHARED / "unga_rollcalls_chn_rus_1946_2019_unvotes.csv"
    if not wide_path.exists():
        pytest.skip(f"reference data absent: {wide_path}")
    wide = pd.read_csv(wide_path, dtype=str, keep_default_na=False).set_index("rcid")
    votes = load_unvotes(SHARED, members=["CHN", "RUS"])
    long = votes.pivot(index="roll_call", columns="member", values="vote").fillna("")
    assert set(long.index) == set(wide.index)
    assert (long.loc[wide.index, "CHN"] == wide["vote_china"]).all()
    assert (long.loc[wide.index, "RUS"] == wide["vote_russia_ussr"]).all()
    one_issue = roll_calls(SHARED).set_index("roll_call")
    assert one_issue.loc["5309", "unres"] == "R/68/262"  # Crimea, 2014-03-27
    assert long.loc["5309"].tolist() == ["abstain", "no"]
