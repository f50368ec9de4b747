"""How every ``briefing`` command reports bad input: one line on stderr, exit 2.

The main command (:mod:`analysis.pipeline.cli`) and its subcommands (``events``, ``update``,
``claims``) share these; they live apart from the main command so that a subcommand never
imports the module that dispatches to it."""

from __future__ import annotations

import argparse


class OneLineParser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of the usage block."""

    def error(self, message: str):  # type: ignore[override]
        text = " ".join(str(message).split())
        self.exit(2, f"briefing: error: {ascii(text)[1:-1][:300]} (see briefing --help)\n")


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (newlines and runs of spaces folded)."""
    return " ".join(str(exc).split())
