"""Which Chromium prints the PDF (cheap to import: the build checks it before anything runs)."""

from __future__ import annotations

import os
import shutil
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
