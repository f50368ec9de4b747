"""The model memo: results come back identical, damaged or foreign entries are never trusted,
nothing is stored without a fingerprint, and the remembered briefing results equal fresh ones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from analysis.model import memo


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    from analysis import config

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    monkeypatch.delenv("BRIEFING_NO_MODEL_MEMO", raising=False)
    return tmp_path / "model"


class FakeDatasets:
    def __init__(self, fingerprint):
        self.fingerprint = fingerprint


@memo.register
@dataclass(frozen=True)
class Result:
    frames: dict
    weight: float
    label: str


def awkward_frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            1989: np.array([1.5, np.nan], dtype="float64"),
            1990: pd.array([1, None], dtype="Int64"),
            "when": pd.to_datetime(["2001-03-27", None]),
            "mixed": ["abstain", 3],  # an object column with a str and an int
            "text": pd.array(["a", None], dtype="string"),
        },
        index=pd.Index(["x", "y"], name="key"),
    )
    frame.columns.name = "column"
    return frame


def test_results_come_back_identical_from_disk(cache_dir):
    ds = FakeDatasets("abc")
    draws = pd.DataFrame(
        np.arange(6, dtype=float).reshape(2, 3),
        columns=pd.Index(np.array([1989, 1990, 1991], dtype="int32"), name="year"),
    ).rename_axis("draw")
    monthly = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0]}, index=pd.date_range("2022-01-31", periods=3, freq="ME")
    )
    frames = {"CHN-RUS": awkward_frame(), "draws": draws, "monthly": monthly}
    result = Result(frames, np.float64(0.25), "t")
    calls = []

    def compute():
        calls.append(1)
        return result

    first = memo.remember(ds, "thing", ("p",), compute)
    second = memo.remember(ds, "thing", ("p",), compute)
    assert len(calls) == 1 and first is result and second is not result
    assert memo.same(second, result)
    assert type(second.weight) is np.float64
    assert second.frames["draws"].columns.dtype == np.dtype("int32")
    assert second.frames["CHN-RUS"]["mixed"].tolist() == ["abstain", 3]
    assert second.frames["monthly"].index.freqstr == "ME"


def test_other_arguments_data_or_code_give_other_entries(cache_dir, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return pd.Series([1.0, 2.0], name="s")

    memo.remember(FakeDatasets("a"), "s", (1,), compute)
    memo.remember(FakeDatasets("a"), "s", (2,), compute)
    memo.remember(FakeDatasets("b"), "s", (1,), compute)
    monkeypatch.setattr(memo, "code_digest", lambda: "another version of the code")
    memo.remember(FakeDatasets("a"), "s", (1,), compute)
    assert len(calls) == 4


def test_damaged_or_foreign_entries_are_recomputed(cache_dir):
    ds = FakeDatasets("abc")
    frame = awkward_frame()
    memo.remember(ds, "f", (), lambda: frame)
    (entry,) = cache_dir.iterdir()
    parquet = entry / "f0.parquet"
    raw = bytearray(parquet.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    parquet.write_bytes(bytes(raw))
    calls = []
    again = memo.remember(ds, "f", (), lambda: calls.append(1) or frame)
    assert calls == [1] and again is frame
    (entry / "entry.json").write_text('{"key": "someone else\'s"}')
    assert memo.remember(ds, "f", (), lambda: calls.append(1) or frame) is frame
    assert calls == [1, 1]


def test_nothing_stored_without_a_fingerprint_or_when_switched_off(cache_dir, monkeypatch):
    memo.remember(FakeDatasets(None), "x", (), lambda: pd.DataFrame({"a": [1]}))
    monkeypatch.setenv("BRIEFING_NO_MODEL_MEMO", "1")
    memo.remember(FakeDatasets("abc"), "x", (), lambda: pd.DataFrame({"a": [1]}))
    assert not cache_dir.exists()


def test_results_it_cannot_hold_are_computed_every_time(cache_dir):
    ds = FakeDatasets("abc")
    calls = []

    def compute():
        calls.append(1)
        return {"a set": {1, 2}}  # no codec for sets

    assert memo.remember(ds, "set", (), compute) == {"a set": {1, 2}}
    memo.remember(ds, "set", (), compute)
    assert len(calls) == 2 and not cache_dir.exists()


def test_an_entry_naming_an_unregistered_class_is_ignored(cache_dir):
    import json

    ds = FakeDatasets("abc")
    memo.remember(ds, "r", (), lambda: Result({}, 1.0, "x"))
    (entry,) = cache_dir.iterdir()
    doc = json.loads((entry / "entry.json").read_text())
    doc["tree"]["dataclass"] = "os.system"
    (entry / "entry.json").write_text(json.dumps(doc))
    calls = []
    out = memo.remember(ds, "r", (), lambda: calls.append(1) or Result({}, 1.0, "x"))
    assert calls == [1] and out == Result({}, 1.0, "x")


def test_remembered_briefing_results_equal_fresh_ones(cache_dir, monkeypatch):
    """The model step (the measures with their draws, the change points, the claims' verdicts)
    read back from disk equals a fresh computation on the bundled data."""
    from analysis import config
    from analysis.data.loader import load_all
    from analysis.model.step import model_step

    def fresh():
        ds = load_all()
        return (model_step(ds, tuple(config.claims_files(ds.data_dir))),)

    monkeypatch.setenv("BRIEFING_NO_MODEL_MEMO", "1")
    computed = fresh()
    monkeypatch.delenv("BRIEFING_NO_MODEL_MEMO")
    stored = fresh()  # computes and stores
    assert len(list(cache_dir.iterdir())) == 1  # one entry: the model step
    read_back = fresh()
    for a, b in zip(computed, read_back, strict=True):
        assert memo.same(a, b)
    assert memo.same(stored[0], read_back[0])


def test_the_code_digest_leaves_out_only_code_no_remembered_result_can_depend_on():
    """The digest skips analysis/render and analysis/pipeline: nothing outside them imports them
    (else a change there could change a remembered result unseen)."""
    import ast

    from analysis import config

    for path in config.PACKAGE_DIR.rglob("*.py"):
        rel = path.relative_to(config.PACKAGE_DIR)
        if rel.parts[0] in memo._OUTSIDE or rel.name == "__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                assert not (
                    parts[0] == "analysis" and len(parts) > 1 and parts[1] in memo._OUTSIDE
                ), f"{rel} imports {name}"


def test_pruning_keeps_the_entries_in_use(cache_dir, monkeypatch):
    import os
    import time

    monkeypatch.setattr(memo, "KEEP", 2)
    ds = FakeDatasets("abc")
    memo.remember(ds, "a", (), lambda: pd.Series([1.0]))
    memo.remember(ds, "b", (), lambda: pd.Series([2.0]))
    old = time.time() - 100
    for entry in cache_dir.iterdir():
        os.utime(entry, (old, old))
    memo.remember(ds, "a", (), lambda: pd.Series([9.0]))  # a hit: "a" is in use again
    memo.remember(ds, "c", (), lambda: pd.Series([3.0]))  # a third entry: the unused "b" goes
    names = sorted(p.name.split("-")[0] for p in cache_dir.iterdir())
    assert names == ["a", "c"]
