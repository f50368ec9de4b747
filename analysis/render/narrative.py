"""Sentences of the briefing, generated from computed values.

Every number a sentence quotes goes through a :class:`Quotes` recorder under a stable key, so
that ``figures.json`` holds exactly the numbers the reader sees, formatted as printed.
Functions take :class:`~analysis.model.facts.RangeFacts` (or plain dicts in tests) and return text.
"""

from __future__ import annotations

import math
from typing import Any

from analysis.render.document import Quotes

FINDINGS_LIMIT = 6


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


def tiv(x: float) -> str:
    """SIPRI TIV, millions: '1,234'."""
    return _minus(f"{x:,.0f}")


def signed2(x: float) -> str:
    return _minus(f"{x:+.2f}")


def count(x: int) -> str:
    return _minus(f"{int(x):,}")


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return word if n == 1 else (plural_word or word + "s")


# ---- sentences -------------------------------------------------------------------------------


def share_of_draws(x: float) -> str:
    """A share of the draws: '48%'."""
    return f"{x * 100:.0f}%"


def _banded(comp: dict[str, Any], which: str, q: Quotes) -> str:
    """'+4.5 (second-highest fifth; 80% of draws +1.4 to +5.7)' for the first or last year."""
    value = q(f"composite.{which}_value", comp[f"{which}_value"], index_points)
    text = f"{value} ({comp[f'{which}_band']}"
    bands = comp.get(f"{which}_q")
    if bands:
        lo = q(f"composite.{which}_q10", bands["q10"], index_points)
        hi = q(f"composite.{which}_q90", bands["q90"], index_points)
        text += f"; 80% of draws {lo} to {hi}"
    return text + ")"


def phase_sentence(
    comp: dict[str, Any], dip_now: dict[str, Any], dip_before: dict[str, Any], q: Quotes
) -> str:
    """Composite value, band and 80 % band at the start and end of the range, whether the change
    between them is clear in the draws, and the designation."""
    monthly = comp.get("resolution") == "month"
    if not comp.get("years"):
        unit = "monthly" if monthly else "yearly"
        return f"The composite index has no {unit} value inside this range."
    last = _banded(comp, "last", q)
    q("composite.first_year", comp["first_year"], str)
    q("composite.last_year", comp["last_year"], str)
    a = comp.get("first_label", str(comp["first_year"]))
    b = comp.get("last_label", str(comp["last_year"]))
    if monthly:
        q("composite.first_month", a, str)
        q("composite.last_month", b, str)
    what = "The monthly composite index" if monthly else "The composite index"
    if a == b:
        text = f"{what} stood at {last} in {b}"
    else:
        first = _banded(comp, "first", q)
        text = f"{what} moved from {first} in {a} to {last} in {b}"
        p = comp.get("p_last_above_first")
        if p is not None:
            share = q("composite.p_last_above_first", p, share_of_draws)
            verdict = {"rise": "a clear rise", "fall": "a clear fall"}.get(
                comp.get("change"), "no clear change"
            )
            text += (
                f": {verdict}, {comp['last_year']} being above {comp['first_year']} in {share} "
                "of the draws"
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
    """The trend verdict read from the draws, the robust change points inside the range, and
    the range's highest year against its runner-up."""
    tr = comp["trend"]
    if tr["verdict"] == "not measurable":
        return f"Trend: not measurable — {tr['reason']}."
    s = q("composite.trend_slope", tr["slope"], slope)
    lo = q("composite.trend_low", tr["low"], slope)
    hi = q("composite.trend_high", tr["high"], slope)
    q("composite.trend_n", tr["n"], str)
    text = (
        f"Trend: {tr['verdict']} — the Theil–Sen slope is {s} index points a year "
        f"(95% interval {lo} to {hi}, {tr['n']} {tr.get('unit', 'yearly')} values"
    )
    if tr.get("unit") == "monthly":
        text += "; monthly values are autocorrelated, so the interval is too narrow"
    if tr.get("share_up") is not None:
        up = q("composite.trend_share_up", tr["share_up"], share_of_draws)
        down = q("composite.trend_share_down", tr["share_down"], share_of_draws)
        text += f"; beyond the threshold upwards in {up} of the draws, downwards in {down}"
    text += ")"
    if comp.get("breaks_in_range"):
        years = ", ".join(str(b) for b in comp["breaks_in_range"])
        if comp.get("resolution") == "month":
            text += (
                "; the change-point search on the monthly series (segments of at least six "
                f"months) finds a regime break in {years}"
            )
        else:
            text += (
                f"; a change point that survives the penalty range and the draws falls in {years}"
            )
    if comp.get("p_peak") is not None:
        q("composite.peak_year", comp["peak_year"], str)
        q("composite.runner_up", comp["runner_up"], str)
        p = q("composite.p_peak", comp["p_peak"], share_of_draws)
        text += (
            f". The range's highest year, {comp['peak_year']}, is above the next highest, "
            f"{comp['runner_up']}, in {p} of the draws"
        )
    return text + "."


def scale_sentence(series, q: Quotes) -> str:
    """What the −9..+9 scale means, in one plain sentence, with the observed extremes."""
    low, high = int(series.idxmin()), int(series.idxmax())
    lo = q("composite.record_low", float(series.min()), index_points)
    hi = q("composite.record_high", float(series.max()), index_points)
    return (
        "The index is relative to the record of China–Russia, China–USA and Russia–USA since "
        "1989, measured alike: −9 would be a year with every component at the lowest value any "
        "of the three pairs had, +9 one with every component at the highest (China–Russia "
        f"observed: {lo} in {low} to {hi} in {high}); it is not Tsinghua University's absolute "
        "scale."
    )


def trade_month_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """A short range's trade from the monthly releases (months wholly inside the range)."""
    if not now.get("months_with_data"):
        return None
    n = now["months_with_data"]
    text = (
        f"Trade (China's customs, monthly releases) totalled "
        f"{q('economic.month_sum', now['trade_month_sum'], usd_bn)} in the "
        f"{q('economic.months_with_data', n, count)} {plural(n, 'month')} with a published "
        f"figure wholly inside the range ({now['month_first']} to {now['month_last']}), "
        f"{q('economic.month_mean', now['trade_month_mean'], usd_bn)} a month; "
        f"{q('economic.month_first_value', now['month_first_value'], usd_bn)} in "
        f"{now['month_first']}, {q('economic.month_last_value', now['month_last_value'], usd_bn)} "
        f"in {now['month_last']}"
    )
    if before.get("months_with_data"):
        text += (
            f"; the preceding period averaged "
            f"{q('economic.prior.month_mean', before['trade_month_mean'], usd_bn)} a month over "
            f"{q('economic.prior.months_with_data', before['months_with_data'], count)} months"
        )
    return text + "."


def trade_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("resolution") == "month":
        return trade_month_sentence(now, before, q)
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
    if now.get("cagr_real") is not None:
        r = q("economic.real_first_value", now["real_first_value"], usd_bn)
        gr = q("economic.cagr_real", now["cagr_real"], pct)
        text += (
            f" ({gr} a year in constant {now['last_year']} dollars, deflated by the US CPI-U: "
            f"{now['first_year']}'s trade was worth {r} of {now['last_year']})"
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


def record_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """China–Russia alignment on every recorded General Assembly vote in the range (with n and
    the chance-corrected κ), the two US pairs beside it, and the Ukraine votes told apart."""
    n = now.get("rec_chn_rus_n") or 0
    if not n:
        return None
    share = lambda x: pct(x, signed=False)  # noqa: E731
    text = (
        f"On the {q('un.rec_chn_rus_n', n, count)} recorded General Assembly votes both cast in "
        f"the range ({now['rec_dates']}), China and Russia voted identically on "
        f"{q('un.rec_chn_rus_identical', now['rec_chn_rus_identical'], share)} "
        + (
            f"(Cohen's κ {q('un.rec_chn_rus_kappa', now['rec_chn_rus_kappa'], ratio)}, "
            "0 being the agreement expected by chance)"
            if now.get("rec_chn_rus_kappa") is not None
            else "(Cohen's κ not defined for these votes)"
        )
        + "; China and the USA on "
        f"{q('un.rec_chn_usa_identical', now['rec_chn_usa_identical'], share)}, Russia and the "
        f"USA on {q('un.rec_rus_usa_identical', now['rec_rus_usa_identical'], share)}"
    )
    if before.get("rec_chn_rus_n"):
        text += (
            f"; in the preceding period China and Russia agreed on "
            f"{q('un.prior.rec_chn_rus_identical', before['rec_chn_rus_identical'], share)} of "
            f"{q('un.prior.rec_chn_rus_n', before['rec_chn_rus_n'], count)} votes"
        )
    text += "."
    ukr = now.get("rec_ukr_n") or 0
    if ukr:
        text += (
            f" The {q('un.rec_ukr_n', ukr, count)} votes on Ukraine (the emergency session on "
            "Ukraine and Crimea resolutions) are counted apart: China and Russia voted alike on "
            f"{q('un.rec_ukr_identical', now['rec_ukr_identical'], share)} of them and on "
            f"{q('un.rec_rest_identical', now['rec_rest_identical'], share)} of the other "
            f"{q('un.rec_rest_n', now['rec_rest_n'], count)}, so a change of topic mix is not read "
            "as a change of alignment."
        )
    return text


def record_gap_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """Where the per-vote record has no vote in the range, say so (the UN section only)."""
    if now.get("rec_chn_rus_n"):
        return None
    return (
        "The bundled per-vote General Assembly record holds no vote in this range (it has none "
        "from February 2020 to February 2025; the yearly charts show session aggregates there)."
    )


def unga_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """The curated key votes: an annex of votes that drew attention, not the measure."""
    if not now.get("unga_n"):
        return None
    agr = q("un.unga_agreement", now["unga_agreement"], lambda x: pct(x, signed=False))
    n = q("un.unga_n", now["unga_n"], count)
    return (
        f"On the {n} curated key roll calls (an annex of votes that drew attention, chosen by the "
        f"rule in data/README.md, not the measure of alignment) they voted identically on {agr}."
    )


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
        value = q("military.arms_tiv", now["arms_tiv"], tiv)
        parts.append(
            f"SIPRI records Soviet/Russian arms deliveries to China worth {value} million TIV "
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


def _log_ratio(a: float | None, b: float | None) -> float:
    if a is None or b is None:
        return 0.0
    return abs(math.log((a + 1) / (b + 1)))


def salience_of(metric: str):
    """How much a count moved against the preceding period: |log((now + 1) / (before + 1))|."""

    def moved(now: dict[str, Any], before: dict[str, Any]) -> float:
        return _log_ratio(now.get(metric), before.get(metric))

    return moved


def share_salience(metric: str):
    """How much a share moved: twice the absolute change (comparable with the log ratios)."""

    def moved(now: dict[str, Any], before: dict[str, Any]) -> float:
        return abs((now.get(metric) or 0) - (before.get(metric) or 0)) * 2

    return moved


def trade_salience(now: dict[str, Any], before: dict[str, Any]) -> float:
    """The larger of the change in average trade and the growth inside the range (|log|)."""
    if now.get("resolution") == "month":
        return _log_ratio(now.get("trade_month_mean"), before.get("trade_month_mean"))
    moved = _log_ratio(now.get("trade_mean"), before.get("trade_mean"))
    if now.get("multiple") is not None:
        moved = max(moved, abs(math.log(now["multiple"])))
    return moved


def key_findings(facts, q: Quotes, offered, limit: int = FINDINGS_LIMIT) -> list[str]:
    """At most ``limit`` findings: phase, trend, then the offered section findings whose metrics
    moved most against the preceding period. ``offered``: (section key, Finding) pairs."""
    c, p = facts.current, facts.prior
    findings = [
        phase_sentence(facts.composite, c["diplomatic"], p["diplomatic"], q),
        trend_sentence(facts.composite, q),
    ]
    ranked = sorted(offered, key=lambda kf: (-kf[1].salience(c[kf[0]], p[kf[0]]), kf[1].rank))
    for key, finding in ranked:
        if len(findings) >= limit:
            break
        sentence = finding.sentence(c[key], p[key], q)
        if sentence:
            findings.append(sentence)
    return findings[:limit]
