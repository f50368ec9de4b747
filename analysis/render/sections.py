"""The briefing's sections: one declaration each, in reading order.

A :class:`Section` names its title, lead paragraph and datasets. A *dimension* section also
names its metric function (the facts of a period), the rows of its comparison table, the
sentences that open it, the findings it offers the key findings, its figure and the explorer's
table; :func:`render_dimension` turns any of them into HTML, so there is no per-dimension
branching anywhere. The other sections have a ``render`` function of their own. The notebook
calls ``brief.section(key)`` once per section, in this order (a test checks it).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analysis.model import metrics as M
from analysis.model.components import COMPONENTS, MIN_COMPONENTS, datasets_of, number_word
from analysis.model.energy import energy_money
from analysis.model.periods import MONTHLY_MAX_YEARS, NONE, combined_state
from analysis.render import bottom_line as BL
from analysis.render import energy as E
from analysis.render import narrative as N
from analysis.render import posture as P
from analysis.render import section_figures as SF
from analysis.render import tables as T
from analysis.render import timeline as TL
from analysis.render.claims import claims_section
from analysis.render.context import BriefingContext
from analysis.render.document import Document, note, paragraph
from analysis.render.triangle import render_triangle

Sentence = Callable[[dict, dict, Any], str | None]


@dataclass(frozen=True)
class Row:
    """A row of a comparison table: metric key, label, formatter."""

    key: str
    label: str
    fmt: Callable[[Any], str]


@dataclass(frozen=True)
class Finding:
    """A sentence a section offers the key findings, ranked by how much its metric moved.

    ``rank`` orders findings that moved equally (lower first)."""

    sentence: Sentence
    salience: Callable[[dict, dict], float]
    rank: int


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str = ""
    datasets: tuple[str, ...] = ()
    # dimension sections
    metrics: M.MetricFn | None = None  # type: ignore[name-defined]
    rows: tuple[Row, ...] = ()
    table_title: str = ""
    sentences: tuple[Sentence, ...] = ()
    findings: tuple[Finding, ...] = ()
    figure: Callable[[BriefingContext], tuple[Any, str]] | None = None
    indicators: Callable | None = None
    extra: Callable[[BriefingContext, Document], list[str]] | None = None
    measurable_with: tuple[str, ...] = ()  # datasets any of which makes it measurable
    # other sections
    render: Callable[[BriefingContext, Document], list[str]] | None = None
    new_page: bool = True
    heading_level: int = 2

    @property
    def is_dimension(self) -> bool:
        return self.metrics is not None


# ---- the generic dimension section ------------------------------------------------------------


def render_dimension(section: Section, ctx: BriefingContext, doc: Document) -> list[str]:
    """Sentences, figure, comparison table, coverage note and extras of a dimension section."""
    facts, q = ctx.facts, doc.quotes
    state = combined_state(
        section.measurable_with or section.datasets, facts.period, ctx.ds.data_dir
    )
    if state == NONE:
        names = ", ".join(f"{n}.csv" for n in section.datasets)
        return [
            note(
                f"Not measurable for {facts.period.label}: {names} do not cover this range.",
                "not-measurable",
            )
        ]
    now, before = facts.current[section.key], facts.prior[section.key]
    parts = [paragraph(t) for build in section.sentences if (t := build(now, before, q))]
    if section.figure is not None:
        parts.append(doc.figure_later(lambda: section.figure(ctx), section.datasets))
    if section.rows:
        with_prior = before.get("coverage") != NONE
        table = T.comparison(section.key, section.rows, facts, q, with_prior=with_prior)
        against = (
            f"against the preceding period ({facts.previous.label})"
            if with_prior
            else f"(the preceding period, {facts.previous.label}, lies before the data)"
        )
        parts.append(
            doc.table(
                table,
                f"{section.table_title}: the range ({facts.period.label}) {against}.",
                section.datasets,
                numeric=list(table.columns[1:]),
            )
        )
    coverage = doc.coverage_note(section.datasets, ctx.periods)
    if coverage:
        parts.append(note(coverage))
    if section.extra is not None:
        parts.extend(section.extra(ctx, doc))
    return parts


# ---- the other sections ------------------------------------------------------------------------


def _key_findings(ctx: BriefingContext, doc: Document) -> list[str]:
    offered = [(s.key, f) for s in SECTIONS for f in s.findings]
    found = N.key_findings(ctx.facts, doc.quotes, offered)
    items = "".join(f"<li>{html.escape(t)}</li>" for t in found)
    scale = paragraph(N.scale_sentence(ctx.result.series(), doc.quotes))
    return [scale, f'<ul class="findings">{items}</ul>']


def _method(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.render.method import method_parts

    return method_parts(ctx, doc, [s for s in SECTIONS if s.is_dimension])


def _references(ctx: BriefingContext, doc: Document) -> list[str]:
    from analysis.render.method import references_html

    return [references_html(ctx.ds.data_dir)]


def _phase_intro() -> str:
    n = number_word(len(COMPONENTS))
    return (
        f"The composite index combines {n} yearly components, measured alike for China–Russia, "
        "China–USA and Russia–USA and each scaled between the lowest and highest value any of "
        "the three pairs had since 1989, into one number from −9 (every component at that low) "
        "to +9 (every one at that high); a year needs at least "
        f"{number_word(MIN_COMPONENTS)} of them. The scale is relative to the record of the "
        "three pairs, not Tsinghua University's absolute scale, so its bands are named by where "
        "a year stands on it (fifths, from the lowest to the highest). Shaded bands around the "
        "line show how far the index moves when the weights and the underlying counts are "
        "redrawn; a change inside them is no clear change. The official designation of China–Russia "
        "relations (tabled under Diplomatic ties) gives their own view; a change point is shown "
        "only where it "
        "survives the penalty range and the redrawn data."
        f" A range shorter than {number_word(MONTHLY_MAX_YEARS)} years is drawn by month (the "
        "monthly composite: each component at every month's end, normalised over the monthly "
        "history)."
    )


def _bottom_line(ctx: BriefingContext, doc: Document) -> list[str]:
    return BL.bottom_line_section(ctx, doc, {s.key: s.title for s in SECTIONS})


SECTIONS: tuple[Section, ...] = (
    Section(
        key="bottom_line",
        title="Bottom line",
        intro="What the numbers mean, each sentence made by a rule stated under Method and "
        "pointing to the section that shows it.",
        render=_bottom_line,
        new_page=False,
    ),
    Section(key="key_findings", title="Key findings", render=_key_findings, new_page=False),
    Section(
        key="phase_timeline",
        title="Phase timeline",
        intro=_phase_intro(),
        datasets=tuple(datasets_of()),
        render=TL.phase_timeline,
    ),
    Section(
        key="diplomatic",
        title="Diplomatic ties",
        intro="Leader-level meetings, visits and the agreements they produced, with the official "
        "designation of the relationship.",
        datasets=("events", "partnership_designations"),
        measurable_with=("events",),
        metrics=M.diplomatic,
        rows=(
            Row("leader_meetings", "Leader-level meetings", N.count),
            Row("official_visits", "State and official visits", N.count),
            Row("leader_calls", "Leader phone/video calls", N.count),
            Row("agreements", "Treaties, agreements, joint statements", N.count),
            Row("level_end", "Designation level at the end (1–7)", N.count),
        ),
        table_title="Diplomatic",
        sentences=(N.diplomatic_sentence,),
        findings=(Finding(N.diplomatic_sentence, N.salience_of("leader_meetings"), 5),),
        figure=SF.diplomatic_figure,
        indicators=SF.diplomatic_indicators,
        extra=TL.designations,
    ),
    Section(
        key="un",
        title="UN alignment",
        intro="Vetoes cast in the Security Council (alone and on the same draft), and how China, "
        "Russia and the United States voted on every recorded General Assembly vote.",
        datasets=(
            "unsc_vetoes",
            "unga_record_roll_calls",
            "unga_session_scores",
            "unga_roll_calls",
        ),
        measurable_with=("unsc_vetoes",),
        metrics=M.un,
        rows=(
            Row("vetoes_chn", "Vetoes cast by China", N.count),
            Row("vetoes_rus", "Vetoes cast by the USSR/Russia", N.count),
            Row("vetoes_joint", "Drafts vetoed by both", N.count),
            Row("joint_share", "Joint vetoes / China's vetoes", T.share),
            Row("rec_chn_rus_n", "UNGA recorded votes both cast, China–Russia", N.count),
            Row("rec_chn_rus_identical", "China–Russia identical votes (share)", T.share),
            Row("rec_chn_rus_half", "China–Russia agreement, abstention = ½", T.share),
            Row("rec_chn_rus_kappa", "China–Russia Cohen's κ (0 = chance)", N.ratio),
            Row("rec_chn_usa_identical", "China–USA identical votes (share)", T.share),
            Row("rec_rus_usa_identical", "Russia–USA identical votes (share)", T.share),
            Row("rec_ukr_n", "Votes on Ukraine (ES-11, Crimea)", N.count),
            Row("rec_ukr_identical", "China–Russia identical on Ukraine votes", T.share),
            Row("unga_n", "Annex: curated key roll calls", N.count),
            Row("unga_agreement", "Annex: key roll calls, identical (share)", T.share),
        ),
        table_title="UN alignment",
        sentences=(N.veto_sentence, N.record_sentence, N.record_gap_sentence, N.unga_sentence),
        findings=(
            Finding(N.veto_sentence, N.salience_of("vetoes_joint"), 2),
            Finding(N.record_sentence, N.share_salience("rec_chn_rus_identical"), 3),
        ),
        figure=SF.un_figure,
        indicators=SF.un_indicators,
        extra=SF.issues_extra,
    ),
    Section(
        key="economic",
        title="Economic ties",
        intro="Merchandise trade as reported by China's customs.",
        datasets=("trade", "trade_monthly"),
        metrics=M.economic,
        rows=(
            Row("years_with_data", "Years with a reported total", N.count),
            Row("trade_mean", "Average yearly trade", N.usd_bn),
            Row("last_value", "Trade in the last year with data", N.usd_bn),
            Row("cagr", "Compound annual growth", N.pct),
            Row("cagr_real", "Compound annual growth, constant dollars (US CPI-U)", N.pct),
            Row("balance_last", "China's balance, last year with data", N.usd_bn),
            Row("months_with_data", "Months with a published figure (monthly releases)", N.count),
            Row("trade_month_mean", "Average monthly trade (monthly releases)", N.usd_bn),
        ),
        table_title="Economic",
        sentences=(N.trade_sentence,),
        findings=(Finding(N.trade_sentence, N.trade_salience, 1),),
        figure=SF.economic_figure,
        indicators=SF.economic_indicators,
    ),
    Section(
        key="energy",
        title="Energy and money",
        intro="What Russia sells China (crude oil, pipeline gas), how much each side weighs in "
        "the other's trade, and the currency Russia's trade is settled in.",
        datasets=("energy", "trade_dependence", "yuan_settlements"),
        metrics=energy_money,
        rows=(
            Row("crude_mt_last", "Crude from Russia, last year with a figure", E.mt),
            Row("crude_share_last", "Russia's share of China's crude imports, last year", T.share),
            Row("pos_bcm_last", "Power of Siberia gas, last year", E.bcm),
            Row(
                "chn_share_of_rus_trade_last", "China's share of Russia's trade, last year", T.share
            ),
            Row(
                "rus_share_of_chn_trade_last", "Russia's share of China's trade, last year", T.share
            ),
            Row(
                "cny_share_rus_exports_last",
                "Yuan share of Russia's export settlements, latest",
                T.share,
            ),
            Row("cny_share_moex_fx_last", "Yuan share of exchange FX trading, latest", T.share),
        ),
        table_title="Energy and money",
        sentences=(E.energy_sentence, E.dependence_sentence, E.money_sentence),
        findings=(Finding(E.energy_sentence, E.energy_salience, 6),),
        figure=E.energy_figure,
        indicators=E.energy_table,
        extra=E.money_extra,
    ),
    Section(
        key="military",
        title="Military cooperation",
        intro="Joint exercises and patrols, and Russian arms deliveries to China.",
        datasets=("military_cooperation", "arms_transfers"),
        metrics=M.military,
        rows=(
            Row("exercises", "Joint exercises", N.count),
            Row("patrols", "Joint patrols (air, sea)", N.count),
            Row("activities", "All joint military activities", N.count),
            Row("arms_tiv", "SIPRI TIV of Russian arms deliveries (million)", N.tiv),
        ),
        table_title="Military",
        sentences=(N.military_sentence,),
        findings=(Finding(N.military_sentence, N.salience_of("activities"), 4),),
        figure=SF.military_figure,
        indicators=SF.military_indicators,
    ),
    Section(
        key="events",
        title="Events",
        intro="The coded bilateral chronology: how cooperative or conflictual the recorded events "
        "were.",
        datasets=("events", "cameo_goldstein"),
        measurable_with=("events",),
        metrics=M.events,
        rows=(
            Row("n_events", "Coded events", N.count),
            Row("conflict_events", "Conflictual events (QuadClass 3–4)", N.count),
            Row("goldstein_mean", "Mean Goldstein score (−10 to 10)", N.signed2),
            Row("net_cooperation", "Net cooperation (−1 to 1)", N.ratio),
        ),
        table_title="Events",
        sentences=(N.events_sentence,),
        figure=SF.events_figure,
        indicators=SF.events_indicators,
    ),
    Section(
        key="triangle",
        title="The strategic triangle",
        intro="China–Russia beside each one's relationship with the United States, measured alike "
        "and on one scale, to tell whether the two drew together or each fell out with Washington.",
        render=render_triangle,
    ),
    Section(
        key="organisations",
        title="The SCO and BRICS",
        intro="The two groupings China and Russia founded together: who belongs, who joined "
        "when, and which summits both leaders attended.",
        datasets=("organisations", "organisation_summits"),
        render=P.organisations_section,
    ),
    Section(key="key_events", title="Key events in the range", render=P.key_events_section),
    Section(
        key="claims",
        title="Claims check",
        intro="Published statements about the relationship, each tested against the data: the "
        "computed value is shown beside the stated one.",
        render=claims_section,
    ),
    Section(key="method", title="Method and sources", render=_method),
    Section(
        key="references", title="References", render=_references, new_page=False, heading_level=3
    ),
)

BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
DIMENSIONS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.is_dimension)


def metric_functions() -> dict[str, Any]:
    """Section key -> metric function, for :func:`analysis.model.facts.range_facts`."""
    return {s.key: s.metrics for s in SECTIONS if s.is_dimension}


def render_section(key: str, ctx: BriefingContext, doc: Document) -> str:
    """The HTML of one section: its heading, lead paragraph and body."""
    if key not in BY_KEY:
        raise ValueError(f"unknown section {key!r}; choose from {list(BY_KEY)}")
    section = BY_KEY[key]
    parts = [doc.heading(section.title, level=section.heading_level, new_page=section.new_page)]
    if section.intro:
        parts.append(paragraph(section.intro))
    body = section.render(ctx, doc) if section.render else render_dimension(section, ctx, doc)
    return "".join(parts + body)
