"""What each claims test takes, declared in plain Python (no pandas): the parameters' names,
kinds, whether they are required, and where their allowed values come from (a column's
``allowed`` codes in a dataset's sidecar, a dataset's years).

The build reads these declarations in the parent process, so a claim whose parameters are wrong
(an unknown name, a missing one, a year written as text, an unknown country code) is one line
naming the file, the claim and the parameter, exit code 2, before any kernel starts
(:func:`check_params`, called by :mod:`analysis.model.claims_file`). ``briefing claims --tests``
prints them, and the README's table is :func:`markdown_table` (a test keeps the two equal). A
test keeps each declaration equal to the signature of its function in
:data:`analysis.model.claims.TESTS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from analysis.model.claims_limits import pattern_error
from analysis.model.dyads import DYADS

#: What a parameter of each kind is, as the README and ``briefing claims --tests`` say it.
KINDS: dict[str, str] = {
    "date": "a date, YYYY-MM-DD",
    "year": "a year, e.g. 2014",
    "code": "a code",
    "codes": "a list of codes, e.g. [CHN, RUS]",
    "text": "text",
    "pattern": "a regular expression (case-insensitive; run with a time bound)",
    "cameo": 'a CAMEO event code in quotes, e.g. "111"',
    "designation": "a mapping {contains: text, change: code}",
    "dyads": "a list of dyads",
}
#: The first year any claim can be about (the UN's); a later bound is the dataset's first year.
FIRST_YEAR = 1945


@dataclass(frozen=True)
class Param:
    """One parameter of a claims test."""

    name: str
    kind: str
    help: str
    required: bool = False
    #: (dataset, column): the codes it may take are that column's ``allowed`` list
    column: tuple[str, str] | None = None
    #: the dataset whose years a ``year`` names (from its first year to this year)
    dataset: str | None = None


@dataclass(frozen=True)
class TestSpec:
    """A claims test: what it computes and the parameters it takes."""

    name: str
    summary: str
    params: tuple[Param, ...] = ()
    #: pairs of parameters that must be in order (the first not after the second)
    ordered: tuple[tuple[str, str], ...] = ()
    #: parameters of which exactly one is given
    one_of: tuple[str, ...] = ()


_START = Param("start", "date", "first day counted")
_END = Param("end", "date", "last day counted")
_MEMBERS = Param(
    "members", "codes", "permanent members, the USSR as SUN", True, ("unsc_vetoes", "member")
)
_ORG = Param("organisation", "code", "the organisation", True, ("organisations", "organisation"))
_TRADE_FLOW = ("trade", "flow")
_TRADE_REPORTER = ("trade", "reporter")

SPECS: tuple[TestSpec, ...] = (
    TestSpec(
        "veto_count",
        "Security Council vetoes cast by the members",
        (_MEMBERS, _START, _END),
        (("start", "end"),),
    ),
    TestSpec(
        "veto_group_rank",
        "rank of the members' combined vetoes among every group of as many other permanent "
        "seats (1 = most)",
        (_MEMBERS, _START, _END),
        (("start", "end"),),
    ),
    TestSpec(
        "joint_veto_count",
        "drafts vetoed by both China and the USSR/Russia",
        (_START, _END),
        (("start", "end"),),
    ),
    TestSpec(
        "designation_year",
        "year of the first partnership designation that matches",
        (
            Param("contains", "text", "words of the English designation"),
            Param("change", "code", "kind of step", column=("partnership_designations", "change")),
        ),
    ),
    TestSpec(
        "years_between_designations",
        "whole years between two designations",
        (
            Param("first", "designation", "the earlier designation", True),
            Param("second", "designation", "the later designation", True),
        ),
    ),
    TestSpec(
        "first_event_year",
        "year of the earliest chronology event whose description matches",
        (
            Param("description", "text", "words the description contains (not a pattern)"),
            Param("pattern", "pattern", "matched against the description"),
            Param("categories", "codes", "event categories", column=("events", "category")),
            Param("actor1", "code", "the acting side", column=("events", "actor1")),
            _START,
        ),
        one_of=("description", "pattern"),
    ),
    TestSpec(
        "unga_vote",
        "how a member voted on a General Assembly roll call",
        (
            Param("symbol", "text", "the resolution, e.g. A/RES/68/262", True),
            Param("member", "code", "the member", True, ("unga_votes", "member")),
        ),
    ),
    TestSpec(
        "us_dyads_trend",
        "how many US dyads cooled on the composite over the dates",
        (
            Param("start", "date", "first day", True),
            Param("end", "date", "last day", True),
            Param("dyads", "dyads", "default: CHN-USA and RUS-USA"),
        ),
        (("start", "end"),),
    ),
    TestSpec(
        "arms_deliveries",
        "SIPRI TIV (millions) of one supplier's deliveries to one recipient over the years",
        (
            Param("supplier", "code", "supplier", True, ("arms_transfers", "supplier")),
            Param("recipient", "code", "recipient", True, ("arms_transfers", "recipient")),
            Param("start_year", "year", "first year", True, dataset="arms_transfers"),
            Param("end_year", "year", "last year", True, dataset="arms_transfers"),
        ),
        (("start_year", "end_year"),),
    ),
    TestSpec(
        "posture_count",
        "events of the war-posture chronology matching the filters",
        (
            Param("actor1", "code", "the acting side", column=("war_posture", "actor1")),
            Param("category", "code", "event category", column=("war_posture", "category")),
            Param("cameo", "cameo", "CAMEO event code"),
            _START,
            _END,
        ),
        (("start", "end"),),
    ),
    TestSpec(
        "organisation_members",
        "the members with a row of the event (e.g. the founders), sorted",
        (
            _ORG,
            Param("event", "code", "default: founding", column=("organisations", "event")),
        ),
    ),
    TestSpec(
        "organisation_accessions",
        "the states that acceded, in order of accession",
        (
            _ORG,
            Param("end", "date", "last day counted"),
        ),
    ),
    TestSpec(
        "trade_growth",
        "value(year) / value(base_year) − 1 of one trade flow",
        (
            Param("flow", "code", "trade flow", True, _TRADE_FLOW),
            Param("base_year", "year", "the year compared with", True, dataset="trade"),
            Param("year", "year", "the later year", True, dataset="trade"),
            Param("reporter", "code", "whose statistics (default CHN)", column=_TRADE_REPORTER),
        ),
        (("base_year", "year"),),
    ),
    TestSpec(
        "reported_years",
        "years whose trade figure cites a named agency",
        (
            Param("start_year", "year", "first year", True, dataset="trade"),
            Param("end_year", "year", "last year", True, dataset="trade"),
            Param("reporter", "code", "whose statistics (default CHN)", column=_TRADE_REPORTER),
            Param("flow", "code", "trade flow (default total)", column=_TRADE_FLOW),
            Param("source_contains", "text", "words of the cited source (default Customs)"),
        ),
        (("start_year", "end_year"),),
    ),
    TestSpec(
        "not_in_data",
        'a claim the data cannot test, shown as "not checkable with this data"',
        (Param("needs", "text", "what would test it", True),),
    ),
)
BY_NAME: dict[str, TestSpec] = {s.name: s for s in SPECS}
KNOWN_TESTS: tuple[str, ...] = tuple(BY_NAME)


# ---- checking a claim's parameters -------------------------------------------------------------


def _sidecar(name: str, data_dir: Path | None) -> dict | None:
    """A dataset's sidecar, or None when the data folder has none (nothing to check against)."""
    from analysis.sidecars import DataError, read_meta

    try:
        return read_meta(name, data_dir)
    except DataError:
        return None


def allowed_codes(column: tuple[str, str], data_dir: Path | None = None) -> list[str] | None:
    """The codes a column's sidecar allows, or None when it declares none."""
    meta = _sidecar(column[0], data_dir)
    spec = ((meta or {}).get("columns") or {}).get(column[1]) or {}
    allowed = spec.get("allowed") if isinstance(spec, dict) else None
    return [str(a) for a in allowed] if isinstance(allowed, list) else None


def dataset_years(name: str, data_dir: Path | None = None) -> tuple[int, int]:
    """The years a claim may name for a dataset: its first year (1945 when unknown) to this year
    or its last, whichever is later (a year past the data's end is "not checkable", not an
    error)."""
    meta = _sidecar(name, data_dir)
    first, last = FIRST_YEAR, date.today().year
    if meta is not None:
        from analysis.sidecars import coverage_dates

        start, end = coverage_dates(name, data_dir)
        first = start.year if start else first
        last = max(last, end.year) if end else last
    return first, last


def _show(value: Any) -> str:
    text = str(value)
    return ascii(text[:40])[1:-1]


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _check_code(value: Any, column: tuple[str, str] | None, data_dir: Path | None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{_show(value)} is not a code (text such as CHN)"
    known = allowed_codes(column, data_dir) if column else None
    if known is not None and value not in known:
        return f"unknown code '{_show(value)}' (known: {', '.join(known)})"
    return None


def _check_value(p: Param, value: Any, data_dir: Path | None) -> str | None:
    """What is wrong with one parameter's value, in a few words, or None."""
    kind = p.kind
    if kind == "date":
        if _as_date(value) is None:
            return f"{_show(value)} is not a date; expected YYYY-MM-DD, e.g. 2022-02-24"
    elif kind == "year":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{_show(value)} is not a year; expected a number such as 2014, not in quotes"
        first, last = dataset_years(p.dataset, data_dir) if p.dataset else (FIRST_YEAR, 9999)
        if not first <= value <= last:
            return f"{value} is outside the years {p.dataset}.csv can hold ({first}–{last})"
    elif kind == "code":
        return _check_code(value, p.column, data_dir)
    elif kind in ("codes", "dyads"):
        if not isinstance(value, list) or not value:
            return f"{_show(value)} is not a list; expected e.g. [{'CHN-USA' if kind == 'dyads' else 'CHN, RUS'}]"
        for item in value:
            if kind == "dyads":
                if item not in DYADS:
                    return f"unknown dyad '{_show(item)}' (known: {', '.join(DYADS)})"
            elif problem := _check_code(item, p.column, data_dir):
                return problem
    elif kind in ("text", "pattern"):
        if not isinstance(value, str) or not value.strip():
            return f"{_show(value)} is not text"
        if kind == "pattern" and (problem := pattern_error(value)):
            return f"'{_show(value)}' is not a regular expression ({_show(problem)})"
    elif kind == "cameo":
        if not (isinstance(value, str) and re.fullmatch(r"[0-9]{2,4}", value)):
            return f'{_show(value)} is not a CAMEO code in quotes, e.g. "111" or "057"'
    elif kind == "designation":
        return _check_designation(value, data_dir)
    return None


def _check_designation(value: Any, data_dir: Path | None) -> str | None:
    if not isinstance(value, dict) or not value or not set(value) <= {"contains", "change"}:
        return f"{_show(value)} is not a mapping {{contains: text, change: code}}"
    if "contains" in value and not (isinstance(value["contains"], str) and value["contains"]):
        return "'contains' must be text"
    if "change" in value:
        return _check_code(value["change"], ("partnership_designations", "change"), data_dir)
    return None


def check_params(test: str, params: dict[str, Any], data_dir: Path | None = None) -> str | None:
    """What is wrong with a claim's ``params`` for ``test`` (one phrase naming the parameter),
    or None. ``test`` must be one of :data:`KNOWN_TESTS`."""
    spec = BY_NAME[test]
    declared = {p.name: p for p in spec.params}
    takes = ", ".join(declared) or "no parameters"
    for name in params:
        if name not in declared:
            return (
                f"parameter '{_show(name)}': unknown for test '{test}' (it takes {takes}; "
                "see briefing claims --tests)"
            )
    if spec.one_of and sum(params.get(n) is not None for n in spec.one_of) != 1:
        names = " or ".join(f"'{n}'" for n in spec.one_of)
        return f"parameter {names}: test '{test}' takes exactly one of them"
    for p in spec.params:
        if p.name not in params or params[p.name] is None:
            if p.required:
                return f"parameter '{p.name}' is missing: test '{test}' needs it ({p.help})"
            continue
        problem = _check_value(p, params[p.name], data_dir)
        if problem:
            return f"parameter '{p.name}': {problem}"
    for a, b in spec.ordered:
        first, second = params.get(a), params.get(b)
        if declared[a].kind == "date":
            first, second = _as_date(first), _as_date(second)
        if first is not None and second is not None and first > second:
            return f"parameter '{a}' ({first}) is after '{b}' ({second})"
    return None


# ---- listing -----------------------------------------------------------------------------------


def describe(p: Param, data_dir: Path | None = None, *, values: bool = True) -> str:
    """'flow (required): trade flow — one of trade.csv's flow codes: total, ...'."""
    what = KINDS[p.kind]
    if p.column:
        what = f"one of {p.column[0]}.csv's {p.column[1]} codes"
        if p.kind == "codes":
            what = f"a list of {p.column[0]}.csv's {p.column[1]} codes"
        known = allowed_codes(p.column, data_dir) if values else None
        if known:
            what += f" ({', '.join(known)})"
    elif p.kind == "dyads":
        what += f" ({', '.join(DYADS)})"
    elif p.kind == "year" and p.dataset:
        what = f"a year of {p.dataset}.csv"
        if values:
            first, last = dataset_years(p.dataset, data_dir)
            what += f" ({first}–{last})"
    need = "required" if p.required else "optional"
    return f"`{p.name}` ({need}): {p.help}; {what}"


def markdown_table() -> str:
    """The README's table of the claims tests and their parameters (without the data's codes,
    which ``briefing claims --tests`` lists)."""
    rows = ["| test | what it computes | parameters |", "| --- | --- | --- |"]
    for s in SPECS:
        params = "<br>".join(describe(p, values=False) for p in s.params) or "none"
        if s.one_of:
            params += "<br>exactly one of " + " and ".join(f"`{n}`" for n in s.one_of)
        rows.append(f"| `{s.name}` | {s.summary} | {params} |")
    return "\n".join(rows)


def text_listing(data_dir: Path | None = None) -> str:
    """Every test with its parameters and the codes the data allow (``briefing claims --tests``)."""
    out = []
    for s in SPECS:
        out.append(f"{s.name}: {s.summary}")
        for p in s.params:
            out.append("    " + describe(p, data_dir).replace("`", ""))
        for a, b in s.ordered:
            out.append(f"    ({a} not after {b})")
        out += [f"    (exactly one of {' and '.join(s.one_of)})"] if s.one_of else []
    return "\n".join(out)
