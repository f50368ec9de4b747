"""The composite under an alternative rule, shown beside the default (never instead of it).

**Leader contacts.** The default component counts leader-level *meetings* (visits and summit
encounters, one visit once). In 2020–21 the pandemic stopped travel and contacts moved to the
telephone and video: five calls in 2020, three in 2021 in the chronology, against no meeting.
The variant counts leader *contacts*, meetings plus leader-level calls and video summits, each
call once. It is not the default because calls are recorded unevenly before 2017 (three in
1989–2016: the chronology was compiled from visit-centred sources), so counting them would add a
recording artefact to the trend; the method section prints both for the years where they
differ.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis import config
from analysis.data.loader import Datasets, data_end
from analysis.indicators import leader_calls, leader_visits
from analysis.model import memo
from analysis.model.components import BY_KEY, COMPONENTS, Component, component_table
from analysis.model.composite import (
    CompositeResult,
    coverage_map,
    headline_from_normalised,
    normalise,
    year_ends,
)


def _leader_contacts(ds: Datasets) -> pd.DataFrame:
    events = ds.events
    rows = events[leader_visits(events) | leader_calls(events)]
    return pd.DataFrame({"date": rows["date"], "value": 1.0})


#: The leader-meetings component counting calls and video summits too (same key and weight).
LEADER_CONTACTS: Component = replace(
    BY_KEY["leader_meetings"],
    label="Leader contacts (meetings, calls, video summits)",
    definition="leader-level meetings as in the default, plus leader-level telephone and video "
    "calls, each once",
    observe=_leader_contacts,
)


def with_component(component: Component) -> tuple[Component, ...]:
    """The registry with the component of the same key replaced by ``component``."""
    if component.key not in BY_KEY:
        raise KeyError(f"no component {component.key!r} to replace; see COMPONENTS")
    return tuple(component if c.key == component.key else c for c in COMPONENTS)


def composite_variant(ds: Datasets, components: tuple[Component, ...]) -> CompositeResult:
    """The yearly composite with ``components`` instead of the registry, built as the default
    is (full history, min–max over it, the registry's weights, chain-linked as the headline)."""
    end = data_end(ds.data_dir) if ds.as_of is None else min(data_end(ds.data_dir), ds.as_of)
    ends = year_ends(config.FIRST_DAY.year, end.year)

    def compute() -> pd.DataFrame:
        raw = component_table(ds, ends, coverage_map(ds), components=components)
        raw.index = pd.Index(raw.index.year, name="year")
        return raw

    spec = tuple((c.key, c.label, c.definition, c.weight, c.window_months) for c in components)
    raw = memo.remember(ds, "variant_components", (spec, end.year), compute)
    norm = normalise(raw)
    weights = {c.key: c.weight for c in components}
    return CompositeResult(raw, norm, headline_from_normalised(norm, weights), weights)


def leader_contacts_comparison(ds: Datasets, default: CompositeResult) -> pd.DataFrame:
    """Years where counting calls changes the index: ``year``, ``meetings``, ``contacts``
    (component raw counts), ``index_default``, ``index_contacts`` and ``difference``."""
    variant = composite_variant(ds, with_component(LEADER_CONTACTS))
    frame = pd.DataFrame(
        {
            "meetings": default.raw["leader_meetings"],
            "contacts": variant.raw["leader_meetings"],
            "index_default": default.index["composite"],
            "index_contacts": variant.index["composite"],
        }
    )
    frame["difference"] = frame["index_contacts"] - frame["index_default"]
    changed = (frame["meetings"] != frame["contacts"]) & frame["meetings"].notna()
    return frame[changed & frame["index_default"].notna()].rename_axis("year").reset_index()


def year_change(result: CompositeResult, a: int, b: int) -> float | None:
    """index(b) − index(a), or None when either year has no value."""
    s = result.index["composite"]
    if a not in s.index or b not in s.index or pd.isna(s[a]) or pd.isna(s[b]):
        return None
    return float(s[b] - s[a])
