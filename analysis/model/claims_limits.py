"""How long checking a claims file may take, and the one way a pattern from a claims file runs.

A claims file is input from anyone: a regular expression in it is run only where a test declares
a parameter of kind ``pattern`` (:mod:`analysis.model.claims_params`), with the third-party
``regex`` engine and a time bound (:func:`search`); every other text is matched as words. The
whole check of a file has a time bound too (:data:`CHECK_SECONDS`, :class:`Deadline`). Either
bound ends in :class:`TooSlow`, which :mod:`analysis.model.claims_check` turns into one line
naming the file and the claim. No pandas here.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

#: Seconds the whole check of one claims file may take (all its claims, every vintage).
CHECK_SECONDS = 60.0
#: Seconds one claim's pattern may take over all the texts it is matched against (the ``regex``
#: engine counts its own CPU time: on a busy machine the wall-clock time can be longer).
PATTERN_SECONDS = 5.0


class TooSlow(Exception):
    """A claim ran past a time bound; the message says which bound, in a few words."""


class Deadline:
    """The moment the check of a claims file must end (``time.monotonic()`` seconds)."""

    def __init__(self, seconds: float = CHECK_SECONDS) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left (never below zero)."""
        return max(0.0, self.at - time.monotonic())

    def check(self) -> None:
        """Raise :class:`TooSlow` once the deadline has passed."""
        if time.monotonic() >= self.at:
            raise TooSlow(
                f"checking the claims file took longer than {self.seconds:g} s "
                "(CHECK_SECONDS in analysis/model/claims_limits.py); split the file or "
                "simplify this claim"
            )


_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "claims_deadline", default=None
)


@contextmanager
def deadline(seconds: float | None = None) -> Iterator[Deadline]:
    """The deadline of one claims file's check, seen by :func:`search` while it runs."""
    limit = Deadline(CHECK_SECONDS if seconds is None else seconds)
    token = _CURRENT.set(limit)
    try:
        yield limit
    finally:
        _CURRENT.reset(token)


def _compile(pattern: str):
    import regex

    return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` does not compile with the engine that runs it, or None."""
    import regex

    try:
        _compile(pattern)
    except regex.error as exc:
        return str(exc)
    return None


def search(pattern: str, texts: Iterable[str]) -> list[bool]:
    """Whether the case-insensitive ``pattern`` occurs in each text, with the ``regex`` engine,
    in at most :data:`PATTERN_SECONDS` in all (less when the file's deadline is nearer).
    Raises :class:`TooSlow` past the bound; ``regex.error`` for a pattern that does not compile
    (the claims-file check refuses those before anything runs)."""
    compiled = _compile(pattern)
    current = _CURRENT.get()
    budget = PATTERN_SECONDS if current is None else min(PATTERN_SECONDS, current.left())
    ends = time.monotonic() + budget
    out = []
    for text in texts:
        left = ends - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            out.append(compiled.search(text, timeout=left) is not None)
        except TimeoutError:
            if current is not None:
                current.check()  # the file's deadline, not the pattern's, ran out
            raise TooSlow(
                f"parameter 'pattern': the regular expression ran longer than {budget:.3g} s "
                "on the chronology's descriptions (PATTERN_SECONDS in "
                "analysis/model/claims_limits.py); write a simpler one, or use 'description' "
                "for plain words"
            ) from None
    return out
