"""A plain pandas computation of the daily dyad-and-coverage table, to check the SQL against.

Written from the issue's rule, not from the module under test: a line's fields are its
tab-separated values (Latin-1, a trailing CR dropped); a line with the wrong number of fields, or
whose SQLDATE is not a real day, QuadClass not 1–4, Goldstein not a number or NumMentions not a
whole number, is malformed and counted nowhere else. An actor's country is its country code,
else the first three letters of its actor code when they are CHN, RUS, USA or SUN; SUN is RUS.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TARGETS = ("CHN", "RUS", "USA")
DYADS = ("CHN-RUS", "CHN-USA", "RUS-USA")
COLUMNS = [
    "date",
    "dyad",
    "events",
    "cooperative",
    "conflictual",
    "goldstein_sum",
    "mentions",
    "total_events",
    "total_mentions",
]
NEEDED = [
    "SQLDATE",
    "Actor1Code",
    "Actor1CountryCode",
    "Actor2Code",
    "Actor2CountryCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
]


def split_lines(layout: list[str], data: bytes) -> tuple[list[dict[str, str]], int]:
    """The records of one file's bytes in ``layout``, and the count of lines with the wrong
    number of fields. Empty lines are no events."""
    records, wrong = [], 0
    for raw in data.split(b"\n"):
        line = raw.removesuffix(b"\r").decode("latin-1")
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != len(layout):
            wrong += 1
            continue
        record = dict(zip(layout, fields, strict=True))
        records.append({k: record[k] for k in NEEDED})
    return records, wrong


def _country(df: pd.DataFrame, n: int) -> pd.Series:
    code, cc = df[f"Actor{n}Code"], df[f"Actor{n}CountryCode"]
    prefix = code.str[:3]
    country = cc.where(cc != "", prefix.where(prefix.isin([*TARGETS, "SUN"])))
    return country.replace({"SUN": "RUS"})


def reference(records: list[dict[str, str]], wrong_columns: int) -> tuple[pd.DataFrame, int]:
    """The table (``COLUMNS``) and the malformed-line count."""
    df = pd.DataFrame(records, columns=NEEDED).astype("str")
    a1, a2 = _country(df, 1), _country(df, 2)
    both = a1.isin(TARGETS) & a2.isin(TARGETS) & (a1 != a2)
    pair = np.where(a1.fillna("") < a2.fillna(""), a1 + "-" + a2, a2 + "-" + a1)
    dyad = pd.Series(pair, index=df.index, dtype="object").where(both)
    eight = df["SQLDATE"].where(df["SQLDATE"].str.fullmatch(r"\d{8}"))
    day = pd.to_datetime(eight, format="%Y%m%d", errors="coerce")
    quad = pd.to_numeric(df["QuadClass"].where(df["QuadClass"].str.fullmatch(r"[1-4]")))
    gold = pd.to_numeric(df["GoldsteinScale"], errors="coerce")
    mentions = pd.to_numeric(df["NumMentions"].where(df["NumMentions"].str.fullmatch(r"\d+")))
    valid = day.notna() & quad.notna() & gold.notna() & mentions.notna()
    rows = pd.DataFrame(
        {"date": day, "dyad": dyad, "quad": quad, "gold": gold, "mentions": mentions}
    )[valid]
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS), wrong_columns + int((~valid).sum())
    totals = rows.groupby("date").agg(
        total_events=("quad", "size"), total_mentions=("mentions", "sum")
    )
    per_dyad = (
        rows.dropna(subset=["dyad"])
        .assign(coop=lambda f: f["quad"] <= 2, conf=lambda f: f["quad"] >= 3)
        .groupby(["date", "dyad"])
        .agg(
            events=("quad", "size"),
            cooperative=("coop", "sum"),
            conflictual=("conf", "sum"),
            goldstein_sum=("gold", "sum"),
            mentions=("mentions", "sum"),
        )
    )
    grid = pd.MultiIndex.from_product([totals.index, DYADS], names=["date", "dyad"])
    out = per_dyad.reindex(grid, fill_value=0).reset_index().join(totals, on="date")
    ints = [c for c in COLUMNS if c not in ("date", "dyad", "goldstein_sum")]
    out = out.astype({**dict.fromkeys(ints, "int64"), "goldstein_sum": "float64"})
    out["date"] = out["date"].astype("datetime64[us]")
    return out[COLUMNS], wrong_columns + int((~valid).sum())
