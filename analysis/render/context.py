"""What every section of one briefing reads: the data, the composite, the facts of the range."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import config
from analysis.data.loader import Datasets
from analysis.data.selection import SourcesInUse
from analysis.model.composite import CompositeResult
from analysis.model.facts import RangeFacts
from analysis.model.metrics import MetricInputs


@dataclass(frozen=True)
class BriefingContext:
    """The inputs of a briefing's sections (built once by :class:`~analysis.render.briefing.Briefing`)."""

    ds: Datasets
    result: CompositeResult
    facts: RangeFacts
    sources: SourcesInUse
    inputs: MetricInputs
    as_of: pd.Timestamp

    @property
    def start(self) -> pd.Timestamp:
        return self.facts.period.start

    @property
    def end(self) -> pd.Timestamp:
        return self.facts.period.end

    @property
    def window_start(self) -> pd.Timestamp:
        """Where charts begin: the preceding period's start, not before the index's first day."""
        return max(self.facts.previous.start, pd.Timestamp(config.FIRST_DAY))

    @property
    def periods(self) -> list[tuple[str, object]]:
        return [("the range", self.facts.period), ("the preceding period", self.facts.previous)]
