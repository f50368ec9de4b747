"""A briefing as of a day: every dataset cut at that day, the composite computed on that vintage.

Property tests over random days (hypothesis): nothing dated after the day survives the cut, a
yearly value enters only once its year has ended, and the composite of the vintage has no year
after the day and rests only on the cut data.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.data import load_all
from analysis.data.loader import coverage_columns, read_meta
from analysis.model.composite import yearly_components

DAYS = st.dates(
    min_value=pd.Timestamp("1995-01-01").date(), max_value=pd.Timestamp("2026-05-19").date()
)


@pytest.fixture(scope="module")
def ds():
    return load_all()


@settings(max_examples=25, deadline=None)
@given(day=DAYS)
def test_nothing_after_the_day_survives_the_cut(ds, day):
    day = pd.Timestamp(day)
    cut = ds.cut(day)
    last_full_year = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    for name, frame in cut.items():
        meta = read_meta(name, ds.data_dir)
        for col in coverage_columns(meta):
            if col not in frame.columns or frame[col].isna().all():
                continue
            if meta["columns"][col]["type"] == "date":
                assert frame[col].max() <= day, (name, col)
            else:
                assert frame[col].max() <= last_full_year, (name, col)
        _start, end = cut.coverage(name)
        assert end is None or end <= day


@settings(max_examples=8, deadline=None)
@given(day=DAYS)
def test_the_composite_of_a_vintage_ends_at_the_day_and_uses_only_the_cut_data(ds, day):
    day = pd.Timestamp(day)
    vintage = yearly_components(ds.cut(day))
    assert vintage.index.max() == day.year
    # the same components computed on a copy holding only the rows kept, read from scratch
    again = yearly_components(ds.cut(day).cut(day))
    pd.testing.assert_frame_equal(vintage, again)


def test_cut_on_a_year_end_keeps_that_year_and_not_before(ds):
    cut = ds.cut("2015-12-31")
    assert cut.trade["year"].max() == 2015
    assert ds.cut("2016-06-30").trade["year"].max() == 2015
    assert ds.cut("2016-06-30").events["date"].max() <= pd.Timestamp("2016-06-30")


def test_a_briefing_as_of_a_day_quotes_nothing_from_after_it():
    from analysis.render.briefing import Briefing

    brief = Briefing("2012-01-01", "2023-02-28", as_of="2023-02-28")
    for key in brief.section_keys():
        brief.section(key)
    numbers = brief.numbers()
    assert numbers.values["composite.latest_year"]["value"] <= 2023
    assert numbers.values["economic.last_value"]["value"] is not None
    assert "as of 28 February 2023" in numbers.document["data_vintage"]
    today = Briefing("2012-01-01", "2023-02-28")
    assert brief.ds.trade["year"].max() == 2022 < today.ds.trade["year"].max()
