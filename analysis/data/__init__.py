"""Data: the curated datasets in ``data/`` loaded and validated, and the optional full datasets.

- :mod:`.loader`: ``load(name)``, ``load_all()`` (pandera schemas built from the sidecars),
  ``citations()``, ``summary()``; ``python -m analysis.data`` validates every dataset.
- :mod:`.external`: the full public datasets of ``make data`` (pandas-free until a loader is used).
- :mod:`.selection`: which source each part of a briefing uses (bundled or external).

Names are loaded lazily, so ``import analysis.data.external`` stays cheap and pandas-free.
"""

from __future__ import annotations

import importlib
from typing import Any

_LOADER_NAMES = (
    "DataError",
    "Datasets",
    "build_schema",
    "check_references",
    "citations",
    "coverage",
    "coverage_columns",
    "data_end",
    "data_path",
    "dataset_names",
    "file_digest",
    "file_digests",
    "load",
    "load_all",
    "read_meta",
    "summary",
)
__all__ = list(_LOADER_NAMES)


def __getattr__(name: str) -> Any:
    if name in _LOADER_NAMES:
        value = getattr(importlib.import_module("analysis.data.loader"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis.data' has no attribute {name!r}")
