"""How sure is the composite: seeded draws of the whole index, and the rules that read them.

Each draw recomputes the composite exactly as :mod:`analysis.model.composite` does (min–max
normalisation of every component over the draw's own history, weighted mean over the
components present, −9..+9, at least :data:`~analysis.model.components.MIN_COMPONENTS`
components) after perturbing two things:

(a) **the weights**: drawn from a Dirichlet distribution centred on the defaults,
    ``Dirichlet(CONCENTRATION · w)``; with concentration 20 a default weight of 0.15 varies with
    a standard deviation of about 0.08 (√(w(1−w)/(c+1))). Components of weight 0 stay at 0.
(b) **the observations behind each count or ratio component** (parametric resampling of the
    table's own values, so the same function serves the yearly and the monthly composite and any
    dyad):

    - a ``count`` (leader meetings, joint vetoes, exercises and patrols in the window) is drawn
      from Poisson(observed count). For meetings held on a fixed calendar this overstates the
      noise (they are under-dispersed), so the bands err on the wide side;
    - a ``ratio`` that is a share of n observations (identical UNGA votes) is drawn as
      Binomial(n, share) / n, n being the votes (or the session aggregate's weight) in the window;
    - a ``ratio`` that is a net balance of ±1 terms (net cooperation = (coop − conflict) / N) is
      drawn as 2·Binomial(N, (1 + r)/2)/N − 1;
    - ``level`` (customs trade totals) and ``state`` (the designation in force) components are
      reported figures, not samples: only their weight varies.

    The yearly values are drawn independently. A window of three years (net cooperation, joint
    vetoes) shares observations with its neighbours, so independent draws give year-to-year
    differences of those two components somewhat more spread than a bootstrap of the dated rows
    would: again the wide side. Parametric draws were chosen over a row bootstrap because they
    need only the component table and its n (one vectorised call; 1,000 draws × 37 years cost a
    few milliseconds).

**The scale is held fixed.** The composite's ruler is defined once, by each component's observed
post-1989 low and high; a draw is placed on that ruler (its normalised values may fall below 0
or above 1, so a draw may lie beyond −9..+9: beyond the observed record). Re-normalising each
draw over its own history (``renormalise=True``, also available) moves the ruler's ends
themselves: the largest of 37 Poisson-redrawn counts exceeds the observed largest, so every draw
is pulled towards the middle, and the observed 2019 would sit at the draws' 90th percentile — a
property of min–max under resampling (the bootstrap of an extreme is biased), not information
about 2019. With the weights alone both choices agree.

The random numbers come from ``numpy.random.default_rng`` seeded with :data:`SEED`; the weight
draws and each component's resampling use separate child streams of one ``SeedSequence``, so
turning the resampling of one component on or off does not change the other draws.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators._common import IndicatorError
from analysis.model import memo
from analysis.model.components import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    MIN_COMPONENTS,
    Component,
    _months_before,
    _window_sums,
)

#: Dirichlet concentration of the weight draws (higher: weights closer to the defaults).
CONCENTRATION = 20.0
#: Draws per composite.
N_DRAWS = 1000
#: Seed of every draw (reproducible briefings).
SEED = 20260601
#: The quantiles every band table reports: the 95 % and 80 % intervals and the median.
QUANTILES: dict[str, float] = {"q025": 0.025, "q10": 0.10, "q50": 0.50, "q90": 0.90, "q975": 0.975}
#: Re-normalise each draw over its own history (True) or keep the observed min and max (False).
RENORMALISE = False
#: A change between two periods is "clear" when at least this share of draws agree on its sign.
CLEAR_SHARE = 0.90

METHODS = ("poisson", "share", "net")


@dataclass(frozen=True)
class Resampling:
    """How one component's observations are redrawn: ``poisson`` (counts), ``share``
    (Binomial(n, x)/n) or ``net`` (2·Binomial(n, (1+x)/2)/n − 1); ``n`` (per period, aligned on
    the component table's index) is needed by the two binomial methods."""

    method: str
    n: pd.Series | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"resampling method {self.method!r} not in {METHODS}")
        if self.method != "poisson" and self.n is None:
            raise ValueError(f"resampling method {self.method!r} needs the n of each period")

    def draw(self, rng: np.random.Generator, x: np.ndarray, n_draws: int, index) -> np.ndarray:
        """``n_draws`` redrawn copies of the column ``x`` (NaN stays NaN): shape (draws, periods)."""
        missing = np.isnan(x)
        if self.method == "poisson":
            out = rng.poisson(np.where(missing, 0.0, np.maximum(x, 0.0)), size=(n_draws, len(x)))
            out = out.astype(float)
        else:
            n = self.n.reindex(index).to_numpy(dtype=float)
            trials = np.where(np.isfinite(n) & (n >= 1), np.round(n), 0).astype(np.int64)
            p = np.where(missing, 0.0, x if self.method == "share" else (1.0 + x) / 2.0)
            k = rng.binomial(trials, np.clip(p, 0.0, 1.0), size=(n_draws, len(x)))
            safe = np.maximum(trials, 1)
            out = k / safe if self.method == "share" else 2.0 * k / safe - 1.0
            out = np.where(trials > 0, out, x)  # no n: the observed value, undrawn
        out[:, missing] = np.nan
        return out


# ---- the draws ---------------------------------------------------------------------------------


def _checked_weights(weights: Mapping[str, float] | None, columns) -> dict[str, float]:
    w = dict(weights or DEFAULT_WEIGHTS)
    unknown = sorted(set(w) - set(columns))
    if unknown:
        raise IndicatorError(f"unknown component(s) {unknown}; choose from {list(columns)}")
    if any(v < 0 for v in w.values()) or not any(v > 0 for v in w.values()):
        raise IndicatorError("weights must be non-negative with at least one positive weight")
    return {c: float(v) for c, v in w.items() if v > 0}


def normalise_draws(values: np.ndarray, *, observed: np.ndarray | None = None) -> np.ndarray:
    """Min–max normalise (draws, periods, components) along the periods axis, as
    :func:`~analysis.model.composite.normalise` does (a constant column becomes 0.5).

    ``observed`` None: each draw over its own history, clipped to [0, 1]. Else the (periods,
    components) table whose min and max fix the scale for every draw, unclipped (a draw beyond the
    observed record lies beyond 0 or 1)."""
    ref = values if observed is None else observed[None, :, :]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        lo = np.nanmin(ref, axis=1, keepdims=True)
        hi = np.nanmax(ref, axis=1, keepdims=True)
    span = hi - lo
    flat = ~(span > 0)
    out = (values - lo) / np.where(flat, 1.0, span)
    out = np.where(flat, 0.5, out)
    if observed is None:
        out = np.clip(out, 0.0, 1.0)
    return np.where(np.isnan(values), np.nan, out)


def combine(norm: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The composite of normalised draws (draws, periods, components) with per-draw weights
    (draws, components): −9 + 18 · Σ w·x / Σ w over the components present, NaN where fewer
    than ``min(MIN_COMPONENTS, components)`` are present."""
    present = ~np.isnan(norm)
    w = weights[:, None, :]
    wsum = (present * w).sum(axis=2)
    total = (np.where(present, norm, 0.0) * w).sum(axis=2)
    needed = min(MIN_COMPONENTS, norm.shape[2])
    ok = (present.sum(axis=2) >= needed) & (wsum > 0)
    return np.where(ok, -9.0 + 18.0 * total / np.where(ok, wsum, 1.0), np.nan)


def draw_composites(
    raw: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    n_draws: int = N_DRAWS,
    seed: int = SEED,
    resample: Mapping[str, Resampling] | None = None,
    concentration: float = CONCENTRATION,
    renormalise: bool = RENORMALISE,
    chain: bool = False,
) -> pd.DataFrame:
    """``n_draws`` composites from a raw component table (rows = periods, columns = components).

    Rows of the result are the draws (index ``draw``), columns the raw table's index. ``weights``
    default to the registry's; ``resample`` maps a column to its :class:`Resampling` (columns not
    in it are not redrawn; None: only the weights vary; see :func:`resampling_for`);
    ``concentration=inf`` keeps the weights at their defaults; ``renormalise`` (default
    :data:`RENORMALISE`) takes each draw's min and max over its own history instead of the
    observed table's (see the module docstring); ``chain`` chain-links each draw as
    :func:`chain_linked` does the point estimate (the yearly headline is chain-linked).
    """
    if n_draws < 1:
        raise ValueError("n_draws must be at least 1")
    w = _checked_weights(weights, raw.columns)
    cols = list(w)
    x = raw[cols].to_numpy(dtype=float)
    streams = np.random.SeedSequence(seed).spawn(1 + len(cols))
    base = np.array([w[c] for c in cols])
    base = base / base.sum()
    if np.isinf(concentration):
        wd = np.broadcast_to(base, (n_draws, len(cols)))
    else:
        wd = np.random.default_rng(streams[0]).dirichlet(concentration * base, size=n_draws)
    values = np.broadcast_to(x, (n_draws, *x.shape)).copy()
    for j, col in enumerate(cols):
        spec = (resample or {}).get(col)
        if spec is not None:
            rng = np.random.default_rng(streams[1 + j])
            values[:, :, j] = spec.draw(rng, x[:, j], n_draws, raw.index)
    norm = normalise_draws(values, observed=None if renormalise else x)
    out = chain_combine(norm, wd) if chain else combine(norm, wd)
    return pd.DataFrame(out, index=pd.RangeIndex(n_draws, name="draw"), columns=raw.index)


# ---- what the draws say ----------------------------------------------------------------------


def bands(draws: pd.DataFrame) -> pd.DataFrame:
    """q025, q10, q50, q90, q975 of the draws per period (rows = the periods; NaN where no draw
    has a value). The 80 % band is [q10, q90], the 95 % band [q025, q975]. The draws sit on
    the observed scale, so a draw can pass the coolest or warmest year on record: a band is
    printed within the scale, −9..+9, a draw beyond an end counted at that end."""
    arr = np.clip(draws.to_numpy(dtype=float), -9.0, 9.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        qs = np.nanquantile(arr, list(QUANTILES.values()), axis=0)
    return pd.DataFrame(qs.T, index=draws.columns, columns=list(QUANTILES))


def change_draws(draws: pd.DataFrame, a, b) -> pd.Series:
    """Per draw, the change from period ``a`` to period ``b`` (value at b − value at a)."""
    return (draws[b] - draws[a]).rename(f"{b} − {a}")


def prob_greater(draws: pd.DataFrame, a, b) -> float:
    """Share of the draws in which period ``a`` is above period ``b`` (ties count one half;
    draws where either is missing are left out; NaN when none is left). Against itself: 0.5."""
    diff = (draws[a] - draws[b]).to_numpy(dtype=float)
    diff = diff[np.isfinite(diff)]
    if len(diff) == 0:
        return float("nan")
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / len(diff))


def clear_change(draws: pd.DataFrame, a, b, *, share: float = CLEAR_SHARE) -> str:
    """ "rise" when ``b`` is above ``a`` in at least ``share`` of the draws, "fall" when below in at
    least ``share``, else "no clear change" (the change lies inside the band)."""
    p = prob_greater(draws, b, a)
    if np.isnan(p):
        return "not measurable"
    if p >= share:
        return "rise"
    if p <= 1 - share:
        return "fall"
    return "no clear change"


# ---- from the datasets ---------------------------------------------------------------------------


def _window_n(component: Component, obs: pd.DataFrame, ends: pd.DatetimeIndex) -> np.ndarray:
    dates = pd.to_datetime(obs["date"]).to_numpy(dtype="datetime64[ns]")
    hi = ends.to_numpy(dtype="datetime64[ns]")
    lo = _months_before(ends, component.window_months).to_numpy(dtype="datetime64[ns]")
    return _window_sums(dates, obs["den"].to_numpy(dtype=float), lo, hi)


def resampling_for(
    ds: Datasets,
    ends: pd.DatetimeIndex,
    *,
    index=None,
    components: tuple[Component, ...] = COMPONENTS,
) -> dict[str, Resampling]:
    """The :class:`Resampling` of every count and ratio component evaluated at ``ends`` (the
    component table's dates), its n aligned on ``index`` (default: ``ends``; pass the table's
    index, e.g. the years). A ratio whose numerators go below 0 is a net balance (``net``),
    otherwise a share (``share``)."""
    index = ends if index is None else index
    out: dict[str, Resampling] = {}
    for c in components:
        if c.kind == "count":
            out[c.key] = Resampling("poisson")
        elif c.kind == "ratio" and c.window_months is not None:
            obs = c.observe(ds)
            n = pd.Series(_window_n(c, obs, ends), index=index)
            net = bool((obs["num"] < 0).any())
            out[c.key] = Resampling("net" if net else "share", n)
    return out


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def composite_draws(
    ds: Datasets,
    raw: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    n_draws: int = N_DRAWS,
    seed: int = SEED,
    chain: bool = True,
) -> pd.DataFrame:
    """Draws of the yearly composite of ``ds`` (``raw`` = its yearly component table, e.g.
    ``CompositeResult.raw``), chain-linked as the headline is (``chain``), cached per Datasets
    object, weights, n, seed and chain, and remembered on disk per data and ``raw``
    (:mod:`analysis.model.memo`)."""
    key = (
        tuple(sorted((weights or DEFAULT_WEIGHTS).items())),
        n_draws,
        seed,
        chain,
        tuple(raw.index),
        tuple(raw.columns),
    )
    per_ds = _CACHE.setdefault(ds, {})
    if key not in per_ds:

        def compute() -> pd.DataFrame:
            spec_key = ("resampling", tuple(raw.index))
            if spec_key not in per_ds:
                ends = pd.DatetimeIndex([pd.Timestamp(f"{int(y)}-12-31") for y in raw.index])
                per_ds[spec_key] = resampling_for(ds, ends, index=raw.index)
            return draw_composites(
                raw,
                weights=weights,
                n_draws=n_draws,
                seed=seed,
                resample=per_ds[spec_key],
                chain=chain,
            )

        parts = (key[:4], memo.frame_digest(raw))
        per_ds[key] = memo.remember(ds, "composite_draws", parts, compute)
    return per_ds[key]


# ---- chain-linking -------------------------------------------------------------------------------


def chain_combine(
    norm: np.ndarray, weights: np.ndarray, *, anchor: int | None = None
) -> np.ndarray:
    """The chain-linked composite of (draws, periods, components) normalised values.

    A period's change is computed from the components present in both it and the period before
    (weights re-normalised over them, at least ``min(MIN_COMPONENTS, components)``): a component
    that enters, leaves or misses a year does not move the index by doing so. The levels are the
    cumulated changes, anchored so that period ``anchor`` (default: the last period with a plain
    composite) keeps its plain value; a period whose change cannot be computed starts a new
    chain at its plain value (NaN where the plain composite is NaN too).
    """
    plain = combine(norm, weights)
    _, n_periods, n_comp = norm.shape
    needed = min(MIN_COMPONENTS, n_comp)
    present = ~np.isnan(norm)
    out = np.full_like(plain, np.nan)
    segment = np.zeros(n_periods, dtype=int)  # chain number of each period
    seg = -1
    for t in range(n_periods):
        if np.isnan(plain[:, t]).all():
            segment[t] = -1
            continue
        both = present[:, t, :] & present[:, t - 1, :] if t > 0 else None
        linked = (
            t > 0
            and segment[t - 1] >= 0
            and both.sum(axis=1).min() >= needed
            and not np.isnan(out[:, t - 1]).any()
        )
        if linked:
            w = np.where(both, weights, 0.0)
            sub = np.where(both[:, None, :], norm[:, t - 1 : t + 1, :], np.nan)
            pair = combine(sub, w)
            out[:, t] = out[:, t - 1] + pair[:, 1] - pair[:, 0]
        else:
            seg += 1
            out[:, t] = plain[:, t]
        segment[t] = seg
    # anchor: shift the anchor's chain so the anchor keeps its plain value
    valid = np.flatnonzero(segment >= 0)
    if len(valid):
        a = valid[-1] if anchor is None else anchor
        if segment[a] >= 0:
            same = segment == segment[a]
            out[:, same] += (plain[:, a] - out[:, a])[:, None]
    return out


def chain_linked(
    norm: pd.DataFrame, weights: Mapping[str, float] | None = None, *, anchor=None
) -> pd.Series:
    """The chain-linked composite of a normalised component table (see :func:`chain_combine`);
    ``anchor``: the period that keeps its plain value (default: the last one with a value)."""
    w = _checked_weights(weights, norm.columns)
    cols = list(w)
    x = norm[cols].to_numpy(dtype=float)[None, :, :]
    wv = np.array([[w[c] for c in cols]])
    pos = None if anchor is None else int(norm.index.get_loc(anchor))
    out = chain_combine(x, wv, anchor=pos)[0]
    return pd.Series(out, index=norm.index, name="chain_linked")
