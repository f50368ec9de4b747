"""The daily GDELT dyad-and-coverage table as an input of the measures.

``briefing events`` (DuckDB over the export files) or the BigQuery query of
``briefing events-sql --engine bigquery`` writes a CSV of :data:`.gdelt_sql.OUTPUT_COLUMNS`;
saved as ``<external dir>/gdelt_events_daily.csv`` it is found by :func:`load_event_aggregates`,
and :func:`coverage_normalised_balance` turns it into a yearly or monthly table per dyad whose
numbers do not move with the volume of news: the balance of cooperative against conflictual
events (a share within the dyad's own events) and the dyad's events per million events of all
kinds reported in the same days.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.external.gdelt_files import GdeltFormatError
from analysis.data.external.gdelt_sql import DYADS, OUTPUT_COLUMNS

#: Where the table is looked for, in the external directory.
DAILY_FILE = "gdelt_events_daily.csv"
COUNTS = ("events", "cooperative", "conflictual", "mentions", "total_events", "total_mentions")
BALANCE_COLUMNS = (
    "dyad",
    "period",
    "events",
    "cooperative",
    "conflictual",
    "balance",
    "events_per_million_total",
)
_MAX_BYTES = 64 << 20  # decades of days × 3 dyads are a few MB


def _fail(path: Path, what: str) -> GdeltFormatError:
    return GdeltFormatError(
        f"{path}: {what}; expected the columns of `briefing events` ({','.join(OUTPUT_COLUMNS)})"
    )


def read_event_aggregates(path: Path | str) -> pd.DataFrame:
    """Read and check one daily table (the CSV of ``briefing events`` or of the BigQuery
    query): the nine columns in any order, a date per row (YYYY-MM-DD), known dyads, whole
    non-negative counts, one row per day and dyad, the day's totals the same on its rows and at
    least the dyad's. Any breach is one :class:`GdeltFormatError` line naming the file."""
    path = Path(path)
    if path.stat().st_size > _MAX_BYTES:
        raise _fail(path, f"larger than {_MAX_BYTES >> 20} MB, not a daily table")
    try:
        frame = pd.read_csv(path, dtype={"date": "str", "dyad": "str"}, encoding="utf-8")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise _fail(path, f"cannot be read as CSV ({' '.join(str(err).split())[:120]})") from None
    if sorted(frame.columns) != sorted(OUTPUT_COLUMNS):
        raise _fail(path, f"columns {list(frame.columns)[:12]}")
    if frame.empty:
        raise _fail(path, "no rows")
    dates = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        raise _fail(path, f"date {frame['date'][dates.isna()].iloc[0]!r} is not YYYY-MM-DD")
    frame["date"] = dates.astype("datetime64[us]")
    unknown = sorted(set(frame["dyad"]) - set(DYADS))
    if unknown:
        raise _fail(path, f"unknown dyad(s) {unknown[:3]} (known: {', '.join(DYADS)})")
    for col in (*COUNTS, "goldstein_sum"):
        values = pd.to_numeric(frame[col], errors="coerce")
        whole = values.notna() & (col == "goldstein_sum" or (values >= 0) & (values % 1 == 0))
        if not whole.all():
            what = "a number" if col == "goldstein_sum" else "a whole number, 0 or more"
            raise _fail(path, f"column {col} must hold {what} (row {int((~whole).argmax()) + 2})")
        frame[col] = values.astype("float64" if col == "goldstein_sum" else "int64")
    if frame.duplicated(["date", "dyad"]).any():
        raise _fail(path, "a day and dyad appear twice")
    per_day = frame.groupby("date")[["total_events", "total_mentions"]].nunique()
    if (per_day > 1).any().any():
        raise _fail(path, "a day's total_events or total_mentions differ between its rows")
    if (frame["cooperative"] + frame["conflictual"] > frame["events"]).any() or (
        frame["events"] > frame["total_events"]
    ).any():
        raise _fail(path, "a dyad's counts exceed its events or the day's total")
    return frame[list(OUTPUT_COLUMNS)].sort_values(["date", "dyad"]).reset_index(drop=True)


def load_event_aggregates(external_dir: Path | str | None = None) -> pd.DataFrame | None:
    """The daily table at ``<external_dir>/gdelt_events_daily.csv`` (default: the external
    directory, :func:`analysis.data.external.external_dir`), checked by
    :func:`read_event_aggregates`; ``None`` when there is none (then nothing changes)."""
    from analysis.data.external import external_dir as default_dir

    path = Path(external_dir if external_dir is not None else default_dir()) / DAILY_FILE
    if not path.is_file():
        return None
    return read_event_aggregates(path)


def write_daily(table: pd.DataFrame, out: Path) -> None:
    """Write the daily table as CSV, beside ``out`` first and renamed into place: a reader
    never sees half a file, and a failure leaves nothing behind."""
    table = table.assign(goldstein_sum=table["goldstein_sum"].round(6))
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "w", newline="") as fh:
            table.to_csv(fh, index=False, date_format="%Y-%m-%d", lineterminator="\n")
        Path(tmp).replace(out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def refresh_from_exports(external: Path) -> str:
    """``make data --only gdelt``: aggregate ``<external>/gdelt`` into
    ``<external>/gdelt_events_daily.csv``; one line saying what was written (or why not)."""
    from analysis.data.external.gdelt_run import aggregate_events

    folder = Path(external) / "gdelt"
    if not folder.is_dir() or not any(folder.iterdir()):
        return f"{DAILY_FILE}: no GDELT exports in {folder}; nothing aggregated"
    table = aggregate_events(folder)
    if table.empty:
        return f"{DAILY_FILE}: no event with a readable date in {folder}; nothing written"
    write_daily(table, Path(external) / DAILY_FILE)
    return (
        f"{DAILY_FILE}: {table['date'].nunique():,} days x 3 dyads from "
        f"{table.attrs['lines']:,} lines ({table.attrs['malformed']:,} malformed, not counted)"
    )


def coverage_normalised_balance(daily: pd.DataFrame, freq: str = "YS") -> pd.DataFrame:
    """Per dyad and year (``freq="YS"``) or month (``"MS"``) from the daily table:
    ``events``, ``cooperative``, ``conflictual``; ``balance`` = (cooperative − conflictual) /
    (cooperative + conflictual), NaN without either; ``events_per_million_total`` = the dyad's
    events per million events of the same days (the coverage), NaN for a period without
    coverage. ``period`` is the first day of the year or month. Only periods with rows count;
    the caller decides which periods are covered enough (see :mod:`analysis.model.periods`)."""
    if freq not in ("YS", "MS"):
        raise ValueError(f"freq={freq!r}: use 'YS' (years) or 'MS' (months)")
    missing = [
        c
        for c in ("date", "dyad", "events", "cooperative", "conflictual", "total_events")
        if c not in daily.columns
    ]
    if missing:
        raise ValueError(f"the daily table lacks column(s) {missing}")
    if daily.empty:
        return pd.DataFrame(columns=list(BALANCE_COLUMNS))
    dates = pd.to_datetime(daily["date"])
    period = dates.dt.to_period("Y" if freq == "YS" else "M").dt.start_time
    sums = (
        daily.assign(period=period.astype("datetime64[us]"))
        .groupby(["dyad", "period"], as_index=False)[
            ["events", "cooperative", "conflictual", "total_events"]
        ]
        .sum()
    )
    signed = sums["cooperative"] + sums["conflictual"]
    sums["balance"] = np.where(
        signed > 0, (sums["cooperative"] - sums["conflictual"]) / signed.where(signed > 0), np.nan
    )
    sums["events_per_million_total"] = np.where(
        sums["total_events"] > 0,
        sums["events"] / sums["total_events"].where(sums["total_events"] > 0) * 1e6,
        np.nan,
    )
    return sums[list(BALANCE_COLUMNS)].sort_values(["dyad", "period"]).reset_index(drop=True)


__all__ = [
    "BALANCE_COLUMNS",
    "DAILY_FILE",
    "coverage_normalised_balance",
    "load_event_aggregates",
    "read_event_aggregates",
    "refresh_from_exports",
    "write_daily",
]
