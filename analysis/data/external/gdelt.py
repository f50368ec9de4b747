"""GDELT 1.0 and 2.0 event exports: one dyad's events, and the comparison with the chronology.

Layout (tab-separated, no header row, one event per line; files named ``.csv``/``.CSV`` but
tab-delimited), from the GDELT codebooks and GDELT's own header file:

- GDELT 1.0 (Leetaru & Schrodt 2013; "GDELT Data Format Codebook V1.03",
  http://data.gdeltproject.org/documentation/GDELT-Data_Format_Codebook.pdf; header
  https://www.gdeltproject.org/data/lookups/CSV.header.dailyupdates.txt, 58 names):
  GLOBALEVENTID, SQLDATE, MonthYear, Year, FractionDate, then 10 fields per actor (Code, Name,
  CountryCode, KnownGroupCode, EthnicCode, Religion1Code, Religion2Code, Type1Code, Type2Code,
  Type3Code) for Actor1 and Actor2, IsRootEvent, EventCode, EventBaseCode, EventRootCode,
  QuadClass, GoldsteinScale, NumMentions, NumSources, NumArticles, AvgTone, then 7 fields per
  geography (Type, FullName, CountryCode, ADM1Code, Lat, Long, FeatureID) for Actor1Geo,
  Actor2Geo and ActionGeo, DATEADDED, and SOURCEURL. The daily files (from 2013-04-01) have all
  58; the historical back-files (yearly 1979–2005, monthly 2006–March 2013) lack SOURCEURL: 57.
- GDELT 2.0 ("GDELT Event Database Data Format Codebook V2.0", 2015-02-19,
  http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf): the same fields,
  plus an ADM2Code after each geography's ADM1Code (8 fields per geography), DATEADDED as
  YYYYMMDDHHMMSS, and SOURCEURL: 61 columns. The same 61-name order is given by public schema
  files (e.g. jdrumgoole/gdelttools ``gdelt_field_file.ff``) and a 2019 export with header.

Both versions agree on the first 35 columns (up to AvgTone), which are all this reader needs
besides SOURCEURL (the last column when present). The names are in
:data:`analysis.data.external.gdelt_files.LAYOUTS`.

**Dyad rule.** An event is kept when one actor is CHN and the other RUS, in either direction.
An actor's country is its ``ActorNCountryCode``; when that is empty, the first three letters of
``ActorNCode`` are used if they are a target country (CAMEO actor codes start with the country
code when the actor belongs to one, e.g. ``CHNGOV``, ``RUSMIL``). Following data/CONVENTIONS.md,
``RUS`` is written ``SUN`` for events dated up to 1991-12-24 (GDELT codes the USSR as RUS).

**Reading.** DuckDB reads the files (:mod:`.gdelt_run`; the checks it does not make, and the
extraction of ``.zip``/``.gz`` archives, are in :mod:`.gdelt_files`), in bounded memory and in
parallel. Lines with the wrong number of columns are skipped and counted; bytes that are not
UTF-8 are replaced (U+FFFD) in the fields kept; dyad lines whose date, QuadClass or Goldstein
value do not parse are skipped and counted separately. The whole-record aggregation (three
dyads and the day's coverage) is :func:`analysis.data.external.gdelt_run.aggregate_events`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.external import gdelt_sql
from analysis.data.external.gdelt_files import (
    COLUMN_COUNTS,
    MAX_LINE_BYTES,
    GdeltFormatError,
    expand,
)
from analysis.indicators import event_scores
from analysis.indicators._common import IndicatorError

USSR_END = pd.Timestamp("1991-12-24")
OUTPUT_COLUMNS = [
    "event_id",
    "date",
    "actor1",
    "actor2",
    "cameo_code",
    "goldstein",
    "quad_class",
    "num_mentions",
    "avg_tone",
    "source_url",
]
_EXTRA = ("GLOBALEVENTID", "EventCode", "AvgTone", "SOURCEURL")
_COUNTS = "SELECT COUNT(*), COUNT(*) FILTER (WHERE SQLDATE IS NULL) FROM events"


def _dyad_sql(a: str, b: str) -> str:
    """The rows of the dyad (a, b), either direction, with the SQL's actor rule."""
    return f"""WITH ev AS (
  SELECT GLOBALEVENTID, SQLDATE, EventCode, QuadClass, GoldsteinScale, NumMentions, AvgTone,
    SOURCEURL, _encoding, {gdelt_sql.country_sql(1)} AS c1, {gdelt_sql.country_sql(2)} AS c2
  FROM events WHERE SQLDATE IS NOT NULL
), actors AS (
  SELECT *, CASE WHEN c1 = 'SUN' THEN 'RUS' ELSE c1 END AS a1,
    CASE WHEN c2 = 'SUN' THEN 'RUS' ELSE c2 END AS a2
  FROM ev
)
SELECT GLOBALEVENTID AS event_id, SQLDATE AS day, a1 AS actor1, a2 AS actor2,
  EventCode AS cameo_code, GoldsteinScale AS goldstein, QuadClass AS quad_class,
  NumMentions AS num_mentions, AvgTone AS avg_tone, SOURCEURL AS source_url, _encoding
FROM actors
WHERE (a1 = '{a}' AND a2 = '{b}') OR (a1 = '{b}' AND a2 = '{a}')"""


def _utf8(text: pd.Series, latin1: pd.Series) -> pd.Series:
    """Text DuckDB read as Latin-1 (``latin1``: from a file with bytes that are not UTF-8):
    back to the bytes, then UTF-8 with replacement; text read as UTF-8 is kept."""
    redo = text.notna() & latin1
    out = text.copy()
    out[redo] = [s.encode("latin-1").decode("utf-8", "replace") for s in text[redo]]
    return out


def read_gdelt_dyad(
    path_or_paths: Path | str | Iterable[Path | str],
    *,
    version: int | None = None,
    countries: tuple[str, str] = ("CHN", "RUS"),
    threads: int | None = None,
) -> pd.DataFrame:
    """Events between ``countries`` (both directions) from GDELT 1.0/2.0 event exports.

    ``path_or_paths``: a file (``.csv``/``.CSV``/``.txt``/``.tsv``, ``.zip`` with such members,
    or ``.gz``), a folder of them, or a list. ``version``: 1 or 2, or None to detect it per file
    from the column count (57/58 → 1.0, 61 → 2.0).

    Returns the columns the curated events give the event indicators — ``date``, ``actor1``,
    ``actor2`` (ISO3; SUN for RUS up to 1991-12-24), ``cameo_code`` (text, leading zeros kept),
    ``goldstein`` (float), ``quad_class`` (int) — plus ``event_id``, ``num_mentions``,
    ``avg_tone`` and ``source_url`` (NA for 57-column files), sorted by date and event id, so
    that ``analysis.indicators.event_scores(frame)`` runs on it directly. ``attrs``: ``files``,
    ``columns`` (per file), ``lines_read``, ``lines_skipped`` (wrong column count),
    ``lines_bad_values`` (dyad lines whose date, QuadClass or Goldstein did not parse),
    ``rows``.
    """
    from analysis.data.external.gdelt_run import BATCH_BYTES, connect, prepared_batches, run_on

    if version not in (None, 1, 2):
        raise ValueError(f"version={version!r}: use 1 (GDELT 1.0), 2 (GDELT 2.0) or None")
    if len(countries) != 2 or countries[0] == countries[1]:
        raise ValueError(f"countries={countries!r}: give two different ISO3 codes")
    a, b = (c.upper() for c in countries)
    if not all(len(c) == 3 and c.isalpha() for c in (a, b)):
        raise ValueError(f"countries={countries!r}: give ISO3 codes such as CHN, RUS")
    files = expand(path_or_paths)
    parts, columns = [], {}
    lines = skipped = 0
    with tempfile.TemporaryDirectory(prefix="gdelt-") as tmp, connect(Path(tmp), threads) as con:
        for batch in prepared_batches(files, Path(tmp), version, BATCH_BYTES):
            columns.update({m: f.ncols for f in batch for m in f.members or (f.label,)})
            if not batch:
                continue
            n, bad = run_on(con, batch, lambda: con.execute(_COUNTS).fetchone(), _EXTRA)
            lines, skipped = lines + n, skipped + bad
            parts.append(run_on(con, batch, lambda: con.execute(_dyad_sql(a, b)).df(), _EXTRA))
    raw = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OUTPUT_COLUMNS)
    return _typed(raw, files, columns, lines, skipped)


def _typed(raw: pd.DataFrame, files, columns, lines: int, skipped: int) -> pd.DataFrame:
    day = raw["day"].astype("str") if len(raw) else pd.Series([], dtype="str")
    latin1 = raw.get("_encoding", pd.Series([], dtype="str")).eq("latin-1")
    frame = pd.DataFrame(
        {
            "event_id": _utf8(raw.get("event_id", pd.Series([], dtype="str")), latin1),
            "date": pd.to_datetime(
                day.where(day.str.fullmatch(r"\d{8}")), format="%Y%m%d", errors="coerce"
            ).astype("datetime64[us]"),  # the unit analysis.data.load gives the curated dates
            "actor1": raw.get("actor1"),
            "actor2": raw.get("actor2"),
            "cameo_code": _utf8(raw.get("cameo_code", pd.Series([], dtype="str")), latin1),
            "goldstein": pd.to_numeric(raw.get("goldstein"), errors="coerce"),
            "quad_class": pd.to_numeric(raw.get("quad_class"), errors="coerce"),
            "num_mentions": pd.to_numeric(
                raw.get("num_mentions", pd.Series([], dtype="str")).where(
                    lambda s: s.astype("str").str.fullmatch(r"\d+")
                ),
                errors="coerce",
            ).astype("Int64"),
            "avg_tone": pd.to_numeric(raw.get("avg_tone"), errors="coerce").astype("float64"),
            "source_url": _utf8(raw.get("source_url", pd.Series([], dtype="str")), latin1),
        }
    )
    bad = frame["date"].isna() | frame["goldstein"].isna() | ~frame["quad_class"].isin([1, 2, 3, 4])
    frame = frame[~bad]
    text = {c: "str" for c in ("event_id", "actor1", "actor2", "cameo_code")}
    frame = frame.astype({**text, "goldstein": "float64", "quad_class": "int64"})
    frame["source_url"] = (
        frame["source_url"].str.rstrip("\r").astype("str").where(frame["source_url"].notna())
    )
    ussr = frame["date"] <= USSR_END
    for col in ("actor1", "actor2"):
        frame.loc[ussr & frame[col].eq("RUS"), col] = "SUN"
    frame = frame.sort_values(
        ["date", "event_id"],
        kind="stable",
        key=lambda s: pd.to_numeric(s, errors="coerce") if s.name == "event_id" else s,
    ).reset_index(drop=True)
    frame.attrs.update(
        files=[str(p) for p in files],
        columns=columns,
        rows=len(frame),
        lines_read=int(lines),
        lines_skipped=int(skipped),
        lines_bad_values=int(bad.sum()),
        empty_files=sum(1 for f in files if f.stat().st_size == 0),
    )
    return frame[OUTPUT_COLUMNS]


def _corr(x: pd.Series, y: pd.Series) -> float:
    ok = x.notna() & y.notna()
    if ok.sum() < 3 or x[ok].std() == 0 or y[ok].std() == 0:
        return float("nan")
    return float(np.corrcoef(x[ok].to_numpy(float), y[ok].to_numpy(float))[0, 1])


def compare_with_curated(
    gdelt_events: pd.DataFrame,
    curated_coded_events: pd.DataFrame,
    freq: str = "YS",
    *,
    start=None,
    end=None,
) -> pd.DataFrame:
    """GDELT against the curated chronology, per year (``YS``) or month (``MS``).

    Both inputs need ``date``, ``goldstein`` and ``quad_class`` (curated events: pass them
    through :func:`analysis.indicators.attach_goldstein` first). Each source is scored with
    :func:`analysis.indicators.event_scores`; the columns are ``period``, then for each source
    (``gdelt_``, ``curated_``) ``count``, ``goldstein_mean`` and ``net_cooperation`` (=
    (cooperative − conflictual) / N), and ``diff_goldstein_mean``, ``diff_net_cooperation`` (=
    GDELT − curated). The range defaults to the overlap of the two sources' dates.
    ``attrs["correlation"]``: Pearson r across periods where both sources have events, per
    measure, with ``n`` periods (NaN when fewer than 3 periods or a constant series).
    """
    for name, frame in (
        ("gdelt_events", gdelt_events),
        ("curated_coded_events", curated_coded_events),
    ):
        if frame.empty:
            raise IndicatorError(f"{name} is empty; nothing to compare")
    lo = (
        start
        if start is not None
        else max(gdelt_events["date"].min(), curated_coded_events["date"].min())
    )
    hi = (
        end
        if end is not None
        else min(gdelt_events["date"].max(), curated_coded_events["date"].max())
    )
    if pd.Timestamp(lo) > pd.Timestamp(hi):
        raise IndicatorError(
            f"the two sources do not overlap in time ({pd.Timestamp(lo):%Y-%m-%d} is after "
            f"{pd.Timestamp(hi):%Y-%m-%d}); pass start= and end= to compare a common range"
        )
    measures = {
        "event_count": "count",
        "goldstein_mean": "goldstein_mean",
        "net_cooperation": "net_cooperation",
    }
    parts = []
    for prefix, frame in (("gdelt", gdelt_events), ("curated", curated_coded_events)):
        scores = event_scores(frame, freq=freq, start=lo, end=hi)
        wide = scores[scores["indicator"].isin(list(measures))].pivot(
            index="period", columns="indicator", values="value"
        )
        parts.append(wide.rename(columns={k: f"{prefix}_{v}" for k, v in measures.items()}))
    out = pd.concat(parts, axis=1).reset_index()
    for col in ("gdelt_count", "curated_count"):
        out[col] = out[col].fillna(0).astype(int)
    for m in ("goldstein_mean", "net_cooperation"):
        out[f"diff_{m}"] = out[f"gdelt_{m}"] - out[f"curated_{m}"]
    order = ["period"] + [f"{p}_{m}" for m in measures.values() for p in ("gdelt", "curated")]
    out = out[[*order, "diff_goldstein_mean", "diff_net_cooperation"]]
    out.columns.name = None
    both = (out["gdelt_count"] > 0) & (out["curated_count"] > 0)
    out.attrs["correlation"] = {
        m: {
            "r": _corr(out.loc[both, f"gdelt_{m}"], out.loc[both, f"curated_{m}"]),
            "n": int(both.sum()),
        }
        for m in measures.values()
    }
    return out


__all__ = [
    "COLUMN_COUNTS",
    "MAX_LINE_BYTES",
    "GdeltFormatError",
    "compare_with_curated",
    "read_gdelt_dyad",
]
