"""A claims file cannot run for minutes (issue 27, case 4).

A claim's ``description`` is words, matched as written (a pattern from a file was compiled as a
regular expression, and ``(\\w+\\s?)+$X`` burnt a core for ten minutes); a regular expression runs
only where a test declares a ``pattern`` parameter, with a time bound; the whole check of a file
has a time bound; and a file with many source dates cuts only the frames its claims read.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.data import DataError
from analysis.model import claims_limits
from analysis.model.claims import NOT_CHECKABLE, SUPPORTED
from analysis.model.claims_check import check_claims
from tests.conftest import PROJECT

SOURCE = """\
sources:
  paper: {publisher: A Paper, title: An article, url: 'https://example.org/a', date: 2021-01-01}
claims:
"""


def _events(*descriptions: str) -> SimpleNamespace:
    n = len(descriptions)
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2001-06-15"] * n),
            "actor1": ["CHN"] * n,
            "category": ["multilateral"] * n,
            "description": list(descriptions),
        }
    )
    return SimpleNamespace(events=events, data_dir=Path())


def _file(tmp_path: Path, claims: str) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(SOURCE + textwrap.dedent(claims), encoding="utf-8")
    return path


def test_a_description_is_words_not_a_regular_expression(tmp_path):
    ds = _events("Six states found the Shanghai Cooperation Organisation (SCO)")
    path = _file(
        tmp_path,
        """\
        - {id: words, source: paper, text: t, test: first_event_year,
           params: {description: 'shanghai COOPERATION'}, stated: 2001}
        - {id: brackets, source: paper, text: t, test: first_event_year,
           params: {description: 'Organi[sz]ation'}, stated: 2001}
        - {id: declared, source: paper, text: t, test: first_event_year,
           params: {pattern: 'Organi[sz]ation|\\bSCO\\b'}, stated: 2001}
        """,
    )
    rows = check_claims(ds, path).set_index("id")
    assert rows.loc["words", "verdict"] == SUPPORTED  # case-insensitive words
    assert rows.loc["brackets", "verdict"] == NOT_CHECKABLE  # '[sz]' is two characters
    assert "'Organi[sz]ation'" in rows.loc["brackets", "evidence"]
    assert rows.loc["declared", "verdict"] == SUPPORTED  # declared a pattern: run as one


def test_a_pathological_description_returns_at_once_on_the_real_chronology(tmp_path):
    """``(\\w+\\s?)+$X`` as a regular expression backtracks for minutes on the chronology; as
    words it is found nowhere, at once. A child process, so that a run of the old code (which
    cannot be interrupted inside the regex engine) fails by the timeout instead of hanging."""
    path = _file(
        tmp_path,
        """\
        - {id: slow, source: paper, text: t, test: first_event_year,
           params: {description: '(\\w+\\s?)+$X'}, stated: 2001}
        """,
    )
    code = (
        "from analysis.data import load_all\n"
        "from analysis.model.claims_check import check_claims\n"
        "import time\n"
        "ds = load_all(); t = time.monotonic()\n"
        f"row = check_claims(ds, {str(path)!r}).iloc[0]\n"
        "print(round(time.monotonic() - t, 2), row['verdict'], '|', row['evidence'])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    seconds, rest = proc.stdout.strip().split(" ", 1)
    assert float(seconds) < 3, proc.stdout
    assert rest.startswith(NOT_CHECKABLE) and "matches '(\\w+\\s?)+$X'" in rest, rest


def test_a_declared_pattern_runs_with_a_time_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(claims_limits, "PATTERN_SECONDS", 0.5)
    ds = _events("Xi Jinping visits", "x" * 40 + " (a word the engine backtracks on)")
    path = _file(
        tmp_path,
        """\
        - {id: fine, source: paper, text: t, test: first_event_year,
           params: {description: Xi}, stated: 2001}
        - {id: backtracks, source: paper, text: t, test: first_event_year,
           params: {pattern: '(\\w|\\w\\w)+$X'}, stated: 2001}
        """,
    )
    started = time.monotonic()
    with pytest.raises(DataError) as caught:
        check_claims(ds, path)
    assert time.monotonic() - started < 5  # 0.5 s of the engine's CPU, on a busy machine
    line = str(caught.value)
    assert "\n" not in line
    assert "hostile.yaml" in line and "claim 'backtracks'" in line, line
    assert "parameter 'pattern'" in line and "longer than 0.5 s" in line, line


def test_checking_a_file_has_a_total_time_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(claims_limits, "CHECK_SECONDS", 0.0)
    ds = _events("Xi Jinping visits")
    path = _file(
        tmp_path,
        """\
        - {id: first, source: paper, text: t, test: first_event_year,
           params: {description: Xi}, stated: 2001}
        - {id: second, source: paper, text: t, test: first_event_year,
           params: {description: Xi}, stated: 2001}
        """,
    )
    with pytest.raises(DataError) as caught:
        check_claims(ds, path)
    line = str(caught.value)
    assert "\n" not in line and "hostile.yaml" in line and "claim 'first'" in line, line
    assert "took longer than 0 s" in line and "CHECK_SECONDS" in line, line


def test_many_source_dates_cut_only_the_frames_their_claims_read(tmp_path, monkeypatch):
    """Every source date is a vintage of the data; cutting every file of the data folder for
    each (33 frames, ~0.13 s a date) made 300 dates take minutes. A vintage now cuts a frame
    when a claim reads it: here the veto list alone."""
    from analysis.data import load_all, loader

    dates = pd.date_range("1995-01-01", periods=40, freq="37D")
    sources = "".join(
        f"  s{i}: {{publisher: P, title: T, url: 'https://example.org/{i}', date: {d:%Y-%m-%d}}}\n"
        for i, d in enumerate(dates)
    )
    claims = "".join(
        f"  - {{id: c{i}, source: s{i}, text: t, test: veto_count, params: {{members: [CHN]}}, "
        "stated: 1}\n"
        for i in range(len(dates))
    )
    path = tmp_path / "dates.yaml"
    path.write_text(f"sources:\n{sources}claims:\n{claims}", encoding="utf-8")
    ds = load_all()
    calls = []
    real = loader.read_meta
    monkeypatch.setattr(
        loader, "read_meta", lambda name, d=None: calls.append(name) or real(name, d)
    )
    rows = check_claims(ds, path)
    assert len(rows) == len(dates) and set(rows["verdict"]) <= {SUPPORTED, "not supported"}
    assert set(calls) == {"unsc_vetoes"}, sorted(set(calls))
