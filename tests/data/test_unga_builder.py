"""The builder of the full-record UN voting files (analysis/data/builders/unga_record*.py).

Reproducibility (rebuild from ../shared into a temporary folder, compare bytes; skipped without
the shared files), schema checks of every new file through analysis.data.load, agreement of the
2025 rows (and the rcid rows) with the curated key votes, the rules on a tiny synthetic source,
and bad input: one line naming the file and the column, exit 2, the data untouched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.data import load
from analysis.data.builders import unga_record

PROJECT = config.PROJECT_DIR
DATA = PROJECT / "data"
REF = config.SHARED_REFERENCE_DIR
NAMES = unga_record.NAMES
FILES = [f"{n}{suffix}" for n in NAMES for suffix in (".csv", ".meta.yaml")]
needs_ref = pytest.mark.skipif(
    not all(
        (REF / f).is_file()
        for f in (
            "unvotes_un_votes_cn_ru_us.csv",
            "unvotes_un_roll_calls.csv",
            "unvotes_un_roll_call_issues.csv",
            "unga_2025_votes_chn_rus_usa_3dl.csv",
        )
    ),
    reason=f"shared reference data absent ({REF}): cannot rebuild the derived files",
)


def run_builder(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.run(
        [sys.executable, "-m", "analysis.data.builders.unga_record", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


# --------------------------------------------------------------------------------------------
# The committed files
# --------------------------------------------------------------------------------------------


@needs_ref
def test_rebuild_reproduces_committed_files_byte_for_byte(tmp_path):
    proc = run_builder("--source-dir", str(REF), "--out-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)  # no temporary left


@pytest.mark.parametrize("name", NAMES)
def test_schema_of_every_new_file(name):
    frame = load(name, data_dir=DATA)
    assert len(frame) > 0
    assert frame["source_url"].str.match(r"https?://").all()


def test_bundled_files_shape_and_keys():
    rc = load("unga_record_roll_calls", data_dir=DATA)
    votes = load("unga_record_votes", data_dir=DATA)
    scores = load("unga_session_scores", data_dir=DATA)
    assert set(votes["roll_call"]) <= set(rc["roll_call"])
    assert set(rc["basis"]) == {"unvotes", "dl2025"}
    assert rc.loc[rc["basis"] == "dl2025", "date"].dt.year.eq(2025).all()
    assert rc.loc[rc["basis"] == "unvotes", "date"].max() < pd.Timestamp("2020-09-01")
    assert rc.loc[rc["basis"] == "dl2025", "issue_hr"].isna().all()
    assert rc["roll_call"].is_unique and not votes.duplicated(["roll_call", "member"]).any()
    assert set(scores["member"]) == {"CHN", "RUS", "USA"} and scores["session"].max() == 78
    assert (DATA / "unga_record_votes.csv").stat().st_size < 6_000_000


def test_2025_rows_agree_with_curated_key_votes():
    curated = load("unga_votes", data_dir=DATA)
    votes = load("unga_record_votes", data_dir=DATA)
    dl = votes[votes["roll_call"].str.startswith("dl-")].copy()
    dl["symbol"] = dl["roll_call"].str.removeprefix("dl-")
    overlap = curated[curated["symbol"].isin(set(dl["symbol"]))]
    assert set(overlap["symbol"]) >= {"A/RES/ES-11/7", "A/RES/ES-11/8"}
    got = dl.set_index(["symbol", "member"])["vote"]
    for row in overlap.itertuples():
        if row.vote == "absent":
            assert (row.symbol, row.member) not in got.index
        else:
            assert got[(row.symbol, row.member)] == row.vote, (row.symbol, row.member)


def test_unvotes_rows_agree_with_curated_key_votes():
    curated_rc = load("unga_roll_calls", data_dir=DATA).dropna(subset=["unvotes_rcid"])
    curated = load("unga_votes", data_dir=DATA).merge(curated_rc[["symbol", "unvotes_rcid"]])
    votes = load("unga_record_votes", data_dir=DATA).set_index(["roll_call", "member"])["vote"]
    checked = 0
    for row in curated.itertuples():
        key = (f"unvotes-{int(row.unvotes_rcid)}", "RUS" if row.member == "SUN" else row.member)
        if row.vote == "absent":
            assert key not in votes.index
        else:
            assert votes[key] == row.vote, key
        checked += 1
    assert checked >= 200


# --------------------------------------------------------------------------------------------
# The rules, on a tiny synthetic source
# --------------------------------------------------------------------------------------------


def _write(path: Path, frame: pd.DataFrame) -> None:
    frame.to_csv(path, index=False)


def tiny_sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "unvotes_un_roll_calls.csv",
        pd.DataFrame(
            {
                "rcid": [5309, 9075, 77],
                "session": ["68.0", "74.0", "3.0"],
                "importantvote": ["1", "", "0"],
                "date": ["2014-03-27", "2019-12-09", "1948-11-01"],
                "unres": ["R/68/262", "A/RES/74/17", "R/3/1"],
                "amend": ["", "0", "1"],
                "para": ["", "0", "0"],
                "short": ["ARMED CONFLICTS PREVENTION--MEDIATION", "", "PALESTINE"],
                "descr": [
                    "Territorial integrity of Ukraine : resolution / adopted by the General Assembly",
                    "The President: the representative of the Russian Federation has the floor",
                    "TO ADOPT A PARAGRAPH",
                ],
            }
        ),
    )
    _write(
        folder / "unvotes_un_votes_cn_ru_us.csv",
        pd.DataFrame(
            {
                "rcid": [5309, 5309, 5309, 9075, 77, 77],
                "country": ["China", "Russia", "United States", "Russia", "Russia", "France"],
                "country_code": ["CN", "RU", "US", "RU", "RU", "FR"],
                "vote": ["abstain", "no", "yes", "no", "yes", "yes"],
            }
        ),
    )
    _write(
        folder / "unvotes_un_roll_call_issues.csv",
        pd.DataFrame({"rcid": [77], "short_name": ["me"], "issue": ["Palestinian conflict"]}),
    )
    _write(
        folder / "unga_ideal_points_chn_rus_usa_sessions1_78_bsv_jun2024.csv",
        pd.DataFrame(
            {
                "ccode": [710, 365],
                "session": [68, 68],
                "NVotesAll": [70, 71],
                "IdealPointAll": [-0.8, -0.7123456789],
                "iso3c": ["CHN", "RUS"],
                "Countryname": ["China", "Russia"],
                "USAgree": [0.2, 0.25],
                "RUSSAgree": [0.7, 1.0],
                "ChinaAgree": [1.0, 0.7],
            }
        ),
    )
    _write(
        folder / "unga_2025_votes_chn_rus_usa_3dl.csv",
        pd.DataFrame(
            {
                "resolution": ["A/RES/ES-11/7", "A/RES/79/266", "A/RES/80/84 A", "A/RES/ES-11/9"],
                "date": ["2025-02-24", "2025-03-04", "2025-12-05", "2025-12-06"],
                "title": [
                    "Advancing a comprehensive, just and lasting peace in Ukraine : resolution / adopted by the General A",
                    "International Day : resolution / adopted by the Gen",
                    "Information in the service of humanity : resolution / adopted by the General Assembly",
                    "Return of children : resolution / adopted by the General Assembly",
                ],
                "vote_chn": ["ABSTAIN", "YES", "YES", "ABSENT"],
                "vote_rus": ["NO", "YES", "YES", "NO"],
                "vote_usa": ["NO", "NO", "NO", "YES"],
            }
        ),
    )
    return folder


def test_rules_on_tiny_source(tmp_path):
    src = tiny_sources(tmp_path / "src")
    out = tmp_path / "out"
    assert unga_record.main(["--source-dir", str(src), "--out-dir", str(out)]) == 0
    rc = load("unga_record_roll_calls", data_dir=out).set_index("roll_call")
    votes = load("unga_record_votes", data_dir=out)
    scores = load("unga_session_scores", data_dir=out)
    assert list(rc.index) == [
        "unvotes-77", "unvotes-5309", "unvotes-9075",
        "dl-A/RES/ES-11/7", "dl-A/RES/79/266", "dl-A/RES/80/84A", "dl-A/RES/ES-11/9",
    ]  # fmt: skip
    assert rc.loc["unvotes-5309", "title"] == "Territorial integrity of Ukraine"
    assert rc.loc["unvotes-5309", "names_target"] == "ukraine"
    # a meeting-record excerpt is not a title: "Russian Federation" there names no target
    assert pd.isna(rc.loc["unvotes-9075", "names_target"])
    assert rc.loc["unvotes-77", "issue_me"] == 1 and rc.loc["unvotes-77", "amend"] == 1
    assert pd.isna(rc.loc["unvotes-5309", "para"])  # empty in unvotes, left empty
    assert rc.loc["dl-A/RES/ES-11/7", "session"] == 79  # before any numbered 2025 vote
    assert rc.loc["dl-A/RES/ES-11/9", "session"] == 80
    assert rc.loc["dl-A/RES/79/266", "title"] == "International Day"
    assert rc.loc["dl-A/RES/ES-11/9", "names_target"] == "ukraine"
    assert pd.isna(rc.loc["dl-A/RES/79/266", "names_target"])
    assert rc.loc["dl-A/RES/80/84A", "source_url"] == "https://undocs.org/A/RES/80/84%20A"
    assert pd.isna(rc.loc["dl-A/RES/79/266", "issue_me"])
    assert set(votes["member"]) == {"CHN", "RUS", "USA"}  # France dropped
    assert not ((votes["roll_call"] == "dl-A/RES/ES-11/9") & (votes["member"] == "CHN")).any()
    rus = scores.set_index("member").loc["RUS"]
    assert rus["ideal_point"] == pytest.approx(-0.7123457)  # 7 significant digits
    assert (out / "unga_session_scores.csv").read_text().count("-0.7123457,") == 1
    # a second run is byte-identical
    before = {f: (out / f).read_bytes() for f in FILES}
    assert unga_record.main(["--source-dir", str(src), "--out-dir", str(out)]) == 0
    assert {f: (out / f).read_bytes() for f in FILES} == before


@pytest.mark.parametrize(
    ("file_name", "column"),
    [
        ("unvotes_un_roll_calls.csv", "para"),
        ("unvotes_un_votes_cn_ru_us.csv", "vote"),
        ("unvotes_un_roll_call_issues.csv", "short_name"),
        ("unga_ideal_points_chn_rus_usa_sessions1_78_bsv_jun2024.csv", "RUSSAgree"),
        ("unga_2025_votes_chn_rus_usa_3dl.csv", "vote_usa"),
    ],
)
def test_missing_column_one_line_exit_2_data_untouched(tmp_path, file_name, column):
    src = tiny_sources(tmp_path / "src")
    frame = pd.read_csv(src / file_name, dtype=str, keep_default_na=False)
    frame.drop(columns=[column]).to_csv(src / file_name, index=False)
    out = tmp_path / "data"
    out.mkdir()
    for name in FILES:  # a copy of the bundled files, which must stay as they are
        (out / name).write_bytes((DATA / name).read_bytes())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = run_builder("--source-dir", str(src), "--out-dir", str(out))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert file_name in lines[0] and f"column '{column}'" in lines[0] and "missing" in lines[0]
    assert proc.stdout == ""
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_value_names_file_row_and_column(tmp_path):
    src = tiny_sources(tmp_path / "src")
    path = src / "unga_2025_votes_chn_rus_usa_3dl.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "vote_rus"] = "MAYBE"
    frame.to_csv(path, index=False)
    proc = run_builder("--source-dir", str(src), "--out-dir", str(tmp_path / "out"))
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert "\n" not in line and "row 2" in line and "column 'vote_rus'" in line and "MAYBE" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_source_folder_exit_2(tmp_path):
    proc = run_builder("--source-dir", str(tmp_path / "nowhere"), "--out-dir", str(tmp_path))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
