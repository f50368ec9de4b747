"""The validated-data cache: each dataset's frame after validation, kept as Parquet in
``.cache/validated/`` so that a second load (the kernel after a first run, tests) skips pandera.
Used by :mod:`analysis.data.loader` only."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from analysis import config, integrity

#: The modules whose code decides what a validated frame holds (part of every entry's key).
_VALIDATING_CODE = ("loader.py", "schema.py", "validated_cache.py")

#: Validated frames are kept on disk as Parquet (a format that holds data, never code), keyed by
#: the file digests and this module's own source, so that a second load (the kernel after a first
#: run, tests) skips pandera altogether. Each entry records the sha256 of the CSV and of the
#: sidecar it was validated from, and its own sha256 is written beside it (``.sha256``); on read
#: all must match, or the entry is removed, the file validated again and the damage said once.
_LOADER_DIGEST = hashlib.sha256(
    b"".join((Path(__file__).parent / f).read_bytes() for f in _VALIDATING_CODE)
).hexdigest()[:16]
_CACHE_META = b"relations-briefing"


def entry_path(name: str, digest: str, meta_digest: str) -> Path:
    key = hashlib.sha256(f"{digest}:{meta_digest}:{_LOADER_DIGEST}:{pd.__version__}".encode())
    return config.CACHE_DIR / "validated" / f"{name}-{key.hexdigest()[:24]}.parquet"


def write_entry(frame: pd.DataFrame, cached: Path, digest: str, meta_digest: str) -> None:
    """Write the entry and its sha256 (``<entry>.sha256``), each through a temporary file renamed
    into place (the digest first: a reader that finds the entry finds its digest); then remove
    what killed writers left."""
    import io
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=True)
    stamp = json.dumps(
        {
            "csv_sha256": digest,
            "meta_sha256": meta_digest,
            "name": frame.attrs.get("name"),
            "title": frame.attrs.get("title"),
        }
    ).encode()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _CACHE_META: stamp})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    raw = buf.getvalue()
    cached.parent.mkdir(parents=True, exist_ok=True)
    sums = integrity.digest_path(cached)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp_sums = sums.with_name(f"{sums.name}.{os.getpid()}.tmp")
    try:
        tmp_sums.write_text(integrity.sha256(raw), encoding="ascii")
        tmp.write_bytes(raw)
        tmp_sums.replace(sums)
        tmp.replace(cached)
    finally:
        tmp.unlink(missing_ok=True)
        tmp_sums.unlink(missing_ok=True)
    integrity.sweep_temporaries(cached.parent)


def read_entry(cached: Path, digest: str, meta_digest: str) -> pd.DataFrame | None:
    """The cached frame, or None when there is no entry, or it is damaged: its bytes do not match
    the sha256 written with it, it is not a regular file, or it was validated from other bytes
    than the current CSV and sidecar. A damaged entry is removed and said once (recomputed)."""
    import io
    import json

    import pyarrow.parquet as pq

    if not cached.exists() and not cached.is_symlink():
        return None
    try:
        table = pq.read_table(io.BytesIO(integrity.read_with_digest(cached)))
        stamp = json.loads((table.schema.metadata or {}).get(_CACHE_META, b"{}"))
        if stamp.get("csv_sha256") != digest or stamp.get("meta_sha256") != meta_digest:
            raise integrity.Damaged("validated from other bytes")
        frame = table.to_pandas()
    except Exception:  # a damaged entry is never served: validated again from the CSV
        if cached.exists() or cached.is_symlink():
            integrity.notice(f"{cached.parent.name}/{cached.name}")
            integrity.remove(cached)
            integrity.remove(integrity.digest_path(cached))
        return None
    frame.attrs["name"] = stamp.get("name")
    frame.attrs["title"] = stamp.get("title")
    return frame
