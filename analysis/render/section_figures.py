"""The chart, caption and explorer table of each dimension section, from the briefing context.

Each ``*_figure`` takes a :class:`~analysis.render.context.BriefingContext` and returns
``(figure, caption)``; each ``*_indicators`` returns every indicator of the section over a range
as one tidy frame (the explorer's tables). The section registry names them.
"""

from __future__ import annotations

import pandas as pd

from analysis import sidecars
from analysis.data.loader import Datasets
from analysis.indicators import (
    agreement_by_issue,
    agreement_series,
    agreements_per_year,
    arms_tiv,
    event_scores,
    exercises_per_year,
    meetings_per_year,
    pair_agreement,
    partnership_level,
    rolling_event_scores,
    trade_indicators,
    unga_agreement,
    vetoes_per_year,
)
from analysis.indicators._common import empty_tidy
from analysis.model.metrics import PAIRS, MetricInputs
from analysis.render import figures as F
from analysis.render import monthly as MO
from analysis.render.context import BriefingContext
from analysis.render.document import Document

SHADING = (
    " The chart starts and ends at the range; a year the range covers only in part is labelled "
    "with the days it covers."
)


def _frame(ctx: BriefingContext) -> dict:
    return {"start": ctx.start, "end": ctx.end, "prev_start": None}


def diplomatic_figure(ctx: BriefingContext):
    if ctx.by_month:
        return MO.diplomatic_figure(ctx)
    w, e = ctx.window_start, ctx.end
    fig = F.diplomatic_figure(
        meetings_per_year(ctx.ds.events, start=w, end=e),
        partnership_level(ctx.ds.partnership_designations, start=w, end=e),
        **_frame(ctx),
    )
    cap = "Leader-level meetings and state/official visits per year, with the designation level."
    return fig, cap + SHADING


def un_figure(ctx: BriefingContext):
    if ctx.by_month:
        return MO.un_figure(ctx)
    w, e = ctx.window_start, ctx.end
    names = {"CHN": "China", "RUS": "Russia", "USA": "USA"}
    pairs = {
        f"{names[a]}–{names[b]}": agreement_series(
            ctx.inputs.record,
            ctx.ds.unga_session_scores,
            a,
            b,
            start=w,
            end=e,
            pairs=ctx.inputs.pairs[(a, b)],
        )
        for a, b in PAIRS
    }
    fig = F.un_figure(vetoes_per_year(ctx.ds.unsc_vetoes, start=w, end=e), pairs, **_frame(ctx))
    cap = (
        "Security Council vetoes per year; share of identical General Assembly votes by session "
        "for each pair of China, Russia (the USSR to 1991) and the USA, on every recorded vote on "
        "a resolution as a whole (Voeten, Strezhnev & Bailey per-vote data to January 2020, UN "
        "Digital Library votes of 2025; hollow markers: BSV session aggregates, 2020–24, where no "
        "per-vote data are bundled; no line across a session without data)."
    )
    return fig, cap + SHADING


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
    fig = F.issue_figure(groups, start=ctx.start, end=ctx.end)
    cap = (
        "Share of identical General Assembly votes by year and issue (the six issue codes of the "
        "unvotes data, and the votes on Ukraine apart), per-vote data only (to January 2020 and "
        "2025; the 2025 votes carry no issue code), years with at least five such votes: topic mix is visible here, so a shift between issues is not read as a change of "
        "alignment." + SHADING
    )
    return fig, cap


def economic_figure(ctx: BriefingContext):
    if ctx.by_month:
        return MO.economic_figure(ctx)
    fig = F.economic_figure(
        trade_indicators(ctx.ds.trade, start=ctx.window_start, end=ctx.end), **_frame(ctx)
    )
    cap = (
        "China–Russia merchandise trade as reported by China's customs, current US$ billion; "
        "bars where exports and imports are reported, gaps where no figure could be cited."
    )
    return fig, cap + SHADING


def military_figure(ctx: BriefingContext):
    if ctx.by_month:
        return MO.military_figure(ctx)
    w, e = ctx.window_start, ctx.end
    first = sidecars.coverage_dates("military_cooperation", ctx.ds.data_dir)[0]
    begins = max(w, pd.Timestamp(first))
    exercises = (
        exercises_per_year(ctx.ds.military_cooperation, start=begins, end=e)
        if begins <= e
        else empty_tidy()
    )
    series = ctx.facts.arms_series
    fig = F.military_figure(
        exercises,
        arms_tiv(ctx.ds.arms_transfers, series=series, start=w, end=e),
        **_frame(ctx),
    )
    lead = (
        ""
        if len(exercises)
        else f"No joint-exercise data cover these years (the dataset begins in {first.year}), "
        "so only arms deliveries are drawn. "
    )
    cap = (
        lead + "Joint exercises by domain and joint patrols per year; arms deliveries in SIPRI "
        f"TIV (one SIPRI vintage throughout: {series})."
    )
    return fig, cap + SHADING


def events_figure(ctx: BriefingContext):
    coded, s, e = ctx.inputs.coded_events, ctx.start, ctx.end
    if ctx.by_month:
        inside = coded[(coded["date"] >= s) & (coded["date"] <= e)]  # no look-back before s
        fig = F.monthly_events_figure(rolling_event_scores(inside, start=s, end=e))
        cap = (
            "Coded bilateral events in the range: 12-month rolling net cooperation and mean "
            "Goldstein score, by month, pooling only events inside the range (the first months "
            "pool fewer than twelve)."
        )
        return fig, cap + MO.edge_note(ctx)
    else:
        fig = F.events_figure(event_scores(coded, start=ctx.window_start, end=e), **_frame(ctx))
        cap = (
            "Coded bilateral events per year (cooperative/conflictual by QuadClass) and net "
            "cooperation = (cooperative − conflictual) / N."
        )
    return fig, cap + SHADING


# ---- extras of the dimension sections (after their table) --------------------------------


def issues_extra(ctx: BriefingContext, doc: Document) -> list[str]:
    if ctx.by_month:  # agreement by issue is yearly; the monthly chart counts the votes
        return []
    names = ("unga_record_roll_calls", "unga_record_votes")
    return [doc.figure_later(lambda: issue_figure(ctx), names)]


# ---- the explorer's tables --------------------------------------------------------------------


def diplomatic_indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    return pd.concat(
        [
            meetings_per_year(ds.events, start=s, end=e),
            agreements_per_year(ds.events, start=s, end=e),
            partnership_level(ds.partnership_designations, start=s, end=e),
        ]
    )


def un_indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    record = [
        pair_agreement(
            inputs.record, a, b, start=s, end=e, whole_only=True, pairs=inputs.pairs[(a, b)]
        ).assign(indicator=lambda f, a=a, b=b: f"{a.lower()}_{b.lower()}_" + f["indicator"])
        for a, b in PAIRS
    ]
    return pd.concat(
        [
            vetoes_per_year(ds.unsc_vetoes, start=s, end=e),
            *record,
            unga_agreement(inputs.votes, start=s, end=e).assign(
                indicator=lambda f: "key_votes_" + f["indicator"]
            ),
        ]
    )


def economic_indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    return trade_indicators(ds.trade, start=s, end=e)


def military_indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    return pd.concat(
        [
            exercises_per_year(ds.military_cooperation, start=s, end=e),
            arms_tiv(ds.arms_transfers, series=inputs.arms_series, start=s, end=e),
        ]
    )


def events_indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    return event_scores(inputs.coded_events, start=s, end=e)
