"""What the kernel tells the parent process, in one place (no pandas: both sides import it).

The notebook's last cell (``Briefing.numbers()``) displays one output carrying three payloads:

- :data:`NUMBERS_MIME`: every number quoted in the briefing, ``key -> {"value", "text"}``; the
  build pipeline writes it to ``figures.json``;
- :data:`DOCUMENT_MIME`: the whole title block (:data:`TITLE_BLOCK`: title, date range, when it
  was generated, data vintage with the as-of date, method line) and the keys of the section
  registry, computed in the kernel from the parameters it ran with, the data and the component
  registry: the parent prints what the kernel says and restates none of it;
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
#: The title block, all of it from the kernel: the template's name of each line -> the key of
#: the document payload that holds it.
TITLE_BLOCK = {
    "kicker": "kicker",
    "title": "title",
    "title_native": "title_native",
    "range_label": "range_label",
    "generated": "generated",
    "data_vintage": "data_vintage",
    "method": "method_line",
}
#: The placeholder of a figure still printing in a child process of the kernel
#: (:mod:`analysis.render.figures.background`); ``brief.numbers()`` replaces every one, and the
#: build fails when one is left in the executed notebook.
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
