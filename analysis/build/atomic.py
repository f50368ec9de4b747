"""Safe outputs: one run per range, signals that unwind, and an atomic swap into place.

A briefing is written into a temporary directory beside its destination; :func:`replace_dir`
swaps it in with renames, so the previous briefing stays whole until the last moment. A lock
file beside the destination serialises runs of the same range; SIGTERM unwinds like Ctrl-C so
that clean-up runs, and :func:`kill_children` stops the kernel and the browser.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_POLL_SECONDS = 0.5


class BriefingFailed(RuntimeError):
    """A notebook cell or the PDF export failed; the message is one line. Exit code 1."""

    exit_code = 1


class DataInvalid(BriefingFailed):
    """The kernel found a data file that breaks its schema (a DataError): bad input, exit code 2,
    nothing written."""

    exit_code = 2


class Interrupted(BaseException):
    """SIGTERM received: unwinds like KeyboardInterrupt so that clean-up runs."""


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(f"briefing: {msg}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def range_lock(dest: Path, *, wait: float, quiet: bool) -> Iterator[None]:
    """Exclusive lock for one destination; waits up to ``wait`` seconds for another run."""
    import fcntl

    dest.parent.mkdir(parents=True, exist_ok=True)
    lock_path = dest.with_name(f".{dest.name}.lock")
    with lock_path.open("a+") as fh:
        deadline = time.monotonic() + wait
        announced = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                if time.monotonic() >= deadline:
                    raise BriefingFailed(
                        f"gave up after {wait:.0f} s: {holder} is still building {dest}; "
                        "try again later or pass --wait with more seconds"
                    ) from None
                if not announced:
                    _log(
                        f"waiting for {holder}, which is building {dest.name} (up to {wait:.0f} s)",
                        quiet,
                    )
                    announced = True
                time.sleep(LOCK_POLL_SECONDS)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into an exception in the main thread, so that ``finally`` blocks run."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def kill_children() -> None:
    """Stop every child process (the kernel, Chromium) after an interruption."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        return
    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=3)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()


def remove_stale_tmp(dest: Path) -> None:
    """Remove temporary directories left by runs that were killed outright (SIGKILL)."""
    for tmp in dest.parent.glob(f".{dest.name}.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _pid_alive(int(pid)):
            continue
        shutil.rmtree(tmp, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def replace_dir(tmp: Path, dest: Path) -> None:
    """Swap ``tmp`` into ``dest``; the old briefing stays whole until the final rename."""
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    if dest.exists():
        dest.rename(old)
    try:
        tmp.rename(dest)
    except BaseException:
        if old.exists() and not dest.exists():
            old.rename(dest)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Stages
# --------------------------------------------------------------------------------------------
