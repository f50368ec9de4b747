"""The briefing's method section: formulas, weights, robustness tables, sources, references."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.data.loader import citations
from analysis.model.phases import (
    COMPONENT_LABELS,
    TREND_THRESHOLD,
    leave_one_out,
    penalty_sensitivity,
)
from analysis.render import figures as F
from analysis.render import tables as T

if TYPE_CHECKING:
    from analysis.render.briefing import Briefing

COMPOSITE_SOURCES = [
    "partnership_designations",
    "events",
    "unga_roll_calls",
    "unsc_vetoes",
    "trade",
    "military_cooperation",
]

METHOD_DEFINITIONS = [
    (
        "Composite index",
        "each yearly component is min–max normalised over 1989 to the end of the data, (x − min)/(max − min), "
        "never over the requested range, so every briefing places a year at the same value; "
        "index = −9 + 18 · Σ wᵢxᵢ / Σ wᵢ over the components present that year (at least four). Event and "
        "UNGA ratios are pooled over three years; counts are blank in years a dataset covers only in part.",
    ),
    (
        "Bands",
        "half-open: [−9,−6) hostile, [−6,−3) tense, [−3,0) bad, [0,3) ordinary, [3,6) good, [6,9] "
        "friendly — relative to this relationship's own post-1989 range, not Tsinghua's absolute scale.",
    ),
    (
        "Trend",
        "Theil–Sen slope of the yearly index inside the range; warming or cooling when |slope| ≥ "
        f"{TREND_THRESHOLD:.2f} points a year and the 95% interval excludes 0, otherwise stable; not "
        "measurable with fewer than three yearly values.",
    ),
    (
        "Change points",
        "ruptures PELT, l2 cost, jump 1, minimum segment 2 years; penalty σ̂²·log n with σ̂ "
        "the median absolute first difference / 0.6745 / √2; a sensitivity table follows.",
    ),
    (
        "UN alignment",
        "UNGA agreement = identical votes / roll calls both cast; Lijphart variant gives ½ "
        "when one abstains; Signorino–Ritter S = 1 − 2Σd/(n·d_max) with yes=1, abstain=2, no=3, d_max=2. "
        "Joint veto = the same draft vetoed by China and the USSR/Russia; joint share = joint / China's.",
    ),
    (
        "Events",
        "Goldstein (1992) weights from the CAMEO lookup table; QuadClass 1–2 cooperative, 3–4 "
        "conflictual; net cooperation = (cooperative − conflictual) / N.",
    ),
    (
        "Economic",
        "China's customs figures in current US dollars; CAGR = (last/first)^(1/years) − 1 over "
        "the years with a reported total; balance = China's exports − imports.",
    ),
]


def definitions_html() -> str:
    items = "".join(
        f"<li><b>{html.escape(k)}:</b> {html.escape(v)}</li>" for k, v in METHOD_DEFINITIONS
    )
    return f'<ul class="refs">{items}</ul>'


def method_parts(brief: Briefing) -> list[str]:
    """The HTML blocks of the method section, numbered through ``brief``'s counters."""
    w = brief.result.weights
    weights = pd.DataFrame(
        {"Component": [COMPONENT_LABELS[c] for c in w], "Weight": [f"{v:.2f}" for v in w.values()]}
    )
    for c, v in w.items():
        brief.quotes(f"method.weight.{c}", v, lambda x: f"{x:.2f}")
    brief.quotes("method.trend_threshold", TREND_THRESHOLD, lambda x: f"{x:.2f}")
    loo = leave_one_out(brief.result, start=brief.start, end=brief.end)
    parts = [
        definitions_html(),
        brief._table(
            weights,
            "Default component weights of the composite index (overridable).",
            numeric=["Weight"],
        ),
        brief._table(
            T.leave_one_out_table(loo, COMPONENT_LABELS, w),
            "Leave-one-out: how the index over the range moves when each component is dropped.",
            numeric=[
                "Weight",
                "Mean shift (points)",
                "Largest shift",
                "Index in the last year without it",
            ],
        ),
        brief._table(
            T.sensitivity_table(penalty_sensitivity(brief.result.series())),
            "Change points of the composite over a range of PELT penalties.",
            numeric=["Penalty (× default)", "Penalty", "Breaks"],
        ),
        brief._figure(
            F.components_figure(
                brief.result.normalised, COMPONENT_LABELS, start=brief.start, end=brief.end
            ),
            "The normalised components of the composite index (0 = lowest year, 1 = highest year since "
            "1989); gaps where a dataset does not cover a year.",
            COMPOSITE_SOURCES,
        ),
        brief._table(brief.sources.table(), "Data used by each part of this briefing."),
    ]
    if brief.sources.gdelt_comparison is not None:
        parts.append(_gdelt_table(brief))
    notes = list(dict.fromkeys(brief.facts.coverage_notes))
    if notes:
        items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
        parts.append(f'<p><b>Coverage notes.</b></p><ul class="refs">{items}</ul>')
    return parts


def _gdelt_table(brief: Briefing) -> str:
    cmp = brief.sources.gdelt_comparison
    view = pd.DataFrame(
        {
            "Year": cmp["period"].dt.year.astype(str),
            "GDELT events": cmp["gdelt_count"].map(lambda x: f"{x:,.0f}"),
            "Curated events": cmp["curated_count"].map(lambda x: f"{x:,.0f}"),
            "Net cooperation, GDELT": cmp["gdelt_net_cooperation"].map(lambda x: f"{x:.2f}"),
            "Net cooperation, curated": cmp["curated_net_cooperation"].map(lambda x: f"{x:.2f}"),
        }
    )
    return brief._table(
        view,
        f"The curated chronology against {brief.sources.gdelt_label}, by year.",
        numeric=list(view.columns[1:]),
        css="briefing-table small",
    )


def references_html(data_dir: Path | None) -> str:
    """The reference list, one entry per dataset, from the sidecars."""
    items = []
    for _, r in citations(data_dir).iterrows():
        cov = (
            f"{r['coverage_start']:%Y-%m-%d} to {r['coverage_end']:%Y-%m-%d}"
            if pd.notna(r["coverage_start"])
            else "lookup table"
        )
        items.append(
            f"<li><b>{html.escape(r['title'])}</b> (data/{r['dataset']}.csv; {cov}). "
            f"{html.escape(r['citation'])} Licence: {html.escape(str(r['licence']))}. "
            f"Accessed {html.escape(r['date_accessed'])}.</li>"
        )
    return f'<ol class="refs">{"".join(items)}</ol>'
