"""The briefing's tables: range-versus-preceding-period comparisons and evidence tables.

Tables are built as DataFrames from computed facts (every printed number is recorded in the
:class:`~analysis.render.narrative.Quotes`), then rendered as plain, escaped HTML.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pandas as pd

from analysis.render.document import Quotes
from analysis.render.narrative import _minus, index_points, pct

NA = "n/a"


def share(x: float) -> str:
    return pct(x, signed=False)


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


def comparison(dimension: str, spec, facts, q: Quotes, *, with_prior: bool = True) -> pd.DataFrame:
    """Metric | preceding period | range | change, for one section; ``spec``: its rows (key,
    label, fmt), as the section registry declares them. Without ``with_prior`` (the preceding
    period lies outside the section's data) the table is Metric | range: no column of n/a."""
    now, before = facts.current[dimension], facts.prior[dimension]
    rows = []
    for key, label, fmt in ((r.key, r.label, r.fmt) for r in spec):
        a, b = before.get(key), now.get(key)
        if a is None and b is None:  # a row of the other resolution (yearly/monthly)
            continue
        row = {"Metric": label}
        if with_prior:
            row[f"Preceding ({facts.previous.short})"] = q(
                f"table.{dimension}.{key}.prior", a, lambda v, f=fmt: _cell(v, f)
            )
        row[f"Range ({facts.period.short})"] = q(
            f"table.{dimension}.{key}.range", b, lambda v, f=fmt: _cell(v, f)
        )
        if with_prior:
            row["Change"] = q(f"table.{dimension}.{key}.change", _change(b, a, fmt), str)
        rows.append(row)
    return pd.DataFrame(rows)


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


_COMPARE_WORDS = {
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "at_most": "at most ",
}


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


def _point(label) -> str:
    """A change point's label: the year, or the month ('2022-05')."""
    return f"{label:%Y-%m}" if isinstance(label, pd.Timestamp) else str(label)


def phase_summary_table(summary: pd.DataFrame, q: Quotes) -> pd.DataFrame:
    """Official phase | level | years | composite mean and band | change points inside."""
    rows = []
    for i, r in summary.iterrows():
        mean = q(f"phases.{i}.mean", r["mean"], lambda x: _cell(x, index_points))
        rows.append(
            {
                "Official phase": f"{r['start']:%Y-%m} to {r['end']:%Y-%m}",
                "Level": str(r["level"]),
                "Designation": r["designation_en"]
                + (" (in force at the start)" if r.get("in_force_at_start") else ""),
                "Composite, mean (band)": f"{mean} ({r['band']})" if r["band"] else mean,
                "Change points": ", ".join(map(_point, r["breaks"])) or "none",
            }
        )
    return pd.DataFrame(rows)
