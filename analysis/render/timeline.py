"""The range's own timeline: the phase timeline (by year, or by month for a short range), the
official phases and designations cut to the range with the state at its start, and the key
events of the range. The section registry (:mod:`analysis.render.sections`) names these."""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis.model.components import datasets_of, number_word
from analysis.model.facts import MONTHLY_MIN_SEGMENT, composite_in_range, point_label
from analysis.model.periods import MONTHLY_MAX_YEARS, day_label
from analysis.render import figures as F
from analysis.render import tables as T
from analysis.render.context import BriefingContext
from analysis.render.document import Document, note


def phase_timeline(ctx: BriefingContext, doc: Document) -> list[str]:
    """The composite inside the range with bands, designation changes and change points, and
    the official phases of the range against it."""
    from analysis.model.change_points import change_points
    from analysis.model.phases import BANDS, phase_summary

    if not (ctx.by_month and ctx.monthly is not None):
        from analysis.render.uncertainty_notes import phase_timeline_parts

        return phase_timeline_parts(ctx, doc)
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
    parts = []
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
            T.phase_summary_table(summary, doc.quotes),
            f"The official phases in the range ({period.label}; the first row is the phase in "
            f"force at its start, {day_label(ctx.start)}) against the composite: its mean over "
            f"the phase's {unit} inside the range, the band of that mean, and the change points "
            "inside.",
            names,
            css="briefing-table small",
        )
    )
    from analysis.render.uncertainty_notes import phase_timeline_parts

    # the yearly composite with its uncertainty bands, over the whole years inside the range
    return parts + phase_timeline_parts(ctx, doc, with_table=False)


def designations(ctx: BriefingContext, doc: Document) -> list[str]:
    """The designation ladder cut to the range, with the designation in force at its start."""
    des = ctx.ds.partnership_designations.sort_values("date")
    before = des[des["date"] < ctx.start]
    inside = des[(des["date"] >= ctx.start) & (des["date"] <= ctx.end)]
    rows = pd.concat([before.tail(1), inside])
    table = T.designations_table(rows)
    if not before.empty:
        table.loc[table.index[0], "Date"] += " (in force at the start)"
    n = len(inside)
    return [
        doc.table(
            table,
            f"The official designations in the range ({ctx.facts.period.label}): "
            f"{doc.quotes('diplomatic.designation_rows', n, str)} "
            f"{'document' if n == 1 else 'documents'} inside it"
            + ("" if before.empty else ", after the one in force at its start")
            + " (levels rise only on normalisation, upgrade and treaty rows).",
            ["partnership_designations"],
            css="briefing-table small",
        )
    ]
