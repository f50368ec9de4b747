"""Annex D, coverage notes: where each section's data stop short of the range or of its preceding
period, and each dataset's span, latest observation and size."""

from __future__ import annotations

import html

import pandas as pd

from analysis.data.freshness import freshness
from analysis.render.context import BriefingContext
from analysis.render.document import Document
from analysis.sections.base import Section
from analysis.sections.freshness import last_seen, used_datasets


def span_table(ds, names: list[str], end) -> pd.DataFrame:
    """Dataset | Covers | Latest observation | Rows, one row per dataset in ``names``."""
    frame = freshness(ds, names, end).set_index("dataset")
    rows = []
    for name in names:
        start, stop = ds.coverage(name)
        f = frame.loc[name]
        rows.append(
            {
                "Dataset": f["title"],
                "Searched": f"{start:%Y-%m-%d} to {stop:%Y-%m-%d}",
                "Latest observation": last_seen(f),
                "Rows": f"{len(getattr(ds, name)):,}",
            }
        )
    return pd.DataFrame(rows)


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.sections import SECTIONS

    notes = [
        f"{s.title}: {n}"
        for s in SECTIONS
        if s.is_dimension and (n := doc.coverage_note(s.datasets, ctx.periods))
    ]
    parts = []
    if notes:
        items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
        parts.append(f'<ul class="refs">{items}</ul>')
    names = used_datasets(ctx.ds)
    parts.append(
        doc.table(
            span_table(ctx.ds, names, ctx.end),
            "Each dataset the briefing reads: the span its compilers searched, its latest "
            "observation and its number of rows.",
            numeric=["Rows"],
            css="briefing-table small",
        )
    )
    return parts


SECTION = Section(
    key="coverage", title="Annex E. Coverage notes", render=render, new_page=False, heading_level=3
)
