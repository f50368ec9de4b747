"""The SCO and BRICS section: who belongs, who joined when, and which summits both leaders attended."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from analysis.data.loader import Datasets
from analysis.indicators.diplomatic import summit_attendance
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes, note, paragraph
from analysis.render.figures import BLUE, GREY, INK, ORANGE, new_axes
from analysis.render.formats import (
    count,
    plural,
)
from analysis.sections.base import Section


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
    range, those both heads of state attended in person (and those no cited page settles), and
    each head of state's own in-person count over the summits of his tenure."""
    out: dict[str, Any] = {}
    for org in ("SCO", "BRICS"):
        at_end = membership(ds, org, end)
        before = membership(ds, org, pd.Timestamp(start) - pd.Timedelta(days=1))
        tally = summit_attendance(ds.organisation_summits, org, start, end)
        both = tally[tally["country"] == "both"].iloc[0]
        leaders = tally[tally["country"] != "both"]
        out[org] = {
            "members_end": len(at_end),
            "joined": [m for m in at_end if m not in before],
            "summits": int(both["summits"]),
            "summits_both": int(both["in_person"]),
            "summits_unknown": int(both["unknown"]),
            "leaders": leaders.to_dict("records"),
        }
    return out


def chart(org: pd.DataFrame, names: dict[str, str], *, start, end) -> Figure:
    """One row per (organisation, state): a bar from founding/accession to the end of the axis,
    a hollow marker at observer status or an invitation; the range shaded."""
    members = org[org["event"].isin(["founding", "accession", "observer", "invitation"])]
    rows = (
        members.sort_values("date")
        .groupby(["organisation", "member"], sort=False)["date"]
        .min()
        .reset_index()
        .sort_values(["organisation", "date"], ascending=[False, True])
    )
    height = 0.8 + 0.09 * len(rows)
    fig, (ax,) = new_axes(height=height)
    right = max(pd.Timestamp(end), org["date"].max()) + pd.Timedelta(days=365)
    left = min(pd.Timestamp(start), org["date"].min()) - pd.Timedelta(days=365)
    ax.axvspan(pd.Timestamp(start), pd.Timestamp(end), facecolor="#cfdceb", alpha=0.45, lw=0)
    colour = {"SCO": BLUE, "BRICS": ORANGE}
    labels = []
    for i, r in enumerate(rows.itertuples(index=False)):
        own = members[(members["organisation"] == r.organisation) & (members["member"] == r.member)]
        joined = own[own["event"].isin(["founding", "accession"])]["date"]
        if len(joined):
            ax.barh(i, (right - joined.min()).days, left=joined.min(), height=0.6,
                    color=colour[r.organisation], lw=0)  # fmt: skip
        for d in own[own["event"].isin(["observer", "invitation"])]["date"]:
            ax.plot(d, i, marker="o", mfc="white", mec=INK, ms=4)
        labels.append(f"{r.organisation}: {names.get(r.member, r.member)}")
    ax.axvline(pd.Timestamp(end), color=GREY, ls="--", lw=0.8)
    ax.set_yticks(range(len(labels)), labels, fontsize=5)
    ax.invert_yaxis()
    ax.set_xlim(left, right)
    ax.grid(axis="x", color="#cccccc", lw=0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Year")
    return fig


NAMES = {
    "BRA": "Brazil", "CHN": "China", "IND": "India", "RUS": "Russia", "ZAF": "South Africa",
    "ARE": "the UAE", "EGY": "Egypt", "ETH": "Ethiopia", "IRN": "Iran", "IDN": "Indonesia",
    "KAZ": "Kazakhstan", "KGZ": "Kyrgyzstan", "PAK": "Pakistan", "TJK": "Tajikistan",
    "UZB": "Uzbekistan", "BLR": "Belarus", "SAU": "Saudi Arabia", "ARG": "Argentina",
}  # fmt: skip


def _members_phrase(org: str, f: dict[str, Any], q: Quotes) -> str:
    joined = ", ".join(NAMES.get(m, m) for m in f["joined"])
    text = f"the {org} had {q(f'organisations.{org}.members_end', f['members_end'], count)} members"
    if f["joined"] and len(f["joined"]) == f["members_end"]:
        text += " (all of them founded it or joined it in the range)"
    elif f["joined"]:
        text += f" ({joined} joined in the range)"
    if f["summits"]:
        text += (
            f"; of its {q(f'organisations.{org}.summits', f['summits'], count)} "
            f"{plural(f['summits'], 'summit')} in the range the two heads of state were both there "
            f"in person at {q(f'organisations.{org}.summits_both', f['summits_both'], count)}"
        )
        if f["summits_unknown"]:
            text += f" (at {f['summits_unknown']} more, one side's attendance is not recorded)"
        text += " (" + "; ".join(_leader_phrase(r) for r in f["leaders"]) + ")"
    return text


def _leader_phrase(r: dict[str, Any]) -> str:
    """'Xi Jinping 10 of 13 in person' — over the summits held while he was head of state."""
    return f"{r['head_of_state']} {r['in_person']} of {r['summits']} in person"


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    facts = organisation_facts(ctx.ds, ctx.start, ctx.end)
    if not any(f["members_end"] for f in facts.values()):
        return [note(f"Neither the SCO nor BRICS existed in {ctx.facts.period.label}.",
                     "not-measurable")]  # fmt: skip
    text = (
        f"At the end of the range ({ctx.end:%Y-%m-%d}) "
        + "; ".join(_members_phrase(o, f, doc.quotes) for o, f in facts.items() if f["members_end"])
        + ". Each leader is counted over the summits held while he was head of state."
    )
    org = ctx.ds.organisations
    make = partial(chart, org[org["organisation"].isin(["SCO", "BRICS"])],
                   NAMES, start=ctx.start, end=ctx.end)  # fmt: skip
    caption = (
        "Membership of the SCO and BRICS by state: a bar from founding or accession; hollow "
        "markers: observer status (SCO) and invitations (BRICS); dashed line: the end of the "
        "range. Shaded: the range."
    )
    return [paragraph(text), doc.figure_later(lambda: (make(), caption), ["organisations"])]


def finding(ctx: BriefingContext) -> str:
    facts = organisation_facts(ctx.ds, ctx.start, ctx.end)
    held = [(o, f) for o, f in facts.items() if f["summits"]]
    if not held:
        return ""
    parts = [f"{f['summits_both']} of the {f['summits']} {o} summits" for o, f in held]
    return "The two heads of state both came in person to " + " and ".join(parts) + " in the range."


SECTION = Section(
    key="organisations",
    finding=finding,
    title="The SCO and BRICS",
    new_page=False,
    datasets=("organisations", "organisation_summits"),
    render=render,
)
