"""Every path and fixed setting of the project, in one place.

Paths can be redirected with environment variables so that tests, CI and analysts with the
full public datasets can point the library elsewhere without editing code.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def _env_dir(name: str, default: Path) -> Path:
    """``$name`` as an absolute path, resolved once against the current folder (the build passes
    it on absolute, so the kernel, which runs in ``notebooks/``, sees the same folder); unset or
    empty: ``default``."""
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().absolute() if value else default


#: Curated, cited datasets bundled with the project (CSV + ``.meta.yaml`` sidecars).
DATA_DIR = _env_dir("BRIEFING_DATA_DIR", PROJECT_DIR / "data")
#: Where ``make data`` puts the full public datasets (git-ignored).
EXTERNAL_DIR = _env_dir("BRIEFING_EXTERNAL_DIR", DATA_DIR / "external")
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
BRIEFING_NOTEBOOK = NOTEBOOKS_DIR / "briefing.ipynb"
EXPLORE_NOTEBOOK = NOTEBOOKS_DIR / "explore.ipynb"
REPORTS_DIR = _env_dir("BRIEFING_REPORTS_DIR", PROJECT_DIR / "reports")
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: Validated data frames and other derived, disposable files (git-ignored).
CACHE_DIR = _env_dir("BRIEFING_CACHE_DIR", PROJECT_DIR / ".cache")
#: Reference datasets shared beside the project (read-only; used only by cross-check tests).
SHARED_REFERENCE_DIR = PROJECT_DIR.parent / "shared" / "reference-data"


#: The claims files a briefing checks by default, in the data directory, in this order (each
#: file that exists after the first); ``--claims FILE`` replaces them all with one file.
DEFAULT_CLAIMS_FILES: tuple[str, ...] = ("claims.yaml", "claims_extra.yaml")


def claims_files(data_dir: Path | None = None) -> list[Path]:
    """Every claims file the briefing checks: ``$BRIEFING_CLAIMS_FILE`` alone when set (by
    ``--claims``), else :data:`DEFAULT_CLAIMS_FILES` of the data directory."""
    value = os.environ.get("BRIEFING_CLAIMS_FILE", "").strip()
    if value:
        return [Path(value).expanduser().absolute()]
    root = Path(data_dir) if data_dir else DATA_DIR
    first, *rest = DEFAULT_CLAIMS_FILES
    return [root / first] + [root / n for n in rest if (root / n).is_file()]


def claims_file() -> Path:
    """The claims file the briefing checks: ``$BRIEFING_CLAIMS_FILE`` (set by the build for
    ``--claims``), else ``data/claims.yaml`` of the data directory."""
    value = os.environ.get("BRIEFING_CLAIMS_FILE", "").strip()
    return Path(value).expanduser().absolute() if value else DATA_DIR / "claims.yaml"


#: Name of the Jupyter kernel the notebooks run on (installed by ``make setup``).
KERNEL_NAME = "relations-briefing"

#: The composite index and the chronology begin in 1989: the first day a briefing may cover.
FIRST_DAY = date(1989, 1, 1)

#: Gorbachev's visit to Beijing, the normalisation of Sino-Soviet relations: the default start.
DEFAULT_START = date(1989, 5, 15)

BRIEFING_KICKER = "Relationship-phase briefing"
BRIEFING_TITLE = "China–Russia relations: relationship-phase briefing"
BRIEFING_TITLE_NATIVE = "中俄关系 · Российско-китайские отношения"
