"""Independent event-data series used to *validate* the composite, never to build it.

The files live in the read-only reference folder beside the project
(:data:`analysis.config.SHARED_REFERENCE_DIR`, or ``$BRIEFING_REFERENCE_DIR``); they are not
bundled in ``data/`` and the briefing never needs them: when they are absent, :func:`load_icews`
and :func:`load_gdelt_monthly` return ``None`` and the method section says the check was not run.
Their provenance is in that folder's ``PROVENANCE.md`` (files 12 and 14):

- ``icews_yearly_quad_counts_chn_rus_usa_2002_2014_netify.csv``: ICEWS directed-dyad yearly
  counts of verbal/material cooperation and conflict events, CHN/RUS/USA, 2002–2014 (Boschee et
  al. 2015, doi:10.7910/DVN/28075, aggregated by the R package ``netify``).
- ``gdelt2_monthly_edge_chn_rus_usa_2018_2024_gzemo.csv``: a GDELT 2.0 Goldstein-and-tone
  weighted daily dyad "edge" (``gzemo/gdelt-graph-data``), summed and averaged by month.
"""

from __future__ import annotations

import os
from pathlib import Path

ICEWS_FILE = "icews_yearly_quad_counts_chn_rus_usa_2002_2014_netify.csv"
GDELT_MONTHLY_FILE = "gdelt2_monthly_edge_chn_rus_usa_2018_2024_gzemo.csv"

ICEWS_COLUMNS = (
    "year",
    "source_iso3",
    "target_iso3",
    "verbCoop",
    "matlCoop",
    "verbConf",
    "matlConf",
)
GDELT_COLUMNS = ("month", "n_days", "mean_chn_rus", "mean_chn_usa", "mean_rus_usa")


class ReferenceError(ValueError):
    """A reference file is present but not in the layout its provenance describes."""


def reference_dir() -> Path:
    """``$BRIEFING_REFERENCE_DIR`` when set (read at call time), else the shared folder."""
    env = os.environ.get("BRIEFING_REFERENCE_DIR", "").strip()
    if env:
        return Path(env).expanduser().absolute()
    from analysis import config

    return Path(config.SHARED_REFERENCE_DIR)


def validation_files(folder: Path | None = None) -> list[Path]:
    """The validation files present (for the build's cache key and manifest)."""
    root = Path(folder) if folder else reference_dir()
    return [p for p in (root / ICEWS_FILE, root / GDELT_MONTHLY_FILE) if p.is_file()]


def _read(path: Path, columns: tuple[str, ...]):
    import pandas as pd

    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise ReferenceError(f"{path}: cannot be read as CSV ({err})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReferenceError(
            f"{path}: missing column(s) {missing}; see PROVENANCE.md beside it for the layout"
        )
    if frame.empty:
        raise ReferenceError(f"{path}: has no rows")
    return frame


def load_icews(folder: Path | None = None):
    """The ICEWS yearly quad counts, or ``None`` when the file is absent."""
    path = (Path(folder) if folder else reference_dir()) / ICEWS_FILE
    if not path.is_file():
        return None
    frame = _read(path, ICEWS_COLUMNS)
    for col in ("verbCoop", "matlCoop", "verbConf", "matlConf", "year"):
        if not frame[col].map(lambda v: float(v).is_integer() and v >= 0).all():
            raise ReferenceError(f"{path}: column {col} must hold non-negative whole numbers")
    return frame.astype({"year": int})


def load_gdelt_monthly(folder: Path | None = None):
    """The GDELT monthly dyad edges, or ``None`` when the file is absent."""
    import pandas as pd

    path = (Path(folder) if folder else reference_dir()) / GDELT_MONTHLY_FILE
    if not path.is_file():
        return None
    frame = _read(path, GDELT_COLUMNS)
    try:
        frame["month"] = pd.PeriodIndex(frame["month"].astype(str), freq="M")
    except ValueError as err:
        raise ReferenceError(f"{path}: column month must be YYYY-MM ({err})") from None
    return frame
