"""The "Bottom line" block before the key findings: the sentences of
:mod:`analysis.model.bottom_line`, each pointing to the section that shows its numbers.

Optional inputs — the uncertainty draws and the triangle — are used when this build of the
package has them (:func:`_optional_inputs`); without them the rules say less, and say so.
"""

from __future__ import annotations

import html
from typing import Any

from analysis.model.bottom_line import bottom_line, inputs_from
from analysis.render.context import BriefingContext
from analysis.render.document import Document


def _optional_inputs(ctx: BriefingContext) -> dict[str, Any]:
    """The triangle's dyad movements and shape (:mod:`analysis.model.triangle`); the band share
    and the share of draws with a rise come from the range's facts (see ``inputs_from``)."""
    from analysis.model import triangle as TM

    facts = TM.triangle_facts(ctx.step.yearly, ctx.facts.period)
    verdicts = {d: f["verdict"] for d, f in facts.items()}
    return {"triangle_verdicts": {"verdicts": verdicts, "shape": TM.shape(facts)}}


def bottom_line_section(ctx: BriefingContext, doc: Document, titles: dict[str, str]) -> list[str]:
    """The bottom-line list; ``titles`` maps section keys to the titles its lines point to."""
    facts = inputs_from(ctx, **_optional_inputs(ctx))
    lines = bottom_line(facts)
    for line in lines:
        doc.quotes(f"bottom_line.{line.rule}", line.text, str)
    items = []
    for line in lines:
        title = titles.get(line.section)
        see = f' <span class="see">(see {html.escape(title)})</span>' if title else ""
        items.append(f"<li>{html.escape(line.text)}{see}</li>")
    return [f'<ul class="bottom-line">{"".join(items)}</ul>']
