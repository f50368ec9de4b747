"""The "Energy and money" section: its sentences, figures and explorer table.

The sentences read the facts of :func:`analysis.model.energy.energy_money` and quote every number
through :class:`~analysis.render.document.Quotes`; where the data hold no figure for a part of the
range they say which years are missing instead of drawing a line across them.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import dependence_indicators, energy_indicators, yuan_shares
from analysis.model.energy import crude_share
from analysis.model.metrics import MetricInputs
from analysis.model.periods import NONE
from analysis.render import figures as F
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes
from analysis.render.narrative import pct

SHADING = " Shaded: the range (blue) and the preceding period of equal length (grey)."


def share(x: float) -> str:
    return pct(x, signed=False)


def mt(x: float) -> str:
    return f"{x:,.1f} Mt"


def bcm(x: float) -> str:
    return f"{x:,.1f} bcm"


def runs(years: list[int]) -> str:
    """'2006–2016, 2019' for [2006, ..., 2016, 2019]."""
    out: list[str] = []
    for y in sorted(years):
        if out and int(out[-1].split("–")[-1]) == y - 1:
            out[-1] = f"{out[-1].split('–')[0]}–{y}"
        else:
            out.append(str(y))
    return ", ".join(out)


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


def energy_salience(now: dict[str, Any], before: dict[str, Any]) -> float:
    """How much Russia's share of China's crude imports moved (twice the change, as shares)."""
    a, b = now.get("crude_share_last"), before.get("crude_share_last")
    return 0.0 if a is None or b is None else abs(a - b) * 2


# ---- figures and the explorer -----------------------------------------------------------------


def energy_figure(ctx: BriefingContext):
    w, e = ctx.window_start, ctx.end
    energy = energy_indicators(ctx.ds.energy, start=w, end=e)
    share, _ = crude_share(energy)
    dep = dependence_indicators(ctx.ds.trade_dependence, ctx.ds.trade, start=w, end=e)
    fig = F.energy_figure(energy, share, dep, start=ctx.start, end=e, prev_start=w)
    cap = (
        "Top: China's crude oil imports from Russia (million tonnes, China's customs as "
        "reported), gas delivered through Power of Siberia (billion m³, Gazprom) and Russia's "
        "share of China's crude imports (computed from the two volumes where both exist, else as "
        "a source states it). Bottom: China's share of Russia's total trade and Russia's share of "
        "China's. Only years with a cited figure are drawn and no value is interpolated: the "
        "dashed and dotted lines only join the years that have one."
    )
    return fig, cap + SHADING


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
    make = partial(F.money_figure, money, start=ctx.start, end=ctx.end)
    return [doc.figure_later(lambda: (make(), cap), ["yuan_settlements"])]


def energy_table(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
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
