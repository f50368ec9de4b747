"""Build a briefing in plain steps: prepare → execute → export → write → swap.

1. **prepare** (:func:`~analysis.pipeline.jobs.prepare`): the parameters, the destination, the
   notebook (read as text and checked against the section outline), the claims file and the
   cache key, without pandas or any Jupyter machinery; a cache hit returns here.
2. **execute**: the kernel process is launched first and boots while the parent imports
   papermill; the printer process (:mod:`~analysis.pipeline.printer`) starts Chromium meanwhile.
   papermill then runs the notebook on that kernel in the build's one worker thread (nbclient
   must not replace the build's signal handlers) while the main thread waits. The executed
   notebook must carry the kernel's payload: the quoted numbers, the title block, the section
   registry's keys; no figure may still be a placeholder.
3. **export**: the printer prints the executed notebook with the title block the kernel wrote;
   the kernel stops meanwhile.
4. **write**: ``figures.json``, the payload's data files, ``manifest.json``.
5. **swap**: the new folder replaces the old one in one atomic step.

Threads: besides the main one, the papermill worker and the heartbeat thread nbclient starts for
the kernel's client, during the execute step only. The main thread imports, in plain sequence;
while the worker runs, the main thread only waits, so no two threads ever import at once.

Guarantees (see also :mod:`~analysis.pipeline.atomic`): a run whose inputs hash to the cache key
of the briefing in the destination returns it without a kernel or a browser (``force``
rebuilds); everything is written into a temporary folder beside the destination and swapped in
only when complete; SIGINT or SIGTERM at any step leaves the previous briefing intact and stops
the kernel, the printer and Chromium; a lock serialises runs of one range.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from analysis import config
from analysis.data.external.reference import validation_files
from analysis.integrity import notice
from analysis.pipeline.atomic import (
    BriefingFailed,
    DataInvalid,
    Interrupted,
    _log,
    check_interrupted,
    kill_children,
    range_lock,
    remove_stale_tmp,
    replace_dir,
    signals_deferred,
    terminate_as_interrupt,
)
from analysis.pipeline.buildcache import cache_state, is_cached, write_manifest
from analysis.pipeline.jobs import Job, prepare
from analysis.pipeline.kernel import (
    NOTICES_FILE,
    Kernel,
    execute,
    failure_message,
    kernel_environment,
)
from analysis.pipeline.payload import Executed, read_executed, title_block
from analysis.pipeline.printer import Printer, PrintFailed
from analysis.pipeline.provenance import git_commit, package_versions
from analysis.protocol import DATA_ERRORS, safe_file_name


@dataclass
class Outcome:
    """What a build produced (or found in the cache)."""

    directory: Path
    pdf: Path
    cached: bool
    timings: dict[str, float] = field(default_factory=dict)
    pages: int | None = None


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - t0, 3)


def previous_toc_pages(dest: Path) -> dict[str, int] | None:
    """The contents page numbers the briefing now in ``dest`` was printed with, if any."""
    try:
        pages = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))["toc_pages"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if isinstance(pages, dict) and all(
        isinstance(k, str) and isinstance(v, int) for k, v in pages.items()
    ):
        return pages
    return None


def export_pdf(
    nb, block: dict[str, str], toc_guess: dict[str, int] | None = None
) -> tuple[bytes, dict[str, int] | None]:
    """The PDF of an executed notebook printed in this process, on a browser of its own, and its
    contents page numbers (the benchmarks and tests; a build prints in its printer process)."""
    from analysis.pipeline.exporter import BriefingPDFExporter

    nb.metadata["briefing"] = block
    exporter = BriefingPDFExporter()
    exporter.toc_guess = toc_guess
    pdf, _ = exporter.from_notebook_node(nb)
    return pdf, exporter.toc_pages


def fingerprint_summary(external_dir: Path | None) -> list[str]:
    """The external files a briefing could use (listed in its manifest)."""
    from analysis.data.external import fingerprint

    return [f"{name} ({size:,} bytes)" for name, size, _ in fingerprint(external_dir)]


# --------------------------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------------------------


def run_notebook(job: Job, tmp: Path, kernel: Kernel, *, quiet: bool, progress: bool) -> Executed:
    """Step 2: execute the notebook on ``kernel`` (started) into ``tmp``; its payload, checked."""
    executed = tmp / "briefing.ipynb"
    try:
        execute(
            job.notebook,
            executed,
            job.parameters,
            progress=progress and not quiet,
            kernel=kernel,
            guard_signals=True,
        )
    except Exception as exc:
        if type(exc).__name__ != "PapermillExecutionError":
            raise
        if getattr(exc, "ename", "") in DATA_ERRORS:  # the data, not the notebook, is wrong
            raise DataInvalid(" ".join(str(getattr(exc, "evalue", exc)).split())) from None
        raise BriefingFailed(f"{failure_message(exc)}; {_keep_failed(job, executed)}") from None
    try:
        return read_executed(executed, job)
    except BriefingFailed as exc:
        raise BriefingFailed(f"{exc}; {_keep_failed(job, executed)}") from None


def _keep_failed(job: Job, executed: Path) -> str:
    """Keep a notebook that failed beside the destination's briefing, to be looked at."""
    job.dest.mkdir(parents=True, exist_ok=True)
    kept = job.dest / "briefing.failed.ipynb"
    if executed.exists():
        shutil.copy2(executed, kept)
    return f"executed notebook kept as {kept}"


def write_outputs(job: Job, tmp: Path, run: Executed, pages: int, toc_pages, timings) -> None:
    """Step 4: ``figures.json``, the payload's data files and ``manifest.json`` beside the PDF."""
    from analysis.sidecars import file_digest, file_digests

    text = json.dumps(run.numbers, indent=2, ensure_ascii=False, sort_keys=True)
    (tmp / "figures.json").write_text(text, encoding="utf-8")
    for name, content in run.files.items():
        if not safe_file_name(name):
            raise BriefingFailed(f"the notebook asked to write {name!r}; nothing was written")
        (tmp / name).parent.mkdir(exist_ok=True)
        (tmp / name).write_text(content, encoding="utf-8")
    manifest = {
        "parameters": job.parameters,
        "cache_key": job.key,
        "git_commit": git_commit(),
        "generated_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "kernel": config.KERNEL_NAME,
        "notebook": str(job.notebook),
        "as_of": job.parameters["as_of"],
        "data_dir": str(Path(job.data_dir).resolve()) if job.data_dir else "bundled (data/)",
        "claims_file": str(job.claims_file or "bundled (data/claims.yaml)"),
        "claims_sha256": file_digest(job.claims_file) if job.claims_file else None,
        "external": fingerprint_summary(job.external_dir),
        "validation_series": [str(f) for f in validation_files()],
        "packages": package_versions(),
        "data_sha256": file_digests(job.data_dir),
        "pdf_pages": pages,
        "toc_pages": toc_pages,
        "timings_seconds": timings,
    }
    write_manifest(tmp, manifest)  # with the sha256 of every file, checked on a cache hit


def _make(job: Job, tmp: Path, scratch: Path, *, quiet: bool, progress: bool):
    """Steps 2 to 4 into ``tmp``, with the kernel's, the printer's and Chromium's temporary files
    in ``scratch`` (removed by the caller, whatever happens)."""
    timings: dict[str, float] = {}
    kernel = Kernel(job.notebook, preload=job.notebook == config.BRIEFING_NOTEBOOK)
    printer = Printer(scratch / "printer.log")
    try:
        with kernel_environment(job.data_dir, job.external_dir, job.claims_file, scratch):
            _log(
                f"[1/3] executing {job.notebook.name} for {job.parameters['start']} to "
                f"{job.parameters['end']} as of {job.parameters['as_of']} on kernel "
                f"'{config.KERNEL_NAME}'",
                quiet,
            )
            with _timed(timings, "execute"):
                kernel.start()  # boots while the parent imports papermill (in run_notebook)
                printer.start()  # starts Chromium meanwhile, in its own process
                try:
                    run = run_notebook(job, tmp, kernel, quiet=quiet, progress=progress)
                except Exception:  # a failed notebook's notices too (a signal: its line only)
                    say_notices(scratch)
                    raise
                say_notices(scratch)
            check_interrupted()
            _log("[2/3] printing the PDF with Chromium", quiet)
            with _timed(timings, "export"):
                block = title_block(run.document)
                printer.request(run.path, tmp / "briefing.pdf", block, previous_toc_pages(job.dest))
                kernel.close()  # the notebook is done: the kernel stops while the PDF prints
                try:
                    pages, toc_pages = printer.answer()
                except PrintFailed as exc:
                    raise BriefingFailed(f"the PDF export failed: {exc}") from None
        check_interrupted()
        with _timed(timings, "write"):  # while the printer closes its browser
            write_outputs(job, tmp, run, pages, toc_pages, timings)
    except BaseException:  # the clean-up never replaces what stopped the build (a signal)
        with contextlib.suppress(Exception):
            kernel.close()
        with contextlib.suppress(Exception):
            printer.close(timeout=0)
        raise
    kernel.close()
    printer.close()
    return timings, pages


def say_notices(scratch: Path) -> None:
    """Print, once each, the notices the kernel left (a damaged cache entry it recomputed)."""
    import sys

    from analysis.integrity import read_notices

    for line in read_notices(scratch / NOTICES_FILE):
        print(line, file=sys.stderr, flush=True)


def check_browser() -> None:
    """Fail before the notebook runs when no browser can print the PDF: none is found, or the
    one found does not answer ``--version`` like Chromium within a few seconds."""
    from analysis.pipeline.browser import (
        BrowserNotFound,
        check_answers,
        find_chromium,
        playwright_browser,
    )

    try:
        found = find_chromium() or playwright_browser()
        if found:
            check_answers(found)  # runs it: a binary that is not Chromium fails here, not later
    except BrowserNotFound as exc:
        raise BriefingFailed(f"{exc}; nothing was run") from None
    if not found:
        raise BriefingFailed(
            "no Chromium found (looked for BRIEFING_CHROMIUM, chromium, chromium-browser, "
            "google-chrome and Playwright's own build); install Debian's chromium (make system) "
            "or set BRIEFING_CHROMIUM=/path/to/chromium; nothing was run"
        )


def build(
    start: object = None,
    end: object = None,
    *,
    out_dir: Path | None = None,
    data_dir: Path | None = None,
    force: bool = False,
    quiet: bool = False,
    progress: bool = True,
    notebook: Path | None = None,
    wait: float = 900,
    external_dir: Path | None = None,
    as_of: object = None,
    claims_file: Path | None = None,
) -> Outcome:
    """Build (or reuse from the cache) the briefing for [start, end]; see the module docstring."""
    job = prepare(  # step 1
        start,
        end,
        out_dir=out_dir,
        data_dir=data_dir,
        notebook=notebook,
        external_dir=external_dir,
        as_of=as_of,
        claims_file=claims_file,
    )
    pdf = job.dest / "briefing.pdf"
    state = cache_state(job.dest, job.key)
    if not force and state == "hit":
        remove_stale_tmp(job.dest)
        _log(f"up to date: {pdf} (cache hit; --force rebuilds)", quiet)
        return Outcome(job.dest, pdf, cached=True)
    if not force and state == "damaged":  # never served: rebuilt, and said once
        notice(job.dest, "rebuilding it")
    check_browser()
    had_briefing = pdf.is_file()
    with range_lock(job.dest, wait=wait, quiet=quiet):
        if not force and is_cached(job.dest, job.key):  # built by the run we waited for
            remove_stale_tmp(job.dest)
            _log(f"up to date: {pdf} (built by the run we waited for)", quiet)
            return Outcome(job.dest, pdf, cached=True)
        remove_stale_tmp(job.dest)
        tmp = job.dest.with_name(f".{job.dest.name}.tmp-{os.getpid()}")
        installed = False
        scratch = None
        try:
            with terminate_as_interrupt():
                try:
                    shutil.rmtree(tmp, ignore_errors=True)
                    tmp.mkdir(parents=True)
                    # short (kernel sockets have a 107-byte limit) and private
                    scratch = Path(tempfile.mkdtemp(prefix=f"briefing-{os.getpid()}-"))
                    timings, pages = _make(job, tmp, scratch, quiet=quiet, progress=progress)
                    check_interrupted()
                    _log("[3/3] moving the briefing into place", quiet)
                    with signals_deferred():  # step 5: the swap and the flag change together
                        replace_dir(tmp, job.dest)
                        installed = True
                except (KeyboardInterrupt, Interrupted) as exc:
                    exc.installed = installed  # the CLI says which briefing is in place
                    exc.destination = job.dest
                    exc.had_briefing = had_briefing
                    exc.mid_line = progress and not quiet  # the progress bar may be mid-line
                    with contextlib.suppress(Exception):
                        kill_children()
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
    _log(
        f"wrote {pdf} ({pages} pages; execute {timings['execute']:.1f} s, "
        f"export {timings['export']:.1f} s)",
        quiet,
    )
    return Outcome(job.dest, pdf, cached=False, timings=timings, pages=pages)
