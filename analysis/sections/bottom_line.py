"""The bottom line: three to five judgements on the relationship, each one plain sentence with
one confidence word (:mod:`analysis.model.judgements`) and a pointer to the section that shows
its evidence."""

from __future__ import annotations

import html

import pandas as pd

from analysis.model import judgements as J
from analysis.model.composite import contributions
from analysis.model.periods import Period, whole_years
from analysis.model.phases import band
from analysis.model.triangle import dyad_facts, shape, step_facts
from analysis.render.context import BriefingContext
from analysis.render.document import Document, paragraph
from analysis.sections.base import Section

MAIN = "CHN-RUS"
#: The recent stretch the fourth judgement reads, in whole years, when the range is at least
#: twice as long.
RECENT_YEARS = 5


def band_share(draws: pd.DataFrame | None, year: int, value: float) -> float | None:
    """Share of the draws of ``year`` in the fifth of the scale of ``value`` (as printed, one
    decimal); None without draws of that year."""
    from analysis.model.phases import BANDS

    if draws is None or year not in draws.columns:
        return None
    col = draws[year].dropna()
    if col.empty:
        return None
    name = band(round(float(value), 1))
    lo, hi = next((lo, hi) for lo, hi, n in BANDS if n == name)
    top = BANDS[-1][2] == name
    inside = (col >= lo) & ((col <= hi) if top else (col < hi))
    return float(inside.mean())


def judgements(ctx: BriefingContext) -> list[J.Judgement]:
    """The range's judgements: China–Russia's movement and what drove it; where it stood at the
    end; its last five years when the range is long enough; China's and Russia's relations
    with the United States."""
    measure, period = ctx.step.yearly, ctx.facts.period
    facts = {d: dyad_facts(measure, d, period) for d in ("CHN-RUS", "CHN-USA", "RUS-USA")}
    last = _last_year_ended(measure.series(MAIN), period)
    if facts[MAIN]["verdict"] in ("no data", "not measurable") and last is not None:
        # too short for a trend: the last year ended in the range against the year before it
        first = min(period.start.year - 1, last - 1)
        facts = {d: step_facts(measure, d, first, last) for d in facts}
    main = facts[MAIN]
    contrib = None
    if main.get("first_year") is not None and main["first_year"] != main["last_year"]:
        contrib = contributions(ctx.result, main["first_year"], main["last_year"])
    out = [J.movement(main, contributions=contrib)]
    if last is not None:
        value = float(measure.series(MAIN)[last])
        share = band_share(measure.draws[MAIN], last, value)
        out.append(J.standing(MAIN, last, band(round(value, 1)), share))
    years = whole_years(period)
    if years and years[1] - years[0] + 1 >= 2 * RECENT_YEARS:
        first = years[1] - RECENT_YEARS + 1
        recent = Period(pd.Timestamp(f"{first}-01-01"), pd.Timestamp(f"{years[1]}-12-31"))
        lead = "over the last five years, "
        out.append(J.movement(dyad_facts(measure, MAIN, recent), key="recent", lead=lead))
    us = {d: facts[d] for d in ("CHN-USA", "RUS-USA")}
    phrase = SHAPES.get(shape(facts), "") if main.get("verdict") == "warmed" else ""
    out.append(J.us_relations(us, phrase))
    J.check_numbers(out)
    return out


def judgement(ctx: BriefingContext, key: str) -> str:
    """The text of one of the range's judgements (a section opens with the one it shows)."""
    found = {j.key: j.text for j in judgements(ctx)}
    if key not in found:
        raise KeyError(f"no judgement {key!r} for this range; made: {list(found)}")
    return found[key]


#: The triangle's shape, said after the US judgement only when it adds to it.
SHAPES = {
    "drew_together_against_usa": "China and Russia drew together as each fell out with Washington",
}


def _last_year_ended(series: pd.Series, period: Period) -> int | None:
    """The last year with a value that ended inside the range (its 31 December on or before the
    range's end, and after its start)."""
    ended = [
        int(y)
        for y in series.dropna().index
        if period.start <= pd.Timestamp(f"{int(y)}-12-31") <= period.end
    ]
    return max(ended) if ended else None


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.sections import titles

    names = titles()
    lines = judgements(ctx)
    items = []
    for j in lines:
        doc.quotes(f"bottom_line.{j.key}", j.text, str)
        if j.section not in names:
            raise KeyError(f"bottom line: {j.key} points to no section {j.section!r}")
        see = f' <span class="see">(see {html.escape(names[j.section])})</span>'
        items.append(f"<li>{html.escape(j.text)}{see}</li>")
    n_draws = len(ctx.step.yearly.draws[MAIN])
    return [
        f'<ul class="bottom-line">{"".join(items)}</ul>',
        paragraph(J.scale_sentence(n_draws), "scale"),
    ]


SECTION = Section(
    key="bottom_line",
    title="Bottom line",
    render=render,
    new_page=False,
)
