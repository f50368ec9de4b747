"""Interactive exploration for JupyterLab: every indicator for a range, with a date-range control.

``notebooks/explore.ipynb`` calls this module only. :class:`Explorer` loads the data once;
:meth:`Explorer.indicators` returns every indicator for a range as one wide table per dimension;
:meth:`Explorer.widget` returns an ipywidgets control (two date pickers and a dimension menu)
that redraws the tables and the composite chart when changed. Under papermill (no browser) the
same calls simply display their first state, so the notebook also runs top to bottom unattended.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
from IPython.display import HTML, display

from analysis import config
from analysis.data.loader import load_all, summary
from analysis.indicators import (
    choose_arms_series,
    votes_long,
)
from analysis.model import triangle as TM
from analysis.model.components import LABELS
from analysis.model.dyads import DYADS, NAMES
from analysis.model.inputs import MetricInputs
from analysis.model.periods import Period
from analysis.model.phases import BANDS, trend
from analysis.model.step import model_step
from analysis.model.uncertainty import bands
from analysis.params import resolve_range
from analysis.render import figures as F
from analysis.render.document import Quotes
from analysis.sections import BY_KEY, DIMENSIONS
from analysis.sections import triangle as RT


def _wide(tidy: pd.DataFrame) -> pd.DataFrame:
    """Tidy indicator rows → one column per indicator, one row per period."""
    if tidy.empty:
        return pd.DataFrame()
    wide = tidy.pivot_table(index="period", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(sorted(tidy["period"].unique()))  # a year of NaN only stays a row
    wide.index = wide.index.year if (wide.index.month == 1).all() else wide.index.strftime("%Y-%m")
    return wide.round(3)


class Explorer:
    """The data and every indicator, for any range inside the coverage."""

    def __init__(self, start: str | None = None, end: str | None = None):
        s, e = resolve_range(start, end)
        self.start, self.end = pd.Timestamp(s), pd.Timestamp(e)
        self.ds = load_all()
        votes = votes_long(self.ds.unga_roll_calls, self.ds.unga_votes)
        self.inputs = MetricInputs.build(self.ds, votes, self._arms_series(self.start, self.end))
        self.step = model_step(self.ds, tuple(config.claims_files(self.ds.data_dir)))
        self.measure = self.step.yearly
        self.result = self.measure.result()

    def _arms_series(self, s, e) -> str:
        """The SIPRI vintage a briefing of [s, e] would use (chosen the same way)."""
        return choose_arms_series(self.ds.arms_transfers, start=s, end=e)

    def summary(self) -> pd.DataFrame:
        """Rows, coverage and distinct sources of every dataset."""
        return summary(self.ds.data_dir)

    def indicators(self, dimension: str, start=None, end=None) -> pd.DataFrame:
        """Every indicator of one dimension over [start, end], one column each."""
        s, e = start or self.start, end or self.end
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}; choose from {DIMENSIONS}")
        inputs = dataclasses.replace(self.inputs, arms_series=self._arms_series(s, e))
        return _wide(BY_KEY[dimension].indicators(self.ds, inputs, s, e))

    def composite(self, start=None, end=None) -> HTML:
        """The composite index over the whole history with [start, end] highlighted, and its trend."""
        s, e = start or self.start, end or self.end
        series = self.result.series()
        draws = self.measure.draws[self.result.dyad]
        found = self.step.breaks
        fig = F.phase_timeline_figure(
            series,
            bands=BANDS,
            designations=self.ds.partnership_designations,
            breaks=[b for b, ok in zip(found["break"], found["robust"], strict=True) if ok],
            start=s,
            end=e,
            uncertainty=bands(draws),
        )
        tr = trend(series, start=s, end=e, draws=draws)
        return HTML(
            f"{F.to_svg(fig)}<p>Trend {s:%Y-%m-%d} to {e:%Y-%m-%d}: <b>{tr.verdict}</b> ({tr.reason}).</p>"
        )

    def dyad(self, dyad: str, start=None, end=None) -> pd.DataFrame:
        """One dyad over [start, end] by year: its components (raw), the composite (normalised
        jointly with the other two dyads) and its 95 % band."""
        if dyad not in DYADS:
            raise ValueError(f"unknown dyad {dyad!r}; choose from {list(DYADS)}")
        s, e = start or self.start, end or self.end
        tri = self.measure
        band = TM.band_of(tri.draws[dyad])
        table = tri.raw[dyad][list(tri.weights)].rename(columns=LABELS)
        table = table.assign(
            composite=tri.index[dyad]["composite"], band_low=band["low"], band_high=band["high"]
        )
        return table[(table.index >= s.year) & (table.index <= e.year)].round(3)

    def triangle(self, start=None, end=None) -> HTML:
        """The three dyads on one scale with their bands, and the paragraph on the shape."""
        s, e = start or self.start, end or self.end
        tri = self.measure
        period = Period(pd.Timestamp(s), pd.Timestamp(e))
        facts = TM.triangle_facts(tri, period)
        prev = max(pd.Timestamp(config.FIRST_DAY), s - (e - s) - pd.Timedelta(days=1))
        fig = RT.triangle_figure(tri, start=s, end=e, prev_start=prev)
        text = RT.shape_paragraph(facts, period.label, Quotes())
        return HTML(f"{F.to_svg(fig)}<p>{text}</p>")

    def show_all(self) -> None:
        """Display the composite and every dimension's table for the current range."""
        display(self.composite())
        for dim in DIMENSIONS:
            display(HTML(f"<h3>{dim}</h3>"))
            display(self.indicators(dim))

    def render(self, dimension: str, start: date, end: date, dyad: str = "main") -> list:
        """What the widget shows for a choice: the composite and the dimension's table (``dyad``
        "main": the China–Russia index), or the triangle and one dyad's table; or a message."""
        first, last = resolve_range(config.FIRST_DAY, None)
        if (
            not (isinstance(start, date) and isinstance(end, date))
            or not first <= start <= end <= last
        ):
            return [f"Choose dates with {first} <= start <= end <= {last}."]
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        if dyad != "main":
            return [self.triangle(s, e), self.dyad(dyad, s, e)]
        return [self.composite(s, e), self.indicators(dimension, s, e)]

    def widget(self):
        """Date pickers and a dimension menu that redraw the composite and the table."""
        import ipywidgets as w

        start = w.DatePicker(description="Start", value=self.start.date())
        end = w.DatePicker(description="End", value=self.end.date())
        dim = w.Dropdown(description="Dimension", options=list(DIMENSIONS), value="un")
        choices = [("China–Russia (main index)", "main")]
        choices += [(f"{NAMES[d]} (triangle)", d) for d in DYADS]
        dyad = w.Dropdown(description="Dyad", options=choices, value="main")
        out = w.Output()

        def redraw(*_):
            out.clear_output(wait=True)
            with out:
                for part in self.render(dim.value, start.value, end.value, dyad.value):
                    display(part)

        for control in (start, end, dim, dyad):
            control.observe(redraw, names="value")
        redraw()
        return w.VBox([w.HBox([start, end, dim, dyad]), out])
