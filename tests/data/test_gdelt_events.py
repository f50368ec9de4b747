"""The dyad-and-coverage aggregation (issue 26): DuckDB over export files in the real layouts
against a plain pandas computation; the BigQuery text; the command line and its bad input.

The files are written in the codebooks' layouts by ``tests.data.test_external_gdelt`` (names,
never the module's positions); the expected numbers come from ``tests.data.gdelt_reference``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data.external.gdelt_files import GdeltFormatError
from analysis.data.external.gdelt_run import aggregate_events
from tests.data.gdelt_reference import COLUMNS, reference, split_lines
from tests.data.test_external_gdelt import V1, V1_HIST, V2, row

ACTORS = [  # (ActorNCode, ActorNCountryCode)
    ("CHN", "CHN"),
    ("CHNGOV", ""),
    ("RUS", "RUS"),
    ("RUSMIL", ""),
    ("USA", "USA"),
    ("USAGOV", ""),
    ("SUN", ""),  # the USSR: Russia
    ("IGOUNOCHN", ""),  # an IGO, not China
    ("RUSMIL", "UKR"),  # the country code wins over the actor code
    ("FRA", "FRA"),
    ("UKR", "UKR"),
    ("", ""),
]
QUADS = ["1", "2", "3", "4"] * 6 + ["0", "5", "x", ""]
GOLD = ["-10.0", "-2.0", "0.0", "1.9", "2.8", "8.0", "4"] * 4 + ["n/a", ""]
MENTIONS = [str(n) for n in range(1, 30)] + ["", "many"]
DAYS = [f"201405{d:02d}" for d in range(1, 21)] + ["19911224", "19911225"]
BAD_DAYS = ["20150230", "2015011", "abcdefgh", ""]


def _line(rng: random.Random, layout: list[str], eid: int) -> bytes:
    (c1, cc1), (c2, cc2) = rng.choice(ACTORS), rng.choice(ACTORS)
    if rng.random() < 0.3:  # enough dyad events
        (c1, cc1), (c2, cc2) = rng.sample(ACTORS[:7], 2)
    day = rng.choice(BAD_DAYS) if rng.random() < 0.01 else rng.choice(DAYS)
    values = {
        "GLOBALEVENTID": str(eid),
        "SQLDATE": day,
        "Actor1Code": c1,
        "Actor1CountryCode": cc1,
        "Actor2Code": c2,
        "Actor2CountryCode": cc2,
        "EventCode": "042",
        "QuadClass": rng.choice(QUADS),
        "GoldsteinScale": rng.choice(GOLD),
        "NumMentions": rng.choice(MENTIONS),
        "AvgTone": "1.5",
    }
    if rng.random() < 0.05:
        values["Actor1Name"] = b"caf\xe9 \xff"  # not UTF-8, in a column the SQL does not read
    if layout is V1 and rng.random() < 0.02:  # not UTF-8 in a column it reads: DuckDB stops,
        values["Actor2Code"] = b"RUS\xe9"  # the file is read again as Latin-1 (still Russia)
    if "SOURCEURL" in layout:
        values["SOURCEURL"] = f"https://example.org/{eid}/CHN-RUS-USA"
    line = row(layout, **values)
    r = rng.random()
    if r < 0.01:
        return b"\t".join(line.split(b"\t")[:30])  # cut short
    if r < 0.02:
        return line + b"\textra"  # one column too many
    return line


def _lines(seed: int, layout: list[str], n: int) -> bytes:
    rng = random.Random(seed)
    return b"\n".join(_line(rng, layout, seed * 100_000 + i) for i in range(n)) + b"\n"


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> tuple[Path, list[tuple[list[str], bytes]]]:
    """A folder of exports in every layout and container, and (layout, bytes) of each."""
    folder = tmp_path_factory.mktemp("gdelt")
    files = []
    hist = _lines(1, V1_HIST, 3000)
    (folder / "1991.csv").write_bytes(hist)
    files.append((V1_HIST, hist))
    daily = _lines(2, V1, 3000)
    with zipfile.ZipFile(folder / "20140520.export.CSV.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("20140520.export.CSV", daily)
    files.append((V1, daily))
    for k in range(3):
        v2 = _lines(3 + k, V2, 2000)
        name = f"2014052{k}000000.export.CSV"
        if k == 0:
            (folder / name).write_bytes(v2)
        elif k == 1:  # GDELT 2.0's own form, with Windows line ends
            v2 = v2.replace(b"\n", b"\r\n")
            with zipfile.ZipFile(folder / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(name, v2)
        else:
            (folder / f"{name}.gz").write_bytes(gzip.compress(v2))
        files.append((V2, v2))
    return folder, files


def _expected(files: list[tuple[list[str], bytes]]) -> tuple[pd.DataFrame, int]:
    records, wrong = [], 0
    for layout, data in files:
        got, bad = split_lines(layout, data)
        records += got
        wrong += bad
    return reference(records, wrong)


def _compare(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == COLUMNS
    if want.empty:  # no valid event: no day, no row
        assert got.empty
        return
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), want.reset_index(drop=True), check_exact=False, rtol=1e-9
    )


def test_duckdb_matches_pandas_on_every_layout_and_container(exports, capsys):
    folder, files = exports
    got = aggregate_events(folder, batch_bytes=1)  # one archive per batch
    want, malformed = _expected(files)
    _compare(got, want)
    assert got.attrs["malformed"] == malformed > 0
    assert got.attrs["lines"] == sum(len(split_lines(ly, d)[0]) for ly, d in files) + sum(
        split_lines(ly, d)[1] for ly, d in files
    )
    assert sorted(set(got.attrs["columns"].values())) == [57, 58, 61]
    assert (got.groupby("date").size() == 3).all()  # one row per day and dyad
    with capsys.disabled():  # the numbers of the closing note
        dyads = got.groupby("dyad")[["events", "cooperative", "conflictual"]].sum()
        print(
            f"\n[gdelt comparison] {got.attrs['lines']} lines, {len(files)} files, "
            f"{got['date'].nunique()} days, {got.attrs['malformed']} malformed; "
            f"total events {got.drop_duplicates('date')['total_events'].sum()}; "
            f"per dyad {dyads.to_dict('index')}; "
            f"Goldstein sum {got['goldstein_sum'].sum():.1f} (pandas {want['goldstein_sum'].sum():.1f})"
        )


def test_threads_batches_and_version_do_not_change_the_numbers(exports):
    folder, _ = exports
    one = aggregate_events(folder, threads=1)
    two = aggregate_events(folder, threads=2, batch_bytes=1 << 30)
    pd.testing.assert_frame_equal(one, two, check_exact=False, rtol=1e-12)
    with pytest.raises(GdeltFormatError, match="61"):
        aggregate_events(folder / "1991.csv", version=2)


def test_start_and_end_keep_the_days_in_range(exports):
    folder, _ = exports
    got = aggregate_events(folder, start="2014-05-03", end="2014-05-04")
    assert sorted(got["date"].dt.day.unique()) == [3, 4]
    every = aggregate_events(folder)
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True),
        every[every["date"].between("2014-05-03", "2014-05-04")].reset_index(drop=True),
    )


actor = st.sampled_from(ACTORS)
record = st.fixed_dictionaries(
    {
        "a1": actor,
        "a2": actor,
        "day": st.sampled_from(DAYS[:3] + BAD_DAYS[:1]),
        "quad": st.sampled_from(["1", "2", "3", "4", "9"]),
        "gold": st.sampled_from(["-10.0", "3.4", "x"]),
        "mentions": st.sampled_from(["0", "7", ""]),
        "cut": st.booleans(),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(record, min_size=1, max_size=40), v2=st.booleans())
def test_any_rows_give_the_pandas_numbers(tmp_path, records, v2):
    layout = V2 if v2 else V1
    lines = []
    for i, r in enumerate(records):
        line = row(
            layout,
            GLOBALEVENTID=str(i),
            SQLDATE=r["day"],
            Actor1Code=r["a1"][0],
            Actor1CountryCode=r["a1"][1],
            Actor2Code=r["a2"][0],
            Actor2CountryCode=r["a2"][1],
            QuadClass=r["quad"],
            GoldsteinScale=r["gold"],
            NumMentions=r["mentions"],
            SOURCEURL="u",
        )
        lines.append(b"\t".join(line.split(b"\t")[:40]) if r["cut"] else line)
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / f"h{len(list(tmp_path.iterdir()))}.CSV"
    path.write_bytes(data)
    want, malformed = _expected([(layout, data)])
    if not lines or all(r["cut"] for r in records):
        with pytest.raises(GdeltFormatError, match="not a GDELT"):
            aggregate_events(path)
        return
    got = aggregate_events(path, threads=1)
    _compare(got, want)
    assert got.attrs["malformed"] == malformed


def test_bigquery_text_parses_and_selects_the_same_columns():
    import sqlglot
    from sqlglot import exp

    from analysis.data.external.gdelt_sql import bigquery_sql

    text = bigquery_sql(dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    tree = sqlglot.parse_one(text, read="bigquery")
    assert [s.alias_or_name for s in tree.selects] == COLUMNS
    tables = {t.sql("bigquery") for t in tree.find_all(exp.Table)}
    assert "`gdelt-bq`.gdeltv2.events_partitioned" in tables
    assert "_PARTITIONTIME >= CAST('2022-01-01' AS TIMESTAMP)" in text
    assert "_PARTITIONTIME < CAST('2023-01-01' AS TIMESTAMP)" in text
    assert "TRY_CAST" not in text and "SAFE_CAST" in text  # BigQuery's spelling
    with pytest.raises(ValueError, match="begins on 2015-02-18"):
        bigquery_sql(dt.date(2014, 1, 1), dt.date(2014, 12, 31))


def test_bigquery_text_run_back_on_duckdb_gives_the_files_numbers(exports):
    """The BigQuery text, transpiled back and run by DuckDB over a typed copy of a file's rows
    (as BigQuery holds them: integers and floats, no junk; moved to 2022, inside GDELT 2.0),
    gives the pandas numbers of those rows."""
    import duckdb
    import sqlglot

    from analysis.data.external.gdelt_sql import bigquery_sql

    _, files = exports
    layout, data = files[2]  # a GDELT 2.0 file
    records, _ = split_lines(layout, data)
    typed = pd.DataFrame(records)
    for col in ("SQLDATE", "QuadClass", "NumMentions"):
        typed[col] = pd.to_numeric(typed[col].where(typed[col].str.fullmatch(r"\d+")))
    typed["GoldsteinScale"] = pd.to_numeric(typed["GoldsteinScale"], errors="coerce")
    typed = typed.dropna(subset=["SQLDATE", "QuadClass", "NumMentions", "GoldsteinScale"])
    typed = typed[typed["QuadClass"].between(1, 4) & typed["SQLDATE"].between(20140501, 20140531)]
    typed["SQLDATE"] = typed["SQLDATE"].astype("int64") + 80000  # 2014 -> 2022
    typed["_PARTITIONTIME"] = pd.to_datetime(
        typed["SQLDATE"].astype(str), format="%Y%m%d"
    ).dt.tz_localize("UTC")
    con = duckdb.connect()
    con.execute('ATTACH \':memory:\' AS "gdelt-bq"; CREATE SCHEMA "gdelt-bq".gdeltv2')
    con.register("typed", typed)
    con.execute('CREATE TABLE "gdelt-bq".gdeltv2.events_partitioned AS SELECT * FROM typed')
    text = bigquery_sql(dt.date(2022, 5, 3), dt.date(2022, 5, 31))
    got = con.execute(sqlglot.transpile(text, read="bigquery", write="duckdb")[0]).df()
    got["date"] = pd.to_datetime(got["date"]).astype("datetime64[us]")
    want, _ = reference(records, 0)
    want["date"] = (want["date"] + pd.DateOffset(years=8)).astype("datetime64[us]")
    _compare(got, want[want["date"].between("2022-05-03", "2022-05-31")])
    assert got["date"].min() == pd.Timestamp("2022-05-03")  # the partition and day filters


def test_the_bench_exports_are_gdelt_2_files_the_aggregation_reads(tmp_path):
    """The bench's generator writes what it says: 61-column exports, 96 a day, plain and zipped,
    with its dyad rows and malformed lines where the aggregation finds them."""
    from bench.gdelt_synth import write_exports

    info = write_exports(tmp_path, rows=96 * 120, days=1, workers=1)
    assert info["files"] == 96 and len(list((tmp_path / "zip").iterdir())) == 96
    plain = aggregate_events(tmp_path / "plain")
    zipped = aggregate_events(tmp_path / "zip")
    pd.testing.assert_frame_equal(plain, zipped)
    assert set(plain.attrs["columns"].values()) == {61}
    assert plain["events"].sum() == info["dyad_rows"] > 0
    assert plain.attrs["malformed"] == 1  # line 7,777 of the 11,520
    assert plain["total_events"].iloc[0] == info["rows"] - 1
