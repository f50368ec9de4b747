"""The published claims in brief: for each source, how many of its claims the data support, do
not support or cannot check, and which are not supported; the detail is in an annex."""

from __future__ import annotations

import html

from analysis.render.context import BriefingContext
from analysis.render.document import Document, paragraph
from analysis.sections.base import Section
from analysis.sections.claims import checked_claims

#: The verdicts in the order a tally names them.
ORDER = ("supported", "supported in part", "not supported", "not checkable with this data")
#: Words of a claim quoted in the summary before it is cut.
QUOTED_WORDS = 14


def _short(text: str) -> str:
    words = text.split()
    return " ".join(words[:QUOTED_WORDS]) + ("…" if len(words) > QUOTED_WORDS else "")


def publisher_of(source: str) -> str:
    """'Time News' from 'Time News (time.news), "title" (date)'."""
    import re

    return re.sub(r"\s*\([^)]*\)", "", source.split(",")[0]).strip()


def tally(verdicts) -> str:
    """'5 supported, 1 not supported and 2 not checkable with these data'."""
    counts = verdicts.value_counts()
    unknown = sorted(set(counts.index) - set(ORDER))
    if unknown:
        raise ValueError(f"unknown verdicts {unknown}; known: {list(ORDER)}")
    parts = [f"{counts[v]} {v}" for v in ORDER if v in counts]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text


def finding(ctx: BriefingContext) -> str:
    checked = checked_claims(ctx)
    firsts = checked.groupby("source", sort=False)
    parts = [
        f"{len(rows)} claims of {publisher_of(source)}: {tally(rows['verdict'])}"
        for source, rows in firsts
    ]
    return "Of the " + "; of the ".join(parts) + "."


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    checked = checked_claims(ctx)
    out = []
    for source, rows in checked.groupby("source", sort=False):
        wrong = rows[rows["verdict"] == "not supported"]
        if wrong.empty:
            continue
        quoted = "; ".join(f"“{html.unescape(_short(c))}”" for c in wrong["claim"])
        out.append(paragraph(f"Not supported ({publisher_of(source)}): {quoted}."))
    out.append(paragraph("Each claim's reading, computed value and evidence: Annex C."))
    return out


SECTION = Section(
    key="claims_summary",
    title="Published claims checked",
    finding=finding,
    render=render,
    new_page=False,
)
