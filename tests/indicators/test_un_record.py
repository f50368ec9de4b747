"""Indicators on the whole UNGA record (analysis/indicators/un_record.py, un_sessions.py).

Tiny hand-computed frames for κ, π and the half-credit agreement; the decade numbers recomputed
by independent pandas code on the shared source files (skipped when ../shared is absent); the
reproduction of the Bailey–Strezhnev–Voeten session agreement from the per-vote data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.data import load
from analysis.indicators import (
    IndicatorError,
    agreement_by_issue,
    agreement_series,
    ideal_point_distance,
    pair_agreement,
    pair_votes,
    record_votes_long,
)

DATA = config.PROJECT_DIR / "data"
REF = config.SHARED_REFERENCE_DIR
needs_ref = pytest.mark.skipif(
    not (REF / "unvotes_un_votes_cn_ru_us.csv").is_file(),
    reason=f"shared reference data absent ({REF}): the cross-checks need the source files",
)


# --------------------------------------------------------------------------------------------
# Tiny frames
# --------------------------------------------------------------------------------------------


def _tiny(pairs: list[tuple[str, str]], *, dates=None, **attrs) -> pd.DataFrame:
    """Long form for members A and B, one roll call per (vote_a, vote_b) pair."""
    rows = []
    for i, (va, vb) in enumerate(pairs):
        date = pd.Timestamp(dates[i] if dates else "2001-10-01")
        base = {
            "roll_call": f"rc{i}",
            "date": date,
            "year": date.year,
            "session": attrs.get("session", [56] * len(pairs))[i],
            "basis": "unvotes",
            **{
                f"issue_{c}": attrs.get(f"issue_{c}", [0] * len(pairs))[i]
                for c in ["me", "nu", "di", "hr", "co", "ec"]
            },
            "important": 0,
            "amend": attrs.get("amend", [0] * len(pairs))[i],
            "para": attrs.get("para", [0] * len(pairs))[i],
            "names_target": attrs.get("names_target", [""] * len(pairs))[i],
        }
        for member, vote in (("A", va), ("B", vb)):
            if vote is not None:
                rows.append({**base, "member": member, "vote": vote})
    return pd.DataFrame(rows)


def _values(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["indicator"], frame["value"], strict=True))


def test_hand_computed_kappa_pi_half():
    # 3x3 table (rows A, columns B):  yes/yes 4, yes/abstain 1, abstain/abstain 1, no/yes 1,
    # no/no 1, absent/yes 1 (not counted) -> n = 8.
    votes = [("yes", "yes")] * 4 + [
        ("yes", "abstain"),
        ("abstain", "abstain"),
        ("no", "yes"),
        ("no", "no"),
        (None, "yes"),
    ]
    long = _tiny(votes)
    got = _values(pair_agreement(long, "A", "B", by="range"))
    n = 8
    po = 6 / n  # identical: 4 yes/yes + abstain/abstain + no/no
    half = (6 + 0.5) / n  # yes/abstain = 1/2, no/yes = 0
    pa = {"yes": 5 / n, "abstain": 1 / n, "no": 2 / n}
    pb = {"yes": 5 / n, "abstain": 2 / n, "no": 1 / n}
    pe_k = sum(pa[k] * pb[k] for k in pa)  # (25 + 2 + 2) / 64 = 29/64
    pe_p = sum(((pa[k] + pb[k]) / 2) ** 2 for k in pa)  # (25 + 2.25 + 2.25) / 64 = 29.5/64
    assert math.isclose(pe_k, 29 / 64) and math.isclose(pe_p, 29.5 / 64)
    assert got["identical_share"] == pytest.approx(0.75)
    assert got["agreement_half"] == pytest.approx(half) == pytest.approx(0.8125)
    assert got["kappa"] == pytest.approx((po - pe_k) / (1 - pe_k)) == pytest.approx(19 / 35)
    assert got["pi"] == pytest.approx((po - pe_p) / (1 - pe_p)) == pytest.approx(18.5 / 34.5)
    res = pair_agreement(long, "A", "B", by="range")
    assert set(res["n"]) == {8}


def test_pair_votes_columns_and_s_score_identity():
    long = _tiny([("yes", "no"), ("abstain", "no"), ("no", "no"), ("yes", None)])
    pv = pair_votes(long, "A", "B")
    assert list(pv["identical"]) == [0, 0, 1]
    assert list(pv["half"]) == [0, 0.5, 1]
    assert list(pv["distance"]) == [2, 1, 0]
    assert {"vote_a", "vote_b", "names_target", "session", "issue_hr"} <= set(pv.columns)
    s_score = 1 - 2 * pv["distance"].sum() / (len(pv) * 2)
    assert s_score == pytest.approx(2 * pv["half"].mean() - 1)


def test_kappa_undefined_when_chance_agreement_is_complete():
    got = _values(pair_agreement(_tiny([("yes", "yes")] * 3), "A", "B", by="range"))
    assert got["identical_share"] == 1 and math.isnan(got["kappa"]) and math.isnan(got["pi"])


def test_perfect_disagreement_negative_and_chance_zero():
    got = _values(pair_agreement(_tiny([("yes", "no"), ("no", "yes")]), "A", "B", by="range"))
    assert got["kappa"] == pytest.approx(-1) and got["pi"] == pytest.approx(-1)
    # independent votes: A yes,yes,no,no against B yes,no,yes,no -> p_o = 1/2 = p_e
    chance = [("yes", "yes"), ("yes", "no"), ("no", "yes"), ("no", "no")]
    got = _values(pair_agreement(_tiny(chance), "A", "B", by="range"))
    assert got["kappa"] == pytest.approx(0) and got["pi"] == pytest.approx(0)


def test_years_without_votes_stay_nan():
    long = _tiny([("yes", "yes"), ("no", "yes")], dates=["2018-10-01", "2021-10-01"])
    out = pair_agreement(long, "A", "B", by="year")
    share = out[out["indicator"] == "identical_share"].set_index("period")
    assert list(share.index.year) == [2018, 2019, 2020, 2021]
    assert share["n"].tolist() == [1, 0, 0, 1]
    assert share["value"].isna().tolist() == [False, True, True, False]


def test_filters_issue_target_whole_only_and_errors():
    long = _tiny(
        [("yes", "yes"), ("yes", "no"), ("no", "no")],
        issue_hr=[1, 0, 0],
        names_target=["ukraine", "", ""],
        para=[0, 1, 0],
    )
    assert _values(pair_agreement(long, "A", "B", by="range", issue="hr"))["identical_share"] == 1
    ukr = pair_agreement(long, "A", "B", by="range", target="ukraine")
    assert set(ukr["n"]) == {1}
    assert set(pair_agreement(long, "A", "B", by="range", target="none")["n"]) == {2}
    assert set(pair_agreement(long, "A", "B", by="range", whole_only=True)["n"]) == {2}
    with pytest.raises(IndicatorError, match="issue"):
        pair_agreement(long, "A", "B", issue="xx")
    with pytest.raises(IndicatorError, match="target"):
        pair_agreement(long, "A", "B", target="usa")
    with pytest.raises(IndicatorError, match="by="):
        pair_agreement(long, "A", "B", by="decade")
    with pytest.raises(IndicatorError, match="different"):
        pair_votes(long, "A", "A")


def test_session_grid_and_by_issue_groups():
    long = _tiny(
        [("yes", "yes"), ("no", "yes")], session=[70, 72], dates=["2015-10-01", "2017-10-01"]
    )
    out = pair_agreement(long, "A", "B", by="session")
    share = out[out["indicator"] == "identical_share"]
    assert share["session"].tolist() == [70, 71, 72]
    assert share["period"].dt.strftime("%Y-%m-%d").tolist() == [
        "2015-09-01",
        "2016-09-01",
        "2017-09-01",
    ]
    assert share["value"].isna().tolist() == [False, True, False]
    groups = agreement_by_issue(long, "A", "B")
    assert list(dict.fromkeys(groups["group"])) == [
        "all", "me", "nu", "di", "hr", "co", "ec", "ukraine", "russia", "china", "rest"
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------
# On the bundled derived files
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    rc = load("unga_record_roll_calls", data_dir=DATA)
    votes = load("unga_record_votes", data_dir=DATA)
    scores = load("unga_session_scores", data_dir=DATA)
    return record_votes_long(rc, votes), scores


def test_long_form(bundled):
    long, _ = bundled
    assert set(long["member"]) == {"CHN", "RUS", "USA"}
    assert set(long["vote"]) == {"yes", "no", "abstain"}
    assert not long.duplicated(["roll_call", "member"]).any()
    assert long["date"].is_monotonic_increasing


PAIRS = [("CHN", "RUS"), ("CHN", "USA"), ("RUS", "USA")]
DECADES = {"1990s": (1990, 1999), "2000s": (2000, 2009), "2010s": (2010, 2019)}


def _independent_decades() -> dict[tuple[str, str, str], dict[str, float]]:
    """Decade agreement straight from the shared unvotes tables, without the project's code."""
    votes = pd.read_csv(REF / "unvotes_un_votes_cn_ru_us.csv", keep_default_na=False)
    rcs = pd.read_csv(REF / "unvotes_un_roll_calls.csv", usecols=["rcid", "date"])
    wide = votes.pivot(index="rcid", columns="country_code", values="vote")
    wide = wide.rename(columns={"CN": "CHN", "RU": "RUS", "US": "USA"})
    wide = wide.join(rcs.set_index("rcid"))
    wide["year"] = pd.to_datetime(wide["date"]).dt.year
    out = {}
    for a, b in PAIRS:
        for name, (lo, hi) in DECADES.items():
            d = wide[(wide["year"] >= lo) & (wide["year"] <= hi)][[a, b]].dropna()
            table = pd.crosstab(d[a], d[b]).reindex(
                index=["yes", "abstain", "no"], columns=["yes", "abstain", "no"], fill_value=0
            )
            n = table.to_numpy().sum()
            p = table.to_numpy() / n
            po = np.trace(p)
            weights = np.array([[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 1]])
            pe = p.sum(axis=1) @ p.sum(axis=0)
            out[(a, b, name)] = {
                "n": n,
                "identical_share": po,
                "agreement_half": (p * weights).sum(),
                "kappa": (po - pe) / (1 - pe),
            }
    return out


@needs_ref
def test_decades_recomputed_independently(bundled):
    long, _ = bundled
    expected = _independent_decades()
    for (a, b, name), exp in expected.items():
        lo, hi = DECADES[name]
        got = pair_agreement(long, a, b, by="range", start=f"{lo}-01-01", end=f"{hi}-12-31")
        values = _values(got)
        assert int(got["n"].iloc[0]) == exp["n"], (a, b, name)
        for key in ("identical_share", "agreement_half", "kappa"):
            assert values[key] == pytest.approx(exp[key], abs=1e-12), (a, b, name, key)


def test_decade_numbers_are_plausible(bundled):
    """Guard rails on the bundled data alone (no ../shared): the pairs are ordered as expected."""
    long, _ = bundled
    share = {}
    for a, b in PAIRS:
        got = pair_agreement(long, a, b, by="range", start="2000-01-01", end="2019-12-31")
        share[(a, b)] = _values(got)["identical_share"]
        assert int(got["n"].iloc[0]) > 1500
    assert share[("CHN", "RUS")] > share[("RUS", "USA")] > share[("CHN", "USA")]


def test_bsv_session_agreement_reproduced(bundled):
    """The per-vote data reproduce BSV's session agreement with BSV's own definition (votes on
    resolutions as a whole, identical votes among those both cast): exact in most sessions since
    1985 (session 40), and never more than two roll calls' worth off."""
    long, scores = bundled
    for a, b in PAIRS:
        series = agreement_series(long, scores, a, b)
        both = series[series["per_vote"].notna() & series["bsv"].notna()]
        recent = both[both["session"] >= 40]
        diff = (recent["per_vote"] - recent["bsv"]).abs()
        assert len(recent) == 35
        assert diff.max() < 0.03, (a, b, diff.max())
        assert (diff < 1e-6).sum() >= 20, (a, b)
        # one vote's difference on ~n roll calls moves the share by at most ~1/n (+ rounding)
        assert (diff <= 2.05 / recent["n"]).all(), (a, b)


def test_series_basis_and_gaps(bundled):
    long, scores = bundled
    series = agreement_series(long, scores, "CHN", "RUS").set_index("session")
    assert series.loc[74, "basis"] == "per_vote"
    assert [series.loc[s, "basis"] for s in (75, 76, 77, 78)] == ["bsv_session"] * 4
    assert series.loc[75:78, "n"].isna().all()
    assert series.loc[79, "basis"] == "per_vote_2025" and series.loc[80, "basis"] == "per_vote_2025"
    assert series.loc[77, "value"] == pytest.approx(0.701149)  # PROVENANCE.md, file 10 example
    assert series.loc[26:, "value"].notna().all()
    cut = agreement_series(long, scores, "CHN", "RUS", start="2020-01-01", end="2023-12-31")
    assert cut["session"].tolist() == [75, 76, 77, 78]


def test_ideal_point_distance(bundled):
    _, scores = bundled
    dist = ideal_point_distance(scores, "CHN", "RUS").set_index("session")
    chn = scores[scores["member"] == "CHN"].set_index("session")["ideal_point"]
    rus = scores[scores["member"] == "RUS"].set_index("session")["ideal_point"]
    assert dist.index.min() == 26 and dist.index.max() == 78
    assert dist.loc[78, "value"] == pytest.approx(abs(chn[78] - rus[78]))
    assert (dist["value"] >= 0).all()
    assert dist["indicator"].eq("ideal_point_distance").all()


def test_agreements_on_prebuilt_pairs_equal_those_built_from_the_long_form():
    from analysis.indicators.un_record import agreement_by_issue, pair_agreement

    long = pd.DataFrame(
        {
            "roll_call": [1, 1, 2, 2],
            "date": pd.to_datetime(["2000-01-01", "2000-01-01", "2001-01-01", "2001-01-01"]),
            "year": [2000, 2000, 2001, 2001],
            "member": ["CHN", "RUS", "CHN", "RUS"],
            "vote": ["yes", "yes", "no", "abstain"],
        }
    )
    pairs = pair_votes(long, "CHN", "RUS")
    assert pairs["identical"].tolist() == [1.0, 0.0]
    pd.testing.assert_frame_equal(
        pair_agreement(long, "CHN", "RUS", pairs=pairs), pair_agreement(long, "CHN", "RUS")
    )
    assert pair_votes(long, "CHN", "RUS") is not pairs  # nothing is remembered between calls
    del agreement_by_issue
