"""One contract over every exported indicator that takes a date range.

Each dated indicator: refuses bad dates with an IndicatorError that says what to pass, returns the
tidy columns (or its documented shape) for a range, and an empty, well-formed result for a range
the data do not reach. A new indicator with ``start``/``end`` keywords must be listed here: the
last test fails otherwise.
"""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import analysis.indicators as I
from analysis.data import load_all
from analysis.indicators import TIDY_COLUMNS, IndicatorError


@pytest.fixture(scope="module")
def ds():
    return load_all()


def _calls(ds) -> dict:
    coded = I.attach_goldstein(ds.events, ds.cameo_goldstein)
    votes = I.votes_long(ds.unga_roll_calls, ds.unga_votes)
    series = I.choose_arms_series(ds.arms_transfers)
    record = I.record_votes_long(ds.unga_record_roll_calls, ds.unga_record_votes)
    sessions = ds.unga_session_scores
    return {
        "pair_agreement": lambda **kw: I.pair_agreement(record, "CHN", "RUS", **kw),
        "agreement_by_issue": lambda **kw: I.agreement_by_issue(record, "CHN", "RUS", **kw),
        "agreement_series": lambda **kw: I.agreement_series(record, sessions, "CHN", "RUS", **kw),
        "ideal_point_distance": lambda **kw: I.ideal_point_distance(sessions, "CHN", "RUS", **kw),
        "meetings_per_year": lambda **kw: I.meetings_per_year(ds.events, **kw),
        "agreements_per_year": lambda **kw: I.agreements_per_year(ds.events, **kw),
        "partnership_level": lambda **kw: I.partnership_level(ds.partnership_designations, **kw),
        "designations_within": lambda **kw: I.designations_within(
            ds.partnership_designations, **kw
        ),
        "event_scores": lambda **kw: I.event_scores(coded, **kw),
        "rolling_event_scores": lambda **kw: I.rolling_event_scores(coded, **kw),
        "events_summary": lambda **kw: I.events_summary(coded, **kw),
        "significant_events": lambda **kw: I.significant_events(ds.events, **kw),
        "vetoes_per_year": lambda **kw: I.vetoes_per_year(ds.unsc_vetoes, **kw),
        "veto_summary": lambda **kw: I.veto_summary(ds.unsc_vetoes, **kw),
        "veto_counts": lambda **kw: I.veto_counts(ds.unsc_vetoes, members=("CHN",), **kw),
        "unga_agreement": lambda **kw: I.unga_agreement(votes, **kw),
        "agreement_overall": lambda **kw: I.agreement_overall(votes, **kw),
        "trade_indicators": lambda **kw: I.trade_indicators(ds.trade, **kw),
        "trade_cagr": lambda **kw: I.trade_cagr(ds.trade, **kw),
        "exercises_per_year": lambda **kw: I.exercises_per_year(ds.military_cooperation, **kw),
        "arms_tiv": lambda **kw: I.arms_tiv(ds.arms_transfers, series=series, **kw),
        "choose_arms_series": lambda **kw: I.choose_arms_series(ds.arms_transfers, **kw),
        "energy_indicators": lambda **kw: I.energy_indicators(ds.energy, **kw),
        "dependence_indicators": lambda **kw: I.dependence_indicators(
            ds.trade_dependence, ds.trade, **kw
        ),
        "yuan_shares": lambda **kw: I.yuan_shares(ds.yuan_settlements, **kw),
        "per_month": lambda **kw: I.per_month(ds.military_cooperation["start_date"], "x", **kw),
        "trade_monthly_indicators": lambda **kw: I.trade_monthly_indicators(ds.trade_monthly, **kw),
        "spread_key_events": lambda **kw: I.spread_key_events(coded, **kw),
    }


#: Indicators that return a tidy frame (the others return a dict, a count or a row subset).
TIDY = {
    "meetings_per_year",
    "agreements_per_year",
    "partnership_level",
    "event_scores",
    "rolling_event_scores",
    "vetoes_per_year",
    "unga_agreement",
    "trade_indicators",
    "exercises_per_year",
    "arms_tiv",
    "energy_indicators",
    "per_month",
    "trade_monthly_indicators",
}


@pytest.mark.parametrize(
    ("kwargs", "hint"),
    [
        ({"start": "2020-13-01"}, "YYYY-MM-DD"),
        ({"end": "yesterday-ish"}, "YYYY-MM-DD"),
        ({"start": 2014}, "not a date"),
        ({"start": "2021-01-01", "end": "2019-01-01"}, "swap"),
    ],
)
def test_bad_dates_are_refused_by_every_indicator(ds, kwargs, hint):
    for name, call in _calls(ds).items():
        with pytest.raises(IndicatorError, match=hint):
            call(**kwargs)
            pytest.fail(f"{name} accepted {kwargs}")


def test_tidy_indicators_return_the_tidy_columns(ds):
    for name, call in _calls(ds).items():
        if name in TIDY:
            out = call(start="2014-01-01", end="2016-12-31")
            assert list(out.columns) == TIDY_COLUMNS, name
            assert len(out) and out["period"].between("2014-01-01", "2016-12-31").all(), name


def test_a_range_before_the_data_gives_a_well_formed_result(ds):
    for name, call in _calls(ds).items():
        out = call(start="1989-01-01", end="1989-01-31")
        if isinstance(out, pd.DataFrame) and name in TIDY:
            assert list(out.columns) == TIDY_COLUMNS, name
            counted = out.loc[out["indicator"].str.contains("count|meetings|vetoes_"), "value"]
            assert (counted.fillna(0) == 0).all(), name  # nothing happened: zeros, never invented


def test_every_dated_indicator_is_under_contract(ds):
    dated = {
        name
        for name in I.__all__
        if callable(fn := getattr(I, name))
        and not isinstance(fn, type)
        and {"start", "end"} <= set(inspect.signature(fn).parameters)
    }
    assert dated == set(_calls(ds)), dated ^ set(_calls(ds))
