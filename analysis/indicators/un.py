"""UN alignment: Security Council vetoes and General Assembly voting agreement.

Sources: ``unsc_vetoes.csv`` (UN Dag Hammarskjöld Library veto list) and the General Assembly
roll calls, either the curated ``unga_roll_calls.csv`` + ``unga_votes.csv`` or the full
Voeten–Strezhnev–Bailey data (see :mod:`analysis.data.external`), both brought to the same long
form by :func:`votes_long`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators._common import (
    DateLike,
    IndicatorError,
    check_freq,
    check_range,
    empty_tidy,
    period_grid,
    period_start,
    require_columns,
    safe_ratio,
    tidy,
    within,
    year_grid,
    year_to_period,
)

CHINA = "CHN"
RUSSIA_CODES = ("SUN", "RUS")  # the USSR's seat passed to the Russian Federation on 1991-12-25
PERMANENT_MEMBERS = ("CHN", "FRA", "GBR", "RUS", "SUN", "USA", "TWN")
VOTE_CODES = {"yes": 1, "abstain": 2, "no": 3}  # Signorino–Ritter coding; d_max = 2


# --------------------------------------------------------------------------------------------
# Security Council vetoes
# --------------------------------------------------------------------------------------------


def veto_drafts(vetoes: pd.DataFrame) -> pd.DataFrame:
    """One row per vetoed draft with flags for China, USSR/Russia and both."""
    require_columns(vetoes, ["date", "draft", "member"], "vetoes")
    keyed = vetoes.assign(chn=vetoes["member"].eq(CHINA), rus=vetoes["member"].isin(RUSSIA_CODES))
    drafts = keyed.groupby(["date", "draft"], as_index=False).agg(
        chn=("chn", "any"), rus=("rus", "any")
    )
    drafts["joint"] = drafts["chn"] & drafts["rus"]
    return drafts


def vetoes_per_year(
    vetoes: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Vetoes per calendar year: by China, by the USSR/Russia, jointly, and the joint share.

    - ``vetoes_chn``: drafts vetoed by China (PRC); ``vetoes_rus``: by the USSR or Russia.
    - ``vetoes_joint``: drafts vetoed by both China and the USSR/Russia (same draft, same date).
    - ``vetoed_drafts``: drafts vetoed by any permanent member.
    - ``joint_share`` = vetoes_joint / vetoes_chn (NaN in a year China cast none; ``n`` = China's).

    Every year of [start, end] appears, with 0 where there was no veto.
    Source: UN Dag Hammarskjöld Library, Security Council veto list.
    """
    s, e = check_range(start, end)
    drafts = within(veto_drafts(vetoes), "date", s, e)
    years = year_grid(s, e, drafts["date"].dt.year)
    if not years:
        return empty_tidy()
    by_year = (
        drafts.assign(year=drafts["date"].dt.year)
        .groupby("year")
        .agg(
            vetoes_chn=("chn", "sum"),
            vetoes_rus=("rus", "sum"),
            vetoes_joint=("joint", "sum"),
            vetoed_drafts=("draft", "size"),
        )
        .reindex(years, fill_value=0)
    )
    parts = []
    for name in ("vetoes_chn", "vetoes_rus", "vetoes_joint", "vetoed_drafts"):
        parts.append(
            pd.DataFrame(
                {
                    "period": year_to_period(years),
                    "indicator": name,
                    "value": by_year[name].to_numpy(),
                    "n": by_year[name].to_numpy(),
                }
            )
        )
    parts.append(
        pd.DataFrame(
            {
                "period": year_to_period(years),
                "indicator": "joint_share",
                "value": safe_ratio(by_year["vetoes_joint"], by_year["vetoes_chn"]),
                "n": by_year["vetoes_chn"].to_numpy(),
            }
        )
    )
    return tidy(pd.concat(parts, ignore_index=True))


def veto_summary(
    vetoes: pd.DataFrame, *, start: DateLike = None, end: DateLike = None
) -> pd.DataFrame:
    """Vetoes cast in [start, end] by each permanent member and its share of all vetoes cast.

    Columns: ``member``, ``vetoes`` (drafts it vetoed), ``share`` (its vetoes / all vetoes cast
    by any member in the range; a draft vetoed by two members counts twice in the denominator).
    The USSR (``SUN``) and Russia (``RUS``) are kept apart; :func:`veto_counts` can join them.
    """
    s, e = check_range(start, end)
    require_columns(vetoes, ["date", "member"], "vetoes")
    inside = within(vetoes, "date", s, e)
    counts = inside["member"].value_counts().rename_axis("member").reset_index(name="vetoes")
    total = int(counts["vetoes"].sum())
    counts["share"] = counts["vetoes"] / total if total else np.nan
    return counts.sort_values(["vetoes", "member"], ascending=[False, True]).reset_index(drop=True)


def veto_counts(
    vetoes: pd.DataFrame,
    *,
    members: tuple[str, ...],
    start: DateLike = None,
    end: DateLike = None,
    joint: bool = False,
) -> int:
    """Number of vetoes cast by ``members`` in [start, end].

    With ``joint=True``: the number of drafts vetoed by China *and* the USSR/Russia.
    """
    s, e = check_range(start, end)
    if joint:
        drafts = within(veto_drafts(vetoes), "date", s, e)
        return int(drafts["joint"].sum())
    require_columns(vetoes, ["date", "member"], "vetoes")
    unknown = sorted(set(members) - set(PERMANENT_MEMBERS))
    if unknown:
        raise IndicatorError(f"unknown member code(s) {unknown}; use {PERMANENT_MEMBERS}")
    inside = within(vetoes, "date", s, e)
    return int(inside["member"].isin(members).sum())


# --------------------------------------------------------------------------------------------
# General Assembly voting agreement
# --------------------------------------------------------------------------------------------


def votes_long(
    roll_calls: pd.DataFrame, votes: pd.DataFrame, *, key: str = "symbol"
) -> pd.DataFrame:
    """Join roll calls and votes into the long form the agreement functions take.

    Returns columns ``roll_call``, ``date``, ``issue``, ``member``, ``vote``; the USSR's votes
    (``SUN``) are re-labelled ``RUS`` so that the China–Russia dyad is continuous.
    """
    require_columns(roll_calls, [key, "date"], "roll_calls")
    require_columns(votes, [key, "member", "vote"], "votes")
    rc = roll_calls[[key, "date"] + (["issue"] if "issue" in roll_calls.columns else [])]
    out = votes[[key, "member", "vote"]].merge(rc, on=key, how="inner", validate="many_to_one")
    out = out.rename(columns={key: "roll_call"})
    out["member"] = out["member"].replace({"SUN": "RUS"})
    if "issue" not in out.columns:
        out["issue"] = pd.NA
    return out[["roll_call", "date", "issue", "member", "vote"]]


def _dyad(votes: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """One row per roll call on which both ``a`` and ``b`` cast a vote (yes/abstain/no)."""
    require_columns(votes, ["roll_call", "date", "member", "vote"], "votes (long form)")
    cast = votes[votes["vote"].isin(list(VOTE_CODES)) & votes["member"].isin([a, b])]
    wide = cast.pivot_table(index="roll_call", columns="member", values="vote", aggfunc="first")
    wide = wide.reindex(columns=[a, b]).dropna()
    attrs = ["date"] + (["issue"] if "issue" in votes.columns else [])
    info = votes.drop_duplicates("roll_call").set_index("roll_call")[attrs]
    return wide.join(info, how="left").reset_index()


def dyad_scores(votes: pd.DataFrame, a: str = "CHN", b: str = "RUS") -> pd.DataFrame:
    """Per roll call both members cast: identical (0/1), half-credit agreement and distance.

    - ``identical`` = 1 if both cast the same vote.
    - ``half`` = 1 identical, 0.5 if exactly one abstained (yes–abstain or no–abstain), 0 if
      one voted yes and the other no (Lijphart's index of agreement).
    - ``distance`` = |code(a) − code(b)| with yes=1, abstain=2, no=3 (0, 1 or 2).
    Absences and non-votes are excluded: a roll call counts only when both cast a vote.
    """
    wide = _dyad(votes, a, b)
    ca = wide[a].map(VOTE_CODES).astype(float)
    cb = wide[b].map(VOTE_CODES).astype(float)
    dist = (ca - cb).abs()
    wide["identical"] = (dist == 0).astype(float)
    wide["distance"] = dist
    wide["half"] = np.where(dist == 0, 1.0, np.where((ca == 2) | (cb == 2), 0.5, 0.0))
    return wide


def unga_agreement(
    votes: pd.DataFrame,
    *,
    a: str = "CHN",
    b: str = "RUS",
    freq: str = "YS",
    start: DateLike = None,
    end: DateLike = None,
    by_issue: bool = False,
) -> pd.DataFrame:
    """General Assembly voting agreement of two members, per year (or month), with ``n``.

    - ``unga_agreement`` = identical votes / roll calls both cast.
    - ``unga_agreement_half`` = Lijphart agreement (an abstention against a yes or a no = ½).
    - ``unga_s_score`` = Signorino–Ritter S = 1 − 2·Σd / (n·d_max), with yes=1, abstain=2,
      no=3 and d_max = 2, so S ∈ [−1, 1] (1 = always identical, −1 = always opposite).
    ``n`` is the number of roll calls both members cast. Periods of [start, end] without such a
    roll call are returned with ``value`` NaN and ``n`` 0. With ``by_issue=True`` an ``issue``
    column splits the result by the roll call's issue.
    Sources: Voeten, Strezhnev & Bailey UNGA voting data; Signorino & Ritter (1999).
    """
    check_freq(freq)
    s, e = check_range(start, end)
    require_columns(votes, ["roll_call", "date", "member", "vote"], "votes (long form)")
    scores = dyad_scores(within(votes, "date", s, e), a, b)
    scores["period"] = (
        period_start(scores["date"], freq) if len(scores) else pd.Series(dtype="datetime64[ns]")
    )
    keys = ["period"] + (["issue"] if by_issue else [])
    grouped = scores.groupby(keys).agg(
        identical=("identical", "sum"),
        half=("half", "sum"),
        distance=("distance", "sum"),
        n=("identical", "size"),
    )
    grid = period_grid(s, e, freq, votes["date"] if s is None or e is None else None)
    if by_issue:
        issues = sorted(scores["issue"].dropna().unique()) if len(scores) else []
        grouped = grouped.reindex(pd.MultiIndex.from_product([grid, issues], names=keys))
    else:
        grouped = grouped.reindex(grid)
    grouped["n"] = grouped["n"].fillna(0)
    n = grouped["n"].to_numpy(dtype=float)
    values = {
        "unga_agreement": safe_ratio(grouped["identical"].fillna(0), n),
        "unga_agreement_half": safe_ratio(grouped["half"].fillna(0), n),
        "unga_s_score": 1 - 2 * safe_ratio(grouped["distance"].fillna(0), n * 2),
    }
    idx = grouped.index.to_frame(index=False)
    parts = []
    for name, vals in values.items():
        part = idx.assign(indicator=name, value=vals, n=n.astype(int))
        parts.append(part)
    if not parts or idx.empty:
        out = empty_tidy()
        return out.assign(issue=pd.Series(dtype=str)) if by_issue else out
    frame = pd.concat(parts, ignore_index=True)
    out = tidy(frame)
    if by_issue:
        out["issue"] = frame.sort_values(["indicator", "period"], kind="stable")["issue"].to_numpy()
    return out


def agreement_overall(
    votes: pd.DataFrame,
    *,
    a: str = "CHN",
    b: str = "RUS",
    start: DateLike = None,
    end: DateLike = None,
) -> dict[str, float]:
    """The three agreement measures pooled over [start, end], with ``n``."""
    s, e = check_range(start, end)
    require_columns(votes, ["roll_call", "date", "member", "vote"], "votes (long form)")
    scores = dyad_scores(within(votes, "date", s, e), a, b)
    n = len(scores)
    if n == 0:
        return {
            "unga_agreement": np.nan,
            "unga_agreement_half": np.nan,
            "unga_s_score": np.nan,
            "n": 0,
        }
    return {
        "unga_agreement": float(scores["identical"].mean()),
        "unga_agreement_half": float(scores["half"].mean()),
        "unga_s_score": float(1 - 2 * scores["distance"].sum() / (n * 2)),
        "n": n,
    }


def vote_of(votes: pd.DataFrame, roll_call: str, member: str) -> str | None:
    """How ``member`` voted on ``roll_call`` (``yes``/``no``/``abstain``/``absent``), or None."""
    rows = votes[(votes["roll_call"] == roll_call) & (votes["member"] == member)]
    return None if rows.empty else str(rows["vote"].iloc[0])
