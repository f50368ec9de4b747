"""The briefing uses the full public datasets when they are present, and says so in the PDF."""

from __future__ import annotations

import json
import shutil

import pytest

from analysis import config
from tests.conftest import pdf_text, run_cli, squash
from tests.data.test_external_gdelt import V1, dyad

pytestmark = pytest.mark.e2e

SHARED = config.SHARED_REFERENCE_DIR
needs_shared = pytest.mark.skipif(
    not (SHARED / "unvotes_un_roll_calls.csv").exists(),
    reason=f"{SHARED} is absent: the unvotes copies there stand in for `make data`",
)


@needs_shared
def test_briefing_with_external_unvotes_and_gdelt(tmp_path):
    external = tmp_path / "external"
    (external / "unvotes").mkdir(parents=True)
    for name in (
        "unvotes_un_votes_cn_ru_us.csv",
        "unvotes_un_roll_calls.csv",
        "unvotes_un_roll_call_issues.csv",
    ):
        shutil.copy(SHARED / name, external / "unvotes" / name)
    (external / "gdelt").mkdir()
    lines = [
        dyad(V1, 1, "20120605", "CHN", "RUS", "042", 1, 1.9),
        dyad(V1, 2, "20130322", "RUS", "CHN", "057", 1, 8.0),
        dyad(V1, 3, "20140520", "CHN", "RUS", "111", 3, -2.0),
        dyad(V1, 4, "20140521", "RUS", "CHN", "061", 2, 6.4),
    ]
    (external / "gdelt" / "20140521.export.CSV").write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out"
    proc = run_cli(
        "--start",
        "2012-01-01",
        "--end",
        "2015-12-31",
        "--external-dir",
        str(external),
        "--out",
        str(out),
        "--quiet",
    )
    assert proc.returncode == 0, proc.stderr
    text = squash(pdf_text(out / "briefing.pdf"))
    assert squash("full UNGA roll calls, Voeten, Strezhnev & Bailey") in text
    assert squash("GDELT events (4 CHN–RUS events") in text
    assert squash("The data each part of the briefing reads") in text
    numbers = json.loads((out / "figures.json").read_text())
    assert numbers["un.unga_n"]["value"] > 100  # every roll call, not the few curated key votes
    manifest = json.loads((out / "manifest.json").read_text())
    assert any("unvotes_un_roll_calls.csv" in f for f in manifest["external"])
