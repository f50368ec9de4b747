"""China's posture on Russia's war, and the SCO and BRICS, as facts of a period.

:func:`posture_facts` counts what ``war_posture.csv`` and ``sanctions_prc_entities.csv`` record
inside [start, end]; :func:`with_posture` merges the war-posture chronology into the bilateral
one for the key-events table (an event in both, such as Xi's March 2023 state visit, once);
:func:`membership` gives each organisation's members at a date. Plain values; None or 0 where
the data hold nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.data.loader import Datasets, coverage

#: CAMEO codes of war_posture.csv (data/README.md): 012 China declines to side with Russia (an
#: abstention), 052 China votes with Russia, 111 a Chinese protest, 130 a US warning.
ABSTAIN, WITH_RUSSIA, PROTEST = "012", "052", "111"


def _inside(frame: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    return frame[(frame[column] >= pd.Timestamp(start)) & (frame[column] <= pd.Timestamp(end))]


def posture_facts(ds: Datasets, start, end) -> dict[str, Any]:
    """Counts of the war-posture chronology and the designation rounds inside [start, end]."""
    first, last = coverage("war_posture", ds.data_dir)
    out: dict[str, Any] = {"covered": not (pd.Timestamp(end) < first or pd.Timestamp(start) > last)}
    if not out["covered"]:
        return out
    ev = _inside(ds.war_posture, "date", start, end)
    chn = ev["actor1"] == "CHN"
    votes = ev["category"] == "un_vote"
    out.update(
        n=len(ev),
        abstained=int((votes & chn & (ev["cameo_code"] == ABSTAIN)).sum()),
        with_russia=int((votes & chn & (ev["cameo_code"] == WITH_RUSSIA)).sum()),
        us_warnings=int(((ev["actor1"] == "USA") & (ev["category"] == "warning")).sum()),
        peace_documents=int((chn & (ev["category"] == "position_paper")).sum()),
        ukraine_contacts=int((chn & (ev["actor2"] == "UKR")).sum()),
        protests=int((chn & (ev["cameo_code"] == PROTEST)).sum()),
        first=None if ev.empty else f"{ev['date'].min():%Y-%m-%d}",
        last=None if ev.empty else f"{ev['date'].max():%Y-%m-%d}",
    )
    rounds = _inside(ds.sanctions_prc_entities, "date", start, end)
    counted = rounds["n_prc_entities"].dropna()
    out.update(
        rounds=len(rounds),
        authorities=int(rounds["authority"].str.split("-").str[0].nunique()),
        entities_stated=int(counted.sum()),
        rounds_without_count=int(rounds["n_prc_entities"].isna().sum()),
    )
    return out


def with_posture(events: pd.DataFrame, posture: pd.DataFrame) -> pd.DataFrame:
    """The bilateral chronology with the war-posture events added (same columns), an event
    recorded in both (same day, category and actor1) once, from the bilateral chronology."""
    cols = [
        "date",
        "actor1",
        "cameo_code",
        "category",
        "significance",
        "description",
        "source",
        "source_url",
    ]
    both = pd.concat([events[cols], posture[cols]], ignore_index=True)
    return both.drop_duplicates(["date", "category", "actor1"], keep="first")


def membership(ds: Datasets, organisation: str, when) -> list[str]:
    """Members of ``organisation`` on ``when``: founders and accessions on or before it, less
    withdrawals (observers, invitations and applications are not members)."""
    org = ds.organisations
    rows = org[(org["organisation"] == organisation) & (org["date"] <= pd.Timestamp(when))]
    rows = rows.sort_values("date")
    members: list[str] = []
    for member, event in zip(rows["member"], rows["event"], strict=True):
        if event in ("founding", "accession") and member not in members:
            members.append(member)
        elif event == "withdrawal" and member in members:
            members.remove(member)
    return members


def organisation_facts(ds: Datasets, start, end) -> dict[str, Any]:
    """Per organisation: members at the end, states that joined in the range, summits in the
    range and those both Xi and Putin attended in person."""
    out: dict[str, Any] = {}
    summits = _inside(ds.organisation_summits, "date", start, end)
    for org in ("SCO", "BRICS"):
        at_end = membership(ds, org, end)
        before = membership(ds, org, pd.Timestamp(start) - pd.Timedelta(days=1))
        held = summits[summits["organisation"] == org]
        both = (held["xi_attended"] == "yes") & (held["putin_attended"] == "yes")
        out[org] = {
            "members_end": len(at_end),
            "joined": [m for m in at_end if m not in before],
            "summits": len(held),
            "summits_both": int(both.sum()),
        }
    return out
