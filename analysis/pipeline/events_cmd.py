"""``briefing events`` and ``briefing events-sql``: the GDELT dyad-and-coverage table.

    briefing events PATH... --out FILE.csv [--version 1|2] [--start DAY] [--end DAY]
    briefing events-sql --engine bigquery --start 2022-01-01 --end 2022-12-31

``events`` runs the aggregation on DuckDB over GDELT 1.0/2.0 export files or folders of them
(plain, .zip or .gz) and writes the daily table (``date,dyad,events,cooperative,conflictual,
goldstein_sum,mentions,total_events,total_mentions``), then prints the malformed-line count.
``events-sql`` prints the same query for BigQuery's ``gdelt-bq.gdeltv2.events_partitioned``
(or the DuckDB text over a relation ``events``). Save either table as
``<external dir>/gdelt_events_daily.csv`` for the briefing. Exit codes: 0, or 2 for bad input
(one line on stderr, nothing written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from analysis.pipeline.cli_errors import OneLineParser, one_line


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{ascii(text)[:40]} is not a day (YYYY-MM-DD)") from None


class _SubParser(OneLineParser):
    """One-line errors naming the subcommand."""

    def error(self, message: str):  # type: ignore[override]
        text = ascii(" ".join(str(message).split()))[1:-1][:300]
        self.exit(2, f"{self.prog}: error: {text} (see {self.prog} --help)\n")


def _parser(command: str) -> argparse.ArgumentParser:
    p = _SubParser(prog=f"briefing {command}")
    if command == "events":
        p.description = "GDELT export files -> the daily dyad-and-coverage table (DuckDB)."
        p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
        p.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
        p.add_argument("--version", type=int, choices=(1, 2), help="insist on GDELT 1.0 or 2.0")
        p.add_argument("--threads", type=int, help="DuckDB threads (default: the CPUs)")
        p.add_argument("--memory-limit", default="512MB", help="DuckDB memory limit (512MB)")
        p.add_argument("--tmp-dir", type=Path, help="where archives are extracted (default TMP)")
    else:
        p.description = "Print the aggregation's SQL for BigQuery (or DuckDB)."
        p.add_argument("--engine", choices=("bigquery", "duckdb"), default="bigquery")
    required = command == "events-sql"
    p.add_argument("--start", type=_day, required=required, help="first day, YYYY-MM-DD")
    p.add_argument("--end", type=_day, required=required, help="last day, YYYY-MM-DD")
    return p


def _check_out(out: Path) -> str | None:
    if out.is_dir():
        return f"--out {out} is a folder; give a file name such as gdelt_events_daily.csv"
    if not out.parent.is_dir():
        return f"--out {out}: the folder {out.parent} does not exist"
    return None


def _events(args) -> int:
    problem = _check_out(args.out)
    if problem:
        print(f"briefing events: error: {problem}", file=sys.stderr)
        return 2
    from analysis.data.external.gdelt_daily import write_daily
    from analysis.data.external.gdelt_files import GdeltFormatError
    from analysis.data.external.gdelt_run import aggregate_events

    try:
        table = aggregate_events(
            args.paths,
            version=args.version,
            start=args.start,
            end=args.end,
            threads=args.threads,
            memory_limit=args.memory_limit,
            temp_dir=args.tmp_dir,
        )
    except (GdeltFormatError, FileNotFoundError, ValueError) as exc:
        print(f"briefing events: error: {one_line(exc)[:500]}", file=sys.stderr)
        return 2
    if table.empty:
        print(
            "briefing events: error: no event with a readable date in the files "
            f"({table.attrs['lines']:,} lines, {table.attrs['malformed']:,} malformed); "
            "nothing written",
            file=sys.stderr,
        )
        return 2
    write_daily(table, args.out)
    a = table.attrs
    days = table["date"].nunique()
    print(
        f"wrote {args.out}: {len(table):,} rows ({days:,} days x 3 dyads) from "
        f"{a['lines']:,} lines in {len(a['columns']):,} files"
    )
    print(
        f"malformed lines: {a['malformed']:,} (wrong column count, or an unreadable date, "
        "QuadClass, Goldstein value or mention count; not counted)"
    )
    return 0


def _events_sql(args) -> int:
    from analysis.data.external import gdelt_sql

    if args.start > args.end:
        print(f"briefing events-sql: error: --start {args.start} is after --end", file=sys.stderr)
        return 2
    if args.engine == "duckdb":
        print("-- over a relation `events` with GDELT's column names (e.g. a view over read_csv)")
        print(gdelt_sql.duckdb_sql(args.start, args.end) + ";")
        return 0
    try:
        text = gdelt_sql.bigquery_sql(args.start, args.end)
    except ValueError as exc:
        print(f"briefing events-sql: error: {one_line(exc)}", file=sys.stderr)
        return 2
    print(
        f"-- GDELT 2.0 events per day and dyad, {args.start} to {args.end}, for BigQuery.\n"
        "-- Run it in a Google Cloud project; save the result as CSV as\n"
        "-- <external dir>/gdelt_events_daily.csv (see briefing --external-dir)."
    )
    print(text, end="")
    return 0


def main(argv: list[str]) -> int:
    """``argv`` starts with the subcommand (``events`` or ``events-sql``)."""
    command, rest = argv[0], argv[1:]
    try:
        args = _parser(command).parse_args(rest)
    except SystemExit as exc:  # --help (0) or a bad argument (2, one line already printed)
        return int(exc.code or 0)
    return _events(args) if command == "events" else _events_sql(args)


__all__ = ["main"]
