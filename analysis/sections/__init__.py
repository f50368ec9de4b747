"""The briefing's sections, one module each, in reading order.

Each module holds everything about its section — its metrics (``metrics(ds, period, inputs)``),
its finding (the sentence it opens with) and other sentences, its figures by year and by month,
its table rows, the explorer's table (``indicators``) — and ends with its declaration,
``SECTION`` (:class:`~analysis.sections.base.Section`). A dimension section is rendered by the
one generic :func:`~analysis.sections.base.render_dimension`; the others have a ``render`` of
their own. Adding a section is one module, its line in :data:`MODULES`, and one
``brief.section("key")`` cell in the notebook (``briefing`` checks the notebook against
:data:`SECTIONS` before it starts a kernel).
"""

from __future__ import annotations

from typing import Any

from analysis.sections import (
    annexes,
    bottom_line,
    claims,
    claims_summary,
    coverage,
    data_used,
    diplomatic,
    economic,
    energy,
    events,
    freshness,
    key_events,
    method,
    military,
    organisations,
    phase_timeline,
    posture,
    references,
    tables,
    triangle,
    un,
    validation,
    watch,
    what_changed,
)
from analysis.sections.base import Section, render_dimension

#: The section modules in reading order: the brief (judgements, what changed, what to watch, how
#: current the data are), the sections, then the annexes.
MODULES = (
    bottom_line,
    what_changed,
    watch,
    freshness,
    phase_timeline,
    triangle,
    diplomatic,
    un,
    economic,
    energy,
    military,
    events,
    organisations,
    key_events,
    posture,
    claims_summary,
    annexes,
    method,
    validation,
    claims,
    tables,
    coverage,
    data_used,
    references,
)
SECTIONS: tuple[Section, ...] = tuple(m.SECTION for m in MODULES)
BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
DIMENSIONS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.is_dimension)


def section(key: str) -> Section:
    """The section ``key``, or a ValueError naming the known ones."""
    if key not in BY_KEY:
        raise ValueError(f"unknown section {key!r}; choose from {list(BY_KEY)}")
    return BY_KEY[key]


def titles() -> dict[str, str]:
    """Section key -> title (what a pointer such as "(see Phase timeline)" prints)."""
    return {s.key: s.title for s in SECTIONS}


def metric_functions() -> dict[str, Any]:
    """Section key -> metric function, for :func:`analysis.model.facts.range_facts`."""
    return {s.key: s.metrics for s in SECTIONS if s.is_dimension}


def render_section(key: str, ctx, doc) -> str:
    """The HTML of one section: its heading, lead paragraph and body, safe from MathJax in
    JupyterLab (:func:`~analysis.render.texsafe.no_math`: "$" stays a dollar sign)."""
    from analysis.render.document import paragraph
    from analysis.render.texsafe import no_math

    sec = section(key)
    parts = [doc.heading(sec.title, level=sec.heading_level, new_page=sec.new_page)]
    finding = sec.finding(ctx) if sec.finding else ""
    if finding:
        parts.append(paragraph(finding, "finding"))
    body = sec.render(ctx, doc) if sec.render else render_dimension(sec, ctx, doc)
    return no_math("".join(parts + body))
