"""China's war posture and the SCO/BRICS facts: hand-made frames and the bundled data."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.data import load_all
from analysis.sections.key_events import posture_facts, with_posture
from analysis.sections.organisations import membership, organisation_facts


@pytest.fixture(scope="module")
def ds():
    return load_all()


def test_with_posture_keeps_an_event_recorded_twice_once():
    cols = ["date", "actor1", "cameo_code", "category", "significance", "description", "source",
            "source_url"]  # fmt: skip
    row = [
        pd.Timestamp("2023-03-20"),
        "CHN",
        "042",
        "state_visit",
        3,
        "Xi in Moscow",
        "a",
        "http://a",
    ]
    events = pd.DataFrame([row], columns=cols)
    posture = pd.DataFrame(
        [[*row[:5], "Xi arrives", "b", "http://b"], [pd.Timestamp("2023-02-24"), "CHN", "010",
         "position_paper", 3, "Paper", "c", "http://c"]],
        columns=cols,
    )  # fmt: skip
    merged = with_posture(events, posture)
    assert list(merged["description"]) == ["Xi in Moscow", "Paper"]


def test_membership_counts_founders_and_accessions_not_observers():
    org = pd.DataFrame(
        {
            "organisation": ["SCO"] * 4,
            "date": pd.to_datetime(["2001-06-15", "2005-07-05", "2017-06-09", "2001-06-15"]),
            "member": ["CHN", "IND", "IND", "RUS"],
            "event": ["founding", "observer", "accession", "founding"],
        }
    )
    ds = SimpleNamespace(organisations=org)
    assert membership(ds, "SCO", "2010-01-01") == ["CHN", "RUS"]
    assert membership(ds, "SCO", "2017-06-09") == ["CHN", "RUS", "IND"]
    assert membership(ds, "SCO", "2000-01-01") == []


def test_posture_before_the_war_is_not_covered(ds):
    assert posture_facts(ds, "2015-01-01", "2019-12-31") == {"covered": False}


def test_posture_in_february_2023(ds):
    f = posture_facts(ds, "2023-02-01", "2023-02-28")
    assert f["us_warnings"] == 2 and f["peace_documents"] == 1 and f["abstained"] == 1
    assert f["rounds"] == 0


def test_sco_and_brics_at_the_end_of_2024(ds):
    f = organisation_facts(ds, "2022-02-24", "2024-12-31")
    assert f["SCO"]["members_end"] == 10 and f["SCO"]["joined"] == ["IRN", "BLR"]
    assert f["BRICS"]["joined"] == ["ARE", "EGY", "ETH", "IRN"]  # Indonesia: January 2025
