"""Benchmark: how long a briefing takes, side by side with the bare papermill + WebPDF overhead.

Run as ``python -m bench.bench_briefing`` (part of ``make bench``, never of ``make test``).
Measured in one run, each as a fresh process the way a user runs it:

(a) bare papermill + nbconvert WebPDF of a one-cell notebook (the fixed cost of the route:
    interpreter, kernel start, one cell, HTML conversion, Chromium);
(b) the full default briefing (``briefing --force``);
(c) a cached rerun of (b) (``briefing``: the cache hit);
(d) a batch of four ranges (``briefing --range … ×4 --force``, parallel up to the CPUs).

Targets on 2 cores: (b)/(a) ≤ 1.3, (c) ≤ 0.3 s, (d)/(b) ≤ 2.5. ``--profile`` adds where the
seconds of (b) go: parent imports, data validation, kernel start, each notebook cell, HTML
conversion and Chromium printing.

``--plain`` (issues 16 and 22, "Speed") measures side by side, interleaved in one run, medians
of five:

(B) the briefing (``briefing --force`` for the default range);
(P) the same notebook the plain way: the ``papermill`` CLI, then
    ``jupyter nbconvert --to briefing_pdf`` (the project's exporter);
(F) the plain way on a one-cell notebook (the floor of the route).

Targets on 2 cores: B/P ≤ 0.6 and B/F ≤ 1.15. The targets live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"b/a": 1.3, "c": 0.3, "d/b": 2.5}
PLAIN_TARGETS = {"B/P": 0.6, "B/F": 1.15}
BATCH = ["1989-05-15:1999-12-31", "2012-01-01:2023-02-28", "2022-02-24:", "2014-01-01:2014-12-31"]


def _run(cmd: list[str], env: dict | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed


def bare_worker(out: Path) -> None:
    """(a): papermill executes a one-cell notebook on the project's kernel; WebPDF prints it."""
    import nbformat

    from analysis import config
    from analysis.pipeline import steps as report
    from analysis.pipeline.exporter import BriefingPDFExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    nb.metadata["kernelspec"] = {
        "name": config.KERNEL_NAME,
        "display_name": "rb",
        "language": "python",
    }
    src = out / "one_cell.ipynb"
    nbformat.write(nb, src)
    report.execute(src, out / "executed.ipynb", {}, progress=False)
    executed = nbformat.read(out / "executed.ipynb", as_version=4)
    pdf, _ = BriefingPDFExporter().from_notebook_node(executed)
    (out / "one_cell.pdf").write_bytes(pdf)


def measure(repeat: int = 1) -> dict[str, float]:
    py = sys.executable
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="rb-bench-") as tmp:
        tmp = Path(tmp)
        a = [
            _run([py, "-m", "bench.bench_briefing", "--bare-worker", str(tmp)])
            for _ in range(repeat)
        ]
        out = tmp / "default"
        b = [
            _run([py, "-m", "analysis", "--force", "--quiet", "--out", str(out)])
            for _ in range(repeat)
        ]
        c = [
            _run([py, "-m", "analysis", "--quiet", "--out", str(out)])
            for _ in range(max(3, repeat))
        ]
        batch = [py, "-m", "analysis", "--force", "--quiet"] + [
            x for r in BATCH for x in ("--range", r)
        ]
        d = [_run(batch, env={"BRIEFING_REPORTS_DIR": str(tmp / "batch")}) for _ in range(repeat)]
        manifest = json.loads((out / "manifest.json").read_text())
    results.update(a=min(a), b=min(b), c=min(c), d=min(d), pages=manifest["pdf_pages"])
    results["b/a"] = results["b"] / results["a"]
    results["d/b"] = results["d"] / results["b"]
    return results


def profile() -> list[tuple[str, float]]:
    """Where the seconds of a default briefing go (in-process, stage by stage)."""
    rows: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    import nbformat

    from analysis.data import load_all
    from analysis.pipeline import jobs
    from analysis.pipeline import steps as report

    rows.append(("parent: import report + nbformat", time.perf_counter() - t0))
    t = time.perf_counter()
    job = jobs.prepare()
    rows.append(("parent: validate parameters, cache key", time.perf_counter() - t))
    t = time.perf_counter()
    load_all()
    rows.append(("parent: load + validate the data (pandera)", time.perf_counter() - t))
    with tempfile.TemporaryDirectory(prefix="rb-prof-") as tmp:
        executed = Path(tmp) / "briefing.ipynb"
        t = time.perf_counter()
        report.execute(job.notebook, executed, job.parameters, progress=False)
        total = time.perf_counter() - t
        nb = nbformat.read(executed, as_version=4)
        cells = [
            (
                "".join(c.source).splitlines()[0][:50],
                c.metadata.get("papermill", {}).get("duration") or 0.0,
            )
            for c in nb.cells
            if c.cell_type == "code"
        ]
        rows.append(("kernel: start, papermill overhead", total - sum(d for _, d in cells)))
        rows += [(f"kernel: {name}", d) for name, d in cells if d >= 0.02]
        from analysis.pipeline.exporter import BriefingPDFExporter

        exporter = BriefingPDFExporter()
        from analysis.protocol import DOCUMENT_MIME, find_payload

        nb.metadata["briefing"] = report.title_block(find_payload(nb, DOCUMENT_MIME))
        t = time.perf_counter()
        html, _ = exporter.html_of(nb)
        rows.append(("export: HTML conversion (nbconvert)", time.perf_counter() - t))
        t = time.perf_counter()
        exporter.run_playwright(html)
        rows.append(("export: Chromium printing (incl. TOC pass)", time.perf_counter() - t))
    return rows


def _one_cell(path: Path) -> Path:
    import nbformat

    from analysis import config

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    nb.metadata["kernelspec"] = {
        "name": config.KERNEL_NAME,
        "display_name": "rb",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def _plain(notebook: Path, out: Path, parameters: dict[str, str]) -> float:
    """The plain route, as a user would type it: papermill CLI, then nbconvert to PDF."""
    from analysis import config

    bin_dir = Path(sys.executable).parent
    executed = out / f"{notebook.stem}.executed.ipynb"
    cmd = [str(bin_dir / "papermill"), str(notebook), str(executed), "-k", config.KERNEL_NAME]
    cmd += ["--cwd", str(notebook.parent), "--no-progress-bar"]
    for k, v in parameters.items():
        cmd += ["-p", k, v]
    t = _run(cmd)
    t += _run([str(bin_dir / "jupyter"), "nbconvert", "--to", "briefing_pdf", str(executed)])
    return t


def measure_plain(repeat: int = 5) -> dict[str, list[float]]:
    """B, P and F interleaved (B P F, B P F, ...), so that load on the machine hits all alike."""
    from analysis import config
    from analysis.pipeline import jobs

    py = sys.executable
    job = jobs.prepare()
    times: dict[str, list[float]] = {"B": [], "P": [], "F": []}
    with tempfile.TemporaryDirectory(prefix="rb-plain-") as tmp:
        tmp = Path(tmp)
        one = _one_cell(tmp / "one_cell.ipynb")
        for _ in range(repeat):
            out = tmp / "briefing"
            times["B"].append(_run([py, "-m", "analysis", "--force", "--quiet", "--out", str(out)]))
            times["P"].append(_plain(config.BRIEFING_NOTEBOOK, tmp, job.parameters))
            times["F"].append(_plain(one, tmp, {}))
    return times


def report_plain(times: dict[str, list[float]]) -> None:
    import statistics

    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"Briefing vs the plain route on {os.cpu_count()} CPUs (interleaved; median of {len(times['B'])})"
    )
    print(f"{'measurement':<58}{'runs (s)':>22}{'median':>8}")
    names = {
        "B": "(B) briefing --force, default range",
        "P": "(P) papermill CLI + jupyter nbconvert --to briefing_pdf",
        "F": "(F) the plain route on a one-cell notebook (floor)",
    }
    for k, name in names.items():
        runs = " ".join(f"{t:.2f}" for t in times[k])
        print(f"{name:<58}{runs:>22}{med[k]:>8.2f}")
    for ratio, (a, b) in {"B/P": ("B", "P"), "B/F": ("B", "F")}.items():
        value = med[a] / med[b]
        ok = "yes" if value <= PLAIN_TARGETS[ratio] else "NO"
        print(f"  {ratio} = {value:.2f} (target ≤ {PLAIN_TARGETS[ratio]}): {ok}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=1, help="take the best of N runs")
    p.add_argument("--profile", action="store_true", help="also profile the default briefing")
    p.add_argument("--bare-worker", type=Path, help=argparse.SUPPRESS)
    p.add_argument(
        "--plain",
        action="store_true",
        help="only the briefing vs plain papermill + nbconvert table",
    )
    args = p.parse_args(argv)
    if args.bare_worker:
        bare_worker(args.bare_worker)
        return 0
    report_plain(measure_plain(max(5, args.repeat)))
    if args.plain:
        return 0
    print()
    r = measure(args.repeat)
    print(
        f"Briefing benchmark on {os.cpu_count()} CPUs (best of {args.repeat}; default briefing {r['pages']} pages)"
    )
    print(f"{'measurement':<52}{'seconds':>9}{'ratio':>8}{'target':>9}  ok")
    lines = [
        ("(a) bare papermill + WebPDF, one-cell notebook", r["a"], None, None),
        ("(b) full default briefing", r["b"], r["b/a"], f"b/a≤{TARGETS['b/a']}"),
        ("(c) cached rerun", r["c"], None, f"≤{TARGETS['c']} s"),
        ("(d) batch of four ranges", r["d"], r["d/b"], f"d/b≤{TARGETS['d/b']}"),
    ]
    checks = {
        "(b)": r["b/a"] <= TARGETS["b/a"],
        "(c)": r["c"] <= TARGETS["c"],
        "(d)": r["d/b"] <= TARGETS["d/b"],
    }
    for name, secs, ratio, target in lines:
        ok = checks.get(name[:3])
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(
            f"{name:<52}{secs:>9.2f}{'' if ratio is None else f'{ratio:.2f}':>8}{target or '':>9}  {mark}"
        )
    if args.profile:
        print("\nProfile of the default briefing (seconds)")
        for name, secs in profile():
            print(f"  {name:<60}{secs:>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
