"""The reference list: one entry per dataset, from the sidecars."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from analysis.data.loader import citations
from analysis.render.context import BriefingContext
from analysis.render.document import Document
from analysis.sections.base import (
    Section,
)


def references_html(data_dir: Path | None) -> str:
    """The reference list, one entry per dataset, from the sidecars."""
    items = []
    for _, r in citations(data_dir).iterrows():
        cov = (
            f"{r['coverage_start']:%Y-%m-%d} to {r['coverage_end']:%Y-%m-%d}"
            if pd.notna(r["coverage_start"])
            else "lookup table"
        )
        items.append(
            f"<li><b>{html.escape(r['title'])}</b> (data/{r['dataset']}.csv; {cov}). "
            f"{html.escape(r['citation'])} Licence: {html.escape(str(r['licence']).rstrip('.'))}. "
            f"Accessed {html.escape(r['date_accessed'])}.</li>"
        )
    return f'<ol class="refs">{"".join(items)}</ol>'


def render(ctx: BriefingContext, doc: Document) -> list[str]:

    return [references_html(ctx.ds.data_dir)]


SECTION = Section(
    key="references", title="Annex G. Sources", render=render, new_page=False, heading_level=3
)
