"""``briefing claims``: the claims tests and their parameters, and a claims file checked alone.

    briefing claims --tests            every test with its parameters and the codes the data allow
    briefing claims [FILE.yaml ...]    check claims files (default: the data folder's) as a build
                                       would, without building: one line each, exit 0 or 2

Runs in the parent process: no pandas (the declarations are
:mod:`analysis.model.claims_params`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.pipeline.cli_errors import OneLineParser, one_line


class _SubParser(OneLineParser):
    def error(self, message: str):  # type: ignore[override]
        text = ascii(" ".join(str(message).split()))[1:-1][:300]
        self.exit(2, f"briefing claims: error: {text} (see briefing claims --help)\n")


def make_parser() -> argparse.ArgumentParser:
    p = _SubParser(
        prog="briefing claims",
        description="List the claims tests with their parameters, or check claims files "
        "(the schema of data/claims.yaml) without building a briefing.",
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="claims files to check")
    p.add_argument(
        "--tests", action="store_true", help="list every test with the parameters it takes"
    )
    p.add_argument(
        "--data-dir", type=Path, help="the data folder whose codes and years apply (default data/)"
    )
    return p


def main(argv: list[str]) -> int:
    """``argv`` starts with ``claims``."""
    from analysis import config
    from analysis.model.claims_file import load_claims
    from analysis.model.claims_params import text_listing
    from analysis.sidecars import DataError

    args = make_parser().parse_args(argv[1:])
    data_dir = Path(args.data_dir).absolute() if args.data_dir else None
    if args.tests:
        print(text_listing(data_dir))
        return 0
    root = data_dir or config.DATA_DIR
    files = args.files or [
        root / n
        for i, n in enumerate(config.DEFAULT_CLAIMS_FILES)
        if i == 0 or (root / n).is_file()
    ]
    for path in files:
        try:
            doc = load_claims(path, data_dir)
        except DataError as exc:
            print(f"briefing claims: error: {one_line(exc)}", file=sys.stderr)
            return 2
        n = len(doc["claims"])
        print(f"{path}: {n} {'claim' if n == 1 else 'claims'}, every field and parameter valid")
    return 0
