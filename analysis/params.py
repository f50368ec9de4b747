"""Validation of the briefing's parameters: the only way a value reaches the notebook.

A parameter is accepted only as a real calendar date written ``YYYY-MM-DD`` inside the data's
coverage; anything else raises :class:`ParameterError` with a one-line message that names the
parameter and says what is expected. The notebook receives the validated dates as ISO strings,
never the raw input. This module imports no pandas, so that the CLI answers bad input at once.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from analysis import config

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ParameterError(ValueError):
    """A parameter is not acceptable. ``str(err)`` is one line naming the parameter."""

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(f"--{name}: {message}")


def _show(value: object, limit: int = 40) -> str:
    """A short, printable, one-line rendering of any input (repr escapes control characters)."""
    text = ascii(value) if isinstance(value, str) else ascii(repr(value))
    return text if len(text) <= limit else text[: limit - 5] + "[...]"


def parse_date(value: object, name: str) -> date:
    """``value`` as a date if it is exactly ``YYYY-MM-DD`` and a real calendar date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        raise ParameterError(
            name, f"{_show(value)} is not a date; expected YYYY-MM-DD, e.g. 2014-03-18"
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ParameterError(
            name, f"{_show(value)} is not a real calendar date; expected YYYY-MM-DD"
        ) from None


def check_data_dir(data_dir: Path | str | None = None) -> Path:
    """The data folder (``--data-dir``, else ``$BRIEFING_DATA_DIR`` or ``data/``), refused in one
    line when it is missing, not a folder, or holds no dataset (no ``<name>.meta.yaml`` sidecar
    beside a ``<name>.csv``)."""
    from analysis.sidecars import dataset_names

    root = Path(data_dir) if data_dir else config.DATA_DIR
    shown = ascii(str(data_dir if data_dir else root))[1:-1][:200]
    origin = "" if data_dir else " (the data folder, from BRIEFING_DATA_DIR or the default)"
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise ParameterError("data-dir", f"'{shown}'{origin} {what}")
    if not dataset_names(root):
        raise ParameterError(
            "data-dir",
            f"'{shown}'{origin} holds no dataset (no <name>.csv with its <name>.meta.yaml "
            "sidecar); expected a folder like the project's data/",
        )
    return root


def coverage_bounds(data_dir: Path | str | None = None) -> tuple[date, date]:
    """The span a briefing may cover: 1989-01-01 to the last date the data cover."""
    from analysis.sidecars import data_end_date

    check_data_dir(data_dir)
    return config.FIRST_DAY, data_end_date(data_dir)


def resolve_range(
    start: object = None, end: object = None, *, data_dir: Path | str | None = None
) -> tuple[date, date]:
    """Validated (start, end); defaults: 1989-05-15 and the last date the data cover."""
    first, last = coverage_bounds(data_dir)
    s = parse_date(start, "start") if start is not None else config.DEFAULT_START
    e = parse_date(end, "end") if end is not None else last
    cover = f"the data cover {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    if s > e:
        limit = f"--end {e:%Y-%m-%d}" if end is not None else f"the end of the data ({e:%Y-%m-%d})"
        raise ParameterError("start", f"{s:%Y-%m-%d} is after {limit}; expected start <= end")
    if not first <= s <= last:
        raise ParameterError("start", f"{s:%Y-%m-%d} is outside the coverage; {cover}")
    if not first <= e <= last:
        raise ParameterError("end", f"{e:%Y-%m-%d} is outside the coverage; {cover}")
    return s, e


def resolve_as_of(as_of: object, end: date, *, data_dir: Path | str | None = None) -> date:
    """The vintage of a briefing: the day it is written as of (default: the end of the data).

    Every dataset is cut at this date; it may not fall before the range's end (a briefing cannot
    describe days its data did not yet hold) nor after the last date the data cover.
    """
    _, last = coverage_bounds(data_dir)
    if as_of is None or as_of == "":
        return last
    d = parse_date(as_of, "as-of")
    if d < end:
        raise ParameterError(
            "as-of", f"{d:%Y-%m-%d} is before --end {end:%Y-%m-%d}; expected as-of >= end"
        )
    if d > last:
        raise ParameterError(
            "as-of", f"{d:%Y-%m-%d} is after the last date the data cover ({last:%Y-%m-%d})"
        )
    return d


def range_slug(start: date, end: date) -> str:
    """Directory name of a briefing: ``<start>_<end>``."""
    return f"{start:%Y-%m-%d}_{end:%Y-%m-%d}"


def check_regular_file(path: Path | str, name: str, shown: str | None = None) -> None:
    """The file of option ``--name`` must be a regular file: a FIFO would block its reader for
    ever, a device would never end. A missing or unreadable one is left to the reader's message."""
    import stat

    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise ParameterError(name, f"{shown or _show(str(path), 120)} is not a regular file")
