"""``briefing update`` on recorded fixtures: small extracts in the real layouts of the sources
(the unvotes tables as TidyTuesday publishes them, the veto-list page, the Bailey–Strezhnev–Voeten
scores and the 2025 UN Digital Library votes), served from a ``file://`` folder, so pooch runs
its real path with no network. A first run builds the derived datasets; a second with new rows
prints the change table; a source with another layout exits 2 and leaves ``data/`` untouched; a
closed port is "no network" (exit 3, nothing changed)."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from analysis import config
from analysis.pipeline import cli

ROLL_CALLS = """rcid,session,importantvote,date,unres,amend,para,short,descr
3,1,0,1946-01-01,R/1/66,1,0,"AMENDMENTS, RULES OF PROCEDURE","TO ADOPT A CUBAN AMENDMENT TO THE UK PROPOSAL REFERRING THE PROVISIONAL RULES OF PROCEDURE TO THE 6TH COMMITTEE"
4,1,0,1946-01-02,R/1/79,0,0,SECURITY COUNCIL ELECTIONS,"TO ADOPT A USSR PROPOSAL ADJOURNING DEBATE ON AND POSTPONINGELECTIONS OF THE NON-PERMANENT MEMBERS OF THE SECURITY COUNCIL, TO THE FOLLOWING WEEK."
9147,74,0,2019-12-10,A/RES/74/19,0,0,Oceans and the law of the sea,Oceans and the law of the sea
"""
VOTES = """rcid,country,country_code,vote
3,United States,US,yes
3,Russia,RU,no
3,China,CN,yes
4,United States,US,no
4,Russia,RU,yes
9147,United States,US,no
9147,Russia,RU,yes
9147,China,CN,yes
9147,France,FR,yes
"""
ISSUES = """rcid,short_name,issue
9147,ec,Economic development
"""
BSV = """ccode,session,NVotesAll,IdealPointAll,iso3c,Countryname,USAgree,RUSSAgree,ChinaAgree
710,74,86,-1.012577,CHN,China,0.2553191,0.7916667,1.0
365,74,86,-1.4,RUS,Russia,0.2,1.0,0.79
2,74,86,2.8,USA,United States of America,1.0,0.2,0.25
"""
DL_2025 = """resolution,date,title,vote_chn,vote_rus,vote_usa
A/RES/ES-11/7,2025-02-24,"Advancing a comprehensive, just and lasting peace in Ukraine : resolution / adopted by the General A",ABSTAIN,NO,NO
A/RES/ES-11/8,2025-02-24,The path to peace : resolution / adopted by the General Assembly,ABSTAIN,NO,ABSTAIN
A/RES/79/300,2025-06-02,Oceans and the law of the sea : resolution / adopted by the General Assembly,YES,YES,NO
"""
NEW_2025 = """A/RES/80/84 A,2025-12-04,Assistance to Palestine refugees : resolution / adopted by the General Assembly,YES,YES,NO
"""
HEAD = (
    "<th>Date</th><th>Draft</th><th>Meeting record</th><th>Agenda item</th>"
    "<th>Permanent member casting veto</th>"
)
PAGE = f"""<html><body><table class="table">
<tr><td colspan="5"><strong>Security Council &ndash; Veto List</strong></td></tr>
<tr>{HEAD}</tr>
<tr><td>7 July 2020</td><td>S/2020/654</td><td>S/2020/661<br>S/2020/657</td>
    <td>Humanitarian access to Syria</td><td>China<br />Russian Federation</td></tr>
<tr><td>4 February 2012</td><td>S/2012/77</td><td>S/PV.6711</td>
    <td>Middle East - Syria</td><td>China<br>Russian Federation</td></tr>
</table></body></html>
"""


def _upstream(root: Path, *, new_rows: bool = False, roll_calls: str = ROLL_CALLS) -> str:
    (root / "unvotes").mkdir(parents=True, exist_ok=True)
    (root / "vetolist").mkdir(exist_ok=True)
    (root / "unvotes" / "roll_calls.csv").write_text(roll_calls, encoding="utf-8")
    (root / "unvotes" / "unvotes.csv").write_text(VOTES, encoding="utf-8")
    (root / "unvotes" / "issues.csv").write_text(ISSUES, encoding="utf-8")
    (root / "vetolist" / "veto.html").write_text(PAGE, encoding="utf-8")
    return root.as_uri()


@pytest.fixture
def setup(tmp_path):
    """A data folder holding one curated dataset, the builder's other inputs, an upstream folder
    and a cache; returns a runner of ``briefing update``."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("unsc_vetoes.csv", "unsc_vetoes.meta.yaml"):
        shutil.copy(config.DATA_DIR / name, data / name)
    source = tmp_path / "reference"
    source.mkdir()
    (source / "unga_ideal_points_chn_rus_usa_sessions1_78_bsv_jun2024.csv").write_text(BSV)
    (source / "unga_2025_votes_chn_rus_usa_3dl.csv").write_text(DL_2025)

    def run(url_base: str, capsys, cache: str = "cache") -> tuple[int, str, str]:
        argv = ["update", "--data-dir", str(data), "--cache-dir", str(tmp_path / cache)]
        argv += ["--source-dir", str(source), "--url-base", url_base, "--timeout", "5"]
        code = cli.main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    return data, source, tmp_path / "upstream", run


def _row(out: str, first: str) -> list[str]:
    """The cells of the printed table row that starts with ``first``."""
    return next(line.split() for line in out.splitlines() if line.split()[:1] == [first])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_first_run_builds_then_new_rows_show_in_the_change_table(setup, capsys):
    data, source, upstream, run = setup
    code, out, err = run(_upstream(upstream), capsys)
    assert (code, err) == (0, ""), err
    assert "unvotes/roll_calls.csv: downloaded" in out and "vetolist/veto.html: downloaded" in out
    assert "written into data/: unga_record_roll_calls.csv" in out
    assert (data / "unga_record_votes.csv").is_file()
    row = _row(out, "unga_record_roll_calls")
    # dataset rows_before rows_after added removed changed last_before last_after
    assert row == ["unga_record_roll_calls", "0", "6", "6", "0", "0", "n/a", "2025-06-02"]
    assert not [p for p in data.iterdir() if p.name.startswith(".update")]

    # the same sources again: nothing to write
    code, out, _ = run(upstream.as_uri(), capsys)
    assert code == 0 and "written into data/: nothing (no file differs)" in out
    assert "unvotes/roll_calls.csv: present" in out  # pooch's cache: not fetched again

    # new rows: a 2025 vote published since
    (source / "unga_2025_votes_chn_rus_usa_3dl.csv").write_text(DL_2025 + NEW_2025)
    code, out, err = run(upstream.as_uri(), capsys)
    assert (code, err) == (0, "")
    new = ["6", "7", "1", "0", "0", "2025-06-02", "2025-12-04"]
    assert _row(out, "unga_record_roll_calls")[1:] == new
    assert _row(out, "unga_record_votes")[1:6] == ["17", "20", "3", "0", "0"]
    assert _row(out, "unga_session_scores")[1:6] == ["3", "3", "0", "0", "0"]
    assert "dl-A/RES/80/84A" in (data / "unga_record_roll_calls.csv").read_text()
    # the veto list, and the curated dataset with its lag behind the newest source
    assert "veto_list vetolist/veto.html 2020-07-07" in " ".join(out.split())
    assert "curated datasets (not edited), lag behind the newest source" in out
    curated = _row(out, "unsc_vetoes")
    assert curated[1] == "2026-04-07" and curated[2] == "0"  # the newest source is the file


def test_a_changed_layout_exits_2_and_leaves_data_untouched(setup, capsys):
    data, _, upstream, run = setup
    assert run(_upstream(upstream), capsys)[0] == 0
    before = _snapshot(data)
    # a new release of the roll calls whose date column was renamed
    moved = ROLL_CALLS.replace("importantvote,date,", "importantvote,vote_date,")
    changed = _upstream(upstream.parent / "upstream-2", roll_calls=moved)
    code, out, err = run(changed, capsys, cache="cache-2")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "roll_calls.csv" in err and "'date'" in err, err
    assert "unchanged" in err
    assert _snapshot(data) == before
    assert not [p for p in data.iterdir() if p.name.startswith(".update")]


def test_no_network_is_one_line_exit_3_and_nothing_changes(setup, capsys):
    data, _, _, run = setup
    before = _snapshot(data)
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out, err = run(f"http://127.0.0.1:{port}", capsys)
    assert code == 3 and err == ""
    assert out.count("\n") == 1 and out.startswith("briefing update: no network: nothing fetched")
    assert _snapshot(data) == before


def test_help_and_bad_arguments(capsys):
    assert cli.main(["update", "--help"]) == 0
    assert "pooch" in capsys.readouterr().out
    assert cli.main(["update", "--timeout", "soon"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("briefing update: error:") and err.count("\n") == 1
