"""The years in which a component enters or leaves the composite, and what chain-linking does
there: the plain weighted mean moves when the set of components changes, the chain-linked index
(the headline; :func:`analysis.model.uncertainty.chain_linked`) does not."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.model.composite import CompositeResult


@dataclass(frozen=True)
class Step:
    """A year in which the set of components present changes."""

    year: int
    entered: tuple[str, ...]
    left: tuple[str, ...]
    plain: float  # change of the plain composite from the year before
    chained: float  # change computed from the components present in both years


def chain_steps(result: CompositeResult) -> list[Step]:
    """Every year whose set of components differs from the year before's, both with a value."""
    norm, w = result.normalised, result.weights
    plain, chained = result.index["plain"], result.index["composite"]
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
    return steps
