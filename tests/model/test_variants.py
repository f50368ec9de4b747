"""The composite under the leader-contacts rule, beside the default."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.indicators import leader_calls, leader_visits
from analysis.model.components import COMPONENTS
from analysis.model.variants import (
    LEADER_CONTACTS,
    _leader_contacts,
    leader_contacts_comparison,
    with_component,
    year_change,
)


def _events():
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-03-19", "2020-04-16", "2019-06-05", "2019-06-06"]),
            "category": ["phone_call", "phone_call", "state_visit", "state_visit"],
            "leader_level": ["yes", "no", "yes", "yes"],
            "visit_id": [None, None, "2019-06-xi-moscow", "2019-06-xi-moscow"],
        }
    )


def test_leader_calls_are_leader_level_calls_only():
    assert leader_calls(_events()).tolist() == [True, False, False, False]


def test_contacts_count_one_visit_once_and_each_leader_call():
    class DS:
        events = _events()

    obs = _leader_contacts(DS())
    assert sorted(obs["date"].dt.strftime("%Y-%m-%d")) == ["2019-06-05", "2020-03-19"]
    assert leader_visits(DS.events).sum() == 1


def test_with_component_replaces_by_key_and_keeps_order_and_weights():
    comps = with_component(LEADER_CONTACTS)
    assert [c.key for c in comps] == [c.key for c in COMPONENTS]
    assert sum(c.weight for c in comps) == pytest.approx(sum(c.weight for c in COMPONENTS))
    with pytest.raises(KeyError, match="no component"):
        with_component(type(LEADER_CONTACTS)(**{**LEADER_CONTACTS.__dict__, "key": "nope"}))


@pytest.fixture(scope="module")
def data():
    from analysis.data.loader import load_all
    from analysis.model.composite import composite_index

    ds = load_all()
    return ds, composite_index(ds)


def test_counting_calls_removes_most_of_the_2020_drop(data):
    ds, result = data
    table = leader_contacts_comparison(ds, result).set_index("year")
    # The chronology has no leader meeting in 2020–21 and five calls in 2020.
    assert table.loc[2020, "meetings"] == 0 and table.loc[2020, "contacts"] == 5
    assert table.loc[2020, "index_contacts"] > table.loc[2020, "index_default"]
    assert not table["meetings"].isna().any()


def test_year_change_is_none_without_a_value(data):
    _, result = data
    assert year_change(result, 1700, 2020) is None
    assert year_change(result, 2019, 2020) == pytest.approx(
        result.index.loc[2020, "composite"] - result.index.loc[2019, "composite"]
    )
