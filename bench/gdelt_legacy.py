"""The hand-written GDELT reader the package used before DuckDB (issue 26), kept for the bench only.

``make bench`` times it side by side with the DuckDB aggregation ("today's reader, one dyad").
It is not used by the package: :mod:`analysis.data.external.gdelt` reads GDELT with DuckDB.
Unchanged from the package's last version but for this docstring and the trimmed exports (the
comparison with the curated chronology lives on in the package).
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

#: Column count → GDELT version.
COLUMN_COUNTS = {57: 1, 58: 1, 61: 2}
#: 0-based positions shared by 1.0 and 2.0.
EVENT_ID, SQLDATE, A1_CODE, A1_COUNTRY, A2_CODE, A2_COUNTRY = 0, 1, 5, 7, 15, 17
EVENT_CODE, QUAD_CLASS, GOLDSTEIN, NUM_MENTIONS, AVG_TONE = 26, 29, 30, 31, 34
SUFFIXES = (".csv", ".txt", ".tsv", ".zip", ".gz")
USSR_END = pd.Timestamp("1991-12-24")
OUTPUT_COLUMNS = [
    "event_id",
    "date",
    "actor1",
    "actor2",
    "cameo_code",
    "goldstein",
    "quad_class",
    "num_mentions",
    "avg_tone",
    "source_url",
]
_DETECT_LINES = 1000
#: The longest line accepted (GDELT lines are a few hundred bytes, with a URL up to a few KB):
#: a longer run without a newline is not a GDELT export, and is refused before it is buffered.
MAX_LINE_BYTES = 1 << 20


class GdeltFormatError(ValueError):
    """A file is not a GDELT event export of the expected version, or is damaged; the message
    is one line naming it. Bad input: the build reports it with exit code 2 (see
    :data:`analysis.protocol.DATA_ERRORS`)."""


def _expand(path_or_paths: Path | str | Iterable[Path | str]) -> list[Path]:
    items = [path_or_paths] if isinstance(path_or_paths, (str, Path)) else list(path_or_paths)
    files: list[Path] = []
    for item in map(Path, items):
        if item.is_dir():
            files += sorted(
                p for p in item.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif item.is_file():
            files.append(item)
        else:
            raise FileNotFoundError(f"{item}: no such GDELT file or folder")
    if not files:
        raise FileNotFoundError(f"no GDELT export (*{', *'.join(SUFFIXES)}) in {items}")
    return files


def _streams(path: Path) -> Iterator[tuple[str, io.BufferedIOBase]]:
    """(label, binary stream) for a plain file, a .gz file, or every data member of a .zip."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [
                m
                for m in zf.namelist()
                if m.lower().endswith((".csv", ".txt", ".tsv")) and not m.endswith("/")
            ]
            if not members:
                raise GdeltFormatError(f"{path}: the zip holds no .csv/.txt member")
            for member in members:
                with zf.open(member) as fh:
                    yield f"{path}!{member}", fh
    elif suffix == ".gz":
        with gzip.open(path, "rb") as fh:
            yield str(path), fh
    else:
        with path.open("rb") as fh:
            yield str(path), fh


def _blocks(
    stream: io.BufferedIOBase, chunksize: int, label: str = "GDELT file"
) -> Iterator[bytes]:
    """Blocks of whole lines, each ending with a newline, about ``chunksize`` bytes each. A line
    longer than :data:`MAX_LINE_BYTES` is an error (memory and time stay linear in the file)."""
    rest = b""
    while True:
        data = stream.read(chunksize)
        if not data:
            break
        data = rest + data
        cut = data.rfind(b"\n")
        if cut < 0:
            if len(data) > MAX_LINE_BYTES:
                raise GdeltFormatError(
                    f"{label}: a line is longer than {MAX_LINE_BYTES >> 20} MiB without a "
                    "newline; not a GDELT event export"
                )
            rest = data
            continue
        rest = data[cut + 1 :]
        if len(rest) > MAX_LINE_BYTES:
            raise GdeltFormatError(
                f"{label}: a line is longer than {MAX_LINE_BYTES >> 20} MiB without a newline; "
                "not a GDELT event export"
            )
        yield data[: cut + 1]
    if rest:
        yield rest + b"\n"


def _tab_counts(block: bytes) -> np.ndarray:
    """Number of tabs on each line of ``block`` (vectorised: no Python loop over lines)."""
    arr = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    tabs_before_end = np.searchsorted(np.flatnonzero(arr == 9), ends)
    return np.diff(tabs_before_end, prepend=0)


def _detect(counts: np.ndarray, label: str, version: int | None) -> int:
    """Column count of the file, from the commonest count among its first lines."""
    ncols = counts[:_DETECT_LINES] + 1
    allowed = [n for n in COLUMN_COUNTS if version is None or COLUMN_COUNTS[n] == version]
    hits = {n: int(np.count_nonzero(ncols == n)) for n in allowed}
    if not any(hits.values()):
        seen = sorted(set(ncols[:20].tolist()))
        want = "57, 58 or 61" if version is None else ("57 or 58" if version == 1 else "61")
        raise GdeltFormatError(
            f"{label}: not a GDELT {'' if version is None else f'{version}.0 '}event export "
            f"(first lines have {seen} tab-separated columns, expected {want}); "
            "check the file, or pass version=1/2"
        )
    return max(hits, key=lambda n: hits[n])


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="replace")


def _candidates(block: bytes, a: bytes, b: bytes) -> Iterator[bytes]:
    """Lines of ``block`` that contain both ``a`` and ``b`` (a necessary condition for the dyad),
    found with ``bytes.find`` so that only lines mentioning ``a`` reach Python code."""
    pos = block.find(a)
    while pos != -1:
        start = block.rfind(b"\n", 0, pos) + 1
        end = block.find(b"\n", pos)
        line = block[start:end]
        if b in line:
            yield line
        pos = block.find(a, end)


def _scan(
    stream,
    label: str,
    version: int | None,
    chunksize: int,
    targets: tuple[bytes, bytes],
    stats: dict[str, int],
) -> tuple[list[tuple], int]:
    a, b = targets
    keep = set(targets)
    ncols, tabs, url_at = 0, -1, None
    rows: list[tuple] = []
    for block in _blocks(stream, chunksize, label):
        counts = _tab_counts(block)
        if not ncols:
            ncols = _detect(counts, label, version)
            tabs, url_at = ncols - 1, (ncols - 1 if ncols in (58, 61) else None)
        stats["lines_read"] += len(counts)
        stats["lines_skipped"] += int(np.count_nonzero(counts != tabs))
        for line in _candidates(block, a, b):
            if line.count(b"\t") != tabs:
                continue  # malformed: already counted
            f = line.rstrip(b"\r").split(b"\t")
            c1 = f[A1_COUNTRY] or (f[A1_CODE][:3] if f[A1_CODE][:3] in keep else b"")
            c2 = f[A2_COUNTRY] or (f[A2_CODE][:3] if f[A2_CODE][:3] in keep else b"")
            if c1 == c2 or c1 not in keep or c2 not in keep:
                continue
            try:
                day = f[SQLDATE]
                if len(day) != 8 or not day.isdigit():
                    raise ValueError(day)
                quad = int(f[QUAD_CLASS])
                gold = float(f[GOLDSTEIN])
                if not 1 <= quad <= 4:
                    raise ValueError(quad)
            except ValueError:
                stats["lines_bad_values"] += 1
                continue
            mentions = int(f[NUM_MENTIONS]) if f[NUM_MENTIONS].isdigit() else None
            try:
                tone = float(f[AVG_TONE])
            except ValueError:
                tone = np.nan
            rows.append(
                (
                    _text(f[EVENT_ID]),
                    _text(day),
                    _text(c1),
                    _text(c2),
                    _text(f[EVENT_CODE]),
                    gold,
                    quad,
                    mentions,
                    tone,
                    _text(f[url_at]) if url_at is not None else None,
                )
            )
    if not ncols:
        stats["empty_files"] += 1
    return rows, ncols


def read_gdelt_dyad(
    path_or_paths: Path | str | Iterable[Path | str],
    *,
    version: int | None = None,
    chunksize: int = 8 << 20,
    countries: tuple[str, str] = ("CHN", "RUS"),
) -> pd.DataFrame:
    """Events between ``countries`` (both directions) from GDELT 1.0/2.0 event exports.

    ``path_or_paths``: a file (``.csv``/``.CSV``/``.txt``/``.tsv``, ``.zip`` with such members,
    or ``.gz``), a folder of them, or a list. ``version``: 1 or 2, or None to detect it per file
    from the column count (57/58 → 1.0, 61 → 2.0). ``chunksize``: bytes read at a time.

    Returns the columns the curated events give the event indicators — ``date``, ``actor1``,
    ``actor2`` (ISO3; SUN for RUS up to 1991-12-24), ``cameo_code`` (text, leading zeros kept),
    ``goldstein`` (float), ``quad_class`` (int) — plus ``event_id``, ``num_mentions``,
    ``avg_tone`` and ``source_url`` (NA for 57-column files), sorted by date and event id, so
    that ``analysis.indicators.event_scores(frame)`` runs on it directly. ``attrs``: ``files``,
    ``columns`` (per file), ``lines_read``, ``lines_skipped`` (wrong column count),
    ``lines_bad_values`` (dyad lines whose date, QuadClass or Goldstein did not parse),
    ``rows``.
    """
    if version not in (None, 1, 2):
        raise ValueError(f"version={version!r}: use 1 (GDELT 1.0), 2 (GDELT 2.0) or None")
    if chunksize < 1024:
        raise ValueError(f"chunksize={chunksize} bytes is too small; use at least 1024")
    if len(countries) != 2 or countries[0] == countries[1]:
        raise ValueError(f"countries={countries!r}: give two different ISO3 codes")
    targets = (countries[0].encode(), countries[1].encode())
    stats = {"lines_read": 0, "lines_skipped": 0, "lines_bad_values": 0, "empty_files": 0}
    rows: list[tuple] = []
    columns: dict[str, int] = {}
    files = _expand(path_or_paths)
    for path in files:
        try:
            for label, stream in _streams(path):
                found, ncols = _scan(stream, label, version, chunksize, targets, stats)
                rows += found
                columns[label] = ncols
        except (zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError) as exc:
            reason = " ".join(str(exc).split())[:120] or type(exc).__name__
            raise GdeltFormatError(
                f"{path}: damaged archive ({reason}); download it again (make data)"
            ) from None
    frame = pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
    frame["date"] = pd.to_datetime(
        frame["date"].astype("str"), format="%Y%m%d", errors="coerce"
    ).astype("datetime64[us]")  # the unit analysis.data.load gives the curated dates
    bad_dates = frame["date"].isna()
    if bad_dates.any():  # e.g. 20150230: eight digits but no such day
        stats["lines_bad_values"] += int(bad_dates.sum())
        frame = frame[~bad_dates]
    text = {c: "str" for c in ("event_id", "actor1", "actor2", "cameo_code")}
    frame = frame.astype(
        {**text, "goldstein": "float64", "quad_class": "int64", "avg_tone": "float64"}
    )
    frame["num_mentions"] = frame["num_mentions"].astype("Int64")
    frame["source_url"] = frame["source_url"].astype("str").where(frame["source_url"].notna())
    ussr = frame["date"] <= USSR_END
    for col in ("actor1", "actor2"):
        frame.loc[ussr & frame[col].eq("RUS"), col] = "SUN"
    frame = frame.sort_values(
        ["date", "event_id"],
        kind="stable",
        key=lambda s: pd.to_numeric(s, errors="coerce") if s.name == "event_id" else s,
    ).reset_index(drop=True)
    frame.attrs.update(
        files=[str(p) for p in files],
        columns=columns,
        rows=len(frame),
        lines_read=stats["lines_read"],
        lines_skipped=stats["lines_skipped"],
        lines_bad_values=stats["lines_bad_values"],
        empty_files=stats["empty_files"],
    )
    return frame


__all__ = ["GdeltFormatError", "read_gdelt_dyad"]
