"""What the kernel said, read and checked by the parent (:mod:`analysis.protocol`).

The notebook's last cell, ``brief.numbers()``, displays the quoted numbers, the data files and
the document facts: the whole title block and the keys of the section registry. The parent
prints the title block as the kernel wrote it (the kernel knows the range it ran, its data and
its method; the parent restates none of it), and refuses an executed notebook without that
payload, for another range than asked, from another section registry than the outline the
notebook was checked against, or still showing a figure's placeholder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.outline import SECTION_KEYS
from analysis.pipeline.atomic import BriefingFailed
from analysis.pipeline.jobs import Job
from analysis.protocol import (
    DOCUMENT_MIME,
    FIGURE_PLACEHOLDER,
    FILES_MIME,
    NUMBERS_MIME,
    TITLE_BLOCK,
    find_payload,
)


@dataclass
class Executed:
    """The executed notebook and what its last cell said."""

    path: Path
    numbers: dict[str, Any]
    document: dict[str, Any]
    files: dict[str, str]


def title_block(document: dict[str, Any]) -> dict[str, str]:
    """The title block exactly as the kernel wrote it (:data:`analysis.protocol.TITLE_BLOCK`);
    only the time of generation falls back to the parent's clock when the kernel gave none."""
    missing = [
        key for name, key in TITLE_BLOCK.items() if name != "generated" and key not in document
    ]
    if missing:
        raise BriefingFailed(
            "the notebook's numbers payload has no " + ", ".join(missing) + " for the title block"
        )
    block = {name: str(document[key]) for name, key in TITLE_BLOCK.items() if key in document}
    block.setdefault("generated", datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"))
    return block


def read_executed(path: Path, job: Job) -> Executed:
    """The executed notebook's payload, checked: present (the notebook ended with
    ``brief.numbers()``), for the range asked for, from the registry the parent checked the
    notebook against, with no figure left a placeholder. A one-line error otherwise."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb.get("cells", [])
    numbers = find_payload(nb, NUMBERS_MIME)
    document = find_payload(nb, DOCUMENT_MIME)
    if not numbers or not document:
        raise BriefingFailed(
            "the notebook ran but its last cell gave no numbers payload (brief.numbers(), "
            "displayed: not silenced with ';'); without it there is no figures.json and no title "
            "block"
        )
    if document.get("sections") != list(SECTION_KEYS):
        raise BriefingFailed(
            "the kernel's section registry (analysis/sections/__init__.py: "
            f"{', '.join(map(str, document.get('sections') or []))}) differs from "
            f"analysis/outline.py ({', '.join(SECTION_KEYS)}); name each section in both"
        )
    ran = {k: numbers.get(f"range.{k}", {}).get("value") for k in ("start", "end", "as_of")}
    if ran != job.parameters:
        raise BriefingFailed(
            f"the notebook built {ran['start']} to {ran['end']} as of {ran['as_of']}, not the "
            f"{job.parameters['start']} to {job.parameters['end']} as of "
            f"{job.parameters['as_of']} asked for"
        )
    for number, cell in enumerate(cells, 1):
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            found = FIGURE_PLACEHOLDER.search("".join(html) if isinstance(html, list) else html)
            if found:
                raise BriefingFailed(
                    f"cell {number} of the executed notebook still shows figure placeholder "
                    f"{found.group(1)}: the figure was never made"
                )
    return Executed(path, numbers, document, find_payload(nb, FILES_MIME))
