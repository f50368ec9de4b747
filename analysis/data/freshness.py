"""How current each dataset is: its last observation against the end of a briefing's range.

A sidecar's ``coverage.end`` says how far the curator searched; the last observation is the
latest date (or year) a row actually holds. The two differ: a record of official designations
searched to November 2026 may hold nothing after May 2025. The briefing prints both, so a reader
sees how far each source reaches before the range's end, and the vintage line states the spread
rather than the newest date alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.data.schema import coverage_columns
from analysis.sidecars import read_meta


def last_observation(
    frame: pd.DataFrame, columns: Iterable[str]
) -> tuple[pd.Timestamp | None, str]:
    """The latest date among ``columns`` of ``frame`` and its precision (``day`` or ``year``).

    A date column gives its latest day; an integer year column gives 31 December of its latest
    year with precision ``year`` (a yearly figure observes the whole year). ``(None, "")`` when
    the frame holds no dated value.
    """
    best: tuple[pd.Timestamp | None, str] = (None, "")
    for col in columns:
        if col not in frame.columns:
            continue
        values = frame[col].dropna()
        if values.empty:
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            when, precision = pd.Timestamp(values.max()), "day"
        else:
            when, precision = pd.Timestamp(year=int(values.max()), month=12, day=31), "year"
        if best[0] is None or when > best[0]:
            best = (when, precision)
    return best


def freshness(ds, names: Iterable[str], end) -> pd.DataFrame:
    """One row per dataset in ``names``: its title, the last observation and its precision, the
    date its curator searched to (the sidecar's coverage end, cut at the vintage) and
    ``months_before_end``, the whole months from the last observation to ``end`` (0 when it
    reaches the end; negative never: observations after ``end`` count as reaching it). A dataset
    with no row yet (a briefing as of a day before its first) has no last observation (NaT) and
    no months (None).

    A name that is not a dataset of ``ds`` raises an AttributeError naming it; a dataset whose
    rows carry no date or year (a lookup table) raises a ValueError: it has no freshness.
    """
    end = pd.Timestamp(end)
    rows = []
    for name in names:
        frame = getattr(ds, name)
        meta = read_meta(name, ds.data_dir)
        columns = coverage_columns(meta)
        if not columns:
            raise ValueError(f"{name} has no dated rows: it has no freshness to report")
        last, precision = last_observation(frame, columns)
        searched = ds.coverage(name)[1]
        if last is None:
            last, months = pd.NaT, None
        elif last >= end:
            months = 0
        else:
            months = (end.year - last.year) * 12 + end.month - last.month
        rows.append(
            {
                "dataset": name,
                "title": meta["title"],
                "last_observation": last,
                "precision": precision,
                "searched_to": searched,
                "months_before_end": months,
            }
        )
    return pd.DataFrame(rows)


def dated(ds, names: Iterable[str]) -> list[str]:
    """The datasets among ``names`` whose rows carry a date or year (a lookup table, or a table
    of votes keyed to its roll calls, has none of its own), in the order given."""
    return [n for n in names if coverage_columns(read_meta(n, ds.data_dir))]
