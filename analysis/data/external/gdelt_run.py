"""Run the GDELT SQL (:mod:`.gdelt_sql`) on DuckDB over export files, in bounded memory.

The files are checked and archives extracted by :mod:`.gdelt_files`; DuckDB reads the plain
tab-separated files in parallel (every column as text, no quoting), with a memory limit and a
spill directory. DuckDB checks UTF-8 only in the columns a query reads, and stops at a byte
that is not UTF-8 there; the files of such a batch are then checked in Python and those with
such bytes read again as Latin-1, which never fails (the SQL's columns are ASCII, so the numbers
are the same). Latin-1 is not the default because it doubles DuckDB's time (measured).
The files go in batches of about ``batch_bytes`` once extracted (plain files: four times that):
the next batch is checked, and its archives extracted and packed, while DuckDB reads the current
one, so that the two overlap and the disk used by extracted copies stays bounded. Stage 1 of the
query runs per batch; its few thousand rows are summed by stage 2.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis.data.external import gdelt_sql
from analysis.data.external.gdelt_extract import batches, prepare_batch
from analysis.data.external.gdelt_files import (
    LAYOUTS,
    ExportFile,
    GdeltFormatError,
    expand,
    is_utf8,
)

#: DuckDB's memory limit: the aggregation's state is a few thousand rows; the rest is buffers.
MEMORY_LIMIT = "512MB"
BATCH_BYTES = 64 << 20
_NULL = "\x01"  # the NULL string: no GDELT field is this, so an empty field stays ''


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_csv_sql(files: list[Path], ncols: int, encoding: str = "utf-8") -> str:
    """DuckDB's ``read_csv`` over ``files`` of one layout, with one column more than the
    layout (``_extra``: set only on a line with too many columns; NULL-padding marks a line
    with too few, as its last column is then NULL)."""
    names = (*LAYOUTS[ncols], "_extra")
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    paths = "[" + ", ".join(_literal(str(f)) for f in files) + "]"
    return (
        f"read_csv({paths}, columns = {columns}, delim = '\t', quote = '', escape = '', "
        f"header = false, auto_detect = false, encoding = '{encoding}', null_padding = true, "
        f"strict_mode = false, nullstr = '{_NULL}', max_line_size = {4 << 20})"
    )


def events_view_sql(files: list[ExportFile], extra: tuple[str, ...] = ()) -> str:
    """The relation ``events``: the SQL's input columns (and ``extra`` ones, NULL where a
    layout lacks them, with ``_encoding``, how the file was read) from every file, a malformed
    line's SQLDATE set to NULL."""
    parts = []
    for ncols, encoding in sorted({(f.ncols, f.encoding) for f in files}):
        layout = LAYOUTS[ncols]
        ok = f'"{layout[-1]}" IS NOT NULL AND _extra IS NULL'
        cols = [f'CASE WHEN {ok} THEN "SQLDATE" END AS "SQLDATE"']
        cols += [f'"{c}"' for c in gdelt_sql.INPUT_COLUMNS[1:]]
        cols += [f'"{c}"' if c in layout else f'NULL AS "{c}"' for c in extra]
        cols += [f"'{encoding}' AS _encoding"] if extra else []
        paths = [f.path for f in files if (f.ncols, f.encoding) == (ncols, encoding)]
        parts.append(f"SELECT {', '.join(cols)} FROM {read_csv_sql(paths, ncols, encoding)}")
    return "CREATE OR REPLACE TEMP VIEW events AS\n" + "\nUNION ALL\n".join(parts)


@contextmanager
def connect(workdir: Path, threads: int | None = None, memory_limit: str = MEMORY_LIMIT):
    """A DuckDB connection with a memory limit and its spill directory in ``workdir``."""
    import duckdb

    con = duckdb.connect(config={"threads": threads or len(os.sched_getaffinity(0))})
    try:
        spill = workdir / "duckdb.tmp"
        con.execute(f"SET memory_limit = {_literal(memory_limit)}")
        con.execute(f"SET temp_directory = {_literal(str(spill))}")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        yield con
    finally:
        con.close()


def prepared_batches(
    files: list[Path], workdir: Path, version: int | None, batch_bytes: int
) -> Iterator[list[ExportFile]]:
    """Each batch's checked files; the next batch is prepared (extracted) in a thread while the
    caller reads this one, and a batch's extracted files are deleted when the caller moves on."""
    groups = list(batches(files, batch_bytes))

    def build(k: int) -> tuple[Path, list[ExportFile]]:
        folder = workdir / f"batch{k}"
        folder.mkdir()
        return folder, prepare_batch(groups[k], folder, version, str(k))

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(build, 0) if groups else None
        for k in range(len(groups)):
            folder, ready = pending.result()
            pending = pool.submit(build, k + 1) if k + 1 < len(groups) else None
            try:
                yield ready
            finally:
                shutil.rmtree(folder, ignore_errors=True)


_FILE_IN_ERROR = re.compile(r"^\s*file = (.+)$", re.MULTILINE)


def run_on(con, batch: list[ExportFile], query: Callable[[], object], extra: tuple[str, ...] = ()):
    """``query()`` over the view ``events`` of ``batch``; on a byte that is not UTF-8 in a column
    read, the batch's files with such bytes are read as Latin-1 and ``query()`` runs again (a
    failed statement changes nothing). Any other DuckDB error is a :class:`GdeltFormatError`."""
    import duckdb

    for attempt in range(len(batch) + 1):
        con.execute(events_view_sql(batch, extra))
        try:
            return query()
        except duckdb.Error as exc:
            text = str(exc)
            named = {m.strip() for m in _FILE_IN_ERROR.findall(text)}
            culprits = {f.path for f in batch if str(f.path) in named and f.encoding == "utf-8"}
            if "unicode" not in text.lower() or not culprits:
                label = next((f.label for f in batch if str(f.path) in named), "a GDELT file")
                first = " ".join(text.split("\n")[0].split())[:200]
                raise GdeltFormatError(f"{label}: DuckDB cannot read it ({first})") from None
            if attempt == 0:  # find them all at once rather than one error at a time
                culprits |= {f.path for f in batch if not is_utf8(f.path)}
            batch = [replace(f, encoding="latin-1") if f.path in culprits else f for f in batch]
    raise AssertionError("unreachable: every file is Latin-1 by now")


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def aggregate_events(
    path_or_paths: Path | str | Iterable[Path | str],
    *,
    version: int | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    threads: int | None = None,
    memory_limit: str = MEMORY_LIMIT,
    temp_dir: Path | str | None = None,
    batch_bytes: int = BATCH_BYTES,
) -> pd.DataFrame:
    """The dyad-and-coverage table (:data:`.gdelt_sql.OUTPUT_COLUMNS`, one row per day and
    dyad) from GDELT 1.0/2.0 export files: plain, ``.zip`` or ``.gz``, files or folders.

    ``version``: 1 or 2 to insist on one, else detected per file. ``start``/``end``: keep the
    days in that range. ``attrs``: ``files``, ``columns`` (per file), ``lines`` (read),
    ``malformed`` (wrong column count, or an unreadable date, QuadClass, Goldstein value or
    mention count: not counted anywhere, reported here). Raises :class:`GdeltFormatError` (one
    line) for a damaged archive, a file of another layout or a line over 1 MiB.
    """
    if version not in (None, 1, 2):
        raise ValueError(f"version={version!r}: use 1 (GDELT 1.0), 2 (GDELT 2.0) or None")
    start, end = _as_date(start), _as_date(end)
    files = expand(path_or_paths)
    columns: dict[str, int] = {}
    stage1 = gdelt_sql.stage1_sql()
    with tempfile.TemporaryDirectory(prefix="gdelt-", dir=temp_dir) as tmp:
        workdir = Path(tmp)
        with connect(workdir, threads, memory_limit) as con:
            con.execute(
                "CREATE TEMP TABLE grouped (sqldate BIGINT, dyad INTEGER, n BIGINT, "
                "cooperative HUGEINT, conflictual HUGEINT, goldstein_sum DOUBLE, mentions HUGEINT)"
            )
            for batch in prepared_batches(files, workdir, version, batch_bytes):
                columns.update({m: f.ncols for f in batch for m in f.members or (f.label,)})
                if batch:
                    run_on(con, batch, lambda: con.execute("INSERT INTO grouped " + stage1))
            table = con.execute(gdelt_sql.stage2_sql(start=start, end=end)).df()
            lines, malformed = con.execute(gdelt_sql.stage2_sql(gdelt_sql.COUNTS_SELECT)).fetchone()
    table["date"] = pd.to_datetime(table["date"]).astype("datetime64[us]")
    table = table[list(gdelt_sql.OUTPUT_COLUMNS)].reset_index(drop=True)
    table.attrs.update(
        files=[str(p) for p in files], columns=columns, lines=lines, malformed=malformed
    )
    return table


__all__ = ["aggregate_events", "connect", "events_view_sql", "prepared_batches", "run_on"]
