"""The briefing's tables: range-versus-preceding-period comparisons and evidence tables.

Tables are built as DataFrames from computed facts (every printed number is recorded in the
:class:`~analysis.render.narrative.Quotes`), then rendered as plain, escaped HTML.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from analysis.render.narrative import Quotes, _minus, count, index_points, pct, ratio, usd_bn

NA = "n/a"


def share(x: float) -> str:
    return pct(x, signed=False)


#: (dimension, metric key, label, formatter) of each comparison table row.
COMPARISON_ROWS: dict[str, list[tuple[str, str, Callable[[Any], str]]]] = {
    "diplomatic": [
        ("leader_meetings", "Leader-level meetings", count),
        ("official_visits", "State and official visits", count),
        ("leader_calls", "Leader phone/video calls", count),
        ("agreements", "Treaties, agreements, joint statements", count),
        ("level_end", "Designation level at the end (1–7)", count),
    ],
    "un": [
        ("vetoes_chn", "Vetoes cast by China", count),
        ("vetoes_rus", "Vetoes cast by the USSR/Russia", count),
        ("vetoes_joint", "Drafts vetoed by both", count),
        ("joint_share", "Joint vetoes / China's vetoes", share),
        ("unga_n", "UNGA key roll calls both cast", count),
        ("unga_agreement", "UNGA identical votes (share)", share),
        ("unga_agreement_half", "UNGA agreement, abstention = ½", share),
        ("unga_s_score", "UNGA S-score (−1 to 1)", ratio),
    ],
    "economic": [
        ("years_with_data", "Years with a reported total", count),
        ("trade_mean", "Average yearly trade", usd_bn),
        ("last_value", "Trade in the last year with data", usd_bn),
        ("cagr", "Compound annual growth", pct),
        ("balance_last", "China's balance, last year with data", usd_bn),
    ],
    "military": [
        ("exercises", "Joint exercises", count),
        ("patrols", "Joint patrols (air, sea)", count),
        ("activities", "All joint military activities", count),
        (
            "arms_tiv",
            "SIPRI TIV of Russian arms deliveries (million)",
            lambda x: _minus(f"{x:,.0f}"),
        ),
    ],
    "events": [
        ("n_events", "Coded events", count),
        ("conflict_events", "Conflictual events (QuadClass 3–4)", count),
        ("goldstein_mean", "Mean Goldstein score (−10 to 10)", lambda x: _minus(f"{x:+.2f}")),
        ("net_cooperation", "Net cooperation (−1 to 1)", ratio),
    ],
}


def _cell(value: Any, fmt: Callable[[Any], str]) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return NA
    return fmt(value)


def _change(now: Any, before: Any, fmt: Callable[[Any], str]) -> str:
    """now − before in the row's own format, signed ('+23', '−$38.0 bn', '+4.1%')."""
    if now is None or before is None or isinstance(now, str) or isinstance(before, str):
        return ""
    diff = now - before
    if fmt is share:  # a change of shares is in percentage points
        return _minus(f"{diff * 100:+.1f} pp") if diff else "0.0 pp"
    text = fmt(diff)
    if diff > 0 and not text.startswith("+"):
        text = "+" + text
    return text


def comparison(dimension: str, facts, q: Quotes) -> pd.DataFrame:
    """Metric | preceding period | range | change, for one dimension."""
    now, before = facts.current[dimension], facts.prior[dimension]
    rows = []
    for key, label, fmt in COMPARISON_ROWS[dimension]:
        a, b = before.get(key), now.get(key)
        rows.append(
            {
                "Metric": label,
                f"Preceding ({facts.previous.short})": q(
                    f"table.{dimension}.{key}.prior", a, lambda v, f=fmt: _cell(v, f)
                ),
                f"Range ({facts.period.short})": q(
                    f"table.{dimension}.{key}.range", b, lambda v, f=fmt: _cell(v, f)
                ),
                "Change": q(f"table.{dimension}.{key}.change", _change(b, a, fmt), str),
            }
        )
    return pd.DataFrame(rows)


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    numeric: Sequence[str] = (),
    css: str = "briefing-table",
    raw_html: Sequence[str] = (),
) -> str:
    """An escaped HTML table with its caption below (numbers right-aligned)."""
    head = "".join(
        f'<th class="{"num" if c in numeric else ""}">{html.escape(str(c))}</th>'
        for c in frame.columns
    )
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in frame.columns:
            v = row[c]
            text = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
            text = text if c in raw_html else html.escape(text)
            css_class = "num" if c in numeric else ("nowrap" if c == "Date" else "")
            cells.append(f'<td class="{css_class}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{css}"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def key_events(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Date | Event | Category | Source, most significant first (already filtered and sorted)."""
    rows = events.head(limit)
    return pd.DataFrame(
        {
            "Date": rows["date"].dt.strftime("%Y-%m-%d"),
            "Event": rows["description"],
            "Category": rows["category"].str.replace("_", " "),
            "Source": [
                f'<a href="{html.escape(u)}">{html.escape(_publisher(s))}</a>'
                for s, u in zip(rows["source"], rows["source_url"], strict=True)
            ],
        }
    )


def _publisher(source: str, width: int = 48) -> str:
    first = source.split(",")[0].split(";")[0].strip()
    return first if len(first) <= width else first[: width - 1] + "…"


def claims_table(checked: pd.DataFrame) -> pd.DataFrame:
    css = {"supported": "verdict-supported", "not supported": "verdict-not-supported"}
    return pd.DataFrame(
        {
            "Claim": checked["claim"],
            "Stated": checked["stated"].astype(str),
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


def designations_table(designations: pd.DataFrame) -> pd.DataFrame:
    level = designations["level"].astype(int).astype(str)
    marker = designations["change"].map({"reaffirmation": " (reaffirmed)"}).fillna("")
    return pd.DataFrame(
        {
            "Date": designations["date"].dt.strftime("%Y-%m-%d"),
            "Level": level + marker,
            "Designation": designations["designation_en"],
            "Official wording": [
                " / ".join(x for x in (zh, ru) if isinstance(x, str) and x)
                for zh, ru in zip(
                    designations["designation_zh"], designations["designation_ru"], strict=True
                )
            ],
        }
    )


def leave_one_out_table(
    loo: pd.DataFrame, labels: dict[str, str], weights: dict[str, float]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Component dropped": loo["component"].map(lambda c: labels.get(c, c)),
            "Weight": loo["component"].map(lambda c: f"{weights[c]:.2f}"),
            "Mean shift (points)": loo["mean_shift"].map(index_points),
            "Largest shift": loo["max_abs_shift"].map(lambda x: f"{x:.1f}"),
            "Index in the last year without it": loo["end_value"].map(index_points),
        }
    )


def sensitivity_table(sens: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Penalty (× default)": sens["multiplier"].map(lambda m: f"{m:g}"),
            "Penalty": sens["penalty"].map(lambda p: f"{p:.3g}"),
            "Breaks": sens["n_breaks"].astype(str),
            "Break years (a new regime starts)": sens["breaks"].map(
                lambda b: ", ".join(map(str, b)) or "none"
            ),
        }
    )


def phase_summary_table(summary: pd.DataFrame, q: Quotes) -> pd.DataFrame:
    """Official phase | level | years | composite mean and band | change points inside."""
    rows = []
    for i, r in summary.iterrows():
        mean = q(f"phases.{i}.mean", r["mean"], lambda x: _cell(x, index_points))
        rows.append(
            {
                "Official phase": f"{r['start']:%Y-%m} to {r['end']:%Y-%m}",
                "Level": str(r["level"]),
                "Designation": r["designation_en"],
                "Composite, mean (band)": f"{mean} ({r['band']})" if r["band"] else mean,
                "Change points": ", ".join(map(str, r["breaks"])) or "none",
            }
        )
    return pd.DataFrame(rows)
