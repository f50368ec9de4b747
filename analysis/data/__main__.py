"""``python -m analysis.data``: validate every dataset and print rows, coverage, sources and how
current each one is.

    python -m analysis.data [--data-dir DIR]

One row per dataset: rows, declared coverage, distinct sources and documents, then its last
observation (the latest date or year a row holds; a yearly figure counts to 31 December) and
``lag_days``, the days from it to the newest source's last observation (named below the table).
A calendar of scheduled events lists the future, so it sets no lag and shows none. Exit codes: 0,
or 2 when a dataset breaks its sidecar or the folder holds no dataset (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m analysis.data",
        description="Validate every dataset of the data folder against its sidecar and print "
        "rows, coverage, sources, last observation and lag behind the newest source.",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        help="folder of <name>.csv + <name>.meta.yaml pairs (default $BRIEFING_DATA_DIR or data/)",
    )
    return p


def staleness_table(data_dir: Path) -> tuple[object, str]:
    """The summary table with ``last_observation`` and ``lag_days`` per dataset, and the line that
    names the newest source. Raises :class:`analysis.data.DataError` on a broken dataset."""
    import pandas as pd

    from analysis.data.freshness import dated, freshness
    from analysis.data.loader import load_all, summary

    table = summary(data_dir)
    ds = load_all(data_dir)
    fresh = freshness(ds, dated(ds, ds.names())).set_index("dataset")
    end = fresh.attrs["end"]

    def last(name: str) -> str:
        if name not in fresh.index or pd.isna(fresh.at[name, "last_observation"]):
            return "n/a"
        when = fresh.at[name, "last_observation"]
        return f"{when:%Y}" if fresh.at[name, "precision"] == "year" else f"{when:%Y-%m-%d}"

    def lag(name: str) -> str:
        if name not in fresh.index:
            return "n/a"
        if fresh.at[name, "kind"] == "calendar":
            return "calendar"
        days = fresh.at[name, "days_before_end"]
        return "n/a" if days is None or pd.isna(days) else str(int(days))

    table["last_observation"] = table["dataset"].map(last)
    table["lag_days"] = table["dataset"].map(lag)
    if pd.isna(end):
        return table, "no dataset holds a dated row"
    series = fresh[(fresh["kind"] != "calendar") & (fresh["last_observation"] == end)]
    newest = ", ".join(series.index)
    note = (
        f"lag_days: days from each dataset's last observation to the newest source's, "
        f"{end:%Y-%m-%d} ({newest}); a yearly figure counts to 31 December; n/a: no date of its own"
    )
    return table, note


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from analysis import config
    from analysis.sidecars import DataError, dataset_names

    data_dir = Path(args.data_dir) if args.data_dir else Path(config.DATA_DIR)
    if not data_dir.is_dir():
        print(f"error: {data_dir}: no such folder (see --data-dir)", file=sys.stderr)
        return 2
    if not dataset_names(data_dir):
        print(
            f"error: {data_dir}: no dataset (no <name>.csv beside a <name>.meta.yaml)",
            file=sys.stderr,
        )
        return 2
    try:
        table, note = staleness_table(data_dir)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(table.to_string(index=False))
    print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
