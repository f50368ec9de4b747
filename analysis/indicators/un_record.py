"""UN General Assembly alignment on the whole voting record: every roll call, chance-corrected.

Sources: ``unga_record_roll_calls.csv`` + ``unga_record_votes.csv`` (every recorded roll call of
the Voeten, Strezhnev & Bailey data to January 2020 and every 2025 recorded vote of the UN
Digital Library, with the votes of China, Russia — the USSR before 1992 — and the United States)
and ``unga_session_scores.csv`` (the Bailey–Strezhnev–Voeten ideal points and agreement scores by
session, to session 78, September 2024). They are built by
:mod:`analysis.data.builders.unga_record`.

Pipeline: :func:`record_votes_long` (one row per roll call and member) → :func:`pair_votes` (one
row per roll call both members of a pair voted on) → :func:`pair_agreement` (identical share,
half-credit agreement, Cohen's κ and Scott's π by year, session or pooled over a range, with
``n``), :func:`agreement_by_issue` (the same per issue and target). The session scores and the
series across sources are in :mod:`analysis.indicators.un_sessions`. Gaps stay NaN; nothing is
interpolated.

Vote categories are yes, abstain and no; an absence is not a vote, so a roll call counts for a
pair only when both members cast a vote.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators._common import (
    DateLike,
    IndicatorError,
    check_range,
    empty_tidy,
    require_columns,
    tidy,
    within,
    year_grid,
    year_to_period,
)

MEMBERS = ("CHN", "RUS", "USA")
CATEGORIES = ("yes", "abstain", "no")
_CODE = {"yes": 1, "abstain": 2, "no": 3}
ISSUES = ("me", "nu", "di", "hr", "co", "ec")
ISSUE_LABELS = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons",
    "di": "Arms control and disarmament",
    "hr": "Human rights",
    "co": "Colonialism",
    "ec": "Economic development",
}
TARGETS = ("ukraine", "russia", "china")
#: ``target`` values accepted besides :data:`TARGETS`: any of them, or none of them.
TARGET_GROUPS = ("any", "none")
MEASURES = ("identical_share", "agreement_half", "kappa", "pi")
_ISSUE_COLS = [f"issue_{c}" for c in ISSUES]
_RC_ATTRS = ["date", "session", "basis", *_ISSUE_COLS, "important", "amend", "para", "names_target"]


def session_period(session) -> pd.Series:
    """The period of a General Assembly session: 1 September of the year it opened (1945 +
    session; session 1, which opened in January 1946, is 1946-01-01)."""
    s = pd.Series(session).astype(int)
    out = pd.to_datetime((1945 + s).astype(str) + "-09-01")
    return out.where(s != 1, pd.Timestamp("1946-01-01"))


# --------------------------------------------------------------------------------------------
# Long form and pairs
# --------------------------------------------------------------------------------------------


def record_votes_long(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """Join the roll calls and the votes: one row per roll call and member that cast a vote.

    Columns: ``roll_call``, ``date``, ``year``, ``session``, ``basis``, the six ``issue_<code>``
    flags, ``important``, ``amend``, ``para`` (nullable integers; NA where the source has no
    value, e.g. issues of 2025), ``names_target`` (``ukraine``/``russia``/``china`` or ``""``),
    ``member``, ``vote``. ``SUN`` is relabelled ``RUS`` (the bundled file already codes the USSR
    as RUS, like unvotes). Sorted by date, roll call and member.
    """
    require_columns(roll_calls, ["roll_call", *_RC_ATTRS], "roll_calls")
    require_columns(votes, ["roll_call", "member", "vote"], "votes")
    return _votes_long(roll_calls, votes)


def _votes_long(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    rc = roll_calls[["roll_call", *_RC_ATTRS]].copy()
    rc["date"] = pd.to_datetime(rc["date"])
    rc["names_target"] = rc["names_target"].fillna("").astype(str)
    for col in ["session", *_ISSUE_COLS, "important", "amend", "para"]:
        rc[col] = pd.to_numeric(rc[col], errors="coerce").astype("Int64")
    out = votes[["roll_call", "member", "vote"]].merge(
        rc, on="roll_call", how="inner", validate="many_to_one"
    )
    out["member"] = out["member"].replace({"SUN": "RUS"})
    out["year"] = out["date"].dt.year
    cols = ["roll_call", "date", "year", *[c for c in _RC_ATTRS if c != "date"], "member", "vote"]
    out = out[cols].sort_values(["date", "roll_call", "member"], kind="stable")
    return out.reset_index(drop=True)


def pair_votes(long: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """One row per roll call on which both ``a`` and ``b`` cast a vote (yes, abstain or no).

    Columns: ``roll_call``, ``date``, ``year``, ``session``, ``basis``, the issue flags,
    ``important``, ``amend``, ``para``, ``names_target``, ``vote_a``, ``vote_b`` and, per roll
    call:

    - ``identical`` = 1 if both cast the same vote, else 0;
    - ``half`` = 1 if identical, ½ if exactly one abstained (yes–abstain, no–abstain), 0 for
      yes against no (the half-credit, or Lijphart, agreement);
    - ``distance`` = |c(a) − c(b)| with yes = 1, abstain = 2, no = 3 (0, 1 or 2).
    """
    if a == b:
        raise IndicatorError(f"a and b are both {a!r}; pass two different members")
    require_columns(long, ["roll_call", "date", "member", "vote"], "long form")
    return _pair_votes(long, a, b)


def _pair_votes(long: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    cast = long[long["member"].isin([a, b]) & long["vote"].isin(CATEGORIES)]
    wide = cast.pivot_table(index="roll_call", columns="member", values="vote", aggfunc="first")
    wide = wide.reindex(columns=[a, b]).dropna()
    attrs = [c for c in ["date", "year", *_RC_ATTRS[1:]] if c in long.columns]
    info = long.drop_duplicates("roll_call").set_index("roll_call")[attrs]
    out = info.join(wide.rename(columns={a: "vote_a", b: "vote_b"}), how="inner").reset_index()
    ca = out["vote_a"].map(_CODE).astype(float)
    cb = out["vote_b"].map(_CODE).astype(float)
    dist = (ca - cb).abs()
    out["identical"] = (dist == 0).astype(float)
    out["half"] = np.where(dist == 0, 1.0, np.where((ca == 2) | (cb == 2), 0.5, 0.0))
    out["distance"] = dist
    out = out.sort_values(["date", "roll_call"], kind="stable").reset_index(drop=True)
    out.attrs["pair"] = (a, b)
    return out


def _select(
    pairs: pd.DataFrame, *, issue: str | None, target: str | None, whole_only: bool
) -> pd.DataFrame:
    if issue is not None:
        if issue not in ISSUES:
            raise IndicatorError(f"issue={issue!r} is not an unvotes issue code; use {ISSUES}")
        pairs = pairs[pairs[f"issue_{issue}"].fillna(0).eq(1)]
    if target is not None:
        if target in TARGETS:
            pairs = pairs[pairs["names_target"].eq(target)]
        elif target == "any":
            pairs = pairs[pairs["names_target"].ne("")]
        elif target == "none":
            pairs = pairs[pairs["names_target"].eq("")]
        else:
            raise IndicatorError(f"target={target!r} is not one of {TARGETS + TARGET_GROUPS}")
    if whole_only:
        pairs = pairs[pairs["amend"].fillna(0).ne(1) & pairs["para"].fillna(0).ne(1)]
    return pairs


def _measures(pairs: pd.DataFrame, key: str) -> pd.DataFrame:
    """n, identical share, half agreement, κ and π of the pair rows, per value of ``key``
    (counted with numpy: the briefing asks for some forty of these tables)."""
    codes, uniques = pd.factorize(pairs[key], sort=True)
    keep = codes >= 0  # rows without a key value count nowhere, as in a groupby
    codes = codes[keep]
    size = len(uniques)

    def total(values) -> np.ndarray:
        return np.bincount(codes, weights=np.asarray(values, dtype=float)[keep], minlength=size)

    counts = {
        "n": np.bincount(codes, minlength=size),
        "ident": total(pairs["identical"]),
        "half": total(pairs["half"]),
    }
    for who in ("a", "b"):
        votes = pairs[f"vote_{who}"].to_numpy(dtype=object)
        for cat in CATEGORIES:
            counts[f"{who}_{cat}"] = total(votes == cat)
    return agreement_from_counts(pd.DataFrame(counts, index=pd.Index(uniques, name=key)))


def agreement_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """The four measures from counts: ``n``, ``ident`` (identical votes), ``half`` (half-credit
    sum) and ``a_<cat>``/``b_<cat>`` (each member's votes per category).

    With p_o = ident / n, p_a(k), p_b(k) each member's share of votes in category k:

    - identical_share = p_o;
    - agreement_half = half / n;
    - kappa (Cohen) = (p_o − p_e) / (1 − p_e), p_e = Σ_k p_a(k)·p_b(k);
    - pi (Scott) = (p_o − p_e) / (1 − p_e), p_e = Σ_k ((p_a(k) + p_b(k)) / 2)².

    NaN where n = 0, and κ or π NaN where p_e = 1 (both members always cast one and the same
    vote, so chance agreement is complete and the coefficient undefined).
    """
    n = counts["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        po = np.where(n > 0, counts["ident"].to_numpy(dtype=float) / n, np.nan)
        half = np.where(n > 0, counts["half"].to_numpy(dtype=float) / n, np.nan)
        pa = np.column_stack([counts[f"a_{c}"].to_numpy(dtype=float) / n for c in CATEGORIES])
        pb = np.column_stack([counts[f"b_{c}"].to_numpy(dtype=float) / n for c in CATEGORIES])
        pe_k = (pa * pb).sum(axis=1)
        pe_p = (((pa + pb) / 2) ** 2).sum(axis=1)
        kappa = np.where(np.isclose(pe_k, 1.0), np.nan, (po - pe_k) / (1 - pe_k))
        pi = np.where(np.isclose(pe_p, 1.0), np.nan, (po - pe_p) / (1 - pe_p))
    return pd.DataFrame(
        {
            "n": n.astype(int),
            "identical_share": po,
            "agreement_half": half,
            "kappa": np.where(n > 0, kappa, np.nan),
            "pi": np.where(n > 0, pi, np.nan),
        },
        index=counts.index,
    )


def _tidy_measures(table: pd.DataFrame, period: pd.Series, extra: dict | None = None):
    parts = []
    for name in MEASURES:
        part = pd.DataFrame(
            {
                "period": period.to_numpy(),
                "indicator": name,
                "value": table[name].to_numpy(dtype=float),
                "n": table["n"].to_numpy(),
            }
        )
        for col, vals in (extra or {}).items():
            part[col] = np.asarray(vals)
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    out = tidy(frame)
    ordered = frame.sort_values(["indicator", "period"], kind="stable")
    for col in extra or {}:
        out[col] = ordered[col].to_numpy()
    return out


def pair_agreement(
    long: pd.DataFrame,
    a: str,
    b: str,
    *,
    by: str = "year",
    start: DateLike = None,
    end: DateLike = None,
    issue: str | None = None,
    target: str | None = None,
    whole_only: bool = False,
    pairs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agreement of members ``a`` and ``b`` on the General Assembly roll calls both voted on.

    ``by``: ``"year"`` (calendar year of the vote; ``period`` = 1 January), ``"session"``
    (``period`` = 1 September of the year the session opened, see :func:`session_period`; a
    ``session`` column is added) or ``"range"`` (one value pooled over [start, end]; ``period``
    = start, or the first vote). Every year or session from start to end appears; where the
    pair has no common vote (2020–2024 in the per-vote data, for example) ``value`` is NaN and
    ``n`` 0: gaps are never interpolated.

    Indicators (tidy rows ``period, indicator, value, n``; ``n`` = roll calls both cast):

    - ``identical_share`` = p_o, the share of roll calls on which both cast the same vote;
    - ``agreement_half``: an identical vote counts 1, yes or no against an abstention ½, yes
      against no 0 (half-credit agreement);
    - ``kappa``: Cohen's κ on the 3×3 table of the pair's votes (yes, abstain, no),
      κ = (p_o − p_e) / (1 − p_e) with p_e = Σ_k p_a(k)·p_b(k), each member's own shares;
    - ``pi``: Scott's π, the same with p_e = Σ_k p̄(k)², p̄(k) = (p_a(k) + p_b(k)) / 2.

    Häge (2011, "Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity for
    Chance Agreement", Political Analysis 19(3): 287–305) shows that raw agreement (and the S
    score) rises and falls with how lopsided the agenda is — two states that vote "yes" on most
    resolutions agree often by chance — and argues for chance-corrected coefficients: κ takes
    each state's own vote distribution as the chance baseline, π a common one. Both are 0 at
    chance agreement, 1 at perfect agreement and negative below chance.

    The Signorino–Ritter S score with three categories and d_max = 2 is not given: with
    distance d = |c(a) − c(b)| ∈ {0, 1, 2}, S = 1 − 2·mean(d)/d_max = 1 − mean(d), and the
    half-credit agreement is A_half = 1 − mean(d)/2, so S = 2·A_half − 1, an affine transform
    of ``agreement_half``: printing both would count one measure twice.

    Filters: ``issue`` (an unvotes issue code, :data:`ISSUES`; roll calls with that flag — the
    2025 votes have no issue coding and drop out), ``target`` (:data:`TARGETS`: votes whose
    title names Ukraine/Crimea, Russia or China; ``"any"`` or ``"none"``), ``whole_only``
    (leave out amendment and paragraph votes, as the BSV agreement scores do).

    ``pairs``: the pair's votes already built by :func:`pair_votes` from ``long`` (a caller that
    asks for many agreements of one pair builds them once; the pivot costs ~40 ms).
    """
    return _agreement(
        long,
        pair_votes(long, a, b) if pairs is None else pairs,
        by=by,
        start=start,
        end=end,
        issue=issue,
        target=target,
        whole_only=whole_only,
    )


def _agreement(
    long: pd.DataFrame,
    votes_of_pair: pd.DataFrame,
    *,
    by: str,
    start: DateLike,
    end: DateLike,
    issue: str | None,
    target: str | None,
    whole_only: bool,
) -> pd.DataFrame:
    """:func:`pair_agreement` on the pair's votes already built by :func:`pair_votes`."""
    if by not in ("year", "session", "range"):
        raise IndicatorError(f"by={by!r} is not supported; use 'year', 'session' or 'range'")
    s, e = check_range(start, end)
    pairs = _select(
        within(votes_of_pair, "date", s, e),
        issue=issue,
        target=target,
        whole_only=whole_only,
    )
    if by == "range":
        inside = within(long, "date", s, e)
        first = s if s is not None else (inside["date"].min() if len(inside) else None)
        if first is None:
            return empty_tidy()
        table = _measures(pairs.assign(_all=0), "_all").reindex([0])
        table["n"] = table["n"].fillna(0).astype(int)
        return _tidy_measures(table, pd.Series([first]))
    if by == "year":
        observed = within(long, "date", s, e)["year"] if len(long) else []
        years = year_grid(s, e, observed)
        if not years:
            return empty_tidy()
        table = _measures(pairs, "year").reindex(years)
        table["n"] = table["n"].fillna(0).astype(int)
        return _tidy_measures(table, year_to_period(years))
    observed = within(long, "date", s, e)["session"].dropna()
    if observed.empty:
        return empty_tidy().assign(session=pd.Series(dtype="Int64"))
    sessions = list(range(int(observed.min()), int(observed.max()) + 1))
    table = _measures(pairs, "session").reindex(sessions)
    table["n"] = table["n"].fillna(0).astype(int)
    out = _tidy_measures(table, session_period(sessions), {"session": np.array(sessions)})
    out["session"] = out["session"].astype("Int64")
    return out


def agreement_by_issue(
    long: pd.DataFrame,
    a: str,
    b: str,
    *,
    by: str = "range",
    start: DateLike = None,
    end: DateLike = None,
    pairs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`pair_agreement` for every group of votes, with a ``group`` and a ``label`` column.

    Groups: ``all``; the six unvotes issues (``me``, ``nu``, ``di``, ``hr``, ``co``, ``ec``; a
    roll call with two issues counts in both; none for 2025, which has no issue coding); and,
    apart from them, by what the title names: ``ukraine`` (Ukraine, Crimea, Sevastopol),
    ``russia`` and ``china`` (other votes naming them) and ``rest`` (votes naming none of the
    three), so that a change in the mix of Ukraine votes is not read as a change of alignment.
    """
    groups: list[tuple[str, str, dict]] = [("all", "All recorded votes", {})]
    groups += [(c, ISSUE_LABELS[c], {"issue": c}) for c in ISSUES]
    groups += [
        ("ukraine", "Ukraine / Crimea", {"target": "ukraine"}),
        ("russia", "Other votes naming Russia", {"target": "russia"}),
        ("china", "Votes naming China", {"target": "china"}),
        ("rest", "Votes naming none of them", {"target": "none"}),
    ]
    parts = []
    votes_of_pair = pair_votes(long, a, b) if pairs is None else pairs  # once for all groups
    for group, label, kw in groups:
        kw = {"issue": None, "target": None, "whole_only": False, **kw}
        part = _agreement(long, votes_of_pair, by=by, start=start, end=end, **kw)
        parts.append(part.assign(group=group, label=label))
    return pd.concat(parts, ignore_index=True)
