"""Sentences of the briefing, generated from computed values.

Every number a sentence quotes goes through a :class:`Quotes` recorder under a stable key, so
that ``figures.json`` holds exactly the numbers the reader sees, formatted as printed.
Functions take :class:`~analysis.model.facts.RangeFacts` (or plain dicts in tests) and return text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

FINDINGS_LIMIT = 6


class Quotes:
    """Records each quoted number: ``key -> {"value": raw, "text": as printed}``."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, Any]] = {}

    def __call__(self, key: str, value: Any, fmt: Callable[[Any], str]) -> str:
        text = fmt(value)
        raw = value
        if isinstance(value, float) and math.isnan(value):
            raw = None
        elif hasattr(value, "item"):
            raw = value.item()
        self.values[key] = {"value": raw, "text": text}
        return text


# ---- formatters ------------------------------------------------------------------------------


def _minus(text: str) -> str:
    """A true minus sign, and no negative zero ('−0.00' reads as a finding)."""
    if text.lstrip("+-").strip("0.,%$ bn×") == "":
        text = text.replace("-", "").replace("+", "")
    return text.replace("-", "−")


def usd_bn(x: float) -> str:
    """US dollars as '$240.1 bn' ('−$38.0 bn' when negative)."""
    return _minus(f"{'-' if x < 0 else ''}${abs(x) / 1e9:,.1f} bn")


def pct(x: float, signed: bool = True) -> str:
    return _minus(f"{x * 100:+.1f}%" if signed else f"{x * 100:.1f}%")


def index_points(x: float) -> str:
    """A composite value, signed with a true minus sign: '+4.2', '−3.1'."""
    return _minus(f"{x:+.1f}")


def slope(x: float) -> str:
    return _minus(f"{x:+.2f}")


def ratio(x: float) -> str:
    return _minus(f"{x:.2f}")


def times(x: float) -> str:
    return f"×{x:.1f}"


def count(x: int) -> str:
    return _minus(f"{int(x):,}")


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return word if n == 1 else (plural_word or word + "s")


# ---- sentences -------------------------------------------------------------------------------


def phase_sentence(
    comp: dict[str, Any], dip_now: dict[str, Any], dip_before: dict[str, Any], q: Quotes
) -> str:
    """Composite value and band at the start and end of the range, and the designation."""
    if not comp.get("years"):
        return "The composite index has no yearly value inside this range."
    first = (
        f"{q('composite.first_value', comp['first_value'], index_points)} ({comp['first_band']})"
    )
    last = f"{q('composite.last_value', comp['last_value'], index_points)} ({comp['last_band']})"
    q("composite.first_year", comp["first_year"], str)
    q("composite.last_year", comp["last_year"], str)
    if comp["first_year"] == comp["last_year"]:
        text = f"The composite index stood at {last} in {comp['last_year']}"
    else:
        text = (
            f"The composite index moved from {first} in {comp['first_year']} "
            f"to {last} in {comp['last_year']}"
        )
    level = dip_now.get("level_end")
    if level is not None:
        q("diplomatic.level_end", level, str)
        text += f"; the official designation in force at the end was level {level}, “{dip_now['designation_end']}”"
        changes = dip_now.get("designation_changes", 0)
        if changes:
            text += f" ({q('diplomatic.designation_changes', changes, count)} {plural(changes, 'change')} in the range)"
    return text + "."


def trend_sentence(comp: dict[str, Any], q: Quotes) -> str:
    tr = comp["trend"]
    if tr["verdict"] == "not measurable":
        return f"Trend: not measurable — {tr['reason']}."
    s = q("composite.trend_slope", tr["slope"], slope)
    lo = q("composite.trend_low", tr["low"], slope)
    hi = q("composite.trend_high", tr["high"], slope)
    q("composite.trend_n", tr["n"], str)
    text = (
        f"Trend: {tr['verdict']} — the Theil–Sen slope is {s} index points a year "
        f"(95% interval {lo} to {hi}, {tr['n']} yearly values)"
    )
    if comp.get("breaks_in_range"):
        years = ", ".join(str(b) for b in comp["breaks_in_range"])
        text += f"; the change-point search finds a regime break in {years}"
    return text + "."


def trade_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("coverage") == "none" or now.get("first_year") is None:
        return None
    a = q("economic.first_value", now["first_value"], usd_bn)
    b = q("economic.last_value", now["last_value"], usd_bn)
    m = q("economic.multiple", now["multiple"], times)
    g = q("economic.cagr", now["cagr"], pct)
    text = (
        f"Trade (China's customs) went from {a} in {now['first_year']} to {b} in {now['last_year']}, "
        f"{m}, a compound growth of {g} a year"
    )
    if now.get("balance_last") is not None:
        bal = now["balance_last"]
        side = "surplus" if bal >= 0 else "deficit"
        text += f"; China's {side} in {now['balance_year']} was {q('economic.balance_last', abs(bal), usd_bn)}"
    return text + "."


def veto_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("coverage") == "none":
        return None
    joint = q("un.vetoes_joint", now["vetoes_joint"], count)
    chn = q("un.vetoes_chn", now["vetoes_chn"], count)
    rus = q("un.vetoes_rus", now["vetoes_rus"], count)
    text = (
        f"In the Security Council China cast {chn} {plural(now['vetoes_chn'], 'veto', 'vetoes')} and the "
        f"USSR/Russia {rus}; {joint} {plural(now['vetoes_joint'], 'draft was', 'drafts were')} vetoed by both"
    )
    if now.get("joint_share") is not None:
        text += f" ({q('un.joint_share', now['joint_share'], lambda x: pct(x, signed=False))} of China's vetoes)"
    if before.get("coverage") != "none" and before.get("vetoes_joint") is not None:
        text += f", against {q('un.prior.vetoes_joint', before['vetoes_joint'], count)} in the preceding period"
    return text + "."


def unga_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if not now.get("unga_n"):
        return None
    agr = q("un.unga_agreement", now["unga_agreement"], lambda x: pct(x, signed=False))
    s = q("un.unga_s_score", now["unga_s_score"], ratio)
    n = q("un.unga_n", now["unga_n"], count)
    text = (
        f"In the General Assembly China and Russia voted identically on {agr} of the {n} key roll calls "
        f"both cast (S-score {s})"
    )
    if before.get("unga_n"):
        pa = q("un.prior.unga_agreement", before["unga_agreement"], lambda x: pct(x, signed=False))
        pn = q("un.prior.unga_n", before["unga_n"], count)
        text += f", against {pa} of {pn} in the preceding period"
    return text + "."


def military_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """Joint exercises and patrols where the data cover the range; SIPRI arms deliveries."""
    parts = []
    if now.get("coverage") != "none":
        ex = q("military.exercises", now["exercises"], count)
        pa = q("military.patrols", now["patrols"], count)
        text = (
            f"The armed forces held {ex} joint {plural(now['exercises'], 'exercise')} and "
            f"{pa} joint {plural(now['patrols'], 'patrol')}"
        )
        if before.get("coverage") not in (None, "none"):
            prior = q("military.prior.activities", before["activities"], count)
            text += f", against {prior} activities in the preceding period"
        parts.append(text)
    if now.get("arms_tiv") is not None:
        tiv = q("military.arms_tiv", now["arms_tiv"], lambda x: _minus(f"{x:,.0f}"))
        parts.append(
            f"SIPRI records Soviet/Russian arms deliveries to China worth {tiv} million TIV "
            f"in {now['arms_years']}"
        )
    return "; ".join(parts) + "." if parts else None


def diplomatic_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("coverage") == "none":
        return None
    m = q("diplomatic.leader_meetings", now["leader_meetings"], count)
    a = q("diplomatic.agreements", now["agreements"], count)
    text = (
        f"Leaders met {m} {plural(now['leader_meetings'], 'time')} and the two sides signed {a} "
        f"{plural(now['agreements'], 'treaty, agreement or joint statement', 'treaties, agreements or joint statements')}"
    )
    if before.get("coverage") not in (None, "none"):
        text += f" (preceding period: {q('diplomatic.prior.leader_meetings', before['leader_meetings'], count)} meetings)"
    return text + "."


def events_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("coverage") == "none" or not now.get("n_events"):
        return None
    n = q("events.n_events", now["n_events"], count)
    c = q("events.conflict_events", now["conflict_events"], count)
    net = q("events.net_cooperation", now["net_cooperation"], ratio)
    text = (
        f"The chronology records {n} coded {plural(now['n_events'], 'event')} in the range, "
        f"{c} of them conflictual (net cooperation {net} on a −1 to 1 scale)"
    )
    if before.get("coverage") not in (None, "none") and before.get("n_events"):
        text += (
            f"; the preceding period had {q('events.prior.n_events', before['n_events'], count)}"
        )
    return text + "."


def section_sentences(dimension: str, facts, q: Quotes) -> list[str]:
    """The generated sentences that open a dimension's section."""
    c, p = facts.current, facts.prior
    builders = {
        "diplomatic": [lambda: diplomatic_sentence(c["diplomatic"], p["diplomatic"], q)],
        "un": [
            lambda: veto_sentence(c["un"], p["un"], q),
            lambda: unga_sentence(c["un"], p["un"], q),
        ],
        "economic": [lambda: trade_sentence(c["economic"], p["economic"], q)],
        "military": [lambda: military_sentence(c["military"], p["military"], q)],
        "events": [lambda: events_sentence(c["events"], p["events"], q)],
    }
    return [text for build in builders[dimension] if (text := build())]


def _log_ratio(a: float | None, b: float | None) -> float:
    if a is None or b is None:
        return 0.0
    return abs(math.log((a + 1) / (b + 1)))


def salience(facts) -> dict[str, float]:
    """How much each dimension moved against the preceding period (|log ratio|; larger first)."""
    c, p = facts.current, facts.prior
    out = {
        "trade": _log_ratio(c["economic"].get("trade_mean"), p["economic"].get("trade_mean")),
        "vetoes": _log_ratio(c["un"].get("vetoes_joint"), p["un"].get("vetoes_joint")),
        "military": _log_ratio(c["military"].get("activities"), p["military"].get("activities")),
        "diplomatic": _log_ratio(
            c["diplomatic"].get("leader_meetings"), p["diplomatic"].get("leader_meetings")
        ),
        "unga": abs((c["un"].get("unga_agreement") or 0) - (p["un"].get("unga_agreement") or 0))
        * 2,
    }
    if c["economic"].get("multiple") is not None:
        out["trade"] = max(out["trade"], abs(math.log(c["economic"]["multiple"])))
    return out


def key_findings(facts, q: Quotes, limit: int = FINDINGS_LIMIT) -> list[str]:
    """At most ``limit`` findings: phase, trend, then the dimensions that moved most."""
    c, p = facts.current, facts.prior
    findings = [
        phase_sentence(facts.composite, c["diplomatic"], p["diplomatic"], q),
        trend_sentence(facts.composite, q),
    ]
    builders = {
        "trade": lambda: trade_sentence(c["economic"], p["economic"], q),
        "vetoes": lambda: veto_sentence(c["un"], p["un"], q),
        "unga": lambda: unga_sentence(c["un"], p["un"], q),
        "military": lambda: military_sentence(c["military"], p["military"], q),
        "diplomatic": lambda: diplomatic_sentence(c["diplomatic"], p["diplomatic"], q),
    }
    moved = salience(facts)
    order = sorted(builders, key=lambda k: -moved[k])
    for key in order:
        if len(findings) >= limit:
            break
        sentence = builders[key]()
        if sentence:
            findings.append(sentence)
    return findings[:limit]
