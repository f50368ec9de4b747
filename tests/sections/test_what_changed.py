"""What changed: against a previous briefing of the same range made, in the test, from a
perturbed copy of the data (China–Russia trade in 2025 lowered), and without one."""

from __future__ import annotations

import html as h
import json
import shutil

import pandas as pd
import pytest

from analysis import config
from analysis.render.briefing import Briefing
from analysis.sections import what_changed as W

START = "2015-01-01"


@pytest.fixture(scope="module")
def previous_numbers(tmp_path_factory) -> dict:
    """The figures.json of a briefing of [START, data end] made from data whose 2025 trade total
    was $200.0 bn, written as if its data had ended on 1 January 2026."""
    data = tmp_path_factory.mktemp("perturbed") / "data"
    shutil.copytree(config.DATA_DIR, data)
    trade = data / "trade.csv"
    text = trade.read_text(encoding="utf-8")
    assert "\n2025,CHN,total,228105000000.0," in text
    trade.write_text(text.replace("\n2025,CHN,total,228105000000.0,", "\n2025,CHN,total,200000000000.0,"),
                     encoding="utf-8")  # fmt: skip
    before = Briefing(START, None, data_dir=data)
    for key in before.section_keys():
        before.section(key)
    numbers = dict(before.numbers().values)
    numbers["data.end"] = {"value": "2026-01-01", "text": "2026-01-01"}
    return numbers


@pytest.fixture(scope="module")
def now() -> Briefing:
    return Briefing(START, None)


def _write(reports, folder: str, numbers: dict) -> None:
    (reports / folder).mkdir(parents=True)
    (reports / folder / "figures.json").write_text(json.dumps(numbers), encoding="utf-8")


def test_the_previous_briefing_is_found_and_its_moved_figures_listed(
    tmp_path, monkeypatch, previous_numbers, now
):
    reports = tmp_path / "reports"
    _write(reports, f"{START}_{now.end:%Y-%m-%d}", previous_numbers)
    # not previous briefings of this range: another start, an as-of briefing, newer data
    _write(reports, f"2014-01-01_{now.end:%Y-%m-%d}", {**previous_numbers, "range.start":
           {"value": "2014-01-01", "text": "2014-01-01"}})  # fmt: skip
    _write(reports, f"{START}_{now.end:%Y-%m-%d}_as-of-2025-06-01", previous_numbers)
    monkeypatch.setattr(config, "REPORTS_DIR", reports)
    found = W.previous_briefing(now.context)
    assert found is not None and found["_data_end"] == pd.Timestamp("2026-01-01")
    table = W.changed_figures(now.context, found)
    trade = table[table["Figure"] == "China–Russia trade, latest year"]
    assert trade[["Previous briefing", "This briefing"]].values.tolist() == [
        ["$200.0 bn", "$228.1 bn"]
    ]
    assert len(table) == 1  # nothing else moved: the trade total is in no other headline figure
    text = h.unescape(now.section("what_changed").data)
    assert "Since the previous briefing of this range, made with data to 1 January 2026" in text
    assert "1 of its headline figures moved" in text
    assert "Events recorded since 1 January 2026" in text and "20 May 2026" in text


def test_without_a_previous_briefing_the_last_year_is_compared(tmp_path, monkeypatch, now):
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "empty")
    assert W.previous_briefing(now.context) is None
    text = h.unescape(now.section("what_changed").data)
    assert "No earlier briefing of this range is on file" in text
    table = W.year_on_year(now.context)
    assert list(table.columns) == ["Pair", "2024", "2025", "Change"] and len(table) == 3


def test_a_briefing_with_newer_data_is_not_a_previous_one(tmp_path, monkeypatch, now):
    reports = tmp_path / "reports"
    newer = {"range.start": {"value": START}, "range.end": {"value": f"{now.end:%Y-%m-%d}"},
             "data.end": {"value": "2030-01-01"}}  # fmt: skip
    _write(reports, f"{START}_{now.end:%Y-%m-%d}", newer)
    _write(reports, "unreadable", {"range.start": "not a dict"})
    monkeypatch.setattr(config, "REPORTS_DIR", reports)
    assert W.previous_briefing(now.context) is None


def test_a_fifo_in_place_of_a_previous_figures_file_is_skipped(tmp_path, monkeypatch, now):
    """Issue 27, case 11: a FIFO named figures.json in reports/ blocked the kernel's reader."""
    import os
    import signal
    import time

    reports = tmp_path / "reports"
    (reports / f"{START}_{now.end:%Y-%m-%d}").mkdir(parents=True)
    os.mkfifo(reports / f"{START}_{now.end:%Y-%m-%d}" / "figures.json")
    monkeypatch.setattr(config, "REPORTS_DIR", reports)

    def alarm(signum, frame):
        raise TimeoutError("the reader blocked on a FIFO")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(10)  # (a TimeoutError is an OSError, which the reader skips: time it too)
    t0 = time.monotonic()
    try:
        assert W.previous_briefing(now.context) is None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - t0 < 5
