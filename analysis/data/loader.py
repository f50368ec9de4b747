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
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis import config, sidecars
from analysis.data import validated_cache
from analysis.data.schema import (
    build_schema,
    check_bytes,
    check_numbers,
    check_urls,
    coverage_bounds,
    coverage_columns,
    raise_first,
)
from analysis.sidecars import (  # noqa: F401
    DataError,
    data_path,
    dataset_names,
    file_digest,
    file_digests,
)

if TYPE_CHECKING:
    pass


def read_meta(name: str, data_dir: Path | None = None) -> dict[str, Any]:
    """The parsed ``<name>.meta.yaml`` sidecar."""
    return sidecars.read_meta(name, data_dir)


def _validate(path: Path, name: str) -> pd.DataFrame:
    from pandera.errors import SchemaErrors

    meta = read_meta(name, path.parent)
    check_bytes(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(path, f"cannot be read as UTF-8 CSV: {' '.join(str(exc).split())}") from exc
    except pd.errors.EmptyDataError as exc:
        raise DataError(path, "is empty") from exc
    if raw.empty:
        raise DataError(path, "has a header but no rows")
    check_numbers(path, raw, meta)
    schema = build_schema(meta)
    try:
        frame = schema.validate(raw, lazy=True)
    except SchemaErrors as err:
        raise_first(path, err, meta)
    check_urls(path, frame)
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
    cached = validated_cache.entry_path(name, digest, meta_digest)
    frame = validated_cache.read_entry(cached, digest, meta_digest)
    if frame is not None:
        return frame
    frame = _validate(path, name)
    with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
        validated_cache.write_entry(frame, cached, digest, meta_digest)
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

    def __init__(
        self,
        frames: dict[str, pd.DataFrame],
        data_dir: Path,
        as_of: pd.Timestamp | None = None,
        *,
        fingerprint: str | None = None,
    ):
        self._frames = frames if isinstance(frames, _CutFrames) else dict(frames)
        self.data_dir = Path(data_dir)
        #: The vintage: None for all the data, else the day the data were cut at (see :meth:`cut`).
        self.as_of = as_of
        #: sha256 of the files the frames were loaded from (and of the vintage's day), or None for
        #: frames built in memory: the key under which model results are remembered
        #: (:mod:`analysis.model.memo`).
        self.fingerprint = fingerprint

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

    def cut(self, as_of) -> Datasets:
        """The datasets as they stood on ``as_of``: rows dated after it dropped, and a yearly
        value kept only once its year has ended (``year`` < the year of ``as_of``, or that year
        itself when ``as_of`` is 31 December). The columns cut are each sidecar's coverage
        columns; rows of other tables join on the rows kept (votes on their roll calls).

        Each frame is cut when first read (:class:`_CutFrames`), so that a vintage read for one
        claim costs one frame, not every file of the data folder."""
        day = pd.Timestamp(as_of).normalize()
        cut_print = None
        if self.fingerprint is not None:
            cut_print = hashlib.sha256(
                f"{self.fingerprint} cut {day:%Y-%m-%d}".encode()
            ).hexdigest()
        frames = _CutFrames(self._frames, self.data_dir, day)
        return Datasets(frames, self.data_dir, as_of=day, fingerprint=cut_print)

    def coverage(self, name: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The dataset's declared (start, end), the end cut at the vintage."""
        start, end = coverage(name, self.data_dir)
        if end is not None and self.as_of is not None:
            end = min(end, self.as_of)
        return start, end


class _CutFrames(Mapping):
    """A vintage's frames (see :meth:`Datasets.cut`), each cut on first reading and kept."""

    def __init__(self, whole: Mapping[str, pd.DataFrame], data_dir: Path, day: pd.Timestamp):
        self._whole, self._data_dir, self._day = whole, data_dir, day
        self._cut: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._cut:
            self._cut[name] = self._cut_one(name)
        return self._cut[name]

    def __contains__(self, name: object) -> bool:
        return name in self._whole

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole)

    def __len__(self) -> int:
        return len(self._whole)

    def _cut_one(self, name: str) -> pd.DataFrame:
        frame, day = self._whole[name], self._day
        last_full_year = day.year if (day.month, day.day) == (12, 31) else day.year - 1
        meta = read_meta(name, self._data_dir)
        keep = pd.Series(True, index=frame.index)
        for col in coverage_columns(meta):
            if col not in frame.columns:
                continue
            kind = meta["columns"][col].get("type")
            if kind == "date":
                keep &= frame[col].isna() | (frame[col] <= day)
            elif kind == "integer":
                keep &= frame[col].isna() | (frame[col] <= last_full_year)
        frame = frame[keep].copy()
        for col, (parent, parent_col) in references(meta).items():
            # rows whose referenced row was cut go with it
            if parent in self._whole and parent != name and col in frame.columns:
                known = self[parent][parent_col]
                frame = frame[frame[col].isna() | frame[col].isin(known)]
        return frame


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
    files = hashlib.sha256()
    for name in names:
        files.update(f"{name} {file_digest(data_path(name, data_dir))} ".encode())
        files.update(file_digest(data_dir / f"{name}.meta.yaml").encode())
    return Datasets(frames, data_dir, fingerprint=files.hexdigest())


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
        start, end = coverage_bounds(meta)
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
