"""Annex D, further tables and figures: each section's figures for the range against its
preceding period of equal length, the official designations of China–Russia relations in the
range, and General Assembly agreement by topic."""

from __future__ import annotations

from analysis.render.context import BriefingContext
from analysis.render.document import Document
from analysis.sections.base import Section, comparison_table


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.sections import SECTIONS
    from analysis.sections.diplomatic import designations
    from analysis.sections.un_issues import issues_extra

    parts = [t for s in SECTIONS if s.is_dimension and (t := comparison_table(s, ctx, doc))]
    return parts + designations(ctx, doc) + issues_extra(ctx, doc)


SECTION = Section(
    key="tables",
    title="Annex D. Further tables and figures",
    render=render,
    new_page=False,
    heading_level=3,
)
