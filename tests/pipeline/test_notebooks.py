"""Notebooks are committed without outputs and carry exactly one `parameters` cell."""

from __future__ import annotations

import json

import pytest

from analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell.get("outputs") or cell.get("execution_count") is not None
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or execution counts; run `make strip`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_iso_dates(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, (
        f"{path.name}: expected one cell tagged 'parameters', found {len(tagged)}"
    )
    source = "".join(tagged[0]["source"])
    assert 'start = "1989-05-15"' in source
    assert "end = " in source
    assert nb["metadata"]["kernelspec"]["name"] == config.KERNEL_NAME


def test_briefing_notebook_has_no_logic():
    """Code cells of the briefing only import and call into `analysis` (one call per section)."""
    nb = json.loads(config.BRIEFING_NOTEBOOK.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "parameters" in cell["metadata"].get("tags", []):
            continue
        for line in "".join(cell["source"]).splitlines():
            code = line.split("#")[0].strip()
            if not code:
                continue
            assert code.startswith(
                ("from analysis", "import analysis", "brief = Briefing(", "brief.")
            ), line
