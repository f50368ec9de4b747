"""Charts of the whole relationship: the composite timeline and its components."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.render.figures import (
    BAND_SHADES,
    BLUE,
    GREY,
    INK,
    ORANGE,
    WIDTH,
    apply_style,
    legend,
    mark_range,
    new_axes,
)


def phase_timeline_figure(
    composite: pd.Series,
    *,
    bands: list[tuple[float, float, str]],
    designations: pd.DataFrame,
    breaks: Sequence[int],
    start: pd.Timestamp,
    end: pd.Timestamp,
    uncertainty: pd.DataFrame | None = None,
    others: dict[str, pd.Series] | None = None,
) -> Figure:
    """Composite index by year over the whole history: bands as background, the requested range
    highlighted, designation changes as markers, change points as dashed lines; ``uncertainty``
    (columns q025, q10, q90, q975 by year) draws the 95 % and 80 % bands of the draws,
    ``others`` (label → series) further variants as thin lines."""
    fig, (ax,) = new_axes(height=2.75 if uncertainty is not None else 2.45)
    for lo, hi, name in bands:
        ax.axhspan(lo, hi, color=BAND_SHADES[name], zorder=0, lw=0)
        ax.text(
            1.005,
            (lo + hi) / 2,
            name,
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=7,
            color="#444",
        )
    mark_range(ax, start, end)
    if uncertainty is not None:
        u = uncertainty.reindex(composite.index)
        ax.fill_between(
            u.index,
            u["q025"],
            u["q975"],
            color=BLUE,
            alpha=0.13,
            lw=0,
            zorder=1,
            label="95% of draws",
        )
        ax.fill_between(
            u.index,
            u["q10"],
            u["q90"],
            color=BLUE,
            alpha=0.25,
            lw=0,
            zorder=1,
            label="80% of draws",
        )
    for (label, other), (color, style) in zip(
        (others or {}).items(), [(ORANGE, "-"), (GREY, ":")], strict=False
    ):
        other = other.dropna()
        ax.plot(other.index, other.to_numpy(), color=color, ls=style, lw=1.1, zorder=2, label=label)
    ax.plot(
        composite.index,
        composite.to_numpy(),
        color=INK,
        lw=1.6,
        marker="o",
        ms=2.8,
        zorder=3,
        label="Composite index",
    )
    for i, y in enumerate(breaks):
        ax.axvline(
            y - 0.5,
            color=BLUE,
            ls="--",
            lw=1,
            zorder=2,
            label="Robust change point" if i == 0 else None,
        )
    ups = designations[designations["change"] != "reaffirmation"]
    ups = ups[(ups["date"] >= start) & (ups["date"] <= end)]
    for i, (_, row) in enumerate(ups.iterrows()):
        ax.plot(
            row["date"].year + (row["date"].day_of_year - 1) / 365 - 0.5,
            8.3,
            marker="v",
            color=ORANGE,
            ms=6,
            mec=INK,
            mew=0.5,
            zorder=4,
            label="Designation change" if i == 0 else None,
            clip_on=False,
        )
        ax.annotate(
            str(int(row["level"])),
            (row["date"].year - 0.5 + (row["date"].day_of_year - 1) / 365, 8.3),
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
            fontsize=6.5,
        )
    ax.set_ylim(-9, 9)
    ax.set_yticks(range(-9, 10, 3))
    if len(composite):
        ax.set_xlim(composite.index.min() - 0.7, composite.index.max() + 0.7)
    ax.set_ylabel("Composite index (−9 to +9)")
    ax.set_xlabel("Year")
    ax.grid(False)
    legend(ax, ncol=4)
    return fig


def monthly_phase_timeline_figure(
    composite: pd.Series,
    *,
    bands: list[tuple[float, float, str]],
    designations: pd.DataFrame,
    breaks: Sequence[pd.Timestamp],
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> Figure:
    """The monthly composite over a short range (index: month ends): bands as background,
    designation changes in the range as markers, change points as dashed lines."""
    import matplotlib.dates as mdates

    fig, (ax,) = new_axes(height=2.45)
    for lo, hi, name in bands:
        ax.axhspan(lo, hi, color=BAND_SHADES[name], zorder=0, lw=0)
        ax.text(
            1.005,
            (lo + hi) / 2,
            name,
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=7,
            color="#444",
        )
    x = composite.index - pd.Timedelta(days=14)  # a month's value drawn at its middle
    ax.plot(
        x,
        composite.to_numpy(),
        color=INK,
        lw=1.6,
        marker="o",
        ms=2.8,
        zorder=3,
        label="Composite index (monthly)",
    )
    for i, b in enumerate(breaks):
        ax.axvline(
            b - pd.offsets.MonthBegin(1),
            color=BLUE,
            ls="--",
            lw=1,
            zorder=2,
            label="Change point (PELT, ≥ 6 months)" if i == 0 else None,
        )
    ups = designations[designations["change"] != "reaffirmation"]
    ups = ups[(ups["date"] >= start) & (ups["date"] <= end)]
    for i, (_, row) in enumerate(ups.iterrows()):
        ax.plot(
            row["date"],
            8.3,
            marker="v",
            color=ORANGE,
            ms=6,
            mec=INK,
            mew=0.5,
            zorder=4,
            label="Designation change" if i == 0 else None,
            clip_on=False,
        )
    ax.set_ylim(-9, 9)
    ax.set_yticks(range(-9, 10, 3))
    ax.set_xlim(start, end + pd.Timedelta(days=1))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.set_ylabel("Composite index (−9 to +9)")
    ax.grid(False)
    legend(ax, ncol=3)
    return fig


def components_figure(normalised: pd.DataFrame, labels: dict[str, str], *, start, end) -> Figure:
    """Normalised components (0–1) by year, small multiples."""
    cols = list(normalised.columns)
    apply_style()
    nrow = int(np.ceil(len(cols) / 2))
    fig, axes = plt.subplots(nrow, 2, figsize=(WIDTH, 1.05 * nrow + 0.4), sharex=True, sharey=True)
    for ax, col in zip(axes.ravel(), cols, strict=False):
        mark_range(ax, start, end)
        s = normalised[col]
        ax.plot(s.index, s.to_numpy(), color=INK, lw=1.1, marker="o", ms=1.8)
        ax.set_title(labels.get(col, col), fontsize=7.5)
        ax.set_ylim(-0.05, 1.05)
    for ax in axes.ravel()[len(cols) :]:
        ax.set_visible(False)
    fig.supylabel("Normalised (0–1)", fontsize=8)
    fig.tight_layout()
    return fig
