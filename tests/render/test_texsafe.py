"""Markdown/LaTeX-safe output (issue 25, point 2): JupyterLab runs MathJax over HTML outputs, so
the briefing's and the explorer's HTML carry the classes MathJax skips and write "$" as an
entity; a count of one is singular."""

from __future__ import annotations

import re

import pytest

from analysis.render.texsafe import IGNORE_CLASSES, no_math, singular_counts

#: Two dollar signs in one run of text: what MathJax would typeset as an inline formula.
PAIR = re.compile(r"\$[^$<]*\$")


def _text(html: str) -> str:
    """The text runs of ``html`` outside tags, SVG, style and script (what MathJax scans)."""
    html = re.sub(r"<(svg|style|script)\b.*?</\1>", "", html, flags=re.S | re.I)
    return re.sub(r"<!--.*?-->|<[^>]*>", "\n", html, flags=re.S)


def test_dollars_in_text_become_entities_and_the_output_is_marked_for_mathjax():
    html = '<p title="$5">China–Russia trade reached $197.6 bn, with a $ 12 bn surplus</p>'
    out = no_math(html)
    assert out.startswith(f'<div class="{IGNORE_CLASSES}">') and out.endswith("</div>")
    assert "$197.6" not in out and "&#36;197.6 bn" in out and "&#36; 12 bn" in out
    assert 'title="$5"' in out  # attributes untouched
    assert no_math(out) == out  # idempotent: one wrapper, nothing escaped twice


def test_svg_style_script_and_comments_are_left_alone():
    html = (
        "<p>a $1 b $2</p><svg><text>$x$</text><style>.a{}</style></svg>"
        '<script type="text/csv">v,$3</script><!--briefing-figure-1--><p>$4</p>'
    )
    out = no_math(html)
    assert "<text>$x$</text>" in out and "v,$3" in out and "<!--briefing-figure-1-->" in out
    assert "&#36;1" in out and "&#36;2" in out and "&#36;4" in out
    assert not PAIR.search(_text(out))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("(preceding period: 1 meetings)", "(preceding period: 1 meeting)"),
        ("China cast 1 vetoes and 1 votes", "China cast 1 veto and 1 vote"),
        ("over 1 roll calls", "over 1 roll call"),
        ("11 meetings, 21 votes, 0.1 years, +1 points, −1 months", None),
        ("2021 meetings", None),
    ],
)
def test_a_count_of_one_is_singular(text, want):
    assert singular_counts(text) == (want or text)
    assert singular_counts(no_math(f"<p>{text}</p>")) == no_math(f"<p>{want or text}</p>")


@pytest.fixture(scope="module")
def briefing():
    from analysis.render.briefing import Briefing

    return Briefing("2022-02-24", "2023-02-28")


def test_every_section_of_the_briefing_is_safe_in_jupyterlab(briefing):
    dollars = 0
    for key in briefing.section_keys():
        html = briefing.section(key).data
        assert html.startswith(f'<div class="{IGNORE_CLASSES}">'), key
        text = _text(html)
        assert "$" not in text, (key, text[text.find("$") - 60 : text.find("$") + 60])
        assert not re.search(r"(?<![\w.,+\-−–±/])1 (meetings|votes|vetoes|events)\b", text), key
        dollars += text.count("&#36;")
    assert dollars > 0  # the economic figures are in US dollars: escaped, not gone
