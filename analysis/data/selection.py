"""Which data each part of a briefing uses: the bundled curated data or the full public datasets.

When ``make data`` (or an analyst) has put the full datasets into the external directory
(``BRIEFING_EXTERNAL_DIR``, default ``data/external/``), the UN General Assembly indicators run
on every roll call of the Voeten–Strezhnev–Bailey data instead of the curated key votes, GDELT
events are compared with the curated chronology, and a refreshed veto list is diffed against
the curated one. The composite index always uses the bundled data, so that its values do not
depend on what a machine has downloaded. :class:`SourcesInUse` says which source was used where;
the briefing prints it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.loader import Datasets
from analysis.indicators import attach_goldstein, votes_long

CURATED_VOTES = "curated key roll calls (data/unga_roll_calls.csv, data/unga_votes.csv)"


@dataclass
class SourcesInUse:
    """The UNGA votes the UN section uses, and the optional external comparisons."""

    votes: pd.DataFrame
    votes_label: str
    external_dir: Path | None = None
    gdelt_comparison: pd.DataFrame | None = None
    gdelt_label: str | None = None
    veto_diff: pd.DataFrame | None = None
    veto_label: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Independent event series for validation only (None when absent; see
    #: :mod:`analysis.data.external.reference`).
    icews: pd.DataFrame | None = None
    gdelt_edge: pd.DataFrame | None = None
    #: The GDELT daily dyad table (``briefing events`` or BigQuery), when the external folder
    #: holds one (validation only).
    gdelt_daily: pd.DataFrame | None = None
    #: The label of the bundled key roll calls (when ``votes_label`` differs, outside data).
    default_votes_label: str = CURATED_VOTES

    def table(self) -> pd.DataFrame:
        """Section → source used, for the method section."""
        rows = [
            ("UN alignment: General Assembly", self.votes_label),
            ("UN alignment: Security Council", "curated veto list (data/unsc_vetoes.csv)"),
            ("Composite index and phases", "bundled curated data (data/*.csv) only"),
            (
                "Events",
                "curated chronology (data/events.csv)"
                + (f"; compared with {self.gdelt_label}" if self.gdelt_label else ""),
            ),
        ]
        if self.veto_label:
            rows.append(("Veto list refresh", self.veto_label))
        checks = [
            n for n, f in (("ICEWS", self.icews), ("GDELT edge", self.gdelt_edge)) if f is not None
        ]
        rows.append(
            (
                "Validation (not used to build anything)",
                f"{' and '.join(checks)} reference series beside the project"
                if checks
                else "none: the reference series are not beside the project",
            )
        )
        return pd.DataFrame(rows, columns=["Part of the briefing", "Data used"])


def _attach_references(chosen: SourcesInUse) -> None:
    """The validation series when they are beside the project; a broken one is noted, never fatal
    (the briefing does not need them)."""
    from analysis.data.external.reference import ReferenceError, load_gdelt_monthly, load_icews

    for attr, load in (("icews", load_icews), ("gdelt_edge", load_gdelt_monthly)):
        try:
            setattr(chosen, attr, load())
        except ReferenceError as err:
            chosen.notes.append(f"validation series skipped: {err}")


def select_sources(ds: Datasets, external: Path | str | None = None) -> SourcesInUse:
    """Look in the external directory and load what is there; fall back to the bundled data."""
    from analysis.data.external import available, external_dir

    root = Path(external) if external else external_dir()
    present = available(root) if root.exists() else {}
    chosen = SourcesInUse(
        votes=votes_long(ds.unga_roll_calls, ds.unga_votes), votes_label=CURATED_VOTES
    )
    _attach_references(chosen)
    if root.exists():
        from analysis.data.external.gdelt_daily import load_event_aggregates
        from analysis.data.external.gdelt_files import GdeltFormatError

        try:
            chosen.gdelt_daily = load_event_aggregates(root)
        except GdeltFormatError as err:  # the briefing does not need it: noted, never fatal
            chosen.notes.append(f"GDELT daily table skipped: {err}")
    if not any(present.values()):
        return chosen
    chosen.external_dir = root
    if present.get("unvotes"):
        from analysis.data.external.unvotes import load_unvotes

        votes = load_unvotes(present["unvotes"], members=["CHN", "RUS", "USA"])
        chosen.votes = votes
        chosen.votes_label = (
            f"full UNGA roll calls, Voeten, Strezhnev & Bailey ({votes['roll_call'].nunique():,} roll calls "
            f"to {votes['date'].max():%Y-%m-%d}, {present['unvotes']})"
        )
    if present.get("gdelt"):
        from analysis.data.external.gdelt import compare_with_curated, read_gdelt_dyad

        gdelt = read_gdelt_dyad(present["gdelt"])
        if len(gdelt):
            coded = attach_goldstein(ds.events, ds.cameo_goldstein)
            with contextlib.suppress(ValueError):
                chosen.gdelt_comparison = compare_with_curated(gdelt, coded)
            chosen.gdelt_label = f"GDELT events ({len(gdelt):,} CHN–RUS events, {present['gdelt']})"
    if present.get("vetolist"):
        from analysis.data.external.vetolist import diff_vetoes, read_veto_list

        refreshed = read_veto_list(present["vetolist"])
        chosen.veto_diff = diff_vetoes(ds.unsc_vetoes, refreshed)
        chosen.veto_label = f"veto list page {present['vetolist']}: {len(chosen.veto_diff)} differences from data/unsc_vetoes.csv"
    return chosen
