"""The dyad-and-coverage aggregation of GDELT events, written once as SQL (DuckDB dialect).

One query turns event rows into a tidy table per day and dyad — CHN-RUS, CHN-USA, RUS-USA,
either direction — with the events, cooperative (QuadClass 1–2) and conflictual (3–4) events,
the Goldstein sum and the mentions of the dyad, beside the day's total events and mentions over
*all* rows, so that every dyad series can be divided by the day's coverage (GDELT counts news
reports, and the volume of news varies). Every day with events gets one row per dyad, with
zeros when the dyad had none.

**Actor rule** (the package's dyad rule): an actor's country is its ``ActorNCountryCode``, else
the first three letters of its ``ActorNCode`` when they are CHN, RUS, USA (or SUN); the USSR
(SUN) counts as Russia, as in :mod:`analysis.model.dyads` (GDELT codes it RUS anyway).

**Two routes, one text.** The query reads a relation ``events`` with GDELT's column names:

- :func:`analysis.data.external.gdelt_run.aggregate_events` makes it a DuckDB view over the
  export files (every column read as text; a line with the wrong number of columns gets a NULL
  SQLDATE, so that it is counted as malformed with the lines whose date, QuadClass, Goldstein
  or mentions do not parse);
- :func:`bigquery_sql` prepends it as a CTE over ``gdelt-bq.gdeltv2.events_partitioned`` with a
  ``_PARTITIONTIME`` filter, and sqlglot transpiles the whole DuckDB text to BigQuery's dialect.

Pure text: importing this module imports neither pandas nor DuckDB (sqlglot only on use).
"""

from __future__ import annotations

import datetime as dt

#: The output, in order; ``briefing events`` writes exactly these columns.
OUTPUT_COLUMNS = (
    "date",
    "dyad",
    "events",
    "cooperative",
    "conflictual",
    "goldstein_sum",
    "mentions",
    "total_events",
    "total_mentions",
)
COUNTRIES = ("CHN", "RUS", "USA")
DYADS = ("CHN-RUS", "CHN-USA", "RUS-USA")
#: The columns the aggregation reads.
INPUT_COLUMNS = (
    "SQLDATE",
    "Actor1Code",
    "Actor1CountryCode",
    "Actor2Code",
    "Actor2CountryCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
)
BIGQUERY_TABLE = "gdelt-bq.gdeltv2.events_partitioned"
#: GDELT 2.0 starts on 2015-02-18; the partitioned table holds it from then on.
BIGQUERY_FIRST_DAY = dt.date(2015, 2, 18)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def country_sql(n: int) -> str:
    """Actor ``n``'s country code by the dyad rule, for any pair of countries (the caller reads
    SUN as RUS)."""
    code, cc = f"Actor{n}Code", f"Actor{n}CountryCode"
    prefixes = _quoted((*COUNTRIES, "SUN"))
    return (
        f"CASE WHEN COALESCE({cc}, '') <> '' THEN {cc} "
        f"WHEN SUBSTRING({code}, 1, 3) IN ({prefixes}) THEN SUBSTRING({code}, 1, 3) END"
    )


#: Each target's bit (SUN, the USSR, is Russia): a dyad is the sum of two different bits, 3, 5
#: or 6, so that the rows are grouped by a small integer rather than a string (measured: the
#: string key cost a third more than the floor).
CODES = {"CHN": 1, "RUS": 2, "SUN": 2, "USA": 4}
DYAD_CODES = {3: "CHN-RUS", 5: "CHN-USA", 6: "RUS-USA"}


def _bits(expr: str) -> str:
    whens = " ".join(f"WHEN '{c}' THEN {b}" for c, b in CODES.items())
    return f"CASE {expr} {whens} ELSE 0 END"


def _actor_bit(n: int) -> str:
    """Actor ``n``'s target bit by the dyad rule (0: not a target)."""
    code, cc = f"Actor{n}Code", f"Actor{n}CountryCode"
    return (
        f"CASE WHEN COALESCE({cc}, '') <> '' THEN {_bits(cc)} "
        f"ELSE {_bits(f'SUBSTRING({code}, 1, 3)')} END"
    )


#: Stage 1, over ``events``: one row per (SQLDATE, dyad) with the counts; a few thousand rows
#: whatever the input. ``sqldate`` is NULL for a malformed line (its date, QuadClass 1–4,
#: Goldstein value or mentions do not parse); ``dyad`` is NULL for the events of no target
#: dyad, else its code (:data:`DYAD_CODES`).
STAGE1_CTES: tuple[tuple[str, str], ...] = (
    (
        "ev",
        f"""SELECT
    TRY_CAST(SQLDATE AS BIGINT) AS sqldate,
    {_actor_bit(1)} AS k1,
    {_actor_bit(2)} AS k2,
    TRY_CAST(QuadClass AS INTEGER) AS quad,
    TRY_CAST(GoldsteinScale AS DOUBLE) AS goldstein,
    TRY_CAST(NumMentions AS BIGINT) AS mentions
  FROM events""",
    ),
    (
        "tagged",
        """SELECT
    CASE WHEN sqldate BETWEEN 10000101 AND 99991231 AND quad BETWEEN 1 AND 4
      AND goldstein IS NOT NULL AND mentions IS NOT NULL THEN sqldate END AS sqldate,
    CASE WHEN k1 > 0 AND k2 > 0 AND k1 <> k2 THEN k1 + k2 END AS dyad,
    quad, goldstein, mentions
  FROM ev""",
    ),
    (
        "grouped",
        """SELECT
    sqldate, dyad,
    COUNT(*) AS n,
    SUM(CASE WHEN quad IN (1, 2) THEN 1 ELSE 0 END) AS cooperative,
    SUM(CASE WHEN quad IN (3, 4) THEN 1 ELSE 0 END) AS conflictual,
    SUM(goldstein) AS goldstein_sum,
    SUM(mentions) AS mentions
  FROM tagged
  GROUP BY sqldate, dyad""",
    ),
)


def _day_filter(start: dt.date | None, end: dt.date | None) -> str:
    parts = ["day IS NOT NULL"]
    if start is not None:
        parts.append(f"day >= CAST('{start.isoformat()}' AS DATE)")
    if end is not None:
        parts.append(f"day <= CAST('{end.isoformat()}' AS DATE)")
    return " AND ".join(parts)


def stage2_ctes(start: dt.date | None = None, end: dt.date | None = None):
    """Stage 2, over ``grouped`` (stage 1's rows, possibly several batches of them): the date
    from SQLDATE (an impossible date such as 20150230 makes the line malformed), the dyad's
    name, the day totals, the dyad sums. ``start``/``end`` keep the days in that range."""
    ymd = "CAST(sqldate AS VARCHAR)"
    keep = _day_filter(start, end)
    names = " ".join(f"WHEN {code} THEN '{name}'" for code, name in DYAD_CODES.items())
    return (
        (
            "dated",
            f"""SELECT
    TRY_CAST(SUBSTRING({ymd}, 1, 4) || '-' || SUBSTRING({ymd}, 5, 2) || '-'
      || SUBSTRING({ymd}, 7, 2) AS DATE) AS day,
    CASE dyad {names} END AS dyad,
    n, cooperative, conflictual, goldstein_sum, mentions
  FROM grouped""",
        ),
        (
            "days",
            f"""SELECT day, SUM(n) AS total_events, SUM(mentions) AS total_mentions
  FROM dated
  WHERE {keep}
  GROUP BY day""",
        ),
        (
            "pairs",
            " UNION ALL ".join(f"SELECT '{d}' AS dyad" for d in DYADS),
        ),
        (
            "dyad_days",
            f"""SELECT
    day, dyad, SUM(n) AS events, SUM(cooperative) AS cooperative,
    SUM(conflictual) AS conflictual, SUM(goldstein_sum) AS goldstein_sum,
    SUM(mentions) AS mentions
  FROM dated
  WHERE {keep} AND dyad IS NOT NULL
  GROUP BY day, dyad""",
        ),
    )


FINAL_SELECT = """SELECT
  days.day AS date,
  pairs.dyad AS dyad,
  CAST(COALESCE(x.events, 0) AS BIGINT) AS events,
  CAST(COALESCE(x.cooperative, 0) AS BIGINT) AS cooperative,
  CAST(COALESCE(x.conflictual, 0) AS BIGINT) AS conflictual,
  CAST(COALESCE(x.goldstein_sum, 0) AS DOUBLE) AS goldstein_sum,
  CAST(COALESCE(x.mentions, 0) AS BIGINT) AS mentions,
  CAST(days.total_events AS BIGINT) AS total_events,
  CAST(days.total_mentions AS BIGINT) AS total_mentions
FROM days
CROSS JOIN pairs
LEFT JOIN dyad_days AS x ON x.day = days.day AND x.dyad = pairs.dyad
ORDER BY date, dyad"""

#: Over stage 2's ``dated``: the lines read and the malformed ones (DuckDB route only).
COUNTS_SELECT = """SELECT
  CAST(COALESCE(SUM(n), 0) AS BIGINT) AS lines,
  CAST(COALESCE(SUM(CASE WHEN day IS NOT NULL THEN 0 ELSE n END), 0) AS BIGINT)
    AS malformed
FROM dated"""


def with_clause(ctes) -> str:
    return "WITH " + ",\n".join(f"{name} AS (\n  {body}\n)" for name, body in ctes)


def stage1_sql() -> str:
    """Stage 1 as one statement over ``events``."""
    return with_clause(STAGE1_CTES) + "\nSELECT * FROM grouped"


def stage2_sql(
    select: str = FINAL_SELECT, start: dt.date | None = None, end: dt.date | None = None
) -> str:
    """Stage 2 over a relation ``grouped`` (stage 1's rows)."""
    return with_clause(stage2_ctes(start, end)) + "\n" + select


def duckdb_sql(start: dt.date | None = None, end: dt.date | None = None) -> str:
    """The whole aggregation over ``events`` as one DuckDB statement."""
    return with_clause((*STAGE1_CTES, *stage2_ctes(start, end))) + "\n" + FINAL_SELECT


def _bigquery_source(start: dt.date, end: dt.date) -> str:
    project, dataset, table = BIGQUERY_TABLE.split(".")
    after = end + dt.timedelta(days=1)
    return f"""SELECT {", ".join(INPUT_COLUMNS)}
  FROM "{project}".{dataset}.{table}
  WHERE _PARTITIONTIME >= CAST('{start.isoformat()}' AS TIMESTAMPTZ)
    AND _PARTITIONTIME < CAST('{after.isoformat()}' AS TIMESTAMPTZ)
    AND SQLDATE BETWEEN {start:%Y%m%d} AND {end:%Y%m%d}"""


def bigquery_sql(start: dt.date, end: dt.date, *, pretty: bool = True) -> str:
    """The same aggregation for BigQuery's GDELT 2.0 events, from ``start`` to ``end``
    (inclusive): the DuckDB text above with ``events`` defined over the partitioned table,
    transpiled by sqlglot. The partition filter keeps the scan (and the bill) to the range's
    ingestion days; the SQLDATE filter keeps the days whole (an event added after ``end`` is
    not counted, nor is one dated before ``start``)."""
    import sqlglot

    if start > end:
        raise ValueError(f"--start {start} is after --end {end}")
    if start < BIGQUERY_FIRST_DAY:
        raise ValueError(
            f"--start {start}: GDELT 2.0 (the BigQuery table) begins on {BIGQUERY_FIRST_DAY}; "
            "use the GDELT 1.0 files with `briefing events` for earlier days"
        )
    ctes = (("events", _bigquery_source(start, end)), *STAGE1_CTES, *stage2_ctes())
    text = with_clause(ctes) + "\n" + FINAL_SELECT
    return sqlglot.transpile(text, read="duckdb", write="bigquery", pretty=pretty)[0] + ";\n"


__all__ = [
    "BIGQUERY_TABLE",
    "DYADS",
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "bigquery_sql",
    "duckdb_sql",
    "stage1_sql",
    "stage2_sql",
]
