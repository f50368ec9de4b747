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

#: Ranges shorter than this many years are drawn and described month by month (the monthly
#: composite, monthly counts of events, exercises and votes, monthly trade); longer ones by year.
MONTHLY_MAX_YEARS = 5


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"

    @property
    def short(self) -> str:
        """'2012–2022' for whole years; a year covered in part names its days ('2012 to
        28 Feb 2023'), so that a partial year is never shown as the year."""
        whole_start = (self.start.month, self.start.day) == (1, 1)
        whole_end = (self.end.month, self.end.day) == (12, 31)
        a = f"{self.start.year}" if whole_start else f"{self.start.day} {self.start:%b %Y}"
        b = f"{self.end.year}" if whole_end else f"{self.end.day} {self.end:%b %Y}"
        if whole_start and whole_end:
            return a if self.start.year == self.end.year else f"{a}–{b}"
        return f"{a} to {b}"

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


def is_monthly(period: Period) -> bool:
    """True when ``period`` is shorter than :data:`MONTHLY_MAX_YEARS` years (365.25 days each)."""
    return period.days < MONTHLY_MAX_YEARS * 365.25


def whole_months(period: Period) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The last days of the first and last calendar months lying wholly inside ``period``
    (None when there is none): the monthly counterpart of :func:`whole_years`."""
    first = period.start + pd.offsets.MonthEnd(0)
    if period.start.day != 1:
        first = first + pd.offsets.MonthEnd(1)
    last = period.end + pd.offsets.MonthEnd(0)
    if last != period.end:
        last = period.end - pd.offsets.MonthEnd(1)
    return (first, last) if first <= last else None


def day_label(ts: pd.Timestamp) -> str:
    """'28 February 2023'."""
    return f"{ts.day} {ts:%B %Y}"


def year_label(year: int, period: Period) -> str:
    """A year of dated data as the range covers it: '2023 to 28 February' when the range ends
    inside it, '2022 from 24 February' when it starts inside it, the year alone when whole."""
    starts_inside = period.start.year == year and (period.start.month, period.start.day) != (1, 1)
    ends_inside = period.end.year == year and (period.end.month, period.end.day) != (12, 31)
    if starts_inside and ends_inside:
        return (
            f"{year} from {period.start.day} {period.start:%B} to {period.end.day} {period.end:%B}"
        )
    if starts_inside:
        return f"{year} from {period.start.day} {period.start:%B}"
    if ends_inside:
        return f"{year} to {period.end.day} {period.end:%B}"
    return str(year)
