"""The CLI's answers to bad input: one line, exit code 2, nothing written, no traceback."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from analysis import config
from analysis.data import data_end
from analysis.pipeline import cli
from tests.conftest import run_cli


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["--start", "2020-13-01"], "--start"),
        (["--start", "2020-02-30"], "--start"),
        (["--end", "yesterday"], "--end"),
        (["--start", "2020-01-01", "--end", "2019-01-01"], "--start"),
        (["--start", "1950-01-01", "--end", "1960-01-01"], "--start"),
        (["--start", "2020-01-01", "--end", "2099-01-01"], "--end"),
        (["--start", "1989-05-15", "--end", "2200-01-01"], "--end"),
    ],
)
def test_bad_parameters_one_line_exit_2_nothing_written(capsys, tmp_path, argv, names):
    out_dir = tmp_path / "out"
    code, _out, err = _run(capsys, *argv, "--out", str(out_dir), "--quiet")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert names in lines[0]
    assert "Traceback" not in err
    assert not out_dir.exists()


def test_outside_coverage_names_the_coverage(capsys, tmp_path):
    code, _, err = _run(capsys, "--start", "1950-01-01", "--out", str(tmp_path / "o"))
    assert code == 2
    assert f"{data_end():%Y-%m-%d}" in err and "1989-01-01" in err


def test_unknown_option_is_one_line(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--colour", "red"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    assert "--start" in capsys.readouterr().out


@pytest.mark.e2e  # the kernel validates the rows (pandera): it starts
def test_corrupted_data_is_exit_2_naming_file_row_column(capsys, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data, ignore=shutil.ignore_patterns("notes", "external"))
    path = data / "unsc_vetoes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(lines[3][:10], "1947-13-45", 1)
    path.write_text("".join(lines), encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = _run(
        capsys,
        "--start",
        "2000-01-01",
        "--end",
        "2001-01-01",
        "--data-dir",
        str(data),
        "--out",
        str(out_dir),
        "--quiet",
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "unsc_vetoes.csv" in err and "row 3" in err and "'date'" in err
    assert not out_dir.exists()


def test_subprocess_bad_date_no_traceback(tmp_path):
    proc = run_cli("--start", "2020-13-01", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.e2e
def test_failing_cell_exit_1_names_cell_keeps_notebook_no_pdf(tmp_path):
    nb = nbformat.read(config.BRIEFING_NOTEBOOK, as_version=4)  # the outline, then a failure
    nb.cells.insert(2, nbformat.v4.new_code_cell("x = 1"))
    nb.cells.insert(3, nbformat.v4.new_code_cell("1 / 0  # this cell fails\ny = 2"))
    path = tmp_path / "failing.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "out"
    proc = run_cli(
        "--start",
        "2014-01-01",
        "--end",
        "2014-12-31",
        "--notebook",
        str(path),
        "--out",
        str(out),
        "--quiet",
    )
    assert proc.returncode == 1, proc.stderr
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1, proc.stderr
    assert "cell" in err[0] and "1 / 0" in err[0] and "ZeroDivisionError" in err[0]
    assert (out / "briefing.failed.ipynb").exists()
    assert not (out / "briefing.pdf").exists()


def test_out_that_holds_other_files_is_refused_and_untouched(capsys, tmp_path):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("do not delete")
    code, _, err = _run(
        capsys, "--start", "2014-01-01", "--end", "2014-12-31", "--out", str(precious)
    )
    assert code == 2 and "--out" in err and "chapter1.tex" in err
    assert [p.name for p in precious.iterdir()] == ["chapter1.tex"]


def test_out_that_is_a_file_is_refused(capsys, tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"mine")
    code, _, err = _run(
        capsys, "--start", "2014-01-01", "--end", "2014-12-31", "--out", str(target)
    )
    assert code == 2 and "is a file" in err
    assert target.read_bytes() == b"mine"
