"""Annex E, data used: which datasets each part of the briefing reads (from the sections' and the
components' declarations, so the table cannot drift from the code), and the outside series."""

from __future__ import annotations

import pandas as pd

from analysis.model.components import COMPONENTS
from analysis.render.context import BriefingContext
from analysis.render.document import Document
from analysis.sections.base import Section
from analysis.sections.freshness import short_title
from analysis.sidecars import read_meta


def data_used_table(ctx: BriefingContext) -> pd.DataFrame:
    """Part of the briefing | Data: each component of the index, each section before the
    annexes, and the outside series the validation compares the index with."""
    from analysis.sections import SECTIONS

    def titles(names) -> str:
        """The short titles of the datasets among ``names`` that this briefing's data hold."""
        held = [n for n in dict.fromkeys(names) if n in ctx.ds]
        return "; ".join(short_title(str(read_meta(n, ctx.ds.data_dir)["title"])) for n in held)

    rows = [(f"Index component: {c.label}", titles(c.all_datasets)) for c in COMPONENTS]
    rows += [(s.title, titles(s.datasets)) for s in SECTIONS if s.datasets and s.key != "coverage"]
    if ctx.sources.votes_label != ctx.sources.default_votes_label:
        rows.append(("UN alignment: the key roll calls", ctx.sources.votes_label))
    checks = [
        n
        for n, f in (("ICEWS", ctx.sources.icews), ("GDELT", ctx.sources.gdelt_edge))
        if f is not None
    ]
    rows.append(
        (
            "Validation (not part of the index)",
            " and ".join(checks) + " event series" if checks else "no outside event series",
        )
    )
    return pd.DataFrame(rows, columns=["Part of the briefing", "Data"])


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    return [
        doc.table(
            data_used_table(ctx),
            "The data each part of the briefing reads.",
            css="briefing-table small",
        )
    ]


SECTION = Section(
    key="data_used", title="Annex F. Data used", render=render, new_page=False, heading_level=3
)
