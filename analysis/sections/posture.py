"""China's posture on Russia's war against Ukraine: its votes, position papers, warnings
received and protests, and the Western sanctions rounds naming Chinese entities — third-party
actions, kept apart from the bilateral key events."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.data.loader import Datasets, coverage
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes, paragraph
from analysis.render.formats import count, plural
from analysis.sections.base import Section, inside_dates
from analysis.sections.key_events import key_events_table

#: Most rows the section's table shows (the latest ones; the caption says how many there are).
POSTURE_ROWS = 8

#: CAMEO codes of war_posture.csv (data/README.md): 012 China declines to side with Russia (an
#: abstention), 052 China votes with Russia, 111 a Chinese protest, 130 a US warning.
ABSTAIN, WITH_RUSSIA, PROTEST = "012", "052", "111"


def posture_facts(ds: Datasets, start, end) -> dict[str, Any]:
    """Counts of the war-posture chronology and the designation rounds inside [start, end]."""
    first, last = coverage("war_posture", ds.data_dir)
    out: dict[str, Any] = {"covered": not (pd.Timestamp(end) < first or pd.Timestamp(start) > last)}
    if not out["covered"]:
        return out
    ev = inside_dates(ds.war_posture, "date", start, end)
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
    rounds = inside_dates(ds.sanctions_prc_entities, "date", start, end)
    counted = rounds["n_prc_entities"].dropna()
    out.update(
        rounds=len(rounds),
        authorities=int(rounds["authority"].str.split("-").str[0].nunique()),
        entities_stated=int(counted.sum()),
        rounds_without_count=int(rounds["n_prc_entities"].isna().sum()),
    )
    return out


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


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    facts = posture_facts(ctx.ds, ctx.start, ctx.end)
    sentence = posture_sentence(facts, doc.quotes)
    if not sentence:
        return []
    posture = ctx.ds.war_posture
    inside = posture[(posture["date"] >= ctx.start) & (posture["date"] <= ctx.end)]
    shown = inside.sort_values("date").tail(POSTURE_ROWS)
    which = (
        f"the latest {len(shown)} of {len(inside)} events"
        if len(shown) < len(inside)
        else f"all {len(inside)} events"
    )
    caption = (
        "China's posture on Russia's war against Ukraine and the pressure on China over it "
        f"(votes, position papers, warnings, sanctions rounds, protests): {which} of the range, "
        "in date order."
    )
    return [
        paragraph(sentence),
        doc.table(
            key_events_table(shown, len(shown)),
            caption,
            ["war_posture", "sanctions_prc_entities"],
            raw_html=["Source"],
            css="briefing-table small",
        ),
    ]


def finding(ctx: BriefingContext) -> str:
    """The section's one-sentence finding."""
    f = posture_facts(ctx.ds, ctx.start, ctx.end)
    if not f.get("covered") or not f.get("n"):
        return ""
    return (
        f"China abstained on {f['abstained']} of the UN votes on Russia's war recorded in the "
        f"range and voted with Russia on {f['with_russia']}, while the United States warned it "
        f"{f['us_warnings']} {plural(f['us_warnings'], 'time')} against arming Russia."
    )


SECTION = Section(
    key="posture",
    title="China's posture on Russia's war",
    datasets=("war_posture", "sanctions_prc_entities"),
    render=render,
    new_page=False,
)
