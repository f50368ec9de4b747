"""GDELT event export files: their layouts, and what DuckDB cannot do with them.

DuckDB reads the tab-separated exports itself (:mod:`.gdelt_sql`); this module does the rest,
with the standard library only (no pandas, no DuckDB), so that the parent process can use it:

- **Layouts** (from the codebooks; see :mod:`.gdelt`): GDELT 1.0 historical back-files, 57
  columns; GDELT 1.0 daily files, 58 (with SOURCEURL); GDELT 2.0, 61 (an ADM2Code per
  geography). :data:`LAYOUTS` names every column as GDELT's BigQuery tables do, so the SQL reads
  the same names from files and from BigQuery.
- **Archives.** GDELT ships ``.zip`` files, which DuckDB cannot read: each data member is
  inflated (ISA-L when the ``isal`` package is there, about three times zlib's speed, else zlib)
  into a temporary file, its CRC and size checked, in bounded memory. ``.gz`` files too, so that
  every byte DuckDB reads has passed the checks below.
- **Checks DuckDB does not make.** The layout of each file from its first lines (one line
  naming the file when it is not a GDELT export), and no line longer than :data:`MAX_LINE_BYTES`
  (DuckDB silently drops an over-long line, and slows down on a line of many thousand tabs):
  checked by finding a newline in every :data:`GUARD_STEP` bytes, which touches one page per
  step of a memory-mapped file instead of reading it.
"""

from __future__ import annotations

import bisect
import gzip
import mmap
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

try:  # ISA-L's inflate: the same raw-deflate API as zlib, about three times faster
    from isal import isal_zlib as _inflate_lib
except ImportError:  # pragma: no cover - isal is a declared dependency
    _inflate_lib = zlib

#: What a damaged (or encrypted, or oddly compressed) archive raises; gzip.BadGzipFile is the one
#: OSError here: any other (disk full, permissions) is not the archive's fault and propagates.
_DAMAGE = (
    zipfile.BadZipFile,
    gzip.BadGzipFile,
    zlib.error,
    EOFError,
    _inflate_lib.error,
    RuntimeError,  # zipfile: "File ... is encrypted, password required for extraction"
    NotImplementedError,  # zipfile: "That compression method is not supported"
)

#: Column count → GDELT version.
COLUMN_COUNTS = {57: 1, 58: 1, 61: 2}
SUFFIXES = (".csv", ".txt", ".tsv", ".zip", ".gz")
#: The longest line accepted (GDELT lines are a few hundred bytes, with a URL up to a few KB).
MAX_LINE_BYTES = 1 << 20
#: A newline must occur in every window of this many bytes: a line of ``MAX_LINE_BYTES`` or
#: more always fails, one shorter than ``GUARD_STEP`` always passes.
GUARD_STEP = MAX_LINE_BYTES // 2
_HEAD_BYTES = 1 << 20
_DETECT_LINES = 100
_CHUNK = 1 << 20


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
        while block := fh.read(4 * _CHUNK):
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
    if b"\n" not in head and len(head) >= _HEAD_BYTES:
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


def _head(path: Path) -> bytes:
    """The first 16 KiB (some 30 GDELT lines), or up to 1 MiB when they hold no newline."""
    with path.open("rb") as fh:
        head = fh.read(16 << 10)
        if b"\n" not in head:
            head += fh.read(_HEAD_BYTES - len(head))
        return head


def _damaged(path: Path, exc: BaseException) -> GdeltFormatError:
    reason = " ".join(str(exc).split())[:120] or type(exc).__name__
    return GdeltFormatError(f"{path}: damaged archive ({reason}); download it again (make data)")


def _inflate_member(zf: zipfile.ZipFile, raw, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member ``info`` of ``zf`` in pieces of at most 8 MiB, its raw deflate stream inflated
    by :data:`_inflate_lib` (bounded memory whatever the ratio: a zip bomb stays bounded); its
    size and CRC are checked after the last piece."""
    if info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) or info.flag_bits & 1:
        with zf.open(info) as src:  # other methods (bzip2, lzma): zipfile's own reader
            while piece := src.read(_CHUNK):
                yield piece
        return
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    left, crc, written = info.compress_size, 0, 0
    inflater = _inflate_lib.decompressobj(-15) if info.compress_type else None
    while left:
        raw.seek(start + info.compress_size - left)  # the caller may read elsewhere between
        data = raw.read(min(_CHUNK, left))
        if not data:
            raise zipfile.BadZipFile(f"{info.filename} is cut short")
        left -= len(data)
        while data:
            if inflater is None:
                piece, data = data, b""
            else:
                piece = inflater.decompress(data, 8 * _CHUNK)
                data = inflater.unconsumed_tail
            crc, written = _inflate_lib.crc32(piece, crc), written + len(piece)
            yield piece
    if inflater is not None:
        piece = inflater.flush()
        crc, written = _inflate_lib.crc32(piece, crc), written + len(piece)
        yield piece
        if not inflater.eof:
            raise zipfile.BadZipFile(f"{info.filename}: the deflate stream is cut short")
    if written != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC-32 or size for {info.filename}")


def _data_members(zf: zipfile.ZipFile, path: Path) -> list[zipfile.ZipInfo]:
    members = [
        m
        for m in zf.infolist()
        if m.filename.lower().endswith((".csv", ".txt", ".tsv")) and not m.is_dir()
    ]
    if not members:
        raise GdeltFormatError(f"{path}: the zip holds no .csv/.txt member")
    return members


def _members(path: Path) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(label, pieces) of each data member of a .zip, or of the content of a .gz."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf, path.open("rb") as raw:
            for info in _data_members(zf, path):
                yield f"{path}!{info.filename}", _inflate_member(zf, raw, info)
    else:
        with gzip.open(path, "rb") as src:
            yield str(path), iter(lambda: src.read(_CHUNK), b"")


class _Packer:
    """Archive members appended to one file per layout in ``workdir`` (DuckDB spends about 2 ms
    of CPU on each file it opens, and a GDELT 2.0 export is only a few thousand lines), each
    member's layout detected from its first lines and ended by a newline."""

    def __init__(self, workdir: Path, tag: str, version: int | None):
        self.workdir, self.tag, self.version = workdir, tag, version
        self.open: dict[int, tuple[Path, object, list[tuple[int, str]]]] = {}

    def add(self, label: str, pieces: Iterator[bytes]) -> None:
        head = b""
        for piece in pieces:
            head += piece
            if len(head) >= _HEAD_BYTES or (len(head) >= 16 << 10 and b"\n" in head):
                break
        if not head:
            return  # an empty member
        ncols = detect_columns(head[:_HEAD_BYTES], label, self.version)
        if ncols not in self.open:
            path = self.workdir / f"p{self.tag}_{ncols}.tsv"
            self.open[ncols] = (path, path.open("wb"), [])
        path, out, starts = self.open[ncols]
        starts.append((out.tell(), label))
        out.write(head)
        last = head[-1:]
        for piece in pieces:
            out.write(piece)
            last = piece[-1:] or last
        if last != b"\n":
            out.write(b"\n")

    def close(self) -> list[ExportFile]:
        files = []
        for ncols, (path, out, starts) in sorted(self.open.items()):
            out.close()
            labels = tuple(label for _, label in starts)
            check_line_lengths(path, labels[0], starts)
            more = f" (+{len(labels) - 1} more)" if len(labels) > 1 else ""
            files.append(ExportFile(path, labels[0] + more, ncols, members=labels))
        return files


_GLOB_CHARS = set("*?[]{}")


def _plain(path: Path, workdir: Path, seq: int, version: int | None) -> ExportFile | None:
    if path.stat().st_size == 0:
        return None
    ncols = detect_columns(_head(path), str(path), version)
    check_line_lengths(path, str(path))
    if _GLOB_CHARS & set(str(path)):  # DuckDB would take the name for a glob pattern
        link = workdir / f"l{seq}.tsv"
        link.symlink_to(path.absolute())
        return ExportFile(link, str(path), ncols)
    return ExportFile(path, str(path), ncols)


def prepare_batch(
    paths: list[Path], workdir: Path, version: int | None = None, tag: str = "0"
) -> list[ExportFile]:
    """The plain, checked files DuckDB reads for ``paths``: plain inputs as they are (empty ones
    skipped), archives extracted and packed by layout into files in ``workdir``. A damaged
    archive, a file of another layout or an over-long line is a :class:`GdeltFormatError`."""
    out: list[ExportFile] = []
    packer = _Packer(workdir, tag, version)
    try:
        for seq, path in enumerate(paths):
            if path.suffix.lower() not in (".zip", ".gz"):
                ready = _plain(path, workdir, seq, version)
                out += [ready] if ready else []
                continue
            try:
                for label, pieces in _members(path):
                    packer.add(label, pieces)
            except _DAMAGE as exc:  # a real I/O error (disk full, permissions) is raised
                raise _damaged(path, exc) from None
    finally:
        packed = packer.close() if packer.open else []
    return out + packed


def _unpacked_size(path: Path) -> int:
    """An archive's data size: its members' sizes from the zip directory (4 × a .gz file, or a
    zip that cannot be read, whose error comes when it is extracted)."""
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                return sum(m.file_size for m in zf.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
    return 4 * path.stat().st_size


def batches(files: list[Path], max_bytes: int) -> Iterator[list[Path]]:
    """Consecutive groups of ``files`` of about ``max_bytes`` once extracted (plain files in
    groups four times larger), so that the next group is checked (and extracted) while DuckDB
    reads one, and the extracted copies on disk stay bounded."""
    group: list[Path] = []
    size = 0
    for f in files:
        packed = f.suffix.lower() in (".zip", ".gz")
        group.append(f)
        size += _unpacked_size(f) if packed else f.stat().st_size // 4
        if size >= max_bytes:
            yield group
            group, size = [], 0
    if group:
        yield group


__all__ = [
    "COLUMN_COUNTS",
    "LAYOUTS",
    "MAX_LINE_BYTES",
    "ExportFile",
    "GdeltFormatError",
    "batches",
    "check_line_lengths",
    "detect_columns",
    "expand",
    "is_utf8",
    "prepare_batch",
]
