"""The document machinery of a briefing, used by every section: numbering, captions, source
lines, coverage notes, headings, and the quoted numbers that become ``figures.json``.

A :class:`Document` is created once per briefing; sections receive it and never number or cite
anything themselves. :meth:`Document.payload` is the notebook's last output (see
:mod:`analysis.protocol`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import sidecars
from analysis.protocol import DOCUMENT_MIME, FILES_MIME, NUMBERS_MIME, OUTPUT_TAG


class Quotes:
    """Records each quoted number: ``key -> {"value": raw, "text": as printed}``."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, Any]] = {}

    def __call__(self, key: str, value: Any, fmt: Callable[[Any], str]) -> str:
        text = fmt(value)
        raw = value
        if isinstance(value, float) and math.isnan(value):
            raw = None
        elif hasattr(value, "item"):
            raw = value.item()
        self.values[key] = {"value": raw, "text": text}
        return text


class Payload:
    """Display object carrying the quoted numbers and the document facts; hidden in the PDF,
    read by the build pipeline."""

    def __init__(
        self, values: dict[str, Any], document: dict[str, Any], files: dict[str, str] | None = None
    ):
        self.values = values
        self.document = document
        self.files = dict(files or {})

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {
            NUMBERS_MIME: self.values,
            DOCUMENT_MIME: self.document,
            FILES_MIME: self.files,
            "text/plain": f"{len(self.values)} quoted numbers",
        }
        return data, dict(OUTPUT_TAG)


def escape(text: str) -> str:
    return html.escape(text)


def paragraph(text: str, css: str | None = None) -> str:
    cls = f' class="{css}"' if css else ""
    return f"<p{cls}>{html.escape(text)}</p>"


def note(text: str, css: str = "note") -> str:
    return paragraph(text, css)


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    numeric: Sequence[str] = (),
    css: str = "briefing-table",
    raw_html: Sequence[str] = (),
) -> str:
    """An escaped HTML table with its caption below (numbers right-aligned)."""
    head = "".join(
        f'<th class="{"num" if c in numeric else ""}">{html.escape(str(c))}</th>'
        for c in frame.columns
    )
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in frame.columns:
            v = row[c]
            text = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
            text = text if c in raw_html else html.escape(text)
            css_class = "num" if c in numeric else ("nowrap" if c == "Date" else "")
            cells.append(f'<td class="{css_class}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{css}"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


#: A caption cites at most this many datasets by name; more are cited as a group.
MAX_CITED = 4


def publishers(meta: dict) -> str:
    """Who published a dataset, from its sidecar's producers: the curation itself left out, a
    list of "publishers named in each row" given by its first few names."""
    import re

    out = []
    for p in meta.get("producers") or []:
        p = str(p)
        if p.startswith("relations-briefing"):
            named = re.search(r"\((?:hand-)?compiled from ([^)]*)\)", p)
            if named:
                out.append(named.group(1))
            continue
        listed = re.match(
            r"(?:Publishers|News agencies and newspapers) named in each row \((.*)\)$", p
        )
        if listed:
            names = [n.strip() for n in listed.group(1).split(",") if n.strip()]
            names = [n for n in names if not n.startswith("and ")][:3]
            out.append(", ".join(names) + " and others")
        else:
            out.append(re.sub(r" \([^)]*\)", "", p))
    return "; ".join(list(dict.fromkeys(out))[:3])


def cite(meta: dict) -> str:
    """'SIPRI, Soviet and Russian arms transfers to China ...': publisher, then title."""
    who = publishers(meta)
    return f"{who}, “{meta['title']}”" if who else f"“{meta['title']}”"


class Document:
    """Numbered figures and tables with captions that cite their datasets, for one briefing."""

    def __init__(self, data_dir: Path | None = None):
        self.data_dir = data_dir
        self.quotes = Quotes()
        self.figures = 0
        self.tables = 0

    # ---- citing ---------------------------------------------------------------------------

    def dataset_title(self, name: str) -> str:
        return str(sidecars.read_meta(name, self.data_dir)["title"])

    def source_line(self, names: Iterable[str]) -> str:
        """'Source: <publisher>, <title>.' for each dataset (file names are in the Sources
        annex only); more than MAX_CITED datasets are cited as a group."""
        names = list(names)
        if len(names) > MAX_CITED:
            return (
                f"Sources: the {len(names)} datasets of the composite index, each listed with "
                "its publishers under Data used and Sources in the annexes."
            )
        parts = [cite(sidecars.read_meta(n, self.data_dir)) for n in names]
        return ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts) + "."

    # ---- numbered blocks ------------------------------------------------------------------

    def figure(self, svg: str, caption: str, names: Sequence[str]) -> str:
        """A numbered figure (``svg`` already rendered) with its caption and source line."""
        self.figures += 1
        return _figure_html(self.figures, svg, caption, self.source_line(names))

    def figure_later(self, make: Callable[[], tuple[Any, str]], names: Sequence[str]) -> str:
        """A numbered figure whose chart and caption ``make()`` returns, made by a child process
        while the kernel goes on when the build asked for it (see
        :mod:`analysis.render.figures.background`); ``make`` must leave no effect the briefing
        needs (no quoted numbers). The number and the source line are fixed here and now."""
        from analysis.render.figures import _svg, background

        self.figures += 1
        number, source = self.figures, self.source_line(names)

        def made() -> str:
            from analysis.render.figures.data import csv_block

            fig, caption = make()
            data = csv_block(number, fig)  # read before _svg closes the figure
            return _figure_html(number, _svg(fig), caption, source) + data

        return background.later(made)

    def table(self, frame, caption: str, names: Sequence[str] | None = None, **kw: Any) -> str:
        """A numbered table with its caption (and source line when ``names`` are given)."""
        self.tables += 1
        src = f" {html.escape(self.source_line(names))}" if names else ""
        cap = f"<b>Table {self.tables}.</b> {html.escape(caption)}{src}"
        return html_table(frame, caption=cap, **kw)

    @staticmethod
    def heading(title: str, *, level: int = 2, new_page: bool = True) -> str:
        """A section heading (the table of contents lists the h2s; the PDF outline all)."""
        brk = '<div class="page-break"></div>' if new_page else ""
        return f"{brk}<h{level}>{html.escape(title)}</h{level}>"

    # ---- coverage -------------------------------------------------------------------------

    def coverage_note(self, names: Sequence[str], periods: Sequence[tuple[str, Any]]) -> str | None:
        """One sentence on where each period passes a dataset's coverage (None when none does).

        ``periods`` are (label, Period) pairs, e.g. ("the range", …), ("the preceding period", …).
        """
        clauses = []
        for label, period in periods:
            gaps = []
            for name in names:
                first, last = sidecars.coverage_dates(name, self.data_dir)
                if first is None:
                    continue
                title = self.dataset_title(name)
                if period.end.date() < first or period.start.date() > last:
                    gaps.append(f"{title} does not cover it ({first:%Y-%m-%d} to {last:%Y-%m-%d})")
                else:
                    if period.start.date() < first:
                        gaps.append(f"{title} begins {first:%Y-%m-%d}")
                    if period.end.date() > last:
                        gaps.append(f"{title} ends {last:%Y-%m-%d}")
            if gaps:
                clauses.append(f"for {label} ({period.label}), " + "; ".join(gaps))
        if not clauses:
            return None
        return "Coverage: " + " — ".join(clauses) + ". Figures count only what the data cover."

    # ---- the payload ----------------------------------------------------------------------

    def payload(
        self,
        values: dict[str, dict[str, Any]],
        document: dict[str, Any],
        files: dict[str, str] | None = None,
    ) -> Payload:
        """Every number quoted so far plus ``values``, the figure and table counts, the
        document facts for the title block and the data ``files`` written beside the PDF."""
        out = dict(self.quotes.values)
        out.update(values)
        out["counts.figures"] = {"value": self.figures, "text": str(self.figures)}
        out["counts.tables"] = {"value": self.tables, "text": str(self.tables)}
        return Payload(out, document, files)


def _figure_html(number: int, svg: str, caption: str, source: str) -> str:
    return (
        f'<figure class="briefing-figure">{svg}<figcaption><b>Figure {number}.</b> '
        f"{html.escape(caption)} {html.escape(source)}</figcaption></figure>"
    )
