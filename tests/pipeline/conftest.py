"""Stand-ins for the kernel, papermill and the printer: builds that run every step of the
pipeline but the notebook and the browser (fast), recording what each step was given."""

from __future__ import annotations

import os

import nbformat
import pytest

from analysis.outline import SECTION_KEYS
from analysis.protocol import DOCUMENT_MIME, FILES_MIME, NUMBERS_MIME, OUTPUT_TAG


def payload_output(parameters: dict[str, str], **document) -> dict:
    """The output ``brief.numbers()`` displays, for a notebook run with ``parameters``
    (``document`` entries override the kernel's; a None value drops the entry)."""
    numbers = {f"range.{k}": {"value": v, "text": v} for k, v in parameters.items()}
    numbers["counts.figures"] = {"value": 0, "text": "0"}
    doc = {
        "kicker": "the kernel's kicker",
        "title": "the kernel's title",
        "title_native": "the kernel's title in Chinese and Russian",
        "range_label": f"{parameters['start']} to {parameters['end']} (the kernel's words)",
        "generated": "the kernel's clock",
        "data_vintage": "the kernel's vintage",
        "method_line": "the kernel's method line",
        "sections": list(SECTION_KEYS),
    }
    doc.update(document)
    doc = {k: v for k, v in doc.items() if v is not None}
    data = {NUMBERS_MIME: numbers, DOCUMENT_MIME: doc, FILES_MIME: {}, "text/plain": "numbers"}
    return nbformat.v4.new_output("display_data", data=data, metadata=dict(OUTPUT_TAG))


def executed_notebook(outputs: list) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("brief.numbers()")
    cell.outputs = outputs
    nb.cells = [cell]
    return nb


@pytest.fixture
def stand_ins(monkeypatch):
    """Execution and printing replaced; ``seen`` records what the pipeline passed on, and
    ``seen["outputs"]`` (a function of the parameters) sets what the notebook's last cell shows."""
    from analysis.pipeline import steps

    seen: dict = {"outputs": lambda parameters: [payload_output(parameters)]}

    class NoKernel:  # these tests start no kernel ...
        def __init__(self, *a, **k):
            self.km = None

        def start(self):
            seen["kernel started"] = True

        def close(self):
            pass

    class NoPrinter(NoKernel):  # ... and no printer
        def request(self, notebook, pdf, block, toc_guess):
            seen["block"] = block
            pdf.write_bytes(b"%PDF-stand-in")

        def answer(self):
            return 3, None

        def close(self, timeout=10):
            pass

    def execute(notebook, output, parameters, *, progress, kernel=None, guard_signals=False):
        seen["parameters"] = dict(parameters)
        seen["claims_env"] = os.environ.get("BRIEFING_CLAIMS_FILE")
        nbformat.write(executed_notebook(seen["outputs"](parameters)), output)

    monkeypatch.setattr(steps, "execute", execute)
    monkeypatch.setattr(steps, "Kernel", NoKernel)
    monkeypatch.setattr(steps, "Printer", NoPrinter)
    monkeypatch.setattr(steps, "check_browser", lambda: None)
    return seen
