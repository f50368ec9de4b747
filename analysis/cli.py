"""``briefing``: build the PDF briefing for a date range.

    briefing [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--out DIR] [--force]

Exit codes: 0 success, 1 a notebook cell or the PDF export failed, 2 bad input (parameters
or data). Every error is one line on stderr; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of the usage block."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"briefing: error: {' '.join(message.split())} (see briefing --help)\n")


def make_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="briefing",
        description="Build the China–Russia relationship-phase briefing (PDF) for a date range.",
        epilog="Writes reports/<start>_<end>/briefing.pdf, briefing.ipynb, figures.json, manifest.json.",
    )
    p.add_argument("--start", help=f"first day, YYYY-MM-DD (default {config.DEFAULT_START})")
    p.add_argument("--end", help="last day, YYYY-MM-DD (default: the last date the data cover)")
    p.add_argument("--out", type=Path, help="output directory (default reports/<start>_<end>/)")
    p.add_argument("--data-dir", type=Path, help="directory with the curated CSVs (default data/)")
    p.add_argument(
        "--notebook",
        type=Path,
        help="another parameterised notebook (default notebooks/briefing.ipynb)",
    )
    p.add_argument(
        "--force", action="store_true", help="rebuild even when an identical run is cached"
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    from .params import ParameterError
    from .report import BriefingFailed, build
    from .sidecars import DataError

    try:
        outcome = build(
            args.start,
            args.end,
            out_dir=args.out,
            data_dir=args.data_dir,
            force=args.force,
            quiet=args.quiet,
            notebook=args.notebook,
        )
    except (ParameterError, DataError) as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return 2
    except BriefingFailed as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("briefing: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:  # export or environment failure: one line, exit 1
        print(
            f"briefing: error: {type(exc).__name__}: {' '.join(str(exc).split())[:500]}",
            file=sys.stderr,
        )
        return 1
    print(outcome.pdf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
