"""Issue 27, cases 7, 9 and 11 for the model memo: entry metadata is checked against a digest
written with it, a damaged entry is recomputed and said once, a FIFO in place of an entry file
does not hang, and temporary entries of dead writers are pruned."""

from __future__ import annotations

import json
import os
import signal
import time
from contextlib import contextmanager

import pandas as pd
import pytest

from analysis import integrity
from analysis.model import memo
from tests.model.test_memo import FakeDatasets, Result


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    from analysis import config

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    monkeypatch.delenv("BRIEFING_NO_MODEL_MEMO", raising=False)
    monkeypatch.delenv("BRIEFING_NOTICES", raising=False)
    monkeypatch.setattr(integrity, "_SAID", set())  # each test may say its notice
    return tmp_path / "model"


@contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging the suite) when the block blocks longer than ``seconds``."""

    def alarm(signum, frame):
        raise TimeoutError(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def claims_table() -> Result:
    table = pd.DataFrame({"computed": ["139", 139], "verdict": ["not supported", "no"]})
    return Result({"claims": table}, 1.0, "139 not supported")


def test_edited_entry_metadata_is_never_served(cache_dir, capsys):
    ds = FakeDatasets("abc")
    memo.remember(ds, "claims", (), claims_table)
    (entry,) = [p for p in cache_dir.iterdir() if not p.name.startswith(".")]
    text = (entry / "entry.json").read_text()
    assert "139" in text  # the claims table's object columns and the label live here
    (entry / "entry.json").write_text(text.replace("139", "1139"))
    calls = []
    out = memo.remember(ds, "claims", (), lambda: calls.append(1) or claims_table())
    assert calls == [1] and memo.same(out, claims_table())
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "damaged; recomputed" in err, err
    again = memo.remember(ds, "claims", (), lambda: calls.append(1) or claims_table())
    assert calls == [1] and memo.same(again, claims_table())  # rewritten whole: a hit
    assert capsys.readouterr().err == ""  # said once


@pytest.mark.parametrize("victim", ["entry.json", "f0.parquet"])
def test_a_fifo_in_place_of_an_entry_file_is_damage_not_a_hang(cache_dir, capsys, victim):
    ds = FakeDatasets("abc")
    memo.remember(ds, "claims", (), claims_table)
    (entry,) = [p for p in cache_dir.iterdir() if not p.name.startswith(".")]
    (entry / victim).unlink()
    os.mkfifo(entry / victim)
    calls = []
    with deadline(10):
        out = memo.remember(ds, "claims", (), lambda: calls.append(1) or claims_table())
    assert calls == [1] and memo.same(out, claims_table())
    assert "damaged; recomputed" in capsys.readouterr().err


def test_temporary_entries_of_dead_or_old_writers_are_pruned(cache_dir):
    ds = FakeDatasets("abc")
    memo.remember(ds, "a", (), lambda: pd.Series([1.0]))
    dead = cache_dir / ".claims-0123.999999999.tmp"  # a writer killed mid-write
    dead.mkdir()
    (dead / "entry.json").write_text("{}")
    fresh = cache_dir / f".claims-4567.{os.getpid()}.tmp"  # a live writer: kept
    fresh.mkdir()
    old = cache_dir / f".claims-89ab.{os.getpid()}.tmp"  # live pid, but hours old: gone
    old.mkdir()
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    memo.remember(ds, "b", (), lambda: pd.Series([2.0]))  # a write prunes
    names = sorted(p.name for p in cache_dir.iterdir())
    assert dead.name not in names and old.name not in names
    assert fresh.name in names


def test_an_entry_without_its_digest_is_recomputed(cache_dir, capsys):
    ds = FakeDatasets("abc")
    memo.remember(ds, "claims", (), claims_table)
    (entry,) = [p for p in cache_dir.iterdir() if not p.name.startswith(".")]
    doc = json.loads((entry / "entry.json").read_text())
    doc["tree"]["fields"]["label"] = "1139 supported"
    (entry / "entry.json").write_text(json.dumps(doc))
    for path in entry.iterdir():
        if path.name.endswith(".sha256"):
            path.unlink()
    calls = []
    out = memo.remember(ds, "claims", (), lambda: calls.append(1) or claims_table())
    assert calls == [1] and out.label == "139 not supported"
