"""Shared test helpers: tiny frames, PDF text, and one cache of end-to-end briefings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config

PROJECT = config.PROJECT_DIR


def pdf_text(path: Path) -> str:
    """All text of a PDF, pages joined by form feeds."""
    import unicodedata

    from pypdf import PdfReader

    text = "\f".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """Text without any whitespace (PDF extraction breaks lines anywhere)."""
    return re.sub(r"\s+", "", text)


def run_cli(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python -m analysis`` in a subprocess, as a user runs it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
    )


class BuiltBriefing:
    def __init__(self, directory: Path, proc: subprocess.CompletedProcess | None):
        self.dir = directory
        self.proc = proc
        self.pdf = directory / "briefing.pdf"

    @property
    def text(self) -> str:
        """The PDF's text, extracted once per build (kept beside the PDF for other workers)."""
        cached = self.dir.parent / "briefing.txt"
        if not cached.exists():
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(pdf_text(self.pdf), encoding="utf-8")
            tmp.replace(cached)
        return cached.read_text(encoding="utf-8")

    @property
    def numbers(self) -> dict:
        return json.loads((self.dir / "figures.json").read_text())

    @property
    def manifest(self) -> dict:
        return json.loads((self.dir / "manifest.json").read_text())


def _shared_root(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this test session sees (the session's base temp)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "briefings"
    root.mkdir(exist_ok=True)
    return root


@pytest.fixture(scope="session")
def briefing_factory(tmp_path_factory):
    """Build a briefing once per (start, end) per test session, through the real CLI, shared
    across pytest-xdist workers: the first worker to ask builds it under a file lock, the others
    wait for it and reuse it."""
    import fcntl

    root = _shared_root(tmp_path_factory)

    def make(start: str, end: str | None = None) -> BuiltBriefing:
        slot = root / f"{start}_{end or 'end'}"
        slot.mkdir(exist_ok=True)
        out = slot / "out"
        with (slot / ".lock").open("a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not (out / "manifest.json").exists():
                    args = ["--start", start, "--out", str(out), "--quiet"]
                    if end:
                        args += ["--end", end]
                    proc = run_cli(*args)
                    assert proc.returncode == 0, f"briefing failed: {proc.stderr[-2000:]}"
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return BuiltBriefing(out, None)

    return make
