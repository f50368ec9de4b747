"""The bottom line's judgements: plain sentences, each with one confidence word from one scale.

A judgement reads the facts the model already holds — a dyad's movement over whole years
(:func:`analysis.model.triangle.dyad_facts`), where its index stood in a year, and the
components' contributions to the change — and says it in words a minister reads, with the
confidence the uncertainty draws give it:

- **almost certainly**: at least :data:`ALMOST_CERTAINLY` of the draws agree;
- **likely**: at least :data:`LIKELY` of them;
- **unclear**: fewer (the sentence then says what is unclear, not a direction).

A movement is stated only when the movement rule calls it (one sign in 90 % of the draws and a
change of at least a point at the median, :func:`analysis.model.phases.verdict_of`), so a
judgement never contradicts the triangle table; its word then comes from the share of draws
that agree with that direction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analysis.model.components import component
from analysis.model.dyads import NAMES

ALMOST_CERTAINLY = 0.95
LIKELY = 0.80
UNCLEAR = "unclear"
#: Smallest contribution (index points) that names a component as a driver.
DRIVER_POINTS = 0.25


def confidence(share: float | None) -> str:
    """The confidence word for the share of draws that agree with a statement."""
    if share is None or share != share:  # None or NaN: nothing to agree with
        return UNCLEAR
    if share >= ALMOST_CERTAINLY:
        return "almost certainly"
    if share >= LIKELY:
        return "likely"
    return UNCLEAR


def scale_sentence(n_draws: int) -> str:
    """The scale, defined once at the head of the bottom line."""
    return (
        f"“Almost certainly” means that at least {ALMOST_CERTAINLY:.0%} of {n_draws:,} redrawn "
        f"versions of the index agree, “likely” at least {LIKELY:.0%}, “unclear” fewer."
    )


@dataclass(frozen=True)
class Judgement:
    key: str
    text: str  # one plain sentence
    word: str  # its confidence word
    share: float | None  # the share of draws behind the word
    section: str  # the section that shows the evidence


def subject(dyad: str) -> str:
    """'China–Russia relations'."""
    return f"{NAMES[dyad]} relations"


def drivers_phrase(contributions: Mapping[str, float], direction: int) -> str:
    """'mostly through more frequent leader contacts and warmer official language': the two
    components that moved the index most in ``direction`` (+1 warming, −1 cooling), each by at
    least DRIVER_POINTS; empty when none did."""
    along = [
        (k, v) for k, v in contributions.items() if v is not None and v * direction >= DRIVER_POINTS
    ]
    ranked = sorted(along, key=lambda kv: -kv[1] * direction)[:2]
    if not ranked:
        return ""
    words = [component(k).moves[0 if direction > 0 else 1] for k, _ in ranked]
    return "mostly through " + " and ".join(words)


def movement(
    f: Mapping, *, key: str = "movement", contributions: Mapping[str, float] | None = None,
    lead: str = "", section: str = "phase_timeline",
) -> Judgement:  # fmt: skip
    """How a dyad moved over the whole years of a range (``f``: its dyad facts), with the
    components that drove it when ``contributions`` are given. ``lead`` opens the sentence
    ("Over the last five years, ")."""
    name = subject(f["dyad"])
    verdict = f.get("verdict")
    if verdict in (None, "no data", "not measurable"):
        text = (
            f"{lead}the range holds too few whole years to judge how {name} moved, so the "
            "direction is unclear."
        )
        return Judgement(key, _capital(text), UNCLEAR, None, section)
    years = f"from {f['first_year']} to {f['last_year']}"
    if verdict in ("warmed", "cooled"):
        direction = 1 if verdict == "warmed" else -1
        share = f["p_up"] if direction > 0 else f["p_down"]
        word = confidence(share)
        text = f"{lead}{name} {word} {verdict} {years}"
        drivers = drivers_phrase(contributions or {}, direction)
        text += f", {drivers}." if drivers else "."
        return Judgement(key, _capital(text), word, share, section)
    if verdict == "held steady":
        up = f["change"] > 0
        share = f["p_up"] if up else f["p_down"]
        word = confidence(share)
        text = (
            f"{lead}{name} {word} changed little {years}, edging {'up' if up else 'down'} by "
            "less than a point on the index."
        )
        return Judgement(key, _capital(text), word, share, section)
    up = f["p_up"] >= f["p_down"]
    text = (
        f"{lead}whether {name} {'warmed' if up else 'cooled'} {years} is unclear: most redrawn "
        f"versions of the index {'rise' if up else 'fall'}, but too few to call it."
    )
    return Judgement(key, _capital(text), UNCLEAR, max(f["p_up"], f["p_down"]), section)


def standing(dyad: str, year: int, band: str, share: float | None) -> Judgement:
    """Where a dyad's index stood in ``year``: in the fifth of the scale ``band`` (the point
    estimate's), with ``share`` the share of draws in that fifth."""
    word = confidence(share)
    if word == UNCLEAR:
        text = (
            f"In {year} {subject(dyad)} stood around the {band} of the index, though whether "
            "they were in it is unclear."
        )
    else:
        text = f"In {year} {subject(dyad)} {word} stood in the {band} of the index."
    return Judgement("standing", text, word, share, "phase_timeline")


COUNTRY = {"CHN-USA": "China's", "RUS-USA": "Russia's"}
VERB = {"warmed": "warmed", "cooled": "cooled", "held steady": "changed little"}


def _agreeing(f: Mapping) -> float:
    """The share of draws agreeing with a dyad's called movement."""
    if f["verdict"] == "warmed":
        return f["p_up"]
    if f["verdict"] == "cooled":
        return f["p_down"]
    return f["p_up"] if f["change"] > 0 else f["p_down"]


def us_relations(facts: Mapping[str, Mapping], shape_phrase: str = "") -> Judgement:
    """How China's and Russia's relations with the United States moved over the whole years of
    the range (``facts``: dyad facts by dyad), ending with the triangle's shape when
    ``shape_phrase``."""
    called = {
        d: f for d, f in facts.items() if f.get("verdict") in ("warmed", "cooled", "held steady")
    }
    first = next((f for f in facts.values() if f.get("first_year") is not None), None)
    years = f"from {first['first_year']} to {first['last_year']}" if first else "in the range"
    if not called:
        text = (
            f"Whether China's or Russia's relations with the United States moved {years} is "
            "unclear."
        )
        return Judgement("us_relations", text, UNCLEAR, None, "triangle")
    shares = [_agreeing(f) for f in called.values()]
    share = min(shares)
    word = confidence(share)
    verbs = {d: VERB[f["verdict"]] for d, f in called.items()}
    if len(called) == 2 and len(set(verbs.values())) == 1:
        text = (
            f"Both countries' relations with the United States {word} {verbs.popitem()[1]} {years}"
        )
    else:
        parts = [
            f"{COUNTRY[d]} relations with the United States {word} {v}" for d, v in verbs.items()
        ]
        text = " and ".join(parts) + f" {years}"
        for d in facts:
            if d not in called:
                text += f", while {COUNTRY[d]} show no clear move"
    text += f": {shape_phrase}." if shape_phrase else "."
    return Judgement("us_relations", _capital(text), word, share, "triangle")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def numbers_in(text: str) -> int:
    """How many numbers a sentence holds (years, values and percentages each count one)."""
    import re

    return len(re.findall(r"[−+-]?\d[\d,.]*%?", text))


def check_numbers(judgements: Sequence[Judgement], most: int = 3) -> None:
    """A judgement with more than ``most`` numbers is an error (the brief's rule)."""
    for j in judgements:
        if numbers_in(j.text) > most:
            raise ValueError(f"judgement {j.key!r} holds {numbers_in(j.text)} numbers: {j.text}")
