"""Batch builds: ranges from the command line or a YAML file, failures isolated, exit codes."""

from __future__ import annotations

import pytest

from analysis.pipeline import batch
from analysis.pipeline.batch import (
    RangeResult,
    RangeSpec,
    exit_code,
    load_ranges,
    parse_range,
    summary_table,
)


def test_parse_range_forms():
    assert parse_range("2012-01-01:2023-02-28") == RangeSpec(
        "2012-01-01:2023-02-28", "2012-01-01", "2023-02-28"
    )
    assert parse_range("2022-02-24:") == RangeSpec("2022-02-24:", "2022-02-24", None)
    bad = parse_range("2012-01-01")
    assert bad.error and "START:END" in bad.error


def test_yaml_ranges_keep_dates_as_text(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "ranges:\n  a: {start: 2014-01-01, end: 2014-12-31}\n  b: {start: 2015-13-01}\n"
    )
    specs = load_ranges(path)
    assert specs == [RangeSpec("a", "2014-01-01", "2014-12-31"), RangeSpec("b", "2015-13-01", None)]


@pytest.mark.parametrize(
    "text", ["[]", "ranges: 3", "ranges:\n  a: [1, 2]", "ranges:\n  a: {from: x}", ": :"]
)
def test_bad_yaml_is_a_parameter_error(tmp_path, text):
    from analysis.params import ParameterError

    path = tmp_path / "r.yaml"
    path.write_text(text)
    with pytest.raises(ParameterError):
        load_ranges(path)


def fake_build_one(spec, kwargs):
    """Stands in for a real build in the worker processes (pickled by reference)."""
    if spec.name == "boom":
        return RangeResult(spec.name, "failed", "notebook cell 3 failed", 0.1)
    return RangeResult(spec.name, "built", f"/tmp/{spec.name}.pdf", 0.2, 12)


def test_one_failure_does_not_stop_the_others(monkeypatch):
    monkeypatch.setattr(batch, "_build_one", fake_build_one)
    specs = [
        RangeSpec("ok1", "2014-01-01", "2014-12-31"),
        RangeSpec("boom", "2015-01-01", "2015-12-31"),
        RangeSpec("ok2", "2016-01-01", "2016-12-31"),
        RangeSpec("bad", "2016-13-01", None),
        RangeSpec("dup", "2014-01-01", "2014-12-31"),
    ]
    results = batch.run_batch(specs, jobs=2, quiet=True)
    assert [r.status for r in results] == ["built", "failed", "built", "invalid", "invalid"]
    assert "same range as 'ok1'" in results[4].detail
    assert exit_code(results) == 2
    assert exit_code(results[:3]) == 1
    assert exit_code([results[0], results[2]]) == 0
    table = summary_table(results)
    assert table.splitlines()[0].split()[:3] == ["range", "status", "seconds"]
    assert "notebook cell 3 failed" in table and "12" in table
