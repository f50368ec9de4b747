"""The sections' sentences on fixed inputs, the formatters and Quotes.

The inputs are plain dicts shaped like ``facts.period_metrics`` / ``facts.composite_facts``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.render import formats
from analysis.render.document import Quotes
from analysis.sections import diplomatic, military, un
from analysis.sections.economic import trade_sentence
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
        "On the 5 key roll calls that drew attention (a selection, not the measure of alignment) "
        "they voted identically on 40.0%."
    )


def test_record_sentence_exact_with_the_ukraine_votes_apart():
    q = Quotes()
    text = un.record_sentence(RECORD, {"rec_chn_rus_n": 0}, q)
    assert text == (
        "On the 192 recorded General Assembly votes both cast in the range (2025-02-24 to "
        "2025-12-18; whole resolutions, amendments and separate paragraphs), China and Russia "
        "voted identically on 78.1% (Cohen's κ 0.36, 0 being the "
        "agreement expected by chance); China and the USA on 4.2%, Russia and the USA on 13.0%. "
        "The 4 votes on Ukraine (the emergency session on Ukraine and Crimea resolutions) are "
        "counted apart: China and Russia voted alike on 25.0% of them and on 79.3% of the other "
        "188, so a change of topic mix is not read as a change of alignment."
    )
    assert all(v["text"] in text for v in q.values.values())


def test_record_sentence_states_a_gap_of_the_per_vote_record_it_spans():
    text = un.record_sentence({**RECORD, "rec_gap": "15 January 2020 to 23 February 2025"},
                              {"rec_chn_rus_n": 0}, Quotes())  # fmt: skip
    assert "the per-vote record has no vote from 15 January 2020 to 23 February 2025)" in text


def test_record_gap_is_the_longest_stretch_without_a_vote_inside_the_range():
    record = pd.DataFrame({"date": pd.to_datetime(["2019-10-01", "2020-01-14", "2025-02-24"])})
    assert (
        un.record_gap(record, "2019-01-01", "2026-11-30") == "15 January 2020 to 23 February 2025"
    )
    assert un.record_gap(record, "2019-01-01", "2020-06-30") is None  # under a year of it inside
    assert un.record_gap(record, "2019-09-01", "2019-12-31") is None


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
