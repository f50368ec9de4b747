"""The claims-check section: one table per published source, from every claims file checked.

The files are :func:`analysis.config.claims_files` (``data/claims.yaml`` then
``data/claims_extra.yaml``, or the one ``--claims`` file); each claim's computed value is quoted
under ``claims.<id>.computed``.
"""

from __future__ import annotations

from analysis import config
from analysis.render import tables as T
from analysis.render.context import BriefingContext
from analysis.render.document import Document


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def claims_section(ctx: BriefingContext, doc: Document) -> list[str]:
    import pandas as pd

    checked = pd.concat(
        [ctx.step.claims[str(path)] for path in config.claims_files(ctx.ds.data_dir)],
        ignore_index=True,
    )
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
            "cut at that day, the mechanism of --as-of), not today's"
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
                f" {T.WORDING_MARK} Wording not read in the source itself: "
                + "; ".join(dict.fromkeys(wording))
                + "."
            )
        if (rows["verdict"] == "supported in part").any():
            caption += (
                " Supported in part: what the data hold agrees, but they do not hold all the "
                "claim says (named in the last column)."
            )
        parts.append(
            doc.table(
                T.claims_table(rows), caption, raw_html=["Verdict"], css="briefing-table small"
            )
        )
    return parts
