"""What to watch on a tiny calendar: the horizon after the range's end, dates as precise as the
source, and the status said in words."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sections import watch as W


def calendar() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2026-11-30", "2027-01-01", "2027-02-01", "2028-07-01"]),
            "date_precision": ["day", "year", "month", "day"],
            "event": ["On the end day", "A presidency", "A rotation", "Too far"],
            "dyads": ["CHN-RUS", "CHN-USA;RUS-USA", "CHN-RUS", "CHN-RUS"],
            "why": ["w"] * 4,
            "status": ["scheduled", "announced", "expected", "scheduled"],
            "source": ["Publisher, title"] * 4,
            "source_url": ["https://example.org/a"] * 4,
        }
    )


def test_upcoming_is_after_the_end_and_within_the_horizon():
    rows = W.upcoming(calendar(), pd.Timestamp("2026-11-30"))
    assert rows["event_id"].tolist() == ["b", "c"]  # not the end day itself, not 19 months on


def test_the_table_says_dates_as_precisely_as_the_source_and_the_status_in_words():
    table = W.watch_table(W.upcoming(calendar(), pd.Timestamp("2026-11-30")))
    assert table["When"].tolist() == [
        "2027 (announced)",
        "February 2027 (expected: the Council's monthly rotation)",
    ]
    assert table["Event"].iloc[0] == "A presidency (China–USA, Russia–USA)"


def test_an_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="day, month or year"):
        W.when(pd.Timestamp("2027-01-01"), "week")
