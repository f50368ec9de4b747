"""The schema of a dataset, built from its sidecar, and the checks pandera cannot express.

:func:`build_schema` turns a sidecar's ``columns`` into a pandera schema over the raw (text) CSV;
:func:`raise_first` turns pandera's failure table into one :class:`DataError` about the first
failing row; the ``check_*`` functions refuse what no column type catches (NUL bytes, non-finite
numbers, URLs that are not http(s)).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.sidecars import DataError

if TYPE_CHECKING:
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

_DTYPES = {"string": str, "integer": "Int64", "float": "float64", "date": str}
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def coverage_bounds(meta: dict[str, Any]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    cov = meta.get("coverage") or {}
    start, end = cov.get("start"), cov.get("end")
    return (
        pd.Timestamp(start) if start else None,
        pd.Timestamp(end) if end else None,
    )


def coverage_columns(meta: dict[str, Any]) -> list[str]:
    """Columns whose values must lie inside the declared coverage.

    ``coverage.columns`` in the sidecar, else whichever of ``date``, ``start_date`` and ``year``
    the file has.
    """
    declared = (meta.get("coverage") or {}).get("columns")
    if declared:
        return list(declared)
    return [c for c in ("date", "start_date", "year") if c in meta["columns"]]


def build_schema(meta: dict[str, Any]) -> pa.DataFrameSchema:
    """Translate a sidecar's ``columns`` into a pandera schema over the raw (text) CSV."""
    import pandera.pandas as pa

    start, end = coverage_bounds(meta)
    coverage_cols = set(coverage_columns(meta))
    columns: dict[str, pa.Column] = {}
    for col, spec in meta["columns"].items():
        kind = spec.get("type", "string")
        if kind not in _DTYPES:
            raise ValueError(f"column '{col}': unknown type '{kind}' (use {', '.join(_DTYPES)})")
        checks: list[pa.Check] = []
        if spec.get("allowed") is not None:
            allowed = spec["allowed"]
            checks.append(pa.Check.isin(allowed, error=f"not one of the allowed values {allowed}"))
        if spec.get("pattern"):
            checks.append(
                pa.Check.str_matches(
                    rf"(?:{spec['pattern']})\Z",
                    error=f"does not match the pattern {spec['pattern']}",
                )
            )
        if spec.get("min") is not None:
            checks.append(pa.Check.ge(spec["min"], error=f"is below the minimum {spec['min']}"))
        if spec.get("max") is not None:
            checks.append(pa.Check.le(spec["max"], error=f"is above the maximum {spec['max']}"))
        if kind == "string" and spec.get("required", True):
            checks.append(pa.Check(lambda s: s.str.strip() != "", error="is blank"))
        if kind == "float":
            checks.append(pa.Check(lambda s: np.isfinite(s), error="is not a finite number"))
        if kind == "date":
            checks.append(
                pa.Check(
                    lambda s: (
                        s.str.fullmatch(_ISO_DATE)
                        & pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna()
                    ),
                    error="is not a valid ISO date (YYYY-MM-DD)",
                )
            )
            if col in coverage_cols and (start is not None or end is not None):
                lo = start.strftime("%Y-%m-%d") if start is not None else "0000-01-01"
                hi = end.strftime("%Y-%m-%d") if end is not None else "9999-12-31"
                checks.append(
                    pa.Check(
                        lambda s, lo=lo, hi=hi: (s >= lo) & (s <= hi),
                        error=f"is outside the file's declared coverage {lo} to {hi}",
                    )
                )
        if kind == "integer" and col in coverage_cols:
            lo_y = start.year if start is not None else -9999
            hi_y = end.year if end is not None else 9999
            checks.append(
                pa.Check.in_range(
                    lo_y, hi_y, error=f"is outside the file's declared coverage {lo_y} to {hi_y}"
                )
            )
        columns[col] = pa.Column(
            _DTYPES[kind],
            checks=checks,
            nullable=not spec.get("required", True),
            coerce=kind in ("integer", "float"),
            required=True,
        )
    return pa.DataFrameSchema(
        columns,
        unique=list(meta["primary_key"]),
        report_duplicates="all",
        strict=True,
        ordered=True,
        name=meta.get("title"),
    )


def _plain(value: Any) -> Any:
    """numpy scalars as plain Python values, for readable messages."""
    return value.item() if hasattr(value, "item") else value


def raise_first(path: Path, err: SchemaErrors, meta: dict[str, Any]) -> None:
    """Turn pandera's failure table into one DataError about the first failing row."""
    cases = err.failure_cases.copy()
    total = len(cases)
    # Table-level problems first (missing or unexpected columns), then by row.
    structural = cases[
        cases["check"].isin(["column_in_dataframe", "column_in_schema", "column_ordered"])
    ]
    if not structural.empty:
        case = structural.iloc[0]
        check = str(case["check"])
        value = case["failure_case"]
        if check == "column_in_dataframe":
            expected = ", ".join(meta["columns"])
            raise DataError(
                path, f"is missing (expected: {expected})", column=str(value), more=total - 1
            )
        if check == "column_in_schema":
            raise DataError(
                path, "is not a column of the schema", column=str(value), more=total - 1
            )
        raise DataError(
            path, f"columns are out of order at '{value}'; expected {list(meta['columns'])}"
        )
    row_level = cases[cases["index"].notna()]
    if row_level.empty:  # a check that failed as a whole (e.g. on a value it could not compare)
        case = cases.iloc[0]
        raise DataError(path, f"{case['check']}: {case['failure_case']}", more=total - 1)
    cases = row_level.copy()
    coerce = cases[cases["check"].astype(str).str.startswith("coerce_dtype")]
    if not coerce.empty:  # a failed conversion makes every other check of that column fail too
        cases = coerce
    cases["row"] = cases["index"].astype(int) + 1
    cases = cases.sort_values(["row", "check_number"], na_position="last", kind="stable")
    case = cases.iloc[0]
    check = str(case["check"])
    value = case["failure_case"]
    column = case["column"] if isinstance(case["column"], str) else None
    if check == "not_nullable":
        problem = "is empty, but this column is required"
    elif check.startswith("coerce_dtype"):
        kind = meta["columns"].get(column, {}).get("type", "")
        problem = f"{_plain(value)!r} is not a valid {kind}"
    elif "unique" in check or "duplicates" in check:
        key = meta["primary_key"]
        dups = cases[cases["check"] == case["check"]]["row"].drop_duplicates().tolist()
        problem = f"duplicate key {key}: rows {', '.join(map(str, dups[:5]))} share it"
        column = ", ".join(key)
    else:
        problem = f"{_plain(value)!r} {check}"
    raise DataError(path, problem, row=int(case["row"]), column=column, more=total - 1)


def check_bytes(path: Path) -> None:
    """Refuse NUL bytes anywhere in a CSV (pandas would keep them inside cells)."""
    data = path.read_bytes()
    at = data.find(b"\x00")
    if at >= 0:
        line = data.count(b"\n", 0, at) + 1
        raise DataError(path, f"contains a NUL byte (line {line}); expected UTF-8 text")


_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def check_numbers(path: Path, raw: pd.DataFrame, meta: dict[str, Any]) -> None:
    """``nan``/``inf`` written in a numeric cell is said so (coercion would call it empty)."""
    for col, spec in meta["columns"].items():
        if col not in raw.columns:
            continue
        values = raw[col]
        if spec.get("type") in ("integer", "float"):
            bad = values.notna() & values.str.strip().str.lower().isin(_NOT_FINITE)
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0])
                raise DataError(
                    path,
                    f"{values.iloc[row]!r} is not a finite number",
                    row=row + 1,
                    column=col,
                    more=int(bad.sum()) - 1,
                )


def check_urls(path: Path, frame: pd.DataFrame) -> None:
    """URL columns hold http(s) URLs only, whatever a sidecar's pattern allows (the PDF links
    them: no ``javascript:`` or ``file:``)."""
    from analysis.sidecars import URL_SCHEMES

    for col in frame.columns:
        if col.endswith("url"):
            values = frame[col].astype("string")
            scheme = values.str.extract(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", expand=False)
            bad = (
                (
                    values.notna()
                    & (values.str.strip() != "")
                    & ~scheme.str.lower().isin(URL_SCHEMES)
                )
                .fillna(False)
                .astype(bool)
            )
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0])
                raise DataError(
                    path,
                    f"{values.iloc[row][:60]!r} is not an http(s) URL",
                    row=row + 1,
                    column=col,
                    more=int(bad.sum()) - 1,
                )
