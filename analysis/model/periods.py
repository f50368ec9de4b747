"""Periods of a briefing and how far a dataset covers them: one coverage rule for everything.

A :class:`Period` is a closed interval of days; :func:`preceding` is the period of equal length
that ends the day before. :func:`coverage_state` says whether a dataset's declared coverage spans
a period in ``full``, in ``partial`` or not at all (``none``); the facts, the "not measurable"
notes and the coverage lines of the PDF all use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data.loader import coverage

FULL, PARTIAL, NONE = "full", "partial", "none"


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"

    @property
    def short(self) -> str:
        if self.start.year == self.end.year:
            return f"{self.start.year}"
        return f"{self.start.year}–{self.end.year}"

    @property
    def days(self) -> int:
        return int((self.end - self.start).days) + 1


def preceding(period: Period) -> Period:
    """The period of equal length that ends the day before ``period`` starts."""
    end = period.start - pd.Timedelta(days=1)
    return Period(end - pd.Timedelta(days=period.days - 1), end)


def coverage_state(name: str, period: Period, data_dir=None) -> str:
    """``full``, ``partial`` or ``none``: how much of ``period`` the dataset's coverage spans
    (lookup tables, without a time coverage, cover everything)."""
    start, end = coverage(name, data_dir)
    if start is None:
        return FULL
    if period.end < start or period.start > end:
        return NONE
    if period.start < start or period.end > end:
        return PARTIAL
    return FULL


def combined_state(names, period: Period, data_dir=None) -> str:
    """The best coverage any of ``names`` gives ``period`` (a section is measurable when one of
    its datasets covers some of it)."""
    states = {coverage_state(n, period, data_dir) for n in names}
    for state in (FULL, PARTIAL):
        if state in states:
            return state
    return NONE


def whole_years(period: Period) -> tuple[int, int] | None:
    """The calendar years lying wholly inside ``period`` (None when there is none).

    Yearly observations (trade, SIPRI deliveries, the yearly composite) count in a period only
    for these years, so that no number from outside a range enters it and a year is never in
    both a range and its preceding period."""
    first = period.start.year + (0 if (period.start.month, period.start.day) == (1, 1) else 1)
    last = period.end.year - (0 if (period.end.month, period.end.day) == (12, 31) else 1)
    return (first, last) if first <= last else None
