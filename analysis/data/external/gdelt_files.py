"""GDELT event export files: their layouts, and what DuckDB cannot do with them.

DuckDB reads the tab-separated exports itself (:mod:`.gdelt_sql`); this module does the rest,
with the standard library only (no pandas, no DuckDB), so that the parent process can use it:

- **Layouts** (from the codebooks; see :mod:`.gdelt`): GDELT 1.0 historical back-files, 57
  columns; GDELT 1.0 daily files, 58 (with SOURCEURL); GDELT 2.0, 61 (an ADM2Code per
  geography). :data:`LAYOUTS` names every column as GDELT's BigQuery tables do, so the SQL reads
  the same names from files and from BigQuery.
- **Archives** (:mod:`.gdelt_extract`): GDELT ships ``.zip`` files, which DuckDB cannot read.
- **Checks DuckDB does not make.** The layout of each file from its first lines (one line
  naming the file when it is not a GDELT export), and no line longer than :data:`MAX_LINE_BYTES`
  (DuckDB silently drops an over-long line, and slows down on a line of many thousand tabs):
  checked by finding a newline in every :data:`GUARD_STEP` bytes, which touches one page per
  step of a memory-mapped file instead of reading it.
"""

from __future__ import annotations

import bisect
import mmap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

COLUMN_COUNTS = {57: 1, 58: 1, 61: 2}
SUFFIXES = (".csv", ".txt", ".tsv", ".zip", ".gz")
#: The longest line accepted (GDELT lines are a few hundred bytes, with a URL up to a few KB).
MAX_LINE_BYTES = 1 << 20
#: A newline must occur in every window of this many bytes: a line of ``MAX_LINE_BYTES`` or
#: more always fails, one shorter than ``GUARD_STEP`` always passes.
GUARD_STEP = MAX_LINE_BYTES // 2
HEAD_BYTES = 1 << 20
_DETECT_LINES = 100
CHUNK = 1 << 20


class GdeltFormatError(ValueError):
    """A file is not a GDELT event export of the expected version, or is damaged; the message
    is one line naming it. Bad input: the build reports it with exit code 2 (see
    :data:`analysis.protocol.DATA_ERRORS`)."""


def _actor(prefix: str) -> list[str]:
    fields = (
        "Code",
        "Name",
        "CountryCode",
        "KnownGroupCode",
        "EthnicCode",
        "Religion1Code",
        "Religion2Code",
        "Type1Code",
        "Type2Code",
        "Type3Code",
    )
    return [prefix + f for f in fields]


def _geo(prefix: str, adm2: bool) -> list[str]:
    fields = ["Type", "FullName", "CountryCode", "ADM1Code", *(["ADM2Code"] if adm2 else [])]
    return [f"{prefix}_{f}" for f in [*fields, "Lat", "Long", "FeatureID"]]


def _layout(v2: bool, url: bool) -> tuple[str, ...]:
    names = [
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        *_actor("Actor1"),
        *_actor("Actor2"),
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
        *_geo("Actor1Geo", v2),
        *_geo("Actor2Geo", v2),
        *_geo("ActionGeo", v2),
        "DATEADDED",
    ]
    return tuple(names + (["SOURCEURL"] if url else []))


#: Column count → the column names, in file order.
LAYOUTS: dict[int, tuple[str, ...]] = {
    57: _layout(v2=False, url=False),
    58: _layout(v2=False, url=True),
    61: _layout(v2=True, url=True),
}


@dataclass(frozen=True)
class ExportFile:
    """A plain tab-separated file DuckDB can read, and where it came from."""

    path: Path  # the file DuckDB reads (the input, or a member extracted from it)
    label: str  # what messages name: the input path, with ``!member`` for an archive member
    ncols: int  # 57, 58 or 61
    encoding: str = "utf-8"  # "latin-1" once a byte that is not UTF-8 was found in it
    members: tuple[str, ...] = ()  # the archive members appended into it, when packed


def is_utf8(path: Path) -> bool:
    """Whether the file is valid UTF-8 (ASCII blocks are checked at memory speed)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        while block := fh.read(4 * CHUNK):
            if decoder.getstate()[0] == b"" and block.isascii():
                continue
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def expand(path_or_paths: Path | str | Iterable[Path | str]) -> list[Path]:
    """The export files named: files as given, folders' files with a GDELT suffix (sorted)."""
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
        shown = ", ".join(str(i) for i in items)[:300]
        raise FileNotFoundError(f"no GDELT export (*{', *'.join(SUFFIXES)}) in {shown}")
    return files


def detect_columns(head: bytes, label: str, version: int | None = None) -> int:
    """The column count (57, 58 or 61) of a file whose first bytes are ``head``: the commonest
    allowed count among its first lines."""
    if b"\n" not in head and len(head) >= HEAD_BYTES:
        raise GdeltFormatError(
            f"{label}: a line is longer than {MAX_LINE_BYTES >> 20} MiB without a newline; "
            "not a GDELT event export"
        )
    lines = head.split(b"\n")
    if len(lines) > 1:
        lines = lines[:-1]  # the last piece may be cut
    counts = [line.count(b"\t") + 1 for line in lines[:_DETECT_LINES] if line.strip()]
    allowed = [n for n in COLUMN_COUNTS if version is None or COLUMN_COUNTS[n] == version]
    hits = {n: counts.count(n) for n in allowed}
    if not any(hits.values()):
        seen = sorted(set(counts[:20]))
        want = "57, 58 or 61" if version is None else ("57 or 58" if version == 1 else "61")
        raise GdeltFormatError(
            f"{label}: not a GDELT {'' if version is None else f'{version}.0 '}event export "
            f"(first lines have {seen} tab-separated columns, expected {want}); "
            "check the file, or pass version=1/2"
        )
    return max(hits, key=lambda n: hits[n])


def check_line_lengths(path: Path, label: str, starts: list[tuple[int, str]] | None = None) -> None:
    """Refuse a file with a line of :data:`MAX_LINE_BYTES` or more: there must be a newline in
    every :data:`GUARD_STEP` bytes but the last line's. Reads one page per step (mmap).
    ``starts``: (offset, label) of the members packed into the file, to name the culprit."""
    size = path.stat().st_size
    if size <= GUARD_STEP:
        return
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        last_nl = mm.rfind(b"\n", max(0, size - GUARD_STEP))
        end = last_nl if last_nl >= 0 else size
        pos = 0
        while pos < end:
            stop = min(pos + GUARD_STEP, end)
            if stop - pos == GUARD_STEP and mm.find(b"\n", pos, stop) < 0:
                if starts:
                    label = starts[bisect.bisect_right([o for o, _ in starts], pos) - 1][1]
                raise GdeltFormatError(
                    f"{label}: a line is longer than {MAX_LINE_BYTES >> 20} MiB without a "
                    "newline; not a GDELT event export"
                )
            pos = stop
        if size - end > GUARD_STEP:  # the tail after the last newline
            raise GdeltFormatError(
                f"{label}: a line is longer than {MAX_LINE_BYTES >> 20} MiB without a newline; "
                "not a GDELT event export"
            )


def read_head(path: Path) -> bytes:
    """The first 16 KiB (some 30 GDELT lines), or up to 1 MiB when they hold no newline."""
    with path.open("rb") as fh:
        head = fh.read(16 << 10)
        if b"\n" not in head:
            head += fh.read(HEAD_BYTES - len(head))
        return head


__all__ = [
    "COLUMN_COUNTS",
    "LAYOUTS",
    "MAX_LINE_BYTES",
    "ExportFile",
    "GdeltFormatError",
    "check_line_lengths",
    "detect_columns",
    "expand",
    "is_utf8",
]
