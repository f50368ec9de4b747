"""What every cache reads is checked, pandas-free (both processes import it).

A cache (the validated data frames, the model memo, the finished briefing) writes the sha256 of
each file beside it and checks it on every read: a file that does not match, is not a regular
file (a FIFO would block the reader for ever) or cannot be read is *damaged*. A damaged entry is
never served: the caller computes the result again, replaces the entry and says so once
(:func:`notice`). Temporary files of writers that were killed (``<name>.<pid>.tmp``) are removed
by :func:`sweep_temporaries` when their process is gone or they are an hour old.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import sys
import time
from pathlib import Path

#: A file a kernel appends its notices to (set by the build); unset: they go to stderr.
NOTICES_ENV = "BRIEFING_NOTICES"
#: A temporary file or folder older than this is removed even when its pid is alive (reused).
TEMPORARY_MAX_AGE_SECONDS = 3600

_SAID: set[str] = set()


class Damaged(Exception):
    """A cache file that must not be served; the message says why, in a few words."""


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_regular(path: Path) -> bytes:
    """The bytes of ``path``, a regular file (opened without blocking, so a FIFO or a device in
    its place is :class:`Damaged`, not a hang). FileNotFoundError when it is missing."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise Damaged(f"{Path(path).name} is not a regular file")
        return fh.read()


def read_checked(path: Path, digest: str) -> bytes:
    """The bytes of ``path`` when their sha256 is ``digest``; else :class:`Damaged`."""
    raw = read_regular(path)
    if sha256(raw) != digest:
        raise Damaged(f"{Path(path).name} does not match its sha256")
    return raw


def digest_path(path: Path) -> Path:
    """Where the sha256 of ``path`` is kept: ``<path>.sha256``."""
    return path.with_name(f"{path.name}.sha256")


def read_with_digest(path: Path) -> bytes:
    """The bytes of ``path``, checked against ``<path>.sha256`` (:class:`Damaged` when that file
    is missing, odd, or does not match)."""
    try:
        expected = read_regular(digest_path(path)).decode("ascii").strip()
    except FileNotFoundError:
        raise Damaged(f"{digest_path(path).name} is missing") from None
    except UnicodeDecodeError:
        raise Damaged(f"{digest_path(path).name} is not a digest") from None
    return read_checked(path, expected)


def notice(entry: object, done: str = "recomputed") -> None:
    """Say once (per process) that a cache entry was damaged and what was ``done``: one line on
    stderr, or in the build's notices file when running in its kernel (the build prints it)."""
    line = f"briefing: cache entry {ascii(str(entry))[1:-1][:200]} was damaged; {done}"
    if line in _SAID:
        return
    _SAID.add(line)
    target = os.environ.get(NOTICES_ENV, "").strip()
    if target:
        with contextlib.suppress(OSError), Path(target).open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            return
    print(line, file=sys.stderr, flush=True)


def read_notices(path: Path) -> list[str]:
    """The distinct lines of a notices file, in order (none when it is missing or odd)."""
    try:
        text = read_regular(path).decode("utf-8", errors="replace")
    except (OSError, Damaged):
        return []
    return list(dict.fromkeys(line for line in text.splitlines() if line.strip()))


def remove(path: Path) -> None:
    """Remove a file, a link or a folder, whichever it is; missing is fine."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def sweep_temporaries(root: Path, max_age: float = TEMPORARY_MAX_AGE_SECONDS) -> None:
    """Remove the temporary files and folders (``<name>.<pid>.tmp``, dot-names included) left in
    ``root`` by writers that were killed: their process is gone, or they are older than
    ``max_age`` seconds (the pid may have been reused)."""
    try:
        candidates = [p for p in Path(root).iterdir() if p.name.endswith(".tmp")]
    except OSError:
        return
    now = time.time()
    for path in candidates:
        pid = path.name[: -len(".tmp")].rsplit(".", 1)[-1]
        if not pid.isdigit():
            continue
        try:
            age = now - path.lstat().st_mtime
        except OSError:
            continue
        if _alive(int(pid)) and age < max_age:
            continue
        remove(path)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # someone else's process
        return True
    return True
