"""The public API: every name ``analysis`` exports is documented in its docstring, imports, and
works on the bundled data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import analysis


def test_every_exported_name_is_in_the_docstring_table_and_nothing_else_is():
    documented = set(re.findall(r"^``([A-Za-z_]+)[(`]", analysis.__doc__, flags=re.M))
    documented |= set(re.findall(r"``([A-Za-z_]+)``, ``([A-Za-z_]+)``", analysis.__doc__)[0])
    documented |= {"DataError", "Datasets", "summary"}
    assert set(analysis.__all__) <= documented, set(analysis.__all__) - documented
    with pytest.raises(AttributeError, match="no attribute 'change_points'"):
        analysis.change_points  # noqa: B018  (moved away; the error names it)


@pytest.fixture(scope="module")
def ds():
    return analysis.load_all()


def test_every_exported_function_runs_on_the_bundled_data(ds):
    a = analysis
    assert {"events", "leader_contacts"} <= set(ds.names()) and isinstance(ds, a.Datasets)
    assert len(a.load("episodes")) >= 30
    assert len(a.citations()) == len(ds.names()) and len(a.summary()) == len(ds.names())
    start, end = "2012-01-01", "2022-12-31"
    tidy = [
        a.meetings_per_year(ds.events, start=start, end=end),
        a.agreements_per_year(ds.events, start=start, end=end),
        a.partnership_level(ds.partnership_designations, start=start, end=end),
        a.vetoes_per_year(ds.unsc_vetoes, start=start, end=end),
        a.trade_indicators(ds.trade, start=start, end=end),
        a.exercises_per_year(ds.military_cooperation, start=start, end=end),
    ]
    long = a.record_votes_long(ds.unga_record_roll_calls, ds.unga_record_votes)
    tidy.append(a.pair_agreement(long, "CHN", "RUS", start=start, end=end))
    tidy.append(a.agreement_by_issue(long, "CHN", "USA", start=start, end=end))
    for frame in tidy:
        assert {"period", "indicator", "value"} <= set(frame.columns) and len(frame)
    assert "goldstein" in a.attach_goldstein(ds.events, ds.cameo_goldstein).columns
    assert len(a.COMPONENTS) == 8
    measure = a.measure_dyads(ds)
    monthly = a.measure_dyads_by_month(ds)
    assert set(measure.index) == set(monthly.index) == {"CHN-RUS", "CHN-USA", "RUS-USA"}
    result = a.composite_index(ds, dyad="RUS-USA")
    assert result.dyad == "RUS-USA" and result.series().between(-9, 9).all()
    contrib = a.contributions(result, 2012, 2022)
    assert sum(contrib.values()) == pytest.approx(
        result.index["composite"][2022] - result.index["composite"][2012]
    )
    assert set(a.leave_one_out(result)["component"]) == set(result.weights)
    from analysis.model.periods import Period

    facts = a.triangle_facts(measure, Period(pd.Timestamp(start), pd.Timestamp(end)))
    assert facts["RUS-USA"]["verdict"] in ("cooled", "warmed", "held steady", "no clear move")
    assert a.trend(result.series(), start=start, end=end).n == 11
    step = a.model_step(ds)
    assert step.yearly.weights == measure.weights
    assert len(a.episode_table(measure, ds.episodes)) == len(ds.episodes)
    assert {"verdict", "computed"} <= set(a.check_claims(ds).columns)
    with pytest.raises(a.ParameterError):
        a.Briefing("2012-13-01")
    assert callable(a.build) and callable(a.Explorer)
