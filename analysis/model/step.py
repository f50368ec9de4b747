"""The model step: everything a briefing reads that does not depend on its range, computed once
per data vintage and remembered on disk.

Like a step of owid's ETL (Load → Process → Save), :func:`model_step` loads nothing itself (it
takes the validated :class:`~analysis.data.loader.Datasets`), processes them into one
:class:`ModelStep` — the yearly and monthly composites of the three dyads with their draws, the
change points of the China–Russia index and their robustness, the claims' verdicts, and the
validation against independent event data where those series are present — and saves it under
a key of the data files, the vintage, the claims files, the reference series, the library's
code and the versions of the packages that compute it (:mod:`analysis.model.memo`: Parquet and
JSON, sha256-checked, never unpickled). Every section reads this one object; nothing else in the
library remembers model results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.loader import Datasets
from analysis.model import memo
from analysis.model.change_points import (
    monthly_breaks,
    penalty_sensitivity,
    robust_change_points,
)
from analysis.model.composite import Measure, measure_dyads, measure_dyads_by_month
from analysis.model.dyads import MAIN


@memo.register
@dataclass(frozen=True)
class ModelStep:
    """The range-independent results of one data vintage."""

    yearly: Measure
    monthly: Measure
    #: every change point of the yearly China–Russia index at some penalty, with its robustness
    breaks: pd.DataFrame
    #: the yearly index's change points over a range of PELT penalties (the method's table)
    sensitivity: pd.DataFrame
    #: the monthly index's change points: found at every penalty factor, and at the default
    monthly_breaks: dict[str, list] = field(default_factory=dict)
    #: per claims file (its path as given), the verdict table
    claims: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Spearman correlations with ICEWS and GDELT (empty when the series are absent)
    validation: pd.DataFrame = field(default_factory=pd.DataFrame)


def _claims_key(paths) -> list[str]:
    import hashlib

    return [
        f"{p}:{hashlib.sha256(Path(p).read_bytes()).hexdigest()}"
        for p in paths
        if Path(p).is_file()
    ]


def model_step(
    ds: Datasets,
    claims_files: tuple[Path, ...] = (),
    references: tuple[pd.DataFrame | None, ...] = (None, None, None),
) -> ModelStep:
    """The model step of ``ds`` (see the module docstring), with the verdicts of
    ``claims_files`` and the validation against ``references`` (the ICEWS series, the GDELT
    monthly edge series and the GDELT daily dyad table, each a frame or None)."""
    icews, gdelt, gdelt_daily = (*references, None, None, None)[:3]
    ref_key = [None if f is None else memo.frame_digest(f) for f in references]

    def compute() -> ModelStep:
        from analysis.model.claims_check import check_claims
        from analysis.model.validation import validation_table

        yearly, monthly = measure_dyads(ds), measure_dyads_by_month(ds)
        series = yearly.series(MAIN)
        robust, found = monthly_breaks(monthly.series(MAIN))
        return ModelStep(
            yearly=yearly,
            monthly=monthly,
            breaks=robust_change_points(series, yearly.draws[MAIN]),
            sensitivity=penalty_sensitivity(series),
            monthly_breaks={"robust": robust, "found": found},
            claims={str(p): check_claims(ds, Path(p)) for p in claims_files},
            validation=(
                validation_table(yearly, icews, gdelt, gdelt_daily)
                if any(r is not None for r in (icews, gdelt, gdelt_daily))
                else pd.DataFrame()
            ),
        )

    parts = (_claims_key(claims_files), ref_key)
    return memo.remember(ds, "model_step", parts, compute)
