"""``briefing``: build the PDF briefing for one date range, or several at once.

    briefing [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--out DIR] [--force]
    briefing --range 1989-05-15:1999-12-31 --range 2022-02-24: [--jobs N]
    briefing --ranges ranges.yaml
    briefing --end 2014-12-31 --as-of 2015-06-30 --claims my-claims.yaml
    briefing events PATH... --out gdelt_events_daily.csv     (GDELT exports -> daily dyad table)
    briefing events-sql --engine bigquery --start DAY --end DAY   (the same query for BigQuery)
    briefing update [--only NAME] [--url-base URL]   (fetch sources, rebuild, validate; see --help)
    briefing claims --tests | briefing claims [FILE.yaml]   (the claims tests; check a claims file)

Exit codes: 0 success, 1 a notebook cell, the PDF export or a batch range failed, 2 bad input
(parameters or data). Every error is one line on stderr; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config
from analysis.pipeline.cli_errors import OneLineParser, one_line


def _seconds(text: str) -> float:
    """``--wait``: a finite number of seconds, 0 or more (not nan, inf or negative)."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{ascii(text)[:40]} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(
            f"{ascii(text)[:40]} is not a finite number of seconds, 0 or more"
        )
    return value


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of parallel builds, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{ascii(text)[:40]} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} parallel builds: expected 1 or more")
    return value


class _Version(argparse.Action):
    """``--version``: the package's version and the git commit, computed only when asked."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"briefing {version()}")
        parser.exit(0)


def version() -> str:
    """'0.1.0 (git 1a2b3c4)': the installed package's version and the checkout's commit."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    from analysis.pipeline.provenance import git_commit

    try:
        text = installed("relations-briefing")
    except PackageNotFoundError:
        text = "(not installed)"
    commit = git_commit()
    if commit in ("", "unknown"):
        return text
    return f"{text} (git {commit[:12]}{'-dirty' if commit.endswith('-dirty') else ''})"


def make_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="briefing",
        description="Build the China–Russia relationship-phase briefing (PDF) for a date range.",
        epilog="Writes reports/<start>_<end>/briefing.pdf, briefing.ipynb, figures.json, manifest.json. "
        "GDELT event data: `briefing events --help`, `briefing events-sql --help`. "
        "Claims tests and their parameters: `briefing claims --tests`.",
    )
    p.add_argument("--start", help=f"first day, YYYY-MM-DD (default {config.DEFAULT_START})")
    p.add_argument("--end", help="last day, YYYY-MM-DD (default: the last date the data cover)")
    p.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        help="write the briefing as it could have been on this day, YYYY-MM-DD (>= --end; "
        "default: the last date the data cover); output reports/<start>_<end>_as-of-<date>/",
    )
    p.add_argument(
        "--claims",
        type=Path,
        metavar="FILE",
        help="another claims file, in the schema of data/claims.yaml, checked instead of the default ones (data/claims.yaml and data/claims_extra.yaml)",
    )
    p.add_argument("--out", type=Path, help="output directory (default reports/<start>_<end>/)")
    p.add_argument(
        "--range",
        action="append",
        metavar="START:END[@ASOF]",
        dest="ranges_inline",
        help="a range to build; repeat for several (run in parallel); either side may be empty",
    )
    p.add_argument("--ranges", type=Path, metavar="FILE", help="YAML file of named ranges to build")
    p.add_argument(
        "--jobs", type=_jobs, help="parallel builds in a batch, 1 or more (default: number of CPUs)"
    )
    p.add_argument("--data-dir", type=Path, help="directory with the curated CSVs (default data/)")
    p.add_argument(
        "--external-dir",
        type=Path,
        help="full public datasets (default $BRIEFING_EXTERNAL_DIR or data/external/; see make data)",
    )
    p.add_argument(
        "--notebook",
        type=Path,
        help="another parameterised notebook (default notebooks/briefing.ipynb)",
    )
    p.add_argument(
        "--force", action="store_true", help="rebuild even when an identical run is cached"
    )
    p.add_argument(
        "--wait",
        type=_seconds,
        default=900,
        metavar="SECONDS",
        help="how long to wait for another run of the same range (default 900)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument("--version", action=_Version)
    return p


def _build_options(args) -> dict:
    """The options a single build and a batch share."""
    return {
        "data_dir": args.data_dir,
        "notebook": args.notebook,
        "force": args.force,
        "wait": args.wait,
        "external_dir": args.external_dir,
        "claims_file": args.claims,
    }


def _after_signal(exc: BaseException) -> str:
    """What a signal left in place: the new briefing if the swap had happened, else the old one
    (named, when the build had got as far as knowing its folder)."""
    where = ascii(str(getattr(exc, "destination", "")))[1:-1]
    if getattr(exc, "installed", False):
        return f"the new briefing was already installed in {where}"
    if hasattr(exc, "summary"):  # a batch: what each range ended as
        return exc.summary
    if getattr(exc, "had_briefing", None) is True:
        return f"nothing was replaced: the previous briefing in {where} is kept, unchanged"
    if getattr(exc, "had_briefing", None) is False:
        return f"nothing was written to {where}; the previous briefing, if any, is unchanged"
    return "nothing was written; the previous briefing, if any, is unchanged"


def _signal_line(word: str, exc: BaseException) -> str:
    """The one line a signal prints, on a line of its own (the progress bar may be mid-line)."""
    lead = "\n" if getattr(exc, "mid_line", False) else ""
    return f"{lead}briefing: {word}; {_after_signal(exc)}"


def _batch(args) -> int:
    from analysis.pipeline.batch import (
        exit_code,
        load_ranges,
        parse_range,
        run_batch,
        summary_table,
    )

    if args.start or args.end or args.out or args.as_of:
        print(
            "briefing: error: --range/--ranges cannot be combined with --start, --end, --as-of "
            "or --out (write START:END@ASOF, or as_of: in the ranges file)",
            file=sys.stderr,
        )
        return 2
    specs = [parse_range(r) for r in args.ranges_inline or []]
    if args.ranges:
        specs += load_ranges(args.ranges)
    try:
        results = run_batch(specs, jobs=args.jobs, quiet=args.quiet, **_build_options(args))
        if results and all(r.status == "invalid" for r in results):  # nothing could be built
            for r in results:
                print(f"briefing: error: {r.detail}", file=sys.stderr)
            return 2
    except BaseException as exc:
        if hasattr(exc, "results"):  # BatchInterrupted: the table, then the one-line message
            print(summary_table(exc.results))
            word = "interrupted" if exc.signum == 2 else "terminated"
            print(f"briefing: {word}; {exc.summary}", file=sys.stderr)
            return 130 if exc.signum == 2 else 143
        raise
    print(summary_table(results))
    return exit_code(results)


def _skip_slow_optional_imports() -> None:
    """jsonschema (under nbformat) imports ``rfc3987_syntax`` when installed, only to check the
    ``iri`` string format, which no notebook schema uses; building its grammar costs about a
    second at every start. The build process goes without it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


#: Subcommands with their own parser, imported only when named (they use DuckDB and pandas).
SUBCOMMANDS = ("events", "events-sql")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in SUBCOMMANDS:
        from analysis.pipeline.events_cmd import main as events_main

        return events_main(argv)
    if argv and argv[0] == "update":  # issue 24: fetch, rebuild, validate, say what is stale
        from analysis.pipeline.update_cmd import main as update_main

        return update_main(argv[1:])
    if argv and argv[0] == "claims":  # the claims tests' parameters; a claims file checked alone
        from analysis.pipeline.claims_cmd import main as claims_main

        return claims_main(argv)
    _skip_slow_optional_imports()
    args = make_parser().parse_args(argv)
    if not args.quiet:
        return _main(args)
    import logging

    logging.disable(logging.WARNING)  # only the result or the one-line error (no IOPub warnings)
    try:
        return _main(args)
    finally:
        logging.disable(logging.NOTSET)


def _main(args) -> int:
    from analysis.params import ParameterError, check_data_dir
    from analysis.pipeline.steps import BriefingFailed, build
    from analysis.sidecars import DataError

    try:
        check_data_dir(args.data_dir)  # once, before any range (or batch) is looked at
        if args.ranges_inline or args.ranges:
            return _batch(args)
        outcome = build(
            args.start,
            args.end,
            out_dir=args.out,
            quiet=args.quiet,
            as_of=args.as_of,
            **_build_options(args),
        )
    except (ParameterError, DataError) as exc:
        print(f"briefing: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except BriefingFailed as exc:
        print(f"briefing: error: {one_line(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        print(_signal_line("interrupted", exc), file=sys.stderr)
        return 130
    except BaseException as exc:
        if type(exc).__name__ == "Interrupted":
            print(_signal_line("terminated", exc), file=sys.stderr)
            return 143
        if isinstance(exc, SystemExit):
            raise
        print(f"briefing: error: {type(exc).__name__}: {one_line(exc)[:500]}", file=sys.stderr)
        return 1
    print(outcome.pdf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
