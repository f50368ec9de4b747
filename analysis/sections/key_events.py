"""The key events of the range: the bilateral China–Russia chronology's most significant events,
spread across the range, the latest landmarks always among them. Third parties' actions (sanctions
on Chinese firms, statements on Russia's war) are in their own section."""

from __future__ import annotations

import html

import pandas as pd

from analysis.model.periods import day_label
from analysis.render.context import BriefingContext
from analysis.render.document import Document, note
from analysis.render.formats import publisher
from analysis.sections.base import Section


def key_events_table(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Date | Event | Category | Source, in the order given."""
    rows = events.head(limit)
    return pd.DataFrame(
        {
            "Date": rows["date"].dt.strftime("%Y-%m-%d"),
            "Event": rows["description"],
            "Category": rows["category"].str.replace("_", " "),
            "Source": [
                f'<a href="{html.escape(u)}">{html.escape(publisher(s))}</a>'
                for s, u in zip(rows["source"], rows["source_url"], strict=True)
            ],
        }
    )


def chosen(ctx: BriefingContext) -> tuple[pd.DataFrame, int]:
    """The key events of the range and how many events the chronology holds in it."""
    from analysis.indicators import attach_goldstein, spread_key_events

    coded = attach_goldstein(ctx.ds.events, ctx.ds.cameo_goldstein)
    inside = coded[(coded["date"] >= ctx.start) & (coded["date"] <= ctx.end)]
    return spread_key_events(coded, start=ctx.start, end=ctx.end), len(inside)


def finding(ctx: BriefingContext) -> str:
    events, _ = chosen(ctx)
    landmarks = events[events["significance"] == 3]
    if landmarks.empty:
        return ""
    last = landmarks.sort_values("date").iloc[-1]
    text = last["description"].rstrip(".")
    return f"The latest landmark of the range, on {last['date'].day} {last['date']:%B %Y}: {text}."


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.indicators import KEY_EVENTS_BINS, KEY_EVENTS_LATEST

    events, total = chosen(ctx)
    if events.empty:
        return [
            note(f"No event of the chronology falls in {ctx.facts.period.label}.", "not-measurable")
        ]
    shown = doc.quotes("events.key_events_shown", len(events), str)
    total_text = doc.quotes("events.key_events_total", total, str)
    caption = (
        f"Key events of China–Russia relations in the range, in date order ({shown} of "
        f"{total_text} recorded, {day_label(ctx.start)} to {day_label(ctx.end)}): the "
        f"{KEY_EVENTS_LATEST} latest landmarks, then the most significant events spread over "
        f"{KEY_EVENTS_BINS} equal stretches of the range, the more intense act and then the more "
        "recent first."
    )
    table = key_events_table(events, len(events))
    return [doc.table(table, caption, ["events"], raw_html=["Source"], css="briefing-table small")]


SECTION = Section(
    key="key_events",
    title="Key events in the range",
    new_page=False,
    finding=finding,
    datasets=("events",),
    render=render,
)
