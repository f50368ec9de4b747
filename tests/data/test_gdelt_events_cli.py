"""``briefing events`` / ``briefing events-sql`` at the command line, hostile input included,
and the daily table as the measures' input (``gdelt_daily``)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.data.external.gdelt_daily import (
    coverage_normalised_balance,
    load_event_aggregates,
    read_event_aggregates,
)
from analysis.data.external.gdelt_files import MAX_LINE_BYTES, GdeltFormatError
from analysis.pipeline import cli
from tests.conftest import PROJECT
from tests.data.gdelt_reference import COLUMNS
from tests.data.test_external_gdelt import V2, dyad

GOOD = [
    dyad(V2, "1", "20220301", "CHN", "RUS", "057", "1", "8.0"),
    dyad(V2, "2", "20220301", "USA", "CHN", "190", "4", "-10.0"),
    dyad(V2, "3", "20220302", "FRA", "DEU", "042", "1", "1.9"),
    dyad(V2, "4", "20220302", "RUS", "USA", "112", "3", "-2.0", Actor1Name=b"\xe9\xff"),
]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_exit_2(code: int, err: str) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("briefing events: error: "), err


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "in" / "20220301000000.export.CSV"
    path.parent.mkdir()
    path.write_bytes(b"\n".join(GOOD) + b"\n" + b"short\tline\n")
    return path


def test_events_writes_exactly_the_columns_and_prints_the_malformed_count(capsys, tmp_path, good):
    out = tmp_path / "daily.csv"
    code, stdout, err = _run(capsys, "events", str(good.parent), "--out", str(out))
    assert code == 0, err
    assert "malformed lines: 1 " in stdout
    text = out.read_text()
    assert text.splitlines()[0] == ",".join(COLUMNS)
    table = pd.read_csv(out)
    assert table["date"].tolist() == ["2022-03-01"] * 3 + ["2022-03-02"] * 3
    assert table["events"].tolist() == [1, 1, 0, 0, 0, 1]  # the non-UTF-8 line counts
    assert table["total_events"].tolist() == [2, 2, 2, 2, 2, 2]
    assert table["goldstein_sum"].tolist() == [8.0, -10.0, 0.0, 0.0, 0.0, -2.0]
    assert len(read_event_aggregates(out)) == 6  # the measures' loader takes it as it is
    assert sorted(p.name for p in tmp_path.iterdir()) == ["daily.csv", "in"]


def _truncated_zip(folder: Path) -> Path:
    path = folder / "20220301000000.export.CSV.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("20220301000000.export.CSV", b"\n".join(GOOD * 500) + b"\n")
    path.write_bytes(path.read_bytes()[:-200])  # the central directory is cut
    return path


def _damaged_member(folder: Path) -> Path:
    path = folder / "20220302000000.export.CSV.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("20220302000000.export.CSV", b"\n".join(GOOD * 500) + b"\n")
    raw = bytearray(path.read_bytes())
    raw[60:68] = b"\xff" * 8  # inside the deflate stream
    path.write_bytes(bytes(raw))
    return path


def _encrypted_member(folder: Path) -> Path:
    path = folder / "20220303000000.export.CSV.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("20220303000000.export.CSV", b"\n".join(GOOD) + b"\n")
    raw = bytearray(path.read_bytes())
    raw[6] |= 1  # the "encrypted" flag, in the local header
    cd = raw.rfind(b"PK\x01\x02")
    raw[cd + 8] |= 1  # and in the central directory
    path.write_bytes(bytes(raw))
    return path


def _long_line_in_the_middle(folder: Path) -> Path:
    path = folder / "long.export.CSV"
    path.write_bytes(b"\n".join(GOOD * 50) + b"\n" + b"x" * (3 * MAX_LINE_BYTES) + b"\n" + GOOD[0])
    return path


def _long_line_in_a_zip(folder: Path) -> Path:
    path = folder / "20220304000000.export.CSV.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.export.CSV", b"\n".join(GOOD) + b"\n")
        zf.writestr("b.export.CSV", b"\n".join(GOOD) + b"\n" + b"z" * (2 * MAX_LINE_BYTES))
    return path


def _many_tabs(folder: Path) -> Path:
    """DuckDB takes minutes over one line of this many tabs; the guard refuses it at once."""
    path = folder / "tabs.export.CSV"
    path.write_bytes(b"\n".join(GOOD) + b"\n" + b"a\t" * 600_000 + b"\n")
    return path


def _no_newline_at_all(folder: Path) -> Path:
    path = folder / "one.CSV"
    path.write_bytes(b"y" * (2 * MAX_LINE_BYTES))
    return path


def _other_layout(folder: Path) -> Path:
    path = folder / "votes.csv"
    path.write_text("rcid,country,vote\n1,CHN,yes\n")
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_truncated_zip, "damaged archive"),
        (_damaged_member, "damaged archive"),
        (_encrypted_member, "encrypted"),
        (_long_line_in_the_middle, "longer than 1 MiB"),
        (_many_tabs, "longer than 1 MiB"),
        (_long_line_in_a_zip, "!b.export.CSV: a line is longer than 1 MiB"),
        (_no_newline_at_all, "longer than 1 MiB"),
        (_other_layout, "not a GDELT event export"),
    ],
)
def test_hostile_input_is_one_line_exit_2_and_nothing_written(capsys, tmp_path, good, make, words):
    bad = make(good.parent)
    out = tmp_path / "daily.csv"
    code, _, err = _run(capsys, "events", str(good.parent), "--out", str(out))
    _one_line_exit_2(code, err)
    assert words in err and bad.name in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_archive_members_without_a_last_newline_stay_apart(tmp_path):
    """Members are packed into one file per layout for DuckDB: a member whose last line has no
    newline must not run into the next member's first line."""
    from analysis.data.external.gdelt_run import aggregate_events

    for k in range(3):
        with zipfile.ZipFile(tmp_path / f"2022030{k}.export.CSV.zip", "w") as zf:
            zf.writestr(f"m{k}.export.CSV", b"\n".join(GOOD))  # no newline at the end
    got = aggregate_events(tmp_path)
    assert got.attrs["lines"] == 3 * len(GOOD) and got.attrs["malformed"] == 0
    assert len(got.attrs["columns"]) == 3  # one entry per member
    assert got.groupby("date")["total_events"].first().tolist() == [2 * 3, 2 * 3]


def test_bad_arguments_are_exit_2(capsys, tmp_path, good):
    code, _, err = _run(capsys, "events", str(good), "--out", str(tmp_path))
    _one_line_exit_2(code, err)
    code, _, err = _run(capsys, "events", str(tmp_path / "none"), "--out", str(tmp_path / "o.csv"))
    _one_line_exit_2(code, err)
    assert "no such GDELT file" in err
    code, _, err = _run(capsys, "events-sql", "--start", "2022-02-30", "--end", "2022-03-01")
    assert code == 2 and "is not a day" in err
    code, _, err = _run(capsys, "events-sql", "--start", "2022-03-01", "--end", "2022-01-01")
    assert code == 2 and "after" in err


def test_events_sql_prints_the_bigquery_query_without_numerical_libraries():
    code = (
        "import json, sys\nfrom analysis.pipeline import cli\n"
        "rc = cli.main(['events-sql', '--engine', 'bigquery', '--start', '2022-01-01', "
        "'--end', '2022-12-31'])\n"
        "print(json.dumps([rc, sorted(m for m in ('pandas', 'duckdb', 'numpy') if m in sys.modules)]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    *sql, last = proc.stdout.strip().splitlines()
    assert json.loads(last) == [0, []], proc.stderr[-500:]
    text = "\n".join(sql)
    assert "FROM `gdelt-bq`.gdeltv2.events_partitioned" in text
    assert "SQLDATE BETWEEN 20220101 AND 20221231" in text


# ---- the daily table as the measures' input ---------------------------------------------------


def test_load_event_aggregates_finds_checks_and_refuses(capsys, tmp_path, good):
    assert load_event_aggregates(tmp_path) is None
    assert (
        _run(capsys, "events", str(good), "--out", str(tmp_path / "gdelt_events_daily.csv"))[0] == 0
    )
    daily = load_event_aggregates(tmp_path)
    assert list(daily.columns) == COLUMNS and len(daily) == 6
    assert daily["date"].dtype.kind == "M"
    text = (tmp_path / "gdelt_events_daily.csv").read_text()
    for bad, words in [
        (text.replace("total_mentions", "mentions_total"), "columns"),
        (text.replace("CHN-RUS", "CHN-GBR"), "unknown dyad"),
        (text.replace("2022-03-01", "01/03/2022"), "not YYYY-MM-DD"),
        (text + text.splitlines()[1] + "\n", "appear twice"),
        (text.replace(",2,", ",-2,", 1), "whole number"),
    ]:
        (tmp_path / "gdelt_events_daily.csv").write_text(bad)
        with pytest.raises(GdeltFormatError, match=words) as info:
            load_event_aggregates(tmp_path)
        assert "\n" not in str(info.value) and "gdelt_events_daily.csv" in str(info.value)


def test_make_data_writes_the_daily_table_from_the_exports(tmp_path, good):
    from analysis.data.external.gdelt_daily import refresh_from_exports

    assert "no GDELT exports" in refresh_from_exports(tmp_path)
    (tmp_path / "gdelt").mkdir()
    (tmp_path / "gdelt" / good.name).write_bytes(good.read_bytes())
    line = refresh_from_exports(tmp_path)
    assert line.startswith("gdelt_events_daily.csv: 2 days x 3 dyads from 5 lines (1 malformed")
    assert len(load_event_aggregates(tmp_path)) == 6
    _other_layout(tmp_path / "gdelt")
    with pytest.raises(GdeltFormatError, match=r"votes\.csv"):
        refresh_from_exports(tmp_path)
    assert len(load_event_aggregates(tmp_path)) == 6  # the previous table is kept


def test_coverage_normalised_balance_by_hand():
    daily = pd.DataFrame(
        {
            "date": pd.to_datetime(["2021-12-31", "2022-01-01", "2022-01-02", "2022-02-01"] * 1),
            "dyad": ["CHN-RUS"] * 4,
            "events": [5, 3, 1, 0],
            "cooperative": [4, 3, 0, 0],
            "conflictual": [1, 0, 1, 0],
            "total_events": [1000, 500, 1500, 2000],
        }
    )
    yearly = coverage_normalised_balance(daily)
    assert yearly["period"].dt.year.tolist() == [2021, 2022]
    assert yearly["balance"].tolist() == pytest.approx([3 / 5, 2 / 4])
    assert yearly["events_per_million_total"].tolist() == pytest.approx([5000, 4 / 4000 * 1e6])
    monthly = coverage_normalised_balance(daily, freq="MS")
    assert monthly["events"].tolist() == [5, 4, 0]
    assert np.isnan(monthly["balance"].iloc[2])  # no signed event
    assert monthly["events_per_million_total"].iloc[2] == 0


counts = st.integers(0, 50)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(counts, counts, counts, st.integers(0, 5000)), min_size=1, max_size=30))
def test_balance_and_intensity_stay_in_their_ranges(rows):
    days = pd.date_range("2020-12-20", periods=len(rows), freq="D")
    daily = pd.DataFrame(
        {
            "date": days,
            "dyad": "RUS-USA",
            "cooperative": [c for c, _, _, _ in rows],
            "conflictual": [k for _, k, _, _ in rows],
            "events": [c + k + o for c, k, o, _ in rows],
            "total_events": [c + k + o + t for c, k, o, t in rows],
        }
    )
    out = coverage_normalised_balance(daily, freq="MS")
    assert out["events"].sum() == daily["events"].sum()
    bal = out["balance"].dropna()
    assert ((bal >= -1) & (bal <= 1)).all()
    rate = out["events_per_million_total"].dropna()
    assert ((rate >= 0) & (rate <= 1e6)).all()
