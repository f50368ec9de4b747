"""The bottom line on the bundled data: three to five judgements, each with a confidence word,
a pointer to a section, and no more than three numbers; the short-range fallback; the
arithmetic the judgements read (contributions, the share of draws in a fifth)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.model import judgements as J
from analysis.sections import BY_KEY
from analysis.sections import bottom_line as B


@pytest.fixture(scope="module", params=[("1989-05-15", None), ("2022-02-24", "2023-02-22")])
def judged(request):
    from analysis.render.briefing import Briefing

    brief = Briefing(*request.param)
    return request.param, B.judgements(brief.context)


def test_three_to_five_judgements_each_with_a_word_a_pointer_and_few_numbers(judged):
    _, lines = judged
    assert 3 <= len(lines) <= 5
    words = ("almost certainly", "likely", "unclear")
    for j in lines:
        assert j.section in BY_KEY, j
        assert J.numbers_in(j.text) <= 3, j.text
        assert sum(w in j.text.lower() for w in words) == 1, j.text


def test_the_default_range_judges_china_russia_warmed_and_russia_usa_cooled(judged):
    (_start, end), lines = judged
    if end is not None:
        pytest.skip("the default range only")
    by_key = {j.key: j for j in lines}
    assert by_key["movement"].text.startswith("China–Russia relations almost certainly warmed")
    assert "Russia's relations with the United States almost certainly cooled" in (
        by_key["us_relations"].text
    )


def test_a_range_without_two_whole_years_reads_the_year_before_against_the_last(judged):
    (_start, end), lines = judged
    if end is None:
        pytest.skip("the short range only")
    movement = next(j for j in lines if j.key == "movement")
    assert "from 2021 to 2022" in movement.text  # the invasion year against the year before


def test_contributions_add_up_to_the_chain_linked_change():
    from analysis.model.composite import CompositeResult, contributions, headline_from_normalised

    norm = pd.DataFrame(
        {
            "trade_share": [0.0, 0.5, 1.0],
            "leader_contacts": [0.5, 0.5, 0.5],
            "vote_kappa": [float("nan"), 0.0, 1.0],
            "official_framing": [0.5, 0.5, 0.5],
            "joint_exercises": [0.5, 0.5, 0.5],
        },
        index=[2010, 2011, 2012],
    )
    w = {"trade_share": 0.5, "leader_contacts": 0.25, "vote_kappa": 0.25, "official_framing": 0.25}
    w["joint_exercises"] = 0.25
    index = headline_from_normalised(norm, w)
    out = contributions(CompositeResult(norm, norm, index, w), 2010, 2012)
    # 2010→2011: κ absent, Σw = 1.25: trade 18·.5·.5/1.25; 2011→2012: Σw = 1.5: trade 18·.5·.5/1.5
    assert out["trade_share"] == pytest.approx(18 * 0.25 / 1.25 + 18 * 0.25 / 1.5)
    assert out["vote_kappa"] == pytest.approx(18 * 0.25 / 1.5) and out["leader_contacts"] == 0
    change = index["composite"][2012] - index["composite"][2010]
    assert sum(out.values()) == pytest.approx(change)


def test_band_share_reads_the_draws_of_the_last_year():
    draws = pd.DataFrame({2014: [5.5, 6.0, 7.0, 4.0]})  # three of four in [5.4, 9]
    assert B.band_share(draws, 2014, 6.1) == 0.75
    assert B.band_share(None, 2014, 6.1) is None
    assert B.band_share(draws, 2015, 6.1) is None
