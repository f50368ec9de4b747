"""New parameters reach the notebook, the cache key, the manifest and the destination:
``--as-of`` and ``--claims`` (no kernel: execution and printing are stood in for)."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from analysis import config
from analysis.params import ParameterError
from analysis.pipeline import cli, jobs, steps
from analysis.sidecars import data_end_date, file_digest

END = data_end_date()


def test_as_of_defaults_to_the_end_of_the_data():
    job = jobs.prepare("2014-01-01", "2014-12-31")
    assert job.parameters == {"start": "2014-01-01", "end": "2014-12-31", "as_of": f"{END}"}
    assert job.dest == config.REPORTS_DIR.absolute() / "2014-01-01_2014-12-31"


def test_as_of_before_the_data_end_gets_its_own_folder_and_key():
    plain = jobs.prepare("2014-01-01", "2014-12-31")
    job = jobs.prepare("2014-01-01", "2014-12-31", as_of="2015-06-30")
    assert job.parameters["as_of"] == "2015-06-30"
    assert job.dest.name == "2014-01-01_2014-12-31_as-of-2015-06-30"
    assert job.key != plain.key
    same = jobs.prepare("2014-01-01", "2014-12-31", as_of=f"{END}")
    assert same.dest == plain.dest and same.key == plain.key


@pytest.mark.parametrize(
    "as_of", ["2014-06-30", "2015-02-30", "soon", f"{END + timedelta(days=1)}"]
)
def test_bad_as_of_is_exit_2_nothing_written(capsys, tmp_path, as_of):
    out = tmp_path / "o"
    code = cli.main(
        ["--start", "2014-01-01", "--end", "2014-12-31", "--as-of", as_of, "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "--as-of" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    with pytest.raises(ParameterError):
        jobs.prepare("2014-01-01", "2014-12-31", as_of=as_of)


def test_claims_file_is_hashed_into_the_key(tmp_path):
    mine = tmp_path / "claims.yaml"
    mine.write_bytes((config.DATA_DIR / "claims.yaml").read_bytes())
    a = jobs.prepare("2014-01-01", "2014-12-31", claims_file=mine)
    assert a.claims_file == mine.absolute()
    mine.write_bytes(mine.read_bytes() + b"\n# edited\n")
    b = jobs.prepare("2014-01-01", "2014-12-31", claims_file=mine)
    assert a.key != b.key
    assert jobs.prepare("2014-01-01", "2014-12-31").key not in (a.key, b.key)


def test_claims_file_reaches_the_kernel_and_config(monkeypatch, tmp_path):
    from analysis.pipeline.kernel import kernel_environment

    monkeypatch.delenv("BRIEFING_CLAIMS_FILE", raising=False)
    assert config.claims_file() == config.DATA_DIR / "claims.yaml"
    with kernel_environment(None, None, tmp_path / "c.yaml"):
        assert os.environ["BRIEFING_CLAIMS_FILE"] == str(tmp_path / "c.yaml")
        assert config.claims_file() == tmp_path / "c.yaml"
    assert "BRIEFING_CLAIMS_FILE" not in os.environ


def test_the_kernel_and_the_printer_import_the_parents_code(monkeypatch):
    """A checkout's kernel (started in notebooks/) and printer import that checkout's code, the
    code the cache key hashed, not whichever one the environment was installed from."""
    from analysis.pipeline.kernel import kernel_environment

    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    with kernel_environment(None, None):
        assert os.environ["PYTHONPATH"].split(os.pathsep) == [str(config.PROJECT_DIR), "/elsewhere"]
    assert os.environ["PYTHONPATH"] == "/elsewhere"


def test_as_of_and_claims_reach_the_notebook_and_the_manifest(stand_ins, tmp_path):
    mine = tmp_path / "claims.yaml"
    mine.write_bytes((config.DATA_DIR / "claims.yaml").read_bytes())
    out = tmp_path / "b"
    outcome = steps.build(
        "2014-01-01", "2014-12-31", as_of="2015-06-30", claims_file=mine, out_dir=out, quiet=True
    )
    assert not outcome.cached
    assert stand_ins["parameters"]["as_of"] == "2015-06-30"
    assert stand_ins["claims_env"] == str(mine.absolute())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["as_of"] == "2015-06-30" and manifest["parameters"]["as_of"] == "2015-06-30"
    assert manifest["claims_sha256"] == file_digest(mine)
    assert Path(manifest["claims_file"]) == mine.absolute()
    again = steps.build(
        "2014-01-01", "2014-12-31", as_of="2015-06-30", claims_file=mine, out_dir=out, quiet=True
    )
    assert again.cached
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "claims.yaml"]


def test_batch_passes_as_of_per_range(monkeypatch):
    from analysis.pipeline import batch

    def fake(spec, kwargs):  # runs in the worker process: reports what it was given
        return batch.RangeResult(spec.shown, "built", str(spec.as_of), 0.1)

    monkeypatch.setattr(batch, "_build_one", fake)
    specs = [batch.parse_range("2014-01-01:2014-12-31@2015-06-30")]
    results = batch.run_batch(specs, jobs=1, quiet=True)
    assert [(r.status, r.detail) for r in results] == [("built", "2015-06-30")]
