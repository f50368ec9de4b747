"""The composite's components: one declaration each, from which everything else is derived.

A :class:`Component` says what it measures (``key``, ``label``, ``definition``), what it rests on
(``datasets``), how it enters the composite (``weight``), and how its series is computed: an
``observe`` function turns the datasets into dated observations, and :func:`evaluate` aggregates
them over a trailing window ending at each evaluation date. Evaluating at 31 December gives the
yearly series; evaluating at every month's end gives the monthly one; evaluating on datasets cut
at a date gives that date's vintage. The kinds:

- ``count``: the number of observations in the window (e.g. leader meetings in the last 12
  months); blank where the window is not wholly inside the dataset's coverage, so that missing
  data never reads as a quiet year;
- ``ratio``: Σ numerator / Σ denominator over the window (pooled), blank where the evaluation
  period lies outside the coverage or the window holds no observation;
- ``level``: the latest value observed in the window (yearly statistics, dated at the end of
  their year, so a year's value is used only once the year has ended);
- ``state``: the latest value observed at any earlier date (an official designation stays in
  force until the next one).

The weights, labels, coverage blanking, the method section's definitions, the title block's
method line and the counts in prose ("seven components", "at least four") all come from
:data:`COMPONENTS` and :data:`MIN_COMPONENTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import (
    attach_goldstein,
    cooperation_sign,
    leader_visits,
    trade_indicators,
    veto_drafts,
)
from analysis.model import dyads as D

KINDS = ("count", "ratio", "level", "state")
#: A year (or month) gets a composite value only when at least this many components are present.
MIN_COMPONENTS = 4

Observe = Callable[[Datasets], pd.DataFrame]
DyadObserve = Callable[[Datasets, str], pd.DataFrame]


@dataclass(frozen=True)
class Component:
    """One component of the composite index."""

    key: str
    label: str  # in tables and figures
    noun: str  # in the title block's method line
    weight: float
    datasets: tuple[str, ...]  # what it rests on (coverage blanking, source lines)
    kind: str  # count / ratio / level / state
    window_months: int | None  # trailing window at each evaluation date; None: unbounded
    definition: str  # for the method section
    observe: Observe  # datasets -> columns date, value (count/level/state) or num, den (ratio)
    transform: str | None = None  # "log10"
    #: the same measure for any dyad of the triangle (analysis.model.dyads); None: China–Russia only
    dyad_observe: DyadObserve | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"component {self.key}: kind {self.kind!r} not in {KINDS}")

    @property
    def pooling(self) -> str:
        """How the window pools observations, in words ("three years", "one year")."""
        if self.window_months is None:
            return "the latest document in force"
        years = self.window_months / 12
        return f"{number_word(years)} {'year' if years == 1 else 'years'}"


# ---- observations ---------------------------------------------------------------------------


def _designations(ds: Datasets) -> pd.DataFrame:
    des = ds.partnership_designations
    return pd.DataFrame({"date": des["date"], "value": des["level"].astype(float)})


def _leader_meetings(ds: Datasets) -> pd.DataFrame:
    ev = ds.events[leader_visits(ds.events)]
    return pd.DataFrame({"date": ev["date"], "value": 1.0})


def _net_cooperation(ds: Datasets) -> pd.DataFrame:
    coded = attach_goldstein(ds.events, ds.cameo_goldstein)
    return pd.DataFrame(
        {"date": coded["date"], "num": cooperation_sign(coded).astype(float), "den": 1.0}
    )


def _unga_record(ds: Datasets) -> pd.DataFrame:
    """Identical votes of China and the USSR/Russia on every recorded General Assembly vote on a
    resolution as a whole (see :func:`analysis.model.dyads.unga_pair`)."""
    return D.unga_pair(ds, "CHN", "RUS")


def _joint_vetoes(ds: Datasets) -> pd.DataFrame:
    drafts = veto_drafts(ds.unsc_vetoes)
    joint = drafts[drafts["joint"]]
    return pd.DataFrame({"date": joint["date"], "value": 1.0})


def _trade(ds: Datasets) -> pd.DataFrame:
    tidy = trade_indicators(ds.trade)
    total = tidy[(tidy["indicator"] == "trade_total") & tidy["value"].notna()]
    year_end = total["period"] + pd.offsets.YearEnd(0)
    return pd.DataFrame({"date": year_end.to_numpy(), "value": total["value"].to_numpy()})


def _military(ds: Datasets) -> pd.DataFrame:
    mil = ds.military_cooperation
    return pd.DataFrame({"date": mil["start_date"], "value": 1.0})


#: The composite's components, in the order tables list them. Weights sum to 1.
COMPONENTS: tuple[Component, ...] = (
    Component(
        key="partnership_level",
        label="Partnership level",
        noun="designations",
        weight=0.20,
        datasets=("partnership_designations",),
        kind="state",
        window_months=None,
        definition="the ordinal level (1–7) of the official designation in force at the end of "
        "the period",
        observe=_designations,
        dyad_observe=D.framing,
    ),
    Component(
        key="leader_meetings",
        label="Leader-level meetings",
        noun="leader meetings",
        weight=0.15,
        datasets=("events",),
        kind="count",
        window_months=12,
        definition="leader-level state, official and summit meetings (sideline meetings included)",
        observe=_leader_meetings,
        dyad_observe=D.leader_meetings,
    ),
    Component(
        key="net_cooperation",
        label="Net cooperation (events, 3-year)",
        noun="coded events",
        weight=0.10,
        datasets=("events", "cameo_goldstein"),
        kind="ratio",
        window_months=36,
        definition="(cooperative − conflictual) / N of the coded chronology's events "
        "(QuadClass 1–2 against 3–4)",
        observe=_net_cooperation,
        dyad_observe=D.net_cooperation,
    ),
    Component(
        key="unga_agreement",
        label="UNGA identical votes (full record)",
        noun="UNGA voting",
        weight=0.15,
        datasets=("unga_record_roll_calls", "unga_record_votes", "unga_session_scores"),
        kind="ratio",
        window_months=12,
        definition="share of identical votes of China and the USSR/Russia on every recorded "
        "General Assembly vote on a resolution as a whole (Voeten, Strezhnev & Bailey; session "
        "aggregates where no per-vote data are bundled, 2020–24)",
        observe=_unga_record,
        dyad_observe=D.unga_agreement,
    ),
    Component(
        key="joint_vetoes_3y",
        label="Joint vetoes (3-year sum)",
        noun="joint vetoes",
        weight=0.10,
        datasets=("unsc_vetoes",),
        kind="count",
        window_months=36,
        definition="Security Council drafts vetoed by both China and the USSR/Russia",
        observe=_joint_vetoes,
    ),
    Component(
        key="log_trade",
        label="Trade (log)",
        noun="trade",
        weight=0.15,
        datasets=("trade",),
        kind="level",
        window_months=12,
        definition="log10 of the year's merchandise trade total reported by China's customs "
        "(current US dollars)",
        observe=_trade,
        transform="log10",
        dyad_observe=D.trade,
    ),
    Component(
        key="military_activities",
        label="Joint exercises and patrols",
        noun="joint exercises",
        weight=0.15,
        datasets=("military_cooperation",),
        kind="count",
        window_months=12,
        definition="joint military exercises and joint patrols, by start date",
        observe=_military,
    ),
)

BY_KEY: dict[str, Component] = {c.key: c for c in COMPONENTS}
DEFAULT_WEIGHTS: dict[str, float] = {c.key: c.weight for c in COMPONENTS}
LABELS: dict[str, str] = {c.key: c.label for c in COMPONENTS}


def for_dyad(component: Component, dyad: str) -> Component:
    """The component measured for one dyad of the triangle (its observations and datasets)."""
    if component.dyad_observe is None:
        raise ValueError(f"component {component.key} is measured for China–Russia only")
    observe = component.dyad_observe
    return replace(
        component,
        observe=lambda ds: observe(ds, dyad),
        datasets=D.datasets_for(component.key, dyad),
    )


def datasets_of(components: tuple[Component, ...] = COMPONENTS) -> list[str]:
    """Every dataset the components rest on, in declaration order, once each."""
    return list(dict.fromkeys(n for c in components for n in c.datasets))


# ---- words derived from the registry ----------------------------------------------------------

_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
_WORDS |= {8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


def number_word(x: float) -> str:
    """'three' for 3; digits for numbers without a word or not whole."""
    return _WORDS.get(int(x), f"{x:g}") if float(x).is_integer() else f"{x:g}"


def method_line(components: tuple[Component, ...] = COMPONENTS) -> str:
    """The title block's one-line statement of the method."""
    nouns = ", ".join(c.noun for c in components)
    return (
        f"Composite of {number_word(len(components))} min–max normalised components ({nouns}) "
        "on a relative −9..+9 scale (−9: every component at its post-1989 low, +9: every one at "
        "its high; not Tsinghua's absolute scale), chain-linked, with 80%/95% bands; see Method."
    )


# ---- evaluation -------------------------------------------------------------------------------


def _months_before(ends: pd.DatetimeIndex, months: int) -> pd.DatetimeIndex:
    """The day ``months`` before each end, at the end of that month (window = (this, end])."""
    return (ends - pd.DateOffset(months=months)) + pd.offsets.MonthEnd(0)


def _window_sums(dates: np.ndarray, values: np.ndarray, lo, hi) -> np.ndarray:
    """Σ values with lo < date ≤ hi, for each (lo, hi): two binary searches on cumulated sums."""
    order = np.argsort(dates, kind="stable")
    d, v = dates[order], values[order]
    cum = np.concatenate([[0.0], np.cumsum(v)])
    return cum[np.searchsorted(d, hi, side="right")] - cum[np.searchsorted(d, lo, side="right")]


def _blank(
    component: Component,
    ends: pd.DatetimeIndex,
    coverage: dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None]],
    period_months: int,
) -> np.ndarray:
    """True where the component must be blank for lack of coverage (see the module docstring)."""
    blank = np.zeros(len(ends), dtype=bool)
    if component.kind == "state":
        return blank
    months = component.window_months if component.kind == "count" else period_months
    lo = _months_before(ends, months)
    covered = [coverage.get(n, (None, None)) for n in component.datasets]
    covered = [(s, e) for s, e in covered if s is not None]
    if not covered:
        return blank
    if component.kind == "count":  # the whole window must be covered by every dataset
        for start, end in covered:
            blank |= np.asarray((lo + pd.Timedelta(days=1) < start) | (ends > end))
    else:  # the evaluation period must overlap the coverage of at least one dataset
        blank[:] = True
        for start, end in covered:
            blank &= np.asarray((ends < start) | (lo >= end))
    return blank


def evaluate(
    component: Component,
    ds: Datasets,
    ends: pd.DatetimeIndex,
    coverage: dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None]],
    *,
    period_months: int = 12,
) -> pd.Series:
    """The component's raw value at each evaluation date ``ends`` (NaN where not measurable).

    ``period_months`` is the resolution (12: a value per year, 1: per month); ``coverage`` maps
    each dataset to its (start, end), already cut at the vintage.
    """
    obs = component.observe(ds)
    dates = pd.to_datetime(obs["date"]).to_numpy(dtype="datetime64[ns]")
    hi = ends.to_numpy(dtype="datetime64[ns]")
    if component.window_months is None:
        lo = np.full(len(hi), np.datetime64("1700-01-01", "ns"))  # before any observation
    else:
        lo = _months_before(ends, component.window_months).to_numpy(dtype="datetime64[ns]")
    if component.kind == "count":
        out = _window_sums(dates, obs["value"].to_numpy(dtype=float), lo, hi)
    elif component.kind == "ratio":
        num = _window_sums(dates, obs["num"].to_numpy(dtype=float), lo, hi)
        den = _window_sums(dates, obs["den"].to_numpy(dtype=float), lo, hi)
        out = np.divide(num, den, out=np.full(len(hi), np.nan), where=den > 0)
    else:  # level / state: the latest observation in the window
        order = np.argsort(dates, kind="stable")
        d, v = dates[order], obs["value"].to_numpy(dtype=float)[order]
        idx = np.searchsorted(d, hi, side="right") - 1
        out = np.full(len(hi), np.nan)
        ok = idx >= 0
        ok[ok] = d[idx[ok]] > lo[ok]  # the latest observation must lie inside the window
        out[ok] = v[idx[ok]]
    if component.transform == "log10":
        out = np.log10(np.where(out > 0, out, np.nan))
    out[_blank(component, ends, coverage, period_months)] = np.nan
    return pd.Series(out, index=ends, name=component.key)


def component_table(
    ds: Datasets,
    ends: pd.DatetimeIndex,
    coverage: dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None]],
    *,
    period_months: int = 12,
    components: tuple[Component, ...] = COMPONENTS,
) -> pd.DataFrame:
    """Every component's raw series at ``ends``, one column each (declaration order)."""
    return pd.DataFrame(
        {c.key: evaluate(c, ds, ends, coverage, period_months=period_months) for c in components},
        index=ends,
    )
