"""Which Chromium prints the PDF (cheap to import: the build checks it before anything runs)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path


class BrowserNotFound(RuntimeError):
    """No Chromium could be found; the message says how to provide one."""


def find_chromium(explicit: str | None = None) -> str | None:
    """Path of the Chromium to use, or None to let Playwright use its own build."""
    candidate = explicit or os.environ.get("BRIEFING_CHROMIUM")
    if candidate:
        path = shutil.which(candidate) or (candidate if Path(candidate).exists() else None)
        if not path:
            raise BrowserNotFound(f"BRIEFING_CHROMIUM={candidate!r} does not exist")
        return path
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def playwright_browser() -> str | None:
    """Playwright's own Chromium build, where one was downloaded (``playwright install``)."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(
        Path.home() / ".cache" / "ms-playwright"
    )
    found = sorted(Path(root).glob("chromium*/chrome-linux*/chrome")) if Path(root).is_dir() else []
    return str(found[-1]) if found else None


#: How long ``<browser> --version`` may take before the browser is refused.
VERSION_TIMEOUT_SECONDS = 10
_VERSION = re.compile(rb"\b(Chromium|Chrome|HeadlessChrome)\b[^\n]*?\d+\.\d+")


def check_answers(path: str, timeout: float = VERSION_TIMEOUT_SECONDS) -> str:
    """Run ``path --version`` (at most ``timeout`` seconds, in a process group of its own, killed
    whole after) and return its first line when it answers like Chromium; else
    :class:`BrowserNotFound` saying what it did instead."""
    try:
        proc = subprocess.Popen(
            [path, "--version"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise BrowserNotFound(f"{path!r} cannot be run: {exc.strerror or exc}") from None
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stdout.close()
        proc.wait()
        raise BrowserNotFound(f"{path!r} did not answer --version within {timeout:.0f} s") from None
    if proc.returncode != 0 or not _VERSION.search(out):
        said = out.decode("utf-8", "replace").strip().splitlines()
        what = f"answered {said[0][:80]!r}" if said else "printed nothing"
        raise BrowserNotFound(
            f"{path!r} is not Chromium: --version exited {proc.returncode} and {what}"
        )
    return out.decode("utf-8", "replace").strip().splitlines()[0]
