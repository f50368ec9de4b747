"""The claims-check section: published statements about the relationship, each tested against the
data, with the computed value beside the stated one."""

from __future__ import annotations

import html

import pandas as pd

from analysis import config
from analysis.render.context import BriefingContext
from analysis.render.document import Document
from analysis.sections.base import (
    Section,
)

_COMPARE_WORDS = {
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "at_most": "at most ",
}

#: The claims table's classes: ``claims-table`` lays it out with fixed column widths and breaks
#: a long unbroken token (a URL, a word of a hostile file) inside its cell (briefing.css).
CLAIMS_CSS = "briefing-table small claims-table"
#: Marks a claim whose wording was not read in the source itself (``wording_from``).
WORDING_MARK = "†"


def claims_table(checked: pd.DataFrame) -> pd.DataFrame:
    css = {
        "supported": "verdict-supported",
        "not supported": "verdict-not-supported",
        "supported in part": "verdict-partly",
    }
    marked = checked.get("wording_from", pd.Series("", index=checked.index)).fillna("")
    forecast = checked.get("forecast", pd.Series(False, index=checked.index)).fillna(False)
    return pd.DataFrame(
        {
            "Claim": [
                c + (f" {WORDING_MARK}" if w else "") + (" (a forecast)" if f else "")
                for c, w, f in zip(checked["claim"], marked, forecast, strict=True)
            ],
            "Stated": [
                f"{_COMPARE_WORDS.get(c, '')}{v}"
                for v, c in zip(
                    checked["stated"].astype(str),
                    checked.get("compare", pd.Series("equal", index=checked.index)),
                    strict=True,
                )
            ],
            "Computed": checked["computed"].map(lambda v: "—" if v is None else str(v)),
            "Verdict": [
                f'<span class="{css.get(v, "verdict-not-checkable")}">{html.escape(v)}</span>'
                for v in checked["verdict"]
            ],
            "Tested as → what the data show": [
                f"{r}. → {e}" if r else e
                for r, e in zip(checked["reading"], checked["evidence"], strict=True)
            ],
        }
    )


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def checked_claims(ctx: BriefingContext) -> pd.DataFrame:
    """Every claim of the claims files with its computed value and verdict, in file order."""
    return pd.concat(
        [ctx.step.claims[str(path)] for path in config.claims_files(ctx.ds.data_dir)],
        ignore_index=True,
    )


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    checked = checked_claims(ctx)
    for _, row in checked.iterrows():
        doc.quotes(f"claims.{row['id']}.computed", row["computed"], _shown)
    parts = []
    for source, rows in checked.groupby("source", sort=False):
        counts = rows["verdict"].value_counts()
        tally = ", ".join(f"{n} {v}" for v, n in counts.items())
        key = f"claims.{rows['id'].iloc[0]}.source_tally"
        doc.quotes(key, len(rows), str)
        day = rows["as_of"].iloc[0]
        vintage = (
            f" as they stood on the source's date, {pd.Timestamp(day):%-d %B %Y} (every dataset "
            "cut at that day), not today's"
            if day
            else ""
        )
        caption = (
            f"Claims of {source} ({rows['source_url'].iloc[0]}) checked against the data"
            f"{vintage} ({len(rows)} claims: {tally})."
        )
        if rows["forecast"].any():
            caption += " A forecast is checked on the data after the source's date."
        wording = rows.loc[rows["wording_from"] != "", "wording_from"]
        if len(wording):
            caption += (
                f" {WORDING_MARK} Wording not read in the source itself: "
                + "; ".join(dict.fromkeys(wording))
                + "."
            )
        if (rows["verdict"] == "supported in part").any():
            caption += (
                " Supported in part: what the data hold agrees, but they do not hold all the "
                "claim says (named in the last column)."
            )
        parts.append(doc.table(claims_table(rows), caption, raw_html=["Verdict"], css=CLAIMS_CSS))
    return parts


SECTION = Section(
    key="claims",
    title="Annex C. Claims in detail",
    new_page=False,
    heading_level=3,
    render=render,
)
