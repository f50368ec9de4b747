"""The parent process never imports pandas, matplotlib, scipy, numpy or duckdb (issues 10 and 26).

The kernel does the numerical work; the parent validates, checks the cache, runs papermill and
prints. Each check runs in a fresh interpreter, so nothing another test imported can hide a leak.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import PROJECT

HEAVY = ("pandas", "matplotlib", "scipy", "numpy", "duckdb")

PARENT_MODULES = (
    "analysis.pipeline.cli",
    "analysis.pipeline.steps",
    "analysis.pipeline.batch",
    "analysis.pipeline.atomic",
    "analysis.pipeline.kernel",
    "analysis.pipeline.exporter",
    "analysis.pipeline.browser",
    "analysis.pipeline.printer",
    "analysis.pipeline.payload",
    "analysis.outline",
    "analysis.model.claims_file",
)


def _probe(code: str) -> dict:
    script = (
        "import json, sys\n"
        + code
        + f"\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {"heavy": json.loads(proc.stdout.strip().splitlines()[-1]), "stderr": proc.stderr}


def test_importing_the_build_side_imports_no_numerical_library():
    imports = "\n".join(f"import {m}" for m in PARENT_MODULES)
    assert _probe(imports)["heavy"] == []


def test_help_imports_no_numerical_library():
    code = (
        "from analysis.pipeline import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
    )
    assert _probe(code)["heavy"] == []


def test_bad_input_imports_no_numerical_library(tmp_path):
    code = f"from analysis.pipeline import cli\nassert cli.main(['--start', '2020-13-01', '--out', r'{tmp_path / 'o'}', '--quiet']) == 2\n"
    assert _probe(code)["heavy"] == []


def test_cache_hit_imports_no_numerical_library(tmp_path):
    out = tmp_path / "b"
    code = f"""
from pathlib import Path
from analysis.pipeline import buildcache, cli, jobs, steps
out = Path(r'{out}')
job = jobs.prepare('2014-01-01', '2014-12-31', out_dir=out)
out.mkdir()
(out / 'briefing.pdf').write_bytes(b'%PDF-1.4 stand-in')
buildcache.write_manifest(out, {{'cache_key': job.key}})
assert cli.main(['--start', '2014-01-01', '--end', '2014-12-31', '--out', str(out)]) == 0
"""
    probe = _probe(code)
    assert "cache hit" in probe["stderr"]
    assert probe["heavy"] == []


def test_the_parent_skips_the_slow_optional_iri_grammar_and_still_validates_notebooks():
    """rfc3987_syntax (jsonschema's optional ``iri`` checker, ~1.4 s to import) stays out of the
    parent; nbformat still validates, and rejects, notebooks without it."""
    code = (
        "import analysis.pipeline.steps, nbformat\n"
        "from analysis import config\n"
        "nb = nbformat.read(str(config.BRIEFING_NOTEBOOK), as_version=4)\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['cell_type'] = 'no such type'\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "    raise SystemExit('a broken notebook passed validation')\n"
        "except nbformat.ValidationError:\n"
        "    pass\n"
        "assert sys.modules.get('rfc3987_syntax') is None, 'rfc3987_syntax was imported'\n"
    )
    _probe(code)
