"""UN General Assembly alignment by session: the Bailey–Strezhnev–Voeten session scores
(``unga_session_scores.csv``: ideal points and agreement, to session 78) and one session series
across the per-vote record and those aggregates, each value labelled with its ``basis``.

The per-vote measures are in :mod:`analysis.indicators.un_record`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators._common import (
    DateLike,
    IndicatorError,
    check_range,
    require_columns,
    tidy,
    within,
)
from analysis.indicators.un_record import (
    CATEGORIES,
    ISSUE_LABELS,
    ISSUES,
    MEASURES,
    MEMBERS,
    TARGETS,
    agreement_by_issue,
    agreement_from_counts,
    pair_agreement,
    pair_votes,
    record_votes_long,
    session_period,
)

_AGREE_COLUMN = {"USA": "agree_usa", "RUS": "agree_rus", "CHN": "agree_chn"}


# --------------------------------------------------------------------------------------------
# Session scores (Bailey–Strezhnev–Voeten) and the series across sources
# --------------------------------------------------------------------------------------------


def _scores_of(session_scores: pd.DataFrame, member: str) -> pd.DataFrame:
    require_columns(
        session_scores, ["session", "member", "n_votes", "ideal_point"], "session_scores"
    )
    if member not in MEMBERS:
        raise IndicatorError(f"member {member!r} has no session scores; use {MEMBERS}")
    rows = session_scores[session_scores["member"] == member].copy()
    rows["session"] = rows["session"].astype(int)
    return rows.set_index("session")


def ideal_point_distance(
    session_scores: pd.DataFrame,
    a: str,
    b: str,
    *,
    start: DateLike = None,
    end: DateLike = None,
) -> pd.DataFrame:
    """|ideal point of a − ideal point of b| per session, from the Bailey–Strezhnev–Voeten scores.

    Tidy rows ``period, indicator ("ideal_point_distance"), value, n`` and ``session``;
    ``period`` as in :func:`session_period` (kept when it lies in [start, end]); ``n`` = the
    smaller of the two members' vote counts in the session (``n_votes``), an upper bound on the
    votes both cast. Sessions without both estimates (China before 1971) are left out.
    """
    s, e = check_range(start, end)
    sa, sb = _scores_of(session_scores, a), _scores_of(session_scores, b)
    both = sa[["ideal_point", "n_votes"]].merge(
        sb[["ideal_point", "n_votes"]], left_index=True, right_index=True, suffixes=("_a", "_b")
    )
    both = both.dropna(subset=["ideal_point_a", "ideal_point_b"]).sort_index()
    frame = pd.DataFrame(
        {
            "period": session_period(both.index).to_numpy(),
            "indicator": "ideal_point_distance",
            "value": (both["ideal_point_a"] - both["ideal_point_b"]).abs().to_numpy(dtype=float),
            "n": np.minimum(both["n_votes_a"], both["n_votes_b"]).to_numpy(),
            "session": both.index.to_numpy(),
        }
    )
    frame = within(frame, "period", s, e)
    out = tidy(frame)
    out["session"] = frame.sort_values(["indicator", "period"], kind="stable")["session"].to_numpy()
    out["session"] = out["session"].astype("Int64")
    return out


def bsv_agreement(session_scores: pd.DataFrame, a: str, b: str) -> pd.Series:
    """BSV agreement of a and b by session (a's row, column of b; else b's row, column of a)."""
    sa, sb = _scores_of(session_scores, a), _scores_of(session_scores, b)
    col_b, col_a = _AGREE_COLUMN[b], _AGREE_COLUMN[a]
    require_columns(session_scores, [col_a, col_b], "session_scores")
    value = sa[col_b].astype(float)
    value = value.combine_first(sb[col_a].astype(float))
    return value.sort_index().rename("bsv")


def agreement_series(
    long: pd.DataFrame,
    session_scores: pd.DataFrame,
    a: str,
    b: str,
    *,
    start: DateLike = None,
    end: DateLike = None,
    pairs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """ONE session series of the identical-vote share of a and b across the two sources.

    The measure is the Bailey–Strezhnev–Voeten agreement score's own definition, found by
    reproducing it from the per-vote data (the codebook is not bundled): the share of the
    session's roll calls on resolutions as a whole — amendment and paragraph votes left out
    (unvotes ``amend`` = 1 or ``para`` = 1; an empty flag counts as 0) — on which both members
    cast the same vote (yes, no or abstain), among those on which both cast a vote. Recomputed
    from ``unga_record_votes`` it equals BSV's value exactly in most sessions since 1985 and
    differs by one or two roll calls elsewhere (data/README.md, tests/test_un_record.py).

    Each session takes, in this order:

    - ``basis = "per_vote"``: the per-vote data of unvotes (sessions to 74, January 2020);
    - ``basis = "per_vote_2025"``: the 2025 per-vote data (UN Digital Library), which cover only
      calendar 2025: session 79 without its September–December 2024 votes, session 80 to the
      last 2025 vote;
    - ``basis = "bsv_session"``: the BSV session aggregate (sessions 75–78, September 2020 to
      September 2024, where no per-vote data are bundled); ``n`` is NA (BSV does not give the
      number of votes both cast; ``n_bound`` is the smaller of the two members' ``n_votes``);
    - ``basis = "none"``: neither; ``value`` NaN (a gap, never interpolated).

    Columns: ``session``, ``period`` (:func:`session_period`), ``indicator``
    (``"agreement_identical"``), ``value``, ``n``, ``basis``, ``per_vote`` (the per-vote value
    where it exists), ``bsv`` (BSV's value where it exists), ``n_bound``. Sessions whose period
    lies in [start, end]. ``pairs``: the pair's votes already built by :func:`pair_votes`.
    """
    return _agreement_series(long, session_scores, a, b, start, end, pairs)


def _agreement_series(long, session_scores, a: str, b: str, start, end, pairs) -> pd.DataFrame:
    s, e = check_range(start, end)
    pairs = pair_votes(long, a, b) if pairs is None else pairs
    per = pair_agreement(long, a, b, by="session", whole_only=True, pairs=pairs)
    per = per[per["indicator"] == "identical_share"].set_index("session")
    basis_of = pairs.groupby("session")["basis"].agg(
        lambda x: "dl2025" if (x == "dl2025").all() else "unvotes"
    )
    bsv = bsv_agreement(session_scores, a, b)
    sa, sb = _scores_of(session_scores, a), _scores_of(session_scores, b)
    bound = np.minimum(sa["n_votes"].astype(float), sb["n_votes"].astype(float).reindex(sa.index))
    known = [int(x) for x in per.index.dropna()] + [int(x) for x in bsv.dropna().index]
    if not known:
        return pd.DataFrame(
            columns=[
                "session",
                "period",
                "indicator",
                "value",
                "n",
                "basis",
                "per_vote",
                "bsv",
                "n_bound",
            ]
        )
    sessions = list(range(min(known), max(known) + 1))
    rows = []
    for sess in sessions:
        pv = per["value"].get(sess, np.nan)
        pn = int(per["n"].get(sess, 0)) if sess in per.index else 0
        bv = bsv.get(sess, np.nan)
        nb = bound.get(sess, np.nan)
        if pn > 0 and not np.isnan(pv):
            basis = "per_vote_2025" if basis_of.get(sess) == "dl2025" else "per_vote"
            value, n = pv, pn
        elif not np.isnan(bv):
            basis, value, n = "bsv_session", bv, pd.NA
        else:
            basis, value, n = "none", np.nan, pd.NA
        rows.append(
            {
                "session": sess,
                "value": float(value),
                "n": n,
                "basis": basis,
                "per_vote": float(pv) if pn > 0 else np.nan,
                "bsv": float(bv),
                "n_bound": nb,
            }
        )
    out = pd.DataFrame(rows)
    out.insert(1, "period", session_period(out["session"]).to_numpy())
    out.insert(2, "indicator", "agreement_identical")
    out["session"] = out["session"].astype("Int64")
    out["n"] = out["n"].astype("Int64")
    out["n_bound"] = pd.to_numeric(out["n_bound"]).astype("Int64")
    out = within(out, "period", s, e)
    return out.reset_index(drop=True)


__all__ = [
    "CATEGORIES",
    "ISSUES",
    "ISSUE_LABELS",
    "MEASURES",
    "TARGETS",
    "agreement_by_issue",
    "agreement_from_counts",
    "agreement_series",
    "bsv_agreement",
    "ideal_point_distance",
    "pair_agreement",
    "pair_votes",
    "record_votes_long",
    "session_period",
]
