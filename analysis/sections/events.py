"""The events section: the coded bilateral chronology, how cooperative or conflictual its events were."""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from analysis.data.loader import Datasets
from analysis.indicators import (
    event_scores,
    events_summary,
    rolling_event_scores,
)
from analysis.model.inputs import (
    MetricInputs,
)
from analysis.model.periods import NONE, Period, coverage_state
from analysis.render.context import BriefingContext
from analysis.render.document import Quotes
from analysis.render.figures import (
    INK,
    LIGHT,
    ORANGE,
    legend,
    mark_range,
    new_axes,
    years_of,
)
from analysis.render.formats import (
    count,
    plural,
    ratio,
    signed2,
)
from analysis.sections.base import (
    SHADING,
    Row,
    Section,
    edge_note,
    frame_args,
)


def metrics(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    ev: dict[str, Any] = {"coverage": coverage_state("events", period, ds.data_dir)}
    if ev["coverage"] != NONE:
        ev.update(events_summary(inputs.coded_events, start=period.start, end=period.end))
    return ev


def sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("coverage") == "none" or not now.get("n_events"):
        return None
    n = q("events.n_events", now["n_events"], count)
    c = q("events.conflict_events", now["conflict_events"], count)
    net = q("events.net_cooperation", now["net_cooperation"], ratio)
    text = (
        f"The chronology records {n} coded {plural(now['n_events'], 'event')} in the range, "
        f"{c} of them conflictual (net cooperation {net} on a −1 to 1 scale)"
    )
    if before.get("coverage") not in (None, "none") and before.get("n_events"):
        text += (
            f"; the preceding period had {q('events.prior.n_events', before['n_events'], count)}"
        )
    return text + "."


def figure(ctx: BriefingContext):
    coded, s, e = ctx.inputs.coded_events, ctx.start, ctx.end
    if ctx.by_month:
        inside = coded[(coded["date"] >= s) & (coded["date"] <= e)]  # no look-back before s
        fig = monthly_chart(rolling_event_scores(inside, start=s, end=e))
        cap = (
            "Coded bilateral events in the range: 12-month rolling net cooperation and mean "
            "Goldstein score, by month, pooling only events inside the range (the first months "
            "pool fewer than twelve)."
        )
        return fig, cap + edge_note(ctx)
    else:
        fig = chart(event_scores(coded, start=ctx.window_start, end=e), **frame_args(ctx))
        cap = (
            "Coded bilateral events per year (cooperative/conflictual by QuadClass) and net "
            "cooperation = (cooperative − conflictual) / N."
        )
    return fig, cap + SHADING


def chart(yearly: pd.DataFrame, *, start, end, prev_start) -> Figure:
    """Coded events per year (bars, by cooperation/conflict) and net cooperation (line)."""
    fig, (ax,) = new_axes(height=2.2)
    mark_range(ax, start, end, prev_start)
    n = years_of(yearly, "event_count")
    conflict = (
        years_of(yearly, "share_verbal_conflict") + years_of(yearly, "share_material_conflict")
    ).fillna(0) * n
    ax.bar(
        n.index,
        (n - conflict).to_numpy(),
        color=LIGHT,
        edgecolor=INK,
        lw=0.3,
        label="Cooperative events",
    )
    ax.bar(
        n.index,
        conflict.to_numpy(),
        bottom=(n - conflict).to_numpy(),
        color=INK,
        label="Conflictual events",
    )
    ax.set_ylabel("Coded events per year")
    ax2 = ax.twinx()
    net = years_of(yearly, "net_cooperation")
    ax2.plot(
        net.index,
        net.to_numpy(),
        color=ORANGE,
        marker="o",
        ms=3,
        lw=1.4,
        label="Net cooperation (right)",
    )
    ax2.set_ylim(-1.05, 1.05)
    ax2.set_ylabel("Net cooperation (−1 to 1)")
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    legend(ax, [ax2], ncol=3)
    ax.set_xlabel("Year")
    return fig


def monthly_chart(rolling: pd.DataFrame) -> Figure:
    """12-month rolling net cooperation and mean Goldstein score, month by month."""
    fig, (ax,) = new_axes(height=2.2)
    net = rolling[rolling["indicator"].str.startswith("net_cooperation")]
    gold = rolling[rolling["indicator"].str.startswith("goldstein_mean")]
    ax.plot(
        net["period"], net["value"], color=INK, lw=1.4, label="Net cooperation, 12-month (left)"
    )
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("Net cooperation")
    ax2 = ax.twinx()
    ax2.plot(
        gold["period"],
        gold["value"],
        color=ORANGE,
        lw=1.2,
        ls="--",
        label="Mean Goldstein, 12-month (right)",
    )
    ax2.set_ylim(-10, 10)
    ax2.set_ylabel("Goldstein scale")
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    legend(ax, [ax2], ncol=2)
    return fig


def indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    return event_scores(inputs.coded_events, start=s, end=e)


SECTION = Section(
    key="events",
    title="Events",
    new_page=False,
    datasets=("events", "cameo_goldstein"),
    measurable_with=("events",),
    metrics=metrics,
    rows=(
        Row("n_events", "Coded events", count),
        Row("conflict_events", "Conflictual events (QuadClass 3–4)", count),
        Row("goldstein_mean", "Mean Goldstein score (−10 to 10)", signed2),
        Row("net_cooperation", "Net cooperation (−1 to 1)", ratio),
    ),
    table_title="Events",
    sentences=(sentence,),
    figure=figure,
    indicators=indicators,
)
