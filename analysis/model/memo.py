"""Costly model results remembered on disk, keyed by everything they are computed from.

A briefing asks for a few costly results that do not depend on its range — the uncertainty draws,
the triangle with its draws, the claims' verdicts on their vintages — and each rebuild on the same
data used to compute them again. :func:`remember` returns the result stored under
sha256(name, arguments, the datasets' fingerprint, the library's code) in ``.cache/model/``, or
computes it and stores it. Any change to a data file, a sidecar, the claims file or any module of
``analysis/`` gives a new key, so a remembered result is always the one the code would compute now.

**Nothing executable.** Frames are stored as Parquet, everything else as JSON, in a tree whose
only classes are pandas' frames, series and timestamps and the dataclasses registered below; an
entry is never unpickled. Each entry records its key and the sha256 of every file it holds, and
``entry.json`` (which holds them, and the object columns such as the claims table's) has its own
``entry.json.sha256``: all checked on read. A damaged, truncated or foreign entry, or a file that
is not a regular file, is never served: it is removed, recomputed, and said once on stderr.

**Faithful or not at all.** Before an entry is written it is decoded again and compared with the
result (values, dtypes, index and column labels): a result that would not come back identical is
simply not stored. **Atomic**: an entry is written to a temporary folder and renamed into place,
so a reader sees a whole entry or none. Datasets without a fingerprint (built in memory, as tests
do) are never stored. The folder keeps the :data:`KEEP` most recently used entries; temporary
folders of killed writers are removed once their process is gone (or after an hour).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import math
import os
import shutil
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from analysis import config, integrity

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Entries kept in the folder (about 0.1 MB each; the least recently used are removed when a new
#: one is written). A default briefing uses 17.
KEEP = 256
#: Dataclasses a stored tree may hold, by name (registered by their modules).
_CLASSES: dict[str, type] = {}


class Uncacheable(ValueError):
    """A result this store cannot hold faithfully (it is then computed every time)."""


def register(cls: type[T]) -> type[T]:
    """Allow instances of the dataclass ``cls`` in stored results (used as a decorator)."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    _CLASSES[cls.__name__] = cls
    return cls


def memo_dir() -> Path:
    return config.CACHE_DIR / "model"


#: Sub-packages whose code cannot change a remembered result: the model never imports them.
_OUTSIDE = ("render", "sections", "pipeline")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 over every module of the ``analysis`` package (path and bytes) but those of
    _OUTSIDE = ("render", "sections", "pipeline")
        not make the next build compute everything again."""
    h = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*.py")):
        if path.relative_to(config.PACKAGE_DIR).parts[0] in _OUTSIDE:
            continue
        h.update(str(path.relative_to(config.PACKAGE_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


#: The packages whose versions can change a remembered result (its numbers or its encoding).
PACKAGES = ("numpy", "pandas", "pyarrow", "scipy", "ruptures", "pyyaml")


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str | None]:
    """The installed version of each of :data:`PACKAGES` (None when absent): part of every key,
    as the validated-data cache's key holds the pandas version."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def frame_digest(frame: pd.DataFrame | pd.Series) -> str:
    """sha256 of a frame's values, index and labels (to key a result on a frame argument)."""
    h = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    labels = (
        list(getattr(frame, "columns", [])),
        str(getattr(frame, "dtypes", "")),
        getattr(frame, "name", None),
        str(frame.index.dtype),
    )
    h.update(repr(labels).encode())
    return h.hexdigest()


def remember(ds: Any, name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, remembered on disk for the datasets ``ds`` and the JSON-able ``parts``
    (None fingerprint: computed, never stored)."""
    return _remember(getattr(ds, "fingerprint", None), name, parts, compute)


def remember_of(frames: tuple, name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` of the frames or series ``frames`` (None entries allowed) and the JSON-able
    ``parts``, remembered on disk under the frames' content (:func:`frame_digest`)."""
    digests = [None if f is None else frame_digest(f) for f in frames]
    return _remember(json.dumps(digests), name, parts, compute)


def _remember(fingerprint: str | None, name: str, parts: tuple, compute: Callable[[], T]) -> T:
    if fingerprint is None or os.environ.get("BRIEFING_NO_MODEL_MEMO"):
        return compute()
    key = hashlib.sha256(
        json.dumps(
            [name, parts, fingerprint, code_digest(), package_versions()], default=str
        ).encode()
    ).hexdigest()
    folder = memo_dir() / f"{name}-{key[:32]}"
    found = _read_or_discard(folder, key)
    if found is not None:
        return found[0]
    result = compute()
    try:
        _write(folder, key, result)
    except Exception as exc:  # the result stands; only remembering it failed
        if not isinstance(exc, Uncacheable | OSError):
            log.warning("model memo: could not store %s (%s: %s)", name, type(exc).__name__, exc)
        log.debug("not remembered (%s): %s", name, exc)
    return result


# ---- encoding --------------------------------------------------------------------------------


def _encode(obj: Any, frames: list[pd.DataFrame]) -> Any:
    if obj is None or isinstance(obj, bool | str):
        return obj
    if isinstance(obj, np.generic) and obj.dtype.kind in "biuf":  # numpy scalars keep their type
        return {"np": [obj.dtype.str, _encode(obj.item(), frames)]}
    if isinstance(obj, int):
        return {"int": obj}
    if isinstance(obj, float):
        return {"float": obj if math.isfinite(obj) else repr(obj)}
    if obj is pd.NA:
        return {"na": None}
    if obj is pd.NaT:
        return {"nat": None}
    if isinstance(obj, pd.Timestamp):
        return {"ts": obj.isoformat()}
    if isinstance(obj, pd.DataFrame | pd.Series):
        frames.append(obj)
        return {"frame" if isinstance(obj, pd.DataFrame) else "series": len(frames) - 1}
    if isinstance(obj, list | tuple):
        return {"list" if isinstance(obj, list) else "tuple": [_encode(x, frames) for x in obj]}
    if isinstance(obj, dict):
        return {"dict": [[_encode(k, frames), _encode(v, frames)] for k, v in obj.items()]}
    if dataclasses.is_dataclass(obj) and _CLASSES.get(type(obj).__name__) is type(obj):
        fields = {f.name: _encode(getattr(obj, f.name), frames) for f in dataclasses.fields(obj)}
        return {"dataclass": type(obj).__name__, "fields": fields}
    raise Uncacheable(f"cannot store a {type(obj).__name__}")


def _decode(node: Any, frames: list[Any]) -> Any:
    if node is None or isinstance(node, bool | str):
        return node
    (tag, value), *rest = node.items()
    if tag == "np":
        return np.dtype(value[0]).type(_decode(value[1], frames))
    if tag == "int":
        return value
    if tag == "float":
        return float(value)
    if tag == "na":
        return pd.NA
    if tag == "nat":
        return pd.NaT
    if tag == "ts":
        return pd.Timestamp(value)
    if tag in ("frame", "series"):
        return frames[value]
    if tag == "list":
        return [_decode(x, frames) for x in value]
    if tag == "tuple":
        return tuple(_decode(x, frames) for x in value)
    if tag == "dict":
        return {_decode(k, frames): _decode(v, frames) for k, v in value}
    if tag == "dataclass":
        cls = _CLASSES[value]  # KeyError: an entry naming no registered class is ignored
        return cls(**{k: _decode(v, frames) for k, v in rest[0][1].items()})
    raise ValueError(f"unknown tag {tag!r}")


def _frame_bytes(obj: pd.DataFrame | pd.Series) -> tuple[bytes, Any]:
    """Parquet bytes of a frame's typed columns (renamed c0, c1, …) and the rest as JSON: its
    column labels (with their dtype), its object columns (mixed values, value by value) and,
    for a series, its name."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = obj.to_frame() if isinstance(obj, pd.Series) else obj
    loose = [i for i, dtype in enumerate(frame.dtypes) if dtype is np.dtype(object)]
    spec = {
        "columns": _encode([list(frame.columns), frame.columns.name], []),
        "columns_dtype": None
        if frame.columns.dtype is np.dtype(object)
        else str(frame.columns.dtype),
        "loose": {str(i): [_encode(v, []) for v in frame.iloc[:, i]] for i in loose},
        "freq": getattr(frame.index, "freqstr", None),  # a DatetimeIndex's frequency
        "series": isinstance(obj, pd.Series),
        "name": _encode(obj.name, []) if isinstance(obj, pd.Series) else None,
    }
    typed = [i for i in range(frame.shape[1]) if i not in loose]
    flat = frame.iloc[:, typed].set_axis([f"c{i}" for i in typed], axis=1)
    flat = flat.assign(rows=np.zeros(len(flat), dtype="int8"))  # keeps the rows and the index
    try:
        table = pa.Table.from_pandas(flat)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise Uncacheable(str(exc)) from None
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue(), spec


def _frame_from(raw: bytes, spec: dict) -> pd.DataFrame | pd.Series:
    import pyarrow.parquet as pq

    flat = pq.read_table(io.BytesIO(raw)).to_pandas().drop(columns="rows")
    labels, name = _decode(spec["columns"], [])
    columns = {int(c[1:]): flat[c] for c in flat.columns}
    for i, values in spec["loose"].items():
        columns[int(i)] = pd.Series(
            [_decode(v, []) for v in values], index=flat.index, dtype=object
        )
    index = flat.index
    if spec.get("freq"):
        index = pd.DatetimeIndex(index, freq=spec["freq"])
    frame = pd.DataFrame({i: columns[i] for i in range(len(labels))}, index=index)
    dtype = spec["columns_dtype"]
    frame.columns = pd.Index(labels, name=name, dtype=dtype) if labels else frame.columns
    if spec["series"]:
        return frame.iloc[:, 0].rename(_decode(spec["name"], []))
    return frame


# ---- reading and writing ------------------------------------------------------------------------


def _read(folder: Path, key: str) -> tuple[Any] | None:
    """``(result,)`` from the entry in ``folder``, or None when there is none; raises
    :class:`~analysis.integrity.Damaged` (or whatever decoding it raised) when the entry is
    there but must not be served: its ``entry.json`` does not match the sha256 written with it,
    a frame does not match the sha256 in ``entry.json``, a file is not a regular file, or it
    holds another key."""
    if not folder.exists() and not folder.is_symlink():
        return None
    entry = json.loads(integrity.read_with_digest(folder / "entry.json").decode("utf-8"))
    if entry.get("key") != key:
        raise integrity.Damaged("the entry holds another key")
    frames = []
    for i, spec in enumerate(entry["frames"]):
        raw = integrity.read_checked(folder / f"f{i}.parquet", spec["sha256"])
        frames.append(_frame_from(raw, spec))
    result = (_decode(entry["tree"], frames),)
    with contextlib.suppress(OSError):  # used now: the last to be pruned
        os.utime(folder)
    return result


def _read_or_discard(folder: Path, key: str) -> tuple[Any] | None:
    """:func:`_read`; a damaged entry is removed, said once, and read as none."""
    try:
        return _read(folder, key)
    except Exception as exc:  # never trusted: recomputed
        if not folder.exists() and not folder.is_symlink():
            return None  # pruned by another process while we read it
        log.debug("damaged model memo entry %s: %s", folder, exc)
        integrity.notice(f"{folder.parent.name}/{folder.name}")
        integrity.remove(folder)
        return None


def _write(folder: Path, key: str, result: Any) -> None:
    frames: list[pd.DataFrame] = []
    tree = _encode(result, frames)
    blobs, specs = [], []
    for f in frames:
        raw, spec = _frame_bytes(f)
        blobs.append(raw)
        specs.append({**spec, "sha256": hashlib.sha256(raw).hexdigest()})
    back = _decode(
        json.loads(json.dumps(tree)), [_frame_from(b, s) for b, s in zip(blobs, specs, strict=True)]
    )
    if not same(result, back):
        raise Uncacheable("would not come back identical")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for i, raw in enumerate(blobs):
            (tmp / f"f{i}.parquet").write_bytes(raw)
        entry = json.dumps({"key": key, "tree": tree, "frames": specs}).encode("utf-8")
        (tmp / "entry.json").write_bytes(entry)
        integrity.digest_path(tmp / "entry.json").write_text(integrity.sha256(entry))
        try:
            tmp.rename(folder)
        except OSError:  # another process wrote the same entry first: theirs stands
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(folder.parent)


def _prune(root: Path) -> None:
    """Keep the :data:`KEEP` entries used last, and remove what killed writers left."""
    integrity.sweep_temporaries(root)
    entries = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - KEEP]:
        shutil.rmtree(old, ignore_errors=True)


def same(a: Any, b: Any) -> bool:
    """Deep equality that holds frames to the same values, dtypes and labels."""
    if isinstance(a, pd.DataFrame | pd.Series):
        if type(a) is not type(b):
            return False
        try:
            if isinstance(a, pd.Series):
                pd.testing.assert_series_equal(a, b, check_exact=True)
            else:
                pd.testing.assert_frame_equal(a, b, check_exact=True)
        except AssertionError:
            return False
        return True
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b
