"""What several sections share, computed once per briefing: the UN record in long form and its
pairs, the coded events, the one SIPRI vintage, and small helpers of the metric functions.

Every section's metric function has the contract ``(ds, period, inputs) -> dict`` of plain values
(None where the data do not cover the period); :func:`analysis.model.facts.range_facts` calls
them for the range and the preceding period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import (
    attach_goldstein,
    pair_agreement,
    pair_votes,
    record_votes_long,
)

#: The pairs whose General Assembly alignment the UN section measures (the triangle).
PAIRS = (("CHN", "RUS"), ("CHN", "USA"), ("RUS", "USA"))


@dataclass(frozen=True)
class MetricInputs:
    """What several sections share, computed once per briefing."""

    votes: (
        pd.DataFrame
    )  # the curated key votes in long form (the annex of votes that drew attention)
    arms_series: str  # the one SIPRI vintage of the briefing
    coded_events: pd.DataFrame  # events with Goldstein weights and QuadClass
    record: pd.DataFrame  # every recorded General Assembly vote of CHN, RUS and USA, long form
    pairs: dict[tuple[str, str], pd.DataFrame]  # the record's votes of each pair (pair_votes)

    @classmethod
    def build(cls, ds: Datasets, votes: pd.DataFrame, arms_series: str) -> MetricInputs:
        record = record_votes_long(ds.unga_record_roll_calls, ds.unga_record_votes)
        return cls(
            votes,
            arms_series,
            attach_goldstein(ds.events, ds.cameo_goldstein),
            record,
            {(a, b): pair_votes(record, a, b) for a, b in PAIRS},
        )


def pair_key(a: str, b: str) -> str:
    return f"{a.lower()}_{b.lower()}"


def record_agreement(
    inputs: MetricInputs, a: str, b: str, start, end, target: str | None = None
) -> dict[str, Any]:
    """Identical share, half-credit agreement, Cohen's κ and n of a pair on the full record
    (votes on resolutions as a whole), pooled over [start, end]; None where no vote both cast."""
    rows = pair_agreement(
        inputs.record,
        a,
        b,
        by="range",
        start=start,
        end=end,
        target=target,
        whole_only=True,
        pairs=inputs.pairs[(a, b)],
    )
    values = dict(zip(rows["indicator"], rows["value"], strict=True))
    n = int(rows["n"].max()) if len(rows) else 0
    return {
        "identical": none_if_nan(values.get("identical_share")) if n else None,
        "half": none_if_nan(values.get("agreement_half")) if n else None,
        "kappa": none_if_nan(values.get("kappa")) if n else None,
        "n": n,
    }


def total(frame: pd.DataFrame, indicator: str) -> float:
    return float(frame.loc[frame["indicator"] == indicator, "value"].sum())


def none_if_nan(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else x
