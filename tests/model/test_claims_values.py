"""Claims that mean nothing, and claims the data cannot reach (issue 27, cases 10 and 3).

A stated ``nan`` or ``inf`` is refused when the file is read (one line: file, claim, field); a
claim about dates outside what the data cover is "not checkable with this data", with the
coverage named, never "0 … supported"; and on an early vintage every claim's evidence reads as
prose (no Python dict, no ``nan``, ``None`` or ``inf``).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import config
from analysis.data import DataError
from analysis.model.claims import NOT_CHECKABLE
from analysis.model.claims_check import check_claims, load_claims

HEAD = """\
sources:
  paper: {publisher: A Paper, title: An article, url: 'https://example.org/a', date: 2021-01-01}
claims:
"""


#: A number (YAML's .nan and .inf) compared with "less_than", or words compared as equal.
MEANINGLESS = [
    ("trade_growth", "less_than", "{flow: total, base_year: 2021, year: 2023}", ".nan"),
    ("trade_growth", "less_than", "{flow: total, base_year: 2021, year: 2023}", ".NaN"),
    ("trade_growth", "at_least", "{flow: total, base_year: 2021, year: 2023}", ".inf"),
    ("trade_growth", "more_than", "{flow: total, base_year: 2021, year: 2023}", "-.inf"),
    ("unga_vote", "equal", "{symbol: A/RES/1, member: CHN}", "'nan'"),
    ("unga_vote", "equal", "{symbol: A/RES/1, member: CHN}", "'-inf'"),
    ("unga_vote", "equal", "{symbol: A/RES/1, member: CHN}", "'Infinity'"),
    ("unga_vote", "equal", "{symbol: A/RES/1, member: CHN}", "' +inf '"),
]


@pytest.mark.parametrize(("test", "compare", "params", "stated"), MEANINGLESS)
def test_a_stated_nan_or_inf_is_refused_in_one_line(tmp_path, test, compare, params, stated):
    path = tmp_path / "values.yaml"
    path.write_text(
        HEAD + f"  - {{id: growth, source: paper, text: t, test: {test}, compare: {compare}, "
        f"params: {params}, stated: {stated}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_claims(path)
    line = str(caught.value)
    assert "\n" not in line and "values.yaml" in line, line
    assert "claim 'growth'" in line and "field 'stated'" in line, line


@pytest.fixture
def vetoes(tmp_path: Path) -> SimpleNamespace:
    (tmp_path / "unsc_vetoes.meta.yaml").write_text(
        "title: test vetoes\ncolumns: {}\nprimary_key: []\n"
        "coverage: {start: 1946-01-01, end: 2020-12-31}\n",
        encoding="utf-8",
    )
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["1950-01-13", "2011-10-04", "2011-10-04"]),
            "draft": ["S/1", "S/4", "S/4"],
            "member": ["SUN", "CHN", "RUS"],
        }
    )
    return SimpleNamespace(unsc_vetoes=frame, data_dir=tmp_path)


def test_a_claim_about_dates_outside_the_coverage_is_not_checkable(vetoes, tmp_path):
    path = tmp_path / "dates.yaml"
    path.write_text(
        HEAD + "  - {id: before, source: paper, text: no veto before 1941, test: veto_count, "
        "params: {members: [CHN], end: 1940-12-31}, stated: 0}\n"
        "  - {id: after, source: paper, text: no joint veto since 2025, test: joint_veto_count, "
        "params: {start: 2025-01-01}, stated: 0}\n"
        "  - {id: inside, source: paper, text: one joint veto, test: joint_veto_count, "
        "params: {start: 2000-01-01, end: 2020-12-31}, stated: 1}\n",
        encoding="utf-8",
    )
    rows = check_claims(vetoes, path).set_index("id")
    assert rows.loc["before", "verdict"] == NOT_CHECKABLE and rows.loc["before", "computed"] is None
    assert rows.loc["before", "evidence"] == "the veto list begins 1946-01-01, after 1940-12-31"
    assert rows.loc["after", "verdict"] == NOT_CHECKABLE
    assert rows.loc["after", "evidence"] == "the veto list ends 2020-12-31, before 2025-01-01"
    assert rows.loc["inside", ["computed", "verdict"]].tolist() == [1, "supported"]


#: What evidence must never hold: a Python dict or list, nan/None/inf/NaT, a repr's quotes.
NOT_PROSE = re.compile(r"[{}]|\[\s*'|(?i:\bnan\b|\binf\b)|\bNone\b|\bNaT\b|<[A-Za-z]")


@pytest.fixture(scope="module")
def real_ds():
    from analysis.data import load_all

    return load_all()


@pytest.mark.parametrize("as_of", ["1989-07-01", "1995-06-30", "2010-06-30"])
def test_on_an_early_vintage_every_claim_reads_as_prose(real_ds, as_of):
    vintage = real_ds.cut(as_of)
    for path in config.claims_files(real_ds.data_dir):
        rows = check_claims(vintage, path)
        for _, row in rows.iterrows():
            shown = [str(row["evidence"]), str(row["stated"])]
            shown += [] if row["computed"] is None else [str(row["computed"])]
            for text in shown:
                assert text.strip() and not NOT_PROSE.search(text), (row["id"], text)
        by_id = rows.set_index("id")
        if "strategic_partnership_1996" in by_id.index and as_of < "1996":
            assert by_id.loc["strategic_partnership_1996", "evidence"] == (
                "no partnership designation in the data containing 'strategic partnership' "
                "and of the kind 'upgrade'"
            )
        # claims about years or dates the vintage does not reach: not checkable, coverage named
        for cid, says in (
            ("sco_then_india_pakistan_iran", "the SCO and BRICS membership record"),
            ("gacc_still_reports", "the China–Russia trade series"),
        ):
            if cid in by_id.index:
                assert by_id.loc[cid, "verdict"] == NOT_CHECKABLE, (cid, by_id.loc[cid].to_dict())
                assert says in by_id.loc[cid, "evidence"]
