"""Issue 27, case 7 for the build cache: a briefing is served again only when its manifest and
every file it lists match the sha256 written with them; a damaged one is rebuilt and said once."""

from __future__ import annotations

import json

import pytest

from analysis import integrity
from analysis.pipeline import buildcache, jobs, steps

RANGE = ("2014-01-01", "2014-12-31")


def _edit_manifest(out):
    doc = json.loads((out / "manifest.json").read_text())
    doc["claims_file"] = "/somewhere/else.yaml"  # the key stays: only the record lies
    (out / "manifest.json").write_text(json.dumps(doc))


DAMAGE = {
    "pdf": lambda out: (out / "briefing.pdf").write_bytes(b"%PDF-edited"),
    "manifest": _edit_manifest,
    "figures": lambda out: (out / "figures.json").write_text("{}"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_briefing_is_rebuilt_not_served(stand_ins, tmp_path, capsys, monkeypatch, damage):
    monkeypatch.setattr(integrity, "_SAID", set())
    out = tmp_path / "b"
    assert not steps.build(*RANGE, out_dir=out, quiet=True).cached
    assert steps.build(*RANGE, out_dir=out, quiet=True).cached
    capsys.readouterr()
    DAMAGE[damage](out)
    stand_ins.pop("parameters")
    outcome = steps.build(*RANGE, out_dir=out, quiet=True)
    assert not outcome.cached and "parameters" in stand_ins
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "was damaged" in err, err
    assert steps.build(*RANGE, out_dir=out, quiet=True).cached  # rebuilt whole: a hit again


def test_the_manifest_records_every_file_and_itself(stand_ins, tmp_path):
    out = tmp_path / "b"
    steps.build(*RANGE, out_dir=out, quiet=True)
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files_sha256"]) >= {"briefing.pdf", "briefing.ipynb", "figures.json"}
    job = jobs.prepare(*RANGE, out_dir=out)
    assert buildcache.cache_state(out, job.key) == "hit"
    assert buildcache.cache_state(out, "another key") == "miss"
    (out / "briefing.pdf").unlink()
    assert buildcache.cache_state(out, job.key) == "damaged"


def test_a_briefing_without_digests_is_rebuilt_quietly(tmp_path):
    out = tmp_path / "b"
    out.mkdir()
    (out / "briefing.pdf").write_bytes(b"%PDF-1.4")
    (out / "manifest.json").write_text(json.dumps({"cache_key": "k"}))
    assert buildcache.cache_state(out, "k") == "miss"
    buildcache.write_manifest(out, {"cache_key": "k"})
    assert buildcache.cache_state(out, "k") == "hit"
