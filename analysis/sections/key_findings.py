"""The key findings: the composite's phase and trend, then the findings the dimension sections offer,
ranked by how much their metrics moved against the preceding period."""

from __future__ import annotations

import html
from typing import Any

from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes, paragraph
from analysis.render.formats import (
    count,
    index_points,
    plural,
    share_of_draws,
    slope,
)
from analysis.sections.base import (
    Section,
)

FINDINGS_LIMIT = 6


def _banded(comp: dict[str, Any], which: str, q: Quotes) -> str:
    """'+4.5 (second-highest fifth; 80% of draws +1.4 to +5.7)' for the first or last year."""
    value = q(f"composite.{which}_value", comp[f"{which}_value"], index_points)
    text = f"{value} ({comp[f'{which}_band']}"
    bands = comp.get(f"{which}_q")
    if bands:
        lo = q(f"composite.{which}_q10", bands["q10"], index_points)
        hi = q(f"composite.{which}_q90", bands["q90"], index_points)
        text += f"; 80% of draws {lo} to {hi}"
    return text + ")"


def phase_sentence(
    comp: dict[str, Any], dip_now: dict[str, Any], dip_before: dict[str, Any], q: Quotes
) -> str:
    """Composite value, band and 80 % band at the start and end of the range, whether the change
    between them is clear in the draws, and the designation."""
    monthly = comp.get("resolution") == "month"
    if not comp.get("years"):
        unit = "monthly" if monthly else "yearly"
        return f"The composite index has no {unit} value inside this range."
    last = _banded(comp, "last", q)
    q("composite.first_year", comp["first_year"], str)
    q("composite.last_year", comp["last_year"], str)
    a = comp.get("first_label", str(comp["first_year"]))
    b = comp.get("last_label", str(comp["last_year"]))
    if monthly:
        q("composite.first_month", a, str)
        q("composite.last_month", b, str)
    what = "The monthly composite index" if monthly else "The composite index"
    if a == b:
        text = f"{what} stood at {last} in {b}"
    else:
        first = _banded(comp, "first", q)
        text = f"{what} moved from {first} in {a} to {last} in {b}"
        p = comp.get("p_last_above_first")
        if p is not None:
            share = q("composite.p_last_above_first", p, share_of_draws)
            verdict = {"rise": "a clear rise", "fall": "a clear fall"}.get(
                comp.get("change"), "no clear change"
            )
            text += (
                f": {verdict}, {comp['last_year']} being above {comp['first_year']} in {share} "
                "of the draws"
            )
    level = dip_now.get("level_end")
    if level is not None:
        q("diplomatic.level_end", level, str)
        text += f"; the official designation in force at the end was level {level}, “{dip_now['designation_end']}”"
        changes = dip_now.get("designation_changes", 0)
        if changes:
            text += f" ({q('diplomatic.designation_changes', changes, count)} {plural(changes, 'change')} in the range)"
    return text + "."


def trend_sentence(comp: dict[str, Any], q: Quotes) -> str:
    """The trend verdict read from the draws, the robust change points inside the range, and
    the range's highest year against its runner-up."""
    tr = comp["trend"]
    if tr["verdict"] == "not measurable":
        return f"Trend: not measurable — {tr['reason']}."
    s = q("composite.trend_slope", tr["slope"], slope)
    lo = q("composite.trend_low", tr["low"], slope)
    hi = q("composite.trend_high", tr["high"], slope)
    q("composite.trend_n", tr["n"], str)
    text = (
        f"Trend: {tr['verdict']} — the Theil–Sen slope is {s} index points a year "
        f"(95% interval {lo} to {hi}, {tr['n']} {tr.get('unit', 'yearly')} values"
    )
    if tr.get("unit") == "monthly":
        text += "; monthly values are autocorrelated, so the interval is too narrow"
    if tr.get("share_up") is not None:
        up = q("composite.trend_share_up", tr["share_up"], share_of_draws)
        down = q("composite.trend_share_down", tr["share_down"], share_of_draws)
        text += f"; beyond the threshold upwards in {up} of the draws, downwards in {down}"
    text += ")"
    if comp.get("breaks_in_range"):
        years = ", ".join(str(b) for b in comp["breaks_in_range"])
        if comp.get("resolution") == "month":
            text += (
                "; the change-point search on the monthly series (segments of at least six "
                f"months) finds a regime break in {years}"
            )
        else:
            text += (
                f"; a change point that survives the penalty range and the draws falls in {years}"
            )
    if comp.get("p_peak") is not None:
        q("composite.peak_year", comp["peak_year"], str)
        q("composite.runner_up", comp["runner_up"], str)
        p = q("composite.p_peak", comp["p_peak"], share_of_draws)
        text += (
            f". The range's highest year, {comp['peak_year']}, is above the next highest, "
            f"{comp['runner_up']}, in {p} of the draws"
        )
    return text + "."


def scale_sentence(series, q: Quotes) -> str:
    """What the −9..+9 scale means, in one plain sentence, with the observed extremes."""
    low, high = int(series.idxmin()), int(series.idxmax())
    lo = q("composite.record_low", float(series.min()), index_points)
    hi = q("composite.record_high", float(series.max()), index_points)
    return (
        "The index is relative to the record of China–Russia, China–USA and Russia–USA since "
        "1989, measured alike: −9 would be a year with every component at the lowest value any "
        "of the three pairs had, +9 one with every component at the highest (China–Russia "
        f"observed: {lo} in {low} to {hi} in {high}); it is not Tsinghua University's absolute "
        "scale."
    )


def key_findings(facts, q: Quotes, offered, limit: int = FINDINGS_LIMIT) -> list[str]:
    """At most ``limit`` findings: phase, trend, then the offered section findings whose metrics
    moved most against the preceding period. ``offered``: (section key, Finding) pairs."""
    c, p = facts.current, facts.prior
    findings = [
        phase_sentence(facts.composite, c["diplomatic"], p["diplomatic"], q),
        trend_sentence(facts.composite, q),
    ]
    ranked = sorted(offered, key=lambda kf: (-kf[1].salience(c[kf[0]], p[kf[0]]), kf[1].rank))
    for key, finding in ranked:
        if len(findings) >= limit:
            break
        sentence = finding.sentence(c[key], p[key], q)
        if sentence:
            findings.append(sentence)
    return findings[:limit]


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.sections import SECTIONS

    offered = [(s.key, f) for s in SECTIONS for f in s.findings]
    found = key_findings(ctx.facts, doc.quotes, offered)
    items = "".join(f"<li>{html.escape(t)}</li>" for t in found)
    scale = paragraph(scale_sentence(ctx.result.series(), doc.quotes))
    return [scale, f'<ul class="findings">{items}</ul>']


SECTION = Section(key="key_findings", title="Key findings", render=render, new_page=False)
