"""What changed: since the previous briefing of the same range, when the reports folder holds
one, else over the last year of the range — the headline figures that moved and the events
recorded since.

The previous briefing is the newest one in the reports folder that starts on the same day,
ends on or before this one's end and was made from data that ended earlier (its ``data.end``
in ``figures.json``); a briefing as of an earlier day is not one. Its figures are compared
with this briefing's by the keys under which both quote them (:data:`FIGURES`).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.integrity import Damaged, read_regular
from analysis.model.dyads import NAMES
from analysis.model.triangle import dyad_facts
from analysis.render.context import BriefingContext
from analysis.render.document import Document, paragraph
from analysis.render.formats import index_points, usd_bn
from analysis.sections.base import Section

#: Most events listed as new.
NEW_EVENTS = 5
#: Events of at least this significance (2 notable, 3 landmark) are listed as new.
MIN_SIGNIFICANCE = 2


@dataclass(frozen=True)
class Figure:
    """A headline figure compared across briefings: the key both quote it under, its label,
    how this briefing computes it and how it is printed."""

    key: str
    label: str
    value: Callable[[BriefingContext], Any]
    fmt: Callable[[Any], str]


def _level(dyad: str) -> Callable[[BriefingContext], Any]:
    return lambda ctx: dyad_facts(ctx.step.yearly, dyad, ctx.facts.period).get("level")


def _verdict(dyad: str) -> Callable[[BriefingContext], Any]:
    return lambda ctx: dyad_facts(ctx.step.yearly, dyad, ctx.facts.period).get("verdict")


def _metric(section: str, name: str) -> Callable[[BriefingContext], Any]:
    return lambda ctx: ctx.facts.current[section].get(name)


def _text(x: Any) -> str:
    return str(x)


def _points(x: Any) -> str:
    return index_points(float(x))


def _count(x: Any) -> str:
    return f"{int(x):,}"


FIGURES: tuple[Figure, ...] = (
    *(
        Figure(
            f"triangle.{d.lower().replace('-', '_')}.level",
            f"{NAMES[d]} index, last whole year",
            _level(d),
            _points,
        )
        for d in ("CHN-RUS", "CHN-USA", "RUS-USA")
    ),
    *(
        Figure(
            f"triangle.{d.lower().replace('-', '_')}.verdict",
            f"{NAMES[d]} over the range",
            _verdict(d),
            _text,
        )
        for d in ("CHN-RUS", "CHN-USA", "RUS-USA")
    ),
    Figure(
        "economic.last_value",
        "China–Russia trade, latest year",
        _metric("economic", "last_value"),
        usd_bn,
    ),
    Figure(
        "un.vetoes_joint",
        "Security Council vetoes cast together",
        _metric("un", "vetoes_joint"),
        _count,
    ),
    Figure(
        "military.exercises", "Joint military exercises", _metric("military", "exercises"), _count
    ),
    Figure(
        "diplomatic.leader_meetings",
        "Leader meetings and visits",
        _metric("diplomatic", "leader_meetings"),
        _count,
    ),
)


def previous_briefing(ctx: BriefingContext, reports: Path | None = None) -> dict | None:
    """The figures of the previous briefing of this range (see the module docstring), with
    ``data.end`` as a Timestamp under ``"_data_end"``; None when there is none."""
    reports = Path(reports or config.REPORTS_DIR)
    if not reports.is_dir():
        return None
    now_end = _data_end(ctx)
    best: tuple[pd.Timestamp, dict] | None = None
    for path in reports.glob("*/figures.json"):
        try:
            numbers = json.loads(read_regular(path).decode("utf-8"))  # a FIFO: skipped
            start = pd.Timestamp(numbers["range.start"]["value"])
            end = pd.Timestamp(numbers["range.end"]["value"])
            data_end = pd.Timestamp((numbers.get("data.end") or numbers["range.as_of"])["value"])
        except (OSError, ValueError, KeyError, TypeError, Damaged):
            continue  # not a briefing this version can read
        if "as-of" in path.parent.name or start != ctx.start or end > ctx.end:
            continue
        if data_end >= now_end:
            continue
        if best is None or data_end > best[0]:
            best = (data_end, numbers)
    if best is None:
        return None
    return {**best[1], "_data_end": best[0]}


def _data_end(ctx: BriefingContext) -> pd.Timestamp:
    from analysis.model.composite import vintage_end

    return vintage_end(ctx.ds)


def changed_figures(ctx: BriefingContext, previous: dict) -> pd.DataFrame:
    """Figure | Previous briefing | This briefing, for every headline figure whose printed
    value differs (a figure only one of them measured shows "—" on the other side)."""
    rows = []
    for f in FIGURES:
        now = f.value(ctx)
        now_text = "—" if now is None else f.fmt(now)
        before = previous.get(f.key)
        before_text = (
            "—" if before is None or before.get("value") is None else f.fmt(before["value"])
        )
        if now_text != before_text:
            rows.append(
                {"Figure": f.label, "Previous briefing": before_text, "This briefing": now_text}
            )
    return pd.DataFrame(rows, columns=["Figure", "Previous briefing", "This briefing"])


def year_on_year(ctx: BriefingContext) -> pd.DataFrame:
    """Dyad | <year before> | <last year> | Change: each dyad's index in the last year ended
    in the range against the year before."""
    from analysis.sections.bottom_line import _last_year_ended

    measure = ctx.step.yearly
    last = _last_year_ended(measure.series("CHN-RUS"), ctx.facts.period)
    if last is None:
        return pd.DataFrame()
    rows = []
    for d in ("CHN-RUS", "CHN-USA", "RUS-USA"):
        s = measure.series(d)
        a, b = s.get(last - 1), s.get(last)
        if a is None or b is None or pd.isna(a) or pd.isna(b):
            continue
        rows.append(
            {
                "Pair": NAMES[d],
                str(last - 1): _points(a),
                str(last): _points(b),
                "Change": _points(b - a),
            }
        )
    return pd.DataFrame(rows)


def new_events(ctx: BriefingContext, after: pd.Timestamp) -> pd.DataFrame:
    """Notable and landmark events of the three pairs dated after ``after`` up to the range's
    end, newest first, at most NEW_EVENTS."""
    frames = []
    for name in ("events", "us_events"):
        ev = getattr(ctx.ds, name)
        keep = (
            (ev["date"] > after)
            & (ev["date"] <= ctx.end)
            & (ev["significance"] >= MIN_SIGNIFICANCE)
        )
        frames.append(ev.loc[keep, ["date", "significance", "description"]])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["date", "significance"], ascending=[False, False]).head(NEW_EVENTS)


def _day(when: pd.Timestamp) -> str:
    return f"{when.day} {when:%B %Y}"


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    previous = previous_briefing(ctx)
    if previous is not None:
        since = previous["_data_end"]
        doc.quotes("changed.previous_data_end", f"{since:%Y-%m-%d}", str)
        table = changed_figures(ctx, previous)
        lead = f"Since the previous briefing of this range, made with data to {_day(since)}, "
        lead += (
            f"{len(table)} of its headline figures moved."
            if len(table)
            else "none of its headline figures moved."
        )
        parts = [paragraph(lead)]
        if len(table):
            parts.append(
                doc.table(
                    table,
                    "Headline figures that moved since the previous briefing of this range.",
                    css="briefing-table small",
                )
            )
    else:
        since = ctx.end - pd.DateOffset(years=1)
        table = year_on_year(ctx)
        parts = [
            paragraph(
                "No earlier briefing of this range is on file, so this compares the last year of "
                "the range with the year before."
            )
        ]
        if len(table):
            parts.append(
                doc.table(
                    table,
                    "Each pair's index in the last year ended in the "
                    "range against the year before.",
                    numeric=list(table.columns[1:]),
                    css="briefing-table small",
                )
            )
    events = new_events(ctx, since)
    if len(events):
        items = "".join(
            f"<li>{_day(r.date)}: {html.escape(r.description)}</li>"
            for r in events.itertuples(index=False)
        )
        parts.append(paragraph(f"Events recorded since {_day(since)}, newest first:"))
        parts.append(f'<ul class="new-events">{items}</ul>')
    else:
        parts.append(paragraph(f"No notable event is recorded after {_day(since)}."))
    return parts


SECTION = Section(
    key="what_changed",
    title="What changed",
    datasets=("events", "us_events"),
    render=render,
    new_page=False,
    heading_level=3,
)
