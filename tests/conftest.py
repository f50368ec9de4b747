"""Shared test helpers: tiny frames, PDF text, and one cache of end-to-end briefings."""

from __future__ import annotations

import json
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
    import os

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
    def __init__(self, directory: Path, proc: subprocess.CompletedProcess):
        self.dir = directory
        self.proc = proc
        self.pdf = directory / "briefing.pdf"

    @property
    def text(self) -> str:
        return pdf_text(self.pdf)

    @property
    def numbers(self) -> dict:
        return json.loads((self.dir / "figures.json").read_text())

    @property
    def manifest(self) -> dict:
        return json.loads((self.dir / "manifest.json").read_text())


@pytest.fixture(scope="session")
def briefing_factory(tmp_path_factory):
    """Build a briefing once per (start, end) per test session, through the real CLI."""
    built: dict[tuple[str, str], BuiltBriefing] = {}

    def make(start: str, end: str | None = None) -> BuiltBriefing:
        key = (start, end or "")
        if key not in built:
            out = tmp_path_factory.mktemp("briefing") / "out"
            args = ["--start", start, "--out", str(out), "--quiet"]
            if end:
                args += ["--end", end]
            proc = run_cli(*args)
            assert proc.returncode == 0, f"briefing failed: {proc.stderr[-2000:]}"
            built[key] = BuiltBriefing(out, proc)
        return built[key]

    return make
