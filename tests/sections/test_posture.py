"""China's war posture and the SCO/BRICS facts: hand-made frames and the bundled data."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.data import load_all
from analysis.sections.organisations import membership, organisation_facts
from analysis.sections.posture import posture_facts


@pytest.fixture(scope="module")
def ds():
    return load_all()


def test_key_events_are_bilateral_only():
    """Third parties' actions (sanctions on Chinese firms, votes on the war) stay in the posture
    section: every key event of the war's first year is a row of the bilateral chronology."""
    from analysis.render.briefing import Briefing
    from analysis.sections.key_events import chosen

    brief = Briefing("2022-02-24", "2023-02-22")
    events, _ = chosen(brief.context)
    bilateral = set(brief.ds.events["description"])
    assert len(events) and set(events["description"]) <= bilateral
    assert not set(events["description"]) & set(brief.ds.war_posture["description"])


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
    # Samarkand 2022 and Astana 2024 in person, the 2023 summit by video: 2 of 3
    assert (f["SCO"]["summits"], f["SCO"]["summits_both"]) == (3, 2)
