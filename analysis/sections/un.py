"""The UN section: Security Council vetoes, and how China, Russia and the USA voted on every
recorded General Assembly vote."""

from __future__ import annotations

from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis.data.loader import Datasets
from analysis.indicators import (
    agreement_overall,
    agreement_series,
    pair_agreement,
    per_month,
    unga_agreement,
    veto_drafts,
    vetoes_per_year,
)
from analysis.model.inputs import (
    PAIRS,
    MetricInputs,
    none_if_nan,
    pair_key,
    record_agreement,
    total,
)
from analysis.model.periods import NONE, Period, coverage_state
from analysis.render import figures as F
from analysis.render.context import BriefingContext
from analysis.render.document import Quotes
from analysis.render.figures import (
    BLUE,
    GREY,
    INK,
    ORANGE,
    legend,
    mark_range,
    new_axes,
    years_of,
)
from analysis.render.formats import (
    count,
    pct,
    plural,
    ratio,
    share,
)
from analysis.sections.base import (
    SHADING,
    Row,
    Section,
    edge_note,
    frame_args,
)


def metrics(ds: Datasets, period: Period, inputs: MetricInputs) -> dict[str, Any]:
    s, e = period.start, period.end
    out: dict[str, Any] = {"coverage": coverage_state("unsc_vetoes", period, ds.data_dir)}
    if out["coverage"] != NONE:
        vet = vetoes_per_year(ds.unsc_vetoes, start=s, end=e)
        out.update(
            vetoes_chn=int(total(vet, "vetoes_chn")),
            vetoes_rus=int(total(vet, "vetoes_rus")),
            vetoes_joint=int(total(vet, "vetoes_joint")),
            vetoed_drafts=int(total(vet, "vetoed_drafts")),
        )
        out["joint_share"] = out["vetoes_joint"] / out["vetoes_chn"] if out["vetoes_chn"] else None
    for a, b in PAIRS:
        rec = record_agreement(inputs, a, b, s, e)
        for k, v in rec.items():
            out[f"rec_{pair_key(a, b)}_{k}"] = v
    for target, label in (("ukraine", "ukr"), ("none", "rest")):
        rec = record_agreement(inputs, "CHN", "RUS", s, e, target=target)
        out[f"rec_{label}_identical"], out[f"rec_{label}_n"] = rec["identical"], rec["n"]
    out["rec_dates"] = _record_dates(inputs.record, s, e)
    out["rec_gap"] = record_gap(inputs.record, s, e)
    out["unga_coverage"] = coverage_state("unga_roll_calls", period, ds.data_dir)
    agree = agreement_overall(inputs.votes, start=s, end=e)
    out.update(
        unga_agreement=none_if_nan(agree["unga_agreement"]),
        unga_agreement_half=none_if_nan(agree["unga_agreement_half"]),
        unga_s_score=none_if_nan(agree["unga_s_score"]),
        unga_n=int(agree["n"]),
    )
    return out


def _record_dates(record: pd.DataFrame, s, e) -> str | None:
    """The first and last day of the per-vote record inside [s, e] ("2025-02-24 to 2025-12-18")."""
    inside = record[(record["date"] >= s) & (record["date"] <= e)]["date"]
    if inside.empty:
        return None
    return f"{inside.min():%Y-%m-%d} to {inside.max():%Y-%m-%d}"


def record_gap(record: pd.DataFrame, s, e, days: int = 365) -> str | None:
    """The longest stretch of [s, e] without any recorded vote in the per-vote record, when it
    is longer than ``days`` ("15 January 2020 to 23 February 2025"), else None."""
    dates = record["date"].drop_duplicates().sort_values()
    before = dates[dates < pd.Timestamp(s)]
    after = dates[dates > pd.Timestamp(e)]
    inside = dates[(dates >= pd.Timestamp(s)) & (dates <= pd.Timestamp(e))]
    points = pd.concat([before.tail(1), inside, after.head(1)]).sort_values()
    if len(points) < 2:
        return None
    gaps = points.diff().dt.days
    i = gaps.idxmax()
    if not gaps[i] > days:
        return None
    pos = points.index.get_loc(i)
    lo = max(points.iloc[pos - 1] + pd.Timedelta(days=1), pd.Timestamp(s))
    hi = min(points.iloc[pos] - pd.Timedelta(days=1), pd.Timestamp(e))
    if hi - lo <= pd.Timedelta(days=days):
        return None
    return f"{lo.day} {lo:%B %Y} to {hi.day} {hi:%B %Y}"


def veto_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    if now.get("coverage") == "none":
        return None
    joint = q("un.vetoes_joint", now["vetoes_joint"], count)
    chn = q("un.vetoes_chn", now["vetoes_chn"], count)
    rus = q("un.vetoes_rus", now["vetoes_rus"], count)
    text = (
        f"In the Security Council China cast {chn} {plural(now['vetoes_chn'], 'veto', 'vetoes')} and the "
        f"USSR/Russia {rus}; {joint} {plural(now['vetoes_joint'], 'draft was', 'drafts were')} vetoed by both"
    )
    if now.get("joint_share") is not None:
        text += f" ({q('un.joint_share', now['joint_share'], lambda x: pct(x, signed=False))} of China's vetoes)"
    if before.get("coverage") != "none" and before.get("vetoes_joint") is not None:
        text += f", against {q('un.prior.vetoes_joint', before['vetoes_joint'], count)} in the preceding period"
    return text + "."


def record_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """China–Russia alignment on every recorded General Assembly vote in the range (with n and
    the chance-corrected κ), the two US pairs beside it, and the Ukraine votes told apart."""
    n = now.get("rec_chn_rus_n") or 0
    if not n:
        return None
    share = lambda x: pct(x, signed=False)  # noqa: E731
    text = (
        f"On the {q('un.rec_chn_rus_n', n, count)} recorded General Assembly votes both cast in "
        f"the range ({now['rec_dates']}; whole resolutions, amendments and separate paragraphs"
        + (f"; the per-vote record has no vote from {now['rec_gap']}" if now.get("rec_gap") else "")
        + "), China and Russia voted identically on "
        f"{q('un.rec_chn_rus_identical', now['rec_chn_rus_identical'], share)} "
        + (
            f"(Cohen's κ {q('un.rec_chn_rus_kappa', now['rec_chn_rus_kappa'], ratio)}, "
            "0 being the agreement expected by chance)"
            if now.get("rec_chn_rus_kappa") is not None
            else "(Cohen's κ not defined for these votes)"
        )
        + "; China and the USA on "
        f"{q('un.rec_chn_usa_identical', now['rec_chn_usa_identical'], share)}, Russia and the "
        f"USA on {q('un.rec_rus_usa_identical', now['rec_rus_usa_identical'], share)}"
    )
    if before.get("rec_chn_rus_n"):
        text += (
            f"; in the preceding period China and Russia agreed on "
            f"{q('un.prior.rec_chn_rus_identical', before['rec_chn_rus_identical'], share)} of "
            f"{q('un.prior.rec_chn_rus_n', before['rec_chn_rus_n'], count)} votes"
        )
    text += "."
    ukr = now.get("rec_ukr_n") or 0
    if ukr and not now.get("rec_rest_n"):
        text += (
            " Every one of them was a vote on Ukraine (the emergency session on Ukraine and "
            "Crimea resolutions), so they say nothing of alignment on other topics."
        )
    elif ukr:
        text += (
            f" The {q('un.rec_ukr_n', ukr, count)} votes on Ukraine (the emergency session on "
            "Ukraine and Crimea resolutions) are counted apart: China and Russia voted alike on "
            f"{q('un.rec_ukr_identical', now['rec_ukr_identical'], share)} of them and on "
            f"{q('un.rec_rest_identical', now['rec_rest_identical'], share)} of the other "
            f"{q('un.rec_rest_n', now['rec_rest_n'], count)}, so a change of topic mix is not read "
            "as a change of alignment."
        )
    return text


def record_gap_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """Where the per-vote record has no vote in the range, say so (the UN section only)."""
    if now.get("rec_chn_rus_n"):
        return None
    return (
        "The bundled per-vote General Assembly record holds no vote in this range (it has none "
        "from February 2020 to February 2025; the yearly charts show session aggregates there)."
    )


def unga_sentence(now: dict[str, Any], before: dict[str, Any], q: Quotes) -> str | None:
    """The curated key votes: an annex of votes that drew attention, not the measure."""
    if not now.get("unga_n"):
        return None
    agr = q("un.unga_agreement", now["unga_agreement"], lambda x: pct(x, signed=False))
    n = q("un.unga_n", now["unga_n"], count)
    return (
        f"On the {n} key roll calls that drew attention (a selection, not the measure of "
        f"alignment) they voted identically on {agr}."
    )


def figure(ctx: BriefingContext):
    if ctx.by_month:
        return monthly_figure(ctx)
    w, e = ctx.window_start, ctx.end
    names = {"CHN": "China", "RUS": "Russia", "USA": "USA"}
    pairs = {
        f"{names[a]}–{names[b]}": agreement_series(
            ctx.inputs.record,
            ctx.ds.unga_session_scores,
            a,
            b,
            start=w,
            end=e,
            pairs=ctx.inputs.pairs[(a, b)],
        )
        for a, b in PAIRS
    }
    fig = chart(vetoes_per_year(ctx.ds.unsc_vetoes, start=w, end=e), pairs, **frame_args(ctx))
    cap = (
        "Security Council vetoes per year; share of identical General Assembly votes by session "
        "for each pair of China, Russia (the USSR to 1991) and the USA, on every recorded vote on "
        "a resolution as a whole (Voeten, Strezhnev & Bailey per-vote data to January 2020, UN "
        "Digital Library votes of 2025; hollow markers: BSV session aggregates, 2020–24, where no "
        "per-vote data are bundled; no line across a session without data)."
    )
    return fig, cap + SHADING


def chart(
    vetoes: pd.DataFrame, pairs: dict[str, pd.DataFrame], *, start, end, prev_start
) -> Figure:
    """Vetoes per year (China, USSR/Russia, joint) and, for each pair, the share of identical
    General Assembly votes by session (``pairs``: label -> agreement_series frame)."""
    fig, (ax1, ax2) = new_axes(rows=2, height=3.0)
    mark_range(ax1, start, end, prev_start)
    mark_range(ax2, start, end, prev_start)
    series = [
        ("vetoes_rus", "USSR/Russia", GREY),
        ("vetoes_chn", "China", BLUE),
        ("vetoes_joint", "Joint (same draft)", INK),
    ]
    for i, (name, label, colour) in enumerate(series):
        s = years_of(vetoes, name)
        ax1.bar(
            s.index + (i - 1) * 0.27,
            s.to_numpy(),
            width=0.27,
            color=colour,
            edgecolor=colour,
            lw=0.3,
            label=label,
        )
    ax1.set_ylabel("Vetoes per year")
    ax1.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax1.set_title("Security Council vetoes")
    legend(ax1, ncol=3, right=True)
    styles = [(INK, "o", "-"), (BLUE, "s", "--"), (ORANGE, "^", ":")]
    for (label, series), (colour, marker, ls) in zip(pairs.items(), styles, strict=False):
        if series.empty:
            continue
        years = series["period"].dt.year + 0.3  # a session opens in September
        frame = pd.Series(series["value"].to_numpy(dtype=float), index=years.to_numpy())
        full = frame.reindex(
            [y + 0.3 for y in range(int(years.min()), int(years.max()) + 1)]
        )  # a missing session breaks the line: no line is drawn across a gap
        ax2.plot(full.index, full.to_numpy(), color=colour, ls=ls, lw=1.2, label=label)
        per_vote = series["basis"].str.startswith("per_vote").to_numpy()
        ax2.plot(years[per_vote], frame[per_vote], color=colour, marker=marker, ms=2.6, lw=0)
        ax2.plot(
            years[~per_vote],
            frame[~per_vote],
            color=colour,
            marker=marker,
            ms=3.2,
            lw=0,
            mfc="white",
        )
    ax2.set_ylim(-0.02, 1.02)
    ax2.set_ylabel("Share of identical votes")
    ax2.set_title("General Assembly, every recorded vote")
    ax2.legend(loc="center right", ncol=1, fontsize=7)
    ax2.set_xlabel("Year (session opening)")
    return fig


def monthly_figure(ctx: BriefingContext):
    s, e = ctx.start, ctx.end
    drafts = veto_drafts(ctx.ds.unsc_vetoes)
    vetoes = {
        "China": per_month(drafts.loc[drafts["chn"], "date"], "vetoes_chn", start=s, end=e),
        "USSR/Russia": per_month(drafts.loc[drafts["rus"], "date"], "vetoes_rus", start=s, end=e),
        "Both (same draft)": per_month(
            drafts.loc[drafts["joint"], "date"], "vetoes_joint", start=s, end=e
        ),
    }
    panels = [("Security Council vetoes", "Drafts", vetoes)]
    votes = ctx.inputs.pairs[("CHN", "RUS")]
    votes = votes[(votes["date"] >= s) & (votes["date"] <= e)]
    if len(votes):
        same = votes[votes["identical"] == 1]
        panels.append(
            (
                "General Assembly recorded votes, China–Russia",
                "Votes",
                {
                    "Both voted": per_month(votes["date"], "rec_n", start=s, end=e),
                    "Identical": per_month(same["date"], "rec_identical", start=s, end=e),
                },
            )
        )
    fig = F.monthly_bars_figure(panels, start=s, end=e)
    lead = "Security Council drafts vetoed, by month"
    lead += (
        "; General Assembly recorded votes both cast and identical votes, by month."
        if len(votes)
        else " (the bundled per-vote General Assembly record has no vote in this range)."
    )
    return fig, lead + edge_note(ctx)


def indicators(ds: Datasets, inputs: MetricInputs, s, e) -> pd.DataFrame:
    record = [
        pair_agreement(
            inputs.record, a, b, start=s, end=e, whole_only=True, pairs=inputs.pairs[(a, b)]
        ).assign(indicator=lambda f, a=a, b=b: f"{a.lower()}_{b.lower()}_" + f["indicator"])
        for a, b in PAIRS
    ]
    return pd.concat(
        [
            vetoes_per_year(ds.unsc_vetoes, start=s, end=e),
            *record,
            unga_agreement(inputs.votes, start=s, end=e).assign(
                indicator=lambda f: "key_votes_" + f["indicator"]
            ),
        ]
    )


SECTION = Section(
    key="un",
    title="UN alignment",
    new_page=False,
    datasets=(
        "unsc_vetoes",
        "unga_record_roll_calls",
        "unga_session_scores",
        "unga_roll_calls",
    ),
    measurable_with=("unsc_vetoes",),
    metrics=metrics,
    rows=(
        Row("vetoes_chn", "Vetoes cast by China", count),
        Row("vetoes_rus", "Vetoes cast by the USSR/Russia", count),
        Row("vetoes_joint", "Drafts vetoed by both", count),
        Row("joint_share", "Joint vetoes / China's vetoes", share),
        Row("rec_chn_rus_n", "UNGA recorded votes both cast, China–Russia", count),
        Row("rec_chn_rus_identical", "China–Russia identical votes (share)", share),
        Row("rec_chn_rus_half", "China–Russia agreement, abstention = ½", share),
        Row("rec_chn_rus_kappa", "China–Russia Cohen's κ (0 = chance)", ratio),
        Row("rec_chn_usa_identical", "China–USA identical votes (share)", share),
        Row("rec_rus_usa_identical", "Russia–USA identical votes (share)", share),
        Row("rec_ukr_n", "Votes on Ukraine (ES-11, Crimea)", count),
        Row("rec_ukr_identical", "China–Russia identical on Ukraine votes", share),
        Row("unga_n", "Annex: curated key roll calls", count),
        Row("unga_agreement", "Annex: key roll calls, identical (share)", share),
    ),
    table_title="UN alignment",
    sentences=(veto_sentence, record_sentence, record_gap_sentence, unga_sentence),
    figure=figure,
    indicators=indicators,
)
