"""``briefing update``: refresh what public sources publish and say what is stale.

    briefing update [--data-dir DIR] [--cache-dir DIR] [--source-dir DIR] [--only NAME ...]
                    [--url-base URL] [--timeout S]

Downloads the registry's machine-readable sources with pooch into the cache folder, rebuilds the
derived datasets with their builders in a temporary folder, validates every file against its
sidecar and writes into ``data/`` only when all validate; then prints a change table per rebuilt
dataset, the last date of each fetched source and every curated dataset with its lag behind the
newest source (see :mod:`analysis.data.update`).

Exit codes: 0 done; 1 some sources could not be downloaded (listed on stderr; the rest went
ahead); 2 bad input, or a source or rebuilt file that does not read or validate (one line naming
the file and the failure; ``data/`` untouched); 3 no network (one line; nothing changed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.pipeline.cli_errors import OneLineParser

NO_NETWORK = 3


class _SubParser(OneLineParser):
    def error(self, message: str):  # type: ignore[override]
        text = ascii(" ".join(str(message).split()))[1:-1][:300]
        self.exit(2, f"briefing update: error: {text} (see briefing update --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _SubParser(
        prog="briefing update",
        description="Fetch the public sources (pooch), rebuild the derived datasets, validate "
        "them, write them into data/ only if all validate, and list the curated datasets with "
        "their lag behind the newest source. Exit 0 done, 1 some downloads failed, 2 a file does "
        "not validate (data/ untouched), 3 no network (nothing changed).",
    )
    p.add_argument("--data-dir", type=Path, help="the curated CSVs (default data/)")
    p.add_argument(
        "--cache-dir",
        type=Path,
        help="pooch's download folder (default $BRIEFING_EXTERNAL_DIR or data/external, as make data)",
    )
    p.add_argument(
        "--source-dir",
        type=Path,
        help="the builders' other inputs (default ../shared/reference-data)",
    )
    p.add_argument(
        "--only", action="append", metavar="NAME", help="registry entry or dataset (repeatable)"
    )
    p.add_argument("--url-base", help="fetch URL_BASE/<path> instead of the upstream URLs")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per connection (30)")
    p.add_argument("--registry", type=Path, help=argparse.SUPPRESS)
    return p


def main(argv: list[str]) -> int:
    """``argv`` after the word ``update``."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a bad argument (2, one line already printed)
        return int(exc.code or 0)
    from analysis import config
    from analysis.data.external import external_dir
    from analysis.data.update import report, update

    out = update(
        args.data_dir or config.DATA_DIR,
        args.cache_dir or external_dir(),
        args.source_dir or config.SHARED_REFERENCE_DIR,
        registry=args.registry,
        only=args.only,
        url_base=args.url_base,
        timeout=args.timeout,
    )
    if out.status == NO_NETWORK:
        print(f"briefing update: {out.message}")
        return out.status
    if out.status == 2:
        print(f"briefing update: error: {out.message}", file=sys.stderr)
        return 2
    print(report(out))
    for err in out.errors:
        print(f"briefing update: error: {err}", file=sys.stderr)
    return out.status


__all__ = ["NO_NETWORK", "main"]
