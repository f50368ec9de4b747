"""The datasets' sidecars (``data/<name>.meta.yaml``) and file digests, without pandas.

Everything here is cheap to import, so that parameter validation and the cache check of a
briefing run in a fraction of a second; :mod:`analysis.data` builds the schemas and loads the
frames on top of it.
"""

from __future__ import annotations

import hashlib
import re
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


#: The largest YAML file (sidecar, claims, ranges) read; a bigger one is refused unread.
YAML_MAX_BYTES = 64 * 1024
#: Column types a sidecar may declare.
COLUMN_TYPES = ("string", "integer", "float", "date")
#: The only URL schemes a ``source_url`` cell may use, whatever the sidecar's pattern says.
URL_SCHEMES = ("http", "https")


#: libyaml's C loaders when PyYAML was built with them (about ten times faster), else PyYAML's
#: own; the same safe constructors either way.
_LOADERS = {
    False: getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    True: getattr(yaml, "CBaseLoader", yaml.BaseLoader),
}


class UnsafeYAML(ValueError):
    """A YAML file that is too large, not UTF-8, not YAML, or uses anchors/aliases."""


def read_yaml_text(path: Path | str, *, limit: int = YAML_MAX_BYTES, base: bool = False) -> Any:
    """Parse a small YAML file safely: at most ``limit`` bytes are read (``/dev/zero`` and huge
    files are refused), the text must be UTF-8, and anchors and aliases are refused (no
    billion-laughs expansion). ``base`` keeps every scalar a string. Raises :class:`UnsafeYAML`
    with a one-line reason, or OSError."""
    with Path(path).open("rb") as fh:
        raw = fh.read(limit + 1)
    if len(raw) > limit:
        raise UnsafeYAML(f"is larger than {limit // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsafeYAML(f"is not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise UnsafeYAML("contains a NUL byte")
    loader_cls = _LOADERS[base]
    try:
        for event in yaml.parse(text, Loader=loader_cls):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise UnsafeYAML("uses YAML anchors or aliases (&, *), which are not accepted")
        return yaml.load(text, Loader=loader_cls)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise UnsafeYAML(f"is not valid YAML{where}: {problem}") from None


@lru_cache(maxsize=128)
def _read_yaml(path_str: str, mtime_ns: int) -> Any:
    return read_yaml_text(path_str)


def read_meta(name: str, data_dir: Path | str | None = None) -> dict[str, Any]:
    """The parsed ``<name>.meta.yaml`` sidecar (checked for its required entries)."""
    path = data_dir_or_default(data_dir) / f"{name}.meta.yaml"
    if not path.exists():
        raise DataError(path, "sidecar is missing: every CSV in data/ needs a <name>.meta.yaml")
    try:
        meta = _read_yaml(str(path), path.stat().st_mtime_ns)
    except UnsafeYAML as exc:
        raise DataError(path, str(exc)) from None
    except OSError as exc:
        raise DataError(path, f"cannot be read: {exc.strerror or exc}") from None
    check_meta(meta, path)
    return meta


def check_meta(meta: Any, path: Path) -> None:
    """The sidecar's structure: a mapping with title, columns (name -> mapping with a known
    type, a compilable pattern), a primary key naming columns, and a coverage mapping."""
    if not isinstance(meta, dict):
        raise DataError(path, f"sidecar is a {type(meta).__name__}, expected a mapping")
    for key in ("title", "columns", "primary_key", "coverage"):
        if key not in meta:
            raise DataError(path, f"sidecar has no '{key}' entry (see data/CONVENTIONS.md)")
    columns = meta["columns"]
    if not isinstance(columns, dict):
        raise DataError(path, "sidecar 'columns' must be a mapping of column name to its spec")
    if not isinstance(meta["title"], str) or not meta["title"].strip():
        raise DataError(path, "sidecar 'title' must be text")
    for col, spec in columns.items():
        if not isinstance(col, str) or not col:
            raise DataError(path, f"sidecar column name {str(col)[:40]!r} must be text")
        if not isinstance(spec, dict):
            raise DataError(path, f"sidecar column '{col}' must be a mapping (type, required, ...)")
        kind = spec.get("type", "string")
        if kind not in COLUMN_TYPES:
            raise DataError(
                path,
                f"sidecar column '{col}': unknown type {kind!r} (use {', '.join(COLUMN_TYPES)})",
            )
        pattern = spec.get("pattern")
        if pattern is not None:
            if not isinstance(pattern, str):
                raise DataError(path, f"sidecar column '{col}': pattern must be a string")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise DataError(
                    path, f"sidecar column '{col}': bad pattern {pattern!r}: {exc}"
                ) from None
        allowed = spec.get("allowed")
        if allowed is not None and (
            not isinstance(allowed, list)
            or not all(
                isinstance(v, str | int | float) and not isinstance(v, bool) for v in allowed
            )
        ):
            raise DataError(path, f"sidecar column '{col}': 'allowed' must be a list of values")
        if not isinstance(spec.get("required", True), bool):
            raise DataError(path, f"sidecar column '{col}': 'required' must be true or false")
        for bound in ("min", "max"):
            value = spec.get(bound)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise DataError(path, f"sidecar column '{col}': '{bound}' must be a number")
    key = meta["primary_key"]
    if not isinstance(key, list) or not all(isinstance(k, str) for k in key):
        raise DataError(path, "sidecar 'primary_key' must be a list of column names")
    unknown = [k for k in key if k not in columns]
    if unknown:
        raise DataError(
            path, f"sidecar 'primary_key' names {unknown[0]!r}, which is not one of its columns"
        )
    cov = meta["coverage"]
    if not isinstance(cov, dict):
        raise DataError(path, "sidecar 'coverage' must be a mapping (start, end)")
    for bound in ("start", "end"):
        value = cov.get(bound)
        if isinstance(value, bool) or not isinstance(value, date | str | None):
            raise DataError(path, f"coverage.{bound} {str(value)[:40]!r} is not an ISO date")
        _as_date(value, path, bound)
    declared = cov.get("columns")
    if declared is not None and (
        not isinstance(declared, list)
        or not all(isinstance(c, str) and c in columns for c in declared)
    ):
        raise DataError(path, "sidecar 'coverage.columns' must list columns of the file")


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
    """The last date any time-series dataset covers: the default end of a briefing. A calendar
    of scheduled events (``kind: calendar`` in its sidecar) covers the future it lists, so it
    does not count."""
    names = [n for n in dataset_names(data_dir) if read_meta(n, data_dir).get("kind") != "calendar"]
    ends = [coverage_dates(n, data_dir)[1] for n in names]
    return max(e for e in ends if e is not None)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digests(data_dir: Path | str | None = None) -> dict[str, str]:
    """sha256 of every data file, sidecar and claims file (manifest and cache key)."""
    root = data_dir_or_default(data_dir)
    out = {}
    names = [f"{n}{suffix}" for n in dataset_names(root) for suffix in (".csv", ".meta.yaml")]
    for file_name in [*names, *config.DEFAULT_CLAIMS_FILES]:
        p = root / file_name
        if p.exists():
            out[p.name] = file_digest(p)
    return out
