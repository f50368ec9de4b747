"""Annex B, validation: the episodes the literature agrees on against the index, the
correlations with independent event data; and, for the method annex, the robustness of the change
points and what chain-linking does where a component enters or leaves."""

from __future__ import annotations

import html

import pandas as pd

from analysis.model.chain_steps import chain_steps
from analysis.model.change_points import ROBUST_TOLERANCE
from analysis.model.components import (
    LABELS,
)
from analysis.render.context import BriefingContext
from analysis.render.document import Document, paragraph
from analysis.render.formats import index_points
from analysis.sections.base import Section


def _rho(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:+.2f}".replace("-", "−")


def _pts(x: float) -> str:
    return f"{x:+.1f}".replace("-", "−")


def _p(x: float) -> str:
    return "p n/a" if pd.isna(x) else f"p {x:.2f}"


def episodes_parts(ctx: BriefingContext, doc: Document) -> list[str]:
    """The episodes the literature agrees on, against the index's change over each: the table,
    and a sentence by a stated rule (how many agree, which do not)."""
    from analysis.model.dyads import NAMES
    from analysis.model.validation import check_episodes, episode_agreement, episode_table

    table = episode_table(ctx.step.yearly, check_episodes(ctx.ds))
    if table.empty:
        return []
    agree, measured = episode_agreement(table)
    doc.quotes("method.episodes.agree", agree, str)
    doc.quotes("method.episodes.measured", measured, str)
    view = pd.DataFrame(
        {
            "Dyad": table["dyad"].map(NAMES),
            "Years": table["from_year"].astype(str) + "→" + table["to_year"].astype(str),
            "Episode": table["label"],
            "Expected": table["direction"],
            "Index change": table["change"].map(lambda x: "n/a" if pd.isna(x) else _pts(x)),
            "Draws agreeing": table["draw_share"].map(
                lambda x: "n/a" if pd.isna(x) else f"{x:.0%}"
            ),
            "Agrees": table["agrees"].map({True: "yes", False: "no", None: "n/a"}),
        }
    )
    wrong = table[table["agrees"].eq(False)]
    sentence = (
        f"The index moves in the direction the literature gives in {agree} of the {measured} "
        "episodes it can measure"
        + (
            "; it disagrees on "
            + "; ".join(
                f"{NAMES[r.dyad]} {r.from_year}→{r.to_year} ({r.label})" for r in wrong.itertuples()
            )
            + "."
            if len(wrong)
            else "."
        )
    )
    return [
        doc.table(
            view,
            "Episodes on whose direction the literature agrees (each cited in the episodes "
            "dataset) against the index's change between the two years and the share of the "
            "uncertainty draws that move the same way.",
            ["episodes"],
            numeric=["Index change", "Draws agreeing"],
            css="briefing-table small",
        ),
        f"<p>{html.escape(sentence)}</p>",
    ]


def validation_parts(ctx: BriefingContext, doc: Document) -> list[str]:
    """The validation table against ICEWS and GDELT when their files are beside the project,
    and a sentence by a stated rule (which correlations are significant at 5%)."""
    from analysis.model.dyads import NAMES

    src = ctx.sources
    skipped = [f'<p class="note">{html.escape(n)}</p>' for n in src.notes]
    if src.icews is None and src.gdelt_edge is None:
        return [
            *skipped,
            '<p class="note">Validation against independent event data (ICEWS, GDELT) not run: '
            "the reference series are not available on this machine.</p>",
        ]
    table = ctx.step.validation
    rows = []
    for r in table.itertuples():
        key = f"method.validation.{r.reference.split()[0].lower()}.{r.dyad.lower()}"
        doc.quotes(f"{key}.levels_rho", r.levels_rho, _rho)
        doc.quotes(f"{key}.diffs_rho", r.diffs_rho, _rho)
        rows.append(
            {
                "Reference series": r.reference,
                "Dyad": NAMES[r.dyad],
                "Years": r.years,
                "ρ, levels (p, n)": f"{_rho(r.levels_rho)} ({_p(r.levels_p)}, {r.levels_n})",
                "ρ, yearly changes (p, n)": f"{_rho(r.diffs_rho)} ({_p(r.diffs_p)}, {r.diffs_n})",
            }
        )
    view = pd.DataFrame(rows)
    significant = [
        f"{NAMES[r.dyad]} with {r.reference} in {kind} (ρ {_rho(rho)}, n {n})"
        for r in table.itertuples()
        for kind, rho, p, n in (
            ("levels", r.levels_rho, r.levels_p, r.levels_n),
            ("yearly changes", r.diffs_rho, r.diffs_p, r.diffs_n),
        )
        if pd.notna(p) and p < 0.05
    ]
    total, k = 2 * len(table), len(significant)
    sentence = (
        f"Of the {total} rank correlations, "
        + ("none is" if k == 0 else f"{k} {'is' if k == 1 else 'are'}")
        + " significant at the 5% level"
        + (": " + "; ".join(significant) + "." if significant else ".")
        + " With so few years, the independent series can confirm a strong agreement but not rule "
        "one out; a correlation that is not significant is no evidence either way."
    )
    caption = (
        "Validation against independent, machine-coded event data (Spearman rank correlations "
        "on the years both cover; ICEWS: (cooperation − conflict)/(cooperation + conflict) of "
        "each dyad's events, both directions; GDELT: mean daily Goldstein-and-tone edge of the "
        "dyad, years with all twelve months). The reference series are used for this check only."
    )
    return [
        *skipped,
        doc.table(view, caption, numeric=list(view.columns[3:]), css="briefing-table small"),
        f"<p>{html.escape(sentence)}</p>",
    ]


def _gdelt_table(ctx: BriefingContext, doc: Document) -> str:
    cmp = ctx.sources.gdelt_comparison
    view = pd.DataFrame(
        {
            "Year": cmp["period"].dt.year.astype(str),
            "GDELT events": cmp["gdelt_count"].map(lambda x: f"{x:,.0f}"),
            "Curated events": cmp["curated_count"].map(lambda x: f"{x:,.0f}"),
            "Net cooperation, GDELT": cmp["gdelt_net_cooperation"].map(lambda x: f"{x:.2f}"),
            "Net cooperation, curated": cmp["curated_net_cooperation"].map(lambda x: f"{x:.2f}"),
        }
    )
    return doc.table(
        view,
        f"The curated chronology against {ctx.sources.gdelt_label}, by year.",
        numeric=list(view.columns[1:]),
        css="briefing-table small",
    )


def _break_table(table: pd.DataFrame, doc: Document) -> pd.DataFrame:
    rows = []
    for _, r in table.iterrows():
        b = int(r["break"])
        share = doc.quotes(f"breaks.{b}.draw_share", r["draw_share"], lambda x: f"{x:.1%}")
        rows.append(
            {
                "Break": str(b),
                "Found at penalties (× default)": ", ".join(f"{m:g}" for m in r["penalties"]),
                f"Draws with a break within ±{ROBUST_TOLERANCE} year": share,
                "Robust?": "yes" if r["robust"] else "no",
            }
        )
    return pd.DataFrame(rows)


def _steps_table(steps, doc: Document) -> pd.DataFrame:
    rows = []
    for s in steps:
        rows.append(
            {
                "Year": str(s.year),
                "Enters": ", ".join(LABELS[c] for c in s.entered) or "—",
                "Leaves": ", ".join(LABELS[c] for c in s.left) or "—",
                "Change, plain mean": doc.quotes(f"steps.{s.year}.plain", s.plain, index_points),
                "Change, chain-linked": doc.quotes(
                    f"steps.{s.year}.chained", s.chained, index_points
                ),
            }
        )
    return pd.DataFrame(rows)


def method_uncertainty_parts(ctx: BriefingContext, doc: Document) -> list[str]:
    """The robust and not robust change points, and the chain-linking against the plain mean."""
    q = doc.quotes
    comp = ctx.facts.composite
    parts = []
    table = comp.get("break_table")
    if table is not None and len(table):
        parts.append(
            doc.table(
                _break_table(table, doc),
                "Every change point PELT finds in the composite at some penalty (break: the first "
                "year of the new segment), with the penalties it is found at and the share of "
                "draws that break within a year of it; only the robust ones are findings.",
                numeric=[f"Draws with a break within ±{ROBUST_TOLERANCE} year"],
                css="briefing-table small",
            )
        )
        weak = comp.get("breaks_not_robust", [])
        if weak:
            parts.append(
                paragraph(
                    "Not robust (not reported as findings): "
                    + ", ".join(str(b) for b in weak)
                    + "."
                )
            )
    steps = chain_steps(ctx.result)
    if steps:
        parts.append(
            doc.table(
                _steps_table(steps, doc),
                "Years in which a component enters or leaves the composite: the year's change in "
                "the plain mean against the chain-linked change (computed from the components "
                "present in both years).",
                numeric=["Change, plain mean", "Change, chain-linked"],
                css="briefing-table small",
            )
        )
        entry = max(steps, key=lambda s: abs(s.plain - s.chained))
        plain, chained = ctx.result.index["plain"], ctx.result.index["composite"]
        y = entry.year
        parts.append(
            paragraph(
                f"The headline index is chain-linked: a component's entry, exit or missing year "
                f"does not move it, and it is anchored at the last year with a value, where the "
                f"plain mean and the chain agree. In {y} the chain-linked level is "
                f"{q(f'steps.{y}.level_chained', float(chained[y]), index_points)} against "
                f"a plain mean of {q(f'steps.{y}.level_plain', float(plain[y]), index_points)}"
                ". The plain mean is drawn as a thin line on the phase timeline."
            )
        )
    return parts


def render(ctx: BriefingContext, doc: Document) -> list[str]:
    parts = [*episodes_parts(ctx, doc), *validation_parts(ctx, doc)]
    if ctx.sources.gdelt_comparison is not None:
        parts.append(_gdelt_table(ctx, doc))
    return parts


SECTION = Section(
    key="validation", title="Annex B. Validation", render=render, new_page=False, heading_level=3
)
