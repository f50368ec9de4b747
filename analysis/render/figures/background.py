"""Figures drawn in forked child processes while the kernel goes on with the briefing.

Building a chart and printing it to SVG (matplotlib's layout and text measuring) is about half
of the briefing's kernel time and uses one core; the build runs on two. When the build asks for
it (``BRIEFING_BACKGROUND_FIGURES=1`` in the kernel's environment, set only by the build, so that
an analyst in JupyterLab sees each figure as its cell runs), :func:`later` forks a child that
makes the figure's HTML (the data, the chart, its SVG) and writes it into a pipe, and returns a
placeholder; the section's HTML carries the placeholder until :meth:`BackgroundFigures.resolve`,
at the briefing's last cell, swaps in the figure (see
:meth:`analysis.render.briefing.Briefing.numbers`). What a child computes must have no effect
the briefing needs later (quoted numbers, captions counted): the figure numbers and source lines
are fixed in the kernel before the fork.

Never wrong, at worst slower: a child that fails, dies or takes longer than
:data:`CHILD_TIMEOUT_SECONDS` is killed and the figure is printed in the kernel itself. A child
writes nothing but its pipe (its stdout, stderr, logging and warnings are silenced, its signal
handlers reset) and leaves with ``os._exit``, so it runs none of the kernel's exit handlers.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: The environment variable the build sets for its kernel.
ENV = "BRIEFING_BACKGROUND_FIGURES"
#: Longest the kernel waits for one child before printing the figure itself.
CHILD_TIMEOUT_SECONDS = 120.0
TOKEN = re.compile(r"<!--briefing-figure-(\d+)-->")


@dataclass
class _Child:
    pid: int
    fd: int
    make: Callable[[], str]
    done: Callable[[], None] | None
    chunks: list[bytes] = field(default_factory=list)


class BackgroundFigures:
    """The figures being made by children, by placeholder number."""

    def __init__(self) -> None:
        self._children: dict[int, _Child] = {}
        self._next = 0

    @staticmethod
    def wanted() -> bool:
        return os.environ.get(ENV) == "1" and hasattr(os, "fork")

    def submit(self, make: Callable[[], str], done: Callable[[], None] | None = None) -> str:
        """Fork a child running ``make`` (the figure's HTML); the placeholder that
        :meth:`resolve` replaces. ``done`` runs in the kernel once the child has delivered
        (e.g. closing a figure the kernel built)."""
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: print, write, leave
            code = 1
            try:
                os.close(read_fd)
                for other in self._children.values():  # the pipes of earlier children
                    os.close(other.fd)
                _quiet_child()
                data = make().encode("utf-8")
                with os.fdopen(write_fd, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        number = self._next
        self._next += 1
        self._children[number] = _Child(pid, read_fd, make, done)
        return f"<!--briefing-figure-{number}-->"

    def pending(self) -> bool:
        return bool(self._children)

    def resolve(self, html: str) -> str:
        """``html`` with every placeholder replaced by its figure's SVG."""
        return TOKEN.sub(lambda m: self._collect(int(m.group(1))), html)

    def _collect(self, number: int) -> str:
        child = self._children.pop(number)
        deadline = time.monotonic() + CHILD_TIMEOUT_SECONDS
        ok = False
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([child.fd], [], [], left)[0]:
                    break  # too slow: printed here instead
                chunk = os.read(child.fd, 1 << 20)
                if not chunk:
                    ok = True
                    break
                child.chunks.append(chunk)
        finally:
            os.close(child.fd)
            if not ok:
                _kill(child.pid)
            _, status = os.waitpid(child.pid, 0)
        if ok and os.waitstatus_to_exitcode(status) == 0 and child.chunks:
            if child.done is not None:
                child.done()
            return b"".join(child.chunks).decode("utf-8")
        return child.make()  # the child failed: made here instead

    def close(self) -> None:
        """Stop every child still running (their figures are not needed any more)."""
        for child in self._children.values():
            os.close(child.fd)
            _kill(child.pid)
            os.waitpid(child.pid, 0)
        self._children.clear()


#: The background of the running briefing (set by :func:`start`), or None: figures at once.
_ACTIVE: BackgroundFigures | None = None


def start() -> BackgroundFigures | None:
    """From now on :func:`later` forks a child per figure, when the build asked for it; the
    :class:`BackgroundFigures` that resolves the placeholders, or None. Children of an earlier
    start are stopped."""
    global _ACTIVE
    if _ACTIVE is not None:
        _ACTIVE.close()
    _ACTIVE = BackgroundFigures() if BackgroundFigures.wanted() else None
    return _ACTIVE


def later(make: Callable[[], str], done: Callable[[], None] | None = None) -> str:
    """``make()`` — or, while a background is active, a placeholder for it made by a child."""
    if _ACTIVE is None:
        out = make()
        if done is not None:
            done()
        return out
    return _ACTIVE.submit(make, done)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _quiet_child() -> None:
    import logging
    import sys
    import warnings

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    with contextlib.suppress(OSError):  # the kernel's own work comes first; figures fill gaps
        os.nice(5)
    devnull = Path(os.devnull).open("w")  # noqa: SIM115 - the child leaves with os._exit
    sys.stdout = sys.stderr = devnull
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
