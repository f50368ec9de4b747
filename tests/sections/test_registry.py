"""The section registry and the document machinery, rendered without a kernel or a browser.

Every registered section is rendered to HTML for a few ranges; the notebook calls each section
once, in registry order; figures and tables are numbered without gaps, every caption cites its
datasets, and every quoted number is in the HTML.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import analysis.sections as S
from analysis import config
from analysis.model.components import COMPONENTS, number_word
from analysis.render.briefing import Briefing
from analysis.render.document import Document, Quotes


@pytest.fixture(scope="module", params=[("1989-05-15", "1999-12-31"), ("2022-02-24", None)])
def rendered(request):
    brief = Briefing(*request.param)
    html = {key: brief.section(key).data for key in brief.section_keys()}
    return brief, html, brief.numbers()


def test_every_section_renders_with_its_heading(rendered):
    import html as h

    _, html, _ = rendered
    for section in S.SECTIONS:
        tag = f"<h{section.heading_level}>"
        heading = f"{tag}{h.escape(section.title)}</h{section.heading_level}>"
        assert heading in html[section.key]


def test_figures_and_tables_are_numbered_without_gaps_and_cite_their_data(rendered):
    _, html, payload = rendered
    text = "".join(html.values())
    figures = [int(n) for n in re.findall(r"<b>Figure (\d+)\.</b>", text)]
    tables = [int(n) for n in re.findall(r"<b>Table (\d+)\.</b>", text)]
    assert figures == list(range(1, len(figures) + 1)) and len(figures) >= 3
    assert tables == list(range(1, len(tables) + 1))
    assert payload.values["counts.figures"]["value"] == len(figures)
    assert payload.values["counts.tables"]["value"] == len(tables)
    for caption in re.findall(r"<figcaption>(.*?)</figcaption>", text, flags=re.S):
        assert "Source: " in caption or "Sources: " in caption
        assert "data/" not in caption and ".csv" not in caption  # file names: Sources annex only


def test_every_quoted_number_is_in_the_html(rendered):
    import html as h

    _, parts, payload = rendered
    text = h.unescape("".join(parts.values()))
    missing = [
        k
        for k, v in payload.values.items()
        if not k.startswith(("counts.", "range.")) and str(v["text"]) not in text
    ]
    assert not missing


def test_the_payload_carries_the_method_line_from_the_registry(rendered):
    _, _, payload = rendered
    line = payload.document["method_line"]
    assert line.startswith(f"One composite of {number_word(len(COMPONENTS))} ")
    bundle, meta = payload._repr_mimebundle_()
    assert meta == {"briefing": "numbers"} and len(bundle) == 4
    figures = payload.values["counts.figures"]["value"]
    expected = {f"data/figure-{i:02d}.csv" for i in range(1, figures + 1)}
    assert set(payload.files) == {"data/composite.csv", "data/components.csv"} | expected


def test_the_phase_timeline_counts_the_registered_components(rendered):
    _, html, _ = rendered
    assert f"combines {number_word(len(COMPONENTS))} components" in html["phase_timeline"]


def test_a_dimension_without_data_says_so_instead_of_drawing():
    brief = Briefing("1989-05-15", "1990-12-31")
    html = brief.section("military").data
    assert "Not measurable" not in html  # SIPRI's series covers 1989
    early = Briefing("1989-01-01", "1989-05-01")
    text = early.section("diplomatic").data
    assert "Not measurable for 1989-01-01 to 1989-05-01" in text and "<figure" not in text


def test_unknown_section_is_refused():
    with pytest.raises(ValueError, match="unknown section"):
        Briefing("2014-01-01", "2014-12-31").section("weather")


def test_the_notebook_calls_every_section_once_in_registry_order():
    nb = json.loads(config.BRIEFING_NOTEBOOK.read_text(encoding="utf-8"))
    calls = [
        m.group(1)
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for m in re.finditer(r'brief\.section\("([a-z_]+)"\)', "".join(cell["source"]))
    ]
    assert calls == [s.key for s in S.SECTIONS]


def test_dimension_sections_declare_everything_the_generic_renderer_needs():
    for s in S.SECTIONS:
        if s.is_dimension:
            assert s.rows and s.sentences and s.figure and s.indicators and s.datasets, s.key
            assert s.table_title, s.key
        else:
            assert s.render is not None, s.key
    assert tuple(S.metric_functions()) == S.DIMENSIONS


def test_document_numbers_and_cites():
    doc = Document(config.DATA_DIR)
    fig = doc.figure("<svg></svg>", "A chart.", ["trade"])
    table = doc.table(pd.DataFrame({"a": [1]}), "A table.", ["events"], numeric=["a"])
    assert "<b>Figure 1.</b> A chart. Source: " in fig and "China–Russia merchandise trade" in fig
    assert "General Administration of Customs" in fig and "trade.csv" not in fig
    assert "<b>Table 1.</b> A table. Source: " in table and '<td class="num">1</td>' in table
    assert doc.figures == doc.tables == 1
    assert Document.heading("X", new_page=False) == "<h2>X</h2>"
    assert Document.heading("X", level=3).endswith("<h3>X</h3>")


def test_quotes_record_raw_and_printed_values():
    q = Quotes()
    assert q("a", 1.2345, lambda x: f"{x:.1f}") == "1.2"
    q("b", float("nan"), lambda x: "n/a")
    assert q.values == {"a": {"value": 1.2345, "text": "1.2"}, "b": {"value": None, "text": "n/a"}}


def test_a_preceding_period_before_the_data_gets_no_column_of_na():
    from analysis.sections.base import comparison_table

    brief = Briefing("1989-05-15", "1999-12-31")  # preceding: 1979–1989, before trade.csv
    ctx, doc = brief.context, brief.document
    html = comparison_table(S.section("economic"), ctx, doc)
    assert "lies before the data" in html and "Preceding (" not in html and "n/a" not in html
    un = comparison_table(S.section("un"), ctx, doc)  # the veto list covers the preceding period
    assert "Preceding (" in un


def test_the_composite_is_shown_with_its_bands_and_probabilities(rendered):
    import html as h

    _, parts, payload = rendered
    timeline = h.unescape(parts["phase_timeline"])
    assert "80% of draws" in timeline and "95% of draws" in timeline  # the figure's legend
    latest = payload.values["composite.latest_q10"]["text"]
    assert f"80% of the draws lie between {latest}" in timeline
    assert "Plain mean (not chain-linked)" in timeline
    assert "relative to that record" in timeline
    method = h.unescape(parts["method"])
    assert "Dirichlet" in method and "Poisson" in method and "chain-linked" in method
    assert "Robust?" in method


def test_no_tsinghua_band_word_names_a_relative_value(rendered):
    import html as h

    _, parts, _ = rendered
    text = h.unescape("".join(parts.values()))
    for word in ("hostile", "tense", "friendly", "ordinary", "good", "bad"):
        assert f"({word})" not in text and f"{word} band" not in text


def test_every_table_row_names_a_metric_of_its_section():
    """A mistyped row key would print no row: on the whole record (yearly) and on a short range
    (monthly), every declared row of each resolution is a key of its section's metrics."""
    import pandas as pd

    from analysis.data.loader import load_all
    from analysis.indicators import votes_long
    from analysis.model.inputs import MetricInputs
    from analysis.model.periods import Period

    ds = load_all()
    from analysis.indicators import choose_arms_series

    arms = choose_arms_series(ds.arms_transfers)
    inputs = MetricInputs.build(ds, votes_long(ds.unga_roll_calls, ds.unga_votes), arms)
    periods = {
        "year": Period(pd.Timestamp("1989-05-15"), pd.Timestamp("2025-12-31")),
        "month": Period(pd.Timestamp("2022-01-01"), pd.Timestamp("2023-12-31")),
    }
    for s in S.SECTIONS:
        if not s.is_dimension:
            continue
        for resolution, period in periods.items():
            now = s.metrics(ds, period, inputs)
            if now.get("resolution", "year") != resolution:
                continue
            rows = [r.key for r in s.rows if r.resolution in (None, resolution)]
            missing = [k for k in rows if k not in now]
            assert not missing, (s.key, resolution, missing)
