"""GDELT archives and batches: what DuckDB cannot do with the export files before it reads them.

- **Archives.** GDELT ships ``.zip`` files, which DuckDB cannot read: each data member is
  inflated (ISA-L when the ``isal`` package is there, about three times zlib's speed, else zlib)
  in bounded memory, its CRC and size checked, and appended to one file per layout and batch
  (DuckDB spends about 2 ms of CPU on every file it opens; a GDELT 2.0 export is a few thousand
  lines). ``.gz`` files too, so that every byte DuckDB reads has passed the checks of
  :mod:`.gdelt_files` (layout, line length).
- **Batches** of files of a bounded size, so that one batch is prepared while DuckDB reads the
  previous one, and the extracted copies on disk stay bounded.

Standard library (and ``isal``) only: no pandas, no DuckDB.
"""

from __future__ import annotations

import gzip
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from analysis.data.external.gdelt_files import (
    CHUNK,
    HEAD_BYTES,
    ExportFile,
    GdeltFormatError,
    check_line_lengths,
    detect_columns,
    read_head,
)

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


def _damaged(path: Path, exc: BaseException) -> GdeltFormatError:
    reason = " ".join(str(exc).split())[:120] or type(exc).__name__
    return GdeltFormatError(f"{path}: damaged archive ({reason}); download it again (make data)")


def _inflate_member(zf: zipfile.ZipFile, raw, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member ``info`` of ``zf`` in pieces of at most 8 MiB, its raw deflate stream inflated
    by :data:`_inflate_lib` (bounded memory whatever the ratio: a zip bomb stays bounded); its
    size and CRC are checked after the last piece."""
    if info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) or info.flag_bits & 1:
        with zf.open(info) as src:  # other methods (bzip2, lzma): zipfile's own reader
            while piece := src.read(CHUNK):
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
        data = raw.read(min(CHUNK, left))
        if not data:
            raise zipfile.BadZipFile(f"{info.filename} is cut short")
        left -= len(data)
        while data:
            if inflater is None:
                piece, data = data, b""
            else:
                piece = inflater.decompress(data, 8 * CHUNK)
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
            yield str(path), iter(lambda: src.read(CHUNK), b"")


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
            if len(head) >= HEAD_BYTES or (len(head) >= 16 << 10 and b"\n" in head):
                break
        if not head:
            return  # an empty member
        ncols = detect_columns(head[:HEAD_BYTES], label, self.version)
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
    ncols = detect_columns(read_head(path), str(path), version)
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


__all__ = ["batches", "prepare_batch"]
