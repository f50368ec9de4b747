"""The briefing's outline without pandas: the keys of its sections, in reading order.

The section registry (:data:`analysis.sections.SECTIONS`) declares each section; a
briefing notebook calls ``brief.section(key)`` once per key, in this order, and ends with
``brief.numbers()`` (:data:`NUMBERS_CALL`). The build's parent process, which never imports the
registry (it needs pandas), checks a notebook against this list before it starts a kernel; the
kernel reports its registry's keys in the payload and the build fails when they differ from
these (a test checks them too). A new section is declared in the registry, called in the
notebook and named here.
"""

from __future__ import annotations

SECTION_KEYS: tuple[str, ...] = (
    "bottom_line",
    "what_changed",
    "watch",
    "freshness",
    "phase_timeline",
    "triangle",
    "diplomatic",
    "un",
    "economic",
    "energy",
    "military",
    "events",
    "organisations",
    "key_events",
    "posture",
    "claims_summary",
    "annexes",
    "method",
    "validation",
    "claims",
    "tables",
    "coverage",
    "data_used",
    "references",
)

#: The notebook's last code cell: its output carries the quoted numbers, the data files and the
#: title block (:mod:`analysis.protocol`), and it swaps in the figures printed in the background.
NUMBERS_CALL = "brief.numbers()"
