"""Check published claims about the relationship against the data.

``data/claims.yaml`` lists statements, each with its source, the test that checks it
(one of :data:`TESTS`), the test's parameters and the value the publication states.
:func:`analysis.model.claims_check.check_claims` computes each value from the datasets and
returns a verdict:

- ``supported``: the computed value equals the stated one;
- ``not supported``: the data give another value (the computed value is shown);
- ``not checkable with this data``: the data do not cover what the claim is about.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import veto_counts, veto_summary, vote_of, votes_long
from analysis.model.claims_coverage import NotCheckable, before_coverage, check_period

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
NOT_CHECKABLE = "not checkable with this data"
#: A claim whose checkable part holds while the data do not hold all it says (its ``unchecked``
#: field names what is missing): never "supported".
PARTLY = "supported in part"

#: Security Council seats: the USSR's seat passed to Russia in December 1991.
SEAT = {"SUN": "RUS"}


def _member_label(codes: list[str]) -> str:
    names = {
        "CHN": "China",
        "SUN": "USSR",
        "RUS": "Russia",
        "USA": "USA",
        "GBR": "UK",
        "FRA": "France",
    }
    return " + ".join(names.get(c, c) for c in codes)


def _check_vetoes_covered(ds: Datasets, start: str | None, end: str | None) -> None:
    check_period(ds, "unsc_vetoes", "the veto list", start, end)


def check_veto_count(
    ds: Datasets, *, members: list[str], start: str | None = None, end: str | None = None
):
    """Vetoes cast by ``members`` in [start, end]."""
    _check_vetoes_covered(ds, start, end)
    n = veto_counts(ds.unsc_vetoes, members=tuple(members), start=start, end=end)
    parts = [
        f"{_member_label([m])} {veto_counts(ds.unsc_vetoes, members=(m,), start=start, end=end)}"
        for m in members
    ]
    return n, f"{_member_label(members)}: {n} vetoes ({', '.join(parts)})"


def check_veto_group_rank(
    ds: Datasets, *, members: list[str], start: str | None = None, end: str | None = None
):
    """Rank of the group's combined vetoes among every group of as many other permanent seats
    (1 = most): like with like, two seats against each pair of the other three, not against
    each other member alone. The USSR and Russia are one seat."""
    from itertools import combinations

    _check_vetoes_covered(ds, start, end)
    table = veto_summary(ds.unsc_vetoes, start=start, end=end)
    seats = table.assign(seat=table["member"].replace(SEAT)).groupby("seat")["vetoes"].sum()
    mine = sorted({SEAT.get(m, m) for m in members})
    group = int(seats.reindex(mine).fillna(0).sum())
    others = [m for m in seats.index if m not in mine]
    rivals = sorted(
        ((int(seats[list(c)].sum()), c) for c in combinations(others, len(mine))), reverse=True
    )
    rank = 1 + sum(1 for v, _ in rivals if v > group)
    detail = f"{_member_label(members)} {group}"
    if rivals:
        top, seats_of = rivals[0]
        detail += (
            f" vs {_member_label(list(seats_of))} {top} (the most of any other "
            f"{'seat' if len(mine) == 1 else f'{len(mine)} seats'})"
        )
    return rank, detail


def check_joint_veto_count(ds: Datasets, *, start: str | None = None, end: str | None = None):
    """Drafts vetoed by both China and the USSR/Russia in [start, end]."""
    _check_vetoes_covered(ds, start, end)
    n = veto_counts(ds.unsc_vetoes, members=("CHN",), start=start, end=end, joint=True)
    return n, f"{n} drafts vetoed by both"


def _match_designation(ds: Datasets, spec: dict[str, Any]) -> pd.Series:
    des = ds.partnership_designations.sort_values("date")
    mask = pd.Series(True, index=des.index)
    if "change" in spec:
        mask &= des["change"] == spec["change"]
    if "contains" in spec:
        mask &= des["designation_en"].str.contains(spec["contains"], case=False, regex=False)
    hits = des[mask]
    if hits.empty:
        words = [f"containing '{spec['contains']}'"] if "contains" in spec else []
        words += [f"of the kind '{spec['change']}'"] if "change" in spec else []
        raise NotCheckable(f"no partnership designation in the data {' and '.join(words)}")
    return hits.iloc[0]


def check_designation_year(ds: Datasets, **spec):
    """Year of the first designation matching ``contains``/``change``."""
    row = _match_designation(ds, spec)
    return int(row["date"].year), f"{row['date']:%Y-%m-%d}: {row['designation_en']}"


def check_years_between_designations(ds: Datasets, *, first: dict, second: dict):
    """Whole years between two designations."""
    a, b = _match_designation(ds, first), _match_designation(ds, second)
    years = int(b["date"].year - a["date"].year)
    return years, f"{a['date']:%Y-%m-%d} to {b['date']:%Y-%m-%d}"


def check_first_event_year(
    ds: Datasets,
    *,
    description: str | None = None,
    pattern: str | None = None,
    categories: list[str] | None = None,
    actor1: str | None = None,
    start: str | None = None,
):
    """Year of the earliest chronology event whose description contains the words
    ``description`` (case-insensitive, as written) or matches the regular expression
    ``pattern`` (run with a time bound: :func:`analysis.model.claims_limits.search`)."""
    from analysis.model.claims_limits import search

    if start:  # (without one, an event the vintage lacks is simply not found)
        check_period(ds, "events", "the bilateral chronology", start)
    ev = ds.events
    if pattern is not None:
        mask = pd.Series(search(pattern, ev["description"].astype(str)), index=ev.index)
    else:
        mask = ev["description"].str.contains(str(description), case=False, regex=False)
    if categories:
        mask &= ev["category"].isin(categories)
    if actor1:
        mask &= ev["actor1"] == actor1
    if start:
        mask &= ev["date"] >= pd.Timestamp(start)
    hits = ev[mask].sort_values("date")
    if hits.empty:
        raise NotCheckable(f"no event in the chronology matches '{pattern or description}'")
    first = hits.iloc[0]
    return int(first["date"].year), f"{first['date']:%Y-%m-%d}: {first['description']}"


def check_unga_vote(ds: Datasets, *, symbol: str, member: str):
    """How ``member`` voted on General Assembly roll call ``symbol``."""
    votes = votes_long(ds.unga_roll_calls, ds.unga_votes)
    vote = vote_of(votes, symbol, member)
    if vote is None:
        raise NotCheckable(f"{symbol} is not among the roll calls in the data")
    rc = ds.unga_roll_calls[ds.unga_roll_calls["symbol"] == symbol].iloc[0]
    return vote, f"{symbol} ({rc['date']:%Y-%m-%d}): {member} {vote}"


def check_us_dyads_trend(
    ds: Datasets,
    *,
    start: str,
    end: str,
    dyads: list[str] | None = None,
):
    """How many of the US dyads (default China–USA and Russia–USA) cooled over [start, end] on
    the composite (:func:`analysis.model.triangle.dyad_facts`: the trend over the yearly values
    wholly inside the period implies a fall in at least 90 % of the draws, of at least
    MIN_CHANGE points at the median)."""
    from analysis.model.composite import measure_dyads
    from analysis.model.periods import Period
    from analysis.model.phases import MIN_CHANGE, TREND_DRAW_SHARE
    from analysis.model.triangle import trend_phrase, us_dyads_cooled

    as_of = getattr(ds, "as_of", None)
    if as_of is not None and pd.Timestamp(start) > as_of:
        raise NotCheckable(f"the data as of {as_of:%Y-%m-%d} end before {start}")
    period = Period(pd.Timestamp(start), pd.Timestamp(end))
    count, facts = us_dyads_cooled(
        measure_dyads(ds), period, tuple(dyads or ("CHN-USA", "RUS-USA"))
    )
    missing = [f["name"] for f in facts if f["verdict"] in ("no data", "not measurable")]
    if missing:
        raise NotCheckable(
            f"{' and '.join(missing)}: too few yearly composite values in the period"
        )
    years = f"{facts[0]['first_year']}–{facts[0]['last_year']}"
    parts = [f"{f['name']} {trend_phrase(f)}: {f['verdict']}" for f in facts]
    rule = (
        f"cooled = a fall over the period in ≥ {TREND_DRAW_SHARE:.0%} of the draws, of at least "
        f"{MIN_CHANGE:g} point at the median"
    )
    return count, f"{years}: " + "; ".join(parts) + f" ({rule})"


def _sipri_vintage(ds: Datasets, supplier: str, recipient: str) -> str:
    """The newest SIPRI vintage that holds the pair at all (vintages are never mixed)."""
    arms = ds.arms_transfers
    pair = arms[(arms["supplier"] == supplier) & (arms["recipient"] == recipient)]
    if pair.empty:
        raise NotCheckable(f"no SIPRI vintage in the data records {supplier} → {recipient}")
    return str(pair.sort_values("sipri_generated")["series"].iloc[-1])


def check_arms_deliveries(
    ds: Datasets, *, supplier: str, recipient: str, start_year: int, end_year: int
):
    """SIPRI TIV (millions) of ``supplier``'s deliveries to ``recipient`` in the years, from the
    newest vintage holding the pair (a year without a register row had no delivery)."""
    series = _sipri_vintage(ds, supplier, recipient)
    arms = ds.arms_transfers[ds.arms_transfers["series"] == series]
    if end_year > int(arms["year"].max()):
        raise NotCheckable(f"SIPRI series {series} ends in {int(arms['year'].max())}")
    if end_year < int(arms["year"].min()):
        raise NotCheckable(f"SIPRI series {series} begins in {int(arms['year'].min())}")
    pair = arms[(arms["supplier"] == supplier) & (arms["recipient"] == recipient)]
    inside = pair[pair["year"].between(start_year, end_year)]
    total = round(float(inside["tiv_million"].sum()), 1)
    span = str(start_year) if start_year == end_year else f"{start_year}–{end_year}"
    shown = pair[pair["year"].between(start_year - 4, end_year)].sort_values("year")
    years = ", ".join(
        f"{int(y)} {v:g}" for y, v in zip(shown["year"], shown["tiv_million"], strict=True)
    )
    return total, (
        f"SIPRI {series}: {supplier} → {recipient} {total:g} million TIV in {span} "
        f"(years with deliveries from {start_year - 4}: {years or 'none'})"
    )


def check_posture_count(
    ds: Datasets,
    *,
    actor1: str | None = None,
    category: str | None = None,
    cameo: str | None = None,
    start: str | None = None,
    end: str | None = None,
):
    """Events of the war-posture chronology (war_posture.csv) matching the filters in [start, end]."""
    first, last = before_coverage(ds, "war_posture", "the war-posture chronology")
    if (start and pd.Timestamp(start) < first) or (end and pd.Timestamp(end) > last):
        raise NotCheckable(
            f"the war-posture chronology covers {first:%Y-%m-%d} to {last:%Y-%m-%d} only"
        )
    ev = ds.war_posture
    mask = pd.Series(True, index=ev.index)
    for column, value in (("actor1", actor1), ("category", category), ("cameo_code", cameo)):
        if value is not None:
            mask &= ev[column].astype(str) == str(value)
    if start:
        mask &= ev["date"] >= pd.Timestamp(start)
    if end:
        mask &= ev["date"] <= pd.Timestamp(end)
    hits = ev[mask].sort_values("date")
    listed = "; ".join(
        f"{d:%Y-%m-%d}: {t[:90]}" for d, t in zip(hits["date"], hits["description"], strict=True)
    )
    return len(hits), f"{len(hits)} in the war-posture chronology" + (
        f" ({listed})" if listed else ""
    )


def check_organisation_members(ds: Datasets, *, organisation: str, event: str = "founding"):
    """The members of ``organisation`` with a row of ``event`` (e.g. its founders), sorted."""
    org = ds.organisations
    rows = org[(org["organisation"] == organisation) & (org["event"] == event)]
    if rows.empty:
        raise NotCheckable(f"the SCO and BRICS membership record has no {event} of {organisation}")
    members = ", ".join(sorted(rows["member"]))
    return members, f"{organisation} {event} {rows['date'].min():%Y-%m-%d}: {members}"


def check_organisation_accessions(ds: Datasets, *, organisation: str, end: str | None = None):
    """The states that acceded to ``organisation`` up to ``end``, in order of accession."""
    check_period(ds, "organisations", "the SCO and BRICS membership record", None, end)
    org = ds.organisations
    if not (org["organisation"] == organisation).any():
        raise NotCheckable(
            f"the SCO and BRICS membership record holds nothing on {organisation} in this data"
        )
    rows = org[(org["organisation"] == organisation) & (org["event"] == "accession")]
    rows = rows.sort_values(["date", "member"])
    upto = rows if end is None else rows[rows["date"] <= pd.Timestamp(end)]
    later = rows.drop(upto.index)
    evidence = "; ".join(
        f"{m} {d:%Y-%m-%d}" for m, d in zip(upto["member"], upto["date"], strict=True)
    )
    if len(later):
        evidence += " — after that: " + "; ".join(
            f"{m} {d:%Y-%m-%d}" for m, d in zip(later["member"], later["date"], strict=True)
        )
    return ", ".join(upto["member"]), f"{organisation} accessions: {evidence or 'none'}"


def check_trade_growth(
    ds: Datasets, *, flow: str, base_year: int, year: int, reporter: str = "CHN"
):
    """value(year) / value(base_year) − 1 of one trade flow, to three decimals."""
    rows = ds.trade[(ds.trade["reporter"] == reporter) & (ds.trade["flow"] == flow)]
    values = rows.set_index("year")["value_usd"]
    missing = [y for y in (base_year, year) if y not in values.index]
    if missing:
        raise NotCheckable(
            f"the China–Russia trade series has no {reporter} {flow} figure for "
            + ", ".join(map(str, missing))
        )
    if not (values[base_year] > 0 and math.isfinite(values[base_year] + values[year])):
        raise NotCheckable(
            f"the China–Russia trade series' {reporter} {flow} figures for {base_year} and "
            f"{year} give no growth rate (one is zero or missing)"
        )
    growth = round(float(values[year] / values[base_year] - 1), 3)
    return growth, (
        f"{reporter} {flow}: {values[base_year] / 1e9:.2f} bn in {base_year}, "
        f"{values[year] / 1e9:.2f} bn in {year}"
    )


def check_reported_years(
    ds: Datasets,
    *,
    start_year: int,
    end_year: int,
    reporter: str = "CHN",
    flow: str = "total",
    source_contains: str = "Customs",
):
    """Years of [start_year, end_year] with a trade figure whose cited source names the agency."""
    t = ds.trade
    rows = t[(t["reporter"] == reporter) & (t["flow"] == flow)]
    held = sorted({int(y) for y in rows["year"]})
    if not held or not held[0] <= end_year <= held[-1]:
        if not held:
            raise NotCheckable(
                f"the China–Russia trade series has no {reporter} {flow} figure in this data"
            )
        span = "–".join(dict.fromkeys(map(str, (held[0], held[-1]))))
        raise NotCheckable(
            f"the China–Russia trade series has {reporter} {flow} figures for {span} only"
        )
    rows = rows[rows["year"].between(start_year, end_year)]
    named = rows[rows["source"].str.contains(source_contains, case=False, regex=False)]
    years = sorted(int(y) for y in named["year"])
    return len(years), f"years citing '{source_contains}': {', '.join(map(str, years)) or 'none'}"


def check_not_in_data(ds: Datasets, *, needs: str):
    """A claim the project holds no data for: ``needs`` says what would test it."""
    raise NotCheckable(f"needs {needs}")


TESTS: dict[str, Callable[..., tuple[Any, str]]] = {
    "veto_count": check_veto_count,
    "veto_group_rank": check_veto_group_rank,
    "joint_veto_count": check_joint_veto_count,
    "designation_year": check_designation_year,
    "years_between_designations": check_years_between_designations,
    "first_event_year": check_first_event_year,
    "unga_vote": check_unga_vote,
    "us_dyads_trend": check_us_dyads_trend,
    "arms_deliveries": check_arms_deliveries,
    "posture_count": check_posture_count,
    "organisation_members": check_organisation_members,
    "organisation_accessions": check_organisation_accessions,
    "trade_growth": check_trade_growth,
    "reported_years": check_reported_years,
    "not_in_data": check_not_in_data,
}
