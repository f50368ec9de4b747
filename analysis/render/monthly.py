"""Short ranges, drawn month by month: the charts of a range shorter than
:data:`~analysis.model.periods.MONTHLY_MAX_YEARS` years.

Each ``*_figure`` takes a :class:`~analysis.render.context.BriefingContext` and returns
``(figure, caption)``, like :mod:`analysis.render.section_figures`, which calls them when
``ctx.by_month``. Counts are by calendar month; the first and last months count only the days
inside the range.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators import (
    leader_visits,
    per_month,
    trade_monthly_indicators,
    veto_drafts,
)
from analysis.model.periods import day_label
from analysis.render import figures as F
from analysis.render.context import BriefingContext


def edge_note(ctx: BriefingContext) -> str:
    """The caption's statement of the range and of its partial first and last months."""
    return (
        f" By calendar month, {day_label(ctx.start)} to {day_label(ctx.end)}; the first and "
        "last months count only the days inside the range."
    )


def diplomatic_figure(ctx: BriefingContext):
    ev = ctx.ds.events
    s, e = ctx.start, ctx.end
    meetings = per_month(ev.loc[leader_visits(ev), "date"], "leader_meetings", start=s, end=e)
    calls = ev[(ev["category"] == "phone_call") & ev["leader_level"].eq("yes")]
    panels = [
        (
            "Leader-level contacts",
            "Per month",
            {
                "Leader-level meetings": meetings,
                "Leader calls": per_month(calls["date"], "leader_calls", start=s, end=e),
            },
        )
    ]
    fig = F.monthly_bars_figure(panels, start=s, end=e)
    return fig, "Leader-level meetings (one visit counted once) and leader calls." + edge_note(ctx)


def un_figure(ctx: BriefingContext):
    s, e = ctx.start, ctx.end
    drafts = veto_drafts(ctx.ds.unsc_vetoes)
    vetoes = {
        "China": per_month(drafts.loc[drafts["chn"], "date"], "vetoes_chn", start=s, end=e),
        "USSR/Russia": per_month(drafts.loc[drafts["rus"], "date"], "vetoes_rus", start=s, end=e),
        "Both (same draft)": per_month(
            drafts.loc[drafts["joint"], "date"], "vetoes_joint", start=s, end=e
        ),
    }
    panels = [("Security Council vetoes", "Drafts", vetoes)]
    votes = ctx.inputs.pairs[("CHN", "RUS")]
    votes = votes[(votes["date"] >= s) & (votes["date"] <= e)]
    if len(votes):
        same = votes[votes["identical"] == 1]
        panels.append(
            (
                "General Assembly recorded votes, China–Russia",
                "Votes",
                {
                    "Both voted": per_month(votes["date"], "rec_n", start=s, end=e),
                    "Identical": per_month(same["date"], "rec_identical", start=s, end=e),
                },
            )
        )
    fig = F.monthly_bars_figure(panels, start=s, end=e)
    lead = "Security Council drafts vetoed, by month"
    lead += (
        "; General Assembly recorded votes both cast and identical votes, by month."
        if len(votes)
        else " (the bundled per-vote General Assembly record has no vote in this range)."
    )
    return fig, lead + edge_note(ctx)


def economic_figure(ctx: BriefingContext):
    s, e = ctx.start, ctx.end
    ind = trade_monthly_indicators(ctx.ds.trade_monthly, start=s, end=e)
    panels = [
        (
            "China–Russia trade, China's customs monthly releases",
            "US$ billion",
            {
                label: ind[ind["indicator"] == key].assign(value=lambda f: f["value"] / 1e9)
                for key, label in (
                    ("trade_total", "Total"),
                    ("trade_exports", "China's exports"),
                    ("trade_imports", "China's imports"),
                )
            },
        )
    ]
    fig = F.monthly_bars_figure(panels, start=s, end=e)
    cap = (
        "China–Russia merchandise trade by month from China's customs' monthly releases "
        "(data/trade_monthly.csv), current US$ billion: a month is the difference of two "
        "consecutive year-to-date values; January and February are published together and drawn "
        "as one bar at January; only periods wholly inside the range; gaps where no release "
        f"could be cited. Range: {day_label(s)} to {day_label(e)}."
    )
    return fig, cap


def military_figure(ctx: BriefingContext):
    s, e = ctx.start, ctx.end
    mil = ctx.ds.military_cooperation
    series = {
        "Exercises": per_month(
            mil.loc[mil["activity_type"] == "exercise", "start_date"], "ex", start=s, end=e
        ),
        "Joint patrols": per_month(
            mil.loc[mil["activity_type"] == "joint_patrol", "start_date"], "pa", start=s, end=e
        ),
    }
    fig = F.monthly_bars_figure([("Joint military activities", "Started", series)], start=s, end=e)
    cap = (
        "Joint exercises and joint patrols by the month they began (SIPRI's yearly arms "
        "deliveries are not drawn: no whole year lies inside the range)."
    )
    return fig, cap + edge_note(ctx)


def phase_figure(ctx: BriefingContext, series: pd.Series, breaks: list, bands) -> tuple:
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
