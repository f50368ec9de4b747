"""The bar charts of a short range: counts per calendar month in stacked panels."""

from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from analysis.render.figures import (
    BLUE,
    GREY,
    INK,
    ORANGE,
    legend,
    new_axes,
)


def monthly_bars_figure(
    panels: list[tuple[str, str, dict[str, pd.DataFrame]]], *, start, end
) -> Figure:
    """Counts (or values) month by month in a short range, one panel each.

    ``panels``: (title, y label, {series label: tidy frame with one indicator by month}); the
    series of a panel are drawn as side-by-side bars within each month."""
    fig, axes = new_axes(rows=len(panels), height=1.35 * len(panels) + 0.5)
    colours = [INK, BLUE, ORANGE, GREY]
    for ax, (title, ylabel, series) in zip(axes, panels, strict=True):
        k = max(len(series), 1)
        width = 24 / k
        for i, ((label, frame), colour) in enumerate(zip(series.items(), colours, strict=False)):
            x = frame["period"] + pd.Timedelta(days=3 + width * i + width / 2)
            ax.bar(x, frame["value"].to_numpy(dtype=float), width=width, color=colour, label=label)
        titled = len(panels) > 1  # one panel: the caption names it, the legend takes the line
        if titled:
            ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_xlim(start, end + pd.Timedelta(days=1))
        legend(ax, ncol=4, right=titled)
    axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    return fig
