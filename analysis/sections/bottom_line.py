"""The bottom line: a few sentences on what the briefing's numbers mean, each made by a stated rule and
pointing to the section that shows its numbers."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from analysis.render.context import BriefingContext
from analysis.render.document import Document
from analysis.sections.base import (
    Section,
)

FIRM = 0.9

LIKELY = 0.6

MIN_POINTS = 0.25

ARMS_FALL = 0.5  # |log ratio| ≥ 0.5: about ×1.65 or ÷1.65


def section_of(key: str | None) -> str:
    """The section that shows a component's record (its declaration says), or the method
    section when no component is named; an unknown key raises."""
    if key is None:
        return "method"
    from analysis.model.components import component

    return component(key).section


RULES: tuple[tuple[str, str], ...] = (
    ("standing", "the composite's last value and band in the range; with uncertainty draws, "
     f"'firmly' when ≥ {FIRM:.0%} of the draws share the band, 'probably' from {LIKELY:.0%}, "
     "else not settled; without draws, the band of the point estimate"),
    ("change", "the Theil–Sen trend verdict of the range with slope and 95% interval; with "
     "draws, the share in which the last year is above the first; change points in the range"),
    ("drivers", "each component's contribution to the change between the first and last year: "
     "its year-by-year changes 18·wᵢ·Δxᵢ/Σw over the components present in both years of each "
     "step, summed (they add up to the index's change); drivers: the two largest in the "
     f"direction of the change (≥ {MIN_POINTS} points), laggards: against it by as much; with a "
     "stable trend, the largest up and down"),
    ("lagging", "SIPRI arms deliveries in the range against the preceding period (|log ratio| ≥ "
     f"{ARMS_FALL} lags or rises, else within that factor); investment: not measured, no "
     "dataset"),
    ("triangle", "with the triangle's inputs only: each dyad's movement (warmed / cooled / no "
     "clear move, the triangle section's rule) and the triangle's shape read from them; without "
     "them, no sentence"),
)  # fmt: skip


@dataclass(frozen=True)
class Line:
    rule: str
    text: str
    section: str  # the section key the sentence points to


def _pts(x: float) -> str:
    return f"{x:+.1f}".replace("-", "−")


def standing(f: dict[str, Any]) -> Line | None:
    c = f.get("composite") or {}
    if not c.get("years"):
        return None
    text = (
        f"Where it stands: the composite index was {_pts(c['last_value'])} on the −9..+9 scale in "
        f"{c['last_year']}, in the {c['last_band']} of the scale"
    )
    band = f.get("band")
    if band and band.get("p_band") is not None:
        p = band["p_band"]
        share = f"{p:.0%} of the uncertainty draws fall in that band"
        interval = f"95% interval {_pts(band['low'])} to {_pts(band['high'])}"
        if p >= FIRM:
            text += f" — firmly: {share} ({interval})"
        elif p >= LIKELY:
            text += f" — probably: {share} ({interval})"
        else:
            text += f" — not settled: only {share}, and the {interval} spans other bands"
    else:
        text += " (the band of the point estimate; no uncertainty draws at this resolution)"
    return Line("standing", text + ".", "phase_timeline")


def change(f: dict[str, Any]) -> Line | None:
    c = f.get("composite") or {}
    tr = c.get("trend") or {}
    if not c.get("years"):
        return None
    if tr.get("verdict") in (None, "not measurable"):
        text = f"What changed: no trend can be measured ({tr.get('reason') or 'too few years'})"
    else:
        text = (
            f"What changed: from {_pts(c['first_value'])} in {c['first_year']} to "
            f"{_pts(c['last_value'])} in {c['last_year']}, a {tr['verdict']} trend (Theil–Sen "
            f"{_pts(tr['slope'])} points a year, 95% interval {_pts(tr['low'])} to {_pts(tr['high'])})"
        )
        if tr["verdict"] in ("stable", "no clear trend"):
            text = text.replace(f"a {tr['verdict']} trend", "no clear trend")
    p_up = f.get("p_up")
    if p_up is not None and c["first_year"] != c["last_year"]:
        text += f"; the last year is above the first in {p_up:.0%} of the uncertainty draws"
    if c.get("breaks_in_range"):
        text += "; the change-point search finds a break in " + ", ".join(
            str(b) for b in c["breaks_in_range"]
        )
    return Line("change", text + ".", "phase_timeline")


def drivers(f: dict[str, Any]) -> Line | None:
    contrib = {k: v for k, v in (f.get("contributions") or {}).items() if v is not None}
    c = f.get("composite") or {}
    if not contrib or not c.get("years") or c["first_year"] == c["last_year"]:
        return None
    labels = f.get("labels") or {}
    verdict = (c.get("trend") or {}).get("verdict")
    direction = {"warming": 1, "cooling": -1}.get(verdict, 0)
    ranked = sorted(contrib.items(), key=lambda kv: kv[1], reverse=True)

    def name(items):
        return " and ".join(f"{labels.get(k, k)} {_pts(v)}" for k, v in items)

    if direction == 0:
        up = [kv for kv in ranked if kv[1] >= MIN_POINTS][:1]
        down = [kv for kv in ranked[::-1] if kv[1] <= -MIN_POINTS][:1]
        if not up and not down:
            text = (
                f"Drivers: no component moved the index by {MIN_POINTS} points or more between "
                f"{c['first_year']} and {c['last_year']}"
            )
            return Line("drivers", text + ".", "method")
        parts = []
        if up:
            parts.append(f"{name(up)} pulled it up")
        if down:
            parts.append(f"{name(down)} pulled it down")
        text = (
            f"Drivers from {c['first_year']} to {c['last_year']} (contributions in index points): "
            + "; ".join(parts)
        )
        key = (up or down)[0][0]
        return Line("drivers", text + ".", section_of(key))
    along = [kv for kv in ranked[::direction] if kv[1] * direction >= MIN_POINTS][:2]
    against = [kv for kv in ranked[::-direction] if kv[1] * direction <= -MIN_POINTS][:2]
    word = "warming" if direction > 0 else "cooling"
    if along:
        text = (
            f"What drove the {word} from {c['first_year']} to {c['last_year']} (contributions in "
            f"index points): {name(along)}"
        )
    else:
        text = f"No single component moved the index by {MIN_POINTS} points towards the {word}"
    text += (
        f"; lagging against it: {name(against)}"
        if against
        else "; no component pulled the other way"
    )
    key = along[0][0] if along else None
    return Line("drivers", text + ".", section_of(key))


def lagging(f: dict[str, Any]) -> Line | None:
    import math

    arms = f.get("arms") or {}
    now, before = arms.get("now"), arms.get("before")
    text = "Outside the index: "
    if now is not None and before is not None and now > 0 and before > 0:
        r = math.log(now / before)
        verb = (
            "lagged"
            if r <= -ARMS_FALL
            else "rose"
            if r >= ARMS_FALL
            else f"stayed within ×{math.exp(ARMS_FALL):.2f} of the preceding period"
        )
        text += (
            f"Russian arms deliveries to China {verb} ({now:,.0f} million SIPRI TIV in the range "
            f"against {before:,.0f} in the preceding period)"
        )
    elif now is not None:
        text += (
            f"SIPRI records {now:,.0f} million TIV of Russian arms deliveries to China in the "
            "range, with no preceding period to compare"
        )
    else:
        text += "no SIPRI deliveries cover the range"
    text += "; investment is not measured (the briefing holds no investment data)"
    return Line("lagging", text + ".", "military")


SHAPES = {
    "drew_together_against_usa": "the two drew together while each fell out with Washington",
    "both_us_cooled": "both fell out with Washington without drawing clearly closer",
    "drew_together": "the two drew together, without both falling out with Washington",
    "unchanged": "no side of the triangle moved clearly",
    "mixed": "only some of its sides moved clearly, or in different directions",
}


def triangle(f: dict[str, Any]) -> Line | None:
    tri = f.get("triangle")
    if not tri or not tri.get("verdicts"):
        return None
    names = {"CHN-RUS": "China–Russia", "CHN-USA": "China–USA", "RUS-USA": "Russia–USA"}
    if all(v in ("not measurable", "no data") for v in tri["verdicts"].values()):
        text = "The triangle: too few yearly values in the range to read a movement of any pair"
        return Line("triangle", text + ".", "triangle")
    parts = [f"{names.get(k, k)} {v}" for k, v in tri["verdicts"].items()]
    text = "The triangle: " + ", ".join(parts)
    if tri.get("shape") in SHAPES:
        text += f" — {SHAPES[tri['shape']]}"
    return Line("triangle", text + ".", "triangle")


def bottom_line(facts: dict[str, Any]) -> list[Line]:
    """Every rule's sentence that the facts support, in the order of :data:`RULES`."""
    out = [rule(facts) for rule in (standing, change, drivers, lagging, triangle)]
    return [line for line in out if line is not None]


def band_share(draws, year: int, value: float) -> dict | None:
    """Share of the draws of ``year`` in the band of ``value`` (as printed, one decimal), and
    the 95% interval of the draws; None without draws of that year."""
    from analysis.model.phases import BANDS, band

    if draws is None or year not in draws.columns:
        return None
    col = draws[year].dropna()
    if col.empty:
        return None
    name = band(round(float(value), 1))
    lo, hi = next((lo, hi) for lo, hi, n in BANDS if n == name)
    top = BANDS[-1][2] == name
    inside = (col >= lo) & ((col <= hi) if top else (col < hi))
    return {
        "p_band": float(inside.mean()),
        "low": float(col.clip(-9, 9).quantile(0.025)),  # within the scale, as bands() prints
        "high": float(col.clip(-9, 9).quantile(0.975)),
    }


def inputs_from(ctx, band: dict | None = None, p_up=None, triangle_verdicts=None) -> dict:
    """The plain facts of the rules, from a briefing context: the composite facts, the
    components' contributions, arms; from the uncertainty draws where the briefing has them (the
    band share and interval of the last year, the share of draws with a rise); the triangle's
    dyad verdicts when given."""
    from analysis.model.components import LABELS

    comp = ctx.facts.composite
    draws = getattr(ctx.facts, "draws", None)
    if comp.get("resolution") == "month":  # the draws and contributions are yearly: say less
        draws, p_up = None, None
        comp = {**comp, "first_year": comp.get("first_label"), "last_year": comp.get("last_label")}
    if band is None and comp.get("years"):
        band = band_share(draws, comp["last_year"], comp["last_value"])
    if p_up is None:
        p_up = comp.get("p_last_above_first")
    out: dict[str, Any] = {"composite": comp, "labels": dict(LABELS), "band": band, "p_up": p_up}
    if comp.get("years") and comp.get("resolution") != "month":
        from analysis.model.composite import contributions

        out["contributions"] = contributions(ctx.result, comp["first_year"], comp["last_year"])
    mil_now, mil_before = ctx.facts.current["military"], ctx.facts.prior["military"]
    out["arms"] = {"now": mil_now.get("arms_tiv"), "before": mil_before.get("arms_tiv")}
    out["triangle"] = triangle_verdicts
    return out


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
        if line.section not in titles:
            raise KeyError(f"bottom line: {line.rule} points to no section {line.section!r}")
        title = titles[line.section]
        see = f' <span class="see">(see {html.escape(title)})</span>' if title else ""
        items.append(f"<li>{html.escape(line.text)}{see}</li>")
    return [f'<ul class="bottom-line">{"".join(items)}</ul>']


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.sections import SECTIONS

    return bottom_line_section(ctx, doc, {s.key: s.title for s in SECTIONS})


SECTION = Section(
    key="bottom_line",
    title="Bottom line",
    intro="What the numbers mean, each sentence made by a rule stated under Method and "
    "pointing to the section that shows it.",
    render=render,
    new_page=False,
)
