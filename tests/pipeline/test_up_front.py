"""Issue 27, cases 11 and 12: what is refused up front, in one line, before any work — a FIFO
for ``--ranges``, an ``--out`` name too long for the file system, a ``BRIEFING_CHROMIUM`` that
does not answer like Chromium — and nothing waits for ever."""

from __future__ import annotations

import os
import signal
import stat
from contextlib import contextmanager

import pytest

from analysis.pipeline import cli, steps
from analysis.pipeline.atomic import BriefingFailed

RANGE = ("--start", "2014-01-01", "--end", "2014-12-31")


@contextmanager
def deadline(seconds: int):
    def alarm(signum, frame):
        raise TimeoutError(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _one_line(code, err, expected=2):
    assert code == expected, err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and "Errno" not in err, err


def test_ranges_from_a_fifo_is_one_line_exit_2(capsys, tmp_path):
    fifo = tmp_path / "ranges.yaml"
    os.mkfifo(fifo)
    with deadline(10):
        code = cli.main(["--ranges", str(fifo), "--quiet"])
    _, err = capsys.readouterr()
    _one_line(code, err)
    assert "not a regular file" in err


@pytest.mark.parametrize("length", [300, 250])
def test_an_out_name_too_long_is_one_line_exit_2_before_any_work(
    stand_ins, capsys, tmp_path, length
):
    code = cli.main([*RANGE, "--quiet", "--out", str(tmp_path / ("b" * length))])
    _, err = capsys.readouterr()
    _one_line(code, err)
    assert "--out" in err and "too long" in err
    assert "kernel started" not in stand_ins and list(tmp_path.iterdir()) == []


def _script(tmp_path, body: str):
    path = tmp_path / "fake-chromium"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.parametrize(
    "browser",
    ["/bin/false", "/bin/true", "echo 'Python 3.11'", "sleep 60"],
    ids=["false", "true", "not-chromium", "never-answers"],
)
def test_a_browser_that_does_not_answer_like_chromium_is_refused_first(
    capsys, tmp_path, monkeypatch, browser
):
    if not browser.startswith("/"):
        browser = _script(tmp_path, browser)
    monkeypatch.setenv("BRIEFING_CHROMIUM", browser)
    started = []
    monkeypatch.setattr(steps, "execute", lambda *a, **k: started.append(a))
    with deadline(30):
        code = cli.main([*RANGE, "--out", str(tmp_path / "o"), "--quiet", "--force"])
    _, err = capsys.readouterr()
    _one_line(code, err, expected=1)
    assert "nothing was run" in err and started == []
    assert not (tmp_path / "o").exists()


def test_the_real_chromium_passes_the_check(monkeypatch):
    from analysis.pipeline.browser import find_chromium

    monkeypatch.delenv("BRIEFING_CHROMIUM", raising=False)
    if find_chromium() is None:
        pytest.skip("no Chromium on this machine")
    steps.check_browser()  # no exception


def test_check_browser_raises_briefing_failed(monkeypatch):
    monkeypatch.setenv("BRIEFING_CHROMIUM", "/bin/false")
    with pytest.raises(BriefingFailed, match="nothing was run"):
        steps.check_browser()
