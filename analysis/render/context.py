"""What every section of one briefing reads: the data, the composite, the facts of the range."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import config
from analysis.data.loader import Datasets
from analysis.data.selection import SourcesInUse
from analysis.model.composite import CompositeResult
from analysis.model.facts import RangeFacts
from analysis.model.inputs import MetricInputs
from analysis.model.step import ModelStep


@dataclass(frozen=True)
class BriefingContext:
    """The inputs of a briefing's sections (built once by :class:`~analysis.render.briefing.Briefing`)."""

    ds: Datasets
    result: CompositeResult
    facts: RangeFacts
    sources: SourcesInUse
    inputs: MetricInputs
    as_of: pd.Timestamp
    monthly: CompositeResult | None = None  # the monthly composite (short ranges use it)
    step: ModelStep | None = None  # the range-independent model results of the vintage

    @property
    def by_month(self) -> bool:
        """Drawn and described month by month (a range shorter than MONTHLY_MAX_YEARS)."""
        return self.facts.monthly

    @property
    def start(self) -> pd.Timestamp:
        return self.facts.period.start

    @property
    def end(self) -> pd.Timestamp:
        return self.facts.period.end

    @property
    def window_start(self) -> pd.Timestamp:
        """Where charts begin: the range's start (charts start and end at the range)."""
        return max(self.facts.period.start, pd.Timestamp(config.FIRST_DAY))

    @property
    def periods(self) -> list[tuple[str, object]]:
        return [("the range", self.facts.period), ("the preceding period", self.facts.previous)]
