"""The "Energy and money" charts: crude and gas, the trade asymmetry, the yuan's shares."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from analysis.render.figures import BLUE, GREY, INK, LIGHT, ORANGE, _legend, _mark_range, _new


def _points(frame: pd.DataFrame, indicator: str, by_year: bool = True) -> pd.Series:
    rows = frame[frame["indicator"] == indicator].dropna(subset=["value"])
    index = rows["period"].dt.year.to_numpy() if by_year else rows["period"].to_numpy()
    return pd.Series(rows["value"].to_numpy(dtype=float), index=index)


def energy_figure(
    energy: pd.DataFrame, share: pd.Series, dependence: pd.DataFrame, *, start, end, prev_start
) -> Figure:
    """Top: China's crude imports from Russia (bars, Mt) with Russia's share of China's crude
    imports (line, right) and Power of Siberia gas (bcm). Bottom: China's share of Russia's
    trade beside Russia's share of China's (markers only: the years are sparse)."""
    fig, (ax1, ax3) = _new(rows=2, height=4.4)
    for ax in (ax1, ax3):
        _mark_range(ax, start, end, prev_start)
    crude = _points(energy, "crude_from_rus_mt")
    gas = _points(energy, "pos_gas_bcm")
    ax1.bar(
        crude.index - 0.2, crude.to_numpy(), width=0.4, color=BLUE, label="Crude from Russia (Mt)"
    )
    ax1.bar(
        gas.index + 0.2,
        gas.to_numpy(),
        width=0.4,
        color=LIGHT,
        edgecolor=INK,
        lw=0.4,
        label="Power of Siberia gas (bcm)",
    )
    ax1.set_ylabel("Mt / bcm a year")
    ax2 = ax1.twinx()
    years = pd.Index([pd.Timestamp(t).year for t in share.index])
    ax2.plot(
        years,
        share.to_numpy() * 100,
        color=ORANGE,
        marker="o",
        ms=3.5,
        lw=1.2,
        ls="--",
        label="Russia's share of China's crude imports (%, right)",
    )
    ax2.set_ylim(0, max(25, (share.max() * 100 + 5) if len(share) else 25))
    ax2.set_ylabel("Share (%)")
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    _legend(ax1, [ax2], ncol=2)
    ax1.set_title("Energy: what Russia sells China", pad=28)
    for key, label, colour, marker in (
        ("chn_share_of_rus_trade", "China's share of Russia's trade", INK, "s"),
        ("rus_share_of_chn_trade", "Russia's share of China's trade", GREY, "o"),
    ):
        pts = _points(dependence, key)
        ax3.plot(
            pts.index,
            pts.to_numpy() * 100,
            color=colour,
            marker=marker,
            ms=4.5,
            lw=0.8,
            ls=":",
            label=label,
        )
    ax3.set_ylabel("Share of total trade (%)")
    ax3.set_xlabel("Year")
    _legend(ax3, ncol=2)
    ax3.set_title("The asymmetry (dotted lines join sparse years)", pad=16)
    return fig


def money_figure(money: pd.DataFrame, *, start, end) -> Figure:
    """The yuan's share of Russia's export and import settlements and of exchange FX trading,
    by month (markers: the months a figure could be cited; thin lines join them)."""
    fig, (ax,) = _new(height=2.5)
    lo = max(start, money["period"].min()) if len(money) else start
    _mark_range(ax, start, end, as_year=False)
    for key, label, colour, marker in (
        ("cny_share_rus_exports", "Yuan, Russia's export settlements", BLUE, "o"),
        ("cny_share_rus_imports", "Yuan, Russia's import settlements", INK, "s"),
        ("cny_share_moex_fx", "Yuan, exchange FX trading in Russia", ORANGE, "^"),
        ("rub_share_rus_exports", "Rouble, Russia's export settlements", GREY, "v"),
    ):
        pts = _points(money, key, by_year=False)
        ax.plot(
            pts.index,
            pts.to_numpy() * 100,
            color=colour,
            marker=marker,
            ms=3.5,
            lw=0.8,
            label=label,
        )
    ax.set_ylabel("Share (%)")
    ax.set_ylim(0, 60)
    ax.set_xlim(lo - pd.Timedelta(days=45), end + pd.Timedelta(days=15))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    _legend(ax, ncol=2)
    return fig
