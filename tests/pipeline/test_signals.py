"""Batch runs keep the Ctrl-C/SIGTERM promise (issue 16, case 1), as real processes.

A batch of three ranges on two workers, each with an earlier briefing in place, is signalled at
several moments. Afterwards: no worker, kernel or browser is alive; no briefing was replaced
after the signal (each is as it was when the signal was sent, unless the message names it as
replaced: a worker caught in its swap finishes it); the message says which; nothing is left
in the reports folder or the temporary folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import PROJECT

RANGES = {
    "2014-01-01_2014-12-31": "2014-01-01:2014-12-31",
    "2015-01-01_2015-12-31": "2015-01-01:2015-12-31",
    "2016-01-01_2016-12-31": "2016-01-01:2016-12-31",
}
PREVIOUS = b"%PDF-previous"


def _previous(reports: Path) -> None:
    for slug in RANGES:
        d = reports / slug
        d.mkdir(parents=True)
        (d / "briefing.pdf").write_bytes(PREVIOUS)
        (d / "manifest.json").write_text('{"cache_key": "previous"}')


def _snapshot(reports: Path) -> dict[str, bytes]:
    return {slug: (reports / slug / "briefing.pdf").read_bytes() for slug in RANGES}


def _alive(procs: list[psutil.Process]) -> list[str]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(" ".join(p.cmdline())[:100])
        except psutil.Error:
            continue
    return out


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def _tree(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("moment", "sig", "group"),
    [
        ("executing", signal.SIGTERM, False),
        ("executing", signal.SIGINT, True),  # Ctrl-C: the whole process group
        ("first done", signal.SIGTERM, False),
        ("first done", signal.SIGINT, True),
    ],
    ids=["execute-SIGTERM", "execute-ctrl-C", "after-first-SIGTERM", "after-first-ctrl-C"],
)
def test_batch_signal_stops_every_worker_and_replaces_nothing_after(tmp_path, moment, sig, group):
    reports, scratch = tmp_path / "reports", tmp_path / "tmp"
    scratch.mkdir()
    _previous(reports)
    env = {
        **os.environ,
        "BRIEFING_REPORTS_DIR": str(reports),
        "TMPDIR": str(scratch),
        "PYTHONPATH": str(PROJECT),
    }
    args = [sys.executable, "-m", "analysis", "--jobs", "2"]
    for text in RANGES.values():
        args += ["--range", text]
    proc = subprocess.Popen(
        args,
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    deadline = time.monotonic() + 180
    while True:
        assert time.monotonic() < deadline, "".join(lines)[-2000:]
        assert proc.poll() is None, "".join(lines)[-2000:]
        if moment == "executing":
            kernels = [c for c in _tree(proc.pid) if "ipykernel" in " ".join(_cmdline(c))]
            if len(kernels) >= 2:
                time.sleep(1.0)
                break
        elif any("[1/3]" in line for line in lines):
            break
        time.sleep(0.05)
    tree = _tree(proc.pid)
    before = _snapshot(reports)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    code = proc.wait(timeout=90)
    stdout = proc.stdout.read()
    err = "".join(lines)
    assert code == (130 if sig == signal.SIGINT else 143), err
    deadline = time.monotonic() + 10
    while _alive(tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(tree), f"left running: {_alive(tree)}"
    message = err.strip().splitlines()[-1]
    assert message.startswith("briefing: interrupted" if sig == signal.SIGINT else "briefing: term")
    assert "Traceback" not in err, err[-3000:]
    after = _snapshot(reports)
    for slug, text in RANGES.items():
        if after[slug] != before[slug]:  # replaced after the signal: only if it says so
            assert "replaced" in message and text in message.split("replaced", 1)[1], message
    unchanged = message.split("unchanged: ", 1)[1].split(";")[0] if "unchanged: " in message else ""
    for slug, text in RANGES.items():
        if text in unchanged:
            assert after[slug] == before[slug], f"{text} said unchanged but was replaced"
    assert sorted(p.name for p in reports.iterdir()) == sorted(RANGES), "litter in reports/"
    for slug in RANGES:
        assert {p.name for p in (reports / slug).iterdir()} <= {
            "briefing.pdf",
            "briefing.ipynb",
            "figures.json",
            "manifest.json",
        }
    assert list(scratch.iterdir()) == [], f"temporary files left: {list(scratch.iterdir())}"
    assert "range" in stdout  # the summary table still prints


class _RaisesSignalWhenCollected:
    """An object whose finaliser takes a signal: Python prints away an exception raised there."""

    def __init__(self, sig: int):
        self.sig = sig

    def __del__(self):
        signal.raise_signal(self.sig)


@pytest.mark.parametrize(
    ("sig", "expected"),
    [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, "Interrupted")],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_signal_swallowed_inside_a_finaliser_is_raised_at_the_next_stage(sig, expected):
    # #27: a Ctrl-C taken inside a finaliser (or the import machinery) was printed away by
    # Python and the build went on to write its briefing with exit 0
    from analysis.pipeline import atomic

    with pytest.raises(BaseException) as info, atomic.terminate_as_interrupt():
        obj = _RaisesSignalWhenCollected(sig)
        del obj  # the handler's exception is raised in __del__ and swallowed there
        atomic.check_interrupted()
    if expected is KeyboardInterrupt:
        assert type(info.value) is KeyboardInterrupt
    else:
        assert type(info.value).__name__ == expected
