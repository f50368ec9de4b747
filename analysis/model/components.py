"""The composite's components: one declaration each, measured alike for the three dyads.

A :class:`Component` says what it measures (``key``, ``label``, ``definition``, the literature it
follows), where the briefing shows it (``section``), what it rests on for each dyad
(``datasets``), how it enters the composite (``weight``, ``sign``) and how its series is
computed: ``observe(datasets, dyad)`` (:mod:`analysis.model.observations`) turns the datasets into
dated observations, and :func:`analysis.model.evaluation.evaluate` aggregates them over a trailing window ending at each
evaluation date. Evaluating at 31 December gives the yearly series, at every month's end the
monthly one, on datasets cut at a date that date's vintage. The kinds:

- ``count``: the observations' values summed over the window (e.g. leader contacts in the last
  12 months); blank where the window is not wholly inside the dataset's coverage, so that
  missing data never reads as a quiet year;
- ``ratio``: Σ numerator / Σ denominator over the window (pooled), blank where the evaluation
  period lies outside the coverage or the window holds no observation;
- ``kappa``: Cohen's κ of the two members' votes pooled over the window;
- ``level``: the latest value observed in the window (yearly statistics dated at the end of
  their year, so a year's value is used only once the year has ended);
- ``state``: the latest value observed at any earlier date (a framing stays in force until the
  issuer's next document).

Nothing here moves with the volume of a record: counts are of contacts and exercises (a contact
repeated in a source counts once), the other components are shares, balances, distances,
chance-corrected agreement or levels of a documented scale, and trade enters as a share of each
member's total trade, so that prices cancel out.

The weights, labels, sections, coverage blanking, the method section's definitions, the title
block's method line and the counts in prose all come from :data:`COMPONENTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.data.loader import Datasets
from analysis.model import observations as O
from analysis.model.dyads import DYADS, check_dyad

KINDS = ("count", "ratio", "kappa", "level", "state")
#: How a component's observations are redrawn for the uncertainty bands
#: (:mod:`analysis.model.uncertainty`); None: a reported figure, only its weight varies.
RESAMPLING = ("poisson", "share", "net", "kappa", None)
#: A year (or month) gets a composite value only when at least this many components are present.
MIN_COMPONENTS = 4

Observe = Callable[[Datasets, str], pd.DataFrame]


def same(*names: str) -> dict[str, tuple[str, ...]]:
    """The same datasets for every dyad."""
    return {d: tuple(names) for d in DYADS}


@dataclass(frozen=True)
class Component:
    """One component of the composite index."""

    key: str
    label: str  # in tables and figures
    noun: str  # in the title block's method line
    dimension: str  # the dimension of the relationship it measures
    section: str  # the briefing section that shows its record
    weight: float
    sign: int  # +1: a higher value is warmer; −1: a higher value is cooler
    datasets: Mapping[str, tuple[str, ...]]  # per dyad: what it rests on
    kind: str
    window_months: int | None  # trailing window at each evaluation date; None: unbounded
    definition: str  # for the method section
    literature: str  # what it follows, for the method section
    observe: Observe
    resampling: str | None
    unit: str = ""
    #: What a warming and a cooling contribution are, in the bottom line's plain words.
    moves: tuple[str, str] = ("", "")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"component {self.key}: kind {self.kind!r} not in {KINDS}")
        if self.resampling not in RESAMPLING:
            raise ValueError(f"component {self.key}: resampling {self.resampling!r} unknown")
        if self.sign not in (1, -1):
            raise ValueError(f"component {self.key}: sign must be +1 or −1")
        missing = set(DYADS) - set(self.datasets)
        if missing:
            raise ValueError(f"component {self.key}: no datasets for {sorted(missing)}")

    def datasets_for(self, dyad: str) -> tuple[str, ...]:
        return self.datasets[check_dyad(dyad)]

    @property
    def all_datasets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for d in DYADS for n in self.datasets[d]))

    @property
    def pooling(self) -> str:
        """How the window pools observations, in words ("three years", "one year")."""
        if self.window_months is None:
            return "the latest document in force"
        years = self.window_months / 12
        return f"{number_word(years)} {'year' if years == 1 else 'years'}"


#: The composite's components, in the order tables list them. Weights sum to 1.
COMPONENTS: tuple[Component, ...] = (
    Component(
        key="ideal_point_distance",
        label="General Assembly: ideal-point distance",
        noun="General Assembly ideal points",
        dimension="political alignment",
        section="un",
        weight=0.10,
        sign=-1,
        datasets=same("unga_session_scores"),
        kind="level",
        window_months=12,
        definition="the distance between the two members' ideal points in the session that "
        "opened that year (smaller is closer)",
        literature="Bailey, Strezhnev & Voeten (2017), Estimating Dynamic State Preferences from "
        "United Nations Voting Data, Journal of Conflict Resolution",
        observe=O.ideal_point_distance,
        resampling=None,
        unit="ideal-point units",
        moves=(
            "closer positions in the General Assembly",
            "more distant positions in the General Assembly",
        ),
    ),
    Component(
        key="vote_kappa",
        label="General Assembly: vote agreement (κ)",
        noun="General Assembly votes",
        dimension="political alignment",
        section="un",
        weight=0.10,
        sign=1,
        datasets=same("unga_record_roll_calls", "unga_record_votes"),
        kind="kappa",
        window_months=12,
        definition="Cohen's κ of the two members' votes (yes, abstain, no) on every recorded vote "
        "on a resolution as a whole in the year: the agreement beyond what their own vote "
        "shares would give by chance",
        literature="Häge (2011), Choice or Circumstance? Adjusting Measures of Foreign Policy "
        "Similarity for Chance Agreement, Political Analysis",
        observe=O.vote_agreement,
        resampling="kappa",
        moves=("more General Assembly votes cast alike", "fewer General Assembly votes cast alike"),
    ),
    Component(
        key="council_alignment",
        label="Security Council: contested votes alike",
        noun="Security Council votes",
        dimension="political alignment",
        section="un",
        weight=0.10,
        sign=1,
        datasets=same("unsc_contested_votes"),
        kind="ratio",
        window_months=36,
        definition="the share of contested Security Council votes (drafts not adopted, "
        "resolutions adopted with a negative vote or an abstention) on which the two voted "
        "alike",
        literature="Voeten (2001), Outside Options and the Logic of Security Council Action, "
        "American Political Science Review",
        observe=O.council_alignment,
        resampling="share",
        unit="share",
        moves=("more Security Council votes cast alike", "fewer Security Council votes cast alike"),
    ),
    Component(
        key="leader_contacts",
        label="Leader-level contacts",
        noun="leader contacts",
        dimension="leader-level contact",
        section="diplomatic",
        weight=0.15,
        sign=1,
        datasets=same("leader_contacts"),
        kind="count",
        window_months=12,
        definition="visits, meetings, telephone and video calls between heads of state or "
        "government, each once",
        literature="Papageorgiou & Vieira, the Bilateral Cooperation Intensity index (high-level "
        "visits and contacts)",
        observe=O.leader_contacts,
        resampling="poisson",
        unit="contacts",
        moves=("more frequent leader contacts", "fewer leader contacts"),
    ),
    Component(
        key="official_framing",
        label="Official framing (−2 to +2)",
        noun="official framing",
        dimension="official framing",
        section="diplomatic",
        weight=0.20,
        sign=1,
        datasets=same("official_framing"),
        kind="state",
        window_months=None,
        definition="the mean over the two governments of how each one's top-level documents "
        "in force frame the other (−2 adversary or threat, −1 competitor, 0 mixed, +1 partner, "
        "+2 strategic partner)",
        literature="Yan Xuetong's Tsinghua index of China's relations with major powers "
        "(official characterisations as the anchor of its scale)",
        observe=O.framing,
        resampling=None,
        unit="scale points",
        moves=("warmer official language", "colder official language"),
    ),
    Component(
        key="hostile_months",
        label="Months with sanctions against each other",
        noun="sanctions",
        dimension="cooperation and conflict",
        section="events",
        weight=0.15,
        sign=-1,
        datasets=same("official_acts"),
        kind="count",
        window_months=36,
        definition="the months in which either government took a formal decision imposing or "
        "tightening sanctions, export controls, tariffs or counter-sanctions on the other, or "
        "expelling its diplomats or closing its missions (each month once, however many "
        "decisions it holds)",
        literature="Felbermayr, Kirilakha, Syropoulos, Yalcin & Yotov (2020), The Global "
        "Sanctions Data Base, European Economic Review (sanctions as the conflict side of "
        "economic relations)",
        observe=O.hostile_months,
        resampling="poisson",
        unit="months",
        moves=("fewer sanctions against each other", "more sanctions against each other"),
    ),
    Component(
        key="trade_share",
        label="Trade interdependence",
        noun="trade interdependence",
        dimension="economic ties",
        section="economic",
        weight=0.10,
        sign=1,
        datasets={
            "CHN-RUS": ("trade", "goods_trade"),
            "CHN-USA": ("goods_trade",),
            "RUS-USA": ("goods_trade",),
        },
        kind="level",
        window_months=12,
        definition="the mean over the two members of their bilateral goods trade as a share of "
        "the member's total goods trade",
        literature="Barbieri (1996), Economic Interdependence: A Path to Peace or a Source of "
        "Interstate Conflict?, Journal of Peace Research (trade shares, not values)",
        observe=O.trade_share,
        resampling=None,
        unit="per cent",
        moves=("a larger share of each other's trade", "a smaller share of each other's trade"),
    ),
    Component(
        key="joint_exercises",
        label="Joint military exercises",
        noun="joint exercises",
        dimension="military ties",
        section="military",
        weight=0.10,
        sign=1,
        datasets={
            "CHN-RUS": ("military_cooperation", "military_exercises_us"),
            "CHN-USA": ("military_exercises_us",),
            "RUS-USA": ("military_exercises_us",),
        },
        kind="count",
        window_months=12,
        definition="military exercises in which the armed forces of both take part, by start "
        f"date: bilateral 1, multilateral {O.MULTILATERAL_WEIGHT:g}",
        literature="Bernhardt & Sukin (2021), Joint Military Exercises and Crisis Dynamics "
        "(exercises as a signal of alignment); bilateral and multilateral told apart",
        observe=O.joint_exercises,
        resampling="poisson",
        unit="exercises",
        moves=("more joint military exercises", "fewer joint military exercises"),
    ),
)

for _c in COMPONENTS:  # the bottom line names a driver by these words
    if not all(_c.moves):
        raise ValueError(f"component {_c.key}: moves must name a warming and a cooling")

BY_KEY: dict[str, Component] = {c.key: c for c in COMPONENTS}
DEFAULT_WEIGHTS: dict[str, float] = {c.key: c.weight for c in COMPONENTS}
LABELS: dict[str, str] = {c.key: c.label for c in COMPONENTS}


def component(key: str) -> Component:
    """The component ``key``, or a KeyError naming the known ones."""
    if key not in BY_KEY:
        raise KeyError(f"unknown component {key!r}; known: {list(BY_KEY)}")
    return BY_KEY[key]


def datasets_of(components: tuple[Component, ...] = COMPONENTS, dyad: str | None = None):
    """Every dataset the components rest on (for ``dyad``, or for any dyad), once each."""
    names = (c.datasets_for(dyad) if dyad else c.all_datasets for c in components)
    return list(dict.fromkeys(n for group in names for n in group))


# ---- words derived from the registry ----------------------------------------------------------

_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
_WORDS |= {8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


def number_word(x: float) -> str:
    """'three' for 3; digits for numbers without a word or not whole."""
    return _WORDS.get(int(x), f"{x:g}") if float(x).is_integer() else f"{x:g}"


def method_line(components: tuple[Component, ...] = COMPONENTS) -> str:
    """The title block's one-line statement of the method."""
    nouns = ", ".join(c.noun for c in components)
    return (
        f"One composite of {number_word(len(components))} components ({nouns}), measured alike "
        "for China–Russia, China–USA and Russia–USA and scaled together from −9 (every "
        "component at the lowest value any of the three pairs had since 1989) to +9 (every one "
        "at the highest), with 80%/95% bands."
    )
