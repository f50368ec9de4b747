"""Contents page numbers: tried from the briefing being replaced, checked against the printing's
own outline; a right guess prints once, a wrong one is corrected by a second printing."""

from __future__ import annotations

import pytest

from tests.test_end_to_end import RANGES

pytestmark = pytest.mark.e2e


def _print(nb_path, guess):
    import nbformat

    from analysis.pipeline import steps
    from analysis.protocol import DOCUMENT_MIME, find_payload

    nb = nbformat.read(nb_path, as_version=4)
    block = steps.title_block(find_payload(nb, DOCUMENT_MIME))
    printings = []
    import playwright.async_api as pa

    real = pa.Page.pdf

    async def counting(self, **kw):
        printings.append(1)
        return await real(self, **kw)

    pa.Page.pdf = counting
    try:
        pdf, numbers = steps.export_pdf(nb, block, guess)
    finally:
        pa.Page.pdf = real
    return pdf, numbers, len(printings)


def test_a_right_guess_prints_once_and_a_wrong_one_is_corrected(briefing_factory):
    built = briefing_factory(*RANGES["xi_era"])
    recorded = built.manifest["toc_pages"]
    assert recorded and all(isinstance(v, int) for v in recorded.values())
    nb_path = built.dir / "briefing.ipynb"
    _, found, n = _print(nb_path, None)
    assert found == recorded and n == 2
    _, found, n = _print(nb_path, recorded)
    assert found == recorded and n == 1
    wrong = {k: v + 1 for k, v in recorded.items()}
    _, found, n = _print(nb_path, wrong)
    assert found == recorded and n == 2


def test_a_damaged_manifest_gives_no_guess(tmp_path):
    from analysis.pipeline.steps import previous_toc_pages

    assert previous_toc_pages(tmp_path) is None
    (tmp_path / "manifest.json").write_text('{"toc_pages": {"a": "three"}}')
    assert previous_toc_pages(tmp_path) is None
    (tmp_path / "manifest.json").write_text("not json")
    assert previous_toc_pages(tmp_path) is None
    (tmp_path / "manifest.json").write_text('{"toc_pages": {"a": 3}}')
    assert previous_toc_pages(tmp_path) == {"a": 3}
