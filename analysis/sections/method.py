"""The method section: the definitions of the composite and its components (from their registry),
the weights, the leave-one-out and change-point robustness tables, the data used and the coverage notes."""

from __future__ import annotations

import html

import pandas as pd

from analysis.model import judgements as J
from analysis.model.change_points import (
    MONTHLY_MIN_SEGMENT,
    ROBUST_DRAW_SHARE,
    ROBUST_MULTIPLIERS,
    ROBUST_TOLERANCE,
)
from analysis.model.components import COMPONENTS, LABELS, MIN_COMPONENTS, datasets_of, number_word
from analysis.model.composite import HEADLINE, leave_one_out
from analysis.model.periods import MONTHLY_MAX_YEARS
from analysis.model.phases import (
    BANDS,
    MIN_CHANGE,
    TREND_DRAW_SHARE,
    TREND_MIN_POINTS,
)
from analysis.model.uncertainty import CONCENTRATION, SEED
from analysis.render import figures as F
from analysis.render.context import BriefingContext
from analysis.render.document import Document, note
from analysis.render.formats import index_points
from analysis.sections.base import Section, _cell
from analysis.sections.triangle import definition as triangle_definition
from analysis.sections.validation import (
    method_uncertainty_parts,
)


def _components_definition() -> str:
    pooled = [c for c in COMPONENTS if c.kind == "ratio" and c.window_months]
    parts = [
        "each component is measured alike for China–Russia, China–USA and Russia–USA by year, "
        "and min–max normalised over the pooled values of the three dyads from 1989 to the end "
        "of the data, (x − min)/(max − min), turned round where a higher value is cooler "
        "(ideal-point distance), never over the requested range, so every briefing places a year "
        "at the same value and the three dyads on one scale; index = −9 + 18 · Σ wᵢxᵢ / Σ wᵢ over "
        f"the components present that year (at least {number_word(MIN_COMPONENTS)} of "
        f"{number_word(len(COMPONENTS))})."
    ]
    if HEADLINE == "chain-linked":
        parts.append(
            " The printed index is chain-linked: each year's change is computed from the "
            "components present in both that year and the year before (weights re-normalised "
            "over them), the changes are cumulated and the chain is anchored at the last year "
            "with a value; so a component that enters, leaves or misses a year (the General "
            "Assembly's per-vote record is missing for 2020–24, its ideal points after 2023) "
            "does not move the index by doing so."
        )
    if pooled:
        windows = sorted({c.pooling for c in pooled})
        parts.append(
            f" Ratios ({', '.join(c.noun for c in pooled)}) are pooled over {' or '.join(windows)};"
            " counts are blank in years a dataset covers only in part."
        )
    return "".join(parts)


def definitions() -> list[tuple[str, str]]:
    """(term, definition) pairs of the method section, from the registries and the constants."""

    def edge(x: float) -> str:
        return f"{x:g}".replace("-", "−")

    bands = ", ".join(
        f"[{edge(lo)},{edge(hi)}{']' if i == len(BANDS) - 1 else ')'} {name}"
        for i, (lo, hi, name) in enumerate(BANDS)
    )
    components = "; ".join(
        f"{c.label} ({c.dimension}): {c.definition}"
        + (f", over {c.pooling}" if c.window_months and c.window_months != 12 else "")
        + f" (following {c.literature})"
        for c in COMPONENTS
    )
    return [
        ("Composite index", _components_definition()),
        ("Components", components + "."),
        (
            "Bands",
            f"equal fifths of the −9..+9 scale, half-open: {bands}. The scale is relative to the "
            "post-1989 record of the three pairs (−9: every component at the lowest value any "
            "pair had; +9: every one at the highest); the names say where a year stands on it, "
            "not how good relations are in absolute terms, and are not Tsinghua's absolute "
            "bands.",
        ),
        (
            "Trend",
            "Theil–Sen slope of the yearly index inside the range (its 95% interval printed); "
            f"the verdict is read from the draws (below); not measurable with fewer than "
            f"{number_word(TREND_MIN_POINTS)} yearly values. A short range uses the monthly "
            "index, in points a year, with the interval's verdict and no draws (monthly values "
            "are autocorrelated, so that interval is too narrow).",
        ),
        (
            "Change points",
            "ruptures PELT, l2 cost, jump 1, minimum segment 2 years (on the monthly series "
            f"{number_word(MONTHLY_MIN_SEGMENT)} months); penalty σ̂²·log n with σ̂ "
            "the median absolute first difference / 0.6745 / √2; a sensitivity table follows, "
            "then the test each change point must pass to count as a finding.",
        ),
        procedure(),
        (
            "Resolution",
            f"a range shorter than {number_word(MONTHLY_MAX_YEARS)} years (365.25 days each) is drawn and "
            "described month by month: the monthly composite (every component evaluated at each "
            "month's end over its own trailing window, normalised over the monthly history from "
            "January 1989 to the last complete month), monthly counts of meetings, vetoes, votes "
            "and exercises, and trade from China's customs' monthly releases (a month = the "
            "difference of two consecutive year-to-date values; January–February as published); "
            "longer ranges are drawn by year.",
        ),
        (
            "A range means what it says",
            "yearly values (trade, SIPRI deliveries, the yearly composite) count only for years "
            "wholly inside the range, monthly values only for months wholly inside it, so a year "
            "is never in both the range and the preceding period; dated data (events, vetoes, "
            "votes, exercises) count on the days of the range, and a year covered in part is "
            "labelled with its days ('2023 to 28 February'). Charts start and end at the range; "
            "the designation and official-phase tables are cut to it, with the state at its "
            "start as their first row. A briefing written as of an earlier day uses every dataset "
            "as it stood on that day; each published claim is checked on the data as they stood "
            "on its source's date.",
        ),
        (
            "UN alignment",
            "every recorded General Assembly vote; votes the record marks as on an amendment "
            "or a separate paragraph are left out, as in the Bailey–Strezhnev–Voeten agreement "
            "scores, but the record marks them only before 1985 and for a few later votes, so "
            "from 1985 such votes are mostly counted: "
            "identical share = identical votes / votes both cast; half-credit agreement gives ½ "
            "when one abstains (the S score with three categories and d_max = 2 is 2·A_half − 1, "
            "so only the first is printed); Cohen's κ = (p_o − p_e)/(1 − p_e) with p_e from each "
            "member's own vote distribution (Häge 2011), 0 = agreement expected by chance. "
            "Per-vote data to January 2020 (unvotes) and for 2025 (UN Digital Library); session "
            "aggregates (BSV) for 2020–24, labelled as such. Votes on Ukraine (the eleventh "
            "emergency special session and Crimea resolutions) are counted apart. The curated key "
            "roll calls are an annex of votes that drew attention, not the measure. Joint veto = "
            "the same draft vetoed by China and the USSR/Russia; joint share = joint / China's.",
        ),
        triangle_definition(),
        (
            "Events",
            "Goldstein (1992) weights from the CAMEO lookup table; QuadClass 1–2 cooperative, 3–4 "
            "conflictual; net cooperation = (cooperative − conflictual) / N.",
        ),
        (
            "Economic",
            "China's customs figures in current US dollars; CAGR = (last/first)^(1/years) − 1 "
            "over the years with a reported total; balance = China's exports − imports.",
        ),
        (
            "Energy and money",
            "yearly figures count for years wholly inside the range, and each sentence quotes the "
            "first and last year with a figure and names the years without one (nothing is "
            "interpolated); Russia's share of China's crude imports = imports from Russia / all "
            "crude imports where both volumes exist, else the share a source states; a trade "
            "share a source does not state = China's customs bilateral total / the other side's "
            "total trade (two reporters' statistics); the yuan's shares are monthly Bank of "
            "Russia figures as reported. No energy-dependence component enters the composite: "
            "crude volumes exist for 2005 and 2017–2025 only, shares from 2018, the trade shares "
            "for six scattered years, so a component would be blank for most of 1989–2016 and "
            "its entry would move the index by construction rather than by the relationship.",
        ),
        (
            "Bottom line",
            "each judgement states a movement only where the movement rule calls one (one sign "
            f"in {TREND_DRAW_SHARE:.0%} of the draws and a change of at least {MIN_CHANGE:g} "
            "point at the median); its confidence word comes from the share of draws agreeing "
            f"with it (“almost certainly” ≥ {J.ALMOST_CERTAINLY:.0%}, “likely” ≥ "
            f"{J.LIKELY:.0%}, else “unclear”); the drivers named are the two components whose "
            f"contributions moved the index most in that direction (at least "
            f"{J.DRIVER_POINTS} point each); where it stood is the fifth of the scale of the "
            "last year ended in the range, with the share of draws in that fifth.",
        ),
    ]


def definitions_html() -> str:
    items = "".join(f"<li><b>{html.escape(k)}:</b> {html.escape(v)}</li>" for k, v in definitions())
    return f'<ul class="refs">{items}</ul>'


def procedure() -> tuple[str, str]:
    """The (term, definition) of the method section's uncertainty entry."""
    return (
        "Uncertainty",
        f"each briefing draws the composite 1,000 times (numpy default_rng, seed {SEED}): (a) "
        f"the weights from a Dirichlet distribution centred on the defaults, concentration "
        f"{CONCENTRATION:g} (a weight of 0.15 varies with a standard deviation of about 0.08); "
        "(b) each count component (leader contacts, joint exercises) from Poisson(observed "
        "count), the share of Security Council votes alike from Binomial(votes, share)/votes, "
        "the balance of official acts from 2·Binomial(N, (1 + r)/2)/N − 1 with N the acts of "
        "its window, and κ from a normal distribution with its large-sample standard error; "
        "ideal points, trade shares and framing are reported figures and keep their values. "
        "Each draw is placed on the observed scale of the three dyads (the observed lows and "
        "highs fix it) and chain-linked as the index is. Bands: the 10th–90th (80%) and "
        "2.5th–97.5th (95%) percentiles of the draws. A comparison is the share of draws in "
        "which one year is above the other; a change is clear when that share is at least 90% "
        "(or at most 10%), otherwise no clear change. The trend is warming (cooling) when at "
        f"least {TREND_DRAW_SHARE:.0%} of the draws' Theil–Sen trends imply a rise (a fall) over "
        f"the range and the median implied change is at least {MIN_CHANGE:g} point; stable when "
        "the draws agree on a smaller change; otherwise no clear trend. A change point is a "
        "finding when PELT finds it at "
        + ", ".join(f"{m:g}×" for m in ROBUST_MULTIPLIERS)
        + f" the default penalty and more than {ROBUST_DRAW_SHARE:.0%} of the draws (each "
        "segmented exactly, by optimal partitioning, at its own default penalty) have a break "
        f"within ±{ROBUST_TOLERANCE} year of it. Independent yearly draws of the three-year "
        "windows and Poisson counts for scheduled meetings both err on the wide side.",
    )


def leave_one_out_table(
    loo: pd.DataFrame, labels: dict[str, str], weights: dict[str, float]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Component dropped": loo["component"].map(lambda c: labels.get(c, c)),
            "Weight": loo["component"].map(lambda c: f"{weights[c]:.2f}"),
            "Mean shift (points)": loo["mean_shift"].map(lambda x: _cell(x, index_points)),
            "Largest shift": loo["max_abs_shift"].map(lambda x: _cell(x, lambda v: f"{v:.1f}")),
            "Index in the last year without it": loo["end_value"].map(
                lambda x: _cell(x, index_points)
            ),
        }
    )


def leave_one_out_html(loo: pd.DataFrame, weights: dict[str, float], doc: Document) -> str:
    """The leave-one-out table, or one sentence when no year of the index lies in the range."""
    if loo.empty or loo["mean_shift"].isna().all():
        return note(
            "Leave-one-out: the index has no yearly value inside this range, so the effect of "
            "dropping a component cannot be measured here."
        )
    return doc.table(
        leave_one_out_table(loo, LABELS, weights),
        "Leave-one-out: how the index over the range moves when each component is dropped.",
        numeric=[
            "Weight",
            "Mean shift (points)",
            "Largest shift",
            "Index in the last year without it",
        ],
    )


def sensitivity_table(sens: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Penalty (× default)": sens["multiplier"].map(lambda m: f"{m:g}"),
            "Penalty": sens["penalty"].map(lambda p: f"{p:.3g}"),
            "Breaks": sens["n_breaks"].astype(str),
            "Break years (a new regime starts)": sens["breaks"].map(
                lambda b: ", ".join(map(str, b)) or "none"
            ),
        }
    )


def sensitivity_html(sens: pd.DataFrame, doc: Document) -> str:
    """The change-point sensitivity table, or one sentence when the record is too short."""
    if sens.empty or sens["penalty"].isna().all():
        return note(
            "Change points: the index's record is too short for a change-point search at any "
            "penalty."
        )
    return doc.table(
        sensitivity_table(sens),
        "Change points of the composite over a range of PELT penalties.",
        numeric=["Penalty (× default)", "Penalty", "Breaks"],
    )


def method_parts(ctx: BriefingContext, doc: Document, dimension_sections) -> list[str]:
    """The HTML blocks of the method section, numbered by ``doc``."""
    w = ctx.result.weights
    weights = pd.DataFrame(
        {"Component": [LABELS[c] for c in w], "Weight": [f"{v:.2f}" for v in w.values()]}
    )
    for c, v in w.items():
        doc.quotes(f"method.weight.{c}", v, lambda x: f"{x:.2f}")
    doc.quotes("method.min_change", MIN_CHANGE, lambda x: f"{x:g}")
    loo = leave_one_out(ctx.result, start=ctx.start, end=ctx.end)
    names = datasets_of()
    parts = [
        definitions_html(),
        doc.table(
            weights,
            "Default component weights of the composite index (overridable).",
            numeric=["Weight"],
        ),
        leave_one_out_html(loo, w, doc),
        sensitivity_html(ctx.step.sensitivity, doc),
        *method_uncertainty_parts(ctx, doc),
        doc.figure_later(
            lambda: (
                F.components_figure(ctx.result.normalised, LABELS, start=ctx.start, end=ctx.end),
                "The normalised components of the composite index (0 = lowest year, 1 = highest "
                "year since 1989); gaps where a dataset does not cover a year.",
            ),
            names,
        ),
    ]
    return parts


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.sections import SECTIONS

    return method_parts(ctx, doc, [s for s in SECTIONS if s.is_dimension])


SECTION = Section(
    key="method", title="Annex A. Method", render=render, new_page=False, heading_level=3
)
