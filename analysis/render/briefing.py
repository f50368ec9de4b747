"""The briefing as the notebook sees it: one object, one call per section.

``Briefing(start, end)`` loads and validates the data, builds the composite index over the
full history and measures the range against its preceding period. Each method returns a
displayable HTML block (numbered figures and tables with captions that cite their sources);
:meth:`Briefing.numbers` emits every quoted number for ``figures.json``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML

from analysis import config, sidecars
from analysis.data.loader import load_all, read_meta
from analysis.data.selection import select_sources
from analysis.indicators import (
    arms_tiv,
    attach_goldstein,
    event_scores,
    exercises_per_year,
    meetings_per_year,
    partnership_level,
    rolling_event_scores,
    significant_events,
    trade_indicators,
    unga_agreement,
    vetoes_per_year,
)
from analysis.indicators._common import empty_tidy
from analysis.model.claims import check_claims
from analysis.model.facts import range_facts
from analysis.model.phases import BANDS, change_points, composite_index, phase_summary
from analysis.params import resolve_as_of, resolve_range
from analysis.protocol import DOCUMENT_MIME, NUMBERS_MIME, OUTPUT_TAG
from analysis.render import figures as F
from analysis.render import method
from analysis.render import tables as T
from analysis.render.narrative import Quotes, key_findings, section_sentences

KEY_EVENTS_LIMIT = 16
MONTHLY_EVENTS_MAX_YEARS = 5

SECTION_SOURCES = {
    "diplomatic": ["events", "partnership_designations"],
    "un": ["unsc_vetoes", "unga_roll_calls"],
    "economic": ["trade"],
    "military": ["military_cooperation", "arms_transfers"],
    "events": ["events", "cameo_goldstein"],
}


#: Until the component registry owns it: the method line of the title block.
METHOD_LINE = (
    "Composite of seven min–max normalised components (designations, leader meetings, coded "
    "events, UNGA voting, joint vetoes, trade, joint exercises) on a −9..+9 scale; see Method."
)


class Numbers:
    """Display object carrying the quoted numbers and the document facts (see
    :mod:`analysis.protocol`); hidden in the PDF, read by the build pipeline."""

    def __init__(self, values: dict[str, Any], document: dict[str, Any] | None = None):
        self.values = values
        self.document = document or {}

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {
            NUMBERS_MIME: self.values,
            DOCUMENT_MIME: self.document,
            "text/plain": f"{len(self.values)} quoted numbers",
        }
        return data, dict(OUTPUT_TAG)


class Briefing:
    """Everything one briefing shows, for the range [start, end]."""

    def __init__(
        self,
        start: str | None = None,
        end: str | None = None,
        *,
        as_of: str | None = None,
        data_dir: Path | None = None,
        external_dir: Path | None = None,
    ):
        s, e = resolve_range(start, end, data_dir=data_dir)
        self.start, self.end = pd.Timestamp(s), pd.Timestamp(e)
        self.as_of = pd.Timestamp(resolve_as_of(as_of, e, data_dir=data_dir))
        self.ds = load_all(data_dir)
        self.sources = select_sources(self.ds, external_dir)
        self.result = composite_index(self.ds)
        self.facts = range_facts(self.ds, self.result, self.start, self.end, self.sources.votes)
        self.quotes = Quotes()
        self._figures = 0
        self._tables = 0
        self.window_start = max(self.facts.previous.start, pd.Timestamp("1989-01-01"))

    # ---- plumbing -------------------------------------------------------------------------

    def _sources(self, names: list[str]) -> str:
        parts = [f"{read_meta(n, self.ds.data_dir)['title']} (data/{n}.csv)" for n in names]
        return "Source: " + "; ".join(parts) + "."

    def _figure(self, fig, caption: str, names: list[str]) -> str:
        self._figures += 1
        return (
            f'<figure class="briefing-figure">{F.to_svg(fig)}<figcaption><b>Figure {self._figures}.</b> '
            f"{html.escape(caption)} {html.escape(self._sources(names))}</figcaption></figure>"
        )

    def _table(
        self, frame: pd.DataFrame, caption: str, names: list[str] | None = None, **kw
    ) -> str:
        self._tables += 1
        src = f" {html.escape(self._sources(names))}" if names else ""
        cap = f"<b>Table {self._tables}.</b> {html.escape(caption)}{src}"
        return T.html_table(frame, caption=cap, **kw)

    def _coverage_note(self, names: list[str]) -> str | None:
        """One sentence on where the range or the preceding period passes a dataset's coverage."""
        clauses = []
        for label, period in (
            ("the range", self.facts.period),
            ("the preceding period", self.facts.previous),
        ):
            gaps = []
            for name in names:
                first, last = sidecars.coverage_dates(name, self.ds.data_dir)
                if first is None:
                    continue
                if period.end.date() < first or period.start.date() > last:
                    gaps.append(
                        f"{name}.csv does not cover it ({first:%Y-%m-%d} to {last:%Y-%m-%d})"
                    )
                else:
                    if period.start.date() < first:
                        gaps.append(f"{name}.csv begins {first:%Y-%m-%d}")
                    if period.end.date() > last:
                        gaps.append(f"{name}.csv ends {last:%Y-%m-%d}")
            if gaps:
                clauses.append(f"for {label} ({period.label}), " + "; ".join(gaps))
        if not clauses:
            return None
        return "Coverage: " + " — ".join(clauses) + ". Figures count only what the data cover."

    def _begins(self, name: str) -> pd.Timestamp:
        """First day a dataset covers (charts do not draw zeros before a dataset begins)."""
        return pd.Timestamp(sidecars.coverage_dates(name, self.ds.data_dir)[0])

    @staticmethod
    def _note(text: str, css: str = "note") -> str:
        return f'<p class="{css}">{html.escape(text)}</p>'

    @property
    def range_label(self) -> str:
        return self.facts.period.label

    # ---- sections -------------------------------------------------------------------------

    def key_findings(self) -> HTML:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in key_findings(self.facts, self.quotes))
        return HTML(f'<ul class="findings">{items}</ul>')

    def phase_timeline(self) -> HTML:
        series = self.result.series()
        breaks = change_points(series)
        fig = F.phase_timeline_figure(
            series,
            bands=BANDS,
            designations=self.ds.partnership_designations,
            breaks=breaks,
            start=self.start,
            end=self.end,
        )
        caption = (
            "Composite relationship index by year, 1989 to the end of the data, on the −9..+9 scale "
            "(relative to this relationship's own post-1989 range). Shaded box: the requested range. "
            "Triangles: designation changes (level number above). Dashed lines: change points found by "
            "PELT (ruptures, l2 cost, default penalty). Background: the six bands."
        )
        summary = T.phase_summary_table(
            phase_summary(self.result, self.ds.partnership_designations, breaks), self.quotes
        )
        table = self._table(
            summary,
            "The official phases (from the designation ladder) against the composite: its mean over "
            "each phase's years, the band of that mean, and the data-driven change points inside.",
            method.COMPOSITE_SOURCES,
            css="briefing-table small",
        )
        return HTML(self._figure(fig, caption, method.COMPOSITE_SOURCES) + table)

    def _designations(self) -> str:
        des = T.designations_table(self.ds.partnership_designations.sort_values("date"))
        return self._table(
            des,
            "The official ladder of designations (levels rise only on normalisation, upgrade and "
            "treaty rows).",
            ["partnership_designations"],
            css="briefing-table small",
        )

    def _not_measurable(self, dimension: str) -> str | None:
        """A note instead of an empty chart when none of the dimension's data cover the range."""
        current = self.facts.current[dimension]
        state = current.get("coverage")
        if dimension == "military" and current.get("arms_tiv") is not None:
            state = "partial"  # SIPRI's series reaches back before the exercises begin
        if state == "none":
            names = ", ".join(f"{n}.csv" for n in SECTION_SOURCES[dimension])
            return self._note(
                f"Not measurable for {self.range_label}: {names} do not cover this range.",
                "not-measurable",
            )
        return None

    def section(self, dimension: str) -> HTML:
        """Figure and comparison table (range vs preceding period of equal length) of one dimension."""
        if dimension not in SECTION_SOURCES:
            raise ValueError(
                f"unknown dimension {dimension!r}; choose from {sorted(SECTION_SOURCES)}"
            )
        missing = self._not_measurable(dimension)
        if missing:
            return HTML(missing)
        s, e, w = self.start, self.end, self.window_start
        prev = max(self.facts.previous.start, self.window_start)  # shade only what is drawn
        names = SECTION_SOURCES[dimension]
        parts: list[str] = [
            f"<p>{html.escape(t)}</p>"
            for t in section_sentences(dimension, self.facts, self.quotes)
        ]
        if dimension == "diplomatic":
            fig = F.diplomatic_figure(
                meetings_per_year(self.ds.events, start=w, end=e),
                partnership_level(self.ds.partnership_designations, start=w, end=e),
                start=s,
                end=e,
                prev_start=prev,
            )
            cap = "Leader-level meetings and state/official visits per year, with the designation level."
        elif dimension == "un":
            votes = self.sources.votes
            fig = F.un_figure(
                vetoes_per_year(self.ds.unsc_vetoes, start=w, end=e),
                unga_agreement(votes, start=w, end=e),
                start=s,
                end=e,
                prev_start=prev,
            )
            cap = (
                f"General Assembly votes: {self.sources.votes_label}. "
                "Security Council vetoes per year and China–Russia agreement on General Assembly "
                "roll calls (S-score: yes=1, abstain=2, no=3, d_max=2)."
            )
        elif dimension == "economic":
            fig = F.economic_figure(
                trade_indicators(self.ds.trade, start=w, end=e), start=s, end=e, prev_start=prev
            )
            cap = (
                "China–Russia merchandise trade as reported by China's customs, current US$ billion; "
                "bars where exports and imports are reported, gaps where no figure could be cited."
            )
        elif dimension == "military":
            begins = max(w, self._begins("military_cooperation"))
            exercises = (
                exercises_per_year(self.ds.military_cooperation, start=begins, end=e)
                if begins <= e
                else empty_tidy()
            )
            fig = F.military_figure(
                exercises,
                arms_tiv(self.ds.arms_transfers, series=self.facts.arms_series, start=w, end=e),
                start=s,
                end=e,
                prev_start=prev,
            )
            cap = (
                (
                    ""
                    if len(exercises)
                    else "No joint-exercise data cover these years (the dataset "
                    "begins in 2003), so only arms deliveries are drawn. "
                )
                + f"Joint exercises by domain and joint patrols per year; arms deliveries in SIPRI TIV "
                f"(one SIPRI vintage throughout: {self.facts.arms_series})."
            )
        else:
            coded = attach_goldstein(self.ds.events, self.ds.cameo_goldstein)
            if (e.year - s.year) < MONTHLY_EVENTS_MAX_YEARS:
                fig = F.monthly_events_figure(rolling_event_scores(coded, start=s, end=e))
                cap = "Coded bilateral events in the range: 12-month rolling net cooperation and mean Goldstein score."
            else:
                fig = F.events_figure(
                    event_scores(coded, start=w, end=e), None, start=s, end=e, prev_start=prev
                )
                cap = (
                    "Coded bilateral events per year (cooperative/conflictual by QuadClass) and net "
                    "cooperation = (cooperative − conflictual) / N."
                )
        cap += " Shaded: the range (blue) and the preceding period of equal length (grey)."
        parts.append(self._figure(fig, cap, names))
        table = T.comparison(dimension, self.facts, self.quotes)
        parts.append(
            self._table(
                table,
                f"{dimension.capitalize() if dimension != 'un' else 'UN alignment'}: "
                f"the range ({self.facts.period.label}) against the preceding period ({self.facts.previous.label}).",
                names,
                numeric=list(table.columns[1:]),
            )
        )
        note = self._coverage_note(names)
        if note:
            parts.append(self._note(note))
        if dimension == "diplomatic":
            parts.append(self._designations())
        return HTML("".join(parts))

    def key_events(self, limit: int = KEY_EVENTS_LIMIT) -> HTML:
        events = significant_events(self.ds.events, start=self.start, end=self.end)
        if events.empty:
            return HTML(
                self._note(
                    f"No event of the chronology falls in {self.range_label}.", "not-measurable"
                )
            )
        shown = min(limit, len(events))
        self.quotes("events.key_events_shown", shown, str)
        self.quotes("events.key_events_total", len(events), str)
        table = T.key_events(events, limit)
        caption = (
            f"Key events, most significant first ({shown} of {len(events)} events in the range)."
        )
        return HTML(
            self._table(table, caption, ["events"], raw_html=["Source"], css="briefing-table small")
        )

    def claims(self) -> HTML:
        checked = check_claims(self.ds, config.claims_file())
        for _, row in checked.iterrows():
            self.quotes(
                f"claims.{row['id']}.computed",
                row["computed"],
                lambda v: "—" if v is None else str(v),
            )
        src = checked.iloc[0]
        caption = (
            f"Claims of {src['source']} ({src['source_url']}) checked against the data: "
            "supported / not supported / not checkable with this data."
        )
        return HTML(
            self._table(
                T.claims_table(checked), caption, raw_html=["Verdict"], css="briefing-table small"
            )
        )

    def method(self) -> HTML:
        """Formulas, weights, leave-one-out, change-point sensitivity, sources used, coverage."""
        return HTML("".join(method.method_parts(self)))

    def references(self) -> HTML:
        """The reference list, generated from the data sidecars."""
        return HTML(method.references_html(self.ds.data_dir))

    def numbers(self) -> Numbers:
        """Every number quoted so far (call last), for the report step's figures.json."""
        values = dict(self.quotes.values)
        values["range.start"] = {
            "value": f"{self.start:%Y-%m-%d}",
            "text": f"{self.start:%Y-%m-%d}",
        }
        values["range.end"] = {"value": f"{self.end:%Y-%m-%d}", "text": f"{self.end:%Y-%m-%d}"}
        values["counts.figures"] = {"value": self._figures, "text": str(self._figures)}
        values["counts.tables"] = {"value": self._tables, "text": str(self._tables)}
        return Numbers(values, {"method_line": METHOD_LINE})
