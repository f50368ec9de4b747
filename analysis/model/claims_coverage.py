"""When the data cannot check a claim because of what they cover: :class:`NotCheckable`, and the
coverage checks the claims tests of :mod:`analysis.model.claims` share (a dataset's coverage in
the vintage a claim is checked on, against the dates the claim is about)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.data.loader import Datasets, coverage


class NotCheckable(Exception):
    """The data do not cover what a claim is about; the message says why."""


def covered(ds: Datasets, name: str) -> tuple[Any, Any]:
    """A dataset's coverage in this vintage (cut at its day), so that a claim reaching past it
    is not checkable, whether the data were cut by --as-of or are a folder as it then stood."""
    cut = getattr(ds, "coverage", None)
    return cut(name) if callable(cut) else coverage(name, ds.data_dir)


def before_coverage(ds: Datasets, name: str, what: str) -> tuple[Any, Any]:
    """The dataset's coverage in this vintage; NotCheckable when the vintage ends before it
    begins (the data as of that day hold none of it)."""
    first, last = covered(ds, name)
    if first is not None and last is not None and last < first:
        raise NotCheckable(
            f"{what} begins {first:%Y-%m-%d}; the data as of {last:%Y-%m-%d} hold none of it"
        )
    return first, last


def check_period(ds: Datasets, name: str, what: str, start: Any = None, end: Any = None) -> None:
    """NotCheckable when [start, end] runs past the dataset's coverage in this vintage, begins
    after it or ends before it (a period that begins before it and ends inside it is counted
    from its first day: the record starts there)."""
    first, last = before_coverage(ds, name, what)
    for day in (end, start):
        if day and last is not None and pd.Timestamp(day) > last:
            raise NotCheckable(f"{what} ends {last:%Y-%m-%d}, before {day}")
    if end and first is not None and pd.Timestamp(end) < first:
        raise NotCheckable(f"{what} begins {first:%Y-%m-%d}, after {end}")
