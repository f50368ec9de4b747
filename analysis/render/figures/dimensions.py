"""One chart per dimension: diplomatic, UN, economic, military, events (range vs preceding)."""

from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from analysis.render.figures import (
    BLUE,
    GREY,
    INK,
    LIGHT,
    ORANGE,
    _legend,
    _mark_range,
    _new,
    _years,
)


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


def un_figure(
    vetoes: pd.DataFrame, pairs: dict[str, pd.DataFrame], *, start, end, prev_start
) -> Figure:
    """Vetoes per year (China, USSR/Russia, joint) and, for each pair, the share of identical
    General Assembly votes by session (``pairs``: label -> agreement_series frame)."""
    fig, (ax1, ax2) = _new(rows=2, height=3.5)
    _mark_range(ax1, start, end, prev_start)
    _mark_range(ax2, start, end, prev_start)
    series = [
        ("vetoes_rus", "USSR/Russia", GREY),
        ("vetoes_chn", "China", BLUE),
        ("vetoes_joint", "Joint (same draft)", INK),
    ]
    for i, (name, label, colour) in enumerate(series):
        s = _years(vetoes, name)
        ax1.bar(
            s.index + (i - 1) * 0.27,
            s.to_numpy(),
            width=0.27,
            color=colour,
            edgecolor=colour,
            lw=0.3,
            label=label,
        )
    ax1.set_ylabel("Vetoes per year")
    ax1.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax1.set_title("Security Council vetoes")
    _legend(ax1, ncol=3, right=True)
    styles = [(INK, "o", "-"), (BLUE, "s", "--"), (ORANGE, "^", ":")]
    for (label, series), (colour, marker, ls) in zip(pairs.items(), styles, strict=False):
        if series.empty:
            continue
        years = series["period"].dt.year + 0.3  # a session opens in September
        frame = pd.Series(series["value"].to_numpy(dtype=float), index=years.to_numpy())
        full = frame.reindex(
            [y + 0.3 for y in range(int(years.min()), int(years.max()) + 1)]
        )  # a missing session breaks the line: no line is drawn across a gap
        ax2.plot(full.index, full.to_numpy(), color=colour, ls=ls, lw=1.2, label=label)
        per_vote = series["basis"].str.startswith("per_vote").to_numpy()
        ax2.plot(years[per_vote], frame[per_vote], color=colour, marker=marker, ms=2.6, lw=0)
        ax2.plot(
            years[~per_vote],
            frame[~per_vote],
            color=colour,
            marker=marker,
            ms=3.2,
            lw=0,
            mfc="white",
        )
    ax2.set_ylim(-0.02, 1.02)
    ax2.set_ylabel("Share of identical votes")
    ax2.set_title("General Assembly, every recorded vote")
    ax2.legend(loc="center right", ncol=1, fontsize=7)
    ax2.set_xlabel("Year (session opening)")
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
    """Joint exercises by domain and joint patrols per year (when the window holds exercise
    data); SIPRI TIV of arms deliveries with its 5-year average."""
    if exercises.empty:  # no exercise data in the window: no empty panel, only the arms chart
        fig, (ax2,) = _new(rows=1, height=2.3)
    else:
        fig, (ax1, ax2) = _new(rows=2, height=3.5)
        _exercise_panel(ax1, exercises, start, end, prev_start)
    _mark_range(ax2, start, end, prev_start)
    tiv = _years(arms, "arms_tiv")
    roll = _years(arms, "arms_tiv_rolling")
    ax2.bar(tiv.index, tiv.to_numpy(), color=GREY, width=0.75, label="TIV per year")
    ax2.plot(roll.index, roll.to_numpy() / 5, color=INK, lw=1.4, label="5-year average")
    ax2.set_ylabel("SIPRI TIV, million")
    ax2.set_title("Soviet/Russian arms deliveries (SIPRI TIV)")
    _legend(ax2, ncol=2, right=True)
    ax2.set_xlabel("Year")
    return fig


def _exercise_panel(ax1, exercises: pd.DataFrame, start, end, prev_start) -> None:
    _mark_range(ax1, start, end, prev_start)
    bottom = None
    stack = [
        ("exercises_land", "Land", INK),
        ("exercises_sea", "Sea", BLUE),
        ("exercises_air", "Air", ORANGE),
        ("exercises_multi", "Multi-domain", LIGHT),
        ("joint_patrols", "Joint patrols", "#ffffff"),
    ]
    for name, label, colour in stack:
        s = _years(exercises, name)
        if bottom is None:
            bottom = pd.Series(0.0, index=s.index)
        ax1.bar(
            s.index,
            s.to_numpy(),
            bottom=bottom.reindex(s.index).to_numpy(),
            color=colour,
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


def events_figure(yearly: pd.DataFrame, *, start, end, prev_start) -> Figure:
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


def issue_figure(
    groups: dict[str, dict[str, pd.DataFrame]], *, start, end, min_votes: int = 5
) -> Figure:
    """Small multiples: one panel per issue group (the six unvotes issues, the votes on Ukraine),
    the share of identical votes by year for each pair; ``groups``: label -> pair -> tidy rows
    of ``identical_share`` with ``n``. Years with fewer than ``min_votes`` such votes are gaps."""
    import matplotlib.pyplot as plt

    from . import WIDTH, apply_style

    apply_style()
    labels = list(groups)
    ncol = 4
    nrow = -(-len(labels) // ncol)
    fig, axes = plt.subplots(
        nrow, ncol, figsize=(WIDTH, 1.25 * nrow + 0.5), sharex=True, sharey=True, squeeze=False
    )
    styles = [(INK, "-"), (BLUE, "--"), (ORANGE, ":")]
    for ax, label in zip(axes.ravel(), labels, strict=False):
        _mark_range(ax, start, end)
        for (pair, rows), (colour, ls) in zip(groups[label].items(), styles, strict=False):
            rows = rows[rows["n"] >= min_votes]
            if rows.empty:
                continue
            years = range(int(rows["period"].dt.year.min()), int(rows["period"].dt.year.max()) + 1)
            s = pd.Series(rows["value"].to_numpy(), index=rows["period"].dt.year).reindex(years)
            ax.plot(
                s.index, s.to_numpy(), color=colour, ls=ls, lw=1.0, marker="o", ms=1.8, label=pair
            )
        ax.set_title(label, fontsize=7)
        ax.set_ylim(-0.02, 1.02)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3, integer=True))
    for ax in axes.ravel()[len(labels) :]:
        ax.set_visible(False)
    handles, names = axes.ravel()[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper right", ncol=3, fontsize=7, frameon=False)
    fig.supylabel("Share of identical votes", fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def monthly_bars_figure(
    panels: list[tuple[str, str, dict[str, pd.DataFrame]]], *, start, end
) -> Figure:
    """Counts (or values) month by month in a short range, one panel each.

    ``panels``: (title, y label, {series label: tidy frame with one indicator by month}); the
    series of a panel are drawn as side-by-side bars within each month."""
    fig, axes = _new(rows=len(panels), height=1.35 * len(panels) + 0.5)
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
        _legend(ax, ncol=4, right=titled)
    axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    return fig
