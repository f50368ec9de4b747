"""The command line without surprises (issue 25, point 5), and where each kind of run goes
(point 4): every case is one line and exit 2, or the documented behaviour. Builds run on the
stand-ins of conftest.py (no kernel, no browser)."""

from __future__ import annotations

import json
import sys

import pytest

from analysis import config
from analysis.model import validation
from analysis.pipeline import batch, cli, jobs, steps
from analysis.sidecars import data_end_date

END = data_end_date()
RANGE = ["--start", "2014-01-01", "--end", "2014-12-31"]


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_2(code, err, *says):
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for word in says:
        assert word in lines[0], lines[0]
    return lines[0]


# ---- --data-dir ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "empty", "file", "no sidecars"])
@pytest.mark.parametrize("batch_run", [False, True], ids=["single", "batch"])
def test_data_dir_missing_empty_or_without_datasets_is_one_line_exit_2(
    capsys, tmp_path, kind, batch_run
):
    path = tmp_path / "d"
    if kind == "empty":
        path.mkdir()
    elif kind == "file":
        path.write_text("x")
    elif kind == "no sidecars":
        path.mkdir()
        (path / "trade.csv").write_text("year\n2020\n")
    args = ["--range", "2014-01-01:2014-12-31"] if batch_run else RANGE
    code, _, err = _run(capsys, *args, "--data-dir", str(path), "--quiet")
    line = _one_line_2(code, err, "--data-dir", str(path))
    assert "max()" not in line and "ValueError" not in line
    word = {"missing": "does not exist", "file": "not a folder"}.get(kind, "holds no dataset")
    assert word in line


# ---- --jobs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_jobs_must_be_a_whole_number_of_1_or_more(capsys, value):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--range", "2014-01-01:2014-12-31", "--jobs", value])
    _one_line_2(exc.value.code, capsys.readouterr().err, "--jobs")


# ---- --range / --ranges --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2012:2014", ["--range '2012:2014'", "START '2012' is not a date"]),
        ("2012-01-01:2014", ["--range '2012-01-01:2014'", "END '2014' is not a date"]),
        ("2015-01-01:2014-12-31", ["START 2015-01-01 is after END 2014-12-31"]),
        ("2012-01-01:2014-12-31@2013-01-01", ["ASOF 2013-01-01 is before END"]),
        ("2012", ["--range", "START:END"]),
    ],
)
def test_a_wrong_range_names_range_not_start(capsys, text, says):
    code, _, err = _run(capsys, "--range", text)
    line = _one_line_2(code, err, *says)
    assert "--start" not in line and "--end" not in line


def test_a_wrong_range_in_a_ranges_file_names_the_file_and_the_range(capsys, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("ranges:\n  nineties: {start: 1999-13-01}\n")
    code, _, err = _run(capsys, "--ranges", str(path))
    _one_line_2(code, err, "r.yaml", "range 'nineties'", "start: '1999-13-01'")


def test_a_wrong_range_beside_good_ones_keeps_the_documented_table(monkeypatch, capsys):
    monkeypatch.setattr(
        batch, "_build_one", lambda spec, kw: batch.RangeResult(spec.shown, "built", "x.pdf", 0.1)
    )
    code, out, _ = _run(
        capsys, "--range", "2014-01-01:2014-12-31", "--range", "2012:2014", "--quiet"
    )
    assert code == 2
    assert "built" in out and "--range '2012:2014': START '2012'" in out


# ---- --version -------------------------------------------------------------------------------------


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"briefing {version('relations-briefing')}") and "\n" not in out


# ---- the progress line and Ctrl-C ------------------------------------------------------------------


def test_the_progress_line_says_the_as_of_date(capsys, stand_ins, tmp_path):
    code, _, err = _run(capsys, *RANGE, "--out", str(tmp_path / "b"), "--as-of", "2015-06-30")
    assert code == 0, err
    line = next(x for x in err.splitlines() if "[1/3] executing" in x)
    assert "2014-01-01 to 2014-12-31 as of 2015-06-30" in line
    code, _, err = _run(capsys, *RANGE, "--out", str(tmp_path / "c"))
    assert f"as of {END:%Y-%m-%d}" in err


@pytest.mark.parametrize("previous", [True, False], ids=["previous", "first"])
def test_ctrl_c_says_on_its_own_line_what_was_kept(
    capsys, monkeypatch, stand_ins, tmp_path, previous
):
    out = tmp_path / "b"
    if previous:
        assert _run(capsys, *RANGE, "--out", str(out), "--quiet")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()} if previous else None

    def interrupted(*a, **k):
        print("Executing:  40%|████      | 4/10", end="", file=sys.stderr)  # the bar, mid-line
        raise KeyboardInterrupt

    monkeypatch.setattr(steps, "execute", interrupted)
    code, _, err = _run(capsys, *RANGE, "--out", str(out), "--force")
    assert code == 130
    last = err.splitlines()[-1]
    assert last.startswith("briefing: interrupted; ")  # not glued to the progress bar
    if previous:
        assert f"the previous briefing in {out} is kept, unchanged" in last
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    else:
        assert f"nothing was written to {out}" in last and not out.exists()


def test_after_a_signal_the_message_says_which_briefing_is_in_place():
    exc = KeyboardInterrupt()
    exc.destination, exc.had_briefing, exc.installed = "/r/x", True, False
    assert "/r/x is kept" in cli._after_signal(exc)
    exc.installed = True
    assert "new briefing was already installed in /r/x" in cli._after_signal(exc)
    exc.mid_line = True
    assert cli._signal_line("interrupted", exc).startswith("\nbriefing: interrupted; ")


# ---- make validate -------------------------------------------------------------------------------


def test_validate_explains_its_table_in_one_sentence_just_above_it():
    import pandas as pd

    table = pd.DataFrame(
        [
            {
                "reference": "ICEWS",
                "dyad": "CHN-RUS",
                "years": "2002–2014",
                "levels_rho": 0.5,
                "levels_p": 0.1,
                "levels_n": 13,
                "diffs_rho": 0.2,
                "diffs_p": 0.5,
                "diffs_n": 12,
            }
        ]
    )
    lines = validation.report(None, table).splitlines()
    at = lines.index(validation.READ_RHO)
    assert lines[at + 2].startswith("| reference |")
    sentence = validation.READ_RHO
    assert sentence.count(". ") == 0 and sentence.endswith(".")
    assert all(w in sentence for w in ("ρ", "p ", "n years", "+1", "0.05"))


# ---- where each kind of run goes (point 4) ------------------------------------------------------------


def test_a_claims_run_goes_to_its_own_folder_named_after_the_file(stand_ins, tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    monkeypatch.setattr(config, "REPORTS_DIR", reports)
    mine = tmp_path / "my-article.yaml"
    mine.write_bytes((config.DATA_DIR / "claims.yaml").read_bytes())
    standard = steps.build("2014-01-01", "2014-12-31", quiet=True)
    pdf = standard.pdf.read_bytes()
    job = jobs.prepare("2014-01-01", "2014-12-31", claims_file=mine)
    assert job.dest == reports / "claims-my-article" / "2014-01-01_2014-12-31"
    run = steps.build("2014-01-01", "2014-12-31", claims_file=mine, quiet=True)
    assert run.directory == job.dest and not run.cached
    assert standard.directory == reports / "2014-01-01_2014-12-31"
    assert standard.pdf.read_bytes() == pdf  # the standard briefing was not replaced
    manifest = json.loads((standard.directory / "manifest.json").read_text())
    assert manifest["claims_sha256"] is None
    assert steps.build("2014-01-01", "2014-12-31", quiet=True).cached  # still the standard one
    assert sorted(p.name for p in reports.iterdir()) == [
        "2014-01-01_2014-12-31",
        "claims-my-article",
    ]


def test_the_claims_folder_through_the_command_line(capsys, stand_ins, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    mine = tmp_path / "my-article.yaml"
    mine.write_bytes((config.DATA_DIR / "claims.yaml").read_bytes())
    code, out, err = _run(capsys, *RANGE, "--claims", str(mine), "--quiet")
    assert code == 0, err
    want = tmp_path / "reports" / "claims-my-article" / "2014-01-01_2014-12-31" / "briefing.pdf"
    assert out.strip() == str(want)


@pytest.mark.parametrize(
    ("option", "folder"),
    [
        ("data_dir", "data-mydata"),
        ("notebook", "notebook-mine"),
        ("external_dir", "external-ext"),
    ],
)
def test_other_content_changing_options_get_their_own_folder(tmp_path, monkeypatch, option, folder):
    import shutil

    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    value = {
        "data_dir": tmp_path / "mydata",
        "notebook": tmp_path / "mine.ipynb",
        "external_dir": tmp_path / "ext",
    }[option]
    if option == "data_dir":
        shutil.copytree(config.DATA_DIR, value, ignore=shutil.ignore_patterns("external"))
    elif option == "notebook":
        shutil.copy(config.BRIEFING_NOTEBOOK, value)
    else:
        value.mkdir()
    job = jobs.prepare("2014-01-01", "2014-12-31", **{option: value})
    assert job.dest == tmp_path / "reports" / folder / "2014-01-01_2014-12-31"


def test_default_options_given_explicitly_keep_the_standard_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    job = jobs.prepare(
        "2014-01-01",
        "2014-12-31",
        data_dir=config.DATA_DIR,
        notebook=config.BRIEFING_NOTEBOOK,
        as_of="2015-06-30",
    )
    assert job.dest == tmp_path / "reports" / "2014-01-01_2014-12-31_as-of-2015-06-30"
    mine = tmp_path / "c.yaml"
    mine.write_bytes((config.DATA_DIR / "claims.yaml").read_bytes())
    job = jobs.prepare("2014-01-01", "2014-12-31", as_of="2015-06-30", claims_file=mine)
    assert job.dest.relative_to(tmp_path / "reports").parts == (
        "claims-c",
        "2014-01-01_2014-12-31_as-of-2015-06-30",
    )
