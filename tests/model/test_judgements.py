"""The bottom line's judgements on tiny facts: each confidence word at its threshold, a movement
stated only where the movement rule calls one, at most three numbers a sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.model import judgements as J


@pytest.mark.parametrize(
    ("share", "word"),
    [
        (1.0, "almost certainly"),
        (0.95, "almost certainly"),  # at the threshold
        (0.9499, "likely"),
        (0.80, "likely"),  # at the threshold
        (0.7999, "unclear"),
        (0.5, "unclear"),
        (None, "unclear"),
        (float("nan"), "unclear"),
    ],
)
def test_confidence_word_at_each_threshold(share, word):
    assert J.confidence(share) == word


@given(st.floats(0, 1))
def test_a_larger_share_never_gets_a_weaker_word(share):
    order = ["unclear", "likely", "almost certainly"]
    assert order.index(J.confidence(min(1.0, share + 0.01))) >= order.index(J.confidence(share))


def facts(verdict, p_up, p_down, change=2.0, dyad="CHN-RUS", first=1990, last=2025):
    return {"dyad": dyad, "verdict": verdict, "p_up": p_up, "p_down": p_down,
            "change": change, "first_year": first, "last_year": last}  # fmt: skip


def test_a_warming_in_96_percent_of_draws_is_almost_certain_and_names_its_drivers():
    j = J.movement(
        facts("warmed", 0.96, 0.04),
        contributions={"leader_contacts": 2.0, "official_framing": 1.0, "trade_share": 0.1},
    )
    assert j.word == "almost certainly" and j.share == 0.96
    assert j.text == (
        "China–Russia relations almost certainly warmed from 1990 to 2025, mostly through more "
        "frequent leader contacts and warmer official language."
    )


def test_a_cooling_in_90_percent_is_likely_and_its_drivers_are_the_cooling_ones():
    j = J.movement(
        facts("cooled", 0.1, 0.9, change=-3.0, dyad="RUS-USA"),
        contributions={"hostile_months": -2.0, "leader_contacts": 0.5, "trade_share": -0.3},
    )
    assert j.word == "likely"
    assert "likely cooled" in j.text
    assert "more sanctions against each other and a smaller share of each other's trade" in j.text
    assert "leader contacts" not in j.text  # it moved the other way


def test_a_driver_needs_a_quarter_point():
    assert J.drivers_phrase({"leader_contacts": 0.24}, +1) == ""
    assert J.drivers_phrase({"leader_contacts": 0.25}, +1).endswith("leader contacts")


def test_split_draws_make_an_unclear_sentence_without_a_direction_claimed():
    j = J.movement(facts("no clear move", 0.86, 0.14))
    assert j.word == "unclear"
    assert j.text.startswith("Whether China–Russia relations warmed from 1990 to 2025 is unclear")


def test_a_small_agreed_change_is_said_as_little_change():
    j = J.movement(facts("held steady", 0.97, 0.03, change=0.4))
    assert j.word == "almost certainly" and "changed little" in j.text and "edging up" in j.text


def test_too_few_years_is_unclear():
    j = J.movement({"dyad": "CHN-RUS", "verdict": "not measurable"})
    assert j.word == "unclear" and "too few whole years" in j.text


@pytest.mark.parametrize(
    ("share", "word", "phrase"),
    [(0.95, "almost certainly", "almost certainly stood in the highest fifth"),
     (0.80, "likely", "likely stood in the highest fifth"),
     (0.79, "unclear", "stood around the highest fifth")],
)  # fmt: skip
def test_standing_words_at_the_thresholds(share, word, phrase):
    j = J.standing("CHN-RUS", 2025, "highest fifth", share)
    assert j.word == word and phrase in j.text


def test_us_relations_one_word_for_two_dyads_from_the_weaker_share():
    both = J.us_relations(
        {"CHN-USA": facts("cooled", 0.0, 0.99, -4, "CHN-USA", 2012, 2022),
         "RUS-USA": facts("cooled", 0.1, 0.90, -3, "RUS-USA", 2012, 2022)}
    )  # fmt: skip
    assert both.word == "likely" and both.share == 0.90
    assert both.text == (
        "Both countries' relations with the United States likely cooled from 2012 to 2022."
    )
    one = J.us_relations(
        {"CHN-USA": facts("no clear move", 0.6, 0.4, 0.3, "CHN-USA"),
         "RUS-USA": facts("cooled", 0.0, 1.0, -5, "RUS-USA")}
    )  # fmt: skip
    assert one.text == (
        "Russia's relations with the United States almost certainly cooled from 1990 to 2025, "
        "while China's show no clear move."
    )


def test_a_judgement_with_four_numbers_is_refused():
    ok = J.Judgement("a", "From 1990 to 2025 it rose to +7.2.", "likely", 0.9, "x")
    J.check_numbers([ok])
    bad = J.Judgement("b", "From 1990 to 2025 it rose from −0.5 to +7.2.", "likely", 0.9, "x")
    with pytest.raises(ValueError, match="4 numbers"):
        J.check_numbers([bad])
