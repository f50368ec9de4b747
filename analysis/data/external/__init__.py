"""The full public datasets, as an option beside the bundled curated data.

The curated files in ``data/`` are the default and work offline. Analysts with internet can run
``make data`` (``python -m analysis.data.external.download``) to fetch the full public datasets into
``data/external/`` (git-ignored); the briefing uses them when they are present.

Modules (imported on use, so ``import analysis.data.external`` is cheap and pandas-free):

- :mod:`.unvotes`: UN General Assembly roll calls (Voeten, Strezhnev & Bailey, in the layout of
  the R package ``unvotes`` or the TidyTuesday 2021-03-23 CSVs) -> the long form that
  :func:`analysis.indicators.un.unga_agreement` takes.
- :mod:`.gdelt`: GDELT 1.0 / 2.0 event exports -> the CHN–RUS dyad in the columns of the curated
  events, read by DuckDB; :mod:`.gdelt_sql` (the dyad-and-coverage aggregation, one SQL text for
  DuckDB and BigQuery), :mod:`.gdelt_run` (running it on DuckDB), :mod:`.gdelt_files` (layouts,
  the checks DuckDB does not make), :mod:`.gdelt_extract` (archives, batches),
  :mod:`.gdelt_daily` (the daily table as an input of the measures); the commands
  ``briefing events`` / ``events-sql`` are in :mod:`analysis.pipeline.events_cmd`.
- :mod:`.vetolist`: the UN Dag Hammarskjöld Library veto list (saved HTML or CSV) -> rows in the
  schema of ``data/unsc_vetoes.csv``, and a diff against the curated file.
- :mod:`.download`: the downloader and its registry ``sources.yaml``.

Layout of the external directory (what :func:`available` looks for)::

    <external_dir>/unvotes/   unvotes.csv, roll_calls.csv, issues.csv (TidyTuesday names) or
                              unvotes_un_votes*.csv, unvotes_un_roll_calls.csv,
                              unvotes_un_roll_call_issues.csv (names of the shared copies)
    <external_dir>/gdelt/     *.export.CSV.zip, *.zip, *.CSV, *.csv, *.txt (GDELT event exports)
    <external_dir>/gdelt_events_daily.csv
                              the daily dyad-and-coverage table (``briefing events`` or BigQuery)
    <external_dir>/vetolist/  veto.html (the saved page) or veto*.csv
"""

from __future__ import annotations

import os
from pathlib import Path

#: Names of the external datasets, as keys of :func:`available`.
DATASETS = ("unvotes", "gdelt", "vetolist")

#: Accepted unvotes file names per table, in order of preference (glob patterns, one level):
#: the shared copies' names, the R package's table names, the TidyTuesday 2021-03-23 names.
FILE_PATTERNS: dict[str, tuple[str, ...]] = {
    "votes": ("unvotes_un_votes*.csv", "un_votes*.csv", "unvotes.csv"),
    "roll_calls": ("unvotes_un_roll_calls.csv", "un_roll_calls.csv", "roll_calls.csv"),
    "issues": ("unvotes_un_roll_call_issues.csv", "un_roll_call_issues.csv", "issues.csv"),
}
#: File patterns that identify a GDELT event export.
GDELT_PATTERNS = ("*.export.CSV.zip", "*.zip", "*.CSV", "*.csv", "*.txt", "*.gz")
VETOLIST_PATTERNS = ("veto*.html", "veto*.htm", "veto*.csv", "*.html", "*.htm")


def external_dir() -> Path:
    """Where the full public datasets live.

    ``$BRIEFING_EXTERNAL_DIR`` when set (read at call time, so tests and notebooks can change it),
    else :data:`analysis.config.EXTERNAL_DIR` (``data/external``).
    """
    env = os.environ.get("BRIEFING_EXTERNAL_DIR")
    if env:
        return Path(env).expanduser()
    from analysis import config

    return Path(config.EXTERNAL_DIR)


def find_files(directory: Path | str) -> dict[str, Path]:
    """The three unvotes tables in ``directory``: ``{"votes", "roll_calls", "issues"}`` → path.

    Raises ``FileNotFoundError`` naming the missing table and the names looked for, and
    ``ValueError`` when two files could be the same table. (Standard library only, so that
    :func:`available` does not import pandas.)
    """
    directory = Path(directory)
    found: dict[str, Path] = {}
    for table, patterns in FILE_PATTERNS.items():
        hits = sorted({p for pat in patterns for p in directory.glob(pat) if p.is_file()})
        if not hits:
            raise FileNotFoundError(
                f"{directory}: no unvotes '{table}' table (looked for {', '.join(patterns)}); "
                "run `make data` or point the loader at the folder that holds the three CSVs"
            )
        if len(hits) > 1:
            names = ", ".join(p.name for p in hits)
            raise ValueError(
                f"{directory}: several files could be the '{table}' table ({names}); keep one"
            )
        found[table] = hits[0]
    return found


def _first_match(directory: Path, patterns: tuple[str, ...]) -> Path | None:
    if not directory.is_dir():
        return None
    for pattern in patterns:
        hits = sorted(p for p in directory.glob(pattern) if p.is_file() and p.stat().st_size > 0)
        if hits:
            return hits[0]
    return None


def available(directory: Path | str | None = None) -> dict[str, Path | None]:
    """Which external datasets are present: ``{name: path or None}`` for every :data:`DATASETS`.

    - ``unvotes``: the directory holding all three unvotes tables (``<dir>/unvotes`` or ``<dir>``
      itself), checked with :func:`analysis.data.external.unvotes.find_files`;
    - ``gdelt``: the ``<dir>/gdelt`` directory when it holds at least one non-empty export;
    - ``vetolist``: the saved veto-list page or CSV in ``<dir>/vetolist``.

    Partial downloads (``*.part``) never count. ``directory`` defaults to :func:`external_dir`.
    """
    base = Path(directory) if directory is not None else external_dir()
    found: dict[str, Path | None] = dict.fromkeys(DATASETS)
    for candidate in (base / "unvotes", base):
        try:
            find_files(candidate)
        except (FileNotFoundError, ValueError):
            continue
        found["unvotes"] = candidate
        break
    gdelt_dir = base / "gdelt"
    if _first_match(gdelt_dir, GDELT_PATTERNS) is not None:
        found["gdelt"] = gdelt_dir
    found["vetolist"] = _first_match(base / "vetolist", VETOLIST_PATTERNS)
    return found


__all__ = ["DATASETS", "FILE_PATTERNS", "available", "external_dir", "find_files"]


def fingerprint(directory: Path | str | None = None) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime) of every external file, for a briefing's cache key; files are
    not hashed, so that multi-gigabyte GDELT exports cost nothing to check."""
    root = Path(directory) if directory else external_dir()
    if not root.is_dir():
        return []
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.name.endswith(".part"):
            st = p.stat()
            out.append((str(p.relative_to(root)), st.st_size, st.st_mtime_ns))
    return out
