"""Several briefings in one call, in parallel up to the number of CPUs.

Ranges come from ``--range START:END[@ASOF]`` (either side may be empty for the default) or
from a YAML file of named ranges (at most 64 KiB, UTF-8, no anchors or aliases)::

    ranges:
      nineties: {start: 1989-05-15, end: 1999-12-31}
      nineties-as-of-2000: {start: 1989-05-15, end: 1999-12-31, as_of: 2000-06-30}
      since-invasion: {start: 2022-02-24}

Every range is validated first; the valid ones are built in worker processes (each with its own
kernel and browser), one failure does not stop the others, progress is one line per finished
range, and a summary table ends the run. Exit code: 0 all built, 1 at least one failed, 2 at
least one range was invalid.

Each range is built in its own worker process, which the batch owns: on SIGINT or SIGTERM no
range is started any more, every running worker is stopped (its build unwinds and leaves the
previous briefing in place; one caught in the middle of its swap finishes it), stragglers are
killed with their kernel and browser, and the message says which briefings were replaced.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_any
from pathlib import Path

from analysis.params import ParameterError, check_regular_file

#: Seconds a stopped worker gets to unwind before it and its children are killed.
STOP_GRACE_SECONDS = 20


@dataclass
class RangeSpec:
    name: str
    start: str | None
    end: str | None
    error: str | None = None  # set when the range text itself could not be read
    as_of: str | None = None
    #: where the range was given: "--range" or "--ranges FILE" (its errors name it)
    origin: str = field(default="--range", compare=False)

    @property
    def shown(self) -> str:
        """The name as printed: control characters and escapes written out, never sent raw."""
        return printable(self.name)


def printable(text: object, limit: int = 80) -> str:
    """``text`` safe for a terminal: non-printable characters escaped, at most ``limit`` long."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(text))
    return shown if len(shown) <= limit else shown[: limit - 5] + "[...]"


@dataclass
class RangeResult:
    name: str
    status: str  # built / cached / failed / invalid
    detail: str
    seconds: float = 0.0
    pages: int | None = None

    @property
    def code(self) -> int:
        return {
            "built": 0,
            "cached": 0,
            "failed": 1,
            "invalid": 2,
            "interrupted": 130,
            "not started": 130,
        }[self.status]


def parse_range(text: str) -> RangeSpec:
    """``START:END[@ASOF]`` (either date may be empty) → RangeSpec; a malformed text gives a spec
    with an error."""
    body, _, as_of = text.partition("@") if isinstance(text, str) else (text, "", "")
    if not isinstance(text, str) or body.count(":") != 1:
        shown = printable(text, 60)
        return RangeSpec(
            shown,
            None,
            None,
            f"--range: '{shown}' is not START:END[@ASOF], e.g. 2012-01-01:2023-02-28",
        )
    start, end = body.split(":")
    return RangeSpec(text, start or None, end or None, as_of=as_of or None)


def range_error(spec: RangeSpec, exc: ParameterError) -> str:
    """A date of a range that is wrong, in the words the range was written in: ``--range
    '2012:2014': START '2012' is not a date ...`` (not ``--start``, which was not given)."""
    inline = spec.origin == "--range"
    words = {"start": "START", "end": "END", "as-of": "ASOF"} if inline else {}
    words = words or {"start": "start:", "end": "end:", "as-of": "as_of:"}
    if exc.name not in words:
        return str(exc)
    text = str(exc).removeprefix(f"--{exc.name}: ")
    for option, word in words.items():
        text = text.replace(f"--{option} ", f"{word} ")
    where = f"--range '{spec.shown}'" if inline else f"{spec.origin}, range '{spec.shown}'"
    return f"{where}: {words[exc.name]} {text}"


def load_ranges(path: Path) -> list[RangeSpec]:
    """Named ranges from a YAML file (see the module docstring)."""
    from analysis.sidecars import UnsafeYAML, read_yaml_text

    shown = printable(path, 120)
    check_regular_file(path, "ranges", shown)
    try:
        # BaseLoader keeps every scalar a string: dates are validated by analysis.params, not YAML
        doc = read_yaml_text(path, base=True)
    except UnsafeYAML as exc:
        raise ParameterError("ranges", f"{shown} {exc}") from None
    except OSError as exc:
        raise ParameterError("ranges", f"cannot read {shown}: {exc.strerror or exc}") from None
    entries = doc.get("ranges") if isinstance(doc, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise ParameterError("ranges", f"{shown} has no 'ranges:' mapping of name: {{start, end}}")
    specs = []
    for name, value in entries.items():
        if not isinstance(name, str):
            raise ParameterError("ranges", f"a range name in {shown} is not text")
        if not isinstance(value, dict) or not set(value) <= {"start", "end", "as_of"}:
            raise ParameterError(
                "ranges",
                f"range '{printable(name, 40)}' in {shown} must be {{start: ..., end: ..., "
                "as_of: ...}",
            )
        specs.append(
            RangeSpec(
                name,
                value.get("start") or None,
                value.get("end") or None,
                as_of=value.get("as_of") or None,
                origin=f"--ranges {shown}",
            )
        )
    return specs


def _build_one(spec: RangeSpec, kwargs: dict) -> RangeResult:
    """Worker: build one range; never raises (the result says what happened)."""
    from analysis.pipeline.steps import BriefingFailed, build
    from analysis.sidecars import DataError

    t0 = time.perf_counter()
    try:
        out = build(spec.start, spec.end, as_of=spec.as_of, quiet=True, progress=False, **kwargs)
    except (ParameterError, DataError) as exc:
        return RangeResult(spec.shown, "invalid", str(exc), time.perf_counter() - t0)
    except BriefingFailed as exc:
        status = "invalid" if exc.exit_code == 2 else "failed"
        return RangeResult(spec.shown, status, str(exc), time.perf_counter() - t0)
    except Exception as exc:  # keep the batch going; report in one line
        detail = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        return RangeResult(spec.shown, "failed", detail, time.perf_counter() - t0)
    status = "cached" if out.cached else "built"
    return RangeResult(spec.shown, status, str(out.pdf), time.perf_counter() - t0, out.pages)


class BatchInterrupted(BaseException):
    """A batch stopped by SIGINT/SIGTERM; ``summary`` says what each range ended as."""

    def __init__(self, signum: int, results: list[RangeResult]):
        super().__init__(f"signal {signum}")
        self.signum = signum
        self.results = results
        stopped = [r for r in results if r.status == "interrupted"]
        replaced = [r.name for r in results if r.status == "built"]
        replaced += [r.name for r in stopped if r.detail == "installed"]
        unchanged = [r.name for r in stopped if r.detail != "installed"]
        queued = [r.name for r in results if r.status == "not started"]
        parts = []
        if replaced:
            parts.append(f"replaced before the signal took effect: {', '.join(replaced)}")
        if unchanged:
            parts.append(f"stopped, previous briefing unchanged: {', '.join(unchanged)}")
        if queued:
            parts.append(f"not started: {', '.join(queued)}")
        self.summary = "; ".join(parts) or "nothing was replaced"


def _worker(spec: RangeSpec, kwargs: dict, conn) -> None:
    """A worker process: build one range and send back its result. SIGINT is the batch's to
    handle (a Ctrl-C reaches the whole process group); SIGTERM from the batch unwinds the build."""
    from analysis.pipeline.atomic import Interrupted

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def on_term(signum, frame):
        raise Interrupted(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_term)
    t0 = time.perf_counter()
    try:
        result = _build_one(spec, kwargs)
    except BaseException as exc:  # Interrupted (or KeyboardInterrupt): say what is in place
        where = "installed" if getattr(exc, "installed", False) else "stopped"
        result = RangeResult(spec.shown, "interrupted", where, time.perf_counter() - t0)
    with contextlib.suppress(OSError):
        conn.send(result)
    conn.close()


def _kill_tree(proc) -> None:
    """Kill a worker that did not unwind in time, with its kernel and browser."""
    try:
        import psutil

        tree = psutil.Process(proc.pid).children(recursive=True)
    except Exception:
        tree = []
    with contextlib.suppress(OSError):
        proc.kill()
    for child in tree:
        with contextlib.suppress(Exception):
            child.kill()


def run_batch(
    specs: list[RangeSpec], *, jobs: int | None = None, quiet: bool = False, **kwargs
) -> list[RangeResult]:
    """Build every range; returns one result per spec, in the order given. Raises
    :class:`BatchInterrupted` after SIGINT/SIGTERM, once every worker is gone."""
    from analysis.pipeline.jobs import prepare

    results: dict[int, RangeResult] = {}
    todo: list[tuple[int, RangeSpec]] = []
    seen: dict[Path, str] = {}
    for i, spec in enumerate(specs):
        if spec.error:
            results[i] = RangeResult(spec.shown, "invalid", spec.error)
            continue
        try:
            job = prepare(
                spec.start,
                spec.end,
                as_of=spec.as_of,
                data_dir=kwargs.get("data_dir"),
                notebook=kwargs.get("notebook"),
                external_dir=kwargs.get("external_dir"),
                claims_file=kwargs.get("claims_file"),
            )
        except ParameterError as exc:
            results[i] = RangeResult(spec.shown, "invalid", range_error(spec, exc))
            continue
        if job.dest in seen:  # the same briefing twice: build once
            results[i] = RangeResult(spec.shown, "invalid", f"same range as '{seen[job.dest]}'")
            continue
        seen[job.dest] = spec.shown
        todo.append((i, spec))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))

    def say(msg: str) -> None:
        if not quiet:
            print(f"briefing: {msg}", file=sys.stderr, flush=True)

    if todo:  # else nothing runs: the caller prints the invalid ranges
        say(
            f"{len(todo)} range(s) to build with {workers} worker(s)"
            + (f"; {len(results)} invalid" if results else "")
        )
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    stop: list[int] = []

    def on_signal(signum, frame):
        stop.append(signum)

    handlers = {}
    if threading_main():
        for sig in (signal.SIGINT, signal.SIGTERM):
            handlers[sig] = signal.signal(sig, on_signal)
    queue = list(todo)
    started: list[int] = []
    running: dict[object, tuple[int, RangeSpec, object]] = {}  # conn -> (index, spec, process)
    done = 0
    try:
        while queue or running:
            while queue and len(running) < workers and not stop:
                i, spec = queue.pop(0)
                parent_end, child_end = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_worker, args=(spec, kwargs, child_end), daemon=False)
                proc.start()
                started.append(proc.pid)
                child_end.close()
                running[parent_end] = (i, spec, proc)
            if stop:
                break
            for conn in wait_any(list(running), timeout=0.2):
                i, spec, proc = running.pop(conn)
                results[i] = _receive(conn, spec)
                proc.join(STOP_GRACE_SECONDS)  # it has answered: it leaves, or is made to
                if proc.is_alive():
                    _kill_tree(proc)
                    proc.join(5)
                done += 1
                res = results[i]
                extra = f", {res.pages} pages" if res.pages else ""
                say(f"[{done}/{len(todo)}] {res.name}: {res.status} ({res.seconds:.1f} s{extra})")
        if stop:
            for _conn, (_i, _spec, proc) in running.items():
                with contextlib.suppress(OSError):
                    proc.terminate()
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            for conn, (i, spec, proc) in running.items():
                proc.join(max(0.0, deadline - time.monotonic()))
                if proc.is_alive():
                    _kill_tree(proc)
                    proc.join(5)
                results[i] = _receive(conn, spec, default="interrupted")
            for i, spec in queue:
                results[i] = RangeResult(spec.shown, "not started", "")
            from analysis.pipeline.atomic import sweep

            for dest in seen:  # every worker is gone: nothing of theirs may stay behind
                sweep(dest)
            _sweep_scratch(started)
    finally:
        for sig, previous in handlers.items():
            signal.signal(sig, previous)
    ordered = [results[i] for i in range(len(specs))]
    if stop:
        raise BatchInterrupted(stop[0], ordered)
    return ordered


def _sweep_scratch(pids: list[int]) -> None:
    """The private temporary folders (``briefing-<pid>-*``) of workers that had to be killed."""
    import shutil
    import tempfile

    root = Path(tempfile.gettempdir())
    for pid in pids:
        for d in root.glob(f"briefing-{pid}-*"):
            shutil.rmtree(d, ignore_errors=True)


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _receive(conn, spec: RangeSpec, default: str = "failed") -> RangeResult:
    """The result a worker sent, or what its silence means (it died, or was killed)."""
    try:
        if conn.poll(0):
            return conn.recv()
    except (EOFError, OSError):
        pass
    finally:
        conn.close()
    if default == "interrupted":
        return RangeResult(spec.shown, "interrupted", "stopped")
    return RangeResult(spec.shown, "failed", "the worker process died without a result")


def summary_table(results: list[RangeResult]) -> str:
    """A plain-text table: range, status, seconds, pages, output or error."""
    rows = [("range", "status", "seconds", "pages", "output / error")]
    rows += [(r.name, r.status, f"{r.seconds:.1f}", str(r.pages or ""), r.detail) for r in results]
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    lines = ["  ".join(row[c].ljust(widths[c]) for c in range(4)) + "  " + row[4] for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 14)
    return "\n".join(lines)


def exit_code(results: list[RangeResult]) -> int:
    return max((r.code for r in results), default=0)
