"""The datasets' sidecars (``data/<name>.meta.yaml``) and file digests, without pandas.

Everything here is cheap to import, so that parameter validation and the cache check of a
briefing run in a fraction of a second; :mod:`analysis.data` builds the schemas and loads the
frames on top of it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from analysis import config


def dataset_names(data_dir: Path | str | None = None) -> tuple[str, ...]:
    """Every dataset of a data directory: each ``<name>.meta.yaml`` beside a ``<name>.csv``,
    sorted by name. The sidecars are the list: adding a dataset touches no code."""
    root = data_dir_or_default(data_dir)
    names = (p.name.removesuffix(".meta.yaml") for p in root.glob("*.meta.yaml"))
    return tuple(sorted(n for n in names if (root / f"{n}.csv").is_file()))


def is_lookup(name: str, data_dir: Path | str | None = None) -> bool:
    """A lookup table: a dataset whose sidecar declares no time coverage."""
    return coverage_dates(name, data_dir)[0] is None


class DataError(ValueError):
    """A data file breaks its schema. The message is one line: file, row, column, problem."""

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        more: int = 0,
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.row = row  # 1-based data row (the header is not counted)
        self.column = column
        self.more = more
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [display_path(self.path)]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.row + 1})")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        plural = "s" if self.more != 1 else ""
        tail = f" (and {self.more} more problem{plural})" if self.more else ""
        return " ".join(f"{', '.join(where)}: {self.problem}{tail}".split())


def display_path(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(config.PROJECT_DIR))
    except ValueError:
        return str(path)


def data_dir_or_default(data_dir: Path | str | None) -> Path:
    return Path(data_dir) if data_dir else config.DATA_DIR


def data_path(name: str, data_dir: Path | str | None = None) -> Path:
    """Path of ``<name>.csv`` in the data directory (bundled data by default)."""
    return data_dir_or_default(data_dir) / f"{name}.csv"


@lru_cache(maxsize=128)
def _read_yaml(path_str: str, mtime_ns: int) -> dict[str, Any]:
    with Path(path_str).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def read_meta(name: str, data_dir: Path | str | None = None) -> dict[str, Any]:
    """The parsed ``<name>.meta.yaml`` sidecar (checked for its required entries)."""
    path = data_dir_or_default(data_dir) / f"{name}.meta.yaml"
    if not path.exists():
        raise DataError(path, "sidecar is missing: every CSV in data/ needs a <name>.meta.yaml")
    try:
        meta = _read_yaml(str(path), path.stat().st_mtime_ns)
    except yaml.YAMLError as exc:
        raise DataError(path, f"is not valid YAML: {exc}") from exc
    for key in ("title", "columns", "primary_key", "coverage"):
        if key not in meta:
            raise DataError(path, f"sidecar has no '{key}' entry (see data/CONVENTIONS.md)")
    return meta


def _as_date(value: Any, path: Path, key: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DataError(path, f"coverage.{key} {value!r} is not an ISO date") from None


def coverage_dates(
    name: str, data_dir: Path | str | None = None
) -> tuple[date | None, date | None]:
    """The (start, end) a dataset's sidecar declares, as dates (None for lookup tables)."""
    meta = read_meta(name, data_dir)
    path = data_dir_or_default(data_dir) / f"{name}.meta.yaml"
    cov = meta.get("coverage") or {}
    return _as_date(cov.get("start"), path, "start"), _as_date(cov.get("end"), path, "end")


def data_end_date(data_dir: Path | str | None = None) -> date:
    """The last date any time-series dataset covers: the default end of a briefing."""
    ends = [coverage_dates(n, data_dir)[1] for n in dataset_names(data_dir)]
    return max(e for e in ends if e is not None)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digests(data_dir: Path | str | None = None) -> dict[str, str]:
    """sha256 of every data file, sidecar and claims.yaml (manifest and cache key)."""
    root = data_dir_or_default(data_dir)
    out = {}
    names = [f"{n}{suffix}" for n in dataset_names(root) for suffix in (".csv", ".meta.yaml")]
    for file_name in [*names, "claims.yaml"]:
        p = root / file_name
        if p.exists():
            out[p.name] = file_digest(p)
    return out
