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

    - a ``count`` (leader contacts, joint exercises in the window) is drawn from
      Poisson(observed count). For meetings held on a fixed calendar this overstates the noise
      (they are under-dispersed), so the bands err on the wide side;
    - a ``ratio`` that is a share of n observations (Security Council votes alike) is drawn as
      Binomial(n, share) / n, n being the votes in the window;
    - a ``ratio`` that is a net balance of ±1 terms (the balance of official acts) is drawn as
      2·Binomial(N, (1 + r)/2)/N − 1;
    - Cohen's κ of n General Assembly votes is drawn from a normal distribution with its
      large-sample standard error √(p_o(1 − p_o)/n)/(1 − p_e) (Cohen 1960);
    - ``level`` (ideal points, trade shares) and ``state`` (the framing in force) components are
      reported figures, not samples: only their weight varies.

    The yearly values are drawn independently. A window of three years (Council votes, official
    acts) shares observations with its neighbours, so independent draws give year-to-year
    differences of those components somewhat more spread than a bootstrap of the dated rows
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
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators._common import IndicatorError
from analysis.model.components import COMPONENTS, MIN_COMPONENTS, Component
from analysis.model.evaluation import KAPPA_COLUMNS, _window_sums, kappa_of, window_lows

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

METHODS = ("poisson", "share", "net", "kappa")


@dataclass(frozen=True)
class Resampling:
    """How one component's observations are redrawn: ``poisson`` (counts), ``share``
    (Binomial(n, x)/n), ``net`` (2·Binomial(n, (1+x)/2)/n − 1) or ``kappa`` (normal with the
    standard error ``se``); ``n`` and ``se`` are per period, aligned on the component table's
    index."""

    method: str
    n: pd.Series | None = None
    se: pd.Series | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"resampling method {self.method!r} not in {METHODS}")
        if self.method in ("share", "net") and self.n is None:
            raise ValueError(f"resampling method {self.method!r} needs the n of each period")
        if self.method == "kappa" and self.se is None:
            raise ValueError("resampling method 'kappa' needs the standard error of each period")

    def draw(self, rng: np.random.Generator, x: np.ndarray, n_draws: int, index) -> np.ndarray:
        """``n_draws`` redrawn copies of the column ``x`` (NaN stays NaN): shape (draws, periods)."""
        missing = np.isnan(x)
        if self.method == "poisson":
            out = rng.poisson(np.where(missing, 0.0, np.maximum(x, 0.0)), size=(n_draws, len(x)))
            out = out.astype(float)
        elif self.method == "kappa":
            se = self.se.reindex(index).to_numpy(dtype=float)
            se = np.where(np.isfinite(se), se, 0.0)
            out = x + rng.standard_normal((n_draws, len(x))) * se
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


def normalise_draws(
    values: np.ndarray, *, observed: np.ndarray | None = None, signs: np.ndarray | None = None
) -> np.ndarray:
    """Min–max normalise (draws, periods, components) along the periods axis, as
    :func:`~analysis.model.composite.normalise` does (a constant column becomes 0.5; a
    component of sign −1 turned round).

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
    if signs is not None:
        out = np.where(np.asarray(signs)[None, None, :] < 0, 1.0 - out, out)
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


def weight_draws(
    weights: Mapping[str, float], n_draws: int, rng: np.random.Generator, concentration: float
) -> np.ndarray:
    """Dirichlet(concentration · w) weight draws, (draws, components) in the order of
    ``weights``; ``concentration=inf`` keeps the defaults."""
    base = np.array(list(weights.values()), dtype=float)
    base = base / base.sum()
    if np.isinf(concentration):
        return np.broadcast_to(base, (n_draws, len(base)))
    return rng.dirichlet(concentration * base, size=n_draws)


def draw_measure(
    raw: Mapping[str, pd.DataFrame],
    weights: Mapping[str, float],
    signs: Mapping[str, int] | None = None,
    *,
    resample: Mapping[str, Mapping[str, Resampling]] | None = None,
    n_draws: int = N_DRAWS,
    seed: int = SEED,
    concentration: float = CONCENTRATION,
    renormalise: bool = RENORMALISE,
    chain: bool = False,
) -> dict[str, pd.DataFrame]:
    """``n_draws`` composites of each group (dyad) of raw component tables, normalised jointly.

    Each draw shares one weighting of every group and redraws each group's observations
    (``resample``: group → column → :class:`Resampling`; a column without one is not redrawn);
    the scale is the pooled observed one (or each draw's own with ``renormalise``). Per group:
    rows = draws (index ``draw``), columns = the group's periods; ``chain`` chain-links each
    group as :func:`chain_linked` does the point estimate."""
    if n_draws < 1:
        raise ValueError("n_draws must be at least 1")
    first = next(iter(raw.values()))
    w = {c: v for c, v in weights.items() if v > 0}
    unknown = sorted(set(w) - set(first.columns))
    if unknown:
        raise IndicatorError(f"unknown component(s) {unknown}; choose from {list(first.columns)}")
    cols = list(w)
    groups = list(raw)
    sizes = [len(raw[g]) for g in groups]
    x = np.concatenate([raw[g][cols].to_numpy(dtype=float) for g in groups], axis=0)
    streams = np.random.SeedSequence(seed).spawn(1 + len(cols))
    wd = weight_draws(w, n_draws, np.random.default_rng(streams[0]), concentration)
    values = np.broadcast_to(x, (n_draws, *x.shape)).copy()
    for j, col in enumerate(cols):
        rng = np.random.default_rng(streams[1 + j])
        offset = 0
        for g, size in zip(groups, sizes, strict=True):
            spec = (resample or {}).get(g, {}).get(col)
            if spec is not None:
                block = x[offset : offset + size, j]
                values[:, offset : offset + size, j] = spec.draw(rng, block, n_draws, raw[g].index)
            offset += size
    sign = np.array([(signs or {}).get(c, 1) for c in cols])
    norm = normalise_draws(values, observed=None if renormalise else x, signs=sign)
    out, offset = {}, 0
    for g, size in zip(groups, sizes, strict=True):
        block = norm[:, offset : offset + size, :]
        arr = chain_combine(block, wd) if chain else combine(block, wd)
        out[g] = pd.DataFrame(arr, index=pd.RangeIndex(n_draws, name="draw"), columns=raw[g].index)
        offset += size
    return out


def draw_composites(
    raw: pd.DataFrame,
    *,
    weights: Mapping[str, float],
    signs: Mapping[str, int] | None = None,
    n_draws: int = N_DRAWS,
    seed: int = SEED,
    resample: Mapping[str, Resampling] | None = None,
    concentration: float = CONCENTRATION,
    renormalise: bool = RENORMALISE,
    chain: bool = False,
) -> pd.DataFrame:
    """:func:`draw_measure` of one table (normalised over its own history)."""
    return draw_measure(
        {"_": raw},
        weights,
        signs,
        resample={"_": dict(resample or {})},
        n_draws=n_draws,
        seed=seed,
        concentration=concentration,
        renormalise=renormalise,
        chain=chain,
    )["_"]


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


def prob_greater(draws: pd.DataFrame, a, b) -> float:
    """Share of the draws in which period ``a`` is above period ``b`` (ties count one half;
    draws where either is missing are left out; NaN when none is left). Against itself: 0.5."""
    diff = (draws[a] - draws[b]).to_numpy(dtype=float)
    diff = diff[np.isfinite(diff)]
    if len(diff) == 0:
        return float("nan")
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / len(diff))


# ---- from the datasets ---------------------------------------------------------------------------


def resampling_for(
    ds: Datasets,
    dyad: str,
    ends: pd.DatetimeIndex,
    *,
    index=None,
    components: tuple[Component, ...] = COMPONENTS,
) -> dict[str, Resampling]:
    """The :class:`Resampling` of every component of ``dyad`` that is redrawn (its declared
    ``resampling``), evaluated at ``ends`` (the component table's dates), its n or standard
    error aligned on ``index`` (default: ``ends``; pass the table's index, e.g. the years)."""
    index = ends if index is None else index
    hi = ends.to_numpy(dtype="datetime64[ns]")
    out: dict[str, Resampling] = {}
    for c in components:
        if c.resampling is None:
            continue
        if c.resampling == "poisson":
            out[c.key] = Resampling("poisson")
            continue
        obs = c.observe(ds, dyad)
        dates = pd.to_datetime(obs["date"]).to_numpy(dtype="datetime64[ns]")
        lo = window_lows(c, ends)
        if c.resampling == "kappa":
            sums = {
                k: _window_sums(dates, obs[k].to_numpy(dtype=float), lo, hi) for k in KAPPA_COLUMNS
            }
            _, po, pe = kappa_of(sums)
            n = sum(sums[f"a_{v}"] for v in ("yes", "abstain", "no"))
            with np.errstate(invalid="ignore", divide="ignore"):
                se = np.sqrt(po * (1 - po) / n) / (1 - pe)
            out[c.key] = Resampling("kappa", se=pd.Series(se, index=index))
        else:
            n = _window_sums(dates, obs["den"].to_numpy(dtype=float), lo, hi)
            out[c.key] = Resampling(c.resampling, pd.Series(n, index=index))
    return out


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
    w = {c: float(v) for c, v in (weights or {}).items() if v > 0}
    unknown = sorted(set(w) - set(norm.columns))
    if unknown or not w:
        raise IndicatorError(f"weights {sorted(w)} do not fit the components {list(norm.columns)}")
    cols = list(w)
    x = norm[cols].to_numpy(dtype=float)[None, :, :]
    wv = np.array([[w[c] for c in cols]])
    pos = None if anchor is None else int(norm.index.get_loc(anchor))
    out = chain_combine(x, wv, anchor=pos)[0]
    return pd.Series(out, index=norm.index, name="chain_linked")
