"""The UN section's issue panels: how the pairs' agreement on the General Assembly record varies by
the issue of the vote (the unvotes issue codes) and by what the vote's title names, so that a
change of agenda is not read as a change of alignment."""

from __future__ import annotations

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis.indicators import (
    agreement_by_issue,
)
from analysis.model.inputs import (
    PAIRS,
)
from analysis.render.context import BriefingContext
from analysis.render.document import Document
from analysis.render.figures import (
    BLUE,
    INK,
    ORANGE,
    mark_range,
)
from analysis.sections.base import (
    SHADING,
)

#: The issue groups of the small multiples (labels of ``agreement_by_issue``), in order.
ISSUE_PANELS = (
    "All recorded votes",
    "Palestinian conflict",
    "Nuclear weapons",
    "Arms control and disarmament",
    "Human rights",
    "Colonialism",
    "Economic development",
    "Ukraine / Crimea",
)


def issue_figure(ctx: BriefingContext):
    """The UN section's small multiples: agreement by issue and the Ukraine votes apart."""
    names = {"CHN": "China", "RUS": "Russia", "USA": "USA"}
    w, e = ctx.window_start, ctx.end
    groups: dict[str, dict] = {label: {} for label in ISSUE_PANELS}
    for a, b in PAIRS:
        rows = agreement_by_issue(
            ctx.inputs.record, a, b, by="year", start=w, end=e, pairs=ctx.inputs.pairs[(a, b)]
        )
        rows = rows[rows["indicator"] == "identical_share"]
        for label in ISSUE_PANELS:
            groups[label][f"{names[a]}–{names[b]}"] = rows[rows["label"] == label]
    fig = issue_chart(groups, start=ctx.start, end=ctx.end)
    cap = (
        "Share of identical General Assembly votes by year and issue (the six issue codes of the "
        "unvotes data, and the votes on Ukraine apart), per-vote data only (to January 2020 and "
        "2025; the 2025 votes carry no issue code), years with at least five such votes: topic mix is visible here, so a shift between issues is not read as a change of "
        "alignment." + SHADING
    )
    return fig, cap


def issue_chart(
    groups: dict[str, dict[str, pd.DataFrame]], *, start, end, min_votes: int = 5
) -> Figure:
    """Small multiples: one panel per issue group (the six unvotes issues, the votes on Ukraine),
    the share of identical votes by year for each pair; ``groups``: label -> pair -> tidy rows
    of ``identical_share`` with ``n``. Years with fewer than ``min_votes`` such votes are gaps."""
    import matplotlib.pyplot as plt

    from analysis.render.figures import WIDTH, apply_style

    apply_style()
    labels = list(groups)
    ncol = 4
    nrow = -(-len(labels) // ncol)
    fig, axes = plt.subplots(
        nrow, ncol, figsize=(WIDTH, 1.0 * nrow + 0.45), sharex=True, sharey=True, squeeze=False
    )
    styles = [(INK, "-"), (BLUE, "--"), (ORANGE, ":")]
    for ax, label in zip(axes.ravel(), labels, strict=False):
        mark_range(ax, start, end)
        for (pair, rows), (colour, ls) in zip(groups[label].items(), styles, strict=False):
            rows = rows[rows["n"] >= min_votes]
            if rows.empty:
                continue
            years = range(int(rows["period"].dt.year.min()), int(rows["period"].dt.year.max()) + 1)
            s = pd.Series(rows["value"].to_numpy(), index=rows["period"].dt.year).reindex(years)
            ax.plot(
                s.index, s.to_numpy(), color=colour, ls=ls, lw=1.0, marker="o", ms=1.8, label=pair
            )
        ax.set_title(label, fontsize=7)
        ax.set_ylim(-0.02, 1.02)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3, integer=True))
    for ax in axes.ravel()[len(labels) :]:
        ax.set_visible(False)
    handles, names = axes.ravel()[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper right", ncol=3, fontsize=7, frameon=False)
    fig.supylabel("Share of identical votes", fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def issues_extra(ctx: BriefingContext, doc: Document) -> list[str]:
    if ctx.by_month:  # agreement by issue is yearly; the monthly chart counts the votes
        return []
    names = ("unga_record_roll_calls", "unga_record_votes")
    return [doc.figure_later(lambda: issue_figure(ctx), names)]
