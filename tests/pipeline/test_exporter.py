"""The WebPDF exporter subclass: browser choice, registration, template, nothing from a CDN."""

from __future__ import annotations

import re

import nbformat
import pytest

from analysis.pipeline import exporter
from analysis.pipeline.exporter import BriefingPDFExporter, BrowserNotFound, find_chromium


def test_registered_as_an_nbconvert_exporter():
    from nbconvert.exporters import get_exporter

    assert get_exporter("briefing_pdf") is BriefingPDFExporter


def test_browser_from_environment_then_path(monkeypatch, tmp_path):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BRIEFING_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)
    monkeypatch.setenv("BRIEFING_CHROMIUM", str(tmp_path / "missing"))
    with pytest.raises(BrowserNotFound, match="does not exist"):
        find_chromium()
    monkeypatch.delenv("BRIEFING_CHROMIUM")
    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "chromium").write_text("#!/bin/sh\n")
    (tmp_path / "chromium").chmod(0o755)
    assert find_chromium() == str(tmp_path / "chromium")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_chromium() is None  # Playwright's own browser, where installed


def test_no_sandbox_only_as_root(monkeypatch):
    ex = BriefingPDFExporter()
    monkeypatch.setattr(exporter, "_running_as_root", lambda: False)
    assert "--no-sandbox" not in ex._launch_args()
    monkeypatch.setattr(exporter, "_running_as_root", lambda: True)
    assert "--no-sandbox" in ex._launch_args()
    assert "--disable-background-networking" in ex._launch_args()


def _html(nb) -> str:
    from nbconvert.exporters.html import HTMLExporter

    return HTMLExporter.from_notebook_node(BriefingPDFExporter(), nb)[0]


def test_template_hides_code_parameters_and_loads_nothing_remote():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('start = "2014-01-01"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            'start = "2015-01-01"', metadata={"tags": ["injected-parameters"]}
        ),
        nbformat.v4.new_markdown_cell("## A section\n\nSome prose with $x^2$."),
        nbformat.v4.new_code_cell("secret_code_line = 1"),
    ]
    nb.metadata["briefing"] = {
        "title": "T",
        "range_label": "1 January 2014 to 31 December 2014",
        "generated": "now",
        "data_vintage": "v",
        "method": "m",
    }
    html = _html(nb)
    assert "secret_code_line" not in html and "2015-01-01" not in html and "2014-01-01" not in html
    assert "A section" in html and "1 January 2014 to 31 December 2014" in html
    remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
    assert remote == [], remote
    assert "size: A4" in html


@pytest.mark.e2e
def test_prints_a4_pdf_with_chinese_and_russian(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## 中俄关系\n\nРоссия–Китай")]
    pdf, _ = BriefingPDFExporter().from_notebook_node(nb)
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf)
    from pypdf import PdfReader

    page = PdfReader(str(path)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    text = page.extract_text()
    assert "中俄关系" in text and "Россия–Китай" in text
    assert path.stat().st_size > 1000
