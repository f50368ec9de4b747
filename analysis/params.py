"""Validation of the briefing's parameters: the only way a value reaches the notebook.

A parameter is accepted only as a real calendar date written ``YYYY-MM-DD`` inside the data's
coverage; anything else raises :class:`ParameterError` with a one-line message that names the
parameter and says what is expected. Parameters are passed on as validated ISO strings only.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from . import config

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
BRIEFING_FIRST_DAY = pd.Timestamp(
    "1989-01-01"
)  # the composite index and the chronology begin in 1989


class ParameterError(ValueError):
    """A parameter is not acceptable. ``str(err)`` is one line naming the parameter."""

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(f"--{name}: {message}")


def _show(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[-3:]


def parse_date(value: object, name: str) -> pd.Timestamp:
    """``value`` as a timestamp if it is exactly ``YYYY-MM-DD`` and a real date, else ParameterError."""
    if isinstance(value, pd.Timestamp | date) and not isinstance(value, str):
        return pd.Timestamp(value).normalize()
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        raise ParameterError(
            name, f"{_show(value)} is not a date; expected YYYY-MM-DD, e.g. 2014-03-18"
        )
    try:
        return pd.Timestamp(date.fromisoformat(value))
    except ValueError:
        raise ParameterError(
            name, f"{_show(value)} is not a real calendar date; expected YYYY-MM-DD"
        ) from None


def coverage_bounds(data_dir: Path | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The span a briefing may cover: 1989-01-01 to the last date the data cover."""
    from .data import data_end

    return BRIEFING_FIRST_DAY, data_end(data_dir)


def resolve_range(
    start: object = None, end: object = None, *, data_dir: Path | None = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Validated (start, end); defaults: 1989-05-15 and the last date the data cover."""
    first, last = coverage_bounds(data_dir)
    s = (
        parse_date(start, "start")
        if start not in (None, "")
        else pd.Timestamp(config.DEFAULT_START)
    )
    e = parse_date(end, "end") if end not in (None, "") else last
    cover = f"the data cover {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    if s > e:
        raise ParameterError(
            "start", f"{s:%Y-%m-%d} is after --end {e:%Y-%m-%d}; expected start <= end"
        )
    if s < first or s > last:
        raise ParameterError("start", f"{s:%Y-%m-%d} is outside the coverage; {cover}")
    if e > last or e < first:
        raise ParameterError("end", f"{e:%Y-%m-%d} is outside the coverage; {cover}")
    return s, e


def range_slug(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Directory name of a briefing: ``<start>_<end>``."""
    return f"{start:%Y-%m-%d}_{end:%Y-%m-%d}"
