"""Content checks of data/us_cpi.csv (BLS CPI-U annual averages) beyond the generic sidecar tests.

The generic tests in test_loader.py already load the file against its sidecar (types, key, URLs,
coverage). These check what a deflator needs and what data/README.md (us_cpi) states: one row per
year with no gap, BLS's rounding (one decimal before 2007, three from 2007), prices rising in all
years but 2009, and anchor values read in the BLS tables.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from analysis import config
from analysis.data import loader as data

CSV = config.DATA_DIR / "us_cpi.csv"


@pytest.fixture(scope="module")
def cpi():
    return data.load("us_cpi").set_index("year").sort_index()


@pytest.fixture(scope="module")
def raw_cells() -> dict[int, str]:
    """cpi_u as written in the CSV (text), to check the printed number of decimals."""
    with CSV.open(newline="", encoding="utf-8") as fh:
        return {int(r["year"]): r["cpi_u"] for r in csv.DictReader(fh)}


def test_one_row_per_year_from_1992_to_the_last_year_without_gaps(cpi):
    years = list(cpi.index)
    assert years[0] == 1992
    assert years == list(range(1992, years[-1] + 1))


def test_values_carry_bls_rounding_one_decimal_before_2007_three_from_2007(raw_cells):
    for year, cell in raw_cells.items():
        decimals = -Decimal(cell).as_tuple().exponent
        assert decimals == (1 if year < 2007 else 3), f"{year}: {cell}"


def test_prices_rise_every_year_except_2009(cpi):
    change = cpi["cpi_u"].diff().dropna()
    assert list(change[change <= 0].index) == [2009]


def test_anchor_values_read_in_bls_tables(cpi):
    # cpiai.txt (BLS, 02-20-2014): 1992 140.3, 2007 207.342; BLS ro3xg01: 2024 313.689
    assert cpi.loc[1992, "cpi_u"] == pytest.approx(140.3)
    assert cpi.loc[2007, "cpi_u"] == pytest.approx(207.342)
    assert cpi.loc[2015, "cpi_u"] == pytest.approx(237.0, abs=0.05)
    assert cpi.loc[2024, "cpi_u"] == pytest.approx(313.689)


def test_only_the_years_without_a_bls_annual_table_are_derived(cpi):
    derived = list(cpi.index[cpi["method"] == "derived_from_monthly"])
    assert derived == list(range(2014, 2024))
    assert cpi.loc[derived, "note"].str.contains("mean of the 12 monthly").all()


def test_the_2025_row_says_it_rests_on_eleven_months(cpi):
    if 2025 not in cpi.index:
        pytest.skip("no 2025 row")
    assert "11 published monthly" in cpi.loc[2025, "note"]
