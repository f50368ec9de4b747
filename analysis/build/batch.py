"""Several briefings in one call, in parallel up to the number of CPUs.

Ranges come from ``--range START:END`` (either side may be empty for the default) or from a
YAML file of named ranges::

    ranges:
      nineties: {start: 1989-05-15, end: 1999-12-31}
      since-invasion: {start: 2022-02-24}

Every range is validated first; the valid ones are built in worker processes (each with its own
kernel and browser), one failure does not stop the others, progress is one line per finished
range, and a summary table ends the run. Exit code: 0 all built, 1 at least one failed, 2 at
least one range was invalid.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.params import ParameterError


@dataclass
class RangeSpec:
    name: str
    start: str | None
    end: str | None
    error: str | None = None  # set when the range text itself could not be read


@dataclass
class RangeResult:
    name: str
    status: str  # built / cached / failed / invalid
    detail: str
    seconds: float = 0.0
    pages: int | None = None

    @property
    def code(self) -> int:
        return {"built": 0, "cached": 0, "failed": 1, "invalid": 2}[self.status]


def parse_range(text: str) -> RangeSpec:
    """``START:END`` (either may be empty) → RangeSpec; a malformed text gives a spec with an error."""
    if not isinstance(text, str) or text.count(":") != 1:
        shown = ascii(text)[:60]
        return RangeSpec(
            shown, None, None, f"--range: {shown} is not START:END, e.g. 2012-01-01:2023-02-28"
        )
    start, end = text.split(":")
    return RangeSpec(text, start or None, end or None)


def load_ranges(path: Path) -> list[RangeSpec]:
    """Named ranges from a YAML file (see the module docstring)."""
    try:
        # BaseLoader keeps every scalar a string: dates are validated by analysis.params, not YAML
        doc = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError(
            "ranges", f"cannot read {path}: {' '.join(str(exc).split())[:200]}"
        ) from None
    entries = doc.get("ranges") if isinstance(doc, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise ParameterError("ranges", f"{path} has no 'ranges:' mapping of name: {{start, end}}")
    specs = []
    for name, value in entries.items():
        if not isinstance(value, dict) or not set(value) <= {"start", "end"}:
            raise ParameterError(
                "ranges", f"range {name!r} in {path} must be {{start: ..., end: ...}}"
            )
        specs.append(RangeSpec(str(name), value.get("start") or None, value.get("end") or None))
    return specs


def _build_one(spec: RangeSpec, kwargs: dict) -> RangeResult:
    """Worker: build one range; never raises (the result says what happened)."""
    from analysis.build.pipeline import BriefingFailed, build
    from analysis.sidecars import DataError

    t0 = time.perf_counter()
    try:
        out = build(spec.start, spec.end, quiet=True, progress=False, **kwargs)
    except (ParameterError, DataError) as exc:
        return RangeResult(spec.name, "invalid", str(exc), time.perf_counter() - t0)
    except BriefingFailed as exc:
        status = "invalid" if exc.exit_code == 2 else "failed"
        return RangeResult(spec.name, status, str(exc), time.perf_counter() - t0)
    except Exception as exc:  # keep the batch going; report in one line
        detail = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        return RangeResult(spec.name, "failed", detail, time.perf_counter() - t0)
    status = "cached" if out.cached else "built"
    return RangeResult(spec.name, status, str(out.pdf), time.perf_counter() - t0, out.pages)


def run_batch(
    specs: list[RangeSpec], *, jobs: int | None = None, quiet: bool = False, **kwargs
) -> list[RangeResult]:
    """Build every range; returns one result per spec, in the order given."""
    from analysis.build.pipeline import prepare

    results: dict[int, RangeResult] = {}
    todo: list[tuple[int, RangeSpec]] = []
    seen: dict[Path, str] = {}
    for i, spec in enumerate(specs):
        if spec.error:
            results[i] = RangeResult(spec.name, "invalid", spec.error)
            continue
        try:
            job = prepare(
                spec.start,
                spec.end,
                data_dir=kwargs.get("data_dir"),
                notebook=kwargs.get("notebook"),
                external_dir=kwargs.get("external_dir"),
            )
        except ParameterError as exc:
            results[i] = RangeResult(spec.name, "invalid", str(exc))
            continue
        if job.dest in seen:  # the same briefing twice: build once
            results[i] = RangeResult(spec.name, "invalid", f"same range as {seen[job.dest]!r}")
            continue
        seen[job.dest] = spec.name
        todo.append((i, spec))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))

    def say(msg: str) -> None:
        if not quiet:
            print(f"briefing: {msg}", file=sys.stderr, flush=True)

    say(
        f"{len(todo)} range(s) to build with {workers} worker(s)"
        + (f"; {len(results)} invalid" if results else "")
    )
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future, int] = {pool.submit(_build_one, spec, kwargs): i for i, spec in todo}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                i = futures[fut]
                res = fut.result()
                results[i] = res
                done += 1
                extra = f", {res.pages} pages" if res.pages else ""
                say(f"[{done}/{len(todo)}] {res.name}: {res.status} ({res.seconds:.1f} s{extra})")
    return [results[i] for i in range(len(specs))]


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
