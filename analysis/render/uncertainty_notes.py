"""The composite's uncertainty in the briefing: the phase timeline with its 80 % and 95 % bands
and the plain (not chain-linked) mean beside it, and the method
section's statement of the draws, the change points that do and do not survive them, and the
years where a component enters or leaves."""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis.model.chain_steps import chain_steps
from analysis.model.change_points import ROBUST_DRAW_SHARE, ROBUST_MULTIPLIERS, ROBUST_TOLERANCE
from analysis.model.components import LABELS, datasets_of
from analysis.model.phases import (
    MIN_CHANGE,
    TREND_DRAW_SHARE,
    phase_summary,
)
from analysis.model.uncertainty import CONCENTRATION, SEED, bands
from analysis.render import figures as F
from analysis.render import tables as T
from analysis.render.context import BriefingContext
from analysis.render.document import Document, paragraph
from analysis.render.narrative import index_points


def latest_band_sentence(ctx: BriefingContext, doc: Document) -> str:
    """The latest year's value with its 80 % and 95 % bands."""
    from analysis.model.facts import composite_in_range

    q = doc.quotes
    series = composite_in_range(ctx.result, ctx.facts.period)  # the range's last whole year
    if series.empty:
        return ""
    year = int(series.index[-1])
    b = bands(ctx.facts.draws[[year]]).loc[year]
    text = (
        f"In {q('composite.latest_year', year, str)}, the range's last whole year, the index "
        f"stands at {q('composite.latest_value', float(series.iloc[-1]), index_points)}; 80% of "
        f"the draws lie between {q('composite.latest_q10', b['q10'], index_points)} and "
        f"{q('composite.latest_q90', b['q90'], index_points)}, 95% between "
        f"{q('composite.latest_q025', b['q025'], index_points)} and "
        f"{q('composite.latest_q975', b['q975'], index_points)}."
    )
    return text


def phase_timeline_parts(
    ctx: BriefingContext, doc: Document, *, with_table: bool = True
) -> list[str]:
    """The phase timeline figure with bands and variants over the years wholly inside the range,
    the latest year's bands, the table of official phases in the range against the composite."""
    from analysis.model.facts import composite_in_range
    from analysis.model.periods import day_label
    from analysis.model.phases import BANDS

    series = composite_in_range(ctx.result, ctx.facts.period)  # charts start and end at the range
    inside = set(series.index)
    comp = ctx.facts.composite
    breaks = [b for b in comp.get("yearly_breaks_all", comp.get("breaks_all", [])) if b in inside]
    names = datasets_of()
    parts = []
    if len(series):
        make = partial(
            F.phase_timeline_figure,
            series,
            bands=BANDS,
            designations=ctx.ds.partnership_designations,
            breaks=breaks,
            start=ctx.start,
            end=ctx.end,
            uncertainty=bands(ctx.facts.draws),
            others={
                "Plain mean (not chain-linked)": ctx.result.index["plain"].reindex(series.index),
            },
        )
        caption = (
            "Composite relationship index by year inside the range (years wholly inside it, "
            f"{int(series.index[0])} to {int(series.index[-1])}), on the relative −9..+9 scale "
            "normalised over the whole history since 1989 (chain-linked; see Method). Blue "
            f"bands: where 80% and 95% of {len(ctx.facts.draws):,} draws lie (weights and "
            "underlying counts redrawn; draws beyond the observed record can pass ±9 and are cut "
            "at the frame). Thin line: the plain mean that is not chain-linked. Triangles: "
            "China–Russia designation changes (level number above). "
            "Dashed lines: change points that survive the penalty range and the draws. "
            "Background: fifths of the scale."
        )
        parts.append(doc.figure_later(lambda: (make(), caption), names))
    elif with_table:
        parts.append(
            paragraph(f"No whole year of the composite lies inside {ctx.facts.period.label}.")
        )
    if not with_table:  # a monthly range: the yearly figure and bands only, where years exist
        latest = latest_band_sentence(ctx, doc) if len(series) else ""
        return [*parts, *([paragraph(latest)] if latest else [])]
    summary = T.phase_summary_table(
        phase_summary(
            ctx.result,
            ctx.ds.partnership_designations,
            breaks,
            start=ctx.start,
            end=ctx.end,
            series=series,
        ),
        doc.quotes,
    )
    table = doc.table(
        summary,
        f"The official phases in the range ({ctx.facts.period.label}; the first row is the phase "
        f"in force at its start, {day_label(ctx.start)}) against the composite: its mean over "
        "the phase's years inside the range, the fifth of the scale that mean falls in, and the "
        "robust change points inside.",
        names,
        css="briefing-table small",
    )
    latest = latest_band_sentence(ctx, doc)
    return [*parts, *([paragraph(latest)] if latest else []), table]


# ---- the method section ------------------------------------------------------------------------


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


def _break_table(table: pd.DataFrame, doc: Document) -> pd.DataFrame:
    rows = []
    for _, r in table.iterrows():
        b = int(r["break"])
        share = doc.quotes(f"breaks.{b}.draw_share", r["draw_share"], lambda x: f"{x:.1%}")
        rows.append(
            {
                "Break": str(b),
                "Found at penalties (× default)": ", ".join(f"{m:g}" for m in r["penalties"]),
                f"Draws with a break within ±{ROBUST_TOLERANCE} year": share,
                "Robust?": "yes" if r["robust"] else "no",
            }
        )
    return pd.DataFrame(rows)


def _steps_table(steps, doc: Document) -> pd.DataFrame:
    rows = []
    for s in steps:
        rows.append(
            {
                "Year": str(s.year),
                "Enters": ", ".join(LABELS[c] for c in s.entered) or "—",
                "Leaves": ", ".join(LABELS[c] for c in s.left) or "—",
                "Change, plain mean": doc.quotes(f"steps.{s.year}.plain", s.plain, index_points),
                "Change, chain-linked": doc.quotes(
                    f"steps.{s.year}.chained", s.chained, index_points
                ),
            }
        )
    return pd.DataFrame(rows)


def method_uncertainty_parts(ctx: BriefingContext, doc: Document) -> list[str]:
    """The robust and not robust change points, and the chain-linking against the plain mean."""
    q = doc.quotes
    comp = ctx.facts.composite
    parts = []
    table = comp.get("break_table")
    if table is not None and len(table):
        parts.append(
            doc.table(
                _break_table(table, doc),
                "Every change point PELT finds in the composite at some penalty (break: the first "
                "year of the new segment), with the penalties it is found at and the share of "
                "draws that break within a year of it; only the robust ones are findings.",
                numeric=[f"Draws with a break within ±{ROBUST_TOLERANCE} year"],
                css="briefing-table small",
            )
        )
        weak = comp.get("breaks_not_robust", [])
        if weak:
            parts.append(
                paragraph(
                    "Not robust (not reported as findings): "
                    + ", ".join(str(b) for b in weak)
                    + "."
                )
            )
    steps = chain_steps(ctx.result)
    if steps:
        parts.append(
            doc.table(
                _steps_table(steps, doc),
                "Years in which a component enters or leaves the composite: the year's change in "
                "the plain mean against the chain-linked change (computed from the components "
                "present in both years).",
                numeric=["Change, plain mean", "Change, chain-linked"],
                css="briefing-table small",
            )
        )
        entry = max(steps, key=lambda s: abs(s.plain - s.chained))
        plain, chained = ctx.result.index["plain"], ctx.result.index["composite"]
        y = entry.year
        parts.append(
            paragraph(
                f"The headline index is chain-linked: a component's entry, exit or missing year "
                f"does not move it, and it is anchored at the last year with a value, where the "
                f"plain mean and the chain agree. In {y} the chain-linked level is "
                f"{q(f'steps.{y}.level_chained', float(chained[y]), index_points)} against "
                f"a plain mean of {q(f'steps.{y}.level_plain', float(plain[y]), index_points)}"
                ". The plain mean is drawn as a thin line on the phase timeline."
            )
        )
    return parts
