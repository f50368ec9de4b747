"""The claim tests of issue 15 (arms deliveries, war posture, organisations, trade growth,
customs reporting, comparisons) on hand-made frames, and the new claims on the bundled data."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import config
from analysis.data import DataError
from analysis.model import claims as C
from analysis.model import claims_check as CC
from analysis.model.claims_file import load_claims


@pytest.fixture
def ds(tmp_path: Path) -> SimpleNamespace:
    (tmp_path / "war_posture.meta.yaml").write_text(
        "title: t\ncolumns: {}\nprimary_key: []\ncoverage: {start: 2022-01-01, end: 2023-12-31}\n",
        encoding="utf-8",
    )
    (tmp_path / "organisations.meta.yaml").write_text(
        "title: t\ncolumns: {}\nprimary_key: []\ncoverage: {start: 2001-06-15, end: 2023-07-04}\n",
        encoding="utf-8",
    )
    arms = pd.DataFrame(
        {
            "year": [2019, 2022, 2023, 2023],
            "supplier": ["CHN", "CHN", "CHN", "RUS"],
            "recipient": ["RUS", "RUS", "RUS", "CHN"],
            "tiv_million": [4.8, 4.8, 6.0, 100.0],
            "series": ["reg"] * 4,
            "sipri_generated": pd.to_datetime(["2026-02-12"] * 4),
        }
    )
    posture = pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-06-29", "2023-02-18", "2023-02-24"]),
            "actor1": ["CHN", "USA", "CHN"],
            "category": ["statement", "warning", "position_paper"],
            "cameo_code": ["111", "130", "027"],
            "description": ["China rejects listing", "US warns", "Position paper"],
        }
    )
    org = pd.DataFrame(
        {
            "organisation": ["SCO"] * 4,
            "date": pd.to_datetime(["2001-06-15", "2001-06-15", "2017-06-09", "2023-07-04"]),
            "member": ["RUS", "CHN", "IND", "IRN"],
            "event": ["founding", "founding", "accession", "accession"],
        }
    )
    trade = pd.DataFrame(
        {
            "year": [2021, 2022, 2023],
            "reporter": ["CHN"] * 3,
            "flow": ["chn_exports_to_rus", "total", "chn_exports_to_rus"],
            "value_usd": [60e9, 190e9, 110e9],
            "source": ["X, citing the General Administration of Customs", "Y", "Z, customs"],
        }
    )
    return SimpleNamespace(
        arms_transfers=arms,
        war_posture=posture,
        organisations=org,
        trade=trade,
        data_dir=tmp_path,
    )


def test_arms_deliveries_sum_a_pair_and_count_absent_years_as_none(ds):
    total, evidence = C.check_arms_deliveries(
        ds, supplier="CHN", recipient="RUS", start_year=2022, end_year=2023
    )
    assert total == 10.8  # 4.8 + 6.0; the RUS → CHN row is another pair
    assert "2019 4.8, 2022 4.8, 2023 6" in evidence
    with pytest.raises(C.NotCheckable, match="ends in 2023"):
        C.check_arms_deliveries(ds, supplier="CHN", recipient="RUS", start_year=2024, end_year=2024)
    with pytest.raises(C.NotCheckable, match="no SIPRI vintage"):
        C.check_arms_deliveries(ds, supplier="USA", recipient="RUS", start_year=2022, end_year=2022)


def test_posture_count_filters_and_refuses_dates_beyond_the_chronology(ds):
    n, evidence = C.check_posture_count(ds, actor1="CHN", cameo="111", end="2023-02-22")
    assert n == 1 and "2022-06-29: China rejects listing" in evidence
    assert C.check_posture_count(ds, category="warning", start="2023-02-19")[0] == 0
    with pytest.raises(C.NotCheckable, match="covers 2022-01-01 to 2023-12-31"):
        C.check_posture_count(ds, end="2024-06-30")


def test_organisation_members_and_accessions(ds):
    assert C.check_organisation_members(ds, organisation="SCO")[0] == "CHN, RUS"
    members, evidence = C.check_organisation_accessions(ds, organisation="SCO", end="2023-02-22")
    assert members == "IND" and "after that: IRN 2023-07-04" in evidence
    assert C.check_organisation_accessions(ds, organisation="SCO")[0] == "IND, IRN"
    with pytest.raises(C.NotCheckable):
        C.check_organisation_members(ds, organisation="BRICS")


def test_trade_growth_and_reported_years(ds):
    growth, _ = C.check_trade_growth(ds, flow="chn_exports_to_rus", base_year=2021, year=2023)
    assert growth == pytest.approx(0.833)  # 110 / 60 − 1
    with pytest.raises(C.NotCheckable, match="no CHN total figure for 2021"):
        C.check_trade_growth(ds, flow="total", base_year=2021, year=2022)
    n, evidence = C.check_reported_years(
        ds, start_year=2021, end_year=2023, flow="chn_exports_to_rus"
    )
    assert n == 2 and "2021, 2023" in evidence  # "customs" matches case-insensitively


def test_not_in_data_says_what_is_needed(ds):
    with pytest.raises(C.NotCheckable, match="needs monthly HS-6 data"):
        C.check_not_in_data(ds, needs="monthly HS-6 data")


@pytest.mark.parametrize(
    ("compare", "computed", "stated", "holds"),
    [
        ("equal", 1, 1, True),
        ("more_than", 0.61, 0.6, True),
        ("more_than", 0.6, 0.6, False),
        ("at_least", 2, 1, True),
        ("less_than", 3, 2, False),
        ("at_most", 2, 2, True),
    ],
)
def test_comparisons(compare, computed, stated, holds):
    assert CC.COMPARE[compare](computed, stated) is holds


_FILE = """
sources:
  s: {publisher: P, title: T, url: "https://example.org/a", date: 2024-05-06}
claims:
  - {id: a, source: s, text: x, test: trade_growth, stated: STATED, compare: COMPARE}
"""


@pytest.mark.parametrize(
    ("stated", "compare", "message"),
    [
        ("0.6", "roughly", "claim 'a': field 'compare': unknown comparison 'roughly'"),
        ("big", "more_than", "claim 'a': field 'stated' must be a number with 'more_than'"),
    ],
)
def test_a_bad_comparison_names_file_claim_and_field(tmp_path, stated, compare, message):
    path = tmp_path / "mine.yaml"
    path.write_text(_FILE.replace("STATED", stated).replace("COMPARE", compare), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_claims(path)
    text = str(err.value)
    assert "mine.yaml" in text and message in text and "\n" not in text


# ---- the bundled files on the bundled data ----------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    from analysis.data import load_all

    ds = load_all()
    frames = [CC.check_claims(ds, p) for p in config.claims_files()]
    return pd.concat(frames, ignore_index=True).set_index("id")


def test_the_default_claims_are_both_files():
    names = [p.name for p in config.claims_files()]
    assert names == ["claims.yaml", "claims_extra.yaml"]


@pytest.mark.parametrize(
    ("claim", "computed", "verdict"),
    [
        ("no_military_support", None, C.NOT_CHECKABLE),  # SIPRI cannot tell wartime supply
        ("no_speaking_out_against_sanctions", 1, C.NOT_SUPPORTED),  # MFA, 29 June 2022
        ("position_paper_this_week", 1, C.SUPPORTED),
        ("us_warning_february_2023", 2, C.SUPPORTED),
        ("sco_founders_2001", "CHN, KAZ, KGZ, RUS, TJK, UZB", C.SUPPORTED),
        ("sco_then_india_pakistan_iran", "IND, PAK", C.NOT_SUPPORTED),  # Iran: July 2023
        ("financial_support", None, C.NOT_CHECKABLE),
        ("exports_up_60pct", None, C.NOT_CHECKABLE),  # no 2021 export figure
        ("components_not_weapons", 10.8, C.NOT_SUPPORTED),
        ("gacc_still_reports", 2, C.SUPPORTED),
    ],
)
def test_the_new_claims_on_the_bundled_data(bundled, claim, computed, verdict):
    row = bundled.loc[claim]
    assert (row["computed"], row["verdict"]) == (computed, verdict)


def test_claims_option_replaces_both_default_files(monkeypatch, tmp_path):
    mine = tmp_path / "mine.yaml"
    monkeypatch.setenv("BRIEFING_CLAIMS_FILE", str(mine))
    assert config.claims_files() == [mine]


def test_a_bad_default_extra_file_is_refused_before_any_kernel(tmp_path):
    import shutil

    from analysis.pipeline.jobs import check_claims_file

    shutil.copy(config.DATA_DIR / "claims.yaml", tmp_path / "claims.yaml")
    extra = (config.DATA_DIR / "claims_extra.yaml").read_text(encoding="utf-8")
    (tmp_path / "claims_extra.yaml").write_text(
        extra.replace("compare: more_than", "compare: roughly", 1), encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        check_claims_file(None, tmp_path)
    text = str(err.value)
    assert "claims_extra.yaml" in text and "claim 'exports_up_60pct'" in text
    assert "field 'compare'" in text and "\n" not in text
