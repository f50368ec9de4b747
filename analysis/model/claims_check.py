"""Check a claims file against the data: each claim's test (:data:`analysis.model.claims.TESTS`)
run on the datasets as they stood on its source's date, its value compared with the stated one,
and a verdict (:data:`~analysis.model.claims.SUPPORTED`, ...)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.data.loader import Datasets
from analysis.model.claims import (
    NOT_CHECKABLE,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    TESTS,
    NotCheckable,
)
from analysis.model.claims_file import plain_text
from analysis.model.claims_limits import TooSlow, deadline
from analysis.sidecars import DataError

#: How a computed value is compared with the stated one (a claim's optional ``compare``).
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "equal": lambda computed, stated: computed == stated,
    "more_than": lambda computed, stated: computed > stated,
    "at_least": lambda computed, stated: computed >= stated,
    "less_than": lambda computed, stated: computed < stated,
    "at_most": lambda computed, stated: computed <= stated,
}


def load_claims(path: Path | None = None, data_dir: Path | None = None) -> dict[str, Any]:
    """Read and check a claims file (default: ``config.claims_file()``); see
    :mod:`analysis.model.claims_file`, which holds the schema and the checks."""
    from analysis.model.claims_file import load_claims as load

    return load(path or config.claims_file(), data_dir)


def _params(params: dict[str, Any]) -> dict[str, Any]:
    """YAML dates come as ``datetime.date``; the tests take ISO strings."""
    out = {}
    for k, v in (params or {}).items():
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    return out


def as_of_source(ds: Datasets, day) -> Datasets:
    """The datasets as they stood on a source's date: the briefing's own ``--as-of`` mechanism
    (:meth:`Datasets.cut`), never later than the vintage ``ds`` already is."""
    if day is None or not hasattr(ds, "cut"):  # no date, or a stand-in without vintages
        return ds
    day = pd.Timestamp(day)
    if ds.as_of is not None and ds.as_of <= day:
        return ds
    return ds.cut(day)


def check_claims(ds: Datasets, path: Path | None = None) -> pd.DataFrame:
    """Every claim with its stated value, the computed value, the verdict and the evidence.

    Each claim is checked on the data as they stood on its source's date (``date`` in the
    source block): ``ds`` cut at that day, as ``--as-of`` cuts a briefing's data.

    The whole check ends within :data:`~analysis.model.claims_limits.CHECK_SECONDS` and a
    pattern within its own bound: past either, a :class:`DataError` naming the file and the
    claim being checked."""
    path = Path(path or config.claims_file())
    doc = load_claims(path, getattr(ds, "data_dir", None))
    with deadline() as limit:
        return _check_claims(ds, doc, path, limit.check)


def _check_claims(ds: Datasets, doc: dict, path: Path, in_time: Callable[[], None]) -> pd.DataFrame:
    rows = []
    vintages: dict[Any, Datasets] = {}
    for claim in doc["claims"]:
        try:
            rows.append(_check_one(ds, doc, claim, vintages))
            in_time()
        except TooSlow as exc:
            raise DataError(path, f"claim {str(claim['id'])[:40]!r}: {exc}") from None
    return pd.DataFrame(rows, dtype=object)  # object: a count stays an int beside a None


def _check_one(ds: Datasets, doc: dict, claim: dict, vintages: dict[Any, Datasets]) -> dict:
    """One claim's row: its test run on the data as of its source's date, and the verdict."""
    source = doc["sources"][claim["source"]]
    # a forecast ("should this week publish") is checked on what happened after the date
    day = None if claim.get("forecast") else source.get("date")
    if day not in vintages:
        vintages[day] = as_of_source(ds, day)
    stated = plain_text(claim["stated"]) if isinstance(claim["stated"], str) else claim["stated"]
    try:
        computed, evidence = TESTS[claim["test"]](vintages[day], **_params(claim.get("params")))
        holds = COMPARE[claim.get("compare", "equal")](computed, stated)
        verdict = SUPPORTED if holds else NOT_SUPPORTED
        if verdict == SUPPORTED and claim.get("unchecked"):
            verdict = PARTLY
            evidence += f"; not in the data: {' '.join(str(claim['unchecked']).split())}"
    except NotCheckable as exc:
        computed, evidence, verdict = None, str(exc), NOT_CHECKABLE
    return {
        "id": claim["id"],
        "claim": _folded(claim["text"]),
        "source": plain_text(f'{source["publisher"]}, "{source["title"]}" ({source["date"]})'),
        "source_url": plain_text(source["url"]),
        "as_of": None if day is None else f"{pd.Timestamp(day):%Y-%m-%d}",
        "reading": _folded(claim.get("reading", "")),
        "stated": stated,
        "compare": claim.get("compare", "equal"),
        "computed": computed,
        "verdict": verdict,
        "evidence": plain_text(evidence),
        "forecast": bool(claim.get("forecast")),
        "wording_from": _folded(claim.get("wording_from", "")),
    }


def _folded(text: Any) -> str:
    """Text of the claims file as shown: whitespace folded, no bidirectional controls."""
    return " ".join(plain_text(text).split())
