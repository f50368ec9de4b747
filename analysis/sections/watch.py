"""What to watch: scheduled and announced events after the range's end that bear on the three
relationships, from the curated calendar (``watch_calendar``)."""

from __future__ import annotations

import html

import pandas as pd

from analysis.model.dyads import NAMES
from analysis.render.context import BriefingContext
from analysis.render.document import Document, paragraph
from analysis.render.formats import publisher
from analysis.sections.base import Section

#: How far past the range's end the calendar is read.
HORIZON_MONTHS = 18
STATUS = {
    "scheduled": "scheduled",
    "announced": "announced",
    "expected": "expected: the Council's monthly rotation",
}


def when(date: pd.Timestamp, precision: str) -> str:
    """'23 June 2027', 'February 2027' or '2027', as precise as the source is."""
    if precision == "day":
        return f"{date.day} {date:%B %Y}"
    if precision == "month":
        return f"{date:%B %Y}"
    if precision == "year":
        return f"{date:%Y}"
    raise ValueError(f"unknown date precision {precision!r}; expected day, month or year")


def upcoming(calendar: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """The calendar's events after ``end`` and within HORIZON_MONTHS of it, in date order."""
    horizon = end + pd.DateOffset(months=HORIZON_MONTHS)
    rows = calendar[(calendar["date"] > end) & (calendar["date"] <= horizon)]
    return rows.sort_values(["date", "event_id"], kind="stable")


def watch_table(rows: pd.DataFrame) -> pd.DataFrame:
    pairs = rows["dyads"].map(lambda s: ", ".join(NAMES[d] for d in s.split(";")))
    return pd.DataFrame(
        {
            "When": [
                f"{when(d, p)} ({STATUS[s]})"
                for d, p, s in zip(
                    rows["date"], rows["date_precision"], rows["status"], strict=True
                )
            ],
            "Event": rows["event"] + " (" + pairs + ")",
            "Why it matters": rows["why"],
            "Source": [
                f'<a href="{html.escape(u)}">{html.escape(publisher(s))}</a>'
                for s, u in zip(rows["source"], rows["source_url"], strict=True)
            ],
        }
    )


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    if "watch_calendar" not in ctx.ds:
        return [paragraph("No calendar of scheduled events is among the data of this briefing.")]
    calendar = ctx.ds.watch_calendar
    rows = upcoming(calendar, ctx.end)
    if rows.empty:
        if calendar.empty:
            text = "The calendar of scheduled events holds nothing known at this briefing's date."
        else:
            text = (
                f"No scheduled event on file falls in the {HORIZON_MONTHS} months after "
                f"{ctx.end.day} {ctx.end:%B %Y}; the calendar runs from "
                f"{calendar['date'].min():%B %Y} to {calendar['date'].max():%B %Y}."
            )
        return [paragraph(text)]
    caption = (
        f"Scheduled and announced events in the {HORIZON_MONTHS} months after "
        f"{ctx.end.day} {ctx.end:%B %Y} (not a complete calendar: summits whose dates had not been "
        "announced are not listed)."
    )
    return [
        doc.table(
            watch_table(rows),
            caption,
            ["watch_calendar"],
            raw_html=["Source"],
            css="briefing-table small",
        )
    ]


SECTION = Section(
    key="watch",
    title="What to watch",
    datasets=("watch_calendar",),
    render=render,
    new_page=False,
    heading_level=3,
)
