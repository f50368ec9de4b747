"""End to end: the CLI executes the notebook with papermill and prints the PDF with Chromium.

Four ranges the briefing must handle (issue: parameterisation by date range), each read back
from the PDF's text: the date range, every section heading, figure captions numbered 1..n
without gaps, Chinese and Russian text, and numbers that match figures.json.
"""

from __future__ import annotations

import re

import pytest

from analysis.data import data_end
from tests.conftest import squash

pytestmark = pytest.mark.e2e

LATEST = f"{data_end():%Y-%m-%d}"
RANGES = {
    "nineties": ("1989-05-15", "1999-12-31"),
    "xi_era": ("2012-01-01", "2023-02-28"),
    "since_invasion": ("2022-02-24", None),
    "single_year": ("2014-01-01", "2014-12-31"),
    "war_year": ("2022-02-24", "2023-02-22"),  # shorter than five years: drawn by month
}
HEADINGS = [
    "Contents",
    "Bottom line",
    "Key findings",
    "Phase timeline",
    "Diplomatic ties",
    "UN alignment",
    "Economic ties",
    "Energy and money",
    "Military cooperation",
    "Events",
    "The strategic triangle",
    "The SCO and BRICS",
    "Key events in the range",
    "Claims check",
    "Method and sources",
    "References",
]


@pytest.fixture(params=list(RANGES), scope="module")
def built(request, briefing_factory):
    start, end = RANGES[request.param]
    return briefing_factory(start, end)


def test_pdf_exists_with_pages(built):
    assert built.pdf.exists()
    assert built.manifest["pdf_pages"] >= 2
    assert built.pdf.read_bytes()[:5] == b"%PDF-"


def test_no_page_is_blank(built):
    """Every page carries more than its footer (a section filling a page to its foot once left
    the next page empty: the section breaks now sit on the cells)."""
    pages = built.text.split("\f")
    footer = re.compile(r"relations-briefing|Page \d+ of \d+")
    blank = [i + 1 for i, page in enumerate(pages) if not footer.sub("", page).strip()]
    assert not blank, f"blank page(s) {blank} of {len(pages)}"


def test_title_block_and_headings(built):
    text = built.text
    params = built.manifest["parameters"]
    assert "China–Russia relations" in text
    from datetime import date

    for key in ("start", "end"):
        d = date.fromisoformat(params[key])
        assert f"{d:%d %B %Y}" in text, f"{key} date missing from the title block"
    for heading in HEADINGS:
        assert heading in text, f"section heading {heading!r} missing"
    assert "Generated on" in text and "Data vintage" in text


def test_chinese_and_russian_text_render(built):
    text = squash(built.text)
    assert "中俄关系" in text
    assert "Российско-китайскиеотношения" in text


def test_figure_and_table_captions_numbered_without_gaps(built):
    text = built.text
    figures = sorted({int(n) for n in re.findall(r"Figure (\d+)\.", text)})
    tables = sorted({int(n) for n in re.findall(r"Table (\d+)\.", text)})
    numbers = built.numbers
    assert figures == list(range(1, numbers["counts.figures"]["value"] + 1))
    assert tables == list(range(1, numbers["counts.tables"]["value"] + 1))
    assert len(figures) >= 3


def test_quoted_numbers_appear_in_the_pdf(built):
    text = squash(built.text)
    numbers = built.numbers
    assert len(numbers) > 30
    missing = [k for k, v in numbers.items() if squash(str(v["text"])) not in text]
    assert not missing, f"numbers in figures.json but not in the PDF: {missing[:10]}"


def test_manifest_records_the_run(built):
    m = built.manifest
    assert set(m) >= {
        "parameters",
        "git_commit",
        "packages",
        "data_sha256",
        "timings_seconds",
        "cache_key",
    }
    assert {"execute", "export"} <= set(m["timings_seconds"])
    assert "unsc_vetoes.csv" in m["data_sha256"] and len(m["data_sha256"]["unsc_vetoes.csv"]) == 64
    assert m["packages"]["pandas"]


def test_executed_notebook_kept(built):
    assert (built.dir / "briefing.ipynb").exists()


def _findings(text: str) -> str:
    return text.split("Key findings", 2)[-1].split("Phase timeline")[0]


def test_different_ranges_give_different_findings(briefing_factory):
    a = briefing_factory(*RANGES["nineties"])
    b = briefing_factory(*RANGES["xi_era"])
    assert _findings(a.text) != _findings(b.text)
    assert a.numbers["composite.first_value"] != b.numbers["composite.first_value"]


@pytest.mark.parametrize(
    "start, end, opening",
    [
        ("1989-05-15", None, f"Over 1989-05-15 to {LATEST} (yearly values 1990–"),
        ("2012-01-01", "2023-02-28", "Over 2012-01-01 to 2023-02-28 (yearly values 2012–2022)"),
    ],
    ids=["default", "xi_era"],
)
def test_the_triangle_page_prints_its_paragraph_table_and_claim(
    briefing_factory, start, end, opening
):
    built = briefing_factory(start, end)
    text, numbers = squash(built.text), built.numbers  # squash: no whitespace at all
    page = text[text.index(squash("The strategic triangle China–Russia beside")) :]
    assert squash(opening) in page[:1200]
    for name in ("China–Russia", "China–USA", "Russia–USA"):
        assert (
            squash(f"{name} did not move clearly") in page[:1500]
            or squash(f"{name} cooled") in page[:1500]
            or squash(f"{name} warmed") in page[:1500]
        ), name
    for dyad in ("chn_rus", "chn_usa", "rus_usa"):
        level = numbers[f"triangle.{dyad}.level"]["text"]
        assert squash(level) in page[:3000]  # quoted as printed
        assert numbers[f"triangle.{dyad}.verdict"]["text"] in ("warmed", "cooled", "no clear move")
    assert squash("The triangle composite of each dyad by year") in page
    claim = text.index(squash("each of the two countries with the United States"))
    assert squash("Theil–Sen") in text[claim : claim + 2000]


def test_single_year_says_what_cannot_be_measured(briefing_factory):
    built = briefing_factory(*RANGES["single_year"])
    assert "not measurable" in built.text.lower()


def test_a_short_range_is_drawn_and_described_by_month(briefing_factory):
    """Issue #12: a range shorter than MONTHLY_MAX_YEARS is drawn month by month (the monthly
    composite, monthly trade from the customs' releases), a long one by year."""
    short = briefing_factory(*RANGES["war_year"])
    text = squash(short.text)
    assert squash("Monthly composite index in the range") in text
    assert short.numbers["composite.first_month"]["text"] == "March 2022"
    assert short.numbers["composite.last_month"]["text"] == "January 2023"
    assert short.numbers["economic.months_with_data"]["value"] == 10
    assert squash("By calendar month, 24 February 2022 to 22 February 2023") in text
    long = briefing_factory(*RANGES["xi_era"])
    assert "composite.first_month" not in long.numbers
    assert squash("Composite relationship index by year inside the range") in squash(long.text)


def test_default_range_ends_at_the_last_data_date(briefing_factory):
    built = briefing_factory(*RANGES["since_invasion"])
    assert built.manifest["parameters"]["end"] == LATEST


def test_contents_give_a_page_for_every_section(built):
    """The table of contents is filled from the PDF outline of a first printing (a regression:
    an untagged first printing has no outline, and left every page number blank)."""
    import subprocess

    page1 = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(built.pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if built.manifest["pdf_pages"] < 5:  # short briefings print no contents
        return
    for heading in HEADINGS[1:-1]:
        line = next(li for li in page1.splitlines() if li.strip().startswith(heading))
        assert re.search(r"\s(\d+)\s*$", line), f"no page number for {heading!r}: {line!r}"


def test_the_pdf_states_the_scale_and_the_latest_bands(briefing_factory):
    built = briefing_factory(*RANGES["xi_era"])
    text, numbers = squash(built.text), built.numbers
    assert squash("not Tsinghua University's absolute scale") in text
    assert squash("relative −9..+9 scale") in text  # the title block's method line
    lo, hi = numbers["composite.latest_q10"]["text"], numbers["composite.latest_q90"]["text"]
    assert squash(f"80% of the draws lie between {lo} and {hi}") in text
    assert squash("of the draws") in text and "Robust?" in built.text


def test_since_invasion_carries_the_bottom_line_energy_money_posture_and_new_claims(
    briefing_factory,
):
    """Issue 15: the bottom line before the key findings, the energy and money sentences, the
    war posture and both claims sources, with their numbers as figures.json records them."""
    built = briefing_factory(*RANGES["since_invasion"])
    text, numbers = squash(built.text), built.numbers
    assert text.index("Whereitstands:") < text.index("Keyfindings", text.index("Whereitstands:"))
    for key in ("energy.crude_share_last", "energy.cny_share_rus_exports_last", "posture.rounds"):
        assert squash(numbers[key]["text"]) in text, key
    for phrase in (
        "“financial support” is not checkable with this data",
        "China's posture on Russia's war",
        "Claims of Carnegie Endowment",
        "Claims of Time News",
    ):
        assert squash(phrase) in text, phrase
    assert numbers["claims.no_military_support.computed"]["text"] == "—"  # not checkable
