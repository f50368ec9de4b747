"""Issue 27, cases 7 and 9 for the validated-data cache: every entry is checked against a
sha256 written with it, a damaged entry is validated again from the CSV (said once, never an
error blaming the CSV), and temporary files of dead writers are pruned."""

from __future__ import annotations

import io
import os
import shutil
import time

import pandas as pd
import pytest

from analysis import config, integrity
from analysis.data import loader, validated_cache
from analysis.sidecars import file_digest


@pytest.fixture()
def data_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data, ignore=shutil.ignore_patterns("notes", "external"))
    return data


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.delenv("BRIEFING_NOTICES", raising=False)
    monkeypatch.setattr(integrity, "_SAID", set())  # each test may say its notice
    loader._load_cached.cache_clear()
    yield tmp_path / "cache" / "validated"
    loader._load_cached.cache_clear()


def _entry(data_copy, name="trade"):
    digest = file_digest(data_copy / f"{name}.csv")
    meta = file_digest(data_copy / f"{name}.meta.yaml")
    return validated_cache.entry_path(name, digest, meta)


def _silent_flip(raw: bytes, truth: pd.DataFrame) -> bytes:
    """A copy of ``raw`` with one byte changed that Parquet still reads, with other values."""
    import pyarrow.parquet as pq

    for pos in range(len(raw) // 4, len(raw)):
        for bit in (0x01, 0x10):
            flipped = bytearray(raw)
            flipped[pos] ^= bit
            try:
                frame = pq.read_table(io.BytesIO(bytes(flipped))).to_pandas()
            except Exception:
                continue
            if frame.shape == truth.shape and not frame.equals(truth):
                return bytes(flipped)
    pytest.skip("no silent one-byte change found")


def test_a_silently_flipped_byte_is_never_served(cache, data_copy, capsys):
    truth = loader.load("trade", data_copy)
    cached = _entry(data_copy)
    assert cached.is_file()
    import pyarrow.parquet as pq

    stored = pq.read_table(cached).to_pandas()
    cached.write_bytes(_silent_flip(cached.read_bytes(), stored))
    loader._load_cached.cache_clear()
    again = loader.load("trade", data_copy)
    pd.testing.assert_frame_equal(again, truth)
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "damaged; recomputed" in err, err
    loader._load_cached.cache_clear()
    loader.load("trade", data_copy)  # rewritten: a clean hit, nothing more said
    assert capsys.readouterr().err == ""


def test_a_damaged_entry_never_gives_a_data_error(cache, data_copy):
    """One changed byte in each cached frame that Parquet still reads: before the fix a key that
    no longer matched gave a lasting exit 2 blaming an untouched CSV."""
    import pyarrow.parquet as pq

    truth = loader.load_all(data_copy)
    for cached in sorted(cache.glob("*.parquet")):
        stored = pq.read_table(cached).to_pandas()
        cached.write_bytes(_silent_flip(cached.read_bytes(), stored))
    loader._load_cached.cache_clear()
    ds = loader.load_all(data_copy)  # no DataError blaming an untouched CSV
    for name, frame in truth.items():
        pd.testing.assert_frame_equal(getattr(ds, name), frame)


def test_a_fifo_in_place_of_an_entry_is_recomputed(cache, data_copy, capsys):
    truth = loader.load("trade", data_copy)
    cached = _entry(data_copy)
    for path in cache.iterdir():
        if path.name.startswith(cached.name):
            path.unlink()
            os.mkfifo(path)
    loader._load_cached.cache_clear()
    pd.testing.assert_frame_equal(loader.load("trade", data_copy), truth)


def test_temporary_files_of_dead_or_old_writers_are_pruned(cache, data_copy):
    cache.mkdir(parents=True)
    dead = cache / "trade-0123456789abcdef01234567.999999999.tmp"
    dead.write_bytes(b"PAR1")
    fresh = cache / f"events-0123456789abcdef01234567.{os.getpid()}.tmp"
    fresh.write_bytes(b"PAR1")
    old = cache / f"votes-0123456789abcdef01234567.{os.getpid()}.tmp"
    old.write_bytes(b"PAR1")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    loader.load("trade", data_copy)  # a write prunes
    assert not dead.exists() and not old.exists() and fresh.exists()
