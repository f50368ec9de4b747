"""Validation of the composite: against episodes the literature agrees on, against independent
event data, and against any single component taking it over.

- **Episodes** (``data/episodes.csv``): for each cited episode (a dyad, a year before the change,
  a year by which it had happened, the direction the literature gives), the composite's change
  between the two years and the share of the uncertainty draws whose change has the expected
  sign. An episode *agrees* when the point change has the expected sign.
- **Independent event data** (read from ``../shared/reference-data`` when present, never inputs
  of the index): for each dyad, ICEWS 2002–2014 (yearly): the net-cooperation share
  (cooperation − conflict) / (cooperation + conflict), both directions pooled, a share because
  ICEWS counts follow news volume; GDELT 2.0 (2018–2024, monthly): the mean daily Goldstein-and-
  tone "edge", yearly where all twelve months have at least :data:`MIN_MONTH_DAYS` days (2024,
  with two months, is left out). Spearman's ρ in levels and in year-on-year changes, with n and
  p; the changes are the stricter test, as levels share any common trend.
- **No component takes over**: each component's share of the absolute change of the China–Russia
  index between the range's first and last year (|contribution| / Σ|contributions|); none should
  exceed :data:`MAX_COMPONENT_SHARE`.

Run ``make validate`` (``python -m analysis.model.validation``) for the report.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.loader import DataError, Datasets, data_path
from analysis.model.composite import Measure, contributions
from analysis.model.dyads import DYADS, MAIN, MEMBERS, NAMES

#: Fewest days each of a GDELT year's twelve months needs for the year to count.
MIN_MONTH_DAYS = 15
#: Fewest common years for a correlation to be reported.
MIN_N = 4
#: The largest share of the absolute change of the main index one component may supply.
MAX_COMPONENT_SHARE = 0.40
#: The share of episodes the index must agree with.
MIN_EPISODE_AGREEMENT = 0.90


@dataclass(frozen=True)
class Correlation:
    """A Spearman rank correlation on ``n`` common observations (``rho`` NaN when n < MIN_N)."""

    rho: float
    p: float
    n: int


# ---- episodes ----------------------------------------------------------------------------------


def check_episodes(ds: Datasets) -> pd.DataFrame:
    """The episodes, after the check the sidecar cannot state: the year the change had happened
    comes after the year before it (a DataError naming the file, the row and the field)."""
    ep = ds.episodes
    bad = ep[ep["to_year"] <= ep["from_year"]]
    if len(bad):
        row = int(bad.index[0]) + 1
        raise DataError(
            data_path("episodes", ds.data_dir),
            f"to_year {bad.iloc[0]['to_year']} is not after from_year {bad.iloc[0]['from_year']}",
            row=row,
            column="to_year",
            more=len(bad) - 1,
        )
    return ep


def episode_table(measure: Measure, episodes: pd.DataFrame) -> pd.DataFrame:
    """One row per episode: its fields, the index change from ``from_year`` to ``to_year``, the
    share of draws with a change of the expected sign, and whether the index agrees (the point
    change has the expected sign; ``None`` where a year has no value)."""
    rows = []
    for ep in episodes.itertuples(index=False):
        series = measure.index[ep.dyad]["composite"]
        a, b = series.get(int(ep.from_year), np.nan), series.get(int(ep.to_year), np.nan)
        sign = 1.0 if ep.direction == "warmer" else -1.0
        change = float(b - a)
        draws = measure.draws.get(ep.dyad)
        share = np.nan
        if draws is not None and {ep.from_year, ep.to_year} <= set(draws.columns):
            d = (draws[ep.to_year] - draws[ep.from_year]).to_numpy(dtype=float)
            d = d[np.isfinite(d)]
            share = float(np.mean(d * sign > 0)) if len(d) else np.nan
        agrees = None if math.isnan(change) else bool(change * sign > 0)
        rows.append(
            {
                "episode_id": ep.episode_id,
                "dyad": ep.dyad,
                "from_year": int(ep.from_year),
                "to_year": int(ep.to_year),
                "direction": ep.direction,
                "label": ep.label,
                "reference": ep.reference,
                "change": change,
                "draw_share": share,
                "agrees": agrees,
            }
        )
    return pd.DataFrame(rows)


def episode_agreement(table: pd.DataFrame) -> tuple[int, int]:
    """(episodes the index agrees with, episodes it can be measured on)."""
    measured = table["agrees"].notna()
    return int(table.loc[measured, "agrees"].astype(bool).sum()), int(measured.sum())


# ---- independent event data --------------------------------------------------------------------


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
    measure: Measure,
    icews: pd.DataFrame | None,
    gdelt: pd.DataFrame | None,
    gdelt_daily: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (reference, dyad): ρ, p and n in levels and in year-on-year changes.

    Columns: ``reference``, ``dyad``, ``years``, ``levels_rho``, ``levels_p``, ``levels_n``,
    ``diffs_rho``, ``diffs_p``, ``diffs_n``. An absent reference gives no rows. Computed once in the
    model step (:mod:`analysis.model.step`): the p-values need scipy.
    """
    index = pd.concat({d: measure.index[d]["composite"] for d in DYADS}, axis=1)
    return _validation_table(index, icews, gdelt, gdelt_daily)


def gdelt_balance_yearly(daily: pd.DataFrame, dyad: str) -> pd.Series:
    """The GDELT daily dyad table's coverage-normalised balance by year (index: year):
    (cooperative − conflictual) / (cooperative + conflictual), a share that more news coverage
    does not move (:func:`analysis.data.external.gdelt_daily.coverage_normalised_balance`)."""
    from analysis.data.external.gdelt_daily import coverage_normalised_balance

    table = coverage_normalised_balance(daily, "YS")
    rows = table[table["dyad"] == dyad].dropna(subset=["balance"])
    return pd.Series(
        rows["balance"].to_numpy(), index=pd.DatetimeIndex(rows["period"]).year, name="balance"
    )


def _validation_table(
    index: pd.DataFrame,
    icews: pd.DataFrame | None,
    gdelt: pd.DataFrame | None,
    gdelt_daily: pd.DataFrame | None = None,
) -> pd.DataFrame:
    rows = []
    for dyad in DYADS:
        a, b = MEMBERS[dyad]
        references: list[tuple[str, pd.Series]] = []
        if icews is not None:
            references.append(("ICEWS net-cooperation share", icews_net_cooperation(icews, a, b)))
        if gdelt is not None:
            references.append(
                ("GDELT mean daily edge", gdelt_yearly(gdelt, dyad.lower().replace("-", "_")))
            )
        if gdelt_daily is not None:
            references.append(("GDELT event balance", gdelt_balance_yearly(gdelt_daily, dyad)))
        series = index[dyad]
        for ref_name, ref in references:
            common = series.dropna().index.intersection(ref.index)
            lv = rank_correlation(series, ref)
            df = rank_correlation(_consecutive_diff(series), _consecutive_diff(ref))
            rows.append(
                {
                    "reference": ref_name,
                    "dyad": dyad,
                    "years": f"{common.min()}–{common.max()}" if len(common) else "none",
                    "levels_rho": lv.rho,
                    "levels_p": lv.p,
                    "levels_n": lv.n,
                    "diffs_rho": df.rho,
                    "diffs_p": df.p,
                    "diffs_n": df.n,
                }
            )
    columns = ["reference", "dyad", "years", "levels_rho", "levels_p", "levels_n"]
    return pd.DataFrame(rows, columns=[*columns, "diffs_rho", "diffs_p", "diffs_n"])


# ---- no component takes over ---------------------------------------------------------------------


def component_shares(measure: Measure, first: int, last: int, dyad: str = MAIN) -> pd.Series:
    """Each component's share of the absolute change of ``dyad``'s index from ``first`` to
    ``last``: |contribution| / Σ|contributions| (sorted, largest first; empty where a year has
    no components)."""
    contrib = contributions(measure.result(dyad), first, last)
    total = sum(abs(v) for v in contrib.values())
    if not total:
        return pd.Series(dtype=float)
    shares = pd.Series({k: abs(v) / total for k, v in contrib.items()})
    return shares.sort_values(ascending=False)


def default_years(ds: Datasets) -> tuple[int, int]:
    """The first and last whole years of the default briefing's range (the first day of the
    index to the end of the data)."""
    from analysis import config
    from analysis.model.composite import vintage_end
    from analysis.model.periods import Period, whole_years

    years = whole_years(Period(pd.Timestamp(config.DEFAULT_START), vintage_end(ds)))
    if years is None:
        raise ValueError("the data cover no whole year")
    return years


# ---- the report ---------------------------------------------------------------------------------


def _fmt(x: float, spec: str = "+.2f") -> str:
    return "n/a" if pd.isna(x) else format(x, spec).replace("-", "−")


#: How to read the table of rank correlations, in one sentence (printed just above it).
READ_RHO = (
    "How to read the table below: each row is Spearman's rank correlation ρ between one dyad's "
    "composite index and an independent event series over the n years both cover, for the "
    "yearly levels and for the year-on-year changes — ρ near +1 means the two rank the years "
    "alike, near 0 that they are unrelated, below 0 that they disagree — and p is the chance of "
    "a ρ at least that far from 0 if they were unrelated (p below 0.05 counts as evidence; with "
    "so few years only a strong correlation gets there, and a weak one is no evidence either "
    "way)."
)


def report(
    episodes: pd.DataFrame | None, table: pd.DataFrame, shares: pd.Series | None = None
) -> str:
    """The validation as Markdown, each part with a sentence on how to read it."""
    out: list[str] = []
    if episodes is not None and len(episodes):
        agree, measured = episode_agreement(episodes)
        out += [
            f"Episodes: the index agrees with {agree} of the {measured} episodes it can measure "
            f"({agree / measured:.0%}; the bar is {MIN_EPISODE_AGREEMENT:.0%}). An episode agrees "
            "when the index moved between its two years in the direction the cited literature "
            "gives; the last column is the share of the uncertainty draws that move that way.",
            "",
            "| dyad | years | expected | episode | change | draws agreeing | agrees |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in episodes.itertuples():
            verdict = "n/a" if r.agrees is None else ("yes" if r.agrees else "**no**")
            out.append(
                f"| {NAMES[r.dyad]} | {r.from_year}→{r.to_year} | {r.direction} | {r.label} | "
                f"{_fmt(r.change, '+.1f')} | {_fmt(r.draw_share, '.0%')} | {verdict} |"
            )
        out.append("")
    if table.empty:
        out.append("No independent event series found (ICEWS, GDELT): nothing to correlate.")
    else:
        out += [
            READ_RHO,
            "",
            "| reference | dyad | years | ρ levels (p, n) | ρ yearly changes (p, n) |",
            "|---|---|---|---|---|",
        ]
        for r in table.itertuples():
            out.append(
                f"| {r.reference} | {NAMES[r.dyad]} | {r.years} | {_fmt(r.levels_rho)} "
                f"(p {_fmt(r.levels_p, '.2f')}, n {r.levels_n}) | {_fmt(r.diffs_rho)} "
                f"(p {_fmt(r.diffs_p, '.2f')}, n {r.diffs_n}) |"
            )
    if shares is not None and len(shares):
        top = shares.index[0]
        out += [
            "",
            f"Largest single component's share of the China–Russia index's absolute change: "
            f"{top} {shares.iloc[0]:.0%} (the bar is {MAX_COMPONENT_SHARE:.0%}): "
            + ", ".join(f"{k} {v:.0%}" for k, v in shares.items()),
        ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from analysis.data.external.gdelt_daily import load_event_aggregates
    from analysis.data.external.gdelt_files import GdeltFormatError
    from analysis.data.external.reference import ReferenceError, load_gdelt_monthly, load_icews
    from analysis.data.loader import load_all
    from analysis.model.composite import measure_dyads

    try:
        icews, gdelt = load_icews(), load_gdelt_monthly()
        daily = load_event_aggregates()  # the GDELT daily dyad table, when make events made one
        ds = load_all()
        episodes = check_episodes(ds)
    except (ReferenceError, DataError, GdeltFormatError) as err:
        print(f"validate: {err}", file=sys.stderr)
        return 2
    measure = measure_dyads(ds)
    first, last = default_years(ds)
    shares = component_shares(measure, first, last)
    print("Validation of the composite index (see analysis/model/validation.py)\n")
    table = validation_table(measure, icews, gdelt, daily)
    print(report(episode_table(measure, episodes), table, shares))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
