"""What the kernel tells the parent process, in one place (no pandas: both sides import it).

The notebook's last cell (``Briefing.numbers()``) displays one output carrying two payloads:

- :data:`NUMBERS_MIME`: every number quoted in the briefing, ``key -> {"value", "text"}``; the
  build pipeline writes it to ``figures.json``;
- :data:`DOCUMENT_MIME`: what the title block says about the document itself (the method line,
  the data vintage), computed in the kernel from the component registry and the data, so the
  parent never restates the method;
- :data:`FILES_MIME`: the data files written beside the PDF, ``relative path -> text`` (the
  composite series as CSV under ``data/``); the parent checks each path (:func:`safe_file_name`).

The output is hidden in the PDF by the template (output metadata ``briefing: numbers``).
"""

from __future__ import annotations

import re
from typing import Any

NUMBERS_MIME = "application/vnd.relations-briefing.numbers+json"
DOCUMENT_MIME = "application/vnd.relations-briefing.document+json"
FILES_MIME = "application/vnd.relations-briefing.files+json"
#: Exceptions raised in the kernel that mean bad input (a data file), not a broken notebook: the
#: build reports them in one line with exit code 2.
DATA_ERRORS = ("DataError", "GdeltFormatError")
#: Output metadata that marks the payload cell's output (hidden by the template).
OUTPUT_TAG = {"briefing": "numbers"}
#: The placeholder of a figure still printing in a child process of the kernel
#: (:mod:`analysis.render.figures.background`); ``brief.numbers()`` replaces every one.
FIGURE_PLACEHOLDER = re.compile(r"<!--briefing-figure-(\d+)-->")


def find_payload(nb: Any, mime: str) -> dict[str, Any]:
    """The payload of type ``mime`` in an executed notebook (a ``NotebookNode`` or the plain JSON
    of one; ``{}`` when absent)."""
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if mime in data:
                return dict(data[mime])
    return {}


def safe_file_name(name: str) -> bool:
    """A payload file's path is written only when it is ``data/<name>.csv`` with a plain name."""
    parts = name.split("/")
    return (
        len(parts) == 2
        and parts[0] == "data"
        and parts[1].endswith(".csv")
        and parts[1][:-4].replace("_", "").replace("-", "").isalnum()
    )
