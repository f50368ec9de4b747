"""The explorer's tables as the briefing prints them: human column names with their units, numbers
in the briefing's formats (:mod:`analysis.render.formats`), the briefing's own table machinery
(:func:`~analysis.render.document.html_table`), and every blank cell explained; by year, or by
month for a range shorter than five years (as the briefing draws it).

:data:`COLUMNS` names every indicator the explorer shows (a test checks that none is missing);
:mod:`analysis.render.explore_monthly` counts a short range month by month.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import sidecars
from analysis.render.document import html_table
from analysis.render.formats import _minus, count, pct, runs, share, signed2, tiv
from analysis.render.texsafe import no_math

#: A blank cell, explained under the table.
BLANK = "—"


def _usd_bn(x: float) -> str:
    return _minus(f"{x / 1e9:,.1f}")


def _one(x: float) -> str:
    return _minus(f"{x:,.1f}")


def _two(x: float) -> str:
    return _minus(f"{x:,.2f}")


def _level(x: float) -> str:
    return f"{int(x)}"


def _number(x: float) -> str:
    """A count where the value is whole, else one decimal."""
    return count(x) if float(x).is_integer() else _one(x)


@dataclass(frozen=True)
class Col:
    """How the explorer shows one indicator: its header (with the unit), its format, the dataset
    it comes from, and why a period the dataset covers can still have no figure."""

    label: str
    fmt: Callable[[float], str]
    dataset: str
    blank: str = "no figure in the data for it"


_PAIRS = {"chn_rus": "China–Russia", "chn_usa": "China–USA", "rus_usa": "Russia–USA"}
_NO_VOTE = "no recorded vote both cast"
_MONEY = {
    "cny_share_rus_exports": "Yuan share of Russia's export settlements",
    "cny_share_rus_imports": "Yuan share of Russia's import settlements",
    "cny_share_moex_fx": "Yuan share of exchange currency trading in Russia",
    "rub_share_rus_exports": "Rouble share of Russia's export settlements",
    "usd_eur_share_rus_exports": "Dollar and euro share of Russia's export settlements",
}
_QUAD = {
    "verbal_cooperation": "verbal cooperation",
    "material_cooperation": "material cooperation",
    "verbal_conflict": "verbal conflict",
    "material_conflict": "material conflict",
}

COLUMNS: dict[str, Col] = {
    # diplomatic
    "leader_meetings": Col("Leader-level meetings", count, "events"),
    "official_visits": Col("State and official visits", count, "events"),
    "leader_calls": Col("Leader phone and video calls", count, "events"),
    "agreements": Col("Treaties, agreements, joint statements", count, "events"),
    "agreements_cumulative": Col("Agreements since 1989, cumulated", count, "events"),
    "partnership_level": Col(
        "Designation level (1–7)", _level, "partnership_designations", "before the first one"
    ),
    # UN
    "vetoes_chn": Col("Security Council vetoes by China", count, "unsc_vetoes"),
    "vetoes_rus": Col("Vetoes by the USSR/Russia", count, "unsc_vetoes"),
    "vetoes_joint": Col("Drafts vetoed by both", count, "unsc_vetoes"),
    "vetoed_drafts": Col("Drafts vetoed by any permanent member", count, "unsc_vetoes"),
    "joint_share": Col(
        "Share of China's vetoes cast with Russia", share, "unsc_vetoes", "China cast no veto"
    ),
    "key_votes_unga_agreement": Col(
        "Key General Assembly votes, China–Russia: identical (share)", share, "unga_votes", _NO_VOTE
    ),
    "key_votes_unga_agreement_half": Col(
        "Key votes: agreement, abstention = ½ (share)", share, "unga_votes", _NO_VOTE
    ),
    "key_votes_unga_s_score": Col("Key votes: S score (−1 to 1)", signed2, "unga_votes", _NO_VOTE),
    "rec_n": Col("General Assembly votes both cast, China–Russia", count, "unga_record_votes"),
    "rec_identical": Col("… of which identical", count, "unga_record_votes"),
    "rec_identical_share": Col("Identical (share)", share, "unga_record_votes", _NO_VOTE),
    # economic
    "trade_total": Col(
        "Trade, both ways (US$ bn)", _usd_bn, "trade", "no figure reported for the year"
    ),
    "trade_exports": Col(
        "China's exports to Russia (US$ bn)", _usd_bn, "trade", "no split by direction reported"
    ),
    "trade_imports": Col(
        "China's imports from Russia (US$ bn)", _usd_bn, "trade", "no split by direction reported"
    ),
    "trade_balance": Col(
        "China's balance (US$ bn)", _usd_bn, "trade", "no split by direction reported"
    ),
    "trade_growth": Col(
        "Trade growth on the year before", pct, "trade", "needs a figure for it and the year before"
    ),
    # energy
    "crude_from_rus_mt": Col("Crude oil from Russia (Mt)", _one, "energy", "no figure cited"),
    "crude_total_mt": Col("China's crude imports, all (Mt)", _one, "energy", "no figure cited"),
    "crude_share_rus": Col("Russia's share of China's crude imports", share, "energy", "no figure"),
    "crude_share_rus_stated": Col(
        "Russia's share of China's crude imports, as stated", share, "energy", "no figure cited"
    ),
    "lng_from_rus_mt": Col("LNG from Russia (Mt)", _one, "energy", "no figure cited"),
    "pos_gas_bcm": Col("Power of Siberia gas (bcm)", _one, "energy", "no delivery or no figure"),
    "chn_share_of_rus_trade": Col(
        "China's share of Russia's trade", share, "trade_dependence", "no figure cited"
    ),
    "rus_share_of_chn_trade": Col(
        "Russia's share of China's trade", share, "trade_dependence", "no figure cited"
    ),
    **{k: Col(v, share, "yuan_settlements", "no figure published") for k, v in _MONEY.items()},
    **{
        f"{k}_last_month": Col(f"{v}, last month with a figure", share, "yuan_settlements")
        for k, v in _MONEY.items()
    },
    # military
    "arms_tiv": Col(
        "Russian arms deliveries (SIPRI TIV, million)", tiv, "arms_transfers", "no delivery"
    ),
    "arms_tiv_rolling": Col(
        "Arms deliveries, five years to the year (TIV, million)", tiv, "arms_transfers"
    ),
    "exercises_land": Col("Joint exercises on land", count, "military_cooperation"),
    "exercises_sea": Col("Joint exercises at sea", count, "military_cooperation"),
    "exercises_air": Col("Joint exercises in the air", count, "military_cooperation"),
    "exercises_multi": Col("Joint exercises, several domains", count, "military_cooperation"),
    "exercises_total": Col("Joint exercises, all", count, "military_cooperation"),
    "joint_patrols": Col("Joint patrols (air, sea)", count, "military_cooperation"),
    "military_activities": Col("All joint military activities", count, "military_cooperation"),
    # events
    "event_count": Col("Coded events", count, "events"),
    "goldstein_sum": Col("Goldstein score, sum", _one, "events"),
    "goldstein_mean": Col("Goldstein score, mean (−10 to 10)", signed2, "events", "no event"),
    "net_cooperation": Col("Net cooperation (−1 to 1)", signed2, "events", "no event"),
    **{f"share_{k}": Col(f"Share of {v}", share, "events", "no event") for k, v in _QUAD.items()},
}
for _p, _name in _PAIRS.items():
    COLUMNS.update(
        {
            f"{_p}_identical_share": Col(
                f"General Assembly, {_name}: identical votes (share)",
                share,
                "unga_record_votes",
                _NO_VOTE,
            ),
            f"{_p}_agreement_half": Col(
                f"{_name}: agreement, abstention = ½ (share)", share, "unga_record_votes", _NO_VOTE
            ),
            f"{_p}_kappa": Col(
                f"{_name}: Cohen's κ (−1 to 1)", signed2, "unga_record_votes", _NO_VOTE
            ),
            f"{_p}_pi": Col(
                f"{_name}: Scott's π (−1 to 1)", signed2, "unga_record_votes", _NO_VOTE
            ),
        }
    )


def column(key: str) -> Col:
    """The column of an indicator; one the catalogue lacks still reads as words."""
    return COLUMNS.get(key) or Col(key.replace("_", " ").capitalize(), _number, "")


# ---- the display object ------------------------------------------------------------------------


class Table:
    """A formatted table for the notebook: ``frame`` holds the numbers (human headers), the HTML
    what JupyterLab shows (formatted, blanks explained, safe from MathJax)."""

    def __init__(self, frame: pd.DataFrame, html_text: str):
        self.frame = frame
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.frame.to_string()


STYLE = (
    "<style>.explore-table{border-collapse:collapse;font-size:12px;margin:4px 0 2px 0}"
    ".explore-table th,.explore-table td{padding:2px 8px;border-bottom:1px solid #ddd;"
    "text-align:left;vertical-align:bottom}.explore-table td:first-child{white-space:nowrap}"
    ".explore-table .num{text-align:right;"
    "font-variant-numeric:tabular-nums}.explore-table caption{caption-side:top;text-align:left;"
    "font-weight:600;padding:2px 0 4px 0}.explore-note{font-size:11px;color:#444;margin:2px 0 12px 0}"
    ".explore-message{font-size:13px;color:#7a3b00}</style>"
)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})\b")


def _period_of(label: Any) -> pd.Period | None:
    """A row label as a period: a year (2014, or "2023 to 28 February"), a month ("2022-03")."""
    text = str(label)
    if _MONTH.match(text):
        return pd.Period(text, "M")
    year = _YEAR.match(text)
    return pd.Period(year.group(1), "Y") if year else None


def _periods(labels: Sequence[Any]) -> str:
    """'2012–2013, 2016' for years; '2022-03 to 2022-06, 2022-09' for months; else the labels."""
    periods = [_period_of(x) for x in labels]
    if any(p is None for p in periods) or len({p.freqstr for p in periods}) != 1:
        return ", ".join(str(x) for x in labels)
    if periods[0].freqstr.startswith("Y"):
        return runs([p.year for p in periods])
    out: list[list] = []
    for m in sorted(periods):
        if out and out[-1][1] + 1 == m:
            out[-1][1] = m
        else:
            out.append([m, m])
    return ", ".join(str(a) if a == b else f"{a} to {b}" for a, b in out)


def _why_blank(col: Col, labels: Sequence[Any], data_dir) -> str:
    """Where and why a column is blank: the periods before or after its dataset's coverage, and
    those inside it, with the column's own reason ('2012–2013 (no split by direction reported)')."""
    start = end = None
    if col.dataset:
        with contextlib.suppress(sidecars.DataError):
            start, end = sidecars.coverage_dates(col.dataset, data_dir)
    groups: dict[str, list] = {}
    for label in labels:
        period = _period_of(label)
        why = col.blank
        if period is not None and start is not None and period.end_time.date() < start:
            why = f"before {col.dataset}.csv begins, {start:%Y-%m-%d}"
        elif period is not None and end is not None and period.start_time.date() > end:
            why = f"after {col.dataset}.csv ends, {end:%Y-%m-%d}"
        groups.setdefault(why, []).append(label)
    return ", ".join(f"{_periods(ls)} ({why})" for why, ls in groups.items())


def component_format(unit: str) -> Callable[[float], str]:
    """How a component of the composite prints, by its unit."""
    return {
        "share": share,
        "per cent": lambda x: _minus(f"{x:,.1f}%"),
        "": signed2,
        "scale points": signed2,
        "ideal-point units": _two,
    }.get(unit, _number)


def indicator_table(
    wide: pd.DataFrame,
    *,
    title: str,
    by_month: bool,
    data_dir=None,
    note: str = "",
    columns: dict[str, Col] | None = None,
    index_name: str | None = None,
) -> Table:
    """``wide`` (one row per period, one column per indicator key) as the briefing prints a
    table: a Year or Month column, each indicator under its label with its unit and format, "—"
    for a blank, and a note under the table saying why each blank is blank."""
    columns = columns or {}
    first = index_name or ("Month" if by_month else "Year")
    if wide.empty:
        text = f"{title}: no figure in this range."
        return Table(pd.DataFrame(), no_math(f'{STYLE}<p class="explore-note">{text}</p>'))
    order = {k: i for i, k in enumerate([*columns, *COLUMNS])}  # the catalogue's order
    keys = sorted(wide.columns, key=lambda k: order.get(k, len(order)))
    cols = {k: columns.get(k) or column(k) for k in keys}
    shown = pd.DataFrame({first: [str(i) for i in wide.index]})
    blanks = []
    for key, col in cols.items():
        values = wide[key]
        shown[col.label] = [BLANK if pd.isna(v) else col.fmt(v) for v in values]
        empty = [i for i, v in zip(wide.index, values, strict=True) if pd.isna(v)]
        if empty:
            blanks.append(f"{col.label}: {_why_blank(col, empty, data_dir)}")
    numbers = wide[keys].rename(columns={k: c.label for k, c in cols.items()})
    numbers.index.name = first
    body = html_table(
        shown,
        caption=html.escape(title),
        numeric=[c.label for c in cols.values() if c.fmt is not str],
        css="explore-table",
    )
    notes = [note] if note else []
    if blanks:
        notes.append(f"{BLANK} no figure: " + "; ".join(blanks) + ".")
    foot = "".join(f'<p class="explore-note">{html.escape(n)}</p>' for n in notes)
    return Table(numbers, no_math(STYLE + body + foot))


def message(text: str) -> Table:
    """One plain sentence (invalid input, or nothing to show), as the explorer's only output."""
    return Table(
        pd.DataFrame(), no_math(f'{STYLE}<p class="explore-message">{html.escape(text)}</p>')
    )


__all__ = [
    "BLANK",
    "COLUMNS",
    "Col",
    "Table",
    "column",
    "indicator_table",
    "message",
]


# ---- values on hover ---------------------------------------------------------------------------

_HOVER_GID = "explore-hover"


def hover_points(ax, xs: Sequence[Any], ys: Sequence[float], labels: Sequence[str]) -> None:
    """Invisible markers on ``ax`` at the points, each of which :func:`svg_with_hover` gives a
    tooltip (the browser's own: no script, nothing fetched)."""
    dots = ax.scatter(list(xs), list(ys), s=60, alpha=0.0, zorder=10)
    dots.set_gid(_HOVER_GID)
    ax.figure._explore_hover = list(labels)


def svg_with_hover(fig) -> str:
    """The figure as inline SVG, each marker of :func:`hover_points` carrying its label as an
    SVG ``<title>``: hovering a point shows its value."""
    from analysis.render.figures import _svg

    labels = getattr(fig, "_explore_hover", [])
    svg = _svg(fig)
    start = svg.find(f'<g id="{_HOVER_GID}"')
    if start < 0 or not labels:
        return svg
    end = svg.find("</g>", start)
    group = svg[start:end]
    uses = iter(labels)
    group = re.sub(
        r"<use ([^>]*?)/>",
        lambda m: f"<use {m.group(1)}><title>{html.escape(next(uses, ''))}</title></use>",
        group,
    )
    return svg[:start] + group + svg[end:]
