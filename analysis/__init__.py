"""relations-briefing: how China–Russia relations have moved since 1989, measured from cited data.

The public API, importable from ``analysis`` (loaded lazily, so ``import analysis`` is cheap):

Data
    ``load(name)``, ``load_all()``, ``citations()``, ``summary()``, ``DataError``
Indicators (pure functions, tidy frames: period, indicator, value, n)
    diplomatic: ``meetings_per_year``, ``agreements_per_year``, ``partnership_level``
    events: ``attach_goldstein``, ``event_scores``, ``rolling_event_scores``
    UN: ``vetoes_per_year``, ``veto_summary``, ``veto_counts``, ``votes_long``, ``unga_agreement``,
    ``agreement_overall``, ``dyad_scores``
    economic: ``trade_indicators``, ``trade_cagr``, ``cagr``
    military: ``exercises_per_year``, ``arms_tiv``
Composite (the component registry) and phases
    ``COMPONENTS``, ``composite_index``, ``yearly_components``, ``leave_one_out``, ``band``,
    ``official_phases``, ``change_points``, ``penalty_sensitivity``, ``trend``, ``DEFAULT_WEIGHTS``
Claims
    ``check_claims``
Briefing
    ``Briefing`` (the notebook's object), ``build`` (execute + PDF), ``ParameterError``
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "analysis.data": ["load", "load_all", "citations", "summary", "DataError", "Datasets"],
    "analysis.indicators": [
        "meetings_per_year",
        "agreements_per_year",
        "partnership_level",
        "designation_in_force",
        "attach_goldstein",
        "event_scores",
        "rolling_event_scores",
        "significant_events",
        "vetoes_per_year",
        "veto_summary",
        "veto_counts",
        "votes_long",
        "unga_agreement",
        "agreement_overall",
        "dyad_scores",
        "vote_of",
        "trade_indicators",
        "trade_cagr",
        "cagr",
        "exercises_per_year",
        "arms_tiv",
        "IndicatorError",
    ],
    "analysis.model.components": ["COMPONENTS", "DEFAULT_WEIGHTS", "MIN_COMPONENTS"],
    "analysis.model.composite": [
        "composite_index",
        "yearly_components",
        "normalise",
        "leave_one_out",
    ],
    "analysis.model.phases": ["band", "official_phases", "trend", "BANDS"],
    "analysis.model.change_points": ["change_points", "penalty_sensitivity"],
    "analysis.model.claims": ["check_claims", "load_claims"],
    "analysis.render.briefing": ["Briefing"],
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
