"""One source of truth (issue 22): the title block is what the kernel said; a notebook that ran
without its numbers payload, for another range, from another registry, or with a figure left a
placeholder fails the build (exit 1, the executed notebook kept), and nothing is installed."""

from __future__ import annotations

import json

import pytest

from analysis.pipeline import cli, steps
from tests.pipeline.conftest import payload_output

RANGE = ("--start", "2014-01-01", "--end", "2014-12-31")


def test_the_title_block_is_the_kernels(stand_ins, tmp_path):
    out = tmp_path / "b"
    steps.build(*RANGE[1::2], out_dir=out, quiet=True)
    block = stand_ins["block"]
    assert block["range_label"] == "2014-01-01 to 2014-12-31 (the kernel's words)"
    assert block["generated"] == "the kernel's clock"
    assert block["data_vintage"] == "the kernel's vintage"
    assert block["method"] == "the kernel's method line"
    assert (out / "briefing.pdf").read_bytes() == b"%PDF-stand-in"


def test_only_the_time_of_generation_may_come_from_the_parent():
    document = payload_output({"start": "a", "end": "b", "as_of": "c"})["data"]
    doc = dict(document["application/vnd.relations-briefing.document+json"])
    del doc["generated"]
    assert "UTC" in steps.title_block(doc)["generated"]
    del doc["data_vintage"]
    with pytest.raises(steps.BriefingFailed, match="no data_vintage for the title block"):
        steps.title_block(doc)


def _placeholder(parameters):
    from nbformat.v4 import new_output

    figure = new_output("display_data", data={"text/html": "<p><!--briefing-figure-3--></p>"})
    return [figure, payload_output(parameters)]


@pytest.mark.parametrize(
    ("outputs", "says"),
    [
        (lambda p: [], "its last cell gave no numbers payload (brief.numbers()"),
        (
            lambda p: [payload_output(p, sections=["un"])],
            "section registry (analysis/sections/__init__.py: un) differs from analysis/outline.py",
        ),
        (
            lambda p: [payload_output({**p, "start": "2015-01-01"})],
            "the notebook built 2015-01-01 to 2014-12-31",
        ),
        (_placeholder, "still shows figure placeholder 3: the figure was never made"),
    ],
    ids=["no payload", "other registry", "other range", "placeholder"],
)
def test_a_run_without_what_the_briefing_needs_fails(capsys, stand_ins, tmp_path, outputs, says):
    stand_ins["outputs"] = outputs
    out = tmp_path / "b"
    out.mkdir()
    (out / "briefing.pdf").write_bytes(b"%PDF-previous")
    (out / "manifest.json").write_text(json.dumps({"cache_key": "previous"}))
    code = cli.main([*RANGE, "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert says in err and "executed notebook kept as" in err
    assert (out / "briefing.pdf").read_bytes() == b"%PDF-previous"
    assert sorted(p.name for p in out.iterdir()) == [
        "briefing.failed.ipynb",
        "briefing.pdf",
        "manifest.json",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_the_kernel_writes_the_whole_title_block():
    from analysis.outline import SECTION_KEYS
    from analysis.render.briefing import Briefing

    payload = Briefing("2014-01-01", "2014-12-31", as_of="2015-06-30").numbers()
    block = steps.title_block(payload.document)
    assert block["range_label"] == "01 January 2014 to 31 December 2014"
    assert block["data_vintage"].startswith("as of 30 June 2015, every dataset cut")
    assert block["method"] == payload.document["method_line"] and "UTC" in block["generated"]
    assert payload.document["sections"] == list(SECTION_KEYS)
    assert (
        Briefing("2014-01-01", "2014-12-31")
        .numbers()
        .document["data_vintage"]
        .startswith("sources reach from ")
    )
