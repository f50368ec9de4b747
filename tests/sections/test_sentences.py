"""The sections' sentences on fixed inputs, the formatters, Quotes and the key findings.

The inputs are plain dicts shaped like ``facts.period_metrics`` / ``facts.composite_facts``.
"""

from __future__ import annotations

import copy
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.model.phases import trend
from analysis.render import formats
from analysis.render.document import Quotes
from analysis.sections import SECTIONS, base, diplomatic, economic, military, un
from analysis.sections import key_findings as KF
from analysis.sections.economic import trade_sentence
from analysis.sections.key_findings import FINDINGS_LIMIT, phase_sentence, trend_sentence
from analysis.sections.un import unga_sentence, veto_sentence

RECORD = {
    "rec_chn_rus_n": 192,
    "rec_dates": "2025-02-24 to 2025-12-18",
    "rec_chn_rus_identical": 0.78125,
    "rec_chn_rus_kappa": 0.3595,
    "rec_chn_usa_identical": 0.0417,
    "rec_rus_usa_identical": 0.1302,
    "rec_ukr_n": 4,
    "rec_ukr_identical": 0.25,
    "rec_rest_n": 188,
    "rec_rest_identical": 0.7926,
}


# --------------------------------------------------------------------------------------------
# Formatters and Quotes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "value", "text"),
    [
        (formats.index_points, 4.24, "+4.2"),
        (formats.index_points, -3.26, "−3.3"),  # a true minus sign (U+2212)
        (formats.index_points, -0.04, "0.0"),  # no negative zero
        (formats.usd_bn, 240.06e9, "$240.1 bn"),
        (formats.usd_bn, -38e9, "−$38.0 bn"),
        (formats.pct, 0.1583, "+15.8%"),
        (formats.slope, -0.004, "0.00"),
        (formats.ratio, -1 / 3, "−0.33"),
        (formats.times, 1.8, "×1.8"),
        (formats.count, 1234, "1,234"),
    ],
)
def test_formatters(fmt, value, text):
    assert fmt(value) == text


def test_pct_unsigned():
    assert formats.pct(0.25, signed=False) == "25.0%"


def test_plural():
    assert formats.plural(1, "veto", "vetoes") == "veto"
    assert formats.plural(0, "veto", "vetoes") == "vetoes"
    assert formats.plural(2, "change") == "changes"


def test_quotes_record_value_and_text_under_stable_keys():
    q = Quotes()
    assert q("a.int", np.int64(5), formats.count) == "5"
    assert q("a.float", np.float64(-3.26), formats.index_points) == "−3.3"
    q("a.nan", float("nan"), lambda x: "n/a")
    assert q.values == {
        "a.int": {"value": 5, "text": "5"},
        "a.float": {"value": -3.26, "text": "−3.3"},
        "a.nan": {"value": None, "text": "n/a"},  # NaN is recorded as None (JSON null)
    }
    assert type(q.values["a.int"]["value"]) is int  # numpy scalars become Python numbers
    q("a.int", 6, formats.count)  # the same key again: the last quote wins
    assert q.values["a.int"] == {"value": 6, "text": "6"}


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

COMPOSITE = {
    "years": 9,
    "first_year": 2014,
    "first_value": 3.14,
    "first_band": "second-highest fifth",
    "last_year": 2022,
    "last_value": -3.26,
    "last_band": "second-lowest fifth",
    "trend": {"slope": 0.4, "low": 0.2, "high": 0.6, "n": 9, "verdict": "warming", "reason": "r"},
    "breaks_in_range": [2019],
}
DIP_NOW = {
    "coverage": "full",
    "level_end": 5,
    "designation_end": "comprehensive strategic partnership",
    "designation_changes": 1,
    "leader_meetings": 3,
    "agreements": 2,
}


def test_phase_sentence_exact():
    q = Quotes()
    text = phase_sentence(COMPOSITE, DIP_NOW, {}, q)
    assert text == (
        "The composite index moved from +3.1 (second-highest fifth) in 2014 to −3.3 "
        "(second-lowest fifth) in 2022; "
        "the official designation in force at the end was level 5, "
        "“comprehensive strategic partnership” (1 change in the range)."
    )
    assert q.values["composite.first_value"] == {"value": 3.14, "text": "+3.1"}
    assert q.values["composite.last_value"] == {"value": -3.26, "text": "−3.3"}
    assert q.values["composite.last_year"] == {"value": 2022, "text": "2022"}
    assert q.values["diplomatic.level_end"] == {"value": 5, "text": "5"}
    assert q.values["diplomatic.designation_changes"] == {"value": 1, "text": "1"}


def test_phase_sentence_single_year_and_no_designation():
    comp = {
        **COMPOSITE,
        "first_year": 2022,
        "first_value": -3.26,
        "first_band": "second-lowest fifth",
    }
    text = phase_sentence(comp, {"level_end": None}, {}, Quotes())
    assert text == "The composite index stood at −3.3 (second-lowest fifth) in 2022."


UNCERTAIN = {
    **COMPOSITE,
    "first_q": {"q025": 0.0, "q10": 1.04, "q50": 3.0, "q90": 4.96, "q975": 6.0},
    "last_q": {"q025": -6.0, "q10": -5.0, "q50": -3.0, "q90": -1.0, "q975": 0.0},
    "p_last_above_first": 0.03,
    "change": "fall",
    "peak_year": 2019,
    "runner_up": 2014,
    "p_peak": 0.484,
    "trend": {**COMPOSITE["trend"], "share_up": 0.912, "share_down": 0.0},
}


def test_phase_sentence_with_bands_and_probability():
    q = Quotes()
    text = phase_sentence(UNCERTAIN, {"level_end": None}, {}, q)
    assert text == (
        "The composite index moved from +3.1 (second-highest fifth; 80% of draws +1.0 to +5.0) "
        "in 2014 to −3.3 (second-lowest fifth; 80% of draws −5.0 to −1.0) in 2022: a clear "
        "fall, 2022 being above 2014 in 3% of the draws."
    )
    assert q.values["composite.p_last_above_first"] == {"value": 0.03, "text": "3%"}
    assert q.values["composite.first_q10"]["text"] == "+1.0"
    inside = {**UNCERTAIN, "change": "no clear change", "p_last_above_first": 0.3}
    assert ": no clear change, 2022 being above 2014 in 30%" in phase_sentence(
        inside, {"level_end": None}, {}, Quotes()
    )


def test_trend_sentence_with_draws_and_peak():
    q = Quotes()
    text = trend_sentence(UNCERTAIN, q)
    assert text.endswith(
        "9 yearly values; beyond the threshold upwards in 91% of the draws, downwards in 0%); "
        "a change point that survives the penalty range and the draws falls in 2019. The "
        "range's highest year, 2019, is above the next highest, 2014, in 48% of the draws."
    )
    assert q.values["composite.p_peak"] == {"value": 0.484, "text": "48%"}


def test_phase_sentence_without_values():
    q = Quotes()
    assert phase_sentence({"years": 0}, DIP_NOW, {}, q) == (
        "The composite index has no yearly value inside this range."
    )
    assert q.values == {}


def test_trend_sentence_exact():
    q = Quotes()
    assert trend_sentence(COMPOSITE, q) == (
        "Trend: warming — the Theil–Sen slope is +0.40 index points a year "
        "(95% interval +0.20 to +0.60, 9 yearly values); "
        "a change point that survives the penalty range and the draws falls in 2019."
    )
    assert q.values["composite.trend_slope"] == {"value": 0.4, "text": "+0.40"}
    assert q.values["composite.trend_n"] == {"value": 9, "text": "9"}


def test_trend_sentence_not_measurable():
    tr = trend(pd.Series([1.0, 2.0], index=[2021, 2022]))
    comp = {
        "trend": {
            "slope": None,
            "low": None,
            "high": None,
            "n": tr.n,
            "verdict": tr.verdict,
            "reason": tr.reason,
        }
    }
    q = Quotes()
    assert trend_sentence(comp, q) == (
        "Trend: not measurable — a trend needs at least 3 yearly values; the range has 2."
    )
    assert q.values == {}  # nothing quoted


def test_veto_sentence_exact():
    now = {
        "coverage": "full",
        "vetoes_chn": 1,
        "vetoes_rus": 3,
        "vetoes_joint": 1,
        "joint_share": 1.0,
    }
    q = Quotes()
    assert veto_sentence(now, {"coverage": "none"}, q) == (
        "In the Security Council China cast 1 veto and the USSR/Russia 3; "
        "1 draft was vetoed by both (100.0% of China's vetoes)."
    )
    assert q.values["un.joint_share"] == {"value": 1.0, "text": "100.0%"}
    assert "un.prior.vetoes_joint" not in q.values
    before = {"coverage": "partial", "vetoes_joint": 0}
    text = veto_sentence({**now, "vetoes_chn": 2, "vetoes_joint": 2}, before, Quotes())
    assert text.endswith(
        "2 drafts were vetoed by both (100.0% of China's vetoes), "
        "against 0 in the preceding period."
    )


def test_trade_sentence_exact_with_deficit():
    now = {
        "coverage": "full",
        "first_year": 2018,
        "last_year": 2022,
        "first_value": 100e9,
        "last_value": 180e9,
        "multiple": 1.8,
        "cagr": 1.8**0.25 - 1,
        "balance_year": 2022,
        "balance_last": -38e9,
    }
    q = Quotes()
    assert trade_sentence(now, {}, q) == (
        "Trade (China's customs) went from $100.0 bn in 2018 to $180.0 bn in 2022, ×1.8, "
        "a compound growth of +15.8% a year; China's deficit in 2022 was $38.0 bn."
    )
    assert q.values["economic.balance_last"] == {"value": 38e9, "text": "$38.0 bn"}


def test_unga_sentence_exact():
    now = {"unga_n": 5, "unga_agreement": 0.4, "unga_s_score": 0.2}
    before = {"unga_n": 4, "unga_agreement": 0.25}
    assert unga_sentence(now, before, Quotes()) == (
        "On the 5 curated key roll calls (an annex of votes that drew attention, chosen by the "
        "rule in data/README.md, not the measure of alignment) they voted identically on 40.0%."
    )


def test_record_sentence_exact_with_the_ukraine_votes_apart():
    q = Quotes()
    text = un.record_sentence(RECORD, {"rec_chn_rus_n": 0}, q)
    assert text == (
        "On the 192 recorded General Assembly votes both cast in the range (2025-02-24 to "
        "2025-12-18), China and Russia voted identically on 78.1% (Cohen's κ 0.36, 0 being the "
        "agreement expected by chance); China and the USA on 4.2%, Russia and the USA on 13.0%. "
        "The 4 votes on Ukraine (the emergency session on Ukraine and Crimea resolutions) are "
        "counted apart: China and Russia voted alike on 25.0% of them and on 79.3% of the other "
        "188, so a change of topic mix is not read as a change of alignment."
    )
    assert all(v["text"] in text for v in q.values.values())


def test_record_sentence_without_votes_says_where_the_record_has_none():
    assert un.record_sentence({"rec_chn_rus_n": 0}, {}, Quotes()) is None
    text = un.record_gap_sentence({"rec_chn_rus_n": 0}, {}, Quotes())
    assert "no vote in this range" in text and "February 2020 to February 2025" in text
    assert un.record_gap_sentence(RECORD, {}, Quotes()) is None


def test_sentences_are_none_without_coverage_or_data():
    q = Quotes()
    assert veto_sentence({"coverage": "none"}, {}, q) is None
    assert trade_sentence({"coverage": "full", "first_year": None}, {}, q) is None
    assert unga_sentence({"unga_n": 0}, {}, q) is None
    assert military.sentence({"coverage": "none"}, {}, q) is None
    assert diplomatic.sentence({"coverage": "none"}, {}, q) is None
    assert q.values == {}


# --------------------------------------------------------------------------------------------
# Key findings
# --------------------------------------------------------------------------------------------


def metrics(*, trade_mean, multiple, joint, activities, meetings, agreement) -> dict:
    return {
        "diplomatic": {
            "coverage": "full",
            "level_end": 5,
            "designation_end": "x",
            "designation_changes": 0,
            "leader_meetings": meetings,
            "agreements": 1,
        },
        "un": {
            "coverage": "full",
            "vetoes_chn": max(joint, 1),
            "vetoes_rus": joint + 1,
            "vetoes_joint": joint,
            "joint_share": joint / max(joint, 1),
            "unga_n": 10,
            "unga_agreement": agreement,
            "unga_s_score": 0.5,
            **{**RECORD, "rec_chn_rus_identical": agreement, "rec_ukr_n": 0},
        },
        "economic": {
            "coverage": "full",
            "first_year": 2018,
            "last_year": 2022,
            "first_value": 100e9,
            "last_value": 100e9 * (multiple or 1),
            "multiple": multiple,
            "cagr": 0.05,
            "trade_mean": trade_mean,
            "balance_year": 2022,
            "balance_last": 1e9,
        },
        "military": {
            "coverage": "full",
            "exercises": activities - 1,
            "patrols": 1,
            "activities": activities,
        },
        "events": {"coverage": "full", "n_events": 0},
        "energy": {"coverage": "none"},  # offers a finding only where it has data
    }


def findings_facts() -> SimpleNamespace:
    # salience (|log((a + 1) / (b + 1))|): vetoes log(7/2) = 1.25; trade max(log(2), log(1.5)) = .69;
    # unga |.8 − .7|·2 = .2; military log(11/10) = .095; diplomatic log(4/4) = 0
    current = metrics(
        trade_mean=200e9, multiple=1.5, joint=6, activities=10, meetings=3, agreement=0.8
    )
    prior = metrics(
        trade_mean=100e9, multiple=1.2, joint=1, activities=9, meetings=3, agreement=0.7
    )
    return SimpleNamespace(current=current, prior=prior, composite=copy.deepcopy(COMPOSITE))


#: What the section registry offers the key findings: (section key, Finding).
OFFERED = [(s.key, f) for s in SECTIONS for f in s.findings]


def key_findings(facts, q, limit=FINDINGS_LIMIT):
    return KF.key_findings(facts, q, OFFERED, limit=limit)


def test_salience_by_hand():
    facts = findings_facts()
    c, p = facts.current, facts.prior
    assert base.salience_of("vetoes_joint")(c["un"], p["un"]) == pytest.approx(math.log(7 / 2))
    assert economic.trade_salience(c["economic"], p["economic"]) == pytest.approx(
        math.log((200e9 + 1) / (100e9 + 1))
    )
    assert base.share_salience("rec_chn_rus_identical")(c["un"], p["un"]) == pytest.approx(0.2)
    moved = base.salience_of("activities")(c["military"], p["military"])
    assert moved == pytest.approx(math.log(11 / 10))
    assert base.salience_of("leader_meetings")(c["diplomatic"], p["diplomatic"]) == 0


def test_key_findings_phase_trend_then_most_moved():
    findings = key_findings(findings_facts(), Quotes())
    assert len(findings) == FINDINGS_LIMIT == 6
    assert findings[0].startswith("The composite index moved")
    assert findings[1].startswith("Trend: warming")
    # then vetoes, trade, unga, military; diplomatic (moved least) does not fit
    assert findings[2].startswith("In the Security Council")
    assert findings[3].startswith("Trade (China's customs)")
    assert findings[4].startswith("On the 192 recorded General Assembly votes")
    assert findings[5].startswith("The armed forces")
    assert not any(f.startswith("Leaders met") for f in findings)


def test_key_findings_change_when_the_inputs_change():
    facts = findings_facts()
    before = key_findings(facts, Quotes())
    facts.prior["military"]["activities"] = 1  # military now moved most: log(11/2) = 1.70
    after = key_findings(facts, Quotes())
    assert after != before
    assert after[2].startswith("The armed forces")
    facts.current["un"]["vetoes_joint"] = 7
    assert any("7 drafts were vetoed by both" in f for f in key_findings(facts, Quotes()))


def test_key_findings_limit_and_missing_dimensions():
    facts = findings_facts()
    assert len(key_findings(facts, Quotes(), limit=3)) == 3
    facts.current["economic"] = {"coverage": "none"}
    facts.current["un"]["coverage"] = "none"
    facts.current["un"]["unga_n"] = 0
    facts.current["un"]["rec_chn_rus_n"] = 0
    findings = key_findings(facts, Quotes())
    assert len(findings) == 4  # phase, trend, military, diplomatic
    assert len(findings) <= FINDINGS_LIMIT


def test_key_findings_record_every_printed_number():
    q = Quotes()
    text = " ".join(key_findings(findings_facts(), q))
    for key, quote in q.values.items():
        assert quote["text"] in text, key
