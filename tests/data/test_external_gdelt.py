"""GDELT event exports: layout, dyad filter, malformed lines, encodings, containers, comparison.

The fixtures are written here in the codebooks' column layout (names listed below, positions
taken from the names, never from the module under test), so a wrong index in the reader fails.
"""

from __future__ import annotations

import gzip
import statistics
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis.data.external.gdelt import GdeltFormatError, compare_with_curated, read_gdelt_dyad
from analysis.indicators import event_scores


def _actor(p: str) -> list[str]:
    return [
        f"{p}{s}"
        for s in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ]


def _geo(p: str, adm2: bool) -> list[str]:
    fields = ["Type", "FullName", "CountryCode", "ADM1Code"] + (["ADM2Code"] if adm2 else [])
    return [f"{p}_{s}" for s in [*fields, "Lat", "Long", "FeatureID"]]


def _layout(v2: bool, url: bool = True) -> list[str]:
    names = [
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        *_actor("Actor1"),
        *_actor("Actor2"),
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
        *_geo("Actor1Geo", v2),
        *_geo("Actor2Geo", v2),
        *_geo("ActionGeo", v2),
        "DATEADDED",
    ]
    return names + (["SOURCEURL"] if url else [])


V1, V1_HIST, V2 = _layout(False), _layout(False, url=False), _layout(True)


def test_layouts_have_the_codebook_column_counts():
    assert (len(V1_HIST), len(V1), len(V2)) == (57, 58, 61)
    assert V1.index("ActionGeo_Lat") == 53  # position 54 in GDELT's 1.0 header file
    assert V2.index("SOURCEURL") == 60


def row(layout: list[str], **values: str | bytes) -> bytes:
    """One export line in ``layout``; unnamed fields get plausible filler."""
    cells: dict[str, bytes] = {n: b"" for n in layout}
    day = str(values.get("SQLDATE", "20140520"))
    cells.update(
        {
            "MonthYear": day[:6].encode(),
            "Year": day[:4].encode(),
            "FractionDate": b"2014.3808",
            "IsRootEvent": b"1",
            "NumSources": b"1",
            "NumArticles": b"4",
            "Actor1Geo_FullName": b"Beijing, Beijing, China",
            "ActionGeo_Lat": b"39.9289",
            "ActionGeo_Long": b"116.388",
        }
    )
    for name, value in values.items():
        assert name in cells, name
        cells[name] = value if isinstance(value, bytes) else str(value).encode()
    return b"\t".join(cells[n] for n in layout)


def dyad(layout, eid, day, a1, a2, code, quad, gold, **extra):
    return row(
        layout,
        GLOBALEVENTID=eid,
        SQLDATE=day,
        Actor1Code=a1,
        Actor1CountryCode=a1,
        Actor2Code=a2,
        Actor2CountryCode=a2,
        EventCode=code,
        EventBaseCode=code[:3],
        EventRootCode=code[:2],
        QuadClass=quad,
        GoldsteinScale=gold,
        NumMentions="10",
        AvgTone="1.5",
        **extra,
    )


@pytest.fixture
def v1_file(tmp_path: Path) -> Path:
    lines = [
        # kept: CHN -> RUS by country code
        dyad(
            V1, "101", "20140520", "CHN", "RUS", "057", "1", "8.0", SOURCEURL="http://example.org/a"
        ),
        # kept: RUS -> CHN, Actor1CountryCode empty, country from the actor code RUSGOV
        row(
            V1,
            GLOBALEVENTID="102",
            SQLDATE="20140521",
            Actor1Code="RUSGOV",
            Actor1Name="RUSSIA",
            Actor2Code="CHN",
            Actor2CountryCode="CHN",
            EventCode="036",
            QuadClass="1",
            GoldsteinScale="4.0",
            NumMentions="3",
            AvgTone="2",
            SOURCEURL=b"http://example.org/caf\xe9",
        ),  # Latin-1 byte, not UTF-8
        # dropped: CHN -> USA (SOURCEURL mentions RUS so the line passes the byte prefilter)
        dyad(
            V1,
            "103",
            "20140521",
            "CHN",
            "USA",
            "042",
            "1",
            "1.9",
            SOURCEURL="http://example.org/RUS",
        ),
        # dropped: CHN -> CHN
        dyad(
            V1,
            "104",
            "20140522",
            "CHN",
            "CHN",
            "042",
            "1",
            "1.9",
            SOURCEURL="http://example.org/RUS",
        ),
        # dropped: IGO actor (prefix IGO is not a country) -> RUS
        row(
            V1,
            GLOBALEVENTID="105",
            SQLDATE="20140522",
            Actor1Code="IGOUNOCHN",
            Actor2Code="RUS",
            Actor2CountryCode="RUS",
            EventCode="010",
            QuadClass="1",
            GoldsteinScale="0.0",
        ),
        # malformed: a CHN-RUS line cut after 30 columns, and one with an extra tab
        b"\t".join(dyad(V1, "106", "20140523", "CHN", "RUS", "057", "1", "8.0").split(b"\t")[:30]),
        dyad(V1, "107", "20140523", "CHN", "RUS", "057", "1", "8.0") + b"\textra",
        # dyad with an unreadable Goldstein value: skipped, counted apart
        dyad(V1, "108", "20140524", "RUS", "CHN", "057", "1", "n/a"),
        # non-UTF-8 byte in a line that is not kept must not matter
        row(
            V1,
            GLOBALEVENTID="109",
            SQLDATE="20140524",
            Actor1Name=b"\xff\xfe",
            Actor1Code="FRA",
            Actor1CountryCode="FRA",
        ),
        # USSR era: RUS becomes SUN up to 1991-12-24, stays RUS from 1991-12-25
        dyad(V1, "110", "19910301", "CHN", "RUS", "190", "4", "-10.0"),
        dyad(V1, "111", "19911225", "RUS", "CHN", "0311", "3", "-0.4"),
    ]
    path = tmp_path / "20140520.export.CSV"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


EXPECTED_V1 = pd.DataFrame(
    {
        "event_id": ["110", "111", "101", "102"],
        "date": pd.to_datetime(["1991-03-01", "1991-12-25", "2014-05-20", "2014-05-21"]),
        "actor1": ["CHN", "RUS", "CHN", "RUS"],
        "actor2": ["SUN", "CHN", "RUS", "CHN"],
        "cameo_code": ["190", "0311", "057", "036"],
        "goldstein": [-10.0, -0.4, 8.0, 4.0],
        "quad_class": [4, 3, 1, 1],
        "num_mentions": pd.array([10, 10, 10, 3], dtype="Int64"),
    }
)


def test_v1_daily_file_keeps_the_dyad_both_ways(v1_file):
    got = read_gdelt_dyad(v1_file)
    pd.testing.assert_frame_equal(
        got[EXPECTED_V1.columns].reset_index(drop=True),
        EXPECTED_V1,
        check_dtype=False,
        check_index_type=False,
    )
    assert got["date"].dtype.kind == "M"
    assert got["quad_class"].dtype == "int64" and got["goldstein"].dtype == "float64"
    assert got["source_url"].tolist()[2:] == [
        "http://example.org/a",
        "http://example.org/caf\ufffd",
    ]
    assert got.attrs["lines_read"] == 11
    assert got.attrs["lines_skipped"] == 2
    assert got.attrs["lines_bad_values"] == 1
    assert got.attrs["rows"] == 4
    assert list(got.attrs["columns"].values()) == [58]


def test_utf8_text_is_kept_and_other_bytes_replaced_file_by_file(tmp_path):
    good = tmp_path / "a.CSV"
    good.write_bytes(
        dyad(
            V1,
            "1",
            "20200101",
            "CHN",
            "RUS",
            "040",
            "1",
            "1.0",
            SOURCEURL="http://x.org/café".encode(),
        )
        + b"\n"
    )
    bad = tmp_path / "b.CSV"
    bad.write_bytes(
        dyad(
            V1, "2", "20200102", "CHN", "RUS", "040", "1", "1.0", SOURCEURL=b"http://x.org/caf\xe9"
        )
        + b"\n"
    )
    got = read_gdelt_dyad(tmp_path)
    assert got["source_url"].tolist() == ["http://x.org/café", "http://x.org/caf\ufffd"]


def test_one_thread_gives_the_same_rows(v1_file):
    parallel = read_gdelt_dyad(v1_file)
    serial = read_gdelt_dyad(v1_file, threads=1)
    pd.testing.assert_frame_equal(parallel, serial)
    assert serial.attrs["lines_read"] == parallel.attrs["lines_read"]


def test_v2_zip_with_crlf_and_v1_historical_file(tmp_path: Path):
    v2_lines = [
        dyad(
            V2,
            "900",
            "20150219",
            "RUS",
            "CHN",
            "061",
            "2",
            "6.4",
            Actor1Geo_ADM2Code="12345",
            SOURCEURL="https://example.com/v2",
        ),
        dyad(
            V2,
            "901",
            "20150220",
            "CHN",
            "RUS",
            "112",
            "3",
            "-2.0",
            SOURCEURL="https://example.com/v2b",
        ),
        dyad(V2, "902", "20150220", "USA", "RUS", "112", "3", "-2.0"),
    ]
    archive = tmp_path / "20150219000000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("20150219000000.export.CSV", b"\r\n".join(v2_lines) + b"\r\n")
    hist = tmp_path / "1999.csv"
    hist.write_bytes(dyad(V1_HIST, "5", "19990101", "CHN", "RUS", "043", "1", "2.8") + b"\n")

    got = read_gdelt_dyad([archive, hist])
    assert got["event_id"].tolist() == ["5", "900", "901"]
    assert got["cameo_code"].tolist() == ["043", "061", "112"]
    assert got["quad_class"].tolist() == [1, 2, 3]
    assert got["source_url"].isna().tolist() == [True, False, False]
    assert got["source_url"].iloc[1] == "https://example.com/v2"
    assert sorted(got.attrs["columns"].values()) == [57, 61]
    with pytest.raises(GdeltFormatError, match="61"):
        read_gdelt_dyad(hist, version=2)


def test_folder_and_gzip_inputs(tmp_path: Path, v1_file: Path):
    gz = tmp_path / "more.txt.gz"
    gz.write_bytes(gzip.compress(dyad(V1, "7", "20200101", "CHN", "RUS", "040", "1", "1.0")))
    got = read_gdelt_dyad(tmp_path)  # the folder: v1_file and more.txt.gz
    assert got["event_id"].tolist() == ["110", "111", "101", "102", "7"]
    assert len(got.attrs["files"]) == 2


def test_errors_say_what_is_wrong(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="no such GDELT file"):
        read_gdelt_dyad(tmp_path / "missing.CSV")
    notgdelt = tmp_path / "x.csv"
    notgdelt.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(GdeltFormatError, match="not a GDELT"):
        read_gdelt_dyad(notgdelt)
    with pytest.raises(ValueError, match="version=3"):
        read_gdelt_dyad(notgdelt, version=3)


def test_event_scores_runs_on_the_result(v1_file):
    scores = event_scores(read_gdelt_dyad(v1_file), start="2014-01-01", end="2014-12-31")
    value = scores.set_index("indicator")["value"]
    assert value["event_count"] == 2
    assert value["goldstein_mean"] == pytest.approx((8.0 + 4.0) / 2)
    assert value["net_cooperation"] == pytest.approx(1.0)


def _events(rows):
    return pd.DataFrame(rows, columns=["date", "goldstein", "quad_class"]).assign(
        date=lambda f: pd.to_datetime(f["date"])
    )


def test_compare_with_curated_per_year():
    gdelt = _events(
        [
            ("2014-05-20", 8.0, 1),
            ("2014-06-01", 4.0, 1),
            ("2015-01-02", -10.0, 4),
            ("2016-03-03", 7.0, 2),
            ("2016-04-04", -2.0, 3),
            ("2017-01-01", 1.0, 1),
        ]
    )
    curated = _events([("2014-05-20", 6.0, 1), ("2015-02-02", -2.0, 3), ("2016-07-07", 3.0, 1)])
    got = compare_with_curated(gdelt, curated)  # overlap: 2014-05-20 .. 2016-07-07
    assert got["period"].dt.year.tolist() == [2014, 2015, 2016]
    assert got["gdelt_count"].tolist() == [2, 1, 2]
    assert got["curated_count"].tolist() == [1, 1, 1]
    g_mean, c_mean = [6.0, -10.0, 2.5], [6.0, -2.0, 3.0]
    assert got["gdelt_goldstein_mean"].tolist() == pytest.approx(g_mean)
    assert got["curated_goldstein_mean"].tolist() == pytest.approx(c_mean)
    assert got["diff_goldstein_mean"].tolist() == pytest.approx([0.0, -8.0, -0.5])
    assert got["gdelt_net_cooperation"].tolist() == pytest.approx([1.0, -1.0, 0.0])
    assert got["diff_net_cooperation"].tolist() == pytest.approx([0.0, 0.0, -1.0])
    corr = got.attrs["correlation"]["goldstein_mean"]
    assert corr["n"] == 3
    assert corr["r"] == pytest.approx(statistics.correlation(g_mean, c_mean))


def test_compare_needs_an_overlap():
    a = _events([("2000-01-01", 1.0, 1)])
    b = _events([("2010-01-01", 1.0, 1)])
    with pytest.raises(ValueError, match="do not overlap"):
        compare_with_curated(a, b)
    both = compare_with_curated(a, b, start="2000-01-01", end="2010-12-31")
    assert len(both) == 11 and both.attrs["correlation"]["count"]["n"] == 0


def test_compare_with_the_bundled_chronology(v1_file):
    """GDELT rows side by side with data/events.csv coded through the CAMEO table."""
    from analysis.data import load
    from analysis.indicators import attach_goldstein, rolling_event_scores

    curated = attach_goldstein(load("events"), load("cameo_goldstein"))
    gdelt = read_gdelt_dyad(v1_file)
    got = compare_with_curated(gdelt, curated, start="2014-01-01", end="2014-12-31")
    in_2014 = curated[curated["date"].dt.year == 2014]
    assert got["curated_count"].tolist() == [len(in_2014)]
    assert got["curated_goldstein_mean"].iloc[0] == pytest.approx(in_2014["goldstein"].mean())
    assert got["gdelt_count"].tolist() == [2]
    assert not rolling_event_scores(gdelt, start="2014-01-01", end="2014-12-31").empty


def test_no_dyad_rows_gives_an_empty_frame_of_the_same_shape(tmp_path, v1_file):
    path = tmp_path / "other.CSV"
    path.write_bytes(dyad(V1, "1", "20140101", "CHN", "USA", "042", "1", "1.9") + b"\n")
    empty, full = read_gdelt_dyad(path), read_gdelt_dyad(v1_file)
    assert empty.empty and empty.attrs["lines_read"] == 1
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()
    assert event_scores(empty).empty
