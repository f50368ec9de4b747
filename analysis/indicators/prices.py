"""Prices: current US dollars into constant dollars of one year, with the US CPI-U.

Source: ``us_cpi.csv`` (BLS CPI-U, U.S. city average, all items, annual averages). A value of
year t in dollars of year b is value_t · CPI_b / CPI_t. The CPI-U deflates by US consumer
prices, the usual deflator for dollar-denominated trade in the absence of a China–Russia trade
price index; it is not a volume measure (oil prices move China–Russia trade more than US
consumer prices do), which is why the briefing prints it beside the current-dollar series.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators._common import IndicatorError, require_columns


def constant_dollars(
    values: pd.Series, cpi: pd.DataFrame, *, base_year: int | None = None
) -> pd.Series:
    """``values`` (US dollars, indexed by year) in dollars of ``base_year`` (default: the latest
    year with both a value and a CPI). Years without a CPI are NaN."""
    require_columns(cpi, ["year", "cpi_u"], "us_cpi")
    index = cpi.set_index("year")["cpi_u"].astype(float)
    if index.index.duplicated().any():
        raise IndicatorError("us_cpi has two values for one year")
    years = pd.Index(values.index, name=values.index.name)
    if base_year is None:
        both = [y for y in values.dropna().index if y in index.index]
        if not both:
            raise IndicatorError("no year has both a value and a CPI; see data/us_cpi.csv")
        base_year = int(max(both))
    if base_year not in index.index:
        raise IndicatorError(
            f"no CPI for base year {base_year}; us_cpi.csv covers "
            f"{int(index.index.min())}–{int(index.index.max())}"
        )
    factor = index[base_year] / index.reindex(years)
    return (values * factor.to_numpy()).rename(values.name)
