"""Interactive exploration for JupyterLab: every indicator for a range, with a date-range control.

``notebooks/explore.ipynb`` calls this module only. :class:`Explorer` loads the data once;
:meth:`Explorer.indicators` returns every indicator for a range as one wide table per dimension;
:meth:`Explorer.widget` returns an ipywidgets control (two date pickers and a dimension menu)
that redraws the tables and the composite chart when changed. Under papermill (no browser) the
same calls simply display their first state, so the notebook also runs top to bottom unattended.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from IPython.display import HTML, display

from analysis.data.loader import load_all, summary
from analysis.indicators import (
    agreements_per_year,
    arms_tiv,
    attach_goldstein,
    event_scores,
    exercises_per_year,
    meetings_per_year,
    partnership_level,
    trade_indicators,
    unga_agreement,
    vetoes_per_year,
    votes_long,
)
from analysis.model.phases import BANDS, change_points, composite_index, trend
from analysis.params import resolve_range
from analysis.render import figures as F

DIMENSIONS = ("diplomatic", "un", "economic", "military", "events")


def _wide(tidy: pd.DataFrame) -> pd.DataFrame:
    """Tidy indicator rows → one column per indicator, one row per period."""
    if tidy.empty:
        return pd.DataFrame()
    wide = tidy.pivot_table(index="period", columns="indicator", values="value", aggfunc="first")
    wide.index = wide.index.year if (wide.index.month == 1).all() else wide.index.strftime("%Y-%m")
    return wide.round(3)


class Explorer:
    """The data and every indicator, for any range inside the coverage."""

    def __init__(self, start: str | None = None, end: str | None = None):
        s, e = resolve_range(start, end)
        self.start, self.end = pd.Timestamp(s), pd.Timestamp(e)
        self.ds = load_all()
        self.coded = attach_goldstein(self.ds.events, self.ds.cameo_goldstein)
        self.votes = votes_long(self.ds.unga_roll_calls, self.ds.unga_votes)
        self.result = composite_index(self.ds)

    def summary(self) -> pd.DataFrame:
        """Rows, coverage and distinct sources of every dataset."""
        return summary(self.ds.data_dir)

    def indicators(self, dimension: str, start=None, end=None) -> pd.DataFrame:
        """Every indicator of one dimension over [start, end], one column each."""
        s, e = start or self.start, end or self.end
        ds = self.ds
        frames = {
            "diplomatic": lambda: pd.concat(
                [
                    meetings_per_year(ds.events, start=s, end=e),
                    agreements_per_year(ds.events, start=s, end=e),
                    partnership_level(ds.partnership_designations, start=s, end=e),
                ]
            ),
            "un": lambda: pd.concat(
                [
                    vetoes_per_year(ds.unsc_vetoes, start=s, end=e),
                    unga_agreement(self.votes, start=s, end=e),
                ]
            ),
            "economic": lambda: trade_indicators(ds.trade, start=s, end=e),
            "military": lambda: pd.concat(
                [
                    exercises_per_year(ds.military_cooperation, start=s, end=e),
                    arms_tiv(ds.arms_transfers, series="sipri_register_2026-02-12", start=s, end=e),
                ]
            ),
            "events": lambda: event_scores(self.coded, start=s, end=e),
        }
        if dimension not in frames:
            raise ValueError(f"unknown dimension {dimension!r}; choose from {DIMENSIONS}")
        return _wide(frames[dimension]())

    def composite(self, start=None, end=None) -> HTML:
        """The composite index over the whole history with [start, end] highlighted, and its trend."""
        s, e = start or self.start, end or self.end
        series = self.result.series()
        fig = F.phase_timeline_figure(
            series,
            bands=BANDS,
            designations=self.ds.partnership_designations,
            breaks=change_points(series),
            start=s,
            end=e,
        )
        tr = trend(series, start=s, end=e)
        return HTML(
            f"{F.to_svg(fig)}<p>Trend {s:%Y-%m-%d} to {e:%Y-%m-%d}: <b>{tr.verdict}</b> ({tr.reason}).</p>"
        )

    def show_all(self) -> None:
        """Display the composite and every dimension's table for the current range."""
        display(self.composite())
        for dim in DIMENSIONS:
            display(HTML(f"<h3>{dim}</h3>"))
            display(self.indicators(dim))

    def render(self, dimension: str, start: date, end: date) -> list:
        """What the widget shows for a choice: the composite and the table, or a message."""
        first, last = resolve_range("1989-01-01", None)
        if (
            not (isinstance(start, date) and isinstance(end, date))
            or not first <= start <= end <= last
        ):
            return [f"Choose dates with {first} <= start <= end <= {last}."]
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        return [self.composite(s, e), self.indicators(dimension, s, e)]

    def widget(self):
        """Date pickers and a dimension menu that redraw the composite and the table."""
        import ipywidgets as w

        start = w.DatePicker(description="Start", value=self.start.date())
        end = w.DatePicker(description="End", value=self.end.date())
        dim = w.Dropdown(description="Dimension", options=list(DIMENSIONS), value="un")
        out = w.Output()

        def redraw(*_):
            out.clear_output(wait=True)
            with out:
                for part in self.render(dim.value, start.value, end.value):
                    display(part)

        for control in (start, end, dim):
            control.observe(redraw, names="value")
        redraw()
        return w.VBox([w.HBox([start, end, dim]), out])
