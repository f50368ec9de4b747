"""Each bottom-line rule on tiny plain-dict cases: rising, falling, mixed, uncertain, absent."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sections import bottom_line as B


def _composite(first, last, verdict, slope=0.3, low=0.1, high=0.5, breaks=()):
    return {
        "years": 5,
        "first_year": 2010,
        "first_value": first,
        "first_band": "ordinary",
        "last_year": 2014,
        "last_value": last,
        "last_band": "highest fifth",
        "trend": {"verdict": verdict, "slope": slope, "low": low, "high": high, "n": 5},
        "breaks_in_range": list(breaks),
    }


RISING = {
    "composite": _composite(1.0, 4.0, "warming"),
    "contributions": {
        "trade_share": 2.0,
        "leader_contacts": 1.5,
        "vote_kappa": 0.1,
        "joint_exercises": -0.6,
    },
    "labels": {
        "trade_share": "Trade",
        "leader_contacts": "Meetings",
        "vote_kappa": "Votes",
        "joint_exercises": "Exercises",
    },
    "arms": {"now": 100.0, "before": 400.0},
}


def test_standing_without_draws_says_it_is_the_point_estimate():
    line = B.standing(RISING)
    assert "+4.0" in line.text and "in the highest fifth of the scale" in line.text
    assert "no uncertainty draws" in line.text and line.section == "phase_timeline"


@pytest.mark.parametrize(
    ("p", "word"), [(0.95, "firmly:"), (0.7, "probably:"), (0.4, "not settled: only")]
)
def test_standing_with_draws_grades_how_sure(p, word):
    facts = RISING | {"band": {"p_band": p, "low": 2.5, "high": 5.5}}
    text = B.standing(facts).text
    assert word in text and f"{p:.0%}" in text and "+2.5 to +5.5" in text


def test_rising_names_the_drivers_and_the_laggard():
    text = B.drivers(RISING).text
    assert "warming from 2010 to 2014" in text
    assert "Trade +2.0 and Meetings +1.5" in text  # the two largest along the change
    assert "lagging against it: Exercises −0.6" in text
    assert "Votes" not in text  # +0.1 is below MIN_POINTS


def test_falling_reads_the_contributions_the_other_way():
    falling = RISING | {
        "composite": _composite(4.0, 1.0, "cooling", slope=-0.5, low=-0.8, high=-0.2),
        "contributions": {"trade_share": -2.0, "leader_contacts": 0.4, "vote_kappa": -0.3},
    }
    text = B.drivers(falling).text
    assert "cooling" in text and "Trade −2.0 and Votes −0.3" in text
    assert "lagging against it: Meetings +0.4" in text
    assert "a cooling trend" in B.change(falling).text


def test_mixed_stable_names_the_largest_up_and_down():
    mixed = RISING | {
        "composite": _composite(2.0, 2.2, "stable", slope=0.05, low=-0.3, high=0.4),
        "contributions": {"trade_share": 1.0, "leader_contacts": -0.9, "vote_kappa": 0.1},
    }
    assert "no clear trend" in B.change(mixed).text
    text = B.drivers(mixed).text
    assert "Trade +1.0 pulled it up" in text and "Meetings −0.9 pulled it down" in text


def test_nothing_moved_enough_is_said_plainly():
    flat = RISING | {
        "composite": _composite(2.0, 2.0, "stable", slope=0.0, low=-0.1, high=0.1),
        "contributions": {"trade_share": 0.1, "leader_contacts": -0.1},
    }
    assert "no component moved the index by 0.25 points" in B.drivers(flat).text


def test_uncertain_change_quotes_the_share_of_draws_and_the_break():
    facts = RISING | {"p_up": 0.62, "composite": _composite(1.0, 4.0, "warming", breaks=[2012])}
    text = B.change(facts).text
    assert "above the first in 62% of the uncertainty draws" in text
    assert "break in 2012" in text


def test_no_trend_measurable():
    c = _composite(1.0, 1.0, "not measurable") | {"first_year": 2014}
    c["trend"]["reason"] = "fewer than four yearly values"
    facts = {"composite": c}
    assert "no trend can be measured (fewer than four yearly values)" in B.change(facts).text
    assert B.drivers(facts) is None  # one year: no change to attribute


def test_arms_lag_rise_or_stay_and_investment_is_not_measured():
    assert "lagged (100 million" in B.lagging(RISING).text
    assert "rose" in B.lagging(RISING | {"arms": {"now": 400.0, "before": 100.0}}).text
    level = B.lagging(RISING | {"arms": {"now": 110.0, "before": 100.0}}).text
    assert "stayed within ×1.65" in level
    assert "investment is not measured" in level
    assert "no SIPRI deliveries" in B.lagging({"arms": {}}).text


def test_the_triangle_says_nothing_without_its_inputs():
    assert B.triangle(RISING) is None
    apart = {
        "triangle": {
            "verdicts": {"CHN-RUS": "warmed", "CHN-USA": "cooled", "RUS-USA": "cooled"},
            "shape": "drew_together_against_usa",
        }
    }
    line = B.triangle(apart)
    assert "China–Russia warmed" in line.text and "each fell out with Washington" in line.text
    assert line.section == "triangle"
    still = {"triangle": {"verdicts": {"CHN-RUS": "no clear move"}, "shape": "unchanged"}}
    assert "no side of the triangle moved clearly" in B.triangle(still).text
    short = {"triangle": {"verdicts": {"CHN-RUS": "not measurable", "CHN-USA": "no data"}}}
    text = B.triangle(short).text
    assert "too few yearly values" in text and "moved clearly" not in text


def test_an_empty_range_gives_only_the_rules_that_need_no_composite():
    lines = B.bottom_line({"composite": {"years": 0}, "arms": {}})
    assert [line.rule for line in lines] == ["lagging"]


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


def test_every_rule_is_stated_for_the_method_section():
    assert [r for r, _ in B.RULES] == ["standing", "change", "drivers", "lagging", "triangle"]


def test_band_share_reads_the_draws_of_the_last_year():
    draws = pd.DataFrame({2014: [5.5, 6.0, 7.0, 4.0]})  # three of four in [5.4, 9]
    out = B.band_share(draws, 2014, 6.1)
    assert out["p_band"] == 0.75 and out["low"] < 4.5 and out["high"] > 6.9
    assert B.band_share(None, 2014, 6.1) is None
    assert B.band_share(draws, 2015, 6.1) is None


def test_the_no_clear_trend_verdict_of_the_draws_reads_as_no_clear_trend():
    facts = {"composite": _composite(2.0, 2.3, "no clear trend", slope=0.1, low=-0.2, high=0.3)}
    assert "no clear trend" in B.change(facts).text
