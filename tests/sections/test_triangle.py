"""Tests of analysis.render.triangle: the paragraph, the table and a dyad without data, on
made-up facts (hand-written dicts) and on the real section."""

from __future__ import annotations

import html
import re

import pytest

from analysis.render.document import Quotes
from analysis.sections import triangle as R


def facts_of(**verdicts) -> dict[str, dict]:
    out = {}
    for dyad, name in (
        ("CHN-RUS", "China–Russia"),
        ("CHN-USA", "China–USA"),
        ("RUS-USA", "Russia–USA"),
    ):
        v = verdicts.get(dyad.replace("-", "_"), "cooled")
        if v == "no data":
            out[dyad] = {"dyad": dyad, "name": name, "n": 0, "verdict": "no data"}
            continue
        up = v == "warmed"
        out[dyad] = {
            "dyad": dyad,
            "name": name,
            "n": 10,
            "first_year": 2012,
            "last_year": 2021,
            "level": 2.0,
            "low": 1.0,
            "high": 3.0,
            "first_level": -2.5 if up else 6.5,
            "change": 4.5 if up else -4.5,
            "slope": 0.5 if up else -0.5,
            "slope_low": 0.2 if up else -0.8,
            "slope_high": 0.8 if up else -0.2,
            "trend": "warming" if up else "cooling",
            "p_up": 1.0 if up else 0.0,
            "p_down": 0.0 if up else 1.0,
            "n_draws": 1000,
            "verdict": v,
        }
    return out


def test_the_paragraph_names_each_move_and_the_articles_shape():
    q = Quotes()
    text = R.shape_paragraph(facts_of(CHN_RUS="warmed"), "2012-01-01 to 2021-12-31", q)
    assert text.startswith(
        "Over 2012-01-01 to 2021-12-31 (yearly values 2012–2021), China–Russia warmed"
    )
    assert (
        "China–USA cooled (a change of −4.5 points (Theil–Sen −0.50 points a year, 95% CI −0.80 "
        "to −0.20, over 10 years), a fall in 100% of 1,000 draws)" in text
    )
    assert "the shape the Time News article describes" in text
    assert "seed" not in text


def test_a_dyad_that_held_steady_says_why():
    facts = facts_of(CHN_RUS="warmed", CHN_USA="held steady")
    facts["CHN-USA"]["change"] = -0.4
    text = R.shape_paragraph(facts, "the range", Quotes())
    assert "China–USA held steady" in text and "under 1 point" in text


def test_a_dyad_without_data_gets_a_clear_sentence_and_a_table_row_not_an_error():
    q = Quotes()
    facts = facts_of(CHN_RUS="warmed", CHN_USA="no data")
    text = R.shape_paragraph(facts, "1990-01-01 to 1995-12-31", q)
    assert "China–USA has no composite value in the range" in text
    assert "drew together" not in text  # one US dyad unmeasured: not the article's shape
    table = R.triangle_table(facts, q)
    row = table[table["Dyad"] == "China–USA"].iloc[0]
    assert row["Level at end (95% band)"] == "no data" and row["Verdict"] == "no data"
    sentence = R.no_data_sentence("CHN-USA", "1990-01-01 to 1995-12-31")
    assert sentence.startswith("China–USA has no composite value in 1990-01-01 to 1995-12-31")


def test_mixed_shape_names_the_movers():
    text = R.shape_paragraph(
        facts_of(CHN_RUS="no clear move", CHN_USA="no clear move"), "the range", Quotes()
    )
    assert "Only Russia–USA (cooled) moved clearly" in text


@pytest.mark.parametrize("rng", [("1989-05-15", "1996-12-31")])
def test_the_real_section_measures_the_three_dyads_from_1990(rng):
    from analysis.render.briefing import Briefing

    brief = Briefing(*rng)
    out = html.unescape(re.sub(r"<[^>]+>", " ", brief.section("triangle").data))
    assert "no composite value" not in out
    assert "Figure" in out and "Table" in out
    values = brief.numbers().values
    assert all(values[f"triangle.{k}.n"]["value"] == 7 for k in ("chn_rus", "chn_usa", "rus_usa"))
