"""End to end: the CLI executes the notebook with papermill and prints the PDF with Chromium.

Six ranges the briefing must handle, each read back from the PDF's text: the date range, every
section heading, figure captions numbered 1..n without gaps, Chinese and Russian text, numbers
that match figures.json; the editorial rules before the Annexes; the HTML and the figures' data
beside the PDF; and, for the default range, at most twelve pages before the Annexes.
"""

from __future__ import annotations

import re

import pytest

from analysis.data import data_end
from tests.conftest import squash

pytestmark = pytest.mark.e2e

LATEST = f"{data_end():%Y-%m-%d}"
RANGES = {
    "default": ("1989-05-15", None),
    "nineties": ("1989-05-15", "1999-12-31"),
    "xi_era": ("2012-01-01", "2023-02-28"),
    "since_invasion": ("2022-02-24", None),
    "single_year": ("2014-01-01", "2014-12-31"),
    "war_year": ("2022-02-24", "2023-02-22"),  # shorter than five years: drawn by month
}
HEADINGS = [
    "Contents",
    "Bottom line",
    "What changed",
    "What to watch",
    "How current the data are",
    "Phase timeline",
    "The strategic triangle",
    "Diplomatic ties",
    "UN alignment",
    "Economic ties",
    "Energy and money",
    "Military cooperation",
    "Events",
    "The SCO and BRICS",
    "Key events in the range",
    "Published claims checked",
    "Annexes",
    "Annex A. Method",
    "Annex B. Validation",
    "Annex C. Claims in detail",
    "Annex G. Sources",
]
#: The sections the table of contents lists (its h2s), in order.
CONTENTS = [
    "Bottom line",
    "Phase timeline",
    "The strategic triangle",
    "Diplomatic ties",
    "UN alignment",
    "Economic ties",
    "Energy and money",
    "Military cooperation",
    "Events",
    "The SCO and BRICS",
    "Key events in the range",
    "Published claims checked",
    "Annexes",
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


def _bottom_line(text: str) -> str:
    return text.split("Bottom line", 2)[-1].split("What changed")[0]


def test_different_ranges_give_different_judgements(briefing_factory):
    a = briefing_factory(*RANGES["nineties"])
    b = briefing_factory(*RANGES["xi_era"])
    assert _bottom_line(a.text) != _bottom_line(b.text)
    assert a.numbers["bottom_line.movement"] != b.numbers["bottom_line.movement"]


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
    assert squash(opening) in text
    page = text[text.index(squash(opening)) :]
    for name in ("China–Russia", "China–USA", "Russia–USA"):
        assert (
            squash(f"{name} did not move clearly") in page[:2000]
            or squash(f"{name} cooled") in page[:2000]
            or squash(f"{name} warmed") in page[:2000]
        ), name
    for dyad in ("chn_rus", "chn_usa", "rus_usa"):
        level = numbers[f"triangle.{dyad}.level"]["text"]
        assert squash(level) in page[:3500]  # quoted as printed
        assert numbers[f"triangle.{dyad}.verdict"]["text"] in (
            "warmed",
            "cooled",
            "no clear move",
            "held steady",
        )
    assert squash("The composite index of each dyad by year") in page
    claim = text.index(squash("each of the two countries with the United States"))
    assert squash("90% of the draws") in text[claim : claim + 2000]


def test_single_year_says_what_cannot_be_measured(briefing_factory):
    built = briefing_factory(*RANGES["single_year"])
    assert "not measurable" in built.text.lower()


def test_a_short_range_is_drawn_and_described_by_month(briefing_factory):
    """Issue #12: a range shorter than MONTHLY_MAX_YEARS is drawn month by month (the monthly
    composite, monthly trade from the customs' releases), a long one by year."""
    short = briefing_factory(*RANGES["war_year"])
    text = squash(short.text)
    assert squash("Monthly composite index in the range") in text
    assert squash("months wholly inside the range, March 2022 to January 2023") in text
    assert short.numbers["economic.months_with_data"]["value"] == 10
    assert squash("By calendar month, 24 February 2022 to 22 February 2023") in text
    long = briefing_factory(*RANGES["xi_era"])
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
    for heading in CONTENTS:
        line = next(li for li in page1.splitlines() if li.strip().startswith(heading))
        assert re.search(r"\s(\d+)\s*$", line), f"no page number for {heading!r}: {line!r}"


def test_the_pdf_states_the_scale_and_the_latest_bands(briefing_factory):
    built = briefing_factory(*RANGES["xi_era"])
    text, numbers = squash(built.text), built.numbers
    assert squash("It is relative to that record") in text
    assert squash("“Almost certainly” means that at least 95%") in text
    lo, hi = numbers["composite.latest_q10"]["text"], numbers["composite.latest_q90"]["text"]
    assert squash(f"80% of the draws lie between {lo} and {hi}") in text
    assert squash("of the draws") in text and "Robust?" in built.text


def test_since_invasion_carries_the_bottom_line_energy_money_posture_and_claims(
    briefing_factory,
):
    """The judgements first, the energy and money sentences, the war posture and both claims
    sources, with their numbers as figures.json records them."""
    built = briefing_factory(*RANGES["since_invasion"])
    text, numbers = squash(built.text), built.numbers
    assert text.index(squash("Bottom line")) < text.index(squash("What changed"))
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


# ---- the editorial rules, on every range ---------------------------------------------------

#: What must not appear before the Annexes: traces of how the briefing was made.
BANNED = {
    "seed": r"\bseed\b",
    "issue": r"\bissues?\b",
    "registry": r"\bregistry\b",
    "mechanism": r"\bmechanism\b",
    "--": r"--",
    "the project": r"\bthe project\b",
    "rule stated": r"\brule stated\b",
    "sentence is written": r"\bsentence is written\b",
    "a .csv file": r"\w\.csv\b",
    "a .yaml file": r"\w\.ya?ml\b",
    "a vintage label": r"\bsipri_\w+|\b[a-z]+(?:_[a-z]+)+_\d{4}-\d{2}-\d{2}\b",
}


def before_annexes(text: str) -> tuple[str, int]:
    """The PDF text before the Annexes heading (a line of its own; the contents line has a page
    number), and the page the heading is on."""
    pages = text.split("\f")
    for number, page in enumerate(pages, start=1):
        lines = [li.strip() for li in page.splitlines()]
        if "Annexes" in lines:
            head = "\f".join(pages[: number - 1])
            return head + "\f" + page[: page.index("Annexes")], number
    raise AssertionError("no Annexes heading in the PDF")


def test_no_trace_of_how_it_was_made_before_the_annexes(built):
    head, _ = before_annexes(built.text)
    head = head.replace("-\n", "")  # words hyphenated at a line's end
    found = {name: m.group(0) for name, rx in BANNED.items() if (m := re.search(rx, head, re.I))}
    assert not found, found


def test_file_names_appear_only_in_the_sources_annex(built):
    # the claims evidence of Annex C named war_posture.csv, organisations.csv and trade.csv
    assert "Annex G. Sources" in built.text
    before_sources = built.text.split("Annex G. Sources")[-2]
    found = re.findall(r"\w+\.(?:csv|ya?ml)\b", before_sources.replace("-\n", ""))
    assert not found, sorted(set(found))


def test_captions_cite_publishers_and_titles_not_files(built):
    head, _ = before_annexes(built.text)
    for caption in re.findall(r"(?:Figure|Table) \d+\. .*?(?:\n\s*\n|\f)", head, re.S):
        assert ".csv" not in caption and "data/" not in caption, caption[:200]
    figures = re.findall(r"Figure \d+\. .*?(?:\n\s*\n|\f)", head, re.S)
    assert figures and all("Source" in f for f in figures)


def test_no_sentence_of_the_brief_holds_more_than_three_numbers(built):
    from analysis.model.judgements import numbers_in

    brief = " ".join(built.text.split("Bottom line", 2)[-1].split("What changed")[0].split())
    brief = re.sub(r"\(see [^)]*\)", "", brief)
    for sentence in re.split(r"(?<=[.!?])\s+", brief):
        if "Page " in sentence:  # the page footer
            sentence = sentence.split("Page ")[0]
        assert numbers_in(sentence) <= 3, sentence


def test_the_default_briefing_has_at_most_twelve_pages_before_the_annexes(briefing_factory):
    built = briefing_factory(*RANGES["default"])
    _, page = before_annexes(built.text)
    assert page - 1 <= 12, f"the Annexes begin on page {page}"


def test_the_html_and_the_data_of_every_figure_sit_beside_the_pdf(built):
    page = (built.dir / "briefing.html").read_text(encoding="utf-8")
    assert "<svg" in page and not re.search(
        r"<(?:script|img|link)[^>]+(?:src|href)=\"https?:", page
    )
    n = built.numbers["counts.figures"]["value"]
    files = sorted(p.name for p in (built.dir / "data").glob("figure-*.csv"))
    assert files == [f"figure-{i:02d}.csv" for i in range(1, n + 1)]
    first = (built.dir / "data" / "figure-01.csv").read_text(encoding="utf-8").splitlines()
    assert first[0] == "panel,series,x,y,y_low" and len(first) > 3


def test_dollar_signs_print_as_dollars(built):
    """The HTML writes "$" as &#36; and marks each section for MathJax to skip (JupyterLab);
    the PDF still prints dollar signs, never the entity."""
    assert "$" in built.text and "&#36;" not in built.text and "&amp;#36;" not in built.text
