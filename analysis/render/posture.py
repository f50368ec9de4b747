"""The key-events section with China's war posture, and the SCO and BRICS section.

The key-events table ranks the bilateral chronology and the war-posture chronology together (see
:func:`analysis.model.posture.with_posture`); a paragraph counts China's votes, warnings, peace
documents, protests and the sanctions rounds naming Chinese firms in the range, and a table lists
the war-posture events in it. The organisations section draws the SCO and BRICS membership
timeline and counts the members and summits of the range.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from analysis.model.periods import day_label
from analysis.model.posture import organisation_facts, posture_facts, with_posture
from analysis.render import figures as F
from analysis.render import tables as T
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes, note, paragraph
from analysis.render.narrative import count, plural

NAMES = {
    "BRA": "Brazil", "CHN": "China", "IND": "India", "RUS": "Russia", "ZAF": "South Africa",
    "ARE": "the UAE", "EGY": "Egypt", "ETH": "Ethiopia", "IRN": "Iran", "IDN": "Indonesia",
    "KAZ": "Kazakhstan", "KGZ": "Kyrgyzstan", "PAK": "Pakistan", "TJK": "Tajikistan",
    "UZB": "Uzbekistan", "BLR": "Belarus", "SAU": "Saudi Arabia", "ARG": "Argentina",
}  # fmt: skip


def posture_sentence(f: dict[str, Any], q: Quotes) -> str | None:
    """China's posture in the range, counted from war_posture.csv and sanctions_prc_entities.csv."""
    if not f.get("covered") or not f.get("n"):
        return None
    n = q("posture.n", f["n"], count)
    text = (
        f"The war-posture chronology records {n} {plural(f['n'], 'event')} in the range "
        f"({f['first']} to {f['last']}): China abstained on "
        f"{q('posture.abstained', f['abstained'], count)} UN {plural(f['abstained'], 'vote')} "
        "on Russia's war and voted with Russia on "
        f"{q('posture.with_russia', f['with_russia'], count)}; the United States warned China "
        f"{q('posture.us_warnings', f['us_warnings'], count)} "
        f"{plural(f['us_warnings'], 'time')}; China issued "
        f"{q('posture.peace_documents', f['peace_documents'], count)} position "
        f"{plural(f['peace_documents'], 'paper or peace document', 'papers or peace documents')}, "
        f"had {q('posture.ukraine_contacts', f['ukraine_contacts'], count)} recorded "
        f"{plural(f['ukraine_contacts'], 'contact')} with Ukraine and protested "
        f"{q('posture.protests', f['protests'], count)} {plural(f['protests'], 'time')} against "
        "sanctions."
    )
    if f.get("rounds"):
        text += (
            f" Western governments designated Chinese or Hong Kong entities for supplying Russia "
            f"in {q('posture.rounds', f['rounds'], count)} {plural(f['rounds'], 'round')} "
            f"(by {q('posture.authorities', f['authorities'], count)} "
            f"{plural(f['authorities'], 'government')}), naming at least "
            f"{q('posture.entities_stated', f['entities_stated'], count)} such entities where "
            "the count is stated"
        )
        if f["rounds_without_count"]:
            text += (
                f" ({q('posture.rounds_without_count', f['rounds_without_count'], count)} "
                f"{plural(f['rounds_without_count'], 'round gives', 'rounds give')} no count)"
            )
        text += "."
    return text


def key_events_section(ctx: BriefingContext, doc: Document) -> list[str]:
    """The most significant events of the range, spread across it, from the bilateral
    chronology and China's war posture together; then the posture paragraph and table."""
    from analysis.indicators import (
        KEY_EVENTS_BINS,
        KEY_EVENTS_LIMIT,
        attach_goldstein,
        spread_key_events,
    )

    merged = attach_goldstein(
        with_posture(ctx.ds.events, ctx.ds.war_posture), ctx.ds.cameo_goldstein
    )
    inside = merged[(merged["date"] >= ctx.start) & (merged["date"] <= ctx.end)]
    if inside.empty:
        return [
            note(f"No event of the chronology falls in {ctx.facts.period.label}.", "not-measurable")
        ]
    events = spread_key_events(merged, start=ctx.start, end=ctx.end)
    shown = doc.quotes("events.key_events_shown", len(events), str)
    total = doc.quotes("events.key_events_total", len(inside), str)
    caption = (
        f"Key events of the range in date order ({shown} of {total} events, "
        f"{day_label(ctx.start)} to {day_label(ctx.end)}; the bilateral chronology and China's "
        "war posture together). Rule: events are taken by significance (landmark, notable, "
        "routine); a tier that fits in the rows left is taken whole, otherwise its events are "
        f"spread over {KEY_EVENTS_BINS} equal time bins of the range and taken round-robin, each "
        f"bin's events ranked by |Goldstein|, up to {KEY_EVENTS_LIMIT} rows."
    )
    table = T.key_events(events, len(events))
    parts = [doc.table(table, caption, ["events", "war_posture"], raw_html=["Source"],
                       css="briefing-table small")]  # fmt: skip
    facts = posture_facts(ctx.ds, ctx.start, ctx.end)
    sentence = posture_sentence(facts, doc.quotes)
    if sentence:
        posture = ctx.ds.war_posture
        inside = posture[(posture["date"] >= ctx.start) & (posture["date"] <= ctx.end)]
        parts.append(doc.heading("China's posture on Russia's war", level=3, new_page=False))
        parts.append(paragraph(sentence))
        parts.append(
            doc.table(
                T.key_events(inside.sort_values("date"), len(inside)),
                "China's posture on Russia's war against Ukraine and the pressure on China over "
                "it, in date order (votes, position papers, warnings, sanctions rounds, protests).",
                ["war_posture", "sanctions_prc_entities"],
                raw_html=["Source"],
                css="briefing-table small",
            )
        )
    return parts


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
            f"{plural(f['summits'], 'summit')} in the range Xi Jinping and Putin both attended in "
            f"person {q(f'organisations.{org}.summits_both', f['summits_both'], count)}"
        )
    return text


def organisations_section(ctx: BriefingContext, doc: Document) -> list[str]:
    facts = organisation_facts(ctx.ds, ctx.start, ctx.end)
    if not any(f["members_end"] for f in facts.values()):
        return [note(f"Neither the SCO nor BRICS existed in {ctx.facts.period.label}.",
                     "not-measurable")]  # fmt: skip
    text = (
        f"At the end of the range ({ctx.end:%Y-%m-%d}) "
        + "; ".join(_members_phrase(o, f, doc.quotes) for o, f in facts.items() if f["members_end"])
        + " (attendance counted only where the cited page names the leader)."
    )
    org = ctx.ds.organisations
    make = partial(F.organisations_figure, org[org["organisation"].isin(["SCO", "BRICS"])],
                   NAMES, start=ctx.start, end=ctx.end)  # fmt: skip
    caption = (
        "Membership of the SCO and BRICS by state: a bar from founding or accession; hollow "
        "markers: observer status (SCO) and invitations (BRICS); dashed line: the end of the "
        "range. Shaded: the range."
    )
    return [paragraph(text), doc.figure_later(lambda: (make(), caption), ["organisations"])]
