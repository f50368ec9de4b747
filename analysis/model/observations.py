"""What each component observes, for any dyad: dated observations from the datasets.

One function per component, ``(datasets, dyad) -> frame``, with the columns that
:func:`analysis.model.evaluation.evaluate` aggregates for the component's kind:

- ``date, value`` for counts, levels and states;
- ``date, num, den`` for ratios;
- ``date, ident, a_yes, a_abstain, a_no, b_yes, b_abstain, b_no`` (one row per vote) for
  chance-corrected agreement (``kappa``).

The same definition serves the three dyads; where a dyad's record comes from another dataset
(trade between China and Russia from China's customs, US trade from the US Census Bureau), the
rule is stated here once. Exact duplicate rows of a source count once, so that repeating a row
never moves the index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import pair_votes, record_votes_long, trade_indicators
from analysis.indicators._common import IndicatorError
from analysis.model.dyads import ALIASES, MEMBERS, check_dyad

VOTES = ("yes", "abstain", "no")


def _dyad_rows(frame: pd.DataFrame, dyad: str) -> pd.DataFrame:
    return frame[frame["dyad"] == check_dyad(dyad)]


def _at_year_end(years) -> np.ndarray:
    return pd.to_datetime(pd.Series(years).astype(int).astype(str) + "-12-31").to_numpy()


# ---- political alignment ---------------------------------------------------------------------


def ideal_point_distance(ds: Datasets, dyad: str) -> pd.DataFrame:
    """|ideal point of a − ideal point of b| per General Assembly session (Bailey, Strezhnev &
    Voeten), dated 31 December of the year the session opened (session n opens in September of
    1945 + n). Sessions without both estimates are left out."""
    a, b = MEMBERS[check_dyad(dyad)]
    scores = ds.unga_session_scores
    member = scores["member"].replace(ALIASES)
    pa = scores[member == a].set_index("session")["ideal_point"].astype(float)
    pb = scores[member == b].set_index("session")["ideal_point"].astype(float)
    both = pd.concat({"a": pa, "b": pb}, axis=1, join="inner").dropna().sort_index()
    return pd.DataFrame(
        {
            "date": _at_year_end(1945 + both.index.astype(int)),
            "value": (both["a"] - both["b"]).abs().to_numpy(dtype=float),
        }
    )


def vote_agreement(ds: Datasets, dyad: str) -> pd.DataFrame:
    """One row per recorded General Assembly vote on a resolution as a whole on which both
    members cast yes, abstain or no: whether the two votes are identical, and each member's
    vote as indicators (the cells Cohen's κ is computed from)."""
    a, b = MEMBERS[check_dyad(dyad)]
    long = record_votes_long(ds.unga_record_roll_calls, ds.unga_record_votes)
    votes = pair_votes(long, a, b)
    whole = (votes["amend"].fillna(0) == 0) & (votes["para"].fillna(0) == 0)
    votes = votes[whole]
    out = {"date": votes["date"].to_numpy(), "ident": votes["identical"].to_numpy(dtype=float)}
    for who in ("a", "b"):
        cast = votes[f"vote_{who}"].to_numpy(dtype=object)
        for cat in VOTES:
            out[f"{who}_{cat}"] = (cast == cat).astype(float)
    return pd.DataFrame(out)


def council_alignment(ds: Datasets, dyad: str) -> pd.DataFrame:
    """Contested Security Council votes (drafts not adopted, resolutions adopted with a negative
    vote or an abstention) on which both members voted: 1 when they voted alike, else 0."""
    a, b = MEMBERS[check_dyad(dyad)]
    votes = ds.unsc_contested_votes.drop_duplicates(subset=["date", "draft"])
    va, vb = votes[f"vote_{a.lower()}"], votes[f"vote_{b.lower()}"]
    cast = va.isin(VOTES) & vb.isin(VOTES)
    same = (va[cast] == vb[cast]).astype(float)
    return pd.DataFrame({"date": votes.loc[cast, "date"].to_numpy(), "num": same, "den": 1.0})


# ---- contact and framing -----------------------------------------------------------------------


def leader_contacts(ds: Datasets, dyad: str) -> pd.DataFrame:
    """Leader-level contacts of the dyad: visits, meetings, telephone and video calls between
    heads of state or government in ``leader_contacts.csv``, one per day and kind (two pairs of
    leaders meeting on one visit's day, or a repeated row, count once)."""
    rows = _dyad_rows(ds.leader_contacts, dyad)
    rows = rows.drop_duplicates(subset=["date", "kind"])
    return pd.DataFrame({"date": rows["date"].to_numpy(), "value": 1.0})


def framing(ds: Datasets, dyad: str) -> pd.DataFrame:
    """Official framing on the −2..+2 scale: at each document date, the mean over the two
    issuers of the level each has in force (an issuer counts from its first document)."""
    rows = _dyad_rows(ds.official_framing, dyad).copy()
    rows["issuer"] = rows["issuer"].replace(ALIASES)
    rows = rows.sort_values(["date", "issuer", "document_id"], kind="stable")
    # the level of an issuer's last document of a day is the level it has in force from that day
    wide = rows.pivot_table(index="date", columns="issuer", values="level", aggfunc="last")
    in_force = wide.ffill()
    return pd.DataFrame(
        {"date": in_force.index.to_numpy(), "value": in_force.mean(axis=1).to_numpy(dtype=float)}
    )


def hostile_months(ds: Datasets, dyad: str) -> pd.DataFrame:
    """The months in which either government took at least one formal hostile decision towards
    the other (sanctions, export controls, tariff rounds, counter-sanctions, expulsions, mission
    closures) in ``official_acts.csv``, dated the first of the month. A month counts once however
    many decisions it holds, so the measure does not depend on how finely a government splits its
    decisions (one law naming a hundred firms, or a hundred announcements), nor on repeated rows."""
    rows = _dyad_rows(ds.official_acts, dyad)
    months = rows.loc[rows["stance"] == "hostile", "date"].dt.to_period("M").unique()
    return pd.DataFrame({"date": months.to_timestamp().to_numpy(), "value": 1.0})


# ---- economic and military ties --------------------------------------------------------------


def _bilateral_trade(ds: Datasets, dyad: str) -> pd.Series:
    """The dyad's goods trade by year (exports + imports, current US dollars): China's customs
    (``trade.csv``) for China–Russia, the US Census Bureau (``goods_trade.csv``, reporter USA)
    for the US dyads; one reporter per dyad."""
    if dyad == "CHN-RUS":
        tidy = trade_indicators(ds.trade)
        total = tidy[(tidy["indicator"] == "trade_total") & tidy["value"].notna()]
        return pd.Series(
            total["value"].to_numpy(dtype=float), index=total["period"].dt.year.to_numpy()
        )
    other = MEMBERS[dyad][0]
    g = ds.goods_trade
    partner = g["partner"].replace(ALIASES)
    rows = g[(g["reporter"] == "USA") & (partner == other) & g["flow"].isin(["exports", "imports"])]
    rows = rows.drop_duplicates(subset=["year", "flow"])
    both = rows.pivot_table(index="year", columns="flow", values="value_usd", aggfunc="sum")
    both = both.reindex(columns=["exports", "imports"]).dropna()
    return (both["exports"] + both["imports"]).rename(None).astype(float)


def _total_trade(ds: Datasets, member: str) -> pd.Series:
    """A member's goods trade with the world by year (exports + imports, or a stated total)."""
    g = ds.goods_trade
    rows = g[(g["reporter"] == member) & (g["partner"] == "WLD")]
    rows = rows.drop_duplicates(subset=["year", "flow"])
    wide = rows.pivot_table(index="year", columns="flow", values="value_usd", aggfunc="sum")
    flows = wide.reindex(columns=["exports", "imports", "total"])
    summed = flows["exports"] + flows["imports"]
    return summed.fillna(flows["total"]).dropna().astype(float)


def trade_share(ds: Datasets, dyad: str) -> pd.DataFrame:
    """Interdependence: the mean, over the two members, of the dyad's goods trade as a share
    of the member's total goods trade (per cent), dated 31 December of its year. A price level
    common to both figures cancels out."""
    a, b = MEMBERS[check_dyad(dyad)]
    bilateral = _bilateral_trade(ds, dyad)
    shares = pd.concat(
        {m: bilateral / _total_trade(ds, m) for m in (a, b)}, axis=1, join="inner"
    ).dropna()
    if (shares > 1).any().any():
        year = int(shares.index[(shares > 1).any(axis=1)][0])
        raise IndicatorError(f"{dyad} trade in {year} exceeds a member's total trade")
    return pd.DataFrame(
        {
            "date": _at_year_end(shares.index),
            "value": 100.0 * shares.mean(axis=1).to_numpy(dtype=float),
        }
    )


#: Weight of an exercise in which both members take part among others.
MULTILATERAL_WEIGHT = 0.5


def _exercises(frame: pd.DataFrame) -> pd.DataFrame:
    rows = frame[frame["activity_type"] == "exercise"]
    return rows.drop_duplicates(subset=["name", "start_date"])


def joint_exercises(ds: Datasets, dyad: str) -> pd.DataFrame:
    """Joint military exercises in which the armed forces of both members take part, by start
    date: a bilateral exercise counts 1, a multilateral one :data:`MULTILATERAL_WEIGHT`
    (``framework`` bilateral or not); joint patrols are not exercises and stay out.

    China–Russia: ``military_cooperation.csv``, plus the exercises of
    ``military_exercises_us.csv`` whose participants include both China and Russia (third-party
    multilateral exercises the three attended). The US dyads: ``military_exercises_us.csv``."""
    us = ds.military_exercises_us
    if check_dyad(dyad) == "CHN-RUS":
        members = us["participants"].str.split(";")
        both = members.map(lambda ms: {"CHN", "RUS"} <= set(ms))
        rows = pd.concat([ds.military_cooperation, us[both]], ignore_index=True)
    else:
        rows = us[us["dyad"] == dyad]
    rows = _exercises(rows)
    weight = np.where(rows["framework"].eq("bilateral"), 1.0, MULTILATERAL_WEIGHT)
    return pd.DataFrame({"date": rows["start_date"].to_numpy(), "value": weight})
