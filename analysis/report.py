"""Build a briefing: execute the notebook with papermill, print it to PDF, record how.

Stages: validate → execute (papermill, the project's kernel) → export (nbconvert WebPDF through
:class:`~analysis.exporter.BriefingPDFExporter`) → write ``figures.json`` and ``manifest.json``.
Everything is written into a temporary directory beside the destination and renamed into
place only when complete, so a failure or a signal never leaves a half-written briefing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat

from . import config
from .params import range_slug, resolve_range

PACKAGES = (
    "relations-briefing",
    "pandas",
    "numpy",
    "matplotlib",
    "pandera",
    "ruptures",
    "scipy",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "playwright",
    "pypdf",
)
NUMBERS_MIME = "application/vnd.relations-briefing.numbers+json"
METHOD_LINE = (
    "Composite of seven min–max normalised components (designations, leader meetings, coded events, "
    "UNGA voting, joint vetoes, trade, joint exercises) on a −9..+9 scale; see Method and sources."
)


class BriefingFailed(RuntimeError):
    """A notebook cell failed; the message names the cell. Exit code 1."""


@dataclass
class Outcome:
    """What a build produced (or found in the cache)."""

    directory: Path
    pdf: Path
    cached: bool
    timings: dict[str, float] = field(default_factory=dict)
    pages: int | None = None


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(f"briefing: {msg}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - t0, 3)


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=config.PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        commit = out.stdout.strip() or "unknown"
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=config.PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return commit + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def ensure_kernel() -> None:
    """Install the project's Jupyter kernel into this environment if it is missing."""
    from jupyter_client.kernelspec import KernelSpecManager

    if config.KERNEL_NAME in KernelSpecManager().find_kernel_specs():
        return
    from ipykernel.kernelspec import install

    install(
        kernel_name=config.KERNEL_NAME,
        display_name="Python (relations-briefing)",
        prefix=sys.prefix,
    )


def _failure_message(exc: Exception) -> str:
    """One line: which cell failed, its first source line, the error."""
    index = getattr(exc, "cell_index", None)
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = source[0][:80] if source else ""
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    evalue = " ".join(str(evalue).split())[:300]
    where = f"cell {index + 1} of the executed notebook" if isinstance(index, int) else "a cell"
    return f"notebook {where} failed ({first!r}): {ename}: {evalue}"


def _ipc_kernel_manager():
    """A kernel manager talking to the kernel over Unix sockets, not TCP on localhost."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

    return IPCKernelManager


def execute(notebook: Path, output: Path, parameters: dict[str, str], *, progress: bool) -> None:
    """Run ``notebook`` with papermill on the project's kernel, writing ``output``."""
    import papermill

    ensure_kernel()
    papermill.execute_notebook(
        str(notebook),
        str(output),
        kernel_manager_class=_ipc_kernel_manager(),
        parameters=parameters,
        kernel_name=config.KERNEL_NAME,
        progress_bar=progress,
        cwd=str(notebook.parent),
        log_output=False,
        report_mode=False,
    )


def extract_numbers(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The quoted numbers the notebook emitted (``Briefing.numbers()``)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if NUMBERS_MIME in data:
                return dict(data[NUMBERS_MIME])
    return {}


def export_pdf(nb: nbformat.NotebookNode, title_block: dict[str, str]) -> bytes:
    from .exporter import BriefingPDFExporter

    nb.metadata["briefing"] = title_block
    exporter = BriefingPDFExporter()
    pdf, _ = exporter.from_notebook_node(nb)
    return pdf


def title_block(start, end, data_dir: Path | None) -> dict[str, str]:
    from .data import DATASETS, data_end, read_meta

    accessed = sorted(
        {str(read_meta(n, data_dir).get("date_accessed", "")) for n in DATASETS} - {""}
    )
    return {
        "kicker": "Relationship-phase briefing",
        "title": config.BRIEFING_TITLE,
        "title_native": config.BRIEFING_TITLE_NATIVE,
        "range_label": f"{start:%d %B %Y} to {end:%d %B %Y}",
        "generated": datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"),
        "data_vintage": f"curated datasets to {data_end(data_dir):%d %B %Y}; sources accessed "
        + (accessed[-1] if accessed else "n/a"),
        "method": METHOD_LINE,
    }


def _pdf_pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def cache_key(parameters: dict[str, str], data_dir: Path | None) -> str:
    """Hash of everything a briefing depends on: code, notebook, template, data, parameters."""
    from .data import file_digests

    h = hashlib.sha256()
    h.update(json.dumps(parameters, sort_keys=True).encode())
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if (
            path.is_file()
            and path.suffix in {".py", ".j2", ".css", ".json"}
            and "__pycache__" not in path.parts
        ):
            h.update(str(path.relative_to(config.PACKAGE_DIR)).encode())
            h.update(path.read_bytes())
    h.update(config.BRIEFING_NOTEBOOK.read_bytes())
    h.update(json.dumps(file_digests(data_dir), sort_keys=True).encode())
    claims = Path(data_dir or config.DATA_DIR) / "claims.yaml"
    if claims.exists():
        h.update(claims.read_bytes())
    return h.hexdigest()


def _cached(dest: Path, key: str) -> bool:
    manifest = dest / "manifest.json"
    if not (manifest.exists() and (dest / "briefing.pdf").exists()):
        return False
    try:
        return json.loads(manifest.read_text()).get("cache_key") == key
    except (OSError, json.JSONDecodeError):
        return False


def _replace_dir(tmp: Path, dest: Path) -> None:
    """Swap ``tmp`` into ``dest``: the old briefing stays whole until the last rename."""
    old = dest.with_name(dest.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if dest.exists():
        dest.rename(old)
    tmp.rename(dest)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def build(
    start: str | None = None,
    end: str | None = None,
    *,
    out_dir: Path | None = None,
    data_dir: Path | None = None,
    force: bool = False,
    quiet: bool = False,
    progress: bool = True,
    notebook: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Outcome:
    """Build (or reuse from the cache) the briefing for [start, end]; see the module docstring."""
    s, e = resolve_range(start, end, data_dir=data_dir)  # raises ParameterError before any write
    from .data import load_all

    load_all(data_dir)  # raises DataError (file, row, column) before any write
    parameters = {"start": f"{s:%Y-%m-%d}", "end": f"{e:%Y-%m-%d}"}
    if data_dir is not None:
        parameters["data_dir"] = str(Path(data_dir).resolve())
    dest = Path(out_dir or config.REPORTS_DIR / range_slug(s, e))
    notebook = Path(notebook or config.BRIEFING_NOTEBOOK)
    key = cache_key(parameters, data_dir)
    if not force and _cached(dest, key):
        _log(f"up to date: {dest / 'briefing.pdf'} (cache hit; --force rebuilds)", quiet)
        return Outcome(dest, dest / "briefing.pdf", cached=True)

    timings: dict[str, float] = {}
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    stage = on_stage or (lambda _s: None)
    try:
        executed = tmp / "briefing.ipynb"
        _log(
            f"[1/3] executing {notebook.name} for {parameters['start']} to {parameters['end']} "
            f"on kernel '{config.KERNEL_NAME}'",
            quiet,
        )
        stage("execute")
        with _timed(timings, "execute"):
            try:
                execute(notebook, executed, parameters, progress=progress and not quiet)
            except Exception as exc:
                if type(exc).__name__ != "PapermillExecutionError":
                    raise
                dest.mkdir(parents=True, exist_ok=True)
                if executed.exists():
                    shutil.copy2(executed, dest / "briefing.failed.ipynb")
                raise BriefingFailed(
                    f"{_failure_message(exc)}; executed notebook kept as {dest / 'briefing.failed.ipynb'}"
                ) from None
        nb = nbformat.read(executed, as_version=4)
        _log("[2/3] printing the PDF with Chromium", quiet)
        stage("export")
        with _timed(timings, "export"):
            pdf = export_pdf(nb, title_block(s, e, data_dir))
            (tmp / "briefing.pdf").write_bytes(pdf)
        stage("write")
        with _timed(timings, "write"):
            numbers = extract_numbers(nb)
            (tmp / "figures.json").write_text(
                json.dumps(numbers, indent=2, ensure_ascii=False, sort_keys=True)
            )
            from .data import file_digests

            pages = _pdf_pages(pdf)
            manifest = {
                "parameters": parameters,
                "cache_key": key,
                "git_commit": git_commit(),
                "generated_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                "kernel": config.KERNEL_NAME,
                "packages": package_versions(),
                "data_sha256": file_digests(data_dir),
                "pdf_pages": pages,
                "timings_seconds": timings,
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        _log("[3/3] done", quiet)
        _replace_dir(tmp, dest)
        _log(
            f"wrote {dest / 'briefing.pdf'} ({pages} pages; execute {timings['execute']:.1f} s, "
            f"export {timings['export']:.1f} s)",
            quiet,
        )
        return Outcome(dest, dest / "briefing.pdf", cached=False, timings=timings, pages=pages)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
