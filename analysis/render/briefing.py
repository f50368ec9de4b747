"""The briefing as the notebook sees it: one object, one generic call per section.

``Briefing(start, end)`` loads and validates the data, builds the composite index over the full
history and measures the range against its preceding period. ``brief.section(key)`` returns the
displayable HTML of one registered section (:mod:`analysis.sections`), numbered and cited
by the briefing's :class:`~analysis.render.document.Document`; :meth:`Briefing.numbers` emits every
quoted number for ``figures.json`` and the document facts for the title block.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display, update_display

from analysis import config
from analysis.data.loader import data_end, load_all
from analysis.data.selection import select_sources
from analysis.model.components import method_line
from analysis.model.exports import csv_files
from analysis.model.facts import range_facts
from analysis.model.step import model_step
from analysis.params import resolve_as_of, resolve_range
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Payload
from analysis.render.figures import background
from analysis.render.figures.background import TOKEN, FigureMissing
from analysis.render.texsafe import no_math
from analysis.sections import BY_KEY, SECTIONS, metric_functions, render_section


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
        if self.as_of < data_end(self.ds.data_dir):  # the briefing as of an earlier day
            self.ds = self.ds.cut(self.as_of)
        self.sources = select_sources(self.ds, external_dir)
        self.step = model_step(
            self.ds,
            tuple(config.claims_files(self.ds.data_dir)),
            (self.sources.icews, self.sources.gdelt_edge, self.sources.gdelt_daily),
        )
        self.result = self.step.yearly.result()
        self.monthly = self.step.monthly.result()
        self.facts = range_facts(
            self.ds,
            self.result,
            self.start,
            self.end,
            metric_functions(),
            self.sources.votes,
            monthly=self.monthly,
            step=self.step,
        )
        self.context = BriefingContext(
            self.ds,
            self.result,
            self.facts,
            self.sources,
            self.facts.inputs,
            self.as_of,
            monthly=self.monthly,
            step=self.step,
        )
        self.document = Document(self.ds.data_dir)
        #: Figures printing in child processes (the build's runs), resolved by :meth:`numbers`.
        self._background = background.start()
        self._deferred: dict[str, str] = {}
        #: The data behind each figure shown so far, ``figure-NN.csv`` -> CSV.
        self._figure_files: dict[str, str] = {}

    @property
    def data_end(self) -> pd.Timestamp:
        """The last day the data of this briefing cover (the vintage's, for an as-of briefing)."""
        from analysis.model.composite import vintage_end

        return vintage_end(self.ds)

    @property
    def range_label(self) -> str:
        return self.facts.period.label

    @staticmethod
    def section_keys() -> list[str]:
        """Every section, in reading order (the notebook calls each once)."""
        return [s.key for s in SECTIONS]

    def section(self, key: str) -> HTML | None:
        """The HTML of one section (see :data:`analysis.sections.SECTIONS`). While its
        figures print in the background (the build's runs), the section is displayed at once
        with placeholders, which :meth:`numbers` replaces, and None is returned."""
        if key not in BY_KEY:
            raise ValueError(f"unknown section {key!r}; choose from {self.section_keys()}")
        html = render_section(key, self.context, self.document)
        if self._background is None or not TOKEN.search(html):
            return HTML(self._lift_figure_data(html))
        display_id = f"briefing-section-{key}-{len(self._deferred)}"
        self._deferred[display_id] = html
        display(HTML(html), display_id=display_id)
        return None

    def _lift_figure_data(self, html: str) -> str:
        """The section's HTML without its figures' data, which is kept for the payload."""
        from analysis.render.figures.data import take_figure_data

        html, files = take_figure_data(html)
        self._figure_files.update(files)
        return html

    def numbers(self) -> Payload:
        """Every number quoted so far (call last), for the build's figures.json, with the whole
        title block and the data files (:mod:`analysis.protocol`); first, the sections displayed
        with placeholders get their figures (all gathered under one deadline)."""
        if self._background is not None:
            self._background.gather()
        for display_id, html in self._deferred.items():
            try:
                resolved = self._background.resolve(html)
            except FigureMissing as exc:
                key = display_id.removeprefix("briefing-section-").rsplit("-", 1)[0]
                raise FigureMissing(f"section {key!r}: {exc}") from exc
            # the figures' captions, now in, are kept from MathJax as the section's text was
            update_display(HTML(self._lift_figure_data(no_math(resolved))), display_id=display_id)
        self._deferred.clear()
        values = {
            "range.start": {"value": f"{self.start:%Y-%m-%d}", "text": f"{self.start:%Y-%m-%d}"},
            "range.end": {"value": f"{self.end:%Y-%m-%d}", "text": f"{self.end:%Y-%m-%d}"},
            "range.as_of": {"value": f"{self.as_of:%Y-%m-%d}", "text": f"{self.as_of:%Y-%m-%d}"},
            "data.end": {"value": f"{self.data_end:%Y-%m-%d}", "text": f"{self.data_end:%Y-%m-%d}"},
        }
        files = {
            f"data/{name}": text
            for name, text in csv_files(
                self.step.yearly, self.step.monthly, self.facts.period
            ).items()
        }
        files.update({f"data/{name}": text for name, text in self._figure_files.items()})
        return self.document.payload(values, self._title_block(), files)

    def _title_block(self) -> dict[str, object]:
        """The document payload: the title block as the PDF prints it, from the parameters this
        kernel ran with and its data, and the section registry's keys (the build checks them
        against :data:`analysis.outline.SECTION_KEYS`)."""
        from analysis.sections.freshness import vintage_line

        vintage = vintage_line(self.ds, self.end)
        if self.ds.as_of is not None:
            vintage = (
                f"as of {self.ds.as_of:%d %B %Y}, every dataset cut at that day (a yearly value "
                f"used only once its year had ended): {vintage}"
            )
        return {
            "kicker": config.BRIEFING_KICKER,
            "title": config.BRIEFING_TITLE,
            "title_native": config.BRIEFING_TITLE_NATIVE,
            "range_label": f"{self.start:%d %B %Y} to {self.end:%d %B %Y}",
            "generated": datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"),
            "data_vintage": vintage,
            "method_line": method_line(),
            "sections": [s.key for s in SECTIONS],
        }
