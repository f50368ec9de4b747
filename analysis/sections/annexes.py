"""The heading that separates the briefing from its annexes."""

from __future__ import annotations

from analysis.render.context import BriefingContext
from analysis.render.document import Document, paragraph
from analysis.sections.base import Section


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    return [
        paragraph(
            "A. Method: how the index is built. B. Validation: how it was checked. C. The "
            "published claims in detail. D. Further tables and figures. "
            "E. Coverage notes. F. Data used by each part. G. Sources."
        )
    ]


SECTION = Section(key="annexes", title="Annexes", render=render)
