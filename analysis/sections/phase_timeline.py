"""The phase timeline: the composite by year (or by month for a short range) with its uncertainty
bands, the official phases of China–Russia relations against it, and the latest year's bands."""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis.model.change_points import MONTHLY_MIN_SEGMENT
from analysis.model.components import COMPONENTS, datasets_of, number_word
from analysis.model.facts import composite_in_range, point_label
from analysis.model.periods import MONTHLY_MAX_YEARS, day_label
from analysis.model.phases import (
    phase_summary,
)
from analysis.model.uncertainty import bands
from analysis.render import figures as F
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes, note, paragraph
from analysis.render.formats import (
    index_points,
)
from analysis.sections.base import (
    Section,
    _cell,
)


def scale_paragraph() -> str:
    """How to read the index: what its ends mean and what the bands show."""
    n = number_word(len(COMPONENTS))
    return (
        f"The index combines {n} components of the relationship, measured alike for "
        "China–Russia, China–USA and Russia–USA: −9 would be a year with every component at the "
        "lowest any of the three pairs reached since 1989, +9 one with every component at the "
        "highest. It is relative to that record, so its fifths are named by where a year "
        "stands on it. The bands show how far the index moves when its weights and underlying "
        "counts are redrawn; a change inside them is no clear change."
    )


def finding(ctx: BriefingContext) -> str:
    from analysis.sections.bottom_line import judgement

    return judgement(ctx, "movement")


def latest_band_sentence(ctx: BriefingContext, doc: Document) -> str:
    """The latest year's value with its 80 % and 95 % bands."""

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
            "normalised over the whole history since 1989 (chain-linked; see Annex A). Blue "
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
    summary = phase_summary_table(
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


def monthly_figure(ctx: BriefingContext, series: pd.Series, breaks: list, bands) -> tuple:
    """The monthly composite in the range, with designation changes and change points."""
    fig = F.monthly_phase_timeline_figure(
        series,
        bands=bands,
        designations=ctx.ds.partnership_designations,
        breaks=breaks,
        start=ctx.start,
        end=ctx.end,
    )
    return fig


def _point(label) -> str:
    """A change point's label: the year, or the month ('2022-05')."""
    return f"{label:%Y-%m}" if isinstance(label, pd.Timestamp) else str(label)


def phase_summary_table(summary: pd.DataFrame, q: Quotes) -> pd.DataFrame:
    """Official phase | level | years | composite mean and band | change points inside."""
    rows = []
    for i, r in summary.iterrows():
        mean = q(f"phases.{i}.mean", r["mean"], lambda x: _cell(x, index_points))
        rows.append(
            {
                "Official phase": f"{r['start']:%Y-%m} to {r['end']:%Y-%m}",
                "Level": str(r["level"]),
                "Designation": r["designation_en"]
                + (" (in force at the start)" if r.get("in_force_at_start") else ""),
                "Composite, mean (band)": (
                    f"{mean} ({r['band']})" if isinstance(r["band"], str) else mean
                ),
                "Change points": ", ".join(map(_point, r["breaks"])) or "none",
            }
        )
    return pd.DataFrame(rows)


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    """The composite inside the range with bands, designation changes and change points, and
    the official phases of the range against it."""
    from analysis.model.change_points import change_points
    from analysis.model.phases import BANDS, phase_summary

    if not (ctx.by_month and ctx.monthly is not None):
        return [paragraph(scale_paragraph()), *phase_timeline_parts(ctx, doc)]
    period = ctx.facts.period
    in_range = composite_in_range(ctx.result, period, ctx.monthly)
    by_month = ctx.by_month and ctx.monthly is not None
    if by_month:
        breaks = list(ctx.facts.composite.get("break_dates_in_range", []))
        source = ctx.monthly
    else:
        breaks = change_points(ctx.result.series())
        source = ctx.result
    breaks = [b for b in breaks if b in set(in_range.index)]
    names = datasets_of()
    parts = [paragraph(scale_paragraph())]
    if len(in_range):
        draw = F.monthly_phase_timeline_figure if by_month else F.phase_timeline_figure
        make = partial(
            draw,
            in_range,
            bands=BANDS,
            designations=ctx.ds.partnership_designations,
            breaks=breaks,
            start=ctx.start,
            end=ctx.end,
        )
        if by_month:
            last = source.series().index.max()
            caption = (
                f"Monthly composite index in the range, the plain weighted mean (a range shorter than "
                f"{number_word(MONTHLY_MAX_YEARS)} years is drawn by month): each component over its trailing window evaluated at "
                f"the month's end, normalised over the monthly history (January 1989 to "
                f"{last:%B %Y}), on the −9..+9 scale; months wholly inside the range, "
                f"{point_label(in_range.index[0])} to {point_label(in_range.index[-1])}. "
                "Triangles: designation changes. Dashed lines: change points found by PELT on "
                "the monthly series at half, once and twice the default penalty alike (l2 cost, "
                f"segments of at least {number_word(MONTHLY_MIN_SEGMENT)} months; the monthly "
                "composite has no uncertainty draws, so this is its only robustness test). "
                "Background: fifths of the scale."
            )
        else:
            caption = (
                "Composite relationship index by year inside the range (years wholly inside it, "
                f"{point_label(in_range.index[0])} to {point_label(in_range.index[-1])}), on the "
                "−9..+9 scale normalised over the whole history since 1989. Triangles: "
                "designation changes (level number above). Dashed lines: change points found "
                "by PELT (ruptures, l2 cost, default penalty). Background: the six bands."
            )
        parts.append(doc.figure_later(lambda: (make(), caption), names))
    else:
        unit = "month" if by_month else "year"
        parts.append(note(f"No whole {unit} of the composite lies inside {period.label}."))
    summary = phase_summary(
        source,
        ctx.ds.partnership_designations,
        breaks,
        start=ctx.start,
        end=ctx.end,
        series=in_range,
    )
    unit = "months" if by_month else "years"
    parts.append(
        doc.table(
            phase_summary_table(summary, doc.quotes),
            f"The official phases in the range ({period.label}; the first row is the phase in "
            f"force at its start, {day_label(ctx.start)}) against the composite: its mean over "
            f"the phase's {unit} inside the range, the band of that mean, and the change points "
            "inside.",
            names,
            css="briefing-table small",
        )
    )

    # the yearly composite with its uncertainty bands, over the whole years inside the range
    return parts + phase_timeline_parts(ctx, doc, with_table=False)


SECTION = Section(
    key="phase_timeline",
    title="Phase timeline",
    new_page=False,
    finding=finding,
    datasets=tuple(datasets_of()),
    render=render,
)
