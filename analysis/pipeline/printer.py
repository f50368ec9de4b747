"""The printer: a child process of the build that starts Chromium while the notebook runs, then
prints the executed notebook when asked.

A build starts it beside the kernel. In a process of its own it imports nbconvert and Playwright
and launches the browser (at a lower priority: the kernel's start and the notebook come first),
so that the parent runs no browser thread and imports none of it. Then it waits for one request,
a JSON line on its stdin::

    {"notebook": executed .ipynb, "pdf": where to write, "block": title block, "toc_guess": ...}

renders the notebook with :class:`~analysis.pipeline.exporter.BriefingPDFExporter`, prints it on
the browser already running, writes the PDF and answers one JSON line on its stdout,
``{"pages": n, "toc_pages": {...}}`` or ``{"error": "one line"}``; then it closes the browser and
leaves. Its stderr (and anything else it prints) goes to a log file in the build's private
folder, never to the terminal. Without a request (the build stopped, its stdin closed) it leaves.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

#: How much lower the printer runs than the kernel while both start (``nice``); its children
#: (Playwright's driver, Chromium) inherit it.
NICENESS = 5
#: Longest a printing may take before the build fails saying so.
EXPORT_TIMEOUT_SECONDS = 300


class PrintFailed(RuntimeError):
    """The printer could not print; the message is one line."""


class Printer:
    """The parent's side: :meth:`start` the process, :meth:`request` a printing,
    :meth:`answer` waits for it (the parent does other work in between), :meth:`close`."""

    def __init__(self, log: Path):
        self.log = Path(log)
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        """Launch the process (with the environment of :func:`kernel_environment`, which makes
        it import the parent's code and keep its temporary files in the build's folder)."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "analysis.pipeline.printer"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
            )

    def request(
        self, notebook: Path, pdf: Path, block: dict[str, str], toc_guess: dict | None
    ) -> None:
        text = json.dumps(
            {"notebook": str(notebook), "pdf": str(pdf), "block": block, "toc_guess": toc_guess}
        )
        try:
            self.proc.stdin.write(text.encode("utf-8") + b"\n")
            self.proc.stdin.close()
        except OSError:  # it died: answer() says so
            pass

    def answer(self, timeout: float = EXPORT_TIMEOUT_SECONDS) -> tuple[int, dict | None]:
        """The PDF's page count and contents page numbers, once printed: one line read within
        ``timeout`` seconds (a printer that dies ends the wait at once)."""
        import time

        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise PrintFailed(f"the PDF export took longer than {timeout:.0f} s")
            chunk = os.read(fd, 1 << 16)
            if not chunk:  # it left without a whole answer
                break
            line += chunk
        try:
            reply = json.loads(line)
        except ValueError:
            raise PrintFailed(
                f"the printer stopped without printing ({self._last_log_line()})"
            ) from None
        if "error" in reply:
            raise PrintFailed(str(reply["error"]))
        return int(reply["pages"]), reply.get("toc_pages")

    def close(self, timeout: float = 10) -> None:
        """Wait up to ``timeout`` seconds for the printer to leave (it closes its browser first),
        then kill it (at once with 0: the build was stopped)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.stdin.close()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)  # with Playwright's driver and Chromium, should they linger
        proc.stdout.close()

    def _last_log_line(self) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            lines = []
        return " ".join(lines[-1].split())[:300] if lines else "no message"


def _kill_tree(proc: subprocess.Popen) -> None:
    """Kill the printer and whatever it started; wait for it a few seconds at most."""
    try:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
    except Exception:  # psutil absent, or the printer already gone
        children = []
    proc.kill()
    for child in children:
        with contextlib.suppress(Exception):
            child.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


# ---- the child process ---------------------------------------------------------------------


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a Ctrl-C reaches the whole group: just leave
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever else prints goes to the log
    import asyncio

    return asyncio.run(_serve(answer))


async def _serve(answer) -> int:
    """Every wait here has a deadline, and a browser that dies ends the printing at once
    (:func:`~analysis.pipeline.exporter.on_browser`): the parent gets one line either way."""
    import asyncio

    from playwright.async_api import async_playwright

    from analysis.pipeline.exporter import (
        STEP_TIMEOUT_SECONDS,
        BriefingPDFExporter,
        close_quietly,
        on_browser,
    )

    exporter = BriefingPDFExporter()
    browser, failure, pw = None, "", None
    try:
        pw = await asyncio.wait_for(async_playwright().start(), STEP_TIMEOUT_SECONDS)
        browser = await asyncio.wait_for(exporter._launch(pw), STEP_TIMEOUT_SECONDS)
    except Exception as exc:
        failure = _one_line(exc) if not isinstance(exc, TimeoutError) else "Chromium did not start"
    try:
        line = sys.stdin.readline()  # nothing else to run meanwhile: the loop may block here
        if not line:
            return 0
        try:
            if browser is None:
                raise PrintFailed(failure)
            request = json.loads(line)
            reply: dict[str, Any] = await on_browser(browser, _print(exporter, browser, request))
        except Exception as exc:
            reply = {"error": _one_line(exc)}
        answer.write(json.dumps(reply) + "\n")
        answer.flush()
    finally:
        if browser is not None:
            await close_quietly(browser.close())
        if pw is not None:
            await close_quietly(pw.stop())
    return 0


async def _print(exporter, browser, request: dict[str, Any]) -> dict[str, Any]:
    import tempfile

    import nbformat

    from analysis.pipeline.exporter import page_count

    nb = nbformat.read(request["notebook"], as_version=4)
    nb.metadata["briefing"] = request["block"]
    exporter.toc_guess = request.get("toc_guess")
    html, _ = exporter.html_of(nb)
    with tempfile.TemporaryDirectory(prefix="briefing-html-") as tmp:
        path = Path(tmp) / "briefing.html"
        path.write_text(html, encoding="utf-8")
        pdf = await exporter._print_on(browser, str(path))
    Path(request["pdf"]).write_bytes(pdf)
    # the same page beside the PDF: figures are inline SVG and the style is inline, so it opens
    # without a network
    Path(request["pdf"]).with_suffix(".html").write_text(html, encoding="utf-8")
    return {"pages": page_count(pdf), "toc_pages": exporter.toc_pages}


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:400]
    plain = isinstance(exc, PrintFailed) or type(exc).__name__ == "PrintTimeout"
    return text if plain else f"{type(exc).__name__}: {text}"


if __name__ == "__main__":
    raise SystemExit(main())
