"""What every section is made of: its declaration, the rows of its comparison table, and the one
generic renderer of a dimension section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.data.loader import Datasets
from analysis.model.inputs import MetricInputs
from analysis.model.periods import NONE, Period, combined_state, day_label
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes, note, paragraph
from analysis.render.formats import NA, _minus, share

#: A section's metrics over one period: (datasets, period, shared inputs) -> plain values.
MetricFn = Callable[[Datasets, Period, MetricInputs], dict[str, Any]]
Sentence = Callable[[dict, dict, Any], str | None]


@dataclass(frozen=True)
class Row:
    """A row of a comparison table: metric key, label, formatter, and the resolution whose
    metrics hold it (``year`` or ``month``; None: both)."""

    key: str
    label: str
    fmt: Callable[[Any], str]
    resolution: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    #: The section's finding in one sentence, printed first (a dimension section's is its first
    #: sentence); None for the sections that open with their own judgements or references.
    finding: Callable[[BriefingContext], str] | None = None
    datasets: tuple[str, ...] = ()
    # dimension sections
    metrics: MetricFn | None = None
    rows: tuple[Row, ...] = ()
    table_title: str = ""
    sentences: tuple[Sentence, ...] = ()
    figure: Callable[[BriefingContext], tuple[Any, str]] | None = None
    indicators: Callable | None = None
    extra: Callable[[BriefingContext, Document], list[str]] | None = None
    measurable_with: tuple[str, ...] = ()  # datasets any of which makes it measurable
    # other sections
    render: Callable[[BriefingContext, Document], list[str]] | None = None
    new_page: bool = True
    heading_level: int = 2

    @property
    def is_dimension(self) -> bool:
        return self.metrics is not None


SHADING = (
    " The chart starts and ends at the range; a year the range covers only in part is labelled "
    "with the days it covers."
)


def frame_args(ctx: BriefingContext) -> dict:
    return {"start": ctx.start, "end": ctx.end, "prev_start": None}


def edge_note(ctx: BriefingContext) -> str:
    """The caption's statement of the range and of its partial first and last months."""
    return (
        f" By calendar month, {day_label(ctx.start)} to {day_label(ctx.end)}; the first and "
        "last months count only the days inside the range."
    )


def inside_dates(frame: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    return frame[(frame[column] >= pd.Timestamp(start)) & (frame[column] <= pd.Timestamp(end))]


def _cell(value: Any, fmt: Callable[[Any], str]) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return NA
    return fmt(value)


def _change(now: Any, before: Any, fmt: Callable[[Any], str]) -> str:
    """now − before in the row's own format, signed ('+23', '−$38.0 bn', '+4.1%')."""
    if now is None or before is None or isinstance(now, str) or isinstance(before, str):
        return ""
    diff = now - before
    if fmt is share:  # a change of shares is in percentage points
        return _minus(f"{diff * 100:+.1f} pp") if diff else "0.0 pp"
    text = fmt(diff)
    if diff > 0 and not text.startswith("+"):
        text = "+" + text
    return text


def comparison(dimension: str, spec, facts, q: Quotes, *, with_prior: bool = True) -> pd.DataFrame:
    """Metric | preceding period | range | change, for one section; ``spec``: its rows (key,
    label, fmt), as the section registry declares them. Without ``with_prior`` (the preceding
    period lies outside the section's data) the table is Metric | range: no column of n/a."""
    now, before = facts.current[dimension], facts.prior[dimension]
    rows = []
    resolution = now.get("resolution", "year")
    for key, label, fmt in (
        (r.key, r.label, r.fmt) for r in spec if r.resolution in (None, resolution)
    ):
        a, b = before.get(key), now.get(key)
        if a is None and b is None:  # no data in either period
            continue
        row = {"Metric": label}
        if with_prior:
            row[f"Preceding ({facts.previous.short})"] = q(
                f"table.{dimension}.{key}.prior", a, lambda v, f=fmt: _cell(v, f)
            )
        row[f"Range ({facts.period.short})"] = q(
            f"table.{dimension}.{key}.range", b, lambda v, f=fmt: _cell(v, f)
        )
        if with_prior:
            row["Change"] = q(f"table.{dimension}.{key}.change", _change(b, a, fmt), str)
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_table(section: Section, ctx: BriefingContext, doc: Document) -> str | None:
    """A dimension section's table of the range against its preceding period (printed in the
    annex of tables); None when the section has no rows or no data in the range."""
    facts = ctx.facts
    state = combined_state(
        section.measurable_with or section.datasets, facts.period, ctx.ds.data_dir
    )
    if not section.rows or state == NONE:
        return None
    before = facts.prior[section.key]
    with_prior = before.get("coverage") != NONE
    table = comparison(section.key, section.rows, facts, doc.quotes, with_prior=with_prior)
    against = (
        f"against the preceding period ({facts.previous.label})"
        if with_prior
        else f"(the preceding period, {facts.previous.label}, lies before the data)"
    )
    return doc.table(
        table,
        f"{section.table_title}: the range ({facts.period.label}) {against}.",
        section.datasets,
        numeric=list(table.columns[1:]),
    )


def render_dimension(section: Section, ctx: BriefingContext, doc: Document) -> list[str]:
    """The finding and other sentences, figure and extras of a dimension section."""
    facts, q = ctx.facts, doc.quotes
    state = combined_state(
        section.measurable_with or section.datasets, facts.period, ctx.ds.data_dir
    )
    if state == NONE:
        names = "; ".join(doc.dataset_title(n) for n in section.datasets)
        return [
            note(
                f"Not measurable for {facts.period.label}: the data ({names}) do not cover "
                "this range.",
                "not-measurable",
            )
        ]
    now, before = facts.current[section.key], facts.prior[section.key]
    said = [t for build in section.sentences if (t := build(now, before, q))]
    parts = [paragraph(t, "finding" if i == 0 else None) for i, t in enumerate(said)]
    if section.figure is not None:
        parts.append(doc.figure_later(lambda: section.figure(ctx), section.datasets))
    if section.extra is not None:
        parts.extend(section.extra(ctx, doc))
    return parts
