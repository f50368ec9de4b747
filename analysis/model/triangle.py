"""The strategic triangle: China–Russia, China–USA and Russia–USA on one composite scale.

Rules (the method section states them from here):

- **Components.** The components of the registry that have a measure for every dyad
  (``Component.dyad_observe``: official framing, leader meetings, net cooperation, General
  Assembly agreement, trade); those measured for China–Russia only (joint exercises, joint
  vetoes) are left out of all three triangle composites, so that the three are comparable.
  The triangle's China–Russia composite is therefore not the briefing's main index.
  A shared component enters only where every dyad has it in at least :data:`MIN_YEAR_SHARE`
  of the years (this leaves trade out: the cited US-dyad series are sparse).
- **Joint normalisation.** Each component is min–max normalised over the pooled yearly values
  of the three dyads (1989 to the end of the data), so that a normalised value means the same
  in each dyad; the composite is then built per dyad exactly as in
  :mod:`analysis.model.composite` (weights of the registry, −9..+9, a year needs at least
  :data:`~analysis.model.components.MIN_COMPONENTS` components).
- **Uncertainty.** :mod:`analysis.model.uncertainty` on the pooled table: Dirichlet weights
  (one weighting of the whole triangle per draw) and Poisson/binomial redraws of the count and
  ratio components, on the pooled observed scale; bands are the draws' 95 % intervals.
- **Trend and how sure.** The Theil–Sen trend of :func:`analysis.model.phases.trend` on the
  yearly values wholly inside the range; a dyad *moved* when that verdict is warming or cooling
  and the slope has the same sign in at least :data:`SURE_SHARE` of the weight draws.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets
from analysis.model import memo
from analysis.model import uncertainty as U
from analysis.model.components import (
    COMPONENTS,
    Component,
    component_table,
    for_dyad,
)
from analysis.model.composite import (
    composite_from_normalised,
    coverage_map,
    normalise,
    yearly_components,
)
from analysis.model.dyads import DYADS, NAMES
from analysis.model.periods import Period, whole_years
from analysis.model.phases import TREND_MIN_POINTS, trend

#: Components measured for all three dyads, in registry order; the others are left out.
TRIANGLE_COMPONENTS: tuple[Component, ...] = tuple(
    c for c in COMPONENTS if c.dyad_observe is not None
)
LEFT_OUT: tuple[Component, ...] = tuple(c for c in COMPONENTS if c.dyad_observe is None)
WEIGHTS: dict[str, float] = {c.key: c.weight for c in TRIANGLE_COMPONENTS}
LABELS: dict[str, str] = {c.key: c.label for c in TRIANGLE_COMPONENTS} | {
    "partnership_level": "Official framing (1–5)"
}
#: A shared component enters the triangle only if every dyad has it in at least this share of the
#: years (1989 to the end of the data): a component present in a few years only would move the
#: composite by its presence rather than its value (the cited US-dyad trade series: 7–8 years).
MIN_YEAR_SHARE = 0.5
#: A dyad moved when the sign of its slope holds in at least this share of the weight draws.
SURE_SHARE = 0.95
N_DRAWS = U.N_DRAWS
BAND = ("q025", "q975")  # the 95 % band of analysis.model.uncertainty.bands


# ---- the components and the joint normalisation ---------------------------------------------


def dyad_components(ds: Datasets, dyad: str, years: pd.Index | None = None) -> pd.DataFrame:
    """The shared components of one dyad by year (raw values; index: year)."""
    if years is None:
        years = yearly_components(ds).index
    ends = pd.DatetimeIndex([pd.Timestamp(f"{y}-12-31") for y in years])
    comps = tuple(for_dyad(c, dyad) for c in TRIANGLE_COMPONENTS)
    table = component_table(ds, ends, coverage_map(ds), components=comps)
    table.index = pd.Index(years, name="year")
    return table


def normalise_jointly(raw: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Min–max normalise each column over the pooled values of every dyad's frame, then split
    back: a normalised value means the same in each dyad (see :func:`composite.normalise`)."""
    if not raw:
        return {}
    pooled = pd.concat(raw, names=["dyad"])
    norm = normalise(pooled)
    return {d: norm.xs(d, level="dyad") for d in raw}


@memo.register
@dataclass(frozen=True)
class TriangleResult:
    """The three dyads' composites on one scale, with what they were built from."""

    raw: dict[str, pd.DataFrame]
    normalised: dict[str, pd.DataFrame]
    index: dict[str, pd.DataFrame]  # per dyad: composite, n_components, by year
    weights: dict[str, float]
    draws: dict[str, pd.DataFrame] = field(default_factory=dict)  # per dyad: draws × years

    def series(self, dyad: str) -> pd.Series:
        return self.index[dyad]["composite"].dropna()


def dense_components(raw: Mapping[str, pd.DataFrame]) -> list[str]:
    """The shared components that every dyad has in at least MIN_YEAR_SHARE of the years."""
    cols = list(next(iter(raw.values())).columns)
    return [c for c in cols if all(f[c].notna().mean() >= MIN_YEAR_SHARE for f in raw.values())]


def triangle_from_raw(
    raw: Mapping[str, pd.DataFrame],
    weights: dict[str, float] | None = None,
    *,
    resample: Mapping[str, U.Resampling] | None = None,
    n_draws: int = N_DRAWS,
    seed: int = U.SEED,
    concentration: float = U.CONCENTRATION,
) -> TriangleResult:
    """Joint normalisation, the composite per dyad and its draws, from raw components
    (``resample`` None: only the weights vary)."""
    w = dict(weights or {k: WEIGHTS[k] for k in dense_components(raw)})
    norm = normalise_jointly(raw)
    index = {d: composite_from_normalised(n, w) for d, n in norm.items()}
    draws = triangle_draws(
        raw, w, resample=resample, n_draws=n_draws, seed=seed, concentration=concentration
    )
    return TriangleResult(dict(raw), norm, index, w, draws)


def triangle_index(ds: Datasets, *, weights: dict[str, float] | None = None) -> TriangleResult:
    """The triangle over the full history of ``ds`` (1989 to the end of the data)."""
    years = yearly_components(ds).index
    raw = {d: dyad_components(ds, d, years) for d in DYADS}
    return triangle_from_raw(raw, weights, resample=resampling(ds, raw))


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def cached_triangle(ds: Datasets) -> TriangleResult:
    """:func:`triangle_index` with the default weights, once per Datasets object (the triangle
    section and the claims check of one briefing share it) and remembered on disk per data
    (:mod:`analysis.model.memo`)."""
    if ds not in _CACHE:
        _CACHE[ds] = memo.remember(ds, "triangle", (), lambda: triangle_index(ds))
    return _CACHE[ds]


# ---- uncertainty (analysis.model.uncertainty) -------------------------------------------------


def resampling(ds: Datasets, raw: Mapping[str, pd.DataFrame]) -> dict[str, U.Resampling]:
    """The resampling of each count and ratio component, its n per (dyad, year) of the pool."""
    per_dyad = {}
    for d, table in raw.items():
        ends = pd.DatetimeIndex([pd.Timestamp(f"{int(y)}-12-31") for y in table.index])
        comps = tuple(for_dyad(c, d) for c in TRIANGLE_COMPONENTS if c.key in table.columns)
        per_dyad[d] = U.resampling_for(ds, ends, index=table.index, components=comps)
    out: dict[str, U.Resampling] = {}
    for key in next(iter(per_dyad.values())):
        specs = [per_dyad[d][key] for d in raw]
        n = None
        if specs[0].n is not None:
            n = pd.concat({d: per_dyad[d][key].n for d in raw}, names=["dyad", "year"])
        methods = {spec.method for spec in specs}  # a net balance in any dyad is one everywhere
        out[key] = U.Resampling("net" if "net" in methods else specs[0].method, n)
    return out


def triangle_draws(
    raw: Mapping[str, pd.DataFrame],
    weights: dict[str, float],
    *,
    resample: Mapping[str, U.Resampling] | None = None,
    n_draws: int = N_DRAWS,
    seed: int = U.SEED,
    concentration: float = U.CONCENTRATION,
) -> dict[str, pd.DataFrame]:
    """Draws of the three composites (per dyad: rows = draws, columns = years), from one call of
    :func:`analysis.model.uncertainty.draw_composites` on the pooled table: each draw's weights
    are shared by the three dyads, and the scale is the pooled observed one (joint)."""
    pooled = pd.concat(raw, names=["dyad", "year"])
    draws = U.draw_composites(
        pooled,
        weights=weights,
        n_draws=n_draws,
        seed=seed,
        resample=resample,
        concentration=concentration,
    )
    return {d: draws.xs(d, axis=1, level="dyad") for d in raw}


def band_of(draws: pd.DataFrame) -> pd.DataFrame:
    """Per year: the 95 % band of the draws (columns low, high)."""
    b = U.bands(draws)
    return pd.DataFrame({"low": b[BAND[0]], "high": b[BAND[1]]}, index=b.index)


def theil_sen_slopes(draws: pd.DataFrame) -> np.ndarray:
    """The Theil–Sen slope (median of pairwise slopes) of each draw over its years."""
    years = np.asarray(draws.columns, dtype=float)
    v = draws.to_numpy(dtype=float)
    i, j = np.triu_indices(len(years), k=1)
    if len(i) == 0:
        return np.full(len(v), np.nan)
    return np.median((v[:, j] - v[:, i]) / (years[j] - years[i]), axis=1)


# ---- one range --------------------------------------------------------------------------------


def dyad_facts(result: TriangleResult, dyad: str, period: Period) -> dict:
    """Level at the range's last whole year (with band), trend in the range, how sure."""
    years = whole_years(period)
    series = result.series(dyad)
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
    band = band_of(result.draws[dyad][[last]]).iloc[0]
    tr = trend(series, start=f"{years[0]}-01-01", end=f"{years[1]}-12-31")
    facts |= {
        "first_year": int(inside.index[0]),
        "last_year": last,
        "level": float(inside.iloc[-1]),
        "low": float(band["low"]),
        "high": float(band["high"]),
        "slope": tr.slope,
        "slope_low": tr.low,
        "slope_high": tr.high,
        "trend": tr.verdict,
        "p_up": np.nan,
        "p_down": np.nan,
        "n_draws": len(result.draws[dyad]),
    }
    if len(inside) >= TREND_MIN_POINTS:
        slopes = theil_sen_slopes(result.draws[dyad][list(inside.index)].dropna(axis=1))
        facts["p_up"] = float(np.mean(slopes > 0))
        facts["p_down"] = float(np.mean(slopes < 0))
    facts["verdict"] = movement(facts)
    return facts


def movement(f: dict) -> str:
    """``warmed`` / ``cooled`` (trend verdict and the sign in ≥ SURE_SHARE of draws), ``no clear
    move`` otherwise, ``not measurable`` with too few years, ``no data`` with none."""
    if f.get("n", 0) == 0:
        return "no data"
    if f["trend"] == "not measurable":
        return "not measurable"
    if f["trend"] == "warming" and f["p_up"] >= SURE_SHARE:
        return "warmed"
    if f["trend"] == "cooling" and f["p_down"] >= SURE_SHARE:
        return "cooled"
    return "no clear move"


def trend_phrase(f: dict) -> str:
    """ "Theil–Sen −0.38 points a year, 95% CI −0.66 to +0.03 over 11 years, negative in 99% of
    1,000 draws"."""
    if f.get("n", 0) < TREND_MIN_POINTS:
        return f"{f.get('n', 0)} yearly values (a trend needs {TREND_MIN_POINTS})"
    sign, share = ("negative", f["p_down"]) if f["slope"] < 0 else ("positive", f["p_up"])
    return (
        f"Theil–Sen {signed(f['slope'])} points a year, 95% CI {signed(f['slope_low'])} to "
        f"{signed(f['slope_high'])} over {f['n']} years, {sign} in {share:.0%} of "
        f"{f['n_draws']:,} draws"
    )


def signed(x: float) -> str:
    """+0.12 / −0.38 (a true minus sign, as the briefing prints numbers)."""
    return f"{x:+.2f}".replace("-", "−")


def triangle_facts(result: TriangleResult, period: Period) -> dict[str, dict]:
    return {d: dyad_facts(result, d, period) for d in DYADS}


def shape(facts: Mapping[str, dict]) -> str:
    """The triangle's shape in the range, from the three verdicts (rules in the method)."""
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
    result: TriangleResult, period: Period, dyads: tuple[str, ...] = ("CHN-USA", "RUS-USA")
) -> tuple[int, list[dict]]:
    """How many of ``dyads`` cooled in the period (the movement rule), with their facts."""
    facts = [dyad_facts(result, d, period) for d in dyads]
    return sum(f["verdict"] == "cooled" for f in facts), facts
