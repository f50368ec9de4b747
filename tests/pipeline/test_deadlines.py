"""Issue 27, case 8: every wait on the browser or the kernel has a deadline that ends in one
line (no hang): the printer's answer, the printing itself (and a browser that dies during it),
the kernel's start and the notebook as a whole. Stand-ins make each wait hang; the real browser
is killed in ``test_browser_kill.py`` (e2e)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from analysis.pipeline import exporter, kernel, printer
from analysis.pipeline.atomic import BriefingFailed


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


def _printer_saying(tmp_path, code: str) -> printer.Printer:
    p = printer.Printer(tmp_path / "printer.log")
    p.proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    return p


def test_a_printer_stuck_mid_answer_ends_in_one_line(tmp_path):
    stuck = "import sys, time; sys.stdout.write('{\"pag'); sys.stdout.flush(); time.sleep(60)"
    p = _printer_saying(tmp_path, stuck)
    t0 = time.monotonic()
    try:
        with deadline(15), pytest.raises(printer.PrintFailed, match="longer than 2 s"):
            p.answer(timeout=2)
    finally:
        p.close(timeout=0)
    assert time.monotonic() - t0 < 10


def test_a_printer_that_dies_ends_the_wait_at_once(tmp_path):
    p = _printer_saying(tmp_path, "import os; os._exit(9)")
    t0 = time.monotonic()
    with deadline(15), pytest.raises(printer.PrintFailed, match="stopped without printing"):
        p.answer(timeout=60)
    p.close(timeout=0)
    assert time.monotonic() - t0 < 10


class DyingBrowser:
    """A browser whose page never answers, and which dies after ``after`` seconds."""

    def __init__(self, after: float | None):
        self.after, self.handlers = after, []

    def on(self, event, handler):
        assert event == "disconnected"
        self.handlers.append(handler)
        if self.after is not None:
            asyncio.get_running_loop().call_later(
                self.after, lambda: [h(self) for h in self.handlers]
            )

    def is_connected(self):
        return True


async def _never():
    await asyncio.sleep(3600)


def test_a_browser_that_dies_while_printing_ends_the_wait_at_once():
    t0 = time.monotonic()
    with deadline(15), pytest.raises(exporter.PrintTimeout, match="Chromium stopped"):
        asyncio.run(exporter.on_browser(DyingBrowser(after=0.2), _never(), timeout=60))
    assert time.monotonic() - t0 < 5


def test_a_printing_that_never_ends_is_bounded():
    with deadline(15), pytest.raises(exporter.PrintTimeout, match="longer than 1 s"):
        asyncio.run(exporter.on_browser(DyingBrowser(after=None), _never(), timeout=1))


def test_printing_in_this_process_is_bounded(monkeypatch):
    """``run_playwright`` (nbconvert's route, the benchmarks) waited on a future for ever."""

    async def hang(self, html_path):
        await asyncio.sleep(3600)

    monkeypatch.setattr(exporter.BriefingPDFExporter, "_print", hang)
    monkeypatch.setattr(exporter, "PRINT_TIMEOUT_SECONDS", 1)
    monkeypatch.setattr(exporter, "STEP_TIMEOUT_SECONDS", 0.5)
    with deadline(15), pytest.raises(exporter.PrintTimeout):
        exporter.BriefingPDFExporter().run_playwright("<html></html>")


def test_a_notebook_that_never_ends_is_bounded(monkeypatch, tmp_path):
    def forever(*args, **kwargs):
        time.sleep(3600)

    monkeypatch.setattr(kernel, "_papermill", forever)
    monkeypatch.setattr(kernel, "NOTEBOOK_TIMEOUT_SECONDS", 1)
    with deadline(15), pytest.raises(BriefingFailed, match="did not finish within 1 s"):
        kernel._execute(
            Path("nb.ipynb"), tmp_path / "out.ipynb", {}, progress=False, papermill=None
        )


def test_a_kernel_that_never_starts_is_bounded(monkeypatch, tmp_path):
    from jupyter_client.manager import AsyncKernelManager

    async def never_starts(self, **kwargs):
        await asyncio.sleep(3600)

    monkeypatch.setattr(AsyncKernelManager, "start_kernel", never_starts)
    monkeypatch.setattr(kernel, "KERNEL_START_TIMEOUT_SECONDS", 1)
    k = kernel.Kernel(tmp_path / "nb.ipynb", preload=False)
    try:
        with deadline(15), pytest.raises(BriefingFailed, match="did not start within 1 s"):
            k.start()
    finally:
        k.km = None
        k.close()


def test_a_signal_stays_the_one_line_even_when_the_clean_up_fails(
    stand_ins, capsys, tmp_path, monkeypatch
):
    """SIGTERM while asyncio was being imported left it half-imported; closing the kernel then
    failed with "NameError: name 'base_events' is not defined", printed instead of the signal's
    line, with exit 1 instead of 143 (issue 27, case 12)."""
    from analysis.pipeline import cli, steps
    from analysis.pipeline.atomic import Interrupted

    class Stopped:
        def __init__(self, *args, **kwargs):
            self.km = None

        def start(self):
            raise Interrupted("signal 15")

        def close(self, *args, **kwargs):
            raise NameError("name 'base_events' is not defined")

    monkeypatch.setattr(steps, "Kernel", Stopped)
    out = str(tmp_path / "o")
    code = cli.main(["--start", "2014-01-01", "--end", "2014-12-31", "--quiet", "--out", out])
    err = capsys.readouterr().err
    assert code == 143, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("briefing: terminated"), err
