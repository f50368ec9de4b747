"""Load and validate the curated datasets in ``data/``.

Each dataset is ``<name>.csv`` plus a ``<name>.meta.yaml`` sidecar (see ``data/CONVENTIONS.md``).
The sidecar's column entries are turned into a pandera schema, so the sidecar is the single
source of truth for types, allowed values, patterns, keys and coverage. A file that breaks its
schema raises one :class:`DataError` naming the file, the row and the column.

Run ``python -m analysis.data`` for a summary of every dataset (rows, coverage, sources).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis import config, sidecars
from analysis.sidecars import (  # noqa: F401
    DataError,
    data_path,
    dataset_names,
    file_digest,
    file_digests,
)

if TYPE_CHECKING:
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

_DTYPES = {"string": str, "integer": "Int64", "float": "float64", "date": str}
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def read_meta(name: str, data_dir: Path | None = None) -> dict[str, Any]:
    """The parsed ``<name>.meta.yaml`` sidecar."""
    return sidecars.read_meta(name, data_dir)


def _coverage_bounds(meta: dict[str, Any]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    cov = meta.get("coverage") or {}
    start, end = cov.get("start"), cov.get("end")
    return (
        pd.Timestamp(start) if start else None,
        pd.Timestamp(end) if end else None,
    )


def coverage_columns(meta: dict[str, Any]) -> list[str]:
    """Columns whose values must lie inside the declared coverage.

    ``coverage.columns`` in the sidecar, else whichever of ``date``, ``start_date`` and ``year``
    the file has.
    """
    declared = (meta.get("coverage") or {}).get("columns")
    if declared:
        return list(declared)
    return [c for c in ("date", "start_date", "year") if c in meta["columns"]]


def build_schema(meta: dict[str, Any]) -> pa.DataFrameSchema:
    """Translate a sidecar's ``columns`` into a pandera schema over the raw (text) CSV."""
    import pandera.pandas as pa

    start, end = _coverage_bounds(meta)
    coverage_cols = set(coverage_columns(meta))
    columns: dict[str, pa.Column] = {}
    for col, spec in meta["columns"].items():
        kind = spec.get("type", "string")
        if kind not in _DTYPES:
            raise ValueError(f"column '{col}': unknown type '{kind}' (use {', '.join(_DTYPES)})")
        checks: list[pa.Check] = []
        if spec.get("allowed") is not None:
            allowed = spec["allowed"]
            checks.append(pa.Check.isin(allowed, error=f"not one of the allowed values {allowed}"))
        if spec.get("pattern"):
            checks.append(
                pa.Check.str_matches(
                    rf"(?:{spec['pattern']})\Z",
                    error=f"does not match the pattern {spec['pattern']}",
                )
            )
        if spec.get("min") is not None:
            checks.append(pa.Check.ge(spec["min"], error=f"is below the minimum {spec['min']}"))
        if spec.get("max") is not None:
            checks.append(pa.Check.le(spec["max"], error=f"is above the maximum {spec['max']}"))
        if kind == "string" and spec.get("required", True):
            checks.append(pa.Check(lambda s: s.str.strip() != "", error="is blank"))
        if kind == "float":
            checks.append(pa.Check(lambda s: np.isfinite(s), error="is not a finite number"))
        if kind == "date":
            checks.append(
                pa.Check(
                    lambda s: (
                        s.str.fullmatch(_ISO_DATE)
                        & pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna()
                    ),
                    error="is not a valid ISO date (YYYY-MM-DD)",
                )
            )
            if col in coverage_cols and (start is not None or end is not None):
                lo = start.strftime("%Y-%m-%d") if start is not None else "0000-01-01"
                hi = end.strftime("%Y-%m-%d") if end is not None else "9999-12-31"
                checks.append(
                    pa.Check(
                        lambda s, lo=lo, hi=hi: (s >= lo) & (s <= hi),
                        error=f"is outside the file's declared coverage {lo} to {hi}",
                    )
                )
        if kind == "integer" and col in coverage_cols:
            lo_y = start.year if start is not None else -9999
            hi_y = end.year if end is not None else 9999
            checks.append(
                pa.Check.in_range(
                    lo_y, hi_y, error=f"is outside the file's declared coverage {lo_y} to {hi_y}"
                )
            )
        columns[col] = pa.Column(
            _DTYPES[kind],
            checks=checks,
            nullable=not spec.get("required", True),
            coerce=kind in ("integer", "float"),
            required=True,
        )
    return pa.DataFrameSchema(
        columns,
        unique=list(meta["primary_key"]),
        report_duplicates="all",
        strict=True,
        ordered=True,
        name=meta.get("title"),
    )


def _plain(value: Any) -> Any:
    """numpy scalars as plain Python values, for readable messages."""
    return value.item() if hasattr(value, "item") else value


def _raise_first(path: Path, err: SchemaErrors, meta: dict[str, Any]) -> None:
    """Turn pandera's failure table into one DataError about the first failing row."""
    cases = err.failure_cases.copy()
    total = len(cases)
    # Table-level problems first (missing or unexpected columns), then by row.
    structural = cases[
        cases["check"].isin(["column_in_dataframe", "column_in_schema", "column_ordered"])
    ]
    if not structural.empty:
        case = structural.iloc[0]
        check = str(case["check"])
        value = case["failure_case"]
        if check == "column_in_dataframe":
            expected = ", ".join(meta["columns"])
            raise DataError(
                path, f"is missing (expected: {expected})", column=str(value), more=total - 1
            )
        if check == "column_in_schema":
            raise DataError(
                path, "is not a column of the schema", column=str(value), more=total - 1
            )
        raise DataError(
            path, f"columns are out of order at '{value}'; expected {list(meta['columns'])}"
        )
    row_level = cases[cases["index"].notna()]
    if row_level.empty:  # a check that failed as a whole (e.g. on a value it could not compare)
        case = cases.iloc[0]
        raise DataError(path, f"{case['check']}: {case['failure_case']}", more=total - 1)
    cases = row_level.copy()
    coerce = cases[cases["check"].astype(str).str.startswith("coerce_dtype")]
    if not coerce.empty:  # a failed conversion makes every other check of that column fail too
        cases = coerce
    cases["row"] = cases["index"].astype(int) + 1
    cases = cases.sort_values(["row", "check_number"], na_position="last", kind="stable")
    case = cases.iloc[0]
    check = str(case["check"])
    value = case["failure_case"]
    column = case["column"] if isinstance(case["column"], str) else None
    if check == "not_nullable":
        problem = "is empty, but this column is required"
    elif check.startswith("coerce_dtype"):
        kind = meta["columns"].get(column, {}).get("type", "")
        problem = f"{_plain(value)!r} is not a valid {kind}"
    elif "unique" in check or "duplicates" in check:
        key = meta["primary_key"]
        dups = cases[cases["check"] == case["check"]]["row"].drop_duplicates().tolist()
        problem = f"duplicate key {key}: rows {', '.join(map(str, dups[:5]))} share it"
        column = ", ".join(key)
    else:
        problem = f"{_plain(value)!r} {check}"
    raise DataError(path, problem, row=int(case["row"]), column=column, more=total - 1)


#: Validated frames are kept on disk as Parquet (a format that holds data, never code), keyed by
#: the file digests and this module's own source, so that a second load (the kernel after a first
#: run, tests) skips pandera altogether. Each entry records the sha256 of the CSV and of the
#: sidecar it was validated from; on read both must match the files as they are now, or the
#: entry is ignored and the file validated again.
_LOADER_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
_CACHE_META = b"relations-briefing"


def _disk_cache(name: str, digest: str, meta_digest: str) -> Path:
    key = hashlib.sha256(f"{digest}:{meta_digest}:{_LOADER_DIGEST}:{pd.__version__}".encode())
    return config.CACHE_DIR / "validated" / f"{name}-{key.hexdigest()[:24]}.parquet"


def _write_cache(frame: pd.DataFrame, cached: Path, digest: str, meta_digest: str) -> None:
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=True)
    stamp = json.dumps(
        {
            "csv_sha256": digest,
            "meta_sha256": meta_digest,
            "name": frame.attrs.get("name"),
            "title": frame.attrs.get("title"),
        }
    ).encode()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _CACHE_META: stamp})
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    tmp.replace(cached)


def _read_cache(cached: Path, digest: str, meta_digest: str) -> pd.DataFrame | None:
    """The cached frame, or None when the entry is missing, damaged, or was validated from other
    bytes than the current CSV and sidecar."""
    import json

    import pyarrow.parquet as pq

    if not cached.is_file():
        return None
    try:
        table = pq.read_table(cached)
        stamp = json.loads((table.schema.metadata or {}).get(_CACHE_META, b"{}"))
        if stamp.get("csv_sha256") != digest or stamp.get("meta_sha256") != meta_digest:
            return None
        frame = table.to_pandas()
    except Exception:  # a damaged entry: validate again
        return None
    frame.attrs["name"] = stamp.get("name")
    frame.attrs["title"] = stamp.get("title")
    return frame


def _check_bytes(path: Path) -> None:
    """Refuse NUL bytes anywhere in a CSV (pandas would keep them inside cells)."""
    data = path.read_bytes()
    at = data.find(b"\x00")
    if at >= 0:
        line = data.count(b"\n", 0, at) + 1
        raise DataError(path, f"contains a NUL byte (line {line}); expected UTF-8 text")


_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def _check_numbers(path: Path, raw: pd.DataFrame, meta: dict[str, Any]) -> None:
    """``nan``/``inf`` written in a numeric cell is said so (coercion would call it empty)."""
    for col, spec in meta["columns"].items():
        if col not in raw.columns:
            continue
        values = raw[col]
        if spec.get("type") in ("integer", "float"):
            bad = values.notna() & values.str.strip().str.lower().isin(_NOT_FINITE)
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0])
                raise DataError(
                    path,
                    f"{values.iloc[row]!r} is not a finite number",
                    row=row + 1,
                    column=col,
                    more=int(bad.sum()) - 1,
                )


def _check_urls(path: Path, frame: pd.DataFrame) -> None:
    """URL columns hold http(s) URLs only, whatever a sidecar's pattern allows (the PDF links
    them: no ``javascript:`` or ``file:``)."""
    from analysis.sidecars import URL_SCHEMES

    for col in frame.columns:
        if col.endswith("url"):
            values = frame[col].astype("string")
            scheme = values.str.extract(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", expand=False)
            bad = (
                (
                    values.notna()
                    & (values.str.strip() != "")
                    & ~scheme.str.lower().isin(URL_SCHEMES)
                )
                .fillna(False)
                .astype(bool)
            )
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0])
                raise DataError(
                    path,
                    f"{values.iloc[row][:60]!r} is not an http(s) URL",
                    row=row + 1,
                    column=col,
                    more=int(bad.sum()) - 1,
                )


def _validate(path: Path, name: str) -> pd.DataFrame:
    from pandera.errors import SchemaErrors

    meta = read_meta(name, path.parent)
    _check_bytes(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(path, f"cannot be read as UTF-8 CSV: {' '.join(str(exc).split())}") from exc
    except pd.errors.EmptyDataError as exc:
        raise DataError(path, "is empty") from exc
    if raw.empty:
        raise DataError(path, "has a header but no rows")
    _check_numbers(path, raw, meta)
    schema = build_schema(meta)
    try:
        frame = schema.validate(raw, lazy=True)
    except SchemaErrors as err:
        _raise_first(path, err, meta)
    _check_urls(path, frame)
    for col, spec in meta["columns"].items():
        if spec.get("type") == "date":
            frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d")
    frame.attrs["name"] = name
    frame.attrs["title"] = meta["title"]
    return frame


@lru_cache(maxsize=64)
def _load_cached(path_str: str, digest: str, meta_digest: str) -> pd.DataFrame:
    path = Path(path_str)
    name = path.name.removesuffix(".csv")
    cached = _disk_cache(name, digest, meta_digest)
    frame = _read_cache(cached, digest, meta_digest)
    if frame is not None:
        return frame
    frame = _validate(path, name)
    with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
        _write_cache(frame, cached, digest, meta_digest)
    return frame


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``data/<name>.csv``, validated against its sidecar; date columns as datetimes.

    Raises :class:`DataError` (one line: file, row, column, problem) on any schema violation
    or when the file does not exist.
    """
    path = data_path(name, data_dir)
    if not path.exists():
        raise DataError(path, "file not found (is the data directory right? see README)")
    meta_path = path.with_name(f"{name}.meta.yaml")
    meta_digest = file_digest(meta_path) if meta_path.exists() else ""
    return _load_cached(str(path.resolve()), file_digest(path), meta_digest).copy()


# --------------------------------------------------------------------------------------------
# All datasets together, with the cross-file checks
# --------------------------------------------------------------------------------------------


class Datasets:
    """Every dataset of a data directory, loaded and validated, with cross-file references
    checked. Frames are attributes named after their files (``ds.events``); :meth:`items`
    iterates them in name order."""

    def __init__(self, frames: dict[str, pd.DataFrame], data_dir: Path):
        self._frames = dict(frames)
        self.data_dir = Path(data_dir)

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("_frames", {})
        if name in frames:
            return frames[name]
        raise AttributeError(f"no dataset {name!r} in {self.__dict__.get('data_dir')}")

    def __contains__(self, name: str) -> bool:
        return name in self._frames

    def names(self) -> tuple[str, ...]:
        return tuple(self._frames)

    def items(self) -> Iterable[tuple[str, pd.DataFrame]]:
        yield from self._frames.items()


def check_references(
    child: pd.DataFrame, column: str, parent: pd.DataFrame, parent_column: str, path: Path
) -> None:
    """Every value of ``child[column]`` must exist in ``parent[parent_column]``."""
    known = set(parent[parent_column].dropna())
    bad = child[~child[column].isin(known) & child[column].notna()]
    if not bad.empty:
        row = int(bad.index[0]) + 1
        raise DataError(
            path,
            f"{bad.iloc[0][column]!r} has no match in {parent.attrs.get('name')}.{parent_column}",
            row=row,
            column=column,
            more=len(bad) - 1,
        )


def references(meta: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """``column -> (dataset, column)`` for every column whose sidecar entry has
    ``references: <dataset>.<column>``."""
    out = {}
    for col, spec in meta["columns"].items():
        ref = spec.get("references")
        if ref:
            parent, _, parent_col = str(ref).partition(".")
            out[col] = (parent, parent_col)
    return out


def load_all(data_dir: Path | None = None) -> Datasets:
    """Load every dataset of the data directory (the sidecars say which) and check the
    references between them that the sidecars declare."""
    data_dir = Path(data_dir or config.DATA_DIR)
    names = dataset_names(data_dir)
    frames = {name: load(name, data_dir) for name in names}
    for name in names:
        for col, (parent, parent_col) in references(read_meta(name, data_dir)).items():
            if parent not in frames:
                raise DataError(
                    data_dir / f"{name}.meta.yaml",
                    f"references {parent}.{parent_col}, but there is no {parent}.csv",
                    column=col,
                )
            check_references(
                frames[name], col, frames[parent], parent_col, data_path(name, data_dir)
            )
    return Datasets(frames, data_dir)


# --------------------------------------------------------------------------------------------
# Provenance: coverage, file digests and the reference list
# --------------------------------------------------------------------------------------------


def coverage(name: str, data_dir: Path | None = None) -> tuple[pd.Timestamp | None, ...]:
    """The (start, end) a dataset's sidecar declares, as timestamps."""
    start, end = sidecars.coverage_dates(name, data_dir)
    return (
        pd.Timestamp(start) if start else None,
        pd.Timestamp(end) if end else None,
    )


def data_end(data_dir: Path | None = None) -> pd.Timestamp:
    """The last date the time-series datasets cover: the default end of a briefing."""
    return pd.Timestamp(sidecars.data_end_date(data_dir))


def citations(data_dir: Path | None = None) -> pd.DataFrame:
    """One row per dataset: title, producers, citation, URL, accessed, licence, coverage."""
    rows = []
    for name in dataset_names(data_dir):
        meta = read_meta(name, data_dir)
        start, end = _coverage_bounds(meta)
        rows.append(
            {
                "dataset": name,
                "title": meta["title"],
                "producers": "; ".join(meta.get("producers") or []),
                "citation": " ".join(str(meta.get("citation", "")).split()),
                "url": meta.get("url", ""),
                "date_accessed": str(meta.get("date_accessed", "")),
                "licence": meta.get("licence", ""),
                "coverage_start": start,
                "coverage_end": end,
            }
        )
    return pd.DataFrame(rows)


def summary(data_dir: Path | None = None) -> pd.DataFrame:
    """Rows, coverage and number of distinct sources of every dataset (validates them all)."""
    ds = load_all(data_dir)
    rows = []
    for name, frame in ds.items():
        start, end = coverage(name, ds.data_dir)
        rows.append(
            {
                "dataset": name,
                "rows": len(frame),
                "coverage": f"{start:%Y-%m-%d} to {end:%Y-%m-%d}" if start is not None else "n/a",
                "distinct_sources": frame["source_url"].nunique(),
                "distinct_documents": frame["source"].nunique(),
            }
        )
    return pd.DataFrame(rows)


def main() -> int:
    """``python -m analysis.data``: validate every dataset and print the summary table."""
    import sys

    try:
        table = summary()
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(table.to_string(index=False))
    return 0
