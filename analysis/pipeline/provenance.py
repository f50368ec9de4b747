"""Where a briefing came from: the git commit and the versions of the packages that made it."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata

from analysis import config

PACKAGES = (
    "relations-briefing",
    "pandas",
    "numpy",
    "matplotlib",
    "pandera",
    "ruptures",
    "scipy",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "playwright",
    "pypdf",
)


def git_commit() -> str:
    """The checkout's HEAD commit, with ``-dirty`` when tracked files changed; else 'unknown'."""

    def git(*args: str) -> str:
        out = subprocess.run(
            ["git", *args],
            cwd=config.PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return out.stdout.strip() if out.returncode == 0 else ""

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (commit or "unknown") + ("-dirty" if commit and dirty else "")


def package_versions() -> dict[str, str]:
    """Python's version and each key package's installed version."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out
