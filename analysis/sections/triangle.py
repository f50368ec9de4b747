"""The triangle section: China–Russia, China–USA and Russia–USA on one scale — how each moved over
the range, the chart of the three, and the shape of the triangle."""

from __future__ import annotations

from functools import partial
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis.model import triangle as TM
from analysis.model import uncertainty as U
from analysis.model.components import BY_KEY, LABELS, MIN_COMPONENTS, datasets_of, number_word
from analysis.model.composite import Measure
from analysis.model.dyads import DYADS, NAMES
from analysis.model.phases import MIN_CHANGE, TREND_DRAW_SHARE, TREND_MIN_POINTS
from analysis.render import figures as F
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes, paragraph
from analysis.render.formats import (
    index_points,
)
from analysis.sections.base import (
    Section,
)

STYLE = {
    "CHN-RUS": (F.INK, "o", "-"),
    "CHN-USA": (F.BLUE, "s", "--"),
    "RUS-USA": (F.ORANGE, "^", ":"),
}


def _key(dyad: str) -> str:
    return dyad.lower().replace("-", "_")


def _datasets(result: Measure) -> list[str]:
    return datasets_of(tuple(BY_KEY[k] for k in result.weights))


def triangle_figure(result: Measure, *, start, end, prev_start) -> Figure:
    """The three composites by year with their 95 % bands, from the preceding period's first
    year to the range's last; a missing year breaks the line."""
    fig, (ax,) = F.new_axes(rows=1, height=2.3)
    F.mark_range(ax, start, end, prev_start)
    first, last = prev_start.year, end.year
    years = list(range(first, last + 1))
    for d in DYADS:
        colour, marker, ls = STYLE[d]
        s = result.index[d]["composite"].reindex(years)
        band = TM.band_of(result.draws[d]).reindex(years)
        ax.fill_between(years, band["low"], band["high"], color=colour, alpha=0.12, lw=0)
        ax.plot(years, s.to_numpy(), color=colour, ls=ls, lw=1.3, label=NAMES[d])
        ax.plot(years, s.to_numpy(), color=colour, marker=marker, ms=2.8, lw=0)
    ax.axhline(0, color=F.GREY, lw=0.6)
    ax.set_ylim(-12, 12)
    ax.set_ylabel("Composite index (−9..+9)")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title("The three dyads on one scale")
    F.legend(ax, ncol=3, right=True)
    return fig


def _fmt(x: Any, f) -> str:
    return "n/a" if x is None or (isinstance(x, float) and pd.isna(x)) else f(x)


def triangle_table(facts: dict[str, dict], q: Quotes) -> pd.DataFrame:
    """Dyad | years (n) | level at the end (95 % band) | change over the range | draws | verdict."""
    rows = []
    for d in DYADS:
        f, k = facts[d], f"triangle.{_key(d)}"
        n = q(f"{k}.n", f["n"], str)
        if f["n"] == 0:
            rows.append(
                {
                    "Dyad": NAMES[d],
                    "Years (n)": n,
                    "Level at end (95% band)": "no data",
                    "Change over the range (trend)": "—",
                    "Draws with that sign": "—",
                    "Verdict": "no data",
                }
            )
            continue
        years = f"{f['first_year']}–{f['last_year']}"
        level = q(f"{k}.level", f["level"], index_points)
        lo, hi = q(f"{k}.low", f["low"], index_points), q(f"{k}.high", f["high"], index_points)
        change = q(f"{k}.change", f.get("change"), lambda v: _fmt(v, index_points))
        share = f["p_down"] if (f.get("change") or 0) < 0 else f["p_up"]
        shown = q(f"{k}.sign_share", share, lambda v: _fmt(v, lambda x: f"{x:.0%}"))
        trend = "—" if change == "n/a" else change
        rows.append(
            {
                "Dyad": NAMES[d],
                "Years (n)": f"{years} ({n})",
                "Level at end (95% band)": f"{level} in {f['last_year']} ({lo} to {hi})",
                "Change over the range (trend)": trend,
                "Draws with that sign": shown,
                "Verdict": q(f"{k}.verdict", f["verdict"], str),
            }
        )
    return pd.DataFrame(rows)


SHAPES = {
    "drew_together_against_usa": "The triangle took the shape the Time News article describes: "
    "China and Russia drew together while each one's relations with the United States "
    "deteriorated.",
    "both_us_cooled": "Both US dyads cooled while China–Russia did not clearly warm: the triangle "
    "changed through Washington's two relationships, not through Beijing and Moscow drawing "
    "together.",
    "drew_together": "China–Russia warmed without both US dyads cooling.",
    "unchanged": "No dyad moved clearly, so the triangle kept its shape over the range.",
    "mixed": "Only some dyads moved.",
}


def _why_not(f: dict) -> str:
    """Why a measured dyad did not move (the movement rule's failing test)."""
    if f["verdict"] == "held steady":
        return f"the draws agree on its sign, but it is under {MIN_CHANGE:g} point"
    return f"neither a rise nor a fall has {TREND_DRAW_SHARE:.0%} of the draws"


def _movement(f: dict, q: Quotes) -> str:
    name, k = f["name"], f"triangle.{_key(f['dyad'])}"
    if f["verdict"] == "no data":
        return f"{name} has no composite value in the range"
    if f["verdict"] == "not measurable":
        n = q(f"{k}.n", f["n"], number_word)
        return f"{name} has {n} yearly values, too few for a trend"
    phrase = TM.trend_phrase(f)
    if f["verdict"] in ("warmed", "cooled"):
        return f"{name} {f['verdict']} ({phrase})"
    verb = "held steady" if f["verdict"] == "held steady" else "did not move clearly"
    return f"{name} {verb} ({phrase}; {_why_not(f)})"


def shape_paragraph(facts: dict[str, dict], period_label: str, q: Quotes) -> str:
    """Which dyad moved, in which direction, how sure; the shape; the levels at the end."""
    kind = TM.shape(facts)
    moves = [_movement(facts[d], q) for d in DYADS]
    years = {(f["first_year"], f["last_year"]) for f in facts.values() if f["n"]}
    span = ""
    if years:
        first, last = min(y[0] for y in years), max(y[1] for y in years)
        span = f" (yearly values {first}–{last})"
    text = f"Over {period_label}{span}, " + "; ".join(moves[:-1]) + f"; and {moves[-1]}. "
    movers = [
        f"{NAMES[d]} ({facts[d]['verdict']})"
        for d in DYADS
        if facts[d]["verdict"] in ("warmed", "cooled")
    ]
    text += SHAPES[kind] if kind != "mixed" else (f"Only {' and '.join(movers)} moved clearly.")
    have = [d for d in DYADS if facts[d]["n"]]
    if have:
        ends = [
            f"{NAMES[d]} {index_points(facts[d]['level'])} in {facts[d]['last_year']} "
            f"(95% band {index_points(facts[d]['low'])} to {index_points(facts[d]['high'])})"
            for d in have
        ]
        text += " At the end of the range the levels were " + "; ".join(ends) + "."
    return text


def no_data_sentence(dyad: str, period_label: str) -> str:
    return (
        f"{NAMES[dyad]} has no composite value in {period_label}: a year needs "
        f"{number_word(MIN_COMPONENTS)} components and the data of this dyad do not give them in "
        "any year wholly inside the range."
    )


def definition() -> tuple[str, str]:
    """The method section's statement of the triangle's rules."""
    kept = "; ".join(LABELS[k] for k in LABELS)
    return (
        "Triangle",
        f"China–Russia, China–USA and Russia–USA are measured alike by the same components "
        f"({kept}), normalised together, so the China–Russia index is the same in every section. "
        "Bands: the 95% interval of draws of the weights (Dirichlet, one weighting of all three "
        "dyads per draw) and of the counts, shares and agreement coefficients. A dyad warmed "
        f"(cooled) when the change over the range's whole years implied by each draw's "
        f"Theil–Sen trend is a rise (a fall) in at least {TREND_DRAW_SHARE:.0%} of the draws and "
        f"at least {MIN_CHANGE:g} point at the median; held steady when the draws agree on the "
        f"sign of a smaller change; no clear move when they are split (fewer than "
        f"{number_word(TREND_MIN_POINTS)} yearly values: not measurable). Shape: China–Russia "
        "warmed and both US dyads cooled; both US dyads cooled alone; China–Russia warmed alone; "
        "no dyad moved; otherwise mixed.",
    )


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    result = ctx.step.yearly
    facts = TM.triangle_facts(result, ctx.facts.period)
    label = ctx.facts.period.label
    names = _datasets(result)
    make = partial(
        triangle_figure, result, start=ctx.start, end=ctx.end, prev_start=ctx.window_start
    )
    caption = (
        "The composite index of each dyad by year, on one −9..+9 scale "
        f"({number_word(len(result.weights))} components measured alike for the three dyads), "
        f"with its 95% band ({U.N_DRAWS:,} draws of the weights and of the counts and shares). "
        "Shaded: the range (blue) and the preceding period of equal length (grey)."
    )
    doc.quotes("triangle.n_draws", U.N_DRAWS, lambda v: f"{v:,}")
    parts = [paragraph(shape_paragraph(facts, label, doc.quotes))]
    parts += [paragraph(no_data_sentence(d, label)) for d in DYADS if facts[d]["n"] == 0]
    parts.append(doc.figure_later(lambda: (make(), caption), names))
    table = triangle_table(facts, doc.quotes)
    parts.append(
        doc.table(
            table,
            "Each dyad in the range: the composite in its last year wholly inside the range with "
            "its 95% band; the change over the range's whole years implied by the Theil–Sen trend; "
            "the share of draws with a change of that sign; the verdict (rule in Annex A). "
            f"Sources: those of Figure {doc.figures}.",
            css="briefing-table small",
        )
    )
    return parts


def finding(ctx: BriefingContext) -> str:
    from analysis.sections.bottom_line import judgement

    return judgement(ctx, "us_relations")


SECTION = Section(
    key="triangle",
    title="The strategic triangle",
    new_page=False,
    finding=finding,
    render=render,
)
