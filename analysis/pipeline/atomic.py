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
import threading
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
    """Exclusive lock for one destination; waits up to ``wait`` seconds for another run.

    The lock file is removed on release, so no run leaves it behind. A waiter that then holds a
    lock on the removed file notices (the path names another inode, or none) and locks again."""
    import fcntl

    dest.parent.mkdir(parents=True, exist_ok=True)
    lock_path = dest.with_name(f".{dest.name}.lock")
    deadline = time.monotonic() + wait
    announced = False
    fh = None
    try:
        while True:
            with signals_deferred():  # a signal here would leave the file we just created
                fh, holder = _try_lock(lock_path)
            if fh is not None:
                break
            if holder is None:
                continue  # locked a file its holder had just removed: lock the new one
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
        yield
    finally:
        if fh is not None:
            with contextlib.suppress(FileNotFoundError):
                lock_path.unlink()
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()


def sweep(dest: Path) -> None:
    """After stopping builds (a batch after a signal): remove the lock file of ``dest`` when no
    process holds it, and what dead runs left beside it."""
    lock_path = dest.with_name(f".{dest.name}.lock")
    if lock_path.exists():
        fh, _ = _try_lock(lock_path)
        if fh is not None:
            with contextlib.suppress(FileNotFoundError):
                lock_path.unlink()
            fh.close()
    remove_stale_tmp(dest)


def _try_lock(lock_path: Path):
    """(open locked file, None), or (None, who holds it), or (None, None) to try again."""
    import fcntl

    fh = lock_path.open("a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno not in (errno.EAGAIN, errno.EACCES):
            fh.close()
            raise
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        return None, holder
    try:
        same = lock_path.stat().st_ino == os.fstat(fh.fileno()).st_ino
    except FileNotFoundError:
        same = False
    if same:
        return fh, None
    fh.close()
    return None, None


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done, then deliver them to the handlers that
    were in place, so that a swap and the record of it are never split by a signal. (Python-level
    handlers: a signal mask would not do, as another thread may take a process signal.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {
        sig: signal.signal(sig, lambda signum, frame: pending.append(signum)) for sig in wanted
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(pending):
            signal.raise_signal(sig)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM (and SIGINT) into an exception in the main thread, so that ``finally``
    blocks run.

    A signal whose exception Python had to swallow (raised inside a callback, e.g. of the
    import machinery: "Exception ignored in ...") is not lost: it stays pending, and
    :func:`check_interrupted`, called between stages, raises it; nothing is printed for it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        _PENDING.append(signum)
        raise _exception(signum)

    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, handler) for sig in wanted}
    previous_hook = sys.unraisablehook

    def quiet_hook(unraisable):
        if not isinstance(unraisable.exc_value, Interrupted | KeyboardInterrupt):
            previous_hook(unraisable)

    sys.unraisablehook = quiet_hook
    _PENDING.clear()
    try:
        yield
    finally:
        for sig, before in previous.items():
            signal.signal(sig, before)
        sys.unraisablehook = previous_hook
        _PENDING.clear()


_PENDING: list[int] = []


def _exception(signum: int) -> BaseException:
    """KeyboardInterrupt for SIGINT (Ctrl-C), :class:`Interrupted` for SIGTERM."""
    return KeyboardInterrupt() if signum == signal.SIGINT else Interrupted(f"signal {signum}")


def check_interrupted() -> None:
    """Raise the SIGINT or SIGTERM that arrived but was swallowed (see
    :func:`terminate_as_interrupt`): a Ctrl-C raised inside a finaliser or the import machinery
    is printed away by Python, and the build would otherwise go on to write its briefing."""
    if _PENDING:
        raise _exception(_PENDING[0])


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
    """Remove what runs killed outright (SIGKILL) left beside ``dest``: temporary, scratch and
    old directories whose process is gone."""
    for kind in ("tmp", "scratch", "old"):
        for tmp in dest.parent.glob(f".{dest.name}.{kind}-*"):
            pid = tmp.name.rsplit("-", 1)[-1]
            if pid.isdigit() and _pid_alive(int(pid)):
                continue
            if tmp.is_symlink() or not tmp.is_dir():
                tmp.unlink(missing_ok=True)
            else:
                shutil.rmtree(tmp, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where the system
    or the file system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_dir(tmp: Path, dest: Path) -> None:
    """Swap ``tmp`` into ``dest`` so that a reader always sees a complete briefing: the two
    folders are exchanged in one atomic step, and the old briefing (now at ``tmp``) is removed.
    Where the exchange is impossible (not Linux), ``dest`` is moved aside and ``tmp`` renamed in,
    which leaves a moment without a briefing."""
    if not dest.exists():
        tmp.rename(dest)
        return
    if exchange(tmp, dest):
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")  # pragma: no cover - not Linux
    dest.rename(old)
    try:
        tmp.rename(dest)
    except BaseException:
        if old.exists() and not dest.exists():
            old.rename(dest)
        raise
    shutil.rmtree(old, ignore_errors=True)
