"""Issue 27, case 6: ``BRIEFING_CLAIMS_FILE`` set by the user is ``--claims FILE``: resolved
against the current folder, checked before any kernel starts, in the cache key, the folder name
and the manifest; a rerun without it is not a cache hit of the claims run."""

from __future__ import annotations

import json
import os
from pathlib import Path

from analysis import config
from analysis.pipeline import cli
from analysis.sidecars import file_digest

RANGE = ("--start", "2014-01-01", "--end", "2014-12-31")


def test_the_variable_is_the_claims_option(stand_ins, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    mine = tmp_path / "mine.yaml"
    mine.write_bytes((config.DATA_DIR / "claims.yaml").read_bytes())
    monkeypatch.setenv("BRIEFING_CLAIMS_FILE", "mine.yaml")  # relative: to the current folder
    assert cli.main([*RANGE, "--quiet"]) == 0, capsys.readouterr().err
    dest = tmp_path / "reports" / "claims-mine" / "2014-01-01_2014-12-31"
    manifest = json.loads((dest / "manifest.json").read_text())
    assert Path(manifest["claims_file"]) == mine
    assert manifest["claims_sha256"] == file_digest(mine)
    assert stand_ins["claims_env"] == str(mine)  # the kernel got the absolute path
    # without the variable, into the same folder: rebuilt with the bundled claims, not a hit
    monkeypatch.delenv("BRIEFING_CLAIMS_FILE")
    stand_ins.pop("parameters")
    assert cli.main([*RANGE, "--quiet", "--out", str(dest)]) == 0
    assert "parameters" in stand_ins and stand_ins["claims_env"] is None
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["claims_sha256"] is None and "bundled" in manifest["claims_file"]


def test_a_bad_file_in_the_variable_is_exit_2_before_any_kernel(
    stand_ins, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("claims: 3\n")
    monkeypatch.setenv("BRIEFING_CLAIMS_FILE", "bad.yaml")
    code = cli.main([*RANGE, "--quiet", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "bad.yaml" in err and "kernel started" not in stand_ins
    assert not (tmp_path / "o").exists()


def test_the_claims_option_wins_over_the_variable(stand_ins, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine.yaml"
    mine.write_bytes((config.DATA_DIR / "claims.yaml").read_bytes())
    monkeypatch.setenv("BRIEFING_CLAIMS_FILE", str(tmp_path / "missing.yaml"))
    assert cli.main([*RANGE, "--quiet", "--claims", "mine.yaml", "--out", "o"]) == 0
    assert stand_ins["claims_env"] == str(mine)


def test_the_kernel_never_sees_a_variable_the_build_did_not_set(monkeypatch, tmp_path):
    from analysis.pipeline.kernel import kernel_environment

    monkeypatch.setenv("BRIEFING_CLAIMS_FILE", str(tmp_path / "elsewhere.yaml"))
    with kernel_environment(None, None, None):
        assert "BRIEFING_CLAIMS_FILE" not in os.environ
    assert os.environ["BRIEFING_CLAIMS_FILE"] == str(tmp_path / "elsewhere.yaml")
