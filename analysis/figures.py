"""Every chart of the briefing, in one style.

Fonts that carry Latin, Cyrillic and Chinese glyphs; colours of distinct lightness plus line
styles, markers and hatches, so that the charts survive greyscale printing; labelled axes
with units; output as SVG (vector) for the PDF.

Each ``*_figure`` function takes tidy indicator frames (or plain series) and the requested
range, and returns a :class:`matplotlib.figure.Figure`. No function reads files or prints.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

#: Dark → light, distinguishable in greyscale.
INK = "#1b1b1b"
BLUE = "#2b5c8a"
ORANGE = "#d08a2e"
GREY = "#8c8c8c"
LIGHT = "#d9d9d9"
SERIES = [INK, BLUE, ORANGE, GREY]
HATCHES = ["", "///", "...", "xxx"]
BAND_SHADES = {
    "hostile": "#bdbdbd",
    "tense": "#cfcfcf",
    "bad": "#e0e0e0",
    "ordinary": "#f0f0f0",
    "good": "#f7f7f7",
    "friendly": "#ffffff",
}
WIDTH = 7.0  # inches: the text width of an A4 page with 14 mm margins


def apply_style() -> None:
    """Set matplotlib's rcParams for every briefing chart."""
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
            "svg.fonttype": "path",
            "axes.prop_cycle": matplotlib.cycler(color=SERIES),
        }
    )


def to_svg(fig: Figure) -> str:
    """The figure as an inline SVG string (vector), then closed."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


def _new(rows: int = 1, height: float = 2.6, sharex: bool = True) -> tuple[Figure, Sequence]:
    apply_style()
    fig, axes = plt.subplots(
        rows, 1, figsize=(WIDTH, height), sharex=sharex, squeeze=False, layout="constrained"
    )
    return fig, list(axes[:, 0])


def _mark_range(
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
        facecolor="#e6eef6",
        edgecolor=BLUE,
        hatch="",
        lw=0.6,
        zorder=0,
        alpha=0.9,
    )


def _legend(ax, extra_axes=(), ncol: int = 4, right: bool = False) -> None:
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


def _years(frame: pd.DataFrame, indicator: str) -> pd.Series:
    rows = frame[frame["indicator"] == indicator]
    return pd.Series(rows["value"].to_numpy(dtype=float), index=rows["period"].dt.year.to_numpy())


def phase_timeline_figure(
    composite: pd.Series,
    *,
    bands: list[tuple[float, float, str]],
    designations: pd.DataFrame,
    breaks: Sequence[int],
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> Figure:
    """Composite index by year over the whole history: bands as background, the requested range
    highlighted, designation changes as markers, change points as dashed lines."""
    fig, (ax,) = _new(height=3.0)
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
    _mark_range(ax, start, end)
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
            label="Change point (PELT)" if i == 0 else None,
        )
    ups = designations[designations["change"] != "reaffirmation"]
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
    ax.set_xlim(composite.index.min() - 0.7, composite.index.max() + 0.7)
    ax.set_ylabel("Composite index (−9 to +9)")
    ax.set_xlabel("Year")
    ax.grid(False)
    _legend(ax, ncol=3)
    return fig


def diplomatic_figure(
    meetings: pd.DataFrame, level: pd.DataFrame, *, start, end, prev_start
) -> Figure:
    """Leader-level meetings per year (bars) and the partnership level (step line)."""
    fig, (ax,) = _new(height=2.5)
    _mark_range(ax, start, end, prev_start)
    m = _years(meetings, "leader_meetings")
    v = _years(meetings, "official_visits")
    ax.bar(m.index - 0.2, m.to_numpy(), width=0.4, color=INK, label="Leader-level meetings")
    ax.bar(
        v.index + 0.2,
        v.to_numpy(),
        width=0.4,
        color=LIGHT,
        edgecolor=INK,
        lw=0.4,
        hatch="///",
        label="State and official visits",
    )
    ax.set_ylabel("Events per year")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax2 = ax.twinx()
    lv = _years(level, "partnership_level")
    ax2.step(
        lv.index,
        lv.to_numpy(),
        where="mid",
        color=ORANGE,
        lw=1.8,
        label="Partnership level (right)",
    )
    ax2.set_ylabel("Designation level (ordinal)")
    ax2.set_ylim(0, max(8, (lv.max() if len(lv) else 0) + 1))
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    _legend(ax, [ax2], ncol=3)
    ax.set_xlabel("Year")
    return fig


def un_figure(vetoes: pd.DataFrame, agreement: pd.DataFrame, *, start, end, prev_start) -> Figure:
    """Vetoes per year (China, USSR/Russia, joint) and UNGA voting similarity with its n."""
    fig, (ax1, ax2) = _new(rows=2, height=3.5)
    _mark_range(ax1, start, end, prev_start)
    _mark_range(ax2, start, end, prev_start)
    series = [
        ("vetoes_rus", "USSR/Russia", GREY, ""),
        ("vetoes_chn", "China", BLUE, "///"),
        ("vetoes_joint", "Joint (same draft)", INK, ""),
    ]
    for i, (name, label, colour, hatch) in enumerate(series):
        s = _years(vetoes, name)
        ax1.bar(
            s.index + (i - 1) * 0.27,
            s.to_numpy(),
            width=0.27,
            color=colour,
            hatch=hatch,
            edgecolor=INK if hatch else colour,
            lw=0.3,
            label=label,
        )
    ax1.set_ylabel("Vetoes per year")
    ax1.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax1.set_title("Security Council vetoes")
    _legend(ax1, ncol=3, right=True)
    s_score = agreement[agreement["indicator"] == "unga_s_score"].dropna(subset=["value"])
    ident = agreement[agreement["indicator"] == "unga_agreement"].dropna(subset=["value"])
    ax2.plot(
        s_score["period"].dt.year,
        s_score["value"],
        color=INK,
        marker="o",
        ms=3,
        lw=1.2,
        label="S-score (−1 to 1)",
    )
    ax2.plot(
        ident["period"].dt.year,
        ident["value"],
        color=ORANGE,
        marker="s",
        ms=3,
        lw=1.0,
        ls="--",
        label="Share of identical votes",
    )
    for _, r in s_score.iterrows():
        ax2.annotate(
            str(int(r["n"])),
            (r["period"].year, r["value"]),
            xytext=(0, 4),
            textcoords="offset points",
            fontsize=5.5,
            ha="center",
            color="#555",
        )
    ax2.set_ylim(-1.05, 1.15)
    ax2.set_ylabel("China–Russia agreement")
    ax2.set_title("General Assembly (labels: roll calls)")
    _legend(ax2, ncol=2, right=True)
    ax2.set_xlabel("Year")
    return fig


def economic_figure(trade: pd.DataFrame, *, start, end, prev_start) -> Figure:
    """Trade total (line) with China's exports and imports where reported (bars), US$ bn."""
    fig, (ax,) = _new(height=2.7)
    _mark_range(ax, start, end, prev_start)
    total = _years(trade, "trade_total").dropna() / 1e9
    exp = _years(trade, "trade_exports").dropna() / 1e9
    imp = _years(trade, "trade_imports").dropna() / 1e9
    ax.bar(
        exp.index - 0.2, exp.to_numpy(), width=0.4, color=BLUE, label="China's exports to Russia"
    )
    ax.bar(
        imp.index + 0.2,
        imp.to_numpy(),
        width=0.4,
        color=LIGHT,
        edgecolor=INK,
        hatch="...",
        lw=0.4,
        label="China's imports from Russia",
    )
    ax.plot(total.index, total.to_numpy(), color=INK, marker="o", ms=3, lw=1.5, label="Total trade")
    ax.set_ylabel("US$ billion (current)")
    ax.set_xlabel("Year")
    _legend(ax, ncol=3)
    return fig


def military_figure(
    exercises: pd.DataFrame, arms: pd.DataFrame, *, start, end, prev_start
) -> Figure:
    """Joint exercises by domain and joint patrols per year; SIPRI TIV of arms deliveries."""
    fig, (ax1, ax2) = _new(rows=2, height=3.5)
    _mark_range(ax1, start, end, prev_start)
    _mark_range(ax2, start, end, prev_start)
    bottom = None
    stack = [
        ("exercises_land", "Land", INK, ""),
        ("exercises_sea", "Sea", BLUE, ""),
        ("exercises_air", "Air", ORANGE, ""),
        ("exercises_multi", "Multi-domain", LIGHT, "///"),
        ("joint_patrols", "Joint patrols", "#ffffff", "xxx"),
    ]
    for name, label, colour, hatch in stack:
        s = _years(exercises, name)
        if bottom is None:
            bottom = pd.Series(0.0, index=s.index)
        ax1.bar(
            s.index,
            s.to_numpy(),
            bottom=bottom.reindex(s.index).to_numpy(),
            color=colour,
            hatch=hatch,
            edgecolor=INK,
            lw=0.3,
            label=label,
            width=0.75,
        )
        bottom = bottom.add(s, fill_value=0)
    ax1.set_ylabel("Activities per year")
    ax1.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax1.set_title("Exercises and patrols")
    _legend(ax1, ncol=5, right=True)
    tiv = _years(arms, "arms_tiv")
    roll = _years(arms, "arms_tiv_rolling")
    ax2.bar(tiv.index, tiv.to_numpy(), color=GREY, width=0.75, label="TIV per year")
    ax2.plot(roll.index, roll.to_numpy() / 5, color=INK, lw=1.4, label="5-year average")
    ax2.set_ylabel("SIPRI TIV, million")
    ax2.set_title("Russian arms deliveries (SIPRI TIV)")
    _legend(ax2, ncol=2, right=True)
    ax2.set_xlabel("Year")
    return fig


def events_figure(
    yearly: pd.DataFrame, monthly: pd.DataFrame | None, *, start, end, prev_start
) -> Figure:
    """Coded events per year (bars, by cooperation/conflict) and net cooperation (line)."""
    fig, (ax,) = _new(height=2.6)
    _mark_range(ax, start, end, prev_start)
    n = _years(yearly, "event_count")
    conflict = (
        _years(yearly, "share_verbal_conflict") + _years(yearly, "share_material_conflict")
    ).fillna(0) * n
    ax.bar(
        n.index,
        (n - conflict).to_numpy(),
        color=LIGHT,
        edgecolor=INK,
        lw=0.3,
        label="Cooperative events",
    )
    ax.bar(
        n.index,
        conflict.to_numpy(),
        bottom=(n - conflict).to_numpy(),
        color=INK,
        label="Conflictual events",
    )
    ax.set_ylabel("Coded events per year")
    ax2 = ax.twinx()
    net = _years(yearly, "net_cooperation")
    ax2.plot(
        net.index,
        net.to_numpy(),
        color=ORANGE,
        marker="o",
        ms=3,
        lw=1.4,
        label="Net cooperation (right)",
    )
    ax2.set_ylim(-1.05, 1.05)
    ax2.set_ylabel("Net cooperation (−1 to 1)")
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    _legend(ax, [ax2], ncol=3)
    ax.set_xlabel("Year")
    return fig


def monthly_events_figure(rolling: pd.DataFrame) -> Figure:
    """12-month rolling net cooperation and mean Goldstein score, month by month."""
    fig, (ax,) = _new(height=2.2)
    net = rolling[rolling["indicator"].str.startswith("net_cooperation")]
    gold = rolling[rolling["indicator"].str.startswith("goldstein_mean")]
    ax.plot(
        net["period"], net["value"], color=INK, lw=1.4, label="Net cooperation, 12-month (left)"
    )
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("Net cooperation")
    ax2 = ax.twinx()
    ax2.plot(
        gold["period"],
        gold["value"],
        color=ORANGE,
        lw=1.2,
        ls="--",
        label="Mean Goldstein, 12-month (right)",
    )
    ax2.set_ylim(-10, 10)
    ax2.set_ylabel("Goldstein scale")
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    _legend(ax, [ax2], ncol=2)
    return fig


def components_figure(normalised: pd.DataFrame, labels: dict[str, str], *, start, end) -> Figure:
    """Normalised components (0–1) by year, small multiples."""
    cols = list(normalised.columns)
    apply_style()
    nrow = int(np.ceil(len(cols) / 2))
    fig, axes = plt.subplots(nrow, 2, figsize=(WIDTH, 1.05 * nrow + 0.4), sharex=True, sharey=True)
    for ax, col in zip(axes.ravel(), cols, strict=False):
        _mark_range(ax, start, end)
        s = normalised[col]
        ax.plot(s.index, s.to_numpy(), color=INK, lw=1.1, marker="o", ms=1.8)
        ax.set_title(labels.get(col, col), fontsize=7.5)
        ax.set_ylim(-0.05, 1.05)
    for ax in axes.ravel()[len(cols) :]:
        ax.set_visible(False)
    fig.supylabel("Normalised (0–1)", fontsize=8)
    fig.tight_layout()
    return fig
