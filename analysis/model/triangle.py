"""The strategic triangle: how China–Russia, China–USA and Russia–USA moved over a range.

The three indices are the one composite of :mod:`analysis.model.composite`, measured alike and
normalised jointly, so China–Russia here is the briefing's main index. Per dyad, over the years
wholly inside the range:

- **level** at the last year with its 95 % band (the draws' 2.5th and 97.5th percentiles);
- **movement**: the Theil–Sen trend and its verdict from the draws
  (:func:`analysis.model.phases.trend`): *warmed* (*cooled*) when at least
  :data:`~analysis.model.phases.TREND_DRAW_SHARE` of the draws imply a rise (a fall) over the
  range of at least :data:`~analysis.model.phases.MIN_CHANGE` point at the median; *held steady*
  when the draws agree on a sign but the change is smaller; *no clear move* only when the draws
  are split; *not measurable* with too few years.
- **shape** of the triangle from the three movements (:func:`shape`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.model import uncertainty as U
from analysis.model.composite import Measure
from analysis.model.dyads import DYADS, NAMES
from analysis.model.periods import Period, whole_years
from analysis.model.phases import TREND_MIN_POINTS, trend

BAND = ("q025", "q975")  # the 95 % band of analysis.model.uncertainty.bands
#: The movement of a dyad for each trend verdict.
MOVEMENT = {
    "warming": "warmed",
    "cooling": "cooled",
    "stable": "held steady",
    "no clear trend": "no clear move",
    "not measurable": "not measurable",
}


def band_of(draws: pd.DataFrame) -> pd.DataFrame:
    """Per year: the 95 % band of the draws (columns low, high)."""
    b = U.bands(draws)
    return pd.DataFrame({"low": b[BAND[0]], "high": b[BAND[1]]}, index=b.index)


def dyad_facts(measure: Measure, dyad: str, period: Period) -> dict:
    """Level at the range's last whole year (with band), trend in the range, its verdict."""
    years = whole_years(period)
    series = measure.series(dyad)
    inside = (
        series.iloc[0:0]
        if years is None
        else series[(series.index >= years[0]) & (series.index <= years[1])]
    )
    facts: dict = {"dyad": dyad, "name": NAMES[dyad], "n": len(inside)}
    if inside.empty:
        facts["verdict"] = "no data"
        return facts
    last = int(inside.index[-1])
    draws = measure.draws[dyad]
    band = band_of(draws[[last]]).iloc[0]
    tr = trend(series, start=f"{years[0]}-01-01", end=f"{years[1]}-12-31", draws=draws)
    facts |= {
        "first_year": int(inside.index[0]),
        "last_year": last,
        "first_level": float(inside.iloc[0]),
        "level": float(inside.iloc[-1]),
        "low": float(band["low"]),
        "high": float(band["high"]),
        "slope": tr.slope,
        "slope_low": tr.low,
        "slope_high": tr.high,
        "change": tr.change,
        "trend": tr.verdict,
        "p_up": tr.share_up,
        "p_down": tr.share_down,
        "n_draws": len(draws),
        "verdict": "not measurable" if len(inside) < TREND_MIN_POINTS else MOVEMENT[tr.verdict],
    }
    return facts


def trend_phrase(f: dict) -> str:
    """ "a change of −3.1 points (Theil–Sen −0.28 points a year, 95% CI −0.41 to −0.15, over 11
    years), a fall in 99% of 1,000 draws"."""
    if f.get("n", 0) < TREND_MIN_POINTS:
        return f"{f.get('n', 0)} yearly values (a trend needs {TREND_MIN_POINTS})"
    sign, share = ("a fall", f["p_down"]) if f["change"] < 0 else ("a rise", f["p_up"])
    return (
        f"a change of {signed(f['change'], 1)} points (Theil–Sen {signed(f['slope'])} points a "
        f"year, 95% CI {signed(f['slope_low'])} to {signed(f['slope_high'])}, over {f['n']} "
        f"years), {sign} in {share:.0%} of {f['n_draws']:,} draws"
    )


def signed(x: float, digits: int = 2) -> str:
    """+0.12 / −0.38 (a true minus sign, as the briefing prints numbers)."""
    return f"{x:+.{digits}f}".replace("-", "−")


def triangle_facts(measure: Measure, period: Period) -> dict[str, dict]:
    return {d: dyad_facts(measure, d, period) for d in DYADS}


def shape(facts: Mapping[str, dict]) -> str:
    """The triangle's shape in the range, from the three movements (rules in the method)."""
    v = {d: f["verdict"] for d, f in facts.items()}
    cr_up = v["CHN-RUS"] == "warmed"
    us_down = v["CHN-USA"] == "cooled" and v["RUS-USA"] == "cooled"
    moved = [d for d in DYADS if v[d] in ("warmed", "cooled")]
    if cr_up and us_down:
        return "drew_together_against_usa"
    if us_down:
        return "both_us_cooled"
    if cr_up:
        return "drew_together"
    if not moved:
        return "unchanged"
    return "mixed"


def us_dyads_cooled(
    measure: Measure, period: Period, dyads: tuple[str, ...] = ("CHN-USA", "RUS-USA")
) -> tuple[int, list[dict]]:
    """How many of ``dyads`` cooled in the period (the movement rule), with their facts."""
    facts = [dyad_facts(measure, d, period) for d in dyads]
    return sum(f["verdict"] == "cooled" for f in facts), facts


def change_facts(measure: Measure, dyad: str, first: int, last: int) -> dict:
    """The change of a dyad's index from year ``first`` to ``last``: the point change and the
    share of draws in which it is positive (NaN where a year has no value)."""
    series = measure.index[dyad]["composite"]
    a, b = series.get(first, np.nan), series.get(last, np.nan)
    draws = measure.draws.get(dyad)
    p_up = np.nan
    if draws is not None and first in draws.columns and last in draws.columns:
        d = (draws[last] - draws[first]).to_numpy(dtype=float)
        d = d[np.isfinite(d)]
        p_up = float(np.mean(d > 0)) if len(d) else np.nan
    return {"from": first, "to": last, "change": float(b - a), "p_up": p_up}


def step_facts(measure: Measure, dyad: str, first: int, last: int) -> dict:
    """A dyad's movement from year ``first`` to year ``last`` read from the two years alone
    (for a range too short to hold the whole years a trend needs): the point change, the shares
    of draws in which it is a rise and a fall, and the movement rule's verdict on them."""
    from analysis.model.phases import verdict_of

    c = change_facts(measure, dyad, first, last)
    draws = measure.draws.get(dyad)
    p_down = np.nan
    if draws is not None and first in draws.columns and last in draws.columns:
        d = (draws[last] - draws[first]).to_numpy(dtype=float)
        d = d[np.isfinite(d)]
        p_down = float(np.mean(d < 0)) if len(d) else np.nan
    facts: dict = {"dyad": dyad, "name": NAMES[dyad], "first_year": first, "last_year": last}
    if np.isnan(c["change"]) or np.isnan(c["p_up"]):
        return facts | {"verdict": "no data"}
    trend_verdict = verdict_of(c["p_up"], p_down, c["change"])
    return facts | {
        "change": c["change"], "p_up": c["p_up"], "p_down": p_down,
        "verdict": MOVEMENT[trend_verdict],
    }  # fmt: skip
