"""The energy-and-money section: what Russia sells China (crude oil, pipeline gas), how much each
side weighs in the other's trade, and the currency Russia's trade is settled in."""

from __future__ import annotations

from functools import partial
from typing import Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from analysis.data.loader import Datasets, coverage
from analysis.indicators import dependence_indicators, energy_indicators, yuan_shares
from analysis.model.inputs import MetricInputs
from analysis.model.periods import NONE, Period, combined_state, whole_years
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes
from analysis.render.figures import BLUE, GREY, INK, LIGHT, ORANGE, legend, mark_range, new_axes
from analysis.render.formats import bcm, mt, runs, share
from analysis.sections.base import (
    Row,
    Section,
)

DATASETS = ("energy", "trade_dependence", "yuan_settlements")


#: The energy charts span the range and its preceding period, shaded apart.
RANGE_SHADING = " Shaded: the range (blue) and the preceding period of equal length (grey)."


def _series(tidy: pd.DataFrame, indicator: str) -> pd.Series:
    rows = tidy[tidy["indicator"] == indicator].dropna(subset=["value"])
    return pd.Series(rows["value"].to_numpy(), index=rows["period"].to_numpy())


def _ends(series: pd.Series, key: str, out: dict[str, Any], fmt: str = "%Y") -> None:
    """``key_first``/``key_last`` values with their dates (``key_first_when`` ...), ``key_n``."""
    out[f"{key}_n"] = len(series)
    if not len(series):
        out[f"{key}_first"] = out[f"{key}_last"] = None
        return
    out[f"{key}_first"], out[f"{key}_last"] = float(series.iloc[0]), float(series.iloc[-1])
    out[f"{key}_first_when"] = pd.Timestamp(series.index[0]).strftime(fmt)
    out[f"{key}_last_when"] = pd.Timestamp(series.index[-1]).strftime(fmt)


def crude_share(tidy: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Russia's share of China's crude imports by year: computed from the two volumes where both
    exist, else the share a source states; and a flag series (True = computed)."""
    computed, stated = _series(tidy, "crude_share_rus"), _series(tidy, "crude_share_rus_stated")
    share = computed.combine_first(stated).sort_index()
    return share, pd.Series(share.index.isin(computed.index), index=share.index)


def metrics(ds: Datasets, period: Period, inputs: MetricInputs | None = None) -> dict:
    """Crude from Russia (volume and share), Power of Siberia, the two trade shares, the yuan."""
    out: dict[str, Any] = {"coverage": combined_state(DATASETS, period, ds.data_dir)}
    if out["coverage"] == NONE:
        return out
    years = whole_years(period)
    if years is not None:
        s, e = f"{years[0]}-01-01", f"{years[1]}-12-31"
        energy = energy_indicators(ds.energy, start=s, end=e)
        dep = dependence_indicators(ds.trade_dependence, ds.trade, start=s, end=e)
        crude = _series(energy, "crude_from_rus_mt")
        _ends(crude, "crude_mt", out)
        first, last = coverage("energy", ds.data_dir)  # gaps only inside the data's span
        lo, hi = max(years[0], first.year), min(years[1], last.year)
        have = {pd.Timestamp(t).year for t in crude.index}
        out["crude_missing"] = [y for y in range(lo, hi + 1) if y not in have]
        share, computed = crude_share(energy)
        _ends(share, "crude_share", out)
        if len(share):
            out["crude_share_first_computed"] = bool(computed.iloc[0])
            out["crude_share_last_computed"] = bool(computed.iloc[-1])
        _ends(_series(energy, "pos_gas_bcm"), "pos_bcm", out)
        for key in ("chn_share_of_rus_trade", "rus_share_of_chn_trade"):
            _ends(_series(dep, key), key, out)
        both = _series(dep, "chn_share_of_rus_trade").index.intersection(
            _series(dep, "rus_share_of_chn_trade").index
        )
        if len(both):  # the latest year with both sides' shares: the asymmetry
            year = both.max()
            a = float(_series(dep, "chn_share_of_rus_trade")[year])
            b = float(_series(dep, "rus_share_of_chn_trade")[year])
            out.update(asym_year=pd.Timestamp(year).year, asym_chn=a, asym_rus=b, asym_ratio=a / b)
    money = yuan_shares(ds.yuan_settlements, start=period.start, end=period.end)
    for key in ("cny_share_rus_exports", "cny_share_rus_imports", "cny_share_moex_fx"):
        _ends(_series(money, key), key, out, fmt="%B %Y")
    return out


def _from_to(now: dict, key: str, q: Quotes, fmt, label: str) -> str:
    """'from A in Y1 to B in Y2' (or 'A in Y' when one figure), quoting both values."""
    last = q(f"energy.{key}_last", now[f"{key}_last"], fmt)
    q(f"energy.{key}_last_when", now[f"{key}_last_when"], str)
    if now[f"{key}_n"] == 1:
        return f"{label} {last} in {now[f'{key}_last_when']}"
    first = q(f"energy.{key}_first", now[f"{key}_first"], fmt)
    q(f"energy.{key}_first_when", now[f"{key}_first_when"], str)
    return f"{label} {first} in {now[f'{key}_first_when']} and {last} in {now[f'{key}_last_when']}"


def energy_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """Crude from Russia (volume, share) and Power of Siberia over the range, with the gaps."""
    if now.get("coverage") == NONE or not now.get("crude_mt_n"):
        return None
    text = _from_to(now, "crude_mt", q, mt, "China's customs record crude imports from Russia of")
    q("energy.crude_mt_n", now["crude_mt_n"], str)
    missing = now.get("crude_missing") or []
    text += f" ({now['crude_mt_n']} years with a figure"
    text += f"; none could be cited for {runs(missing)})" if missing else ")"
    if now.get("crude_share_n"):
        basis = {True: "computed from the two volumes", False: "as a source states it"}
        text += (
            "; Russia's share of China's crude imports was "
            + _from_to(now, "crude_share", q, share, "").strip()
        )
        first, last = now["crude_share_first_computed"], now["crude_share_last_computed"]
        if now["crude_share_n"] == 1 or first == last:
            text += f" ({basis[last]})"
        else:
            text += (
                f" ({now['crude_share_first_when']} {basis[first]}, "
                f"{now['crude_share_last_when']} {basis[last]})"
            )
    if now.get("pos_bcm_n"):
        text += (
            ". Gas through the Power of Siberia pipeline was "
            + _from_to(now, "pos_bcm", q, bcm, "").strip()
        )
        text += " (Gazprom's figures)"
    return text + "."


def dependence_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """The asymmetry in the latest year with both shares, and China's share over the range."""
    if now.get("coverage") == NONE:
        return None
    parts = []
    if now.get("asym_year") is not None:
        a = q("energy.asym_chn", now["asym_chn"], share)
        b = q("energy.asym_rus", now["asym_rus"], share)
        r = q("energy.asym_ratio", now["asym_ratio"], lambda x: f"{x:.1f}")
        q("energy.asym_year", now["asym_year"], str)
        parts.append(
            f"The dependence is lopsided: in {now['asym_year']} China accounted for {a} of "
            f"Russia's trade while Russia accounted for {b} of China's, a ratio of {r} to 1"
        )
    if now.get("chn_share_of_rus_trade_n", 0) > 1:
        parts.append(
            _from_to(now, "chn_share_of_rus_trade", q, share, "China's share of Russia's trade was")
            + f" ({now['chn_share_of_rus_trade_n']} years with a figure)"
        )
    if not parts:
        return None
    return (
        "; ".join(parts) + ". Where no source states a share it is computed as China's customs "
        "figure for bilateral trade over the other side's total trade, which mixes two "
        "reporters' statistics."
    )


def money_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """The yuan in Russia's settlements and exchange FX trading, tied to 'financial support'."""
    if not (now.get("cny_share_rus_exports_n") or now.get("cny_share_moex_fx_n")):
        return None
    parts = []
    if now.get("cny_share_rus_exports_n"):
        parts.append(
            _from_to(
                now,
                "cny_share_rus_exports",
                q,
                share,
                "The yuan's share of Russia's export settlements was",
            )
        )
    if now.get("cny_share_rus_imports_n"):
        parts.append(_from_to(now, "cny_share_rus_imports", q, share, "of its import settlements"))
    if now.get("cny_share_moex_fx_n"):
        parts.append(
            _from_to(now, "cny_share_moex_fx", q, share, "of exchange currency trading in Russia")
        )
    latest = now.get("cny_share_rus_exports_last_when")
    text = "; ".join(parts) + " (Bank of Russia figures as reported"
    text += (
        f"; the latest settlement share that could be cited is for {latest})." if latest else ")."
    )
    return (
        text + " These are shares of the currency Russia settles in: they show its trade moving "
        "into yuan, not Chinese credit, aid or bank lending, so the claim that China gave "
        "Russia “financial support” is not checkable with this data."
    )


def figure(ctx: BriefingContext):
    w, e = ctx.window_start, ctx.end
    energy = energy_indicators(ctx.ds.energy, start=w, end=e)
    share, _ = crude_share(energy)
    dep = dependence_indicators(ctx.ds.trade_dependence, ctx.ds.trade, start=w, end=e)
    fig = chart(energy, share, dep, start=ctx.start, end=e, prev_start=w)
    cap = (
        "Top: China's crude oil imports from Russia (million tonnes, China's customs as "
        "reported), gas delivered through Power of Siberia (billion m³, Gazprom) and Russia's "
        "share of China's crude imports (computed from the two volumes where both exist, else as "
        "a source states it). Bottom: China's share of Russia's total trade and Russia's share of "
        "China's. Only years with a cited figure are drawn and no value is interpolated: the "
        "dashed and dotted lines only join the years that have one."
    )
    return fig, cap + RANGE_SHADING


def _points(frame: pd.DataFrame, indicator: str, by_year: bool = True) -> pd.Series:
    rows = frame[frame["indicator"] == indicator].dropna(subset=["value"])
    index = rows["period"].dt.year.to_numpy() if by_year else rows["period"].to_numpy()
    return pd.Series(rows["value"].to_numpy(dtype=float), index=index)


def chart(
    energy: pd.DataFrame, share: pd.Series, dependence: pd.DataFrame, *, start, end, prev_start
) -> Figure:
    """Top: China's crude imports from Russia (bars, Mt) with Russia's share of China's crude
    imports (line, right) and Power of Siberia gas (bcm). Bottom: China's share of Russia's
    trade beside Russia's share of China's (markers only: the years are sparse)."""
    fig, (ax1, ax3) = new_axes(rows=2, height=2.9)
    for ax in (ax1, ax3):
        mark_range(ax, start, end, prev_start)
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
    legend(ax1, [ax2], ncol=2)
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
    legend(ax3, ncol=2)
    ax3.set_title("The asymmetry (dotted lines join sparse years)", pad=16)
    return fig


def money_chart(money: pd.DataFrame, *, start, end) -> Figure:
    """The yuan's share of Russia's export and import settlements and of exchange FX trading,
    by month (markers: the months a figure could be cited; thin lines join them)."""
    fig, (ax,) = new_axes(height=2.2)
    lo = max(start, money["period"].min()) if len(money) else start
    mark_range(ax, start, end, as_year=False)
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
    legend(ax, ncol=2)
    return fig


def money_extra(ctx: BriefingContext, doc: Document) -> list[str]:
    """The money figure, after the energy figure and the comparison table."""
    money = yuan_shares(ctx.ds.yuan_settlements, end=ctx.end)
    if money.empty:
        return []
    cap = (
        "The yuan's share of the settlement of Russia's exports and imports and of exchange "
        "currency trading in Russia, and the rouble's share of export settlements, by month "
        "(Bank of Russia figures as reported; markers: the months a figure could be cited). "
        "Shaded: the range."
    )
    make = partial(money_chart, money, start=ctx.start, end=ctx.end)
    return [doc.figure_later(lambda: (make(), cap), ["yuan_settlements"])]


def indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    """The explorer's yearly table: every year of [s, e] (NaN where no figure), the energy and
    trade-share indicators, and each yuan share at the last month of the year with a figure."""
    yearly = [
        energy_indicators(ds.energy, start=s, end=e),
        dependence_indicators(ds.trade_dependence, ds.trade, start=s, end=e),
    ]
    money = yuan_shares(ds.yuan_settlements, start=s, end=e)
    if len(money):
        last = (
            money.sort_values("period")
            .groupby([money["indicator"], money["period"].dt.year], as_index=False)
            .last()
        )
        last["period"] = pd.to_datetime(last["period"].dt.year.astype(str) + "-01-01")
        last["indicator"] = last["indicator"] + "_last_month"
        yearly.append(last[money.columns])
    years = range(pd.Timestamp(s).year, pd.Timestamp(e).year + 1)
    grid = pd.DataFrame(
        {
            "period": pd.to_datetime([f"{y}-01-01" for y in years]),
            "indicator": "crude_from_rus_mt",
            "value": float("nan"),
            "n": 0,
        }
    )
    out = (
        pd.concat([f for f in yearly if len(f)], ignore_index=True)
        if any(len(f) for f in yearly)
        else grid.iloc[0:0]
    )
    have = set(zip(out["indicator"], out["period"], strict=True))
    missing = grid[[("crude_from_rus_mt", p) not in have for p in grid["period"]]]
    return pd.concat([out, missing], ignore_index=True).sort_values(["indicator", "period"])


SECTION = Section(
    key="energy",
    title="Energy and money",
    new_page=False,
    datasets=("energy", "trade_dependence", "yuan_settlements"),
    metrics=metrics,
    rows=(
        Row("crude_mt_last", "Crude from Russia, last year with a figure", mt),
        Row("crude_share_last", "Russia's share of China's crude imports, last year", share),
        Row("pos_bcm_last", "Power of Siberia gas, last year", bcm),
        Row("chn_share_of_rus_trade_last", "China's share of Russia's trade, last year", share),
        Row("rus_share_of_chn_trade_last", "Russia's share of China's trade, last year", share),
        Row(
            "cny_share_rus_exports_last",
            "Yuan share of Russia's export settlements, latest",
            share,
        ),
        Row("cny_share_moex_fx_last", "Yuan share of exchange FX trading, latest", share),
    ),
    table_title="Energy and money",
    sentences=(energy_sentence, dependence_sentence, money_sentence),
    figure=figure,
    indicators=indicators,
    extra=money_extra,
)
