"""Every chart of the briefing, in one style.

Fonts that carry Latin, Cyrillic and Chinese glyphs; colours of distinct lightness plus line
styles, markers and outlined light fills (no hatches: Chromium prints them as thousands of
paths), so that the charts survive greyscale printing; labelled axes
with units; output as SVG (vector) for the PDF.

Each ``*_figure`` function takes tidy indicator frames (or plain series) and the requested
range, and returns a :class:`matplotlib.figure.Figure`. No function reads files or prints.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.model.phases import BAND_NAMES

#: Dark → light, distinguishable in greyscale.
INK = "#1b1b1b"
BLUE = "#2b5c8a"
ORANGE = "#d08a2e"
GREY = "#8c8c8c"
LIGHT = "#d9d9d9"
SERIES = [INK, BLUE, ORANGE, GREY]
#: Background of each band of the composite, darkest for the lowest (names: phases.BAND_NAMES).
BAND_SHADES = dict(
    zip(BAND_NAMES, ("#d4d4d4", "#e2e2e2", "#eeeeee", "#f6f6f6", "#ffffff"), strict=True)
)
WIDTH = 7.0  # inches: the text width of an A4 page with 14 mm margins


def apply_style() -> None:
    """Set matplotlib's rcParams for every briefing chart."""
    # WenQuanYi Micro Hei (the CJK fallback) has no bold face: matplotlib uses its regular one
    # and says so on stderr for every bold title, which reached the executed notebook
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    plt.rcParams.update(
        {
            "font.family": ["DejaVu Sans", "WenQuanYi Micro Hei", "sans-serif"],
            "font.size": 8.5,
            "axes.titlesize": 9.5,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 8.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#cccccc",
            "grid.linewidth": 0.5,
            "legend.fontsize": 7.5,
            "legend.frameon": False,
            "xtick.labelsize": 7.5,
            "ytick.labelsize": 7.5,
            "figure.dpi": 150,
            "savefig.dpi": 200,
            "svg.fonttype": "none",  # real text: smaller PDFs, searchable figure labels
            "svg.hashsalt": "relations-briefing",
            "axes.prop_cycle": matplotlib.cycler(color=SERIES),
        }
    )


def to_svg(fig: Figure) -> str:
    """The figure as an inline SVG string (vector), then closed; a placeholder for it while a
    child prints it (:mod:`analysis.render.figures.background`)."""
    from analysis.render.figures import background

    return background.later(lambda: _svg(fig), lambda: plt.close(fig))


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    # no date and fixed element ids: the same figure prints to the same bytes
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


def new_axes(rows: int = 1, height: float = 2.6, sharex: bool = True) -> tuple[Figure, Sequence]:
    apply_style()
    fig, axes = plt.subplots(
        rows, 1, figsize=(WIDTH, height), sharex=sharex, squeeze=False, layout="constrained"
    )
    return fig, list(axes[:, 0])


def mark_range(
    ax,
    start: pd.Timestamp,
    end: pd.Timestamp,
    prev_start: pd.Timestamp | None = None,
    as_year: bool = True,
) -> None:
    """Shade the requested range and, lighter, the preceding period of equal length."""

    def x(ts, at_end=False):
        if not as_year:
            return ts
        frac = (ts.day_of_year - (0 if at_end else 1)) / (366 if ts.is_leap_year else 365)
        return ts.year - 0.5 + frac

    if prev_start is not None:
        ax.axvspan(x(prev_start), x(start), color="#f2f2f2", zorder=0, lw=0)
    ax.axvspan(
        x(start),
        x(end, at_end=True),
        facecolor="#cfdceb",
        edgecolor=BLUE,
        lw=0.6,
        zorder=0.5,
        alpha=0.45,
    )
    if as_year:  # whole years on the axis, never 2013.25
        ax.xaxis.set_major_locator(_YearLocator(start, end))
        ax.xaxis.set_major_formatter(
            matplotlib.ticker.FuncFormatter(lambda v, _pos: partial_year_tick(v, start, end))
        )


class _YearLocator(matplotlib.ticker.MaxNLocator):
    """Whole-year ticks that always include a year the range covers only in part (its label
    names the days), dropping a neighbouring tick that would collide with it."""

    def __init__(self, start: pd.Timestamp, end: pd.Timestamp):
        super().__init__(integer=True)
        self.partial = []
        if (start.month, start.day) != (1, 1):
            self.partial.append(start.year)
        if (end.month, end.day) != (12, 31):
            self.partial.append(end.year)

    def tick_values(self, vmin, vmax):
        ticks = [t for t in super().tick_values(vmin, vmax) if vmin - 0.5 <= t <= vmax + 0.5]
        keep = [y for y in self.partial if vmin - 0.5 <= y <= vmax + 0.5]
        ticks = [t for t in ticks if all(abs(t - y) > 1 or t == y for y in keep)]
        return sorted(set(ticks) | set(keep))


def partial_year_tick(value: float, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A year's tick label; a year the range covers only in part names the days it covers
    ('2023\nto 28 Feb'), so a partial year is never shown as the year."""
    if abs(value - round(value)) > 1e-6:
        return ""
    year = round(value)
    if year == end.year and (end.month, end.day) != (12, 31) and year >= start.year:
        return f"{year}\nto {end.day} {end:%b}"
    if year == start.year and (start.month, start.day) != (1, 1):
        return f"{year}\nfrom {start.day} {start:%b}"
    return str(year)


def legend(ax, extra_axes=(), ncol: int = 4, right: bool = False) -> None:
    """One legend for ``ax`` (and twin axes) above the plotting area, never over the data;
    ``right=True`` aligns it right so that a short panel title fits on its left."""
    handles, labels = ax.get_legend_handles_labels()
    for other in extra_axes:
        h, lab = other.get_legend_handles_labels()
        handles += h
        labels += lab
    anchor, loc = ((1, 1.01), "lower right") if right else ((0, 1.01), "lower left")
    ax.legend(
        handles,
        labels,
        loc=loc,
        bbox_to_anchor=anchor,
        ncol=ncol,
        borderaxespad=0,
        handlelength=1.6,
        columnspacing=1.0,
    )


def years_of(frame: pd.DataFrame, indicator: str) -> pd.Series:
    rows = frame[frame["indicator"] == indicator]
    return pd.Series(rows["value"].to_numpy(dtype=float), index=rows["period"].dt.year.to_numpy())


# The charts shared by several sections; each section draws its own in its module.
from analysis.render.figures.monthly import monthly_bars_figure  # noqa: E402
from analysis.render.figures.overview import (  # noqa: E402
    components_figure,
    monthly_phase_timeline_figure,
    phase_timeline_figure,
)

__all__ = [
    "apply_style",
    "components_figure",
    "legend",
    "mark_range",
    "monthly_bars_figure",
    "monthly_phase_timeline_figure",
    "new_axes",
    "phase_timeline_figure",
    "to_svg",
    "years_of",
]
