"""relations-briefing: how China–Russia relations have moved since 1989, beside each one's
relationship with the United States, measured from cited data.

The public API, importable from ``analysis`` (loaded lazily, so ``import analysis`` is cheap).
Every function takes plain arguments and returns a frame, a dict or a value; none reads beyond
``data/`` or prints.

================================  ===============================================================
name                              what it gives
================================  ===============================================================
**Data**
``load_all(data_dir=None)``       every curated dataset, validated (a :class:`Datasets`)
``load(name)``                    one dataset, validated
``citations()``, ``summary()``    one row per dataset: its citation; its rows, coverage, sources
``DataError``, ``Datasets``       the error a bad file raises; the container ``load_all`` returns
**Indicators** (tidy frames: ``period, indicator, value, n``)
``meetings_per_year``             leader meetings and visits of the China–Russia chronology
``agreements_per_year``           treaties, agreements and joint statements
``partnership_level``             the official China–Russia designation in force
``vetoes_per_year``               Security Council vetoes of China, the USSR/Russia, both
``record_votes_long``             every recorded General Assembly vote of CHN, RUS, USA, long form
``pair_agreement``                identical share, half-credit agreement, Cohen's κ and Scott's π
``agreement_by_issue``            the same by issue of the vote and by what its title names
``trade_indicators``              China–Russia trade by year (China's customs)
``exercises_per_year``            joint exercises and patrols
``attach_goldstein``              Goldstein weights and QuadClass of coded events
**The composite** (one measure for China–Russia, China–USA, Russia–USA)
``COMPONENTS``                    the component registry (what each measures, weight, data)
``measure_dyads(ds)``             the yearly composite of the three dyads, with its draws
``measure_dyads_by_month(ds)``    the same at every month's end (no draws)
``composite_index(ds, dyad=...)`` one dyad's yearly composite (raw, normalised, index)
``contributions(result, a, b)``   each component's share of the index's change from a to b
``leave_one_out(result)``         how the index moves when each component is dropped
``triangle_facts(measure, p)``    each dyad's level, trend and movement over a period
``trend(series, draws=...)``      Theil–Sen trend with the verdict read from the draws
``model_step(ds)``                everything a briefing reads that does not depend on its range
**Validation and claims**
``episode_table(measure, eps)``   the episodes the literature agrees on (``ds.episodes``), vs the index
``check_claims(ds)``              each published claim with its computed value and verdict
**The briefing**
``Briefing(start, end)``          the notebook's object: one call per section, numbers
``Explorer(start, end)``          the interactive explorer of ``notebooks/explore.ipynb``
``build(start, end)``             execute the notebook and print the PDF into ``reports/``
``ParameterError``                the error a bad range or date raises
``resolve_range(start, end)``     a range's (start, end) checked, with the data's defaults
``parse_date(text, name)``        an ISO date, or a ParameterError saying what is wrong
================================  ===============================================================
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

_EXPORTS = {
    "analysis.data": ["load", "load_all", "citations", "summary", "DataError", "Datasets"],
    "analysis.indicators": [
        "meetings_per_year",
        "agreements_per_year",
        "partnership_level",
        "vetoes_per_year",
        "record_votes_long",
        "pair_agreement",
        "agreement_by_issue",
        "trade_indicators",
        "exercises_per_year",
        "attach_goldstein",
    ],
    "analysis.model.components": ["COMPONENTS"],
    "analysis.model.composite": [
        "measure_dyads",
        "measure_dyads_by_month",
        "composite_index",
        "contributions",
        "leave_one_out",
    ],
    "analysis.model.triangle": ["triangle_facts"],
    "analysis.model.phases": ["trend"],
    "analysis.model.step": ["model_step"],
    "analysis.model.validation": ["episode_table"],
    "analysis.model.claims_check": ["check_claims"],
    "analysis.render.briefing": ["Briefing"],
    "analysis.render.explore": ["Explorer"],
    "analysis.pipeline.steps": ["build"],
    "analysis.params": ["ParameterError", "resolve_range", "parse_date"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
