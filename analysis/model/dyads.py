"""The three dyads of the strategic triangle, by one vocabulary: codes, members and names.

Every component of the composite is measured for each of them by the same definition
(:mod:`analysis.model.observations`), so that the China–Russia index and the two US dyads are one
measure on one scale. The USSR (``SUN``) is counted as Russia (``RUS``) throughout.
"""

from __future__ import annotations

DYADS: tuple[str, ...] = ("CHN-RUS", "CHN-USA", "RUS-USA")
#: The main dyad of the briefing: its index is the headline.
MAIN = "CHN-RUS"
MEMBERS: dict[str, tuple[str, str]] = {d: (d[:3], d[4:]) for d in DYADS}
NAMES: dict[str, str] = {"CHN-RUS": "China–Russia", "CHN-USA": "China–USA", "RUS-USA": "Russia–USA"}
#: Codes that mean the same member (the USSR is counted as Russia).
ALIASES: dict[str, str] = {"SUN": "RUS"}


def check_dyad(dyad: str) -> str:
    """``dyad`` itself, or a ValueError naming the known dyads."""
    if dyad not in DYADS:
        raise ValueError(f"unknown dyad {dyad!r}; choose from {list(DYADS)}")
    return dyad


def dyad_of(a: str, b: str) -> str | None:
    """The dyad of two member codes in either order (``SUN`` as ``RUS``), None when the pair is
    not one of :data:`DYADS`."""
    pair = sorted({ALIASES.get(a, a), ALIASES.get(b, b)})
    code = "-".join(pair)
    return code if code in DYADS else None
