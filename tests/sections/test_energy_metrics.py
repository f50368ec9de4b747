"""The Energy and money facts on the bundled data: what a range quotes and what it leaves out."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import load_all
from analysis.model.periods import NONE, Period
from analysis.sections.energy import metrics as energy_money


@pytest.fixture(scope="module")
def ds():
    return load_all()


def _facts(ds, a, b):
    return energy_money(ds, Period(pd.Timestamp(a), pd.Timestamp(b)))


def test_a_range_before_the_data_is_not_measurable(ds):
    assert _facts(ds, "1990-01-01", "1999-12-31") == {"coverage": NONE}


def test_the_war_range_counts_whole_years_only(ds):
    f = _facts(ds, "2022-02-24", "2025-12-31")
    assert f["crude_mt_first_when"] == "2023"  # 2022 is not wholly inside the range
    assert f["crude_share_first"] == pytest.approx(107 / 563.99)
    assert f["pos_bcm_last"] == 38.8
    assert f["cny_share_rus_exports_first_when"] == "September 2022"


def test_the_gaps_of_the_crude_series_are_listed(ds):
    f = _facts(ds, "2005-01-01", "2018-12-31")
    assert f["crude_missing"] == list(range(2006, 2017))
    assert f["crude_share_first_computed"] is False  # 2005: as the source states it
    assert f["crude_share_last_computed"] is True  # 2018: 71.49 / 461.9


def test_the_asymmetry_uses_the_latest_year_with_both_shares(ds):
    f = _facts(ds, "2000-01-01", "2025-12-31")
    assert f["asym_year"] == 2023
    assert f["asym_chn"] / f["asym_rus"] == pytest.approx(f["asym_ratio"])
    assert f["asym_chn"] > 0.3 and f["asym_rus"] < 0.05
