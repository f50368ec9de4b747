"""The economic section: China–Russia merchandise trade by year, and by month for a short range."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from analysis.data.loader import Datasets
from analysis.indicators import (
    trade_cagr,
    trade_indicators,
    trade_monthly_indicators,
)
from analysis.model.inputs import (
    MetricInputs,
    none_if_nan,
)
from analysis.model.periods import NONE, Period, coverage_state, day_label, is_monthly, whole_years
from analysis.render import figures as F
from analysis.render.context import BriefingContext
from analysis.render.document import Quotes
from analysis.render.figures import (
    BLUE,
    INK,
    LIGHT,
    legend,
    mark_range,
    new_axes,
    years_of,
)
from analysis.render.formats import (
    count,
    pct,
    plural,
    times,
    usd_bn,
)
from analysis.sections.base import (
    SHADING,
    Row,
    Section,
    frame_args,
)


def metrics(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    if is_monthly(period):  # the monthly releases; by whole years where they have no month
        monthly = economic_monthly(ds, period)
        if monthly.get("months_with_data") or whole_years(period) is None:
            return monthly
    s, e = period.start, period.end
    eco: dict[str, Any] = {"coverage": coverage_state("trade", period, ds.data_dir)}
    years = whole_years(period)
    if eco["coverage"] == NONE or years is None:
        return {**eco, "coverage": NONE} if years is None else eco
    s, e = f"{years[0]}-01-01", f"{years[1]}-12-31"  # yearly values: whole years only
    growth = trade_cagr(ds.trade, start=s, end=e)
    ind = trade_indicators(ds.trade, start=s, end=e)
    totals = ind[(ind["indicator"] == "trade_total")].dropna(subset=["value"])
    balance = ind[(ind["indicator"] == "trade_balance")].dropna(subset=["value"])
    eco.update(
        years_with_data=len(totals),
        trade_mean=float(totals["value"].mean()) if len(totals) else None,
        first_year=growth["first_year"],
        last_year=growth["last_year"],
        first_value=none_if_nan(growth["first_value"]),
        last_value=none_if_nan(growth["last_value"]),
        multiple=none_if_nan(growth["multiple"]),
        cagr=none_if_nan(growth["cagr"]),
        balance_year=int(balance["period"].dt.year.iloc[-1]) if len(balance) else None,
        balance_last=float(balance["value"].iloc[-1]) if len(balance) else None,
    )
    eco.update(_constant_dollars(ds, eco))
    return eco


def economic_monthly(ds: Datasets, period: Period) -> dict[str, Any]:
    """Trade of a short range from China's customs' monthly releases: the periods (months, and
    January–February as published) lying wholly inside it."""
    eco: dict[str, Any] = {
        "coverage": coverage_state("trade_monthly", period, ds.data_dir),
        "resolution": "month",
    }
    if eco["coverage"] == NONE:
        return eco
    ind = trade_monthly_indicators(ds.trade_monthly, start=period.start, end=period.end)
    total = ind[ind["indicator"] == "trade_total"].dropna(subset=["value"])
    if total.empty:
        return eco
    months = int(total["n"].sum())
    first, last = total.iloc[0], total.iloc[-1]
    eco.update(
        months_with_data=months,
        trade_month_sum=float(total["value"].sum()),
        trade_month_mean=float(total["value"].sum()) / months,
        month_first=_month_name(first["period"], int(first["n"])),
        month_first_value=float(first["value"]),
        month_last=_month_name(last["period"], int(last["n"])),
        month_last_value=float(last["value"]),
    )
    return eco


def _month_name(ts: pd.Timestamp, months: int) -> str:
    """'March 2022', or 'January–February 2023' for the combined first release."""
    if months == 2:
        return f"January–February {ts.year}"
    return f"{ts:%B %Y}"


def _constant_dollars(ds: Datasets, eco: dict[str, Any]) -> dict[str, Any]:
    """The first year's trade in dollars of the last year (US CPI-U, us_cpi.csv) and the
    compound growth in constant dollars; nothing when a year has no CPI."""
    from analysis.indicators.prices import constant_dollars

    first, last = eco.get("first_year"), eco.get("last_year")
    if first is None or last is None or first == last or eco.get("first_value") is None:
        return {}
    cpi = ds.us_cpi
    if not {first, last} <= set(cpi["year"]):
        return {}
    real = constant_dollars(pd.Series({first: eco["first_value"]}), cpi, base_year=last)
    real_first = float(real[first])
    return {
        "real_first_value": real_first,
        "cagr_real": (eco["last_value"] / real_first) ** (1 / (last - first)) - 1,
    }


def trade_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("resolution") == "month":
        return trade_month_sentence(now, before, q)
    if now.get("coverage") == "none" or now.get("first_year") is None:
        return None
    a = q("economic.first_value", now["first_value"], usd_bn)
    b = q("economic.last_value", now["last_value"], usd_bn)
    m = q("economic.multiple", now["multiple"], times)
    g = q("economic.cagr", now["cagr"], pct)
    text = (
        f"Trade (China's customs) went from {a} in {now['first_year']} to {b} in {now['last_year']}, "
        f"{m}, a compound growth of {g} a year"
    )
    if now.get("cagr_real") is not None:
        r = q("economic.real_first_value", now["real_first_value"], usd_bn)
        gr = q("economic.cagr_real", now["cagr_real"], pct)
        text += (
            f" ({gr} a year in constant {now['last_year']} dollars, deflated by the US CPI-U: "
            f"{now['first_year']}'s trade was worth {r} of {now['last_year']})"
        )
    if now.get("balance_last") is not None:
        bal = now["balance_last"]
        side = "surplus" if bal >= 0 else "deficit"
        text += f"; China's {side} in {now['balance_year']} was {q('economic.balance_last', abs(bal), usd_bn)}"
    return text + "."


def trade_month_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """A short range's trade from the monthly releases (months wholly inside the range)."""
    if not now.get("months_with_data"):
        return None
    n = now["months_with_data"]
    text = (
        f"Trade (China's customs, monthly releases) totalled "
        f"{q('economic.month_sum', now['trade_month_sum'], usd_bn)} in the "
        f"{q('economic.months_with_data', n, count)} {plural(n, 'month')} with a published "
        f"figure wholly inside the range ({now['month_first']} to {now['month_last']}), "
        f"{q('economic.month_mean', now['trade_month_mean'], usd_bn)} a month; "
        f"{q('economic.month_first_value', now['month_first_value'], usd_bn)} in "
        f"{now['month_first']}, {q('economic.month_last_value', now['month_last_value'], usd_bn)} "
        f"in {now['month_last']}"
    )
    if before.get("months_with_data"):
        text += (
            f"; the preceding period averaged "
            f"{q('economic.prior.month_mean', before['trade_month_mean'], usd_bn)} a month over "
            f"{q('economic.prior.months_with_data', before['months_with_data'], count)} months"
        )
    return text + "."


def figure(ctx: BriefingContext):
    if ctx.by_month:
        return monthly_figure(ctx)
    fig = chart(
        trade_indicators(ctx.ds.trade, start=ctx.window_start, end=ctx.end), **frame_args(ctx)
    )
    cap = (
        "China–Russia merchandise trade as reported by China's customs, current US$ billion; "
        "bars where exports and imports are reported, gaps where no figure could be cited."
    )
    return fig, cap + SHADING


def chart(trade: pd.DataFrame, *, start, end, prev_start) -> Figure:
    """Trade total (line) with China's exports and imports where reported (bars), US$ bn."""
    fig, (ax,) = new_axes(height=2.3)
    mark_range(ax, start, end, prev_start)
    total = years_of(trade, "trade_total").dropna() / 1e9
    exp = years_of(trade, "trade_exports").dropna() / 1e9
    imp = years_of(trade, "trade_imports").dropna() / 1e9
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
    legend(ax, ncol=3)
    return fig


def monthly_figure(ctx: BriefingContext):
    s, e = ctx.start, ctx.end
    ind = trade_monthly_indicators(ctx.ds.trade_monthly, start=s, end=e)
    panels = [
        (
            "China–Russia trade, China's customs monthly releases",
            "US$ billion",
            {
                label: ind[ind["indicator"] == key].assign(value=lambda f: f["value"] / 1e9)
                for key, label in (
                    ("trade_total", "Total"),
                    ("trade_exports", "China's exports"),
                    ("trade_imports", "China's imports"),
                )
            },
        )
    ]
    fig = F.monthly_bars_figure(panels, start=s, end=e)
    cap = (
        "China–Russia merchandise trade by month from China's customs' monthly releases, "
        "current US$ billion: a month is the difference of two "
        "consecutive year-to-date values; January and February are published together and drawn "
        "as one bar at January; only periods wholly inside the range; gaps where no release "
        f"could be cited. Range: {day_label(s)} to {day_label(e)}."
    )
    return fig, cap


def indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    return trade_indicators(ds.trade, start=s, end=e)


SECTION = Section(
    key="economic",
    title="Economic ties",
    new_page=False,
    datasets=("trade", "trade_monthly"),
    metrics=metrics,
    rows=(
        Row("years_with_data", "Years with a reported total", count, "year"),
        Row("trade_mean", "Average yearly trade", usd_bn, "year"),
        Row("last_value", "Trade in the last year with data", usd_bn, "year"),
        Row("cagr", "Compound annual growth", pct, "year"),
        Row("cagr_real", "Compound annual growth, constant dollars (US CPI-U)", pct, "year"),
        Row("balance_last", "China's balance, last year with data", usd_bn, "year"),
        Row(
            "months_with_data", "Months with a published figure (monthly releases)", count, "month"
        ),
        Row("trade_month_mean", "Average monthly trade (monthly releases)", usd_bn, "month"),
    ),
    table_title="Economic",
    sentences=(trade_sentence,),
    figure=figure,
    indicators=indicators,
)
