"""Artefacts of the composite shown beside it: the index without the designation ladder (which
only ever rises, so it builds a warming trend in), and the chain-linked index (a component that
enters, leaves or misses a year does not move it; see
:func:`analysis.model.uncertainty.chain_linked`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data.loader import Datasets
from analysis.model.composite import CompositeResult, headline_from_normalised
from analysis.model.phases import Trend, trend
from analysis.model.uncertainty import composite_draws

#: The component left out of the "without the ladder" variant.
LADDER = "partnership_level"


def without(weights: dict[str, float], key: str) -> dict[str, float]:
    """The weights with one component dropped (the others keep theirs; the composite divides by
    the weights present, so they are re-normalised)."""
    return {c: w for c, w in weights.items() if c != key}


@dataclass(frozen=True)
class Step:
    """A year in which the set of components present changes."""

    year: int
    entered: tuple[str, ...]
    left: tuple[str, ...]
    plain: float  # change of the plain composite from the year before
    chained: float  # change computed from the components present in both years


@dataclass(frozen=True)
class Artefacts:
    no_ladder: pd.Series  # the (chain-linked) composite without the designation ladder
    no_ladder_trend: Trend  # over the whole history, read from its draws
    ladder_trend: Trend  # the default composite over the same years, from its draws
    chained: pd.Series  # chain-linked composite (the headline)
    plain: pd.Series  # plain weighted mean
    steps: list[Step]


def artefacts(ds: Datasets, result: CompositeResult, draws: pd.DataFrame) -> Artefacts:
    """The two variants of the default composite and the years where components enter/leave."""
    norm, w = result.normalised, result.weights
    alt = without(w, LADDER)
    no_ladder = headline_from_normalised(norm, alt)["composite"]
    alt_draws = composite_draws(ds, result.raw, weights=alt)
    years = no_ladder.dropna().index
    span = {"start": f"{years.min()}-01-01", "end": f"{years.max()}-12-31"}
    plain = result.index["plain"]
    chained = result.index["composite"]
    present = norm[[c for c, v in w.items() if v > 0]].notna()
    steps = []
    for prev, year in zip(norm.index[:-1], norm.index[1:], strict=True):
        entered = tuple(
            c for c in present.columns if present.at[year, c] and not present.at[prev, c]
        )
        left = tuple(c for c in present.columns if present.at[prev, c] and not present.at[year, c])
        if (entered or left) and pd.notna(plain[year]) and pd.notna(plain[prev]):
            steps.append(
                Step(
                    int(year),
                    entered,
                    left,
                    float(plain[year] - plain[prev]),
                    float(chained[year] - chained[prev]),
                )
            )
    return Artefacts(
        no_ladder=no_ladder,
        no_ladder_trend=trend(no_ladder, draws=alt_draws, **span),
        ladder_trend=trend(result.series(), draws=draws, **span),
        chained=chained,
        plain=plain,
        steps=steps,
    )
