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

Never wrong, at worst slower, and bounded: the briefing's last cell collects every child at once
(:meth:`BackgroundFigures.gather`, their pipes read together) under ONE deadline,
:data:`DEADLINE_SECONDS` for all of them; a child that fails, dies or is still running then is
killed and its figure made in the kernel itself; a figure that cannot be made there either is an
error naming it (:class:`FigureMissing`). A child writes nothing but its pipe (its stdout,
stderr, logging and warnings are silenced, its signal handlers reset) and leaves with
``os._exit``, so it runs none of the kernel's exit handlers.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.protocol import FIGURE_PLACEHOLDER

#: The environment variable the build sets for its kernel.
ENV = "BRIEFING_BACKGROUND_FIGURES"
#: Longest the kernel waits for all its children together, from the first wait; the figures
#: still missing then are made in the kernel itself.
DEADLINE_SECONDS = 120.0
#: The placeholder a section carries until its figure is swapped in (the build checks that none
#: is left in the executed notebook).
TOKEN = FIGURE_PLACEHOLDER


class FigureMissing(RuntimeError):
    """A figure neither a child nor the kernel could make; the message names it."""


@dataclass
class _Child:
    pid: int
    fd: int
    make: Callable[[], str]
    done: Callable[[], None] | None
    chunks: list[bytes] = field(default_factory=list)
    complete: bool = False  # the child closed its pipe (all of the figure was read)


class BackgroundFigures:
    """The figures being made by children, by placeholder number."""

    def __init__(self) -> None:
        self._children: dict[int, _Child] = {}
        self._made: dict[int, str] = {}
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
        """``html`` with every placeholder replaced by its figure's SVG (the children are
        gathered first if any of them is still out)."""
        if any(int(n) in self._children for n in TOKEN.findall(html)):
            self.gather()
        return TOKEN.sub(lambda m: self._take(int(m.group(1))), html)

    def gather(self) -> None:
        """Every child's figure, read from all the pipes together as they arrive, until all are
        in or :data:`DEADLINE_SECONDS` have passed; the children that failed, died or were too
        slow are killed and their figures made here instead."""
        children, self._children = self._children, {}
        deadline = time.monotonic() + DEADLINE_SECONDS
        reading = {child.fd: child for child in children.values()}
        try:
            while reading:
                left = deadline - time.monotonic()
                ready = select.select(list(reading), [], [], left)[0] if left > 0 else []
                if not ready:
                    break  # the deadline: whatever is still out is made below
                for fd in ready:
                    chunk = os.read(fd, 1 << 20)
                    if chunk:
                        reading[fd].chunks.append(chunk)
                    else:
                        reading.pop(fd).complete = True
        finally:
            for child in children.values():  # every child ends here, even on an interruption
                os.close(child.fd)
                if not child.complete:
                    _kill(child.pid)
                _, status = os.waitpid(child.pid, 0)
                child.complete = child.complete and os.waitstatus_to_exitcode(status) == 0
        for number, child in children.items():
            self._made[number] = self._finish(number, child)

    def _finish(self, number: int, child: _Child) -> str:
        if child.complete and child.chunks:
            html = b"".join(child.chunks).decode("utf-8")
        else:
            try:
                html = child.make()  # the child failed or was too slow: made here instead
            except Exception as exc:
                raise FigureMissing(
                    f"background figure {number} was made neither by its child process nor by "
                    f"the kernel: {type(exc).__name__}: {exc}"
                ) from exc
        if child.done is not None:
            child.done()
        return html

    def _take(self, number: int) -> str:
        try:
            return self._made.pop(number)
        except KeyError:
            raise FigureMissing(
                f"no figure for placeholder {number}: never made by this briefing, or already "
                "swapped in"
            ) from None

    def close(self) -> None:
        """Stop every child still running (their figures are not needed any more)."""
        for child in self._children.values():
            os.close(child.fd)
            _kill(child.pid)
            os.waitpid(child.pid, 0)
        self._children.clear()
        self._made.clear()


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
