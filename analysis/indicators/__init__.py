"""Relationship-phase indicators: pure functions, tidy DataFrames in and out.

One module per dimension: :mod:`.diplomatic`, :mod:`.events`, :mod:`.un`, :mod:`.economic`,
:mod:`.military`; :mod:`.un_record` measures UN alignment on the whole General Assembly
record. Every function takes dates as keyword parameters (``start``, ``end``, ISO strings or
timestamps), never reads files, never plots, never prints, and returns columns
``period, indicator, value, n`` (see :mod:`._common`).
"""

from analysis.indicators._common import TIDY_COLUMNS, IndicatorError, per_month
from analysis.indicators.diplomatic import (
    agreements_per_year,
    designation_in_force,
    designations_within,
    is_leader_meeting,
    leader_calls,
    leader_visits,
    meetings_per_year,
    partnership_level,
)
from analysis.indicators.economic import (
    cagr,
    trade_cagr,
    trade_indicators,
    trade_monthly_indicators,
)
from analysis.indicators.energy import dependence_indicators, energy_indicators, yuan_shares
from analysis.indicators.events import (
    KEY_EVENTS_BINS,
    KEY_EVENTS_LATEST,
    KEY_EVENTS_LIMIT,
    attach_goldstein,
    cooperation_sign,
    event_scores,
    events_summary,
    rolling_event_scores,
    significant_events,
    spread_key_events,
)
from analysis.indicators.military import arms_tiv, choose_arms_series, exercises_per_year
from analysis.indicators.un import (
    agreement_overall,
    dyad_scores,
    unga_agreement,
    veto_counts,
    veto_drafts,
    veto_summary,
    vetoes_per_year,
    vote_of,
    votes_long,
)
from analysis.indicators.un_record import (
    agreement_by_issue,
    pair_agreement,
    pair_votes,
    record_votes_long,
)
from analysis.indicators.un_sessions import agreement_series, ideal_point_distance

__all__ = [
    "KEY_EVENTS_BINS",
    "KEY_EVENTS_LATEST",
    "KEY_EVENTS_LIMIT",
    "TIDY_COLUMNS",
    "IndicatorError",
    "agreement_by_issue",
    "agreement_overall",
    "agreement_series",
    "agreements_per_year",
    "arms_tiv",
    "attach_goldstein",
    "cagr",
    "choose_arms_series",
    "cooperation_sign",
    "dependence_indicators",
    "designation_in_force",
    "designations_within",
    "dyad_scores",
    "energy_indicators",
    "event_scores",
    "events_summary",
    "exercises_per_year",
    "ideal_point_distance",
    "is_leader_meeting",
    "leader_calls",
    "leader_visits",
    "meetings_per_year",
    "pair_agreement",
    "pair_votes",
    "partnership_level",
    "per_month",
    "record_votes_long",
    "rolling_event_scores",
    "significant_events",
    "spread_key_events",
    "trade_cagr",
    "trade_indicators",
    "trade_monthly_indicators",
    "unga_agreement",
    "veto_counts",
    "veto_drafts",
    "veto_summary",
    "vetoes_per_year",
    "vote_of",
    "votes_long",
    "yuan_shares",
]
