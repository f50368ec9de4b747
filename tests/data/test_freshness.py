"""How current each dataset is, on tiny frames: the last observation of a date or a year
column, the whole months to a range's end, and the refusals."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.freshness import dated, freshness, last_observation


def test_last_observation_of_dates_and_of_years():
    days = pd.DataFrame({"date": pd.to_datetime(["2024-03-01", "2025-05-08", None])})
    assert last_observation(days, ["date"]) == (pd.Timestamp("2025-05-08"), "day")
    years = pd.DataFrame({"year": pd.array([2023, 2024], dtype="Int64")})
    assert last_observation(years, ["year"]) == (pd.Timestamp("2024-12-31"), "year")
    both = pd.DataFrame({"date": pd.to_datetime(["2025-01-02"]), "year": [2024]})
    assert last_observation(both, ["date", "year"]) == (pd.Timestamp("2025-01-02"), "day")
    assert last_observation(pd.DataFrame({"date": pd.to_datetime([])}), ["date"]) == (None, "")


class _Data:
    """A stand-in for Datasets with two datasets and the bundled sidecars of their names."""

    def __init__(self, frames, coverage):
        from analysis import config

        self._frames, self._coverage, self.data_dir = frames, coverage, config.DATA_DIR

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._frames:
            raise AttributeError(f"no dataset {name!r}")
        return self._frames[name]

    def coverage(self, name):
        return self._coverage[name]


def test_months_before_the_end_and_what_the_compilers_searched():
    ds = _Data(
        {
            "unsc_vetoes": pd.DataFrame({"date": pd.to_datetime(["2026-04-07"])}),
            "trade": pd.DataFrame({"year": [2025]}),
        },
        {
            "unsc_vetoes": (pd.Timestamp("1946-02-16"), pd.Timestamp("2026-11-30")),
            "trade": (pd.Timestamp("1992-01-01"), pd.Timestamp("2025-12-31")),
        },
    )
    out = freshness(ds, ["unsc_vetoes", "trade"], "2026-11-30").set_index("dataset")
    # April 2026 -> November 2026: 7 whole months; the year 2025 counts to December 2025: 11
    assert out.loc["unsc_vetoes", "months_before_end"] == 7
    assert out.loc["trade", "months_before_end"] == 11
    assert out.loc["unsc_vetoes", "searched_to"] == pd.Timestamp("2026-11-30")
    assert out.loc["trade", "precision"] == "year"
    # an observation at or after the end reaches it
    assert freshness(ds, ["unsc_vetoes"], "2026-03-01")["months_before_end"].iloc[0] == 0
    # a dataset with no row yet (an as-of day before its first) has no last observation
    ds._frames["trade"] = pd.DataFrame({"year": pd.array([], dtype="Int64")})
    row = freshness(ds, ["trade"], "1990-01-01").iloc[0]
    assert pd.isna(row["last_observation"]) and row["months_before_end"] is None


def test_a_dataset_without_dated_rows_or_unknown_is_refused():
    ds = _Data({"cameo_goldstein": pd.DataFrame({"code": ["010"]})}, {})
    with pytest.raises(ValueError, match="no dated rows"):
        freshness(ds, ["cameo_goldstein"], "2026-01-01")
    with pytest.raises(AttributeError, match="no dataset 'nowhere'"):
        freshness(ds, ["nowhere"], "2026-01-01")
    assert dated(ds, ["cameo_goldstein", "unsc_vetoes"]) == ["unsc_vetoes"]
