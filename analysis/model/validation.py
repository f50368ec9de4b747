"""Validation of the composite against independent event data (ICEWS, GDELT).

The composite is built from the project's curated data; two independent, machine-coded event
series measure the same dyad from news reports:

- **ICEWS** (2002–2014, yearly): the *net-cooperation share* of the China–Russia dyad,
  (cooperation − conflict) / (cooperation + conflict), with cooperation = verbal + material
  cooperation events and conflict = verbal + material conflict events, both directions pooled.
  A share, because ICEWS counts follow news volume (they fall after 2008).
- **GDELT** (2018–2024, monthly): the mean daily Goldstein-and-tone weighted "edge" of the dyad;
  yearly values are the day-weighted mean over the months of a year whose twelve months each
  have at least :data:`MIN_MONTH_DAYS` days (2018–2023; 2024, with two months, is left out).

Each reference series is compared with the composite and with its events component (net
cooperation of the curated chronology) by Spearman rank correlation, in levels and in first
differences (year-on-year changes), on the years both have; ``n`` is that number of years. The
first differences are the stricter test: levels share any common trend.

Run ``make validate`` (``python -m analysis.model.validation``) for the report.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.model import memo
from analysis.model.composite import CompositeResult

#: Fewest days each of a GDELT year's twelve months needs for the year to count.
MIN_MONTH_DAYS = 15
#: Fewest common years for a correlation to be reported.
MIN_N = 4
#: What each measure is, for the report.
MEASURES = {
    "composite": "composite index",
    "net_cooperation": "events component (net cooperation)",
}


@dataclass(frozen=True)
class Correlation:
    """A Spearman rank correlation on ``n`` common observations (``rho`` NaN when n < MIN_N)."""

    rho: float
    p: float
    n: int


def icews_net_cooperation(icews: pd.DataFrame, a: str = "CHN", b: str = "RUS") -> pd.Series:
    """(cooperation − conflict) / (cooperation + conflict) by year for the dyad a–b, both
    directions pooled (index: year). Years with no events are left out."""
    dyad = icews[
        ((icews["source_iso3"] == a) & (icews["target_iso3"] == b))
        | ((icews["source_iso3"] == b) & (icews["target_iso3"] == a))
    ]
    by_year = dyad.groupby("year")[["verbCoop", "matlCoop", "verbConf", "matlConf"]].sum()
    coop = by_year["verbCoop"] + by_year["matlCoop"]
    conf = by_year["verbConf"] + by_year["matlConf"]
    total = (coop + conf).replace(0, np.nan)
    return ((coop - conf) / total).dropna().rename(f"icews_{a}_{b}".lower())


def gdelt_yearly(gdelt: pd.DataFrame, pair: str = "chn_rus") -> pd.Series:
    """Day-weighted mean daily edge by year (index: year), for years whose twelve months each
    have at least :data:`MIN_MONTH_DAYS` days."""
    col = f"mean_{pair}"
    if col not in gdelt.columns:
        raise ValueError(f"no column {col!r} in the GDELT series; pairs: chn_rus, chn_usa, rus_usa")
    frame = pd.DataFrame(
        {
            "year": [m.year for m in gdelt["month"]],
            "sum": gdelt[col] * gdelt["n_days"],
            "days": gdelt["n_days"],
            "full": gdelt["n_days"] >= MIN_MONTH_DAYS,
        }
    )
    by_year = frame.groupby("year")[["sum", "days", "full"]].sum()
    kept = by_year[by_year["full"] == 12]
    return (kept["sum"] / kept["days"]).rename(f"gdelt_{pair}")


def rank_correlation(x: pd.Series, y: pd.Series) -> Correlation:
    """Spearman's ρ of x and y on their common non-missing index."""
    both = pd.concat([x, y], axis=1, join="inner").dropna()
    n = len(both)
    if n < MIN_N or both.iloc[:, 0].nunique() < 2 or both.iloc[:, 1].nunique() < 2:
        return Correlation(math.nan, math.nan, n)
    from scipy import stats  # only when a validation series is present: scipy costs ~0.5 s

    res = stats.spearmanr(both.iloc[:, 0], both.iloc[:, 1])
    return Correlation(float(res.statistic), float(res.pvalue), n)


def _consecutive_diff(series: pd.Series) -> pd.Series:
    """Year-on-year changes, only between consecutive years (a gap breaks the chain)."""
    s = series.dropna().sort_index()
    diff = s.diff()
    gaps = pd.Series(s.index, index=s.index).diff() != 1
    return diff[~gaps]


def validation_table(
    result: CompositeResult,
    icews: pd.DataFrame | None,
    gdelt: pd.DataFrame | None,
) -> pd.DataFrame:
    """One row per (reference, measure): ρ and n in levels and in first differences.

    Columns: ``reference``, ``measure``, ``years``, ``levels_rho``, ``levels_p``, ``levels_n``,
    ``diffs_rho``, ``diffs_p``, ``diffs_n``. A reference that is absent gives no rows.
    Remembered per content of its inputs (:mod:`analysis.model.memo`): the p-values need
    scipy, about a second to import.
    """
    inputs = (result.index, result.raw, icews, gdelt)
    return memo.remember_of(
        inputs, "validation", (), lambda: _validation_table(result, icews, gdelt)
    )


def _validation_table(
    result: CompositeResult, icews: pd.DataFrame | None, gdelt: pd.DataFrame | None
) -> pd.DataFrame:
    references: list[tuple[str, pd.Series]] = []
    if icews is not None:
        references.append(("ICEWS net-cooperation share", icews_net_cooperation(icews)))
    if gdelt is not None:
        references.append(("GDELT mean daily edge", gdelt_yearly(gdelt)))
    measures = {
        "composite": result.index["composite"],
        "net_cooperation": result.raw["net_cooperation"],
    }
    rows = []
    for ref_name, ref in references:
        for key, series in measures.items():
            common = series.dropna().index.intersection(ref.index)
            lv = rank_correlation(series, ref)
            df = rank_correlation(_consecutive_diff(series), _consecutive_diff(ref))
            rows.append(
                {
                    "reference": ref_name,
                    "measure": MEASURES[key],
                    "years": f"{common.min()}–{common.max()}" if len(common) else "none",
                    "levels_rho": lv.rho,
                    "levels_p": lv.p,
                    "levels_n": lv.n,
                    "diffs_rho": df.rho,
                    "diffs_p": df.p,
                    "diffs_n": df.n,
                }
            )
    columns = ["reference", "measure", "years", "levels_rho", "levels_p", "levels_n"]
    return pd.DataFrame(rows, columns=[*columns, "diffs_rho", "diffs_p", "diffs_n"])


def report(table: pd.DataFrame) -> str:
    """The table as Markdown, for ``make validate``."""
    if table.empty:
        return "No validation file found (ICEWS, GDELT): nothing to compare."
    lines = [
        "| reference | measure | years | ρ levels (n) | ρ first differences (n) |",
        "|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        lines.append(
            f"| {r.reference} | {r.measure} | {r.years} | {r.levels_rho:+.2f} "
            f"(p {r.levels_p:.2f}, n {r.levels_n}) | {r.diffs_rho:+.2f} "
            f"(p {r.diffs_p:.2f}, n {r.diffs_n}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from analysis.data.external.reference import (
        ReferenceError,
        load_gdelt_monthly,
        load_icews,
        reference_dir,
    )
    from analysis.data.loader import load_all
    from analysis.model.composite import composite_index

    try:
        icews, gdelt = load_icews(), load_gdelt_monthly()
    except ReferenceError as err:
        print(f"validate: {err}", file=sys.stderr)
        return 2
    if icews is None and gdelt is None:
        print(f"validate: no ICEWS or GDELT file in {reference_dir()}: nothing to compare")
        return 0
    result = composite_index(load_all())
    print("Composite and its events component against independent event data")
    print("(Spearman rank correlations; see analysis/model/validation.py)\n")
    print(report(validation_table(result, icews, gdelt)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
