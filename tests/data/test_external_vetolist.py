"""The UN veto list (saved page or CSV export) -> the unsc_vetoes schema, and the diff."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.data import DataError, load, read_meta
from analysis.data.external.vetolist import VETO_LIST_URL, diff_vetoes, parse_date, read_veto_list

HEAD = (
    "<th>Date</th><th>Draft</th><th>Meeting record</th><th>Agenda item</th>"
    "<th>Permanent member casting veto</th>"
)

# A small copy of the page's table: title row, header, a year banner, <br> between members and
# between letter symbols, a date cell spanning two rows, &nbsp;, a day range, two unnumbered
# drafts of one meeting, and the ROC seat before 1971-10-25. Rows are as the page words them.
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Security Council -
Veto List</title></head><body><div class="s-lib-box"><p>Note: earlier vetoes below.</p>
<table class="table">
<tr><td colspan="5"><strong>Security Council &ndash; Veto List</strong></td></tr>
<tr>{HEAD}</tr>
<tr><td colspan="5">2020</td></tr>
<tr><td>7 July 2020</td><td><a href="https://undocs.org/S/2020/654">S/2020/654</a></td>
    <td>S/2020/661<br>S/2020/657</td><td>Humanitarian access to Syria</td>
    <td>China<br />Russian Federation</td></tr>
<tr><td>4 February 2012</td><td>S/2012/77</td><td><a href="#">S/PV.6711</a></td>
    <td>Middle East - Syria</td><td>China<br>Russian Federation</td></tr>
<tr><td>22-23 June 1987</td><td>S/19000</td><td>S/PV.2747</td>
    <td>Complaint&nbsp;by   Angola</td><td>United Kingdom<br>United States</td></tr>
<tr><td>13 December 1955</td><td>S/3502</td><td>S/PV.705</td><td>Admission of new Members</td>
    <td>China</td></tr>
<tr><td rowspan="2">26 June 1946</td><td>S/PV.49</td><td>S/PV.49</td>
    <td>The Spanish question</td><td>USSR</td></tr>
<tr><td>S/PV.49</td><td>S/PV.49</td><td>The Spanish question</td><td>USSR</td></tr>
</table></div></body></html>
"""

EXPECTED = pd.DataFrame(
    [
        ("1946-06-26", "unnumbered draft 1 (S/PV.49)", "S/PV.49", "The Spanish question", "SUN"),
        ("1946-06-26", "unnumbered draft 2 (S/PV.49)", "S/PV.49", "The Spanish question", "SUN"),
        ("1955-12-13", "S/3502", "S/PV.705", "Admission of new Members", "TWN"),
        ("1987-06-22", "S/19000", "S/PV.2747", "Complaint by Angola", "GBR"),
        ("1987-06-22", "S/19000", "S/PV.2747", "Complaint by Angola", "USA"),
        ("2012-02-04", "S/2012/77", "S/PV.6711", "Middle East - Syria", "CHN"),
        ("2012-02-04", "S/2012/77", "S/PV.6711", "Middle East - Syria", "RUS"),
        (
            "2020-07-07",
            "S/2020/654",
            "S/2020/661; S/2020/657",
            "Humanitarian access to Syria",
            "CHN",
        ),
        (
            "2020-07-07",
            "S/2020/654",
            "S/2020/661; S/2020/657",
            "Humanitarian access to Syria",
            "RUS",
        ),
    ],
    columns=["date", "draft", "meeting_record", "agenda_item", "member"],
).assign(date=lambda f: pd.to_datetime(f["date"]))


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "veto.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_page_rows_in_the_project_schema(page):
    got = read_veto_list(page)
    assert list(got.columns) == list(read_meta("unsc_vetoes")["columns"])
    pd.testing.assert_frame_equal(got[EXPECTED.columns], EXPECTED, check_dtype=False)
    assert got.attrs["skipped_rows"] == 1  # the "2020" banner
    assert got.attrs["date_ranges"] == ["22-23 June 1987"]
    first = got.iloc[0]
    assert first["source"] == (
        "UN Dag Hammarskjöld Library, Security Council Veto List; meeting record S/PV.49"
    )
    assert first["source_url"] == "https://undocs.org/S/PV.49"
    letters = got[got["date"] == "2020-07-07"].iloc[0]
    assert letters["source"].endswith("; record S/2020/661; S/2020/657")
    assert letters["source_url"] == "https://undocs.org/S/2020/661"


def test_csv_export_gives_the_same_rows(page, tmp_path):
    csv = tmp_path / "veto_export.csv"
    pd.DataFrame(
        {
            "Date": ["7 July 2020", "26 June 1946", "26 June 1946"],
            "Draft": ["S/2020/654", "S/PV.49", "S/PV.49"],
            "Meeting record": ["S/2020/661\nS/2020/657", "S/PV.49", "S/PV.49"],
            "Agenda item": [
                "Humanitarian access to Syria",
                "The Spanish question",
                "The Spanish question",
            ],
            "Permanent member casting veto": ["China\nRussian Federation", "USSR", "USSR"],
        }
    ).to_csv(csv, index=False)
    from_csv = read_veto_list(csv)
    from_page = read_veto_list(page)
    keep = from_page["date"].isin(from_csv["date"])
    pd.testing.assert_frame_equal(from_csv, from_page[keep].reset_index(drop=True))


def test_rows_agree_with_the_curated_file(page):
    """The 2012 and 2020 rows copied from the page match data/unsc_vetoes.csv exactly."""
    curated = load("unsc_vetoes")
    refreshed = read_veto_list(page)
    dates = pd.to_datetime(["2012-02-04", "2020-07-07"])
    d = diff_vetoes(curated[curated["date"].isin(dates)], refreshed[refreshed["date"].isin(dates)])
    assert d.empty
    on_page = refreshed[refreshed["date"].isin(dates)].reset_index(drop=True)
    kept = curated[curated["date"].isin(dates)].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        on_page[["date", "draft", "meeting_record", "member"]],
        kept[["date", "draft", "meeting_record", "member"]],
        check_dtype=False,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16 February 1946", "1946-02-16"),
        ("16 Feb. 1946", "1946-02-16"),
        ("February 16, 1946", "1946-02-16"),
        ("4 Sept 1991", "1991-09-04"),
        ("22-23 June 1987", "1987-06-22"),
        ("22\u201323 June 1987", "1987-06-22"),
        ("2/16/1946", "1946-02-16"),
        ("1946-02-16", "1946-02-16"),
        ("31 February 1946", None),
        ("2020", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    got = parse_date(text)
    assert got == (pd.Timestamp(expected) if expected else None)


def test_errors_name_row_and_column(tmp_path):
    bad = tmp_path / "veto.html"
    bad.write_text(PAGE.replace("<td>China</td></tr>", "<td>Germany</td></tr>"))
    with pytest.raises(DataError) as info:
        read_veto_list(bad)
    # table rows counted from the title row (1) and header (2): the 1955 row is row 7
    assert (info.value.row, info.value.column) == (7, "Permanent member casting veto")
    assert "'Germany' is not a permanent member" in str(info.value)
    bad.write_text(PAGE.replace("<td>13 December 1955</td>", "<td>13 Decembre 1955</td>"))
    with pytest.raises(DataError, match=r"row 7 .*column 'Date'.*'13 Decembre 1955'"):
        read_veto_list(bad)
    bad.write_text("<html><table><tr><td>nothing here</td></tr></table></html>")
    with pytest.raises(DataError, match="no table with the columns Date, Draft"):
        read_veto_list(bad)
    with pytest.raises(DataError, match="file not found"):
        read_veto_list(tmp_path / "absent.html")


def _vetoes(rows):
    return pd.DataFrame(
        rows, columns=["date", "draft", "meeting_record", "agenda_item", "member"]
    ).assign(date=lambda f: pd.to_datetime(f["date"]))


def test_diff_added_missing_changed():
    curated = _vetoes(
        [
            ("2011-10-04", "S/2011/612", "S/PV.6627", "Middle East", "CHN"),  # same
            ("2011-10-04", "S/2011/612", "S/PV.6627", "Middle East", "RUS"),  # agenda reworded
            ("2014-05-22", "S/2014/348", "S/PV.7180", "Middle East", "RUS"),  # draft corrected
            ("2017-02-28", "S/2017/172", "S/PV.7893", "Middle East", "CHN"),  # gone from the list
        ]
    )
    refreshed = _vetoes(
        [
            ("2011-10-04", "S/2011/612", "S/PV.6627", "Middle East", "CHN"),
            ("2011-10-04", "S/2011/612", "S/PV.6627", "The situation in  the Middle East", "RUS"),
            ("2014-05-22", "S/2014/348 ", "S/PV.7180", "Middle East", "RUS"),  # whitespace only
            ("2014-05-22", "S/2014/349", "S/PV.7180", "Middle East", "CHN"),
            ("2025-06-04", "S/2025/353", "S/PV.9929", "Middle East", "USA"),  # new
        ]
    )
    d = diff_vetoes(curated, refreshed)
    assert list(
        zip(d["status"], d["date"].dt.strftime("%Y-%m-%d"), d["member"], d["changed"], strict=True)
    ) == [
        ("changed", "2011-10-04", "RUS", "agenda_item"),
        ("added", "2014-05-22", "CHN", ""),
        ("missing", "2017-02-28", "CHN", ""),
        ("added", "2025-06-04", "USA", ""),
    ]
    assert d.loc[0, "agenda_item_refreshed"] == "The situation in the Middle East"
    assert diff_vetoes(curated, curated).empty


def test_diff_pairs_a_renamed_draft_by_date_and_member():
    curated = _vetoes([("1946-02-16", "unnumbered draft (S/PV.23)", "S/PV.23", "Lebanon", "SUN")])
    refreshed = _vetoes([("1946-02-16", "S/PV.23", "S/PV.23", "Lebanon", "SUN")])
    d = diff_vetoes(curated, refreshed)
    assert d[["status", "changed", "draft_curated", "draft_refreshed"]].values.tolist() == [
        ["changed", "draft", "unnumbered draft (S/PV.23)", "S/PV.23"]
    ]


def test_diff_rejects_duplicate_keys():
    twice = _vetoes([("2011-10-04", "S/2011/612", "S/PV.6627", "x", "CHN")] * 2)
    with pytest.raises(ValueError, match="sharing a key"):
        diff_vetoes(twice, twice.iloc[:1])


WPDL = Path(config.SHARED_REFERENCE_DIR) / "unsc_vetoes_1946_2022_wpdl.csv"


@pytest.mark.reference
@pytest.mark.skipif(not WPDL.exists(), reason=f"reference data absent: {WPDL}")
def test_reference_scrape_in_the_page_layout_differs_only_where_documented(tmp_path):
    """The World Politics Data Lab scrape of the page, put back into the page's five columns,
    reads into exactly the curated rows up to 2022-07-08, except the one departure that
    data/README.md (unsc_vetoes) documents: 1948-05-24 (the list's 'S/PV.3038' typo) and
    S/2001/270 (the list's 2001-04-12; the curated row carries its meeting's date, 2001-03-27)."""
    w = pd.read_csv(WPDL, dtype=str, keep_default_na=False)
    members = w[["member_veto1", "member_veto2", "member_veto3"]].apply(
        lambda r: "\n".join(m for m in r if m), axis=1
    )
    csv = tmp_path / "veto_wpdl.csv"
    pd.DataFrame(
        {
            "Date": w["date"],
            "Draft": w["draft"],
            "Meeting record": w["meeting_record"],
            "Agenda item": w["agenda_item"],
            "Permanent member casting veto": members,
        }
    ).to_csv(csv, index=False)
    refreshed = read_veto_list(csv)
    curated = load("unsc_vetoes")
    curated = curated[curated["date"] <= refreshed["date"].max()]
    assert len(refreshed) == len(curated) == 265
    d = diff_vetoes(curated, refreshed)
    assert set(d["date"].dt.strftime("%Y-%m-%d")) == {"1948-05-24", "2001-04-12", "2001-03-27"}
    assert sorted(d["status"]) == ["added"] * 3 + ["missing"] * 3
    assert VETO_LIST_URL == "https://research.un.org/en/docs/sc/quick/veto"


def test_rows_pass_the_curated_files_schema(page):
    """Written as text, the rows validate against data/unsc_vetoes.meta.yaml (the 1955 ROC row
    aside: TWN is not an allowed member there, as the curated file has no ROC veto)."""
    from analysis.data import build_schema

    rows = read_veto_list(page)
    rows = rows[rows["member"] != "TWN"].reset_index(drop=True)
    text = rows.assign(date=rows["date"].dt.strftime("%Y-%m-%d"))
    build_schema(read_meta("unsc_vetoes")).validate(text, lazy=True)


def test_abbreviations_and_resumed_meetings(tmp_path):
    csv = tmp_path / "veto.csv"
    csv.write_text(
        "Date,Draft,Meeting record,Agenda item,Permanent member casting veto\n"
        '"15 December 1955",S/3509,"S/PV.706 (Resumption 1)",Admission,"U.S.S.R."\n'
        '"May 23, 1986",S/18087/Rev.1,S/PV.2686,Southern Africa,"U.K., U.S."\n',
        encoding="utf-8",
    )
    got = read_veto_list(csv)
    assert got["member"].tolist() == ["SUN", "GBR", "USA"]
    assert got.loc[0, "source_url"] == "https://undocs.org/S/PV.706"
    assert got.loc[0, "meeting_record"] == "S/PV.706 (Resumption 1)"
