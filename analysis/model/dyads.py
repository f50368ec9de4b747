"""The composite's observations for any dyad of the strategic triangle (China, Russia, USA).

Each function takes the datasets and a dyad (``"CHN-RUS"``, ``"CHN-USA"``, ``"RUS-USA"``) and
returns the dated observations that :func:`analysis.model.components.evaluate` aggregates, in the
same columns as the China–Russia observation functions. The component registry names them
(``Component.dyad_observe``); a component without one is measured for China–Russia only (joint
exercises, joint vetoes) and stays out of the triangle (see :mod:`analysis.model.triangle`).

Where the dyads' data differ the rule is stated here once:

- chronology: ``events.csv`` for China–Russia, ``us_events.csv`` (rows of the pair, SUN counted
  as RUS) for the two US dyads, both coded with ``cameo_goldstein.csv``;
- official framing: ``us_designations.csv`` (one 1–5 scale for both US dyads); China–Russia's
  designation ladder is put on that scale by :data:`LADDER_ON_FRAMING_SCALE` (every designation
  naming a partnership in force is 5, "friendly countries" 4, normalisation 3);
- trade: China's customs totals (``trade.csv``) for China–Russia; for a US dyad the one reporter
  with the most years in ``us_trade.csv`` (never two reporters in one series), the year's
  stated total, else the sum of the year's two stated flows of that reporter;
- General Assembly: the identical-vote share of the pair on the whole record (the same
  definition for every pair).
"""

from __future__ import annotations

import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import (
    agreement_series,
    attach_goldstein,
    cooperation_sign,
    leader_visits,
    pair_votes,
    record_votes_long,
    trade_indicators,
)

DYADS: tuple[str, ...] = ("CHN-RUS", "CHN-USA", "RUS-USA")
MEMBERS: dict[str, tuple[str, str]] = {d: (d[:3], d[4:]) for d in DYADS}
NAMES: dict[str, str] = {"CHN-RUS": "China–Russia", "CHN-USA": "China–USA", "RUS-USA": "Russia–USA"}

#: China–Russia designation level (1–7 ladder) -> the 1–5 framing scale of us_designations.csv.
LADDER_ON_FRAMING_SCALE: dict[int, int] = {1: 3, 2: 4, 3: 5, 4: 5, 5: 5, 6: 5, 7: 5}

#: The datasets each shared component rests on, per dyad (coverage blanking, source lines).
DYAD_DATASETS: dict[str, dict[str, tuple[str, ...]]] = {
    "partnership_level": {"CHN-RUS": ("partnership_designations",), "US": ("us_designations",)},
    "leader_meetings": {"CHN-RUS": ("events",), "US": ("us_events",)},
    "net_cooperation": {
        "CHN-RUS": ("events", "cameo_goldstein"),
        "US": ("us_events", "cameo_goldstein"),
    },
    "unga_agreement": {
        "CHN-RUS": ("unga_record_roll_calls", "unga_record_votes", "unga_session_scores"),
        "US": ("unga_record_roll_calls", "unga_record_votes", "unga_session_scores"),
    },
    "log_trade": {"CHN-RUS": ("trade",), "US": ("us_trade",)},
}


def check_dyad(dyad: str) -> str:
    if dyad not in DYADS:
        raise ValueError(f"unknown dyad {dyad!r}; choose from {list(DYADS)}")
    return dyad


def datasets_for(key: str, dyad: str) -> tuple[str, ...]:
    """The datasets component ``key`` rests on for ``dyad``."""
    by = DYAD_DATASETS[key]
    return by["CHN-RUS"] if check_dyad(dyad) == "CHN-RUS" else by["US"]


def dyad_events(ds: Datasets, dyad: str) -> pd.DataFrame:
    """The chronology rows of a dyad (China–Russia: events.csv; US dyads: us_events.csv)."""
    if check_dyad(dyad) == "CHN-RUS":
        return ds.events
    ev = ds.us_events
    a1 = ev["actor1"].replace({"SUN": "RUS"})
    a2 = ev["actor2"].replace({"SUN": "RUS"})
    a, b = MEMBERS[dyad]
    return ev[((a1 == a) & (a2 == b)) | ((a1 == b) & (a2 == a))]


def framing(ds: Datasets, dyad: str) -> pd.DataFrame:
    """Official framing on the shared 1–5 scale, dated (a state: in force until the next)."""
    if check_dyad(dyad) == "CHN-RUS":
        des = ds.partnership_designations
        level = des["level"].astype(int).map(LADDER_ON_FRAMING_SCALE).astype(float)
        return pd.DataFrame({"date": des["date"], "value": level})
    des = ds.us_designations[ds.us_designations["dyad"] == dyad]
    return pd.DataFrame({"date": des["date"], "value": des["level"].astype(float)})


def leader_meetings(ds: Datasets, dyad: str) -> pd.DataFrame:
    ev = dyad_events(ds, dyad)
    ev = ev[leader_visits(ev)]
    return pd.DataFrame({"date": ev["date"], "value": 1.0})


def net_cooperation(ds: Datasets, dyad: str) -> pd.DataFrame:
    coded = attach_goldstein(dyad_events(ds, dyad), ds.cameo_goldstein)
    return pd.DataFrame(
        {"date": coded["date"], "num": cooperation_sign(coded).astype(float), "den": 1.0}
    )


def unga_pair(ds: Datasets, a: str, b: str) -> pd.DataFrame:
    """Identical votes of ``a`` and ``b`` on every recorded General Assembly vote on a resolution
    as a whole (the Bailey–Strezhnev–Voeten definition), one observation per vote; where no
    per-vote data are bundled (sessions 75–78, 2020–24) the BSV session value enters at
    31 December of the year the session opened, weighted by the smaller member's votes."""
    long = record_votes_long(ds.unga_record_roll_calls, ds.unga_record_votes)
    votes = pair_votes(long, a, b)
    if "amend" in votes.columns:
        whole = (votes["amend"].fillna(0) == 0) & (votes["para"].fillna(0) == 0)
        votes = votes[whole]
    per_vote = pd.DataFrame({"date": votes["date"], "num": votes["identical"], "den": 1.0})
    series = agreement_series(long, ds.unga_session_scores, a, b)
    bsv = series[(series["basis"] == "bsv_session") & series["value"].notna()]
    weight = bsv["n_bound"].astype(float)
    sessions = pd.DataFrame(
        {
            "date": bsv["period"] + pd.offsets.YearEnd(0),
            "num": bsv["value"].astype(float) * weight,
            "den": weight,
        }
    )
    return pd.concat([per_vote, sessions], ignore_index=True)


def unga_agreement(ds: Datasets, dyad: str) -> pd.DataFrame:
    return unga_pair(ds, *MEMBERS[check_dyad(dyad)])


def us_trade_totals(us_trade: pd.DataFrame, dyad: str) -> pd.DataFrame:
    """A US dyad's yearly goods trade (columns year, value, reporter): one reporter (the one with
    the most years), the stated total or else the sum of its two stated flows that year."""
    rows = us_trade[us_trade["dyad"] == dyad]
    out = []
    for (reporter, year), g in rows.groupby(["reporter", "year"]):
        flows = dict(zip(g["flow"], g["value_usd"].astype(float), strict=True))
        if "total" in flows:
            value = flows["total"]
        elif {"exports_to_usa", "imports_from_usa"} <= set(flows):
            value = flows["exports_to_usa"] + flows["imports_from_usa"]
        else:
            continue
        out.append({"reporter": reporter, "year": int(year), "value": value})
    frame = pd.DataFrame(out, columns=["reporter", "year", "value"])
    if frame.empty:
        return frame
    counts = frame.groupby("reporter")["year"].count()
    best = sorted(counts.index, key=lambda r: (-counts[r], r))[0]
    return frame[frame["reporter"] == best].sort_values("year").reset_index(drop=True)


def trade(ds: Datasets, dyad: str) -> pd.DataFrame:
    if check_dyad(dyad) == "CHN-RUS":
        tidy = trade_indicators(ds.trade)
        total = tidy[(tidy["indicator"] == "trade_total") & tidy["value"].notna()]
        year_end = total["period"] + pd.offsets.YearEnd(0)
        return pd.DataFrame({"date": year_end.to_numpy(), "value": total["value"].to_numpy()})
    totals = us_trade_totals(ds.us_trade, dyad)
    dates = pd.to_datetime(totals["year"].astype(str) + "-12-31")
    return pd.DataFrame({"date": dates.to_numpy(), "value": totals["value"].to_numpy(dtype=float)})
