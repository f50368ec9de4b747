"""A claims file (``data/claims.yaml`` or ``--claims FILE.yaml``) read and checked, without pandas.

The parent process validates the file before a kernel starts (bad file: one line, exit 2); the
kernel's :func:`analysis.model.claims_check.load_claims` delegates here. Schema::

    title: ...                         # optional
    sources:                           # id -> the publication
      <source id>: {publisher: ..., title: ..., url: http(s)://..., date: YYYY-MM-DD, note: ...}
    claims:                            # a list
      - id: <unique id>
        source: <source id>
        text: the claim as published
        test: <one of KNOWN_TESTS>
        params: {...}                  # the test's parameters, as claims_params declares
                                       # them (briefing claims --tests lists them)
        stated: <the value the publication states>
        reading: how the claim is read  # optional
        compare: more_than             # optional: equal (default), more_than, at_least,
                                       # less_than, at_most (the last four need a number)
        forecast: true                 # optional: a prediction, checked on the data after
                                       # the source's date (others: as of that date)
        unchecked: what the data lack  # optional: the claim's content the data do not hold;
                                       # its verdict is then at most "supported in part"
        wording_from: where from       # optional: the wording was not read in the source
                                       # itself (e.g. a secondary text); marked in the table

Every problem raises :class:`~analysis.sidecars.DataError` naming the file, the claim (its id,
or its position) and the field.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from analysis import config
from analysis.model import claims_params
from analysis.sidecars import URL_SCHEMES, DataError, UnsafeYAML, read_yaml_text

#: The tests a claim may name, with the parameters each takes: :mod:`analysis.model.claims_params`
#: (the keys of ``analysis.model.claims.TESTS``, kept equal by a test).
KNOWN_TESTS: tuple[str, ...] = claims_params.KNOWN_TESTS
#: How a claim's computed value is compared with its stated one (the keys of ``claims_check.COMPARE``).
KNOWN_COMPARE: tuple[str, ...] = ("equal", "more_than", "at_least", "less_than", "at_most")
CLAIM_FIELDS = ("id", "source", "text", "test", "stated")
CLAIM_OPTIONAL = ("params", "reading", "compare", "forecast", "unchecked", "wording_from")
SOURCE_FIELDS = ("publisher", "title", "url", "date")
#: Bidirectional-text controls (embeddings, overrides, isolates and marks): taken out of every
#: text of a claims file before it is shown (:func:`plain_text`), so that no claim, publisher or
#: title can reverse the text around it in the briefing.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
#: Stated values that mean nothing (YAML's .nan and .inf, or the same words as text).
MEANINGLESS = {"nan", ".nan", "inf", ".inf", "infinity"}


def plain_text(value: Any) -> str:
    """``value`` as text without bidirectional controls: the one way text from a claims file
    enters the briefing (its claims, sources, readings and the evidence quoting them)."""
    return str(value).translate(_NO_BIDI)


def _meaningless(value: Any) -> bool:
    """``nan``, ``inf`` or ``-inf`` (as numbers or words), or empty text."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, str):
        word = value.strip().lower().lstrip("+-")
        return word in MEANINGLESS or not plain_text(value).strip()
    return False


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_url(path: Path, where: str, url: Any) -> None:
    scheme = url.split(":", 1)[0].lower() if isinstance(url, str) and ":" in url else ""
    if scheme not in URL_SCHEMES or not url.split(":", 1)[1].startswith("//"):
        raise DataError(path, f"{where}: field 'url' {str(url)[:60]!r} is not an http(s) URL")


def load_claims(path: Path | str | None = None, data_dir: Path | None = None) -> dict[str, Any]:
    """The parsed claims file, checked against the schema above; each claim's parameters against
    its test's declaration, with the codes and years of the sidecars in ``data_dir``."""
    path = Path(path) if path else config.claims_file()
    if not path.is_file():
        raise DataError(path, "claims file not found" if not path.exists() else "is not a file")
    try:
        doc = read_yaml_text(path)
    except UnsafeYAML as exc:
        raise DataError(path, str(exc)) from None
    except OSError as exc:
        raise DataError(path, f"cannot be read: {exc.strerror or exc}") from None
    if not isinstance(doc, dict):
        raise DataError(path, f"is a {type(doc).__name__}, expected a mapping with sources, claims")
    sources = doc.get("sources")
    if not isinstance(sources, dict) or not sources:
        raise DataError(path, "field 'sources' must be a mapping of source id to a publication")
    for sid, source in sources.items():
        where = f"source {str(sid)[:40]!r}"
        if not isinstance(source, dict):
            raise DataError(path, f"{where} must be a mapping ({', '.join(SOURCE_FIELDS)})")
        for key in SOURCE_FIELDS:
            if key not in source or source[key] in (None, ""):
                raise DataError(path, f"{where} has no '{key}' field")
        _check_url(path, where, source["url"])
    claims = doc.get("claims")
    if not isinstance(claims, list) or not claims:
        raise DataError(path, "field 'claims' must be a non-empty list of claims")
    seen: set[str] = set()
    for i, claim in enumerate(claims, start=1):
        where = f"claim {i}"
        if not isinstance(claim, dict):
            raise DataError(path, f"{where} must be a mapping ({', '.join(CLAIM_FIELDS)})")
        if _text(claim.get("id")):
            where = f"claim {claim['id'][:40]!r}"
        for key in CLAIM_FIELDS:
            if key not in claim or claim[key] is None:
                raise DataError(path, f"{where} has no '{key}' field")
        for key in ("id", "source", "text", "test"):
            if not _text(claim[key]):
                raise DataError(path, f"{where}: field '{key}' must be non-empty text")
        unknown = sorted(set(claim) - set(CLAIM_FIELDS) - set(CLAIM_OPTIONAL))
        if unknown:
            raise DataError(path, f"{where}: unknown field '{str(unknown[0])[:40]}'")
        if claim["id"] in seen:
            raise DataError(path, f"{where}: field 'id': '{claim['id'][:40]}' is used twice")
        seen.add(claim["id"])
        if claim["test"] not in KNOWN_TESTS:
            raise DataError(
                path,
                f"{where}: field 'test': unknown test '{claim['test'][:40]}' "
                f"(known: {', '.join(KNOWN_TESTS)})",
            )
        if claim["source"] not in sources:
            raise DataError(
                path, f"{where}: field 'source': unknown source '{claim['source'][:40]}'"
            )
        params = claim.get("params")
        if params is not None and not isinstance(params, dict):
            raise DataError(path, f"{where}: field 'params' must be a mapping")
        if params and not all(isinstance(k, str) for k in params):
            raise DataError(path, f"{where}: field 'params' must have text keys")
        stated = claim["stated"]
        if isinstance(stated, dict | list):
            raise DataError(path, f"{where}: field 'stated' must be a single value")
        if _meaningless(stated):
            raise DataError(
                path,
                f"{where}: field 'stated': {str(stated)[:40]!a} is not a value a claim can "
                "state (a finite number, a year or words)",
            )
        compare = claim.get("compare", "equal")
        if compare not in KNOWN_COMPARE:
            raise DataError(
                path,
                f"{where}: field 'compare': unknown comparison '{str(compare)[:40]}' "
                f"(known: {', '.join(KNOWN_COMPARE)})",
            )
        if compare != "equal" and (isinstance(stated, bool) or not isinstance(stated, int | float)):
            raise DataError(path, f"{where}: field 'stated' must be a number with '{compare}'")
        if "forecast" in claim and not isinstance(claim["forecast"], bool):
            raise DataError(path, f"{where}: field 'forecast' must be true or false")
        for key in ("unchecked", "wording_from"):
            if key in claim and not _text(claim[key]):
                raise DataError(path, f"{where}: field '{key}' must be non-empty text")
        problem = claims_params.check_params(claim["test"], params or {}, data_dir)
        if problem:
            raise DataError(path, f"{where}: {problem}")
    return doc
