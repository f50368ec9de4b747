"""Interactive exploration for JupyterLab: every indicator of the briefing for any range, read as
the briefing reads it, with a date-range, dimension and dyad control.

``notebooks/explore.ipynb`` calls this module only. :class:`Explorer` loads the data once; its
views return what JupyterLab shows:

- :meth:`Explorer.table`: one dimension's indicators under human headers with their units, in
  the briefing's number formats, each blank explained under the table; by year, or by month for
  a range shorter than five years (``MONTHLY_MAX_YEARS``), as the briefing draws it;
- :meth:`Explorer.composite`: the index (by month for a short range) and its trend;
- :meth:`Explorer.triangle` and :meth:`Explorer.dyad_table`: the three dyads on one scale, and
  one dyad's components (those of a dimension, or all);
- :meth:`Explorer.datasets`: every dataset with its rows, coverage and sources.

:meth:`Explorer.indicators` and :meth:`Explorer.dyad` return the numbers themselves (pandas).
:meth:`Explorer.widget` combines the controls; a choice that cannot be drawn is one plain
sentence. All HTML is marked so that MathJax leaves dollar signs alone, and nothing is fetched
from the web. Under papermill the same calls display their first state.
"""

from __future__ import annotations

import dataclasses
import html
from datetime import date

import pandas as pd
from IPython.display import HTML, display

from analysis import config
from analysis.data.loader import load_all, summary
from analysis.indicators import choose_arms_series, votes_long
from analysis.model import triangle as TM
from analysis.model.components import COMPONENTS, number_word
from analysis.model.dyads import DYADS, NAMES
from analysis.model.facts import composite_in_range, point_label
from analysis.model.inputs import MetricInputs
from analysis.model.periods import MONTHLY_MAX_YEARS, Period, is_monthly, year_label
from analysis.model.phases import BANDS, trend
from analysis.model.step import model_step
from analysis.model.uncertainty import bands
from analysis.params import coverage_bounds, resolve_range
from analysis.render import explore_tables as T
from analysis.render import figures as F
from analysis.render.document import Quotes
from analysis.render.explore_monthly import MONTHLY_NOTES, monthly_indicators
from analysis.render.formats import count, index_points
from analysis.render.texsafe import no_math
from analysis.sections import BY_KEY, DIMENSIONS
from analysis.sections import triangle as RT

#: The Dimension menu: every section of the briefing that has indicators, by its title.
DIMENSION_CHOICES: list[tuple[str, str]] = [("All dimensions", "all")] + [
    (BY_KEY[d].title, d) for d in DIMENSIONS
]
#: The Dyad menu: the briefing's China–Russia indicators, or one dyad of the triangle.
DYAD_CHOICES: list[tuple[str, str]] = [("China–Russia: the briefing's indicators", "main")] + [
    (f"{NAMES[d]}: the composite's components", d) for d in DYADS
]
_MONTHLY = (
    f"by month: the range is shorter than {number_word(MONTHLY_MAX_YEARS)} years, so it is read "
    "month by month, as in the briefing"
)


def _wide(tidy: pd.DataFrame, period: Period, by_month: bool) -> pd.DataFrame:
    """Tidy indicator rows → one column per indicator, one row per period of the range (a period
    with no value stays a row); years labelled as the briefing labels them ("2023 to 28
    February" for a year the range covers in part), months as "2022-03"."""
    if tidy.empty:
        return pd.DataFrame()
    wide = tidy.pivot_table(
        index="period", columns="indicator", values="value", aggfunc="first", dropna=False
    )
    wide = wide.reindex(sorted(tidy["period"].unique()))
    if by_month:
        wide.index = pd.DatetimeIndex(wide.index).strftime("%Y-%m")
    else:
        years = pd.DatetimeIndex(wide.index).year
        inside = (years >= period.start.year) & (years <= period.end.year)
        wide = wide[inside]
        wide.index = [
            year if year_label(year, period) == str(year) else year_label(year, period)
            for year in years[inside]
        ]
    wide.columns.name = None
    return wide.round(6)


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
        self.monthly = self.step.monthly.result()

    def _arms_series(self, s, e) -> str:
        """The SIPRI vintage a briefing of [s, e] would use (chosen the same way)."""
        return choose_arms_series(self.ds.arms_transfers, start=s, end=e)

    def _period(self, start=None, end=None) -> Period:
        return Period(pd.Timestamp(start or self.start), pd.Timestamp(end or self.end))

    # ---- the numbers ---------------------------------------------------------------------------

    def indicators(self, dimension: str, start=None, end=None, *, by: str | None = None):
        """Every indicator of one dimension over [start, end], one column each (the numbers;
        :meth:`table` shows them). ``by`` "year" or "month"; default: by month for a range
        shorter than five years, as the briefing."""
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}; choose from {DIMENSIONS}")
        period = self._period(start, end)
        monthly = is_monthly(period) if by is None else by == "month"
        s, e = period.start, period.end
        if monthly:
            tidy = monthly_indicators(dimension, self.ds, self.inputs, s, e)
        else:
            inputs = dataclasses.replace(self.inputs, arms_series=self._arms_series(s, e))
            tidy = BY_KEY[dimension].indicators(self.ds, inputs, s, e)
        return _wide(tidy, period, monthly)

    def dyad(self, dyad: str, start=None, end=None, *, by: str | None = None) -> pd.DataFrame:
        """One dyad over [start, end]: its components (raw), the composite (normalised jointly
        with the other two dyads) and, by year, its 95 % band; by month for a short range (the
        monthly composite, months wholly inside the range, has no draws)."""
        if dyad not in DYADS:
            raise ValueError(f"unknown dyad {dyad!r}; choose from {list(DYADS)}")
        period = self._period(start, end)
        monthly = is_monthly(period) if by is None else by == "month"
        tri = self.step.monthly if monthly else self.measure
        table = tri.raw[dyad][list(tri.weights)].copy()
        table["composite"] = tri.index[dyad]["composite"]
        if monthly:
            keep = composite_in_range(self.result, period, self.monthly).index
            table = table.reindex(keep)
            table.index = pd.DatetimeIndex(table.index).strftime("%Y-%m")
            return table
        band = TM.band_of(tri.draws[dyad])
        table = table.assign(band_low=band["low"], band_high=band["high"])
        return table[(table.index >= period.start.year) & (table.index <= period.end.year)]

    def summary(self) -> pd.DataFrame:
        """Rows, coverage and distinct sources of every dataset (the numbers)."""
        return summary(self.ds.data_dir)

    # ---- what JupyterLab shows -----------------------------------------------------------------

    def table(self, dimension: str, start=None, end=None) -> T.Table:
        """One dimension's indicators as the briefing prints a table (see the module docstring)."""
        period = self._period(start, end)
        monthly = is_monthly(period)
        wide = self.indicators(dimension, period.start, period.end)
        notes = []
        if monthly and wide.notna().any().any():
            notes.append(
                f"Read {_MONTHLY}; the first and last months count only the days inside it."
            )
            notes.append(MONTHLY_NOTES.get(dimension, ""))
        elif monthly:  # no monthly figure: the yearly ones, as the briefing falls back to them
            monthly = False
            wide = self.indicators(dimension, period.start, period.end, by="year")
            notes.append("No monthly figure lies in this range: the yearly figures instead.")
        title = f"{BY_KEY[dimension].title}, {period.label}, " + (
            "by month" if monthly else "by year"
        )
        return T.indicator_table(
            wide,
            title=title,
            by_month=monthly,
            data_dir=self.ds.data_dir,
            note=" ".join(n for n in notes if n),
        )

    def dyad_table(self, dyad: str, dimension: str = "all", start=None, end=None) -> T.Table:
        """One dyad's components on the common scale — those of ``dimension``, or all — with the
        composite (and its band, by year)."""
        period = self._period(start, end)
        monthly = is_monthly(period)
        raw = self.dyad(dyad, period.start, period.end)
        comps = [c for c in COMPONENTS if dimension in ("all", c.section)] or list(COMPONENTS)
        cols = {
            c.key: T.Col(
                f"{c.label} ({c.unit})"
                if c.unit and c.unit.lower() not in c.label.lower() and "(" not in c.label
                else c.label,
                T.component_format(c.unit),
                "",
                "no observation in its window",
            )
            for c in comps
        }
        cols["composite"] = T.Col("Composite (−9 to +9)", index_points, "", "too few components")
        cols["band_low"] = T.Col("95% band, low", index_points, "")
        cols["band_high"] = T.Col("95% band, high", index_points, "")
        wide = raw[[k for k in cols if k in raw.columns]]
        title = f"{NAMES[dyad]}, {period.label}, " + ("by month" if monthly else "by year")
        notes = [self.hint(dimension, dyad)]
        if monthly:
            notes.append(
                f"Read {_MONTHLY}: the monthly composite, months wholly inside the range; it has "
                "no uncertainty draws, so no band."
            )
        return T.indicator_table(
            wide, title=title, by_month=monthly, data_dir=self.ds.data_dir,
            note=" ".join(notes), columns=cols,
        )  # fmt: skip

    def composite(self, start=None, end=None) -> HTML:
        """The composite index with [start, end] highlighted and its trend: by year over the
        whole history, or, for a range shorter than five years, by month inside the range."""
        period = self._period(start, end)
        s, e = period.start, period.end
        if is_monthly(period):
            series = composite_in_range(self.result, period, self.monthly)
            if series.empty:
                return HTML(
                    no_math(f"<p>No whole month of the composite lies inside {period.label}.</p>")
                )
            inside = set(series.index)
            breaks = [b for b in self.step.monthly_breaks.get("robust", []) if b in inside]
            fig = F.monthly_phase_timeline_figure(
                series, bands=BANDS, designations=self.ds.partnership_designations,
                breaks=breaks, start=s, end=e,
            )  # fmt: skip
            T.hover_points(
                fig.axes[0], series.index, series.to_numpy(),
                [f"{point_label(m)}: {index_points(v)}" for m, v in series.items()],
            )  # fmt: skip
            span = f"{point_label(series.index[0])} to {point_label(series.index[-1])}"
            lead = f"The monthly composite ({span}; {_MONTHLY}; a point's value on hover)"
            tr = trend(series)
        else:
            draws = self.measure.draws[self.result.dyad]
            found = self.step.breaks
            fig = F.phase_timeline_figure(
                self.result.series(),
                bands=BANDS,
                designations=self.ds.partnership_designations,
                breaks=[b for b, ok in zip(found["break"], found["robust"], strict=True) if ok],
                start=s,
                end=e,
                uncertainty=bands(draws),
            )
            every = self.result.series()
            T.hover_points(
                fig.axes[0], every.index, every.to_numpy(),
                [f"{year}: {index_points(v)}" for year, v in every.items()],
            )  # fmt: skip
            lead = f"The composite by year, {period.label} highlighted (a point's value on hover)"
            tr = trend(self.result.series(), start=s, end=e, draws=draws)
        svg = T.svg_with_hover(fig)
        return HTML(no_math(f"{svg}<p>{html.escape(lead)}. {_trend_sentence(tr)}</p>"))

    def triangle(self, start=None, end=None) -> HTML:
        """The three dyads on one scale with their bands, and the paragraph on the shape."""
        period = self._period(start, end)
        s, e = period.start, period.end
        facts = TM.triangle_facts(self.measure, period)
        prev = max(pd.Timestamp(config.FIRST_DAY), s - (e - s) - pd.Timedelta(days=1))
        fig = RT.triangle_figure(self.measure, start=s, end=e, prev_start=prev)
        text = RT.shape_paragraph(facts, period.label, Quotes())
        if is_monthly(period):
            text += (
                " The triangle compares whole years, as in the briefing; the table below reads "
                "the dyad month by month."
            )
        return HTML(no_math(f"{F.to_svg(fig)}<p>{html.escape(text)}</p>"))

    def datasets(self) -> T.Table:
        """Every dataset: its file, title, rows, coverage and distinct sources."""
        from analysis.sidecars import read_meta

        raw = self.summary().set_index("dataset")
        cols = {
            "title": T.Col("Title", str, ""),
            "rows": T.Col("Rows", count, ""),
            "coverage": T.Col("Coverage", str, "", "a lookup table: no time coverage"),
            "distinct_sources": T.Col("Distinct sources (URLs)", count, ""),
            "distinct_documents": T.Col("Distinct documents cited", count, ""),
        }
        raw.insert(0, "title", [read_meta(n, self.ds.data_dir)["title"] for n in raw.index])
        raw["coverage"] = raw["coverage"].replace("n/a", None)
        raw.index = [f"{n}.csv" for n in raw.index]
        return T.indicator_table(
            raw, title="The datasets in data/", by_month=False, columns=cols, index_name="File"
        )

    def show_all(self) -> None:
        """Display the composite and every dimension's table for the current range."""
        display(self.composite())
        for dim in DIMENSIONS:
            display(self.table(dim))

    # ---- the widget ----------------------------------------------------------------------------

    def check(self, start: object, end: object) -> str | None:
        """The one sentence that says what is wrong with a chosen range, or None."""
        first, last = coverage_bounds(self.ds.data_dir)
        inside = f"the data cover {_day(first)} to {_day(last)}"
        if not isinstance(start, date) or not isinstance(end, date):
            which = "a start" if not isinstance(start, date) else "an end"
            return f"Choose {which} date: {inside}."
        if start > end:
            return (
                f"The start, {_day(start)}, is after the end, {_day(end)}: choose a start on or "
                "before the end."
            )
        if not (first <= start and end <= last):
            return f"Choose dates inside the data: {inside}."
        return None

    def hint(self, dimension: str, dyad: str) -> str:
        """What the current choice shows, in a sentence (so that every control visibly acts)."""
        title = "every dimension" if dimension == "all" else BY_KEY[dimension].title
        if dyad == "main":
            return f"China–Russia, {title}: the composite index and the briefing's indicators."
        comps = [c.label for c in COMPONENTS if c.section == dimension]
        if dimension == "all":
            return f"{NAMES[dyad]}: all {len(COMPONENTS)} components of the composite, on the scale the three dyads share."
        if not comps:
            return (
                f"{NAMES[dyad]}: no component of the composite measures {title} (its indicators "
                f"are the briefing's, China–Russia only), so all {len(COMPONENTS)} components are shown."
            )
        return f"{NAMES[dyad]}, {title}: the composite's components {', '.join(comps)}, on the scale the three dyads share."

    def render(self, dimension: str, start: object, end: object, dyad: str = "main") -> list:
        """What the widget shows for a choice: the composite and the dimension's table (or every
        dimension's), or the triangle and one dyad's components; or one sentence."""
        problem = self.check(start, end)
        if problem:
            return [T.message(problem)]
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        if dyad != "main":
            return [self.triangle(s, e), self.dyad_table(dyad, dimension, s, e)]
        dims = DIMENSIONS if dimension == "all" else (dimension,)
        return [self.composite(s, e), *(self.table(d, s, e) for d in dims)]

    def widget(self):
        """Date pickers, a dimension menu and a dyad menu, labelled, that redraw the view; a
        line under them says what the choice shows."""
        import ipywidgets as w

        wide = {"description_width": "80px"}
        start = w.DatePicker(description="Start", value=self.start.date(), style=wide)
        end = w.DatePicker(description="End", value=self.end.date(), style=wide)
        dim = w.Dropdown(
            description="Dimension", options=DIMENSION_CHOICES, value="all", style=wide,
            layout=w.Layout(width="320px"),
        )  # fmt: skip
        dyad = w.Dropdown(
            description="Dyad", options=DYAD_CHOICES, value="main", style=wide,
            layout=w.Layout(width="420px"),
        )  # fmt: skip
        hint = w.HTML()
        out = w.Output()

        def redraw(*_):
            hint.value = no_math(f"<i>{html.escape(self.hint(dim.value, dyad.value))}</i>")
            out.clear_output(wait=True)
            with out:
                for part in self.render(dim.value, start.value, end.value, dyad.value):
                    display(part)

        for control in (start, end, dim, dyad):
            control.observe(redraw, names="value")
        redraw()
        return w.VBox([w.HBox([start, end]), w.HBox([dim, dyad]), hint, out])


def _day(d: date) -> str:
    """'1 January 1989'."""
    return f"{d.day} {d:%B %Y}"


def _trend_sentence(tr) -> str:
    """'Trend: rising, +0.41 points a year (95% interval +0.10 to +0.80).' as HTML."""
    verdict = f"<b>{html.escape(tr.verdict)}</b>"
    if pd.isna(tr.slope):
        return f"Trend: {verdict} ({html.escape(tr.reason)})."
    return (
        f"Trend: {verdict}, {index_points(tr.slope)} points a year (95% interval "
        f"{index_points(tr.low)} to {index_points(tr.high)}; {html.escape(tr.reason)})."
    )


__all__ = ["DIMENSION_CHOICES", "DYAD_CHOICES", "Explorer"]
