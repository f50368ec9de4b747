"""The key-events section: the landmark events of the range, spread across it, and China's posture on
Russia's war against Ukraine."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from analysis.data.loader import Datasets, coverage
from analysis.model.periods import day_label
from analysis.render.context import BriefingContext
from analysis.render.document import Document, Quotes, note, paragraph
from analysis.render.formats import (
    count,
    plural,
    publisher,
)
from analysis.sections.base import (
    Section,
    inside_dates,
)

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


def with_posture(events: pd.DataFrame, posture: pd.DataFrame) -> pd.DataFrame:
    """The bilateral chronology with the war-posture events added (same columns), an event
    recorded in both (same day, category and actor1) once, from the bilateral chronology."""
    cols = [
        "date",
        "actor1",
        "cameo_code",
        "category",
        "significance",
        "description",
        "source",
        "source_url",
    ]
    both = pd.concat([events[cols], posture[cols]], ignore_index=True)
    return both.drop_duplicates(["date", "category", "actor1"], keep="first")


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


def key_events_table(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Date | Event | Category | Source, most significant first (already filtered and sorted)."""
    rows = events.head(limit)
    return pd.DataFrame(
        {
            "Date": rows["date"].dt.strftime("%Y-%m-%d"),
            "Event": rows["description"],
            "Category": rows["category"].str.replace("_", " "),
            "Source": [
                f'<a href="{html.escape(u)}">{html.escape(publisher(s))}</a>'
                for s, u in zip(rows["source"], rows["source_url"], strict=True)
            ],
        }
    )


def render(ctx: BriefingContext, doc: Document) -> list[str]:
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
    table = key_events_table(events, len(events))
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
                key_events_table(inside.sort_values("date"), len(inside)),
                "China's posture on Russia's war against Ukraine and the pressure on China over "
                "it, in date order (votes, position papers, warnings, sanctions rounds, protests).",
                ["war_posture", "sanctions_prc_entities"],
                raw_html=["Source"],
                css="briefing-table small",
            )
        )
    return parts


SECTION = Section(key="key_events", title="Key events in the range", render=render)
