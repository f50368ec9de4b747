"""The military section: joint exercises and patrols, and Russian arms deliveries to China."""

from __future__ import annotations

from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis import sidecars
from analysis.data.loader import Datasets
from analysis.indicators import (
    arms_tiv,
    exercises_per_year,
    per_month,
)
from analysis.indicators._common import empty_tidy
from analysis.model.inputs import (
    MetricInputs,
    total,
)
from analysis.model.periods import NONE, Period, coverage_state, whole_years
from analysis.render import figures as F
from analysis.render.context import BriefingContext
from analysis.render.document import Quotes
from analysis.render.figures import (
    BLUE,
    GREY,
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
    tiv,
)
from analysis.sections.base import (
    SHADING,
    Row,
    Section,
    edge_note,
    frame_args,
)


def metrics(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    s, e = period.start, period.end
    mil: dict[str, Any] = {"coverage": coverage_state("military_cooperation", period, ds.data_dir)}
    if mil["coverage"] != NONE:
        ex = exercises_per_year(ds.military_cooperation, start=s, end=e)
        mil.update(
            exercises=int(total(ex, "exercises_total")),
            patrols=int(total(ex, "joint_patrols")),
            activities=int(total(ex, "military_activities")),
        )
    series = inputs.arms_series
    years = ds.arms_transfers.loc[ds.arms_transfers["series"] == series, "year"]
    mil["arms_series"] = series
    mil["arms_tiv"] = None
    whole = whole_years(period)  # SIPRI's yearly deliveries: whole years only
    if whole and len(years) and not (whole[1] < years.min() or whole[0] > years.max()):
        tiv = arms_tiv(
            ds.arms_transfers, series=series, start=f"{whole[0]}-01-01", end=f"{whole[1]}-12-31"
        )
        rows = tiv[tiv["indicator"] == "arms_tiv"]
        mil["arms_tiv"] = float(rows["value"].sum())
        mil["arms_years"] = f"{rows['period'].dt.year.min()}–{rows['period'].dt.year.max()}"
    return mil


def sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """Joint exercises and patrols where the data cover the range; SIPRI arms deliveries."""
    parts = []
    if now.get("coverage") != "none":
        ex = q("military.exercises", now["exercises"], count)
        pa = q("military.patrols", now["patrols"], count)
        text = (
            f"The armed forces held {ex} joint {plural(now['exercises'], 'exercise')} and "
            f"{pa} joint {plural(now['patrols'], 'patrol')}"
        )
        if before.get("coverage") not in (None, "none"):
            prior = q("military.prior.activities", before["activities"], count)
            text += f", against {prior} activities in the preceding period"
        parts.append(text)
    if now.get("arms_tiv") is not None:
        value = q("military.arms_tiv", now["arms_tiv"], tiv)
        parts.append(
            f"SIPRI records Soviet/Russian arms deliveries to China worth {value} million TIV "
            f"in {now['arms_years']}"
        )
    return "; ".join(parts) + "." if parts else None


def figure(ctx: BriefingContext):
    if ctx.by_month:
        return monthly_figure(ctx)
    w, e = ctx.window_start, ctx.end
    first = sidecars.coverage_dates("military_cooperation", ctx.ds.data_dir)[0]
    begins = max(w, pd.Timestamp(first))
    exercises = (
        exercises_per_year(ctx.ds.military_cooperation, start=begins, end=e)
        if begins <= e
        else empty_tidy()
    )
    series = ctx.facts.arms_series
    fig = chart(
        exercises,
        arms_tiv(ctx.ds.arms_transfers, series=series, start=w, end=e),
        **frame_args(ctx),
    )
    lead = (
        ""
        if len(exercises)
        else f"No joint-exercise data cover these years (the dataset begins in {first.year}), "
        "so only arms deliveries are drawn. "
    )
    arms = ctx.ds.arms_transfers
    made = arms.loc[arms["series"] == series, "sipri_generated"].max()
    cap = (
        lead + "Joint exercises by domain and joint patrols per year; arms deliveries in SIPRI "
        f"trend-indicator values (TIV), all from SIPRI's release of {made:%-d %B %Y}."
    )
    return fig, cap + SHADING


def chart(exercises: pd.DataFrame, arms: pd.DataFrame, *, start, end, prev_start) -> Figure:
    """Joint exercises by domain and joint patrols per year (when the window holds exercise
    data); SIPRI TIV of arms deliveries with its 5-year average."""
    if exercises.empty:  # no exercise data in the window: no empty panel, only the arms chart
        fig, (ax2,) = new_axes(rows=1, height=2.3)
    else:
        fig, (ax1, ax2) = new_axes(rows=2, height=3.0)
        _exercise_panel(ax1, exercises, start, end, prev_start)
    mark_range(ax2, start, end, prev_start)
    tiv = years_of(arms, "arms_tiv")
    roll = years_of(arms, "arms_tiv_rolling")
    ax2.bar(tiv.index, tiv.to_numpy(), color=GREY, width=0.75, label="TIV per year")
    ax2.plot(roll.index, roll.to_numpy() / 5, color=INK, lw=1.4, label="5-year average")
    ax2.set_ylabel("SIPRI TIV, million")
    ax2.set_title("Soviet/Russian arms deliveries (SIPRI TIV)")
    legend(ax2, ncol=2, right=True)
    ax2.set_xlabel("Year")
    return fig


def _exercise_panel(ax1, exercises: pd.DataFrame, start, end, prev_start) -> None:
    mark_range(ax1, start, end, prev_start)
    bottom = None
    stack = [
        ("exercises_land", "Land", INK),
        ("exercises_sea", "Sea", BLUE),
        ("exercises_air", "Air", ORANGE),
        ("exercises_multi", "Multi-domain", LIGHT),
        ("joint_patrols", "Joint patrols", "#ffffff"),
    ]
    for name, label, colour in stack:
        s = years_of(exercises, name)
        if bottom is None:
            bottom = pd.Series(0.0, index=s.index)
        ax1.bar(
            s.index,
            s.to_numpy(),
            bottom=bottom.reindex(s.index).to_numpy(),
            color=colour,
            edgecolor=INK,
            lw=0.3,
            label=label,
            width=0.75,
        )
        bottom = bottom.add(s, fill_value=0)
    ax1.set_ylabel("Activities per year")
    ax1.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax1.set_title("Exercises and patrols")
    legend(ax1, ncol=5, right=True)


def monthly_figure(ctx: BriefingContext):
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


def indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    return pd.concat(
        [
            exercises_per_year(ds.military_cooperation, start=s, end=e),
            arms_tiv(ds.arms_transfers, series=inputs.arms_series, start=s, end=e),
        ]
    )


SECTION = Section(
    key="military",
    title="Military cooperation",
    new_page=False,
    datasets=("military_cooperation", "arms_transfers"),
    metrics=metrics,
    rows=(
        Row("exercises", "Joint exercises", count),
        Row("patrols", "Joint patrols (air, sea)", count),
        Row("activities", "All joint military activities", count),
        Row("arms_tiv", "SIPRI TIV of Russian arms deliveries (million)", tiv),
    ),
    table_title="Military",
    sentences=(sentence,),
    figure=figure,
    indicators=indicators,
)
