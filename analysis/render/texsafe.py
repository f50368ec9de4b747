"""Generated HTML that JupyterLab shows as written: no dollar amount typeset as LaTeX, and a
count of one in the singular.

JupyterLab (and Notebook 7, and the classic notebook) run MathJax over every HTML output: two
dollar signs in one paragraph ("$197.6 bn in the 12 months with a $...") become an inline
formula, and ``\\(`` or ``\\[`` open one too. :func:`no_math` marks the HTML with the classes
MathJax skips (``mathjax_ignore``; ``tex2jax_ignore`` for MathJax 2): that is what keeps
JupyterLab from typesetting (checked in JupyterLab 4 in Chromium: ``&#36;`` alone is decoded
into the page's text before MathJax reads it, and still typeset). It also writes every ``$`` of
the text as ``&#36;``, for renderers that scan the HTML source; inside SVG, style, script
elements, tags and comments nothing changes. The PDF prints the same "$" (Chromium decodes the
entity; MathJax does not run there).
"""

from __future__ import annotations

import re

#: The classes MathJax 3 (JupyterLab, Notebook 7) and MathJax 2 (classic notebook) skip.
IGNORE_CLASSES = "mathjax_ignore tex2jax_ignore"
_OPEN = f'<div class="{IGNORE_CLASSES}">'

_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_RAW = re.compile(r"<(/?)(svg|style|script|math)\b", re.I)

#: Count nouns of the briefing's prose: "1 meetings" -> "1 meeting".
_SINGULAR = {
    "meetings": "meeting",
    "vetoes": "veto",
    "votes": "vote",
    "events": "event",
    "claims": "claim",
    "months": "month",
    "years": "year",
    "members": "member",
    "components": "component",
    "datasets": "dataset",
    "drafts": "draft",
    "seats": "seat",
    "times": "time",
    "exercises": "exercise",
    "patrols": "patrol",
    "calls": "call",
    "visits": "visit",
    "agreements": "agreement",
    "days": "day",
    "documents": "document",
    "sections": "section",
    "countries": "country",
    "states": "state",
    "roll calls": "roll call",
    "activities": "activity",
    "releases": "release",
}
_ONE = re.compile(r"(?<![\w.,+\-−–±/])1 (" + "|".join(_SINGULAR) + r")\b")


def singular_counts(text: str) -> str:
    """Plain text with "1 <plural noun>" (a count of one) in the singular."""
    return _ONE.sub(lambda m: f"1 {_SINGULAR[m.group(1)]}", text)


def _text_parts(html: str, fix) -> str:
    """``html`` with ``fix`` applied to each run of text outside tags, comments and raw elements
    (SVG, style, script, MathML)."""
    out, depth = [], 0
    for part in _TOKENS.split(html):
        if part.startswith("<"):
            raw = _RAW.match(part)
            if raw and not part.endswith("/>"):
                depth = max(0, depth + (-1 if raw.group(1) else 1))
            out.append(part)
        else:
            out.append(fix(part) if depth == 0 else part)
    return "".join(out)


def no_math(html: str) -> str:
    """``html`` as JupyterLab should show it: wrapped in the classes MathJax skips, each ``$``
    of its text written ``&#36;``, and counts of one in the singular. Idempotent."""
    body = _text_parts(html, lambda t: singular_counts(t).replace("$", "&#36;"))
    return body if body.startswith(_OPEN) else f"{_OPEN}{body}</div>"
