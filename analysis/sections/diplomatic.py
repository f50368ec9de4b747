"""The diplomatic section: leader-level contacts, visits and agreements, and the official
designation of China–Russia relations."""

from __future__ import annotations

from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis.data.loader import Datasets
from analysis.indicators import (
    agreements_per_year,
    designation_in_force,
    designations_within,
    leader_visits,
    meetings_per_year,
    partnership_level,
    per_month,
)
from analysis.model.inputs import (
    MetricInputs,
    total,
)
from analysis.model.periods import (
    NONE,
    Period,
    coverage_state,
)
from analysis.render import figures as F
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes
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
    dip: dict[str, Any] = {"coverage": coverage_state("events", period, ds.data_dir)}
    if dip["coverage"] != NONE:
        meet = meetings_per_year(ds.events, start=s, end=e)
        agr = agreements_per_year(ds.events, start=s, end=e)
        dip.update(
            leader_meetings=int(total(meet, "leader_meetings")),
            official_visits=int(total(meet, "official_visits")),
            leader_calls=int(total(meet, "leader_calls")),
            agreements=int(total(agr, "agreements")),
        )
    designations = ds.partnership_designations
    row = designation_in_force(designations[designations["change"] != "reaffirmation"], e)
    dip["level_end"] = None if row is None else int(row["level"])
    dip["designation_end"] = None if row is None else str(row["designation_en"])
    dip["designation_end_date"] = None if row is None else f"{row['date']:%Y-%m-%d}"
    dip["designation_changes"] = int(
        (designations_within(designations, start=s, end=e)["change"] != "reaffirmation").sum()
    )
    return dip


def sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("coverage") == "none":
        return None
    m = q("diplomatic.leader_meetings", now["leader_meetings"], count)
    a = q("diplomatic.agreements", now["agreements"], count)
    text = (
        f"Leaders met {m} {plural(now['leader_meetings'], 'time')} and the two sides signed {a} "
        f"{plural(now['agreements'], 'treaty, agreement or joint statement', 'treaties, agreements or joint statements')}"
    )
    if before.get("coverage") not in (None, "none"):
        text += f" (preceding period: {q('diplomatic.prior.leader_meetings', before['leader_meetings'], count)} meetings)"
    return text + "."


def figure(ctx: BriefingContext):
    if ctx.by_month:
        return monthly_figure(ctx)
    w, e = ctx.window_start, ctx.end
    fig = chart(
        meetings_per_year(ctx.ds.events, start=w, end=e),
        partnership_level(ctx.ds.partnership_designations, start=w, end=e),
        **frame_args(ctx),
    )
    cap = "Leader-level meetings and state/official visits per year, with the designation level."
    return fig, cap + SHADING


def chart(meetings: pd.DataFrame, level: pd.DataFrame, *, start, end, prev_start) -> Figure:
    """Leader-level meetings per year (bars) and the partnership level (step line)."""
    fig, (ax,) = new_axes(height=2.2)
    mark_range(ax, start, end, prev_start)
    m = years_of(meetings, "leader_meetings")
    v = years_of(meetings, "official_visits")
    ax.bar(m.index - 0.2, m.to_numpy(), width=0.4, color=INK, label="Leader-level meetings")
    ax.bar(
        v.index + 0.2,
        v.to_numpy(),
        width=0.4,
        color=LIGHT,
        edgecolor=INK,
        lw=0.4,
        label="State and official visits",
    )
    ax.set_ylabel("Events per year")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax2 = ax.twinx()
    lv = years_of(level, "partnership_level")
    ax2.step(
        lv.index,
        lv.to_numpy(),
        where="mid",
        color=ORANGE,
        lw=1.8,
        label="Partnership level (right)",
    )
    ax2.set_ylabel("Designation level (ordinal)")
    ax2.set_ylim(0, max(8, (lv.max() if len(lv) else 0) + 1))
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    legend(ax, [ax2], ncol=3)
    ax.set_xlabel("Year")
    return fig


def monthly_figure(ctx: BriefingContext):
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


def indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    return pd.concat(
        [
            meetings_per_year(ds.events, start=s, end=e),
            agreements_per_year(ds.events, start=s, end=e),
            partnership_level(ds.partnership_designations, start=s, end=e),
        ]
    )


def designations(ctx: BriefingContext, doc: Document) -> list[str]:
    """The designation ladder cut to the range, with the designation in force at its start."""
    des = ctx.ds.partnership_designations.sort_values("date")
    before = des[des["date"] < ctx.start]
    inside = des[(des["date"] >= ctx.start) & (des["date"] <= ctx.end)]
    rows = pd.concat([before.tail(1), inside])
    table = designations_table(rows)
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


def designations_table(designations: pd.DataFrame) -> pd.DataFrame:
    level = designations["level"].astype(int).astype(str)
    marker = designations["change"].map({"reaffirmation": " (reaffirmed)"}).fillna("")
    return pd.DataFrame(
        {
            "Date": designations["date"].dt.strftime("%Y-%m-%d"),
            "Level": level + marker,
            "Designation": designations["designation_en"],
            "Official wording": [
                " / ".join(x for x in (zh, ru) if isinstance(x, str) and x)
                for zh, ru in zip(
                    designations["designation_zh"], designations["designation_ru"], strict=True
                )
            ],
        }
    )


SECTION = Section(
    key="diplomatic",
    title="Diplomatic ties",
    new_page=False,
    datasets=("events", "partnership_designations"),
    measurable_with=("events",),
    metrics=metrics,
    rows=(
        Row("leader_meetings", "Leader-level meetings", count),
        Row("official_visits", "State and official visits", count),
        Row("leader_calls", "Leader phone/video calls", count),
        Row("agreements", "Treaties, agreements, joint statements", count),
        Row("level_end", "Designation level at the end (1–7)", count),
    ),
    table_title="Diplomatic",
    sentences=(sentence,),
    figure=figure,
    indicators=indicators,
)
