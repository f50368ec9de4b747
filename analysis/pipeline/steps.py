"""Build a briefing: execute the notebook with papermill, print it to PDF, record how.

Stages: validate → (cache check) → execute (papermill, the project's kernel) → export (nbconvert
WebPDF through :class:`~analysis.pipeline.exporter.BriefingPDFExporter`) → ``figures.json`` and
``manifest.json``. Guarantees:

- **Cache.** A run whose code, notebook, data and parameters hash to those of the briefing already
  in the destination returns it without starting a kernel or a browser (``force`` rebuilds).
  The check imports no pandas and no Jupyter machinery, so a cache hit takes a fraction of a second.
- **Atomic outputs.** Everything is written into a temporary directory beside the destination and
  renamed into place only when complete; SIGINT or SIGTERM at any stage leaves the previous
  briefing intact and removes the temporary directory, the kernel and the browser.
- **One run per range.** A lock file beside the destination serialises concurrent runs for the same
  range; the one that waits says so, and gives up with a clear message after ``wait`` seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis import config
from analysis.data.external.reference import validation_files
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
from analysis.pipeline.jobs import Job, is_cached, prepare
from analysis.pipeline.kernel import execute, failure_message, kernel_environment
from analysis.pipeline.provenance import git_commit, package_versions
from analysis.protocol import (
    DATA_ERRORS,
    DOCUMENT_MIME,
    FILES_MIME,
    NUMBERS_MIME,
    find_payload,
    safe_file_name,
)


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


# --------------------------------------------------------------------------------------------
# Stages
# --------------------------------------------------------------------------------------------


def extract_numbers(nb) -> dict[str, Any]:
    """The quoted numbers the notebook emitted (``Briefing.numbers()``)."""
    return find_payload(nb, NUMBERS_MIME)


def title_block(job: Job, document: dict[str, Any] | None = None) -> dict[str, str]:
    """The title block: range, generation time, and what the kernel said about the document
    (method line, data vintage; see :mod:`analysis.protocol`)."""
    from analysis.sidecars import data_end_date, dataset_names, read_meta

    document = document or {}
    accessed = sorted(
        {
            str(read_meta(n, job.data_dir).get("date_accessed", ""))
            for n in dataset_names(job.data_dir)
        }
        - {""}
    )
    vintage = f"curated datasets to {data_end_date(job.data_dir):%d %B %Y}; sources accessed " + (
        accessed[-1] if accessed else "n/a"
    )
    return {
        "kicker": "Relationship-phase briefing",
        "title": config.BRIEFING_TITLE,
        "title_native": config.BRIEFING_TITLE_NATIVE,
        "range_label": f"{job.start:%d %B %Y} to {job.end:%d %B %Y}",
        "generated": datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"),
        "data_vintage": str(document.get("data_vintage") or vintage),
        "method": str(document.get("method_line", "")),
    }


def export_pdf(
    nb, block: dict[str, str], session=None, toc_guess: dict[str, int] | None = None
) -> tuple[bytes, dict[str, int] | None]:
    """The PDF of the executed notebook (on ``session``, a browser already started, if given)
    and its contents page numbers; ``toc_guess``: the numbers to try first (see
    :attr:`BriefingPDFExporter.toc_guess`)."""
    from analysis.pipeline.exporter import BriefingPDFExporter

    nb.metadata["briefing"] = block
    exporter = BriefingPDFExporter()
    exporter.session = session
    exporter.toc_guess = toc_guess
    pdf, _ = exporter.from_notebook_node(nb)
    return pdf, exporter.toc_pages


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


def fingerprint_summary(external_dir: Path | None) -> list[str]:
    """The external files a briefing could use (listed in its manifest)."""
    from analysis.data.external import fingerprint

    return [f"{name} ({size:,} bytes)" for name, size, _ in fingerprint(external_dir)]


def _run_stages(
    job: Job, tmp: Path, scratch: Path, *, quiet: bool, progress: bool
) -> tuple[dict[str, float], int]:
    """Execute, export and write, with the kernel's and Chromium's temporary files in
    ``scratch`` (removed by the caller, whatever happens)."""
    from analysis.pipeline.kernel import EarlyKernel

    with kernel_environment(job.data_dir, job.external_dir, job.claims_file, scratch):
        # each thread's modules are imported by the main thread before the thread starts: two
        # threads importing one package graph at once can deadlock (importlib's
        # _DeadlockError on jupyter_client.kernelspec, seen here)
        _import_stage_modules(KERNEL_MODULES)
        early = EarlyKernel(job.notebook, preload=job.notebook == config.BRIEFING_NOTEBOOK)
        _import_stage_modules(STAGE_MODULES + EXPORT_MODULES)  # while the kernel process starts
        warm = _Warmup()  # Chromium started while the kernel works
        try:
            return _stages(job, tmp, early, warm, quiet=quiet, progress=progress)
        finally:
            early.close()
            warm.close()


#: Every module the build's threads import, imported by the main thread before they start:
#: the kernel's start (jupyter_client) ...
KERNEL_MODULES = (
    "jupyter_client",
    "jupyter_client.manager",
    "jupyter_client.kernelspec",
    "ipykernel.kernelspec",
    "IPython",  # the kernel-spec search imports IPython.paths, which loads IPython
    "pwd",
)
#: ... papermill and the stages (papermill pulls in some 380 modules; black, when installed,
#: formats the parameters cell) ...
STAGE_MODULES = (
    "papermill",
    "nbformat",
    "black",
    "encodings.unicode_escape",
    "importlib.metadata",
    "analysis.data.external",
)
#: ... the exporter and the browser (nbconvert, its templates' jinja2.ext, Playwright, pypdf).
EXPORT_MODULES = (
    "analysis.pipeline.exporter",
    "jinja2.ext",
    "playwright.async_api",
    "playwright._impl.protocol_channels",
    "playwright._impl.json_pipe",
    "playwright._impl.local_utils",
    "pypdf",
    "pypdf.filters",
    "pypdf._codecs._codecs",
)


def _import_stage_modules(names: tuple[str, ...] = STAGE_MODULES) -> None:
    """Import ``names`` in the main thread with SIGINT/SIGTERM held until done.

    A signal's exception raised in the main thread inside the import machinery — in the
    callback that drops a module lock, between taking the global import lock and its ``try`` —
    leaves that lock held: the threads importing beside it (the early kernel's, the warm-up's)
    then wait for it forever, and the main thread for their modules (py-spy on a batch worker
    signalled as it started, the straggler of issue 16). Held here, the signal arrives at the
    block's end, outside any import; the stages import nothing else (tested)."""
    import importlib

    with signals_deferred():
        for name in names:
            try:
                importlib.import_module(name)
            except ImportError:  # an optional module (black) that is not installed
                continue


class _Warmup:
    """Off the critical path, in a thread: launch the browser that will print, while the kernel
    executes the notebook (its modules already imported by the main thread)."""

    def __init__(self) -> None:
        self.session = None
        self._thread = threading.Thread(target=self._run, name="warm-up", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        if sys.platform == "linux":  # this thread only (and the browser it starts): the kernel,
            with contextlib.suppress(OSError):  # starting and executing, comes first
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 5)
        with contextlib.suppress(Exception):
            from analysis.pipeline.exporter import BriefingPDFExporter, BrowserSession

            self.session = BrowserSession(BriefingPDFExporter())

    def get(self):
        self._thread.join()
        return self.session

    def close(self) -> None:
        self._thread.join(timeout=10)
        if self.session is not None:
            self.session.close()


def _stages(
    job: Job, tmp: Path, early, warm, *, quiet: bool, progress: bool
) -> tuple[dict[str, float], int]:
    import nbformat

    from analysis.sidecars import file_digest, file_digests

    timings: dict[str, float] = {}
    executed = tmp / "briefing.ipynb"
    _log(
        f"[1/3] executing {job.notebook.name} for {job.parameters['start']} to "
        f"{job.parameters['end']} on kernel '{config.KERNEL_NAME}'",
        quiet,
    )
    with _timed(timings, "execute"):
        try:
            execute(
                job.notebook,
                executed,
                job.parameters,
                progress=progress and not quiet,
                early=early,
                guard_signals=True,
            )
        except Exception as exc:
            if type(exc).__name__ != "PapermillExecutionError":
                raise
            if getattr(exc, "ename", "") in DATA_ERRORS:  # the data, not the notebook, is wrong
                raise DataInvalid(" ".join(str(getattr(exc, "evalue", exc)).split())) from None
            job.dest.mkdir(parents=True, exist_ok=True)
            kept = job.dest / "briefing.failed.ipynb"
            if executed.exists():
                shutil.copy2(executed, kept)
            raise BriefingFailed(
                f"{failure_message(exc)}; executed notebook kept as {kept}"
            ) from None
    check_interrupted()
    from analysis.pipeline.exporter import page_count

    closing = threading.Thread(target=early.close, name="kernel-shutdown", daemon=True)
    closing.start()  # the kernel is done: it stops while the PDF prints
    nb = nbformat.read(executed, as_version=4)
    _log("[2/3] printing the PDF with Chromium", quiet)
    with _timed(timings, "export"):
        block = title_block(job, find_payload(nb, DOCUMENT_MIME))
        pdf, toc_pages = export_pdf(nb, block, warm.get(), previous_toc_pages(job.dest))
        (tmp / "briefing.pdf").write_bytes(pdf)
    check_interrupted()
    with _timed(timings, "write"):
        numbers = extract_numbers(nb)
        text = json.dumps(numbers, indent=2, ensure_ascii=False, sort_keys=True)
        (tmp / "figures.json").write_text(text, encoding="utf-8")
        for name, content in find_payload(nb, FILES_MIME).items():
            if not safe_file_name(name):
                raise BriefingFailed(f"the notebook asked to write {name!r}; nothing was written")
            (tmp / name).parent.mkdir(exist_ok=True)
            (tmp / name).write_text(content, encoding="utf-8")
        pages = page_count(pdf)
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
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    _log("[3/3] moving the briefing into place", quiet)
    return timings, pages


def check_browser() -> None:
    """Fail before the notebook runs when no browser can print the PDF."""
    from analysis.pipeline.browser import BrowserNotFound, find_chromium, playwright_browser

    try:
        found = find_chromium() or playwright_browser()
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
    job = prepare(
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
    if not force and is_cached(job.dest, job.key):
        remove_stale_tmp(job.dest)
        _log(f"up to date: {pdf} (cache hit; --force rebuilds)", quiet)
        return Outcome(job.dest, pdf, cached=True)
    check_browser()
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
                    timings, pages = _run_stages(job, tmp, scratch, quiet=quiet, progress=progress)
                    check_interrupted()
                    with signals_deferred():  # the swap and the flag change together
                        replace_dir(tmp, job.dest)
                        installed = True
                except (KeyboardInterrupt, Interrupted) as exc:
                    exc.installed = installed  # the CLI says which briefing is in place
                    exc.destination = job.dest
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
