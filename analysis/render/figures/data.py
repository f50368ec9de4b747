"""The data behind a drawn figure, read back from its matplotlib artists.

Every figure of the briefing is written beside it as ``data/figure-NN.csv`` (NN its number):
one row per plotted point — the panel (the axes' title or y label), the series (its legend
label), x and y — for lines, markers, bars and the bands between two lines. Reading the artists
rather than asking each chart for its inputs means the CSV holds exactly what was drawn,
whatever chart drew it. Dates on a date axis are written as days (YYYY-MM-DD).

In the HTML a figure carries its CSV in an inert ``<script type="text/csv">`` element until
:func:`take_figure_data` lifts it out for the payload.
"""

from __future__ import annotations

import html
import io
import re

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.dates import DateConverter, num2date
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

COLUMNS = ["panel", "series", "x", "y", "y_low"]
_BLOCK = re.compile(r'<script type="text/csv" data-figure="(\d+)">(.*?)</script>', re.S)


def _label(artist, fallback: str) -> str:
    text = str(artist.get_label() or "")
    return fallback if not text or text.startswith("_") else text


def _xs(ax, values) -> list:
    values = np.asarray(values, dtype=float)
    converter = getattr(ax.xaxis, "get_converter", lambda: ax.xaxis.converter)()
    if isinstance(converter, DateConverter) or "date" in type(converter).__name__.lower():
        return [num2date(v).strftime("%Y-%m-%d") if np.isfinite(v) else "" for v in values]
    return [round(float(v), 6) if np.isfinite(v) else "" for v in values]


def figure_data(fig: Figure) -> pd.DataFrame:
    """panel | series | x | y | y_low: every point the figure draws (y_low: a band's lower edge
    or a bar's bottom, else empty)."""
    rows: list[dict] = []
    for i, ax in enumerate(fig.axes):
        panel = ax.get_title() or ax.get_ylabel() or f"panel {i + 1}"
        for line in ax.get_lines():
            x, y = line.get_xdata(orig=False), line.get_ydata(orig=False)
            if len(x) < 1 or not line.get_visible():
                continue
            name = _label(line, "line")
            for xv, yv in zip(_xs(ax, x), np.asarray(y, dtype=float), strict=True):
                rows.append({"panel": panel, "series": name, "x": xv, "y": yv, "y_low": ""})
        for container in ax.containers:
            name = _label(container, "bars")
            patches = [p for p in container if isinstance(p, Rectangle)]
            if not patches:
                continue
            xs = _xs(ax, [p.get_x() + p.get_width() / 2 for p in patches])
            for xv, p in zip(xs, patches, strict=True):
                rows.append({"panel": panel, "series": name, "x": xv,
                             "y": p.get_y() + p.get_height(), "y_low": p.get_y()})  # fmt: skip
        for coll in ax.collections:
            name = _label(coll, "points" if isinstance(coll, PathCollection) else "band")
            if isinstance(coll, PathCollection):
                offsets = np.asarray(coll.get_offsets(), dtype=float)
                if offsets.size == 0:
                    continue
                for xv, yv in zip(_xs(ax, offsets[:, 0]), offsets[:, 1], strict=True):
                    rows.append({"panel": panel, "series": name, "x": xv, "y": yv, "y_low": ""})
            elif isinstance(coll, PolyCollection) and coll.get_paths():
                rows.extend(_band_rows(ax, panel, name, coll))
    return pd.DataFrame(rows, columns=COLUMNS)


def _band_rows(ax, panel: str, name: str, coll: PolyCollection) -> list[dict]:
    """A fill_between band as (x, upper, lower) rows: its outline is the upper edge one way and
    the lower edge back."""
    out = []
    for path in coll.get_paths():
        v = np.asarray(path.vertices, dtype=float)
        if len(v) < 4:
            continue
        frame = pd.DataFrame({"x": v[:, 0], "y": v[:, 1]}).round(9)
        edges = frame.groupby("x")["y"].agg(["max", "min"]).reset_index()
        for xv, hi, lo in zip(_xs(ax, edges["x"]), edges["max"], edges["min"], strict=True):
            out.append({"panel": panel, "series": name, "x": xv, "y": hi, "y_low": lo})
    return out


def csv_block(number: int, fig: Figure) -> str:
    """The figure's data as an inert HTML element (lifted out by :func:`take_figure_data`)."""
    buf = io.StringIO()
    figure_data(fig).to_csv(buf, index=False, lineterminator="\n")
    return f'<script type="text/csv" data-figure="{number}">{html.escape(buf.getvalue())}</script>'


def figure_file(number: int) -> str:
    """``figure-01.csv``: the data file of figure ``number``."""
    return f"figure-{number:02d}.csv"


def take_figure_data(text: str) -> tuple[str, dict[str, str]]:
    """The HTML without its figures' CSV blocks, and ``{file name: CSV}`` for each."""
    files = {figure_file(int(n)): html.unescape(body) for n, body in _BLOCK.findall(text)}
    return _BLOCK.sub("", text), files
