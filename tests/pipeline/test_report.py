"""Regeneration is fast and safe: cache hits, atomic outputs, signals, one run per range."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from analysis import config
from analysis.pipeline import buildcache, jobs
from analysis.pipeline import steps as report
from tests.conftest import PROJECT, run_cli

RANGE = ("2014-01-01", "2014-12-31")


# ---- units ------------------------------------------------------------------------------------


def test_cache_key_changes_with_parameters_and_data(tmp_path):
    nb = config.BRIEFING_NOTEBOOK
    a = jobs.cache_key({"start": "2014-01-01", "end": "2014-12-31"}, nb, None)
    b = jobs.cache_key({"start": "2014-01-01", "end": "2015-12-31"}, nb, None)
    assert a != b and len(a) == 64
    data = tmp_path / "data"
    data.mkdir()
    for p in config.DATA_DIR.glob("*.*"):
        (data / p.name).write_bytes(p.read_bytes())
    params = {"start": "2014-01-01", "end": "2014-12-31"}
    copy = jobs.cache_key(params, nb, data)
    assert copy == jobs.cache_key(params, nb, data)  # deterministic
    (data / "trade.csv").write_bytes((data / "trade.csv").read_bytes() + b"\n")
    assert jobs.cache_key(params, nb, data) != copy
    external = tmp_path / "external"
    (external / "unvotes").mkdir(parents=True)
    assert jobs.cache_key(params, nb, None, external) == a  # empty external dir: same briefing
    (external / "unvotes" / "unvotes.csv").write_text("rcid,country,country_code,vote\n")
    assert jobs.cache_key(params, nb, None, external) != a


def test_is_cached_needs_pdf_and_matching_key(tmp_path):
    dest = tmp_path / "b"
    dest.mkdir()
    (dest / "manifest.json").write_text(json.dumps({"cache_key": "k"}))
    assert not jobs.is_cached(dest, "k")  # no PDF
    (dest / "briefing.pdf").write_bytes(b"%PDF-")
    assert not jobs.is_cached(dest, "k")  # no digests (issue 27): cannot be checked, rebuilt
    buildcache.write_manifest(dest, {"cache_key": "k"})
    assert jobs.is_cached(dest, "k")
    assert not jobs.is_cached(dest, "other")
    (dest / "manifest.json").write_text("{broken")
    assert not jobs.is_cached(dest, "k")


def test_replace_dir_swaps_and_keeps_old_until_done(tmp_path):
    dest, tmp = tmp_path / "dest", tmp_path / ".dest.tmp-1"
    dest.mkdir()
    (dest / "briefing.pdf").write_text("old")
    tmp.mkdir()
    (tmp / "briefing.pdf").write_text("new")
    report.replace_dir(tmp, dest)
    assert (dest / "briefing.pdf").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dest"]


def test_stale_tmp_of_dead_process_is_removed(tmp_path):
    dest = tmp_path / "dest"
    dead = tmp_path / ".dest.tmp-999999999"
    alive = tmp_path / f".dest.tmp-{os.getpid()}"
    dead.mkdir()
    alive.mkdir()
    report.remove_stale_tmp(dest)
    assert not dead.exists() and alive.exists()


def test_lock_gives_up_with_a_clear_message(tmp_path):
    dest = tmp_path / "dest"
    lock = tmp_path / ".dest.lock"
    with lock.open("a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.write("pid 12345")
        fh.flush()
        with (
            pytest.raises(report.BriefingFailed, match="gave up after 1 s: pid 12345"),
            report.range_lock(dest, wait=1, quiet=True),
        ):
            pass


def test_failure_message_is_one_line():
    class Fake(Exception):
        cell_index = 6
        source = "brief.section('un')\nmore"
        ename = "KeyError"
        evalue = "'x'\nsecond line"

    msg = report.failure_message(Fake())
    assert (
        msg
        == "notebook cell 7 of the executed notebook failed (\"brief.section('un')\"): KeyError: 'x' second line"
    )


# ---- processes --------------------------------------------------------------------------------


def _previous_briefing(dest: Path) -> dict[str, bytes]:
    """A stand-in for an earlier briefing of the same range (its content is irrelevant here)."""
    dest.mkdir(parents=True)
    files = {
        "briefing.pdf": b"%PDF-previous",
        "manifest.json": b'{"cache_key": "previous"}',
        "figures.json": b"{}",
        "briefing.ipynb": b"{}",
    }
    for name, content in files.items():
        (dest / name).write_bytes(content)
    return files


def _start(out: Path, *extra: str) -> tuple[subprocess.Popen, list[str]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis",
            "--start",
            RANGE[0],
            "--end",
            RANGE[1],
            "--out",
            str(out),
            *extra,
        ],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []

    def reader():
        for line in proc.stderr:
            lines.append(line)

    threading.Thread(target=reader, daemon=True).start()
    return proc, lines


def _wait_for(lines: list[str], marker: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(marker in line for line in lines):
            return
        time.sleep(0.05)
    raise AssertionError(f"never saw {marker!r}; stderr: {''.join(lines)[-2000:]}")


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def _still_running(procs: list[psutil.Process]) -> list[str]:
    alive = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(" ".join(p.cmdline())[:120])
        except psutil.Error:
            continue
    return alive


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("stage_marker", "delay", "sig"),
    [
        ("[1/3] executing", 2.0, signal.SIGTERM),
        ("[1/3] executing", 2.0, signal.SIGINT),
        ("[2/3] printing", 0.3, signal.SIGTERM),
    ],
    ids=["execute-SIGTERM", "execute-SIGINT", "export-SIGTERM"],
)
def test_signal_leaves_previous_briefing_intact(tmp_path, stage_marker, delay, sig):
    out = tmp_path / "reports" / "range"
    before = _previous_briefing(out)
    proc, lines = _start(out, "--force")
    _wait_for(lines, stage_marker)
    wanted = "ipykernel" if "executing" in stage_marker else "chrom"
    deadline = time.monotonic() + 60
    while not any(wanted in " ".join(_cmdline(c)) for c in _descendants(proc.pid)):
        assert time.monotonic() < deadline, f"no {wanted} process appeared"
        time.sleep(0.05)
    time.sleep(delay)
    children = _descendants(proc.pid)
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    assert code in (130, 143), "".join(lines)
    time.sleep(0.2)
    err = "".join(lines)
    assert "Traceback" not in err and "[IPKernelApp]" not in err, err[-2000:]
    assert (
        err.strip().splitlines()[-1].endswith(f"the previous briefing in {out} is kept, unchanged")
    )
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before, "the previous briefing changed"
    assert sorted(p.name for p in out.parent.iterdir()) == ["range"], "partial files left"
    deadline = time.monotonic() + 10
    while _still_running(children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _still_running(children), "kernel or browser left running"


@pytest.mark.e2e
def test_concurrent_runs_of_one_range_do_not_collide(tmp_path):
    out = tmp_path / "range"
    first, first_lines = _start(out)
    _wait_for(first_lines, "[1/3] executing")
    second, second_lines = _start(out)
    assert first.wait(timeout=180) == 0, "".join(first_lines)
    assert second.wait(timeout=180) == 0, "".join(second_lines)
    text = "".join(second_lines)
    assert "waiting for pid" in text and "built by the run we waited for" in text
    assert "[IPKernelApp]" not in "".join(first_lines) + text  # no kernel log on the terminal
    manifest = json.loads((out / "manifest.json").read_text())
    assert (out / "briefing.pdf").read_bytes()[:5] == b"%PDF-" and manifest["pdf_pages"] >= 2
    assert sorted(p.name for p in out.parent.iterdir()) == ["range"]


@pytest.mark.e2e
def test_cache_hit_starts_no_kernel_and_no_browser(briefing_factory):
    built = briefing_factory(*RANGE)
    probe = (
        "import sys, json; from analysis.pipeline.steps import build; "
        f"o = build('{RANGE[0]}', '{RANGE[1]}', out_dir=r'{built.dir}', quiet=True); "
        "print(json.dumps([o.cached, sorted(m for m in ('papermill', 'nbclient', 'playwright', "
        "'pandas', 'jupyter_client') if m in sys.modules)]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    cached, imported = json.loads(proc.stdout)
    assert cached is True
    assert imported == []
    cli = run_cli("--start", RANGE[0], "--end", RANGE[1], "--out", str(built.dir))
    assert cli.returncode == 0 and "cache hit" in cli.stderr
