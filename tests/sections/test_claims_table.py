"""The claims table holds up to a hostile claims file (issue 27, case 5): a long unbroken token
wraps inside its cell instead of pushing the Stated, Computed and Verdict columns off the page,
and no bidirectional control from the file reaches the HTML (a right-to-left override in a
publisher's name reversed the caption)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from analysis import config
from analysis.model.claims_check import check_claims
from analysis.render.document import Document
from analysis.sections import claims as C
from analysis.sections import claims_summary as S

TOKEN = "x" * 119
#: Every bidirectional control the issue names: embeddings, overrides, isolates, marks.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"

HOSTILE = f"""\
sources:
  paper:
    publisher: "Evil \u202eEVIL\u202c Press"
    title: "A \u2067title\u2069 \u200ehere"
    url: "https://example.org/\u202ea"
    date: 2021-01-01
claims:
  - id: long
    source: paper
    text: "they say {TOKEN} and \u202emore"
    test: joint_veto_count
    params: {{start: 2007-01-01, end: 2020-12-31}}
    stated: 3
    reading: "\u202bthe reading\u202c"
  - id: needs
    source: paper
    text: "a claim the data cannot test"
    test: not_in_data
    params: {{needs: "a record \u202eof\u202c supply"}}
    stated: "\u202dyes"
"""


def _checked(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    (tmp_path / "unsc_vetoes.meta.yaml").write_text(
        "title: test vetoes\ncolumns: {}\nprimary_key: []\n"
        "coverage: {start: 1946-01-01, end: 2020-12-31}\n",
        encoding="utf-8",
    )
    vetoes = pd.DataFrame(
        {
            "date": pd.to_datetime(["2011-10-04", "2011-10-04"]),
            "draft": ["S/4", "S/4"],
            "member": ["CHN", "RUS"],
        }
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    ds = SimpleNamespace(unsc_vetoes=vetoes, data_dir=tmp_path)
    return path, check_claims(ds, path)


def _rendered(tmp_path: Path, monkeypatch) -> str:
    path, checked = _checked(tmp_path)
    monkeypatch.setattr(config, "claims_files", lambda data_dir=None: [path])
    ctx = SimpleNamespace(
        step=SimpleNamespace(claims={str(path): checked}),
        ds=SimpleNamespace(data_dir=tmp_path),
    )
    doc = Document(tmp_path)
    parts = C.render(ctx, doc) + S.render(ctx, doc) + [S.finding(ctx)]
    return "".join(parts)


def test_no_bidirectional_control_from_a_claims_file_reaches_the_html(tmp_path, monkeypatch):
    from analysis.model.claims_file import BIDI_CONTROLS

    assert set(BIDI) <= set(BIDI_CONTROLS)
    html = _rendered(tmp_path, monkeypatch)
    assert "Evil EVIL Press" in html and "they say" in html and "a record of supply" in html
    found = sorted({f"U+{ord(c):04X}" for c in html if c in BIDI})
    assert found == [], found


def test_the_claims_rows_hold_no_bidirectional_control(tmp_path):
    _, checked = _checked(tmp_path)
    for column in ("claim", "source", "source_url", "reading", "stated", "evidence"):
        for value in checked[column]:
            assert not set(str(value)) & set(BIDI), (column, ascii(value))


def test_a_long_token_wraps_inside_its_cell(tmp_path, monkeypatch):
    html = _rendered(tmp_path, monkeypatch)
    assert TOKEN in html  # the claim is quoted whole; the table breaks it, not the text
    classes = re.findall(r'<table class="([^"]*)"', html)
    assert classes and all("claims-table" in c.split() for c in classes), classes
    css = (config.PROJECT_DIR / "analysis/templates/briefing/briefing.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = dict(
        (sel.strip(), body)
        for sels, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        for sel in sels.split(",")
    )
    table = rules.get(".jp-RenderedHTMLCommon table.briefing-table.claims-table", "")
    cell = rules.get(".jp-RenderedHTMLCommon table.briefing-table.claims-table td", "")
    assert re.search(r"table-layout:\s*fixed", table), table
    assert re.search(r"overflow-wrap:\s*anywhere", cell), cell
    assert re.search(r"word-break:\s*break-word", cell), cell
