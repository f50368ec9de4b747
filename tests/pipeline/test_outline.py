"""Registries fail loudly (issue 22): a notebook is checked against the section outline before
any kernel starts (exit 2, one line naming what is wrong), and the outline is the registry's."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis import config
from analysis.outline import NUMBERS_CALL, SECTION_KEYS
from analysis.pipeline import cli, jobs
from tests.conftest import PROJECT

RANGE = ("--start", "2014-01-01", "--end", "2014-12-31")


def test_the_outline_is_the_section_registry():
    from analysis.sections import SECTIONS

    assert tuple(s.key for s in SECTIONS) == SECTION_KEYS


def test_the_briefing_notebook_follows_the_outline():
    cells = json.loads(config.BRIEFING_NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert jobs.check_outline(cells) is None


def _cells(keys, last=NUMBERS_CALL):
    cells = [{"cell_type": "code", "source": 'start = "2014-01-01"', "metadata": {}}]
    cells += [{"cell_type": "code", "source": f'brief.section("{k}")'} for k in keys]
    cells.append({"cell_type": "markdown", "source": "brief.section('not code')"})
    if last is not None:
        cells.append({"cell_type": "code", "source": [last, "  # comment\n"]})
    return cells


KEYS = list(SECTION_KEYS)


@pytest.mark.parametrize(
    ("cells", "says"),
    [
        (_cells(KEYS[:3] + KEYS[4:]), f'never calls brief.section("{KEYS[3]}")'),
        (_cells(KEYS[:-2]), f'never calls brief.section("{KEYS[-2]}") (and 1 more)'),
        (_cells([*KEYS[:2], "weather", *KEYS[2:]]), "cell 4: unknown section 'weather'"),
        (
            _cells([*KEYS, KEYS[0]]),
            f"calls section '{KEYS[0]}' twice (cells 2 and {len(KEYS) + 2})",
        ),
        (
            _cells([KEYS[1], KEYS[0], *KEYS[2:]]),
            f"calls section '{KEYS[1]}' (cell 2) before '{KEYS[0]}' (cell 3)",
        ),
        (_cells(KEYS, last=None), "does not end with a brief.numbers() cell"),
        (_cells(KEYS, last="brief.numbers();"), "does not end with a brief.numbers() cell"),
        (
            [*_cells(KEYS)[:-1], {"cell_type": "code", "source": "brief.section(key)"}],
            f"cell {len(KEYS) + 3}: brief.section(key) names no section in quotes",
        ),
    ],
    ids=[
        "missing",
        "two missing",
        "unknown",
        "twice",
        "order",
        "no numbers",
        "silenced",
        "unquoted",
    ],
)
def test_a_notebook_off_the_outline_is_named(cells, says):
    assert says in jobs.check_outline(cells)


def test_a_section_called_with_single_quotes_counts():
    cells = _cells(KEYS)
    cells[1]["source"] = f"brief.section( '{KEYS[0]}' )"
    assert jobs.check_outline(cells) is None


def _notebook(tmp_path, cells):
    path = tmp_path / "nb.ipynb"
    nb = json.loads(config.BRIEFING_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"] = cells
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_the_cli_refuses_it_before_any_kernel_one_line_exit_2(capsys, tmp_path, monkeypatch):
    from analysis.pipeline import steps

    started = []
    monkeypatch.setattr(steps, "Kernel", lambda *a, **k: started.append(a))
    path = _notebook(tmp_path, _cells(KEYS[:-1]))
    out = tmp_path / "out"
    code = cli.main([*RANGE, "--notebook", str(path), "--out", str(out), "--quiet", "--force"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "--notebook" in err and f'never calls brief.section("{KEYS[-1]}")' in err
    assert started == [] and not out.exists()


def test_a_batch_reports_it_as_invalid(tmp_path):
    from analysis.pipeline import batch

    path = _notebook(tmp_path, _cells(KEYS, last=None))
    specs = [batch.parse_range("2014-01-01:2014-12-31")]
    results = batch.run_batch(specs, jobs=1, quiet=True, notebook=path)
    assert [r.status for r in results] == ["invalid"] and "brief.numbers()" in results[0].detail


def test_the_check_imports_no_pandas(tmp_path):
    path = _notebook(tmp_path, _cells(KEYS))
    code = (
        "import sys\nfrom pathlib import Path\nfrom analysis.pipeline import jobs\n"
        f"jobs.check_notebook(Path(r'{path}'))\n"
        "assert 'pandas' not in sys.modules and 'analysis.sections' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
