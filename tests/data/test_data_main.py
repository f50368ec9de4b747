"""``python -m analysis.data``: the staleness columns (last observation, lag in days behind the
newest source), --help, and the one-line errors of a missing, empty or broken data folder."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config
from analysis.data.__main__ import main
from tests.conftest import PROJECT


def _cut(src: Path, dst: Path, keep) -> None:
    """Copy a CSV keeping its header and the rows ``keep(row)`` accepts, bytes otherwise as they
    are (line endings included)."""
    with src.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    eol = "\r\n" if b"\r\n" in src.read_bytes() else "\n"
    with dst.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator=eol)
        writer.writerow(rows[0])
        writer.writerows(r for r in rows[1:] if keep(dict(zip(rows[0], r, strict=True))))


@pytest.fixture
def data(tmp_path) -> Path:
    """Vetoes to 2019, yearly trade to 2018, a lookup table and the calendar of events."""
    out = tmp_path / "data"
    out.mkdir()
    for name in ("unsc_vetoes", "trade", "cameo_goldstein", "watch_calendar"):
        shutil.copy(config.DATA_DIR / f"{name}.meta.yaml", out)
    _cut(config.DATA_DIR / "unsc_vetoes.csv", out / "unsc_vetoes.csv", lambda r: r["date"] < "2020")
    _cut(config.DATA_DIR / "trade.csv", out / "trade.csv", lambda r: int(r["year"]) <= 2018)
    for name in ("cameo_goldstein", "watch_calendar"):
        shutil.copy(config.DATA_DIR / f"{name}.csv", out)
    return out


def _rows(text: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in text.splitlines()[1:-1] if line.strip()}


def test_last_observation_and_lag_behind_the_newest_source(data, capsys):
    with (data / "unsc_vetoes.csv").open(newline="", encoding="utf-8") as fh:
        last_veto = max(r["date"] for r in csv.DictReader(fh))
    assert main(["--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    rows = _rows(out)
    assert rows["unsc_vetoes"][-2:] == [last_veto, "0"]  # the newest source
    lag = (dt.date.fromisoformat(last_veto) - dt.date(2018, 12, 31)).days
    assert rows["trade"][-2:] == ["2018", str(lag)]  # a yearly figure counts to 31 December
    assert rows["cameo_goldstein"][-2:] == ["n/a", "n/a"]  # a lookup table has no date
    assert rows["watch_calendar"][-1] == "calendar"  # the future sets no lag
    assert out.splitlines()[-1].startswith("lag_days: days from each dataset's last observation")
    assert f"{last_veto} (unsc_vetoes)" in out.splitlines()[-1]


def test_help_and_the_one_line_errors(data, tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "analysis.data", *args],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    proc = run("--help")
    assert proc.returncode == 0 and "--data-dir" in proc.stdout
    for folder in (tmp_path / "absent", tmp_path):  # no folder; a folder with no dataset
        proc = run("--data-dir", str(folder))
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    (data / "trade.csv").write_text("year,reporter\n1990,CHN\n", encoding="utf-8")
    proc = run("--data-dir", str(data))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "trade.csv" in proc.stderr
