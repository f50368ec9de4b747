"""The Energy and money sentences on plain dicts: what they quote and when they stay silent."""

from __future__ import annotations

from analysis.render import formats
from analysis.render.document import Quotes
from analysis.sections import energy as E


def _now(**kw):
    base = {
        "coverage": "full",
        "crude_mt_n": 2,
        "crude_mt_first": 12.78,
        "crude_mt_first_when": "2005",
        "crude_mt_last": 101.0,
        "crude_mt_last_when": "2025",
        "crude_missing": [2006, 2007, 2008, 2019],
        "crude_share_n": 2,
        "crude_share_first": 0.101,
        "crude_share_first_when": "2005",
        "crude_share_first_computed": False,
        "crude_share_last": 0.175,
        "crude_share_last_when": "2025",
        "crude_share_last_computed": True,
        "pos_bcm_n": 0,
    }
    return base | kw


def test_runs_compress_consecutive_years():
    assert formats.runs([2006, 2007, 2008, 2019]) == "2006–2008, 2019"
    assert formats.runs([]) == ""


def test_energy_sentence_quotes_its_numbers_and_names_the_gaps():
    q = Quotes()
    text = E.energy_sentence(_now(), {}, q)
    assert "12.8 Mt in 2005 and 101.0 Mt in 2025" in text
    assert "none could be cited for 2006–2008, 2019" in text
    assert "2005 as a source states it, 2025 computed from the two volumes" in text
    assert q.values["energy.crude_share_last"]["text"] == "17.5%"
    assert "Power of Siberia" not in text  # no gas figure in the range


def test_sentences_are_silent_without_data():
    assert E.energy_sentence({"coverage": "none"}, {}, Quotes()) is None
    assert E.money_sentence({"coverage": "full"}, {}, Quotes()) is None
    assert E.dependence_sentence({"coverage": "full"}, {}, Quotes()) is None


def test_money_sentence_says_the_support_claim_is_not_checkable():
    now = {
        "cny_share_rus_exports_n": 1,
        "cny_share_rus_exports_last": 0.408,
        "cny_share_rus_exports_last_when": "January 2024",
    }
    text = E.money_sentence(now, {}, Quotes())
    assert "40.8% in January 2024" in text and "not checkable with this data" in text
