"""How current the data are: each source's latest observation against the end of the range
(:func:`analysis.data.freshness.freshness`), so that a reader sees how far each one reaches."""

from __future__ import annotations

import re

import pandas as pd

from analysis.data.freshness import dated, freshness
from analysis.model.components import datasets_of
from analysis.render.context import BriefingContext
from analysis.render.document import Document
from analysis.sections.base import Section


def used_datasets(ds) -> list[str]:
    """The dated datasets the briefing's sections and the composite read, once each."""
    from analysis.sections import SECTIONS

    names = list(datasets_of())
    for s in SECTIONS:
        names.extend(n for n in s.datasets if n not in ("watch_calendar",))
    names = [n for n in dict.fromkeys(names) if n in ds]
    return dated(ds, names)


def short_title(title: str, width: int = 70) -> str:
    """A dataset's title without its years and parentheses, cut to ``width`` characters at a
    word: 'UN Security Council vetoes'."""
    text = re.sub(r"\s*\([^)]*\)", "", title)  # parentheses out, not cut at
    text = re.split(r", \d{4}|:| - ", text)[0].strip(" ,-–")
    if len(text) <= width:
        return text
    return text[: text.rfind(" ", 0, width - 1)].rstrip(" ,-–") + "…"


def last_seen(row) -> str:
    """'2025' for a yearly figure, '20 May 2026' for a dated row, '—' before the first row."""
    when, precision = row["last_observation"], row["precision"]
    if pd.isna(when):
        return "—"
    return f"{when:%Y}" if precision == "year" else f"{when.day} {when:%b %Y}"


def freshness_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Source | Latest observation | Months before the end, stalest first."""
    ordered = frame.assign(_m=frame["months_before_end"].astype(float).fillna(1e9)).sort_values(
        ["_m", "title"], ascending=[False, True]
    )
    return pd.DataFrame(
        {
            "Source": ordered["title"].map(short_title),
            "Latest observation": [last_seen(r) for _, r in ordered.iterrows()],
            "Months before the end": ordered["months_before_end"].map(
                lambda m: "no row yet" if m is None or pd.isna(m) else str(int(m))
            ),
        }
    )


def vintage_line(ds, end) -> str:
    """The title block's honest vintage: the spread of the sources' latest observations."""
    frame = freshness(ds, used_datasets(ds), end).dropna(subset=["last_observation"])
    if frame.empty:
        return "no source holds a row before the range's end"
    newest = frame["last_observation"].max()
    oldest = frame.loc[frame["last_observation"].idxmin()]
    stale = int((frame["months_before_end"].astype(float) > 12).sum())
    return (
        f"sources reach from {last_seen(oldest)} ({short_title(oldest['title'])}) to "
        f"{newest.day} {newest:%B %Y}; {stale} of {len(frame)} end more than a year before the "
        "range's end (see How current the data are)"
    )


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    names = used_datasets(ctx.ds)
    frame = freshness(ctx.ds, names, ctx.end)
    caption = (
        f"How far each source reaches: its latest observation and the whole months from it to "
        f"the end of the range ({ctx.end.day} {ctx.end:%B %Y}), stalest first; a yearly figure "
        "counts for its whole year."
    )
    table = freshness_table(frame)
    return [
        doc.table(
            table, caption, numeric=["Months before the range's end"], css="briefing-table small"
        )
    ]


SECTION = Section(
    key="freshness",
    title="How current the data are",
    render=render,
    new_page=False,
    heading_level=3,
)
