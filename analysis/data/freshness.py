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
    year with precision ``year`` (a yearly figure observes the whole year), or, when the frame
    has a ``month_end`` column beside it (a monthly or year-to-date series), the last day of its
    latest (year, month_end) with precision ``month``. ``(None, "")`` when the frame holds no
    dated value.
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
        elif "month_end" in frame.columns and frame.loc[values.index, "month_end"].notna().all():
            months = values.astype(int) * 12 + frame.loc[values.index, "month_end"].astype(int) - 1
            latest = int(months.max())
            start = pd.Timestamp(year=latest // 12, month=latest % 12 + 1, day=1)
            when, precision = start + pd.offsets.MonthEnd(0), "month"
        else:
            when, precision = pd.Timestamp(year=int(values.max()), month=12, day=31), "year"
        if best[0] is None or when > best[0]:
            best = (when, precision)
    return best


def freshness(ds, names: Iterable[str], end=None) -> pd.DataFrame:
    """One row per dataset in ``names``: its title, the last observation and its precision, the
    date its curator searched to (the sidecar's coverage end, cut at the vintage),
    ``months_before_end``, the whole months from the last observation to ``end``, and
    ``days_before_end``, the days (0 when it reaches the end; negative never: observations after
    ``end`` count as reaching it). A dataset with no row yet (a briefing as of a day before its
    first) has no last observation (NaT), no months and no days (None).

    ``end=None`` measures against the newest source instead: the latest last observation among
    ``names``, calendars of scheduled events (``kind: calendar``) left out, as they list the
    future. ``kind`` is the sidecar's ``kind`` ('' for a time series, ``calendar``).

    A name that is not a dataset of ``ds`` raises an AttributeError naming it; a dataset whose
    rows carry no date or year (a lookup table) raises a ValueError: it has no freshness.
    """
    rows = []
    for name in names:
        frame = getattr(ds, name)
        meta = read_meta(name, ds.data_dir)
        columns = coverage_columns(meta)
        if not columns:
            raise ValueError(f"{name} has no dated rows: it has no freshness to report")
        last, precision = last_observation(frame, columns)
        rows.append(
            {
                "dataset": name,
                "title": meta["title"],
                "kind": str(meta.get("kind") or ""),
                "last_observation": pd.NaT if last is None else last,
                "precision": precision,
                "searched_to": ds.coverage(name)[1],
            }
        )
    if end is None:
        series = [r["last_observation"] for r in rows if r["kind"] != "calendar"]
        end = max((t for t in series if not pd.isna(t)), default=pd.NaT)
    end = pd.Timestamp(end)
    for row in rows:
        last = row["last_observation"]
        if pd.isna(last) or pd.isna(end):
            row["months_before_end"] = row["days_before_end"] = None
        elif last >= end:
            row["months_before_end"] = row["days_before_end"] = 0
        else:
            row["months_before_end"] = (end.year - last.year) * 12 + end.month - last.month
            row["days_before_end"] = int((end - last).days)
    columns = ["dataset", "title", "last_observation", "precision", "searched_to"]
    columns += ["months_before_end", "days_before_end", "kind"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["end"] = end
    return frame


def dated(ds, names: Iterable[str]) -> list[str]:
    """The datasets among ``names`` whose rows carry a date or year (a lookup table, or a table
    of votes keyed to its roll calls, has none of its own), in the order given."""
    return [n for n in names if coverage_columns(read_meta(n, ds.data_dir))]
